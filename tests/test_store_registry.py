"""The store backends by name (graph_store/registry.py), and how a worker process opens a store again
(:meth:`GraphStore.reopen`), asked of the store instead of read from its internals."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest
from pyoxigraph import NamedNode, Quad

import plankg.graph_store
from plankg.errors import StoreError
from plankg.graph_store import BACKENDS, GraphStore, Reopen, open_store, registry
from plankg.graph_store.oxigraph_store import MemoryStore, OxigraphStore
from plankg.graph_store.sparql_store import SparqlStore
from plankg.publish.worker import QueryPool, run_isolated, sandboxed, store_source

G = "https://w3id.org/plankg/graph/test"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def quads(n: int) -> list[Quad]:
    return [Quad(NamedNode(f"https://example.org/s{i}"), NamedNode("https://example.org/p"), NamedNode("https://example.org/o"),
                 NamedNode(G)) for i in range(n)]


def concrete_stores() -> set[type]:
    """Every concrete GraphStore class in the graph_store package."""
    for mod in pkgutil.iter_modules(plankg.graph_store.__path__):
        importlib.import_module(f"plankg.graph_store.{mod.name}")
    found, todo = set(), [GraphStore]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if not inspect.isabstract(sub) and sub.__module__.startswith("plankg.graph_store."):
                found.add(sub)
    return found


def test_the_registry_lists_every_backend():
    assert list(BACKENDS) == ["oxigraph", "memory", "sparql"]
    classes = {name: registry.backend(name) for name in BACKENDS}
    assert classes == {"oxigraph": OxigraphStore, "memory": MemoryStore, "sparql": SparqlStore}
    assert all(cls.backend == name and cls.spec_forms for name, cls in classes.items())
    assert set(classes.values()) == concrete_stores()  # a backend class not registered fails here


def test_each_backend_opens_its_own_specs(tmp_path):
    assert type(open_store("memory:")) is MemoryStore
    assert type(open_store(f"oxigraph:{tmp_path}/a")) is OxigraphStore
    assert type(open_store(tmp_path / "b")) is OxigraphStore  # a bare path: the default backend
    assert type(open_store("http://127.0.0.1:1/query")) is SparqlStore
    assert open_store(None).root.as_posix() == registry.DEFAULT_STORE == "data/store"


def test_an_unknown_backend_names_the_known_ones(monkeypatch):
    with pytest.raises(StoreError, match="unknown store backend") as err:
        open_store("ftp://example.org/store")
    assert err.value.hint == ("use a directory path, oxigraph:PATH, memory:, an http(s) SPARQL endpoint URL "
                              "or a store .toml file")
    # the hint is made from the registry: a backend added there is named too
    monkeypatch.setitem(BACKENDS, "test", (__name__, "OtherStore"))
    with pytest.raises(StoreError, match="unknown store backend") as err:
        open_store("ftp://example.org/store")
    assert err.value.hint.endswith(", other:NAME")
    with pytest.raises(StoreError, match="unknown store backend 'nope'") as err:
        registry.reopen(Reopen("nope", "x"))
    assert "oxigraph, memory, sparql, test" in err.value.hint


class OtherStore(MemoryStore):
    backend = "test"
    spec_forms = "other:NAME"


def test_a_worker_reopens_each_store_as_the_store_says(tmp_path):
    writer = open_store(tmp_path / "s")
    writer.replace_graphs({G: quads(3)})
    reader = open_store(tmp_path / "s", read_only=True)
    source = store_source(reader)
    assert source == reader.reopen() and source.backend == "oxigraph" and not source.remote
    assert source.options == {"generation": reader.generation}  # the generation the server holds
    writer.replace_graphs({G: quads(5)})  # a later write leaves the generation the workers read
    again = registry.reopen(pickle.loads(pickle.dumps(source)))
    assert again.read_only and again.count() == reader.count() == 3
    assert open_store(tmp_path / "s").count() == 5
    again.close()
    reader.close()

    memory = MemoryStore()
    memory.replace_graphs({G: quads(2)})
    copy = registry.reopen(pickle.loads(pickle.dumps(memory.reopen())))
    assert copy is not memory and copy.export("nquads") == memory.export("nquads")
    assert open_store(tmp_path / "empty").reopen().backend == "memory"  # nothing written yet: a copy

    remote = SparqlStore("http://127.0.0.1:1/query?union=server").reopen()  # no request is made
    assert remote.remote and registry.reopen(remote).config.union == "server"
    assert sandboxed(source, False) and not sandboxed(remote, False) and not sandboxed(source, True)


def test_query_workers_open_the_store_through_reopen(tmp_path):
    writer = open_store(tmp_path / "s")
    writer.replace_graphs({G: quads(3)})
    memory = MemoryStore()
    memory.replace_graphs({G: quads(4)})
    reader = open_store(tmp_path / "s", read_only=True)
    for store, n in ((reader, 3), (memory, 4)):
        assert run_isolated(store, COUNT).rows == [(("literal", str(n), None, "http://www.w3.org/2001/XMLSchema#integer"),)]
    pool = QueryPool(reader, size=1, start_timeout=60)
    try:
        writer.replace_graphs({G: quads(7)})
        outcome = pool.run(COUNT, timeout=60, max_rows=10)
        assert outcome.rows[0][0][1] == "3"  # the spawned worker read the generation the store held when asked
    finally:
        pool.close()
        reader.close()


def test_each_swap_mode_of_the_spec_has_its_strategy():
    from plankg.graph_store.sparql_spec import SWAPS, parse_spec
    from plankg.graph_store.sparql_store import SWAP

    assert tuple(SWAP) == SWAPS
    with pytest.raises(StoreError, match="swap='fast'") as err:
        parse_spec("http://127.0.0.1:1/query?swap=fast")
    assert err.value.hint == "use swap=auto, move, single, insert or put"
