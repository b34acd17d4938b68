"""The labels' text index (graph_store/text_index.py): the same answers as label-search's SPARQL scan, on the
bundled corpus and on a synthetic one, and one index per store generation (swapped with it, left by a failure)."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest
import pyoxigraph
from pyoxigraph import NamedNode

from plankg.errors import StoreError
from plankg.graph_store import text_index
from plankg.graph_store import open_store
from plankg.graph_store.oxigraph_store import MemoryStore, OxigraphStore
from plankg.pipeline import build
from plankg.queries.run import run_named

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import write_corpus  # noqa: E402


#: 1, 2, 3 and more characters; Chinese and English; mixed case; texts that match nothing, punctuation, quotes
TEXTS = ["权", "知识", "司法保护", "知识产权", "专利", "规划", "%", "年", "（", "2025", "20", "j", "ju", "Jud", "judicial",
         "PROTECTION", "Intellectual Property", "low-altitude", "o", "of", "of the", "y i", "a\"b", '"', "'", "\\", "*", "OR",
         "NEAR", "^", "-", "不存在的文字串", "zzz", "合成", "合成指标256", "指标2", "标25", "mechanism", "ip"]
LANGS = ["any", "zh", "en"]


def test_sqlite_has_the_trigram_tokenizer():
    assert sqlite3.sqlite_version_info >= (3, 34, 0), sqlite3.sqlite_version
    assert text_index.available()


def _compare(store, texts):
    assert text_index.index_of(store) is not None, "the store has no usable text index"
    compared = 0
    for text in texts:
        for lang in LANGS:
            p = {"text": text, "language": lang}
            scan = run_named(store, "label-search", p, use_index=False)
            indexed = run_named(store, "label-search", p)
            assert indexed == scan, (text, lang)
            compared += len(scan[1])
    return compared


def test_identical_to_the_scan_on_the_bundled_corpus(corpus_store):
    # the labels themselves as texts too: pieces of 1, 2, 3 and 5 characters of real labels
    _, rows = run_named(corpus_store, "label-search", {"text": "保护"}, use_index=False)
    pieces = {r["label"][i:i + n] for r in rows[:40] for n in (1, 2, 3, 5) for i in (0, 2)}
    assert _compare(corpus_store, TEXTS + sorted(p for p in pieces if p.strip())) > 500


def test_identical_to_the_scan_on_a_synthetic_corpus(tmp_path):
    corpus = write_corpus(tmp_path / "syn", 30, seed=3)
    store = open_store(tmp_path / "store")
    build(store, corpus)
    store = open_store(tmp_path / "store", read_only=True)
    assert _compare(store, TEXTS) > 1000


def test_the_in_memory_store_has_one_and_it_follows_writes(corpus_store):
    mem = MemoryStore()
    mem.replace_graphs({g: list(corpus_store.store.quads_for_pattern(None, None, None, NamedNode(g)))
                        for g in corpus_store.graph_names()})
    assert _compare(mem, ["知识产权", "权", "judicial"]) > 10
    before = run_named(mem, "label-search", {"text": "保护"})[1]
    mem.replace_graphs({}, drop=[g for g in mem.graph_names() if g.endswith("/graph/plan-2021-2025")])
    after = run_named(mem, "label-search", {"text": "保护"})[1]
    assert len(after) < len(before)
    assert after == run_named(mem, "label-search", {"text": "保护"}, use_index=False)[1]


def test_the_site_search_uses_the_index(corpus_store, monkeypatch):
    calls = []
    real = text_index.TextIndex.label_search
    monkeypatch.setattr(text_index.TextIndex, "label_search", lambda self, *a: calls.append(a) or real(self, *a))
    _, rows = run_named(corpus_store, "label-search", {"text": "知识产权"})
    assert rows and calls == [("知识产权", "any")]


def _generation(root: Path) -> Path:
    return root / os.readlink(root / "CURRENT")


def test_each_generation_has_its_own_index_swapped_with_it(fresh_store):
    root = fresh_store
    gen1 = _generation(root)
    assert (gen1 / text_index.INDEX_FILE).is_file()
    s = OxigraphStore(root)
    graphs = [g for g in s.graph_names() if g.endswith("/graph/plan-2021-2025")]
    s.replace_graphs({}, drop=graphs[:1])
    gen2 = _generation(root)
    assert gen2 != gen1 and (gen2 / text_index.INDEX_FILE).is_file()
    r = OxigraphStore(root, read_only=True)
    assert _compare(r, ["知识产权", "规划", "j"]) > 10
    assert r.text_index().exact


def test_a_failed_write_leaves_store_and_index_as_they_were(fresh_store, monkeypatch):
    root = fresh_store
    gen = _generation(root)
    before = run_named(OxigraphStore(root, read_only=True), "label-search", {"text": "知识产权"})

    def broken(store, directory, distinct=True):
        (Path(directory) / (text_index.INDEX_FILE + ".tmp")).write_bytes(b"half")
        raise OSError("No space left on device")

    monkeypatch.setattr(text_index, "build", broken)
    s = OxigraphStore(root)
    with pytest.raises(StoreError, match="nothing was changed"):
        s.replace_graphs({}, drop=[g for g in s.graph_names() if g.endswith("/graph/plan-2021-2025")])
    assert _generation(root) == gen and sorted(p.name for p in root.glob("gen-*")) == [gen.name]
    r = OxigraphStore(root, read_only=True)
    assert run_named(r, "label-search", {"text": "知识产权"}) == before
    assert _compare(r, ["知识产权"]) > 0


def test_a_crash_before_the_swap_leaves_the_old_pair(fresh_store, monkeypatch):
    """A crash after the new generation and its index are written but before CURRENT is swapped: the reader
    sees the old generation and the old index; the next write sweeps the orphan away."""
    root = fresh_store
    gen = _generation(root)
    first = OxigraphStore(root, read_only=True)
    before = run_named(first, "label-search", {"text": "规划"})
    first.close()

    class Crash(BaseException):
        pass

    def crash(self, new_dir):
        assert (new_dir / text_index.INDEX_FILE).is_file()  # written before the swap
        raise Crash

    monkeypatch.setattr(OxigraphStore, "_swap", crash)
    monkeypatch.setattr(OxigraphStore, "_discard", lambda self, d: None)  # a crash cleans nothing up
    s = OxigraphStore(root)
    with pytest.raises(Crash):
        s.replace_graphs({}, drop=[g for g in s.graph_names() if g.endswith("/graph/plan-2021-2025")])
    s.close()  # the crashed process is gone, and its locks with it
    assert _generation(root) == gen and len(list(root.glob("gen-*"))) == 2
    r = OxigraphStore(root, read_only=True)
    assert run_named(r, "label-search", {"text": "规划"}) == before
    assert _compare(r, ["规划"]) > 0
    r.close()  # a reader holding the old generation keeps it from the sweep
    monkeypatch.undo()
    OxigraphStore(root).replace_graphs({}, drop=[])
    assert len(list(root.glob("gen-*"))) == 1


def test_a_generation_without_an_index_runs_the_scan(fresh_store):
    root = fresh_store
    (_generation(root) / text_index.INDEX_FILE).unlink()
    r = OxigraphStore(root, read_only=True)
    assert r.text_index() is None and text_index.index_of(r) is None
    _, rows = run_named(r, "label-search", {"text": "知识产权"})
    assert rows


def test_blank_nodes_as_the_scan_and_an_iri_label_turns_the_index_off():
    from pyoxigraph import BlankNode, Literal, NamedNode, Quad

    from plankg.vocab import SKOS

    g = NamedNode("https://w3id.org/plankg/id/x")
    y = NamedNode("https://w3id.org/plankg/id/y")
    mem = MemoryStore()
    mem.replace_graphs({g.value: [Quad(BlankNode("b1"), SKOS.prefLabel, Literal("专利", language="zh"), g),
                                  Quad(y, SKOS.prefLabel, Literal("专利x", language="zh"), g)]})
    assert text_index.index_of(mem) is not None
    assert _compare(mem, ["专利", "利x", "x"]) == 6  # a blank node's label: not answered by the scan either
    mem.replace_graphs({g.value: [Quad(y, SKOS.prefLabel, NamedNode("https://example.org/专利"), g)]})
    assert mem.text_index() is not None and not mem.text_index().exact
    assert text_index.index_of(mem) is None
    assert run_named(mem, "label-search", {"text": "专利"})[1] == [
        {"node": y.value, "label": "https://example.org/专利", "lang": None, "document": None}]  # the scan


def test_a_nul_in_the_text_answers_as_the_scan(corpus_store):
    """Found by schemathesis: FTS5 failed on '00\\x00' (sqlite3.OperationalError: unterminated string)."""
    for text in ("00\x00", "\x00", "知识\x00产权"):
        rows = run_named(corpus_store, "label-search", {"text": text})[1]
        assert rows == run_named(corpus_store, "label-search", {"text": text}, use_index=False)[1]


def test_a_triple_two_graphs_state_is_one_row_per_document():
    """The index is filled from the union of the graphs without DISTINCT (its tables' keys keep each row once): a
    label and a pk:inDocument stated in two graphs give the rows the scan gives, once each."""
    from pyoxigraph import Literal, Quad, Store

    from plankg.vocab import PK, SKOS

    store = Store()
    node, doc_a, doc_b = (NamedNode(f"https://w3id.org/plankg/id/{x}") for x in ("d/p1", "d", "e"))
    for g in ("https://w3id.org/plankg/graph/d", "https://w3id.org/plankg/graph/e"):
        gn = NamedNode(g)
        store.add(Quad(node, SKOS.prefLabel, Literal("知识产权保护", language="zh"), gn))
        store.add(Quad(node, PK.inDocument, doc_a, gn))
    store.add(Quad(node, PK.inDocument, doc_b, NamedNode("https://w3id.org/plankg/graph/e")))
    index = text_index.TextIndex.in_memory(store)
    assert index.exact
    rows = index._con.execute("SELECT node, label, lang, document FROM labels ORDER BY id").fetchall()
    assert rows == [(node.value, "知识产权保护", "zh", doc_a.value), (node.value, "知识产权保护", "zh", doc_b.value)]
    assert [r["document"] for r in index.label_search("产权")] == [doc_a.value, doc_b.value]


@pytest.mark.parametrize("synthetic", [False, True])
def test_the_index_gathered_while_loading_is_the_one_read_from_the_store(tmp_path, synthetic):
    """A fresh build gathers its index from what it loads (the text given to bulk_load, the quads given to
    bulk_extend); it must hold exactly the rows an index read from the finished store holds."""
    corpus = write_corpus(tmp_path / "syn", 12, seed=5) if synthetic else None
    root = tmp_path / "store"
    build(open_store(root), corpus)
    gen = _generation(root)
    text_index.build(pyoxigraph.Store.read_only(str(gen)), tmp_path)  # read from the store, as an update does

    def rows(path):
        con = sqlite3.connect(path)
        try:
            return (sorted(con.execute("SELECT node, label, lang, low, document FROM labels")),
                    dict(con.execute("SELECT key, value FROM meta")))
        finally:
            con.close()

    gathered, read = rows(gen / text_index.INDEX_FILE), rows(tmp_path / text_index.INDEX_FILE)
    assert gathered == read
    assert len(gathered[0]) > 500
