"""The embedded store: named graphs, idempotent and atomic builds, ingest that replaces one document."""

import itertools
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from plankg.errors import StoreError
from plankg.graph_store import open_store
from plankg.pipeline import build, ingest

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://w3id.org/plankg/"


def test_one_named_graph_per_document_plus_ontology_and_mappings(corpus_store):
    documents = sorted(p.stem for p in (Path(__file__).parents[1] / "corpus" / "documents").glob("*.md"))
    mappings = sorted(p.name.split(".")[0] for p in (Path(__file__).parents[1] / "corpus" / "mappings").glob("*.sssom.tsv"))
    assert len(documents) == 14 and len(mappings) == 8  # 14: the GI plan (issue 16)
    assert corpus_store.graph_names() == sorted(
        [BASE + f"graph/{d}" for d in documents] + [BASE + f"graph/mappings/{m}" for m in mappings]
        + [BASE + "graph/ontology", BASE + "graph/organisations", BASE + "graph/actuals/plan-2016-2020", BASE + "graph/actuals/plan-2021-2025", BASE + "graph/concepts/sdg", BASE + "graph/shared"])


def test_build_is_idempotent(tmp_path):
    store = open_store(tmp_path / "s")
    build(store)
    first = store.export("nquads")
    build(store)
    assert store.export("nquads") == first
    assert len(list((tmp_path / "s").glob("gen-*"))) == 1  # old generations are swept


@pytest.mark.parametrize("loader", ["bulk_load", "bulk_extend"])
def test_failed_build_leaves_the_previous_graph(tmp_path, monkeypatch, loader):
    """A build loads its graphs' N-Quads text with bulk_load and a graph with a blank node (the ontology) with
    bulk_extend: either failing after part of the data is in leaves the store, and no temporary file, behind."""
    store = open_store(tmp_path / "s")
    build(store)
    before = store.export("nquads")
    real = getattr(pyoxigraph.Store, loader)
    calls = []

    def failing(self, *args, **kwargs):
        # load part of the data, then fail as a full disk would
        if loader == "bulk_extend":
            real(self, list(itertools.islice(args[0], 500)))
        else:
            real(self, *args, **kwargs)
        calls.append(loader)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pyoxigraph.Store, loader, failing)
    monkeypatch.setenv("PLANKG_SPILL_DIR", str(tmp_path))
    with pytest.raises(StoreError, match="nothing was changed"):
        build(store)
    monkeypatch.undo()
    assert calls == [loader]
    assert open_store(tmp_path / "s").export("nquads") == before
    assert len(list((tmp_path / "s").glob("gen-*"))) == 1
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [".lock", ".readers", "CURRENT", "gen-000001"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("plankg-spill-")] == []


def test_ingest_adds_and_replaces_one_document(tmp_path):
    store = open_store(tmp_path / "s")
    build(store)
    plan_graph = [q for q in store.quads() if q.graph_name.value.endswith("/graph/plan-2021-2025")]
    doc, n, _ = ingest(store, FIXTURES / "fulltext" / "continuous.txt")
    assert doc == "continuous" and n > 0
    assert BASE + "graph/continuous" in store.graph_names()
    # replace: a changed text under the same id
    text = (FIXTURES / "fulltext" / "continuous.txt").read_text(encoding="utf-8").replace("加快数字政府建设", "加快智慧政府建设")
    changed = tmp_path / "continuous.txt"
    changed.write_text(text, encoding="utf-8")
    ingest(store, changed)
    labels = {r["l"].value for r in store.query(
        "SELECT ?l WHERE { GRAPH <%sgraph/continuous> { <%sid/continuous/p4/s8> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }" % (BASE, BASE))}
    assert labels == {"加快智慧政府建设", "Section （八）"}
    # the other documents are untouched
    assert sorted(map(str, [q for q in store.quads() if q.graph_name.value.endswith("/graph/plan-2021-2025")])) == sorted(map(str, plan_graph))


def test_read_only_store_refuses_writes_and_missing_store(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "nothing", read_only=True).query("ASK {}")
    store = open_store(tmp_path / "s")
    build(store)
    with pytest.raises(StoreError, match="read-only"):
        open_store(tmp_path / "s", read_only=True).replace_graphs({})


@pytest.mark.parametrize("fmt,parser", [("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_exports_parse_back_to_the_same_quads(corpus_store, fmt, parser):
    data = corpus_store.export(fmt)
    ds = rdflib.Dataset()
    ds.parse(data=data, format=parser)
    assert sum(1 for _ in ds.quads((None, None, None, None))) == corpus_store.count()


def test_turtle_export_is_the_union(corpus_store):
    g = rdflib.Graph().parse(data=corpus_store.export("turtle"), format="turtle")
    distinct = {(q.subject, q.predicate, q.object) for q in corpus_store.quads()}
    assert len(g) == len(distinct)


def test_store_spec_errors():
    with pytest.raises(StoreError, match="unknown store backend"):
        open_store("ftp://example.org/store")


def test_load_in_chunks_gives_the_same_store(tmp_path, monkeypatch, corpus_store):
    """PLANKG_LOAD_CHUNK bounds the quads per bulk load (memory of big builds); the store is byte-identical."""
    monkeypatch.setenv("PLANKG_LOAD_CHUNK", "10000")  # the bundled corpus is ~10.6 k quads: two loads
    store = open_store(tmp_path / "chunked")
    build(store)
    assert store.count() > 10_000
    assert store.export("nquads") == corpus_store.export("nquads")
    before = store.export("nquads")
    for bad in ("lots", "-5", "999"):
        monkeypatch.setenv("PLANKG_LOAD_CHUNK", bad)
        with pytest.raises(StoreError, match="PLANKG_LOAD_CHUNK"):
            build(store)
        assert store.export("nquads") == before
