"""`plankg validate`: SHACL (pyshacl) and OWL consistency (HermiT via owlready2), run for real; exit codes 0/1/2."""

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from plankg.graph_store import open_store
from plankg.vocab import PK, RDF

FIXTURES = Path(__file__).parent / "fixtures"


def test_bundled_corpus_is_valid(cli, corpus_store):
    r = cli("validate", "--store", corpus_store.root)
    assert r.exit_code == 0, r.stderr
    assert "SHACL: conforms" in r.stderr
    assert "OWL (HermiT): consistent" in r.stderr


def test_shacl_failure_exits_1(cli, fresh_store):
    # a text with no title line: the graph may not invent one, so the document has no label
    assert cli("ingest", FIXTURES / "fulltext" / "bom.txt", "--store", fresh_store).exit_code == 0
    r = cli("validate", "--skip-owl", "--store", fresh_store)
    assert r.exit_code == 1
    assert "SHACL:" in r.stderr and "https://w3id.org/plankg/id/bom " in r.stderr
    # with a title given on the command line it conforms
    assert cli("ingest", FIXTURES / "fulltext" / "bom.txt", "--title-zh", "养老服务工作要点", "--title-en", "Elderly-care work points",
               "--store", fresh_store).exit_code == 0
    r = cli("validate", "--skip-owl", "--store", fresh_store)
    assert r.exit_code == 0, r.stderr


def test_owl_inconsistency_exits_1(cli, fresh_store):
    store = open_store(fresh_store)
    g = NamedNode("https://w3id.org/plankg/graph/broken")
    node = NamedNode("https://w3id.org/plankg/id/plan-2021-2025/p3")
    # a part that is also a section: pk:Part and pk:Section are disjoint
    store.replace_graphs({g.value: [Quad(node, RDF.type, PK.Section, g)]})
    r = cli("validate", "--store", fresh_store)
    assert r.exit_code == 1
    assert "OWL (HermiT)" in r.stderr and "inconsistent" in r.stderr.lower()


def test_missing_java_exits_2(cli, corpus_store, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    r = cli("validate", "--store", corpus_store.root)
    assert r.exit_code == 2
    assert "Java" in r.stderr and "\n" not in r.stderr.strip()


def test_empty_store_fails(cli, tmp_path):
    r = cli("validate", "--store", tmp_path / "none")
    assert r.exit_code == 2 and "no store at" in r.stderr
