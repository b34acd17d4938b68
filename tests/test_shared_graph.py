"""Each triple in one named graph (graph_store/shared.py): the union of the graphs is the RDF merge, with no
copy in the default graph — after a build and after every later write of some graphs."""

from __future__ import annotations

import json
import random

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, parse

from plankg.graph_store.oxigraph_store import OxigraphStore
from plankg.graph_store.shared import RECORD, Sharing, Statements
from plankg.iris import RESERVED_IDS, Iris
from plankg.queries.run import result_rows

EX = "http://example.org/"
SHARED_GRAPH = EX + "graph/shared"
HOMES = {EX + "s0": EX + "graph/a", EX + "s1": EX + "graph/b"}  # s2, s3: no home (like an indicator)
SHARED = Sharing(SHARED_GRAPH, HOMES.get)


def q(s: str, o: str, g: str) -> Quad:
    return Quad(NamedNode(EX + s), NamedNode(EX + "p"), Literal(o), NamedNode(EX + "graph/" + g))


def placed(store: OxigraphStore) -> dict[str, set[str]]:
    """triple -> the graphs the store holds it in."""
    out: dict[str, set[str]] = {}
    for quad in store.quads():
        out.setdefault(str(quad.triple), set()).add(quad.graph_name.value)
    return out


def count_all(store: OxigraphStore) -> int:
    return int(result_rows(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))[1][0]["n"])


def test_a_build_states_each_triple_in_one_graph(corpus_store):
    store = corpus_store
    where = placed(store)
    twice = [t for t, gs in where.items() if len(gs) > 1]
    assert twice == []
    shared = Iris().graph("shared")
    assert shared in store.graph_names()
    assert count_all(store) == len(where)  # the default graph counts each distinct triple once
    # the indicators' labels that several documents state are in the shared graph, once
    rows = result_rows(store.query(f"SELECT ?l WHERE {{ GRAPH <{shared}> {{ <{Iris().indicator('high-value-invention-patents-per-10k')}> "
                                   "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }"))[1]
    assert len(rows) >= 1
    record = json.loads((store.current() / RECORD).read_text(encoding="utf-8"))["stated"]
    assert len(record) > sum(1 for t, gs in where.items() if shared in gs) > 0
    assert all(len(gs) >= 2 for gs in record.values())
    iris = Iris()
    # held at home: an organisation's type in the organisations graph, a cited document's title in its own graph
    org = f"<{iris.org('state-council')}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Organization>"
    assert where[org] == {iris.graph("organisations")} and len(record[org]) > 2
    cited = [t for t in record if t.startswith(f"<{iris.doc('national-14th-fyp-2021-2025')}> <http://purl.org/dc/terms/title>")]
    assert cited and all(where[t] == {iris.graph("national-14th-fyp-2021-2025")} for t in cited)


def test_shared_is_a_reserved_id():
    assert "shared" in RESERVED_IDS


def _model_merge(stated: dict[str, set[Quad]]) -> set[str]:
    return {str(x.triple) for qs in stated.values() for x in qs}


def test_writes_of_some_graphs_keep_the_graphs_disjoint_and_the_merge_exact(tmp_path):
    """A random run of writes and drops against a model of what each graph states."""
    rng = random.Random(7)
    store = OxigraphStore(tmp_path / "s")
    stated: dict[str, set[Quad]] = {}
    for step in range(150):
        names = ["a", "b", "c", "d"]
        g = rng.choice(names)
        if rng.random() < 0.2 and stated:
            gone = rng.choice(sorted(stated))
            store.replace_graphs({}, drop=[EX + "graph/" + gone], shared=SHARED)
            del stated[gone]
        else:
            quads = {q(f"s{rng.randrange(4)}", f"o{rng.randrange(3)}", g) for _ in range(rng.randrange(0, 6))}
            store.replace_graphs({EX + "graph/" + g: sorted(quads, key=str)}, shared=SHARED)
            stated[g] = quads
        where = placed(store)
        assert {t for t, gs in where.items() if len(gs) > 1} == set(), step
        assert set(where) == _model_merge(stated), step
        assert count_all(store) == len(where), step
        record = Statements.load(store.current())
        for t, gs in where.items():
            (holder,) = gs
            expected = {EX + "graph/" + n for n, qs in stated.items() if t in {str(x.triple) for x in qs}}
            if len(expected) >= 2:  # the record names every graph that states it; the home holds it if it states it
                assert record.stated[t] == expected, step
                home = HOMES.get(t.split(">", 1)[0][1:])
                assert holder == (home if home in expected else SHARED_GRAPH), step
            else:
                assert t not in record.stated and {holder} == expected, step
        assert next(iter(store.store.quads_for_pattern(None, None, None, DefaultGraph())), None) is None
        store.close()


def test_a_triple_returns_to_its_graph_when_the_other_no_longer_states_it(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graphs({EX + "graph/a": [q("x", "1", "a"), q("y", "1", "a")]}, shared=SHARED)
    store.replace_graphs({EX + "graph/b": [q("x", "1", "b")]}, shared=SHARED)
    assert placed(store)[str(q("x", "1", "a").triple)] == {SHARED_GRAPH}
    store.replace_graphs({EX + "graph/b": [q("z", "1", "b")]}, shared=SHARED)
    assert placed(store)[str(q("x", "1", "a").triple)] == {EX + "graph/a"}
    assert SHARED_GRAPH not in placed(store).get(str(q("y", "1", "a").triple), set())
    assert Statements.load(store.current()).stated == {}


def test_a_store_without_a_record_keeps_its_materialised_merge(tmp_path):
    """A store written before graphs were kept disjoint (no record): a write materialises the merge, as then."""
    store = OxigraphStore(tmp_path / "s")
    store.replace_graphs({EX + "graph/a": [q("x", "1", "a")], EX + "graph/b": [q("x", "1", "b")]}, reset=True)
    assert not (store.current() / RECORD).exists()
    store.replace_graphs({EX + "graph/c": [q("x", "1", "c"), q("w", "2", "c")]}, shared=SHARED)
    default = list(store.store.quads_for_pattern(None, None, None, DefaultGraph()))
    assert len(default) == 2
    assert count_all(store) == 2
    assert len(list(store.quads())) == 4  # each graph as written


def test_the_shared_graph_cannot_be_written_or_dropped_directly(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graphs({EX + "graph/a": [q("x", "1", "a")]}, shared=SHARED)
    from plankg.errors import StoreError

    with pytest.raises(StoreError, match="shared graph"):
        store.replace_graphs({SHARED_GRAPH: [q("x", "1", "a")]}, shared=SHARED)
    with pytest.raises(StoreError, match="shared graph"):
        store.replace_graphs({}, drop=[SHARED_GRAPH], shared=SHARED)
