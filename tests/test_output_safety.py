"""What the data holds never acts on the reader's terminal or breaks an XML answer."""

from __future__ import annotations

import xml.dom.minidom

import pytest
from starlette.testclient import TestClient

from plankg.publish.app import create_app
from plankg.publish.config import PublishConfig

TEXT = "城州市知识产权示范规划\n\n一、总体要求[/x]\n\n（一）指导思想[link=https://e.example/]点[/link]\n\n坚持示范引领。\n"


def test_markup_in_a_heading_is_shown_as_text(fresh_store, cli, tmp_path):
    f = tmp_path / "markup.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = cli("ingest", f, "--id", "markup-plan", "--store", fresh_store)
    assert r.exit_code == 0, r.output
    r = cli("query", "heading-tree", "-p", "doc=markup-plan", "--store", fresh_store)
    assert r.exit_code == 0, r.output
    assert "总体要求[/x]" in r.stdout
    assert "[link=https://e.example/]点[/link]" in r.stdout


def test_control_characters_are_escaped_in_a_table(corpus_store, cli):
    q = 'SELECT ?x WHERE { BIND("a\\u001b]8;;http://e.example/\\u0007b\\u202ec\\u009b" AS ?x) }'
    r = cli("sparql", q, "--store", corpus_store.root)
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u202e" not in r.stdout and "\x9b" not in r.stdout
    assert "\\u001b]8;;http://e.example/\\u0007b\\u202ec\\u009b" in r.stdout


def test_csv_to_a_file_keeps_the_data_exact(corpus_store, cli):
    q = 'SELECT ?x WHERE { BIND("a\\u202eb" AS ?x) }'
    r = cli("sparql", q, "-f", "csv", "--store", corpus_store.root)
    assert r.exit_code == 0 and "a\u202eb" in r.stdout  # not a terminal: the value as it is


@pytest.fixture(scope="module")
def client(corpus_store):
    app = create_app(corpus_store, config=PublishConfig(workers=1))
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("char", ["\\u0000", "\\u001b", "\\uFFFE"])
def test_xml_results_are_well_formed_or_refused(client, char):
    q = f'SELECT ?x WHERE {{ BIND("a{char}b" AS ?x) }}'
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 406, r.text
    assert "XML 1.0 cannot carry" in r.text and "JSON" in r.text
    ok = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert ok.status_code == 200


def test_rdfxml_of_a_construct_is_well_formed_or_refused(client):
    q = 'CONSTRUCT { <urn:a> <urn:b> ?x } WHERE { BIND("a\\u0001b" AS ?x) }'
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 406, r.text
    fine = client.get("/sparql", params={"query": 'CONSTRUCT { <urn:a> <urn:b> "ab" } WHERE {}'},
                      headers={"Accept": "application/rdf+xml"})
    assert fine.status_code == 200
    xml.dom.minidom.parseString(fine.content)


def _huge_rows_query(rows: int, doublings: int) -> str:
    """``rows`` answers, each a literal of 2**doublings characters, computed by the engine (no big request)."""
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(doublings))
    values = " ".join(str(i) for i in range(rows))
    return f'SELECT ?i ?a{doublings} WHERE {{ VALUES ?i {{ {values} }} BIND("x" AS ?a0) {binds} }}'


def test_the_row_cap_caps_characters_too(corpus_store):
    from plankg.publish.worker import execute

    q = _huge_rows_query(300, 20)  # 300 rows of 1 Mi characters
    out = execute(corpus_store, q, max_rows=10_000, max_chars=4 * 1024 * 1024)
    assert out.truncated and 1 <= len(out.rows) <= 4


def test_endpoint_answers_huge_rows_within_the_character_cap(corpus_store):
    app = create_app(corpus_store, config=PublishConfig(workers=1, max_result_chars=2 * 1024 * 1024))
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": _huge_rows_query(300, 20)},
                  headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert r.headers["X-Plankg-Truncated"] == "true"
    assert len(r.content) < 3 * 1024 * 1024
