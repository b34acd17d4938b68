"""A build keeps its graphs in a temporary file until the load (graph_store/spill.py) and loads their N-Quads
text with bulk_load: the store must be exactly what every graph states, placed by the sharing rule (checked
against a naive placement of every quad, made here without the split), in one load or in many, and a build
that fails anywhere leaves the store and no temporary file behind."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from plankg import pipeline
from plankg.errors import DocumentError, StoreError
from plankg.graph_store import open_store
from plankg.graph_store.shared import Packed, key
from plankg.graph_store.spill import Listed, Spill, keys_of, line_key, lines, nquads_bytes
from plankg.iris import Iris

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from synthetic import write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("spill") / "corpus", 30, seed=3)


def naive_placement(corpus: Path) -> set[str]:
    """Every quad the corpus states, each triple once: in the one graph that states it, or where the sharing
    rule puts a triple two or more graphs state — from the graphs as read, without ``split``."""
    iris = Iris()
    sharing = iris.sharing()
    stated: dict[str, set[str]] = {}
    triples: dict[str, pyoxigraph.Triple] = {}
    for g, content in pipeline.collect(corpus, iris).items():
        for q in content:
            stated.setdefault(key(q), set()).add(g)
            triples[key(q)] = q.triple
    out = pyoxigraph.Store()  # as a store holds them (it writes "435.0"^^xsd:decimal as "435", as any load does)
    for k, gs in stated.items():
        holder = sharing.holder(k, gs) if len(gs) > 1 else next(iter(gs))
        t = triples[k]
        out.add(Quad(t.subject, t.predicate, t.object, NamedNode(holder)))
    return {str(q) for q in out}


def stated_quads(corpus: Path) -> set[str]:
    return {key(q) for content in pipeline.collect(corpus, Iris()).values() for q in content}


def stored(path: Path) -> set[str]:
    return {str(q) for q in open_store(path, read_only=True).quads()}


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_a_spilled_build_stores_what_the_graphs_state(which, synthetic, tmp_path, monkeypatch):
    corpus = pipeline.bundled_corpus() if which == "bundled" else synthetic
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 8)  # the synthetic corpus is read by worker processes
    report = pipeline.build(open_store(tmp_path / "s"), corpus)
    got = stored(tmp_path / "s")
    want = naive_placement(corpus)
    assert got == want
    assert report.quads == len(stated_quads(corpus))
    shared = Iris().graph("shared")
    assert any(q.endswith(f"<{shared}>") for q in got)  # the corpus has shared triples: the split did something
    assert any(q.startswith("_:ont") for q in got)  # the ontology's blank nodes keep their labels


def test_a_load_in_steps_gives_the_same_store(synthetic, tmp_path, monkeypatch):
    whole = tmp_path / "whole"
    pipeline.build(open_store(whole), synthetic)
    calls = []
    real = pyoxigraph.Store.bulk_load

    def counting(self, *args, **kwargs):
        calls.append(kwargs.get("path"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pyoxigraph.Store, "bulk_load", counting)
    monkeypatch.setenv("PLANKG_LOAD_CHUNK", "10000")
    steps = tmp_path / "steps"
    report = pipeline.build(open_store(steps), synthetic)
    assert len(calls) >= report.quads // 10000 >= 2
    assert open_store(steps).export("nquads") == open_store(whole).export("nquads")


def test_a_failure_in_the_middle_of_the_load_leaves_the_store(synthetic, tmp_path, monkeypatch):
    store = tmp_path / "s"
    pipeline.build(open_store(store), pipeline.bundled_corpus())
    before = open_store(store).export("nquads")
    real = pyoxigraph.Store.bulk_load
    calls = []

    def second_fails(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the first step is loaded into the new generation, then the disk is full
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pyoxigraph.Store, "bulk_load", second_fails)
    monkeypatch.setenv("PLANKG_LOAD_CHUNK", "10000")
    monkeypatch.setenv("PLANKG_SPILL_DIR", str(tmp_path))
    with pytest.raises(StoreError, match="nothing was changed"):
        pipeline.build(open_store(store), synthetic)
    assert len(calls) == 2
    assert open_store(store).export("nquads") == before
    assert sorted(p.name for p in store.iterdir()) == [".lock", ".readers", "CURRENT", "gen-000001"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("plankg-spill-")] == []


def test_a_bad_document_after_others_were_spilled_leaves_no_file(synthetic, tmp_path, monkeypatch):
    bad = tmp_path / "bad"
    shutil.copytree(synthetic, bad)
    docs = sorted((bad / "documents").glob("*.md"))
    shutil.copy(docs[0], bad / "documents" / "zz-duplicate.md")  # the same id again, read last
    monkeypatch.setenv("PLANKG_SPILL_DIR", str(tmp_path))
    spills = []
    real = Spill.put

    def put(self, data):
        spills.append(self.dir)
        return real(self, data)

    monkeypatch.setattr(Spill, "put", put)
    with pytest.raises(DocumentError, match="duplicate document id"):
        pipeline.build(open_store(tmp_path / "s"), bad)
    assert spills and not spills[0].exists()  # graphs were spilled, and the file went with the failure
    assert not (tmp_path / "s" / "CURRENT").exists()


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(value=TEXT, lang=st.sampled_from([None, "zh", "en-GB"]), blank=st.booleans())
@example(value='a\u2028b\x85c\rd\n"e\\', lang=None, blank=False)
def test_a_line_gives_back_the_key_of_its_quad(value, lang, blank):
    """The split reads keys off the spilled lines: each must be ``shared.key`` of its quad, whatever the literal."""
    s = BlankNode("b1") if blank else NamedNode("https://w3id.org/plankg/id/d/p1")
    q = Quad(s, NamedNode("http://example.org/p"), Literal(value, language=lang) if lang else Literal(value),
             NamedNode("https://w3id.org/plankg/graph/d"))
    (line,) = lines(nquads_bytes([q]).decode("utf-8"))
    assert line == f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n"  # the serializer writes str() of each term
    assert line_key(line) == key(q)
    assert list(pyoxigraph.parse(line.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)) == [q]


def test_spilled_graphs_give_what_they_were_given(tmp_path):
    iris = Iris()
    g = NamedNode(iris.graph("d"))
    own = [Quad(NamedNode(iris.doc("d") + "/p1"), NamedNode("http://example.org/p"), Literal('say "hi"\n', language="zh"), g),
           Quad(NamedNode(iris.doc("d")), NamedNode("http://example.org/title"), Literal("D"), g)]
    other = [Quad(NamedNode(iris.indicator("x")), NamedNode("http://example.org/name"), Literal("X"), g)]
    with Spill(tmp_path) as spill:
        packed = Packed.of(own + other, iris.doc("d"), iris.graph("d"))
        packed.spill(spill)
        assert sorted(map(str, packed)) == sorted(map(str, own + other)) and len(packed) == 3
        assert packed.candidates == [key(other[0])]
        listed = Listed(own + other + own[:1], spill)  # a quad twice: counted twice, as a list of quads counts it
        assert len(listed) == 4 and list(listed) == own + other + own[:1]
        listed.hold({key(own[0]): iris.graph("elsewhere")}, iris.graph("d"))
        assert len(listed) == 2 and list(listed) == own[1:] + other
        assert sorted(pyoxigraph.parse(listed.nquads(), format=pyoxigraph.RdfFormat.N_QUADS), key=str) == sorted(own[1:] + other, key=str)
        where = spill.dir
        assert where.parent == tmp_path and where.is_dir()
    assert not where.exists()


def test_known_subjects():
    iris = Iris()
    known = pipeline.Known(iris.id)
    known.add_document(iris.doc("syn-00001"), [iris.doc("syn-00001"), iris.doc("syn-00001") + "/p1/s2", iris.indicator("i")])
    known.add([iris.org("o")])
    for iri in (iris.doc("syn-00001"), iris.doc("syn-00001") + "/p1/s2", iris.indicator("i"), iris.org("o")):
        assert iri in known
    for iri in (iris.doc("syn-00001") + "/p1", iris.doc("syn-0000"), iris.doc("syn-000011"), iris.doc("syn-00001") + "/p1/s",
                iris.doc("syn-00002"), iris.indicator("j"), "http://example.org/x"):
        assert iri not in known


def test_a_new_spill_removes_those_of_builds_that_were_killed(tmp_path):
    import subprocess

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    dead, alive, other = tmp_path / "plankg-spill-dead", tmp_path / "plankg-spill-alive", tmp_path / "plankg-spill-other"
    for d, pid in ((dead, gone.stdout.strip()), (alive, str(os.getppid())), (other, None)):
        d.mkdir()
        (d / "graphs").write_bytes(b"x")
        if pid is not None:
            (d / "pid").write_text(pid)
    with Spill(tmp_path) as spill:
        assert not dead.exists()  # its process is gone
        assert alive.is_dir() and other.is_dir()  # a running build's, and one without a pid file: left alone
        assert (spill.dir / "pid").read_text() == str(os.getpid())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plankg-spill-alive", "plankg-spill-other"]


def test_the_keys_of_a_graphs_lines_are_cut_as_each_line_would_be():
    """keys_of cuts every line's graph part at once; tricky lines (the graph IRI as object or datatype, a literal
    holding the graph part's text) must give what line_key gives line by line, and text mixing graphs too."""
    g = "https://w3id.org/plankg/graph/d"
    s, p = NamedNode("https://w3id.org/plankg/id/d"), NamedNode("http://example.org/p")
    objects = [NamedNode(g), Literal("x", datatype=NamedNode(g)), Literal(f"ends <{g}> .\n and more"), BlankNode("b")]
    quads = [Quad(s, p, o, NamedNode(g)) for o in objects]
    text = nquads_bytes(quads).decode("utf-8")
    assert keys_of(text, g) == [line_key(line) for line in lines(text)] == [key(q) for q in quads]
    mixed = quads + [Quad(s, p, Literal("y"), NamedNode(g + "/other"))]
    text = nquads_bytes(mixed).decode("utf-8")
    assert keys_of(text, g) == [key(q) for q in mixed]  # not all in g: read line by line
    assert keys_of("", g) == []
