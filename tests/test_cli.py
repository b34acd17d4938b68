"""The plankg command, end to end through its CLI."""

import csv
import io
import json
import re

import rdflib


def test_build_query_export_cycle(cli, tmp_path):
    store = tmp_path / "s"
    r = cli("build", "--store", store)
    assert r.exit_code == 0, r.output
    assert re.search(r"built 14 document\(s\) \(action-plan-2014-2020, .*outline-2021-2035, .*plan-2021-2025, .*\), 8 mapping set\(s\)", r.stderr)
    assert "warning" not in r.stderr
    r = cli("query", "shared-indicators", "--format", "json", "--store", store)
    rows = json.loads(r.stdout)
    assert sorted(row["target_b"] for row in rows) == [7.5, 12, 13, 3500]
    r = cli("query", "heading-tree", "-p", "doc=outline-2021-2035", "--format", "csv", "--store", store)
    table = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(table) == 37 and table[0]["label_zh"] == "战略背景"
    r = cli("query", "label-search", "-p", "text=保护", "--store", store)
    assert r.exit_code == 0 and "row(s)" in r.stderr


def test_sparql_select_ask_construct(cli, corpus_store):
    store = corpus_store.root
    query = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a <https://w3id.org/plankg/ontology#Part> } "
             "FILTER(?g IN (<https://w3id.org/plankg/graph/outline-2021-2035>, <https://w3id.org/plankg/graph/plan-2021-2025>)) }")
    r = cli("sparql", query, "-f", "json", "--store", store)
    assert json.loads(r.stdout) == [{"n": 9 + 8}]
    r = cli("sparql", "ASK { ?s <https://w3id.org/plankg/ontology#documentNumber> \"国发〔2021〕20号\" }", "-f", "csv", "--store", store)
    assert r.stdout.splitlines() == ["result", "True"]
    r = cli("sparql", "-", "-f", "json", "--store", store,
            input="CONSTRUCT { ?d <http://purl.org/dc/terms/title> ?t } WHERE { GRAPH <https://w3id.org/plankg/graph/outline-2021-2035> "
                  "{ ?d a <https://w3id.org/plankg/ontology#Outline> ; <http://purl.org/dc/terms/title> ?t FILTER(LANG(?t)='zh') } }")
    assert [t["object"] for t in json.loads(r.stdout)] == ["知识产权强国建设纲要（2021－2035年）"]


def test_export_formats(cli, corpus_store, tmp_path):
    for fmt, parser in (("nquads", "nquads"), ("trig", "trig"), ("turtle", "turtle"), ("jsonld", "json-ld")):
        out = tmp_path / f"dump.{fmt}"
        r = cli("export", "--format", fmt, "--output", out, "--store", corpus_store.root)
        assert r.exit_code == 0, r.output
        g = rdflib.Dataset() if fmt != "turtle" else rdflib.Graph()
        g.parse(out, format=parser)
        assert len(list(g.quads((None, None, None, None)) if fmt != "turtle" else g)) > 3000


def test_ingest_full_text_with_options(cli, fresh_store, tmp_path):
    from pathlib import Path

    text = Path(__file__).parent / "fixtures" / "fulltext" / "restart.md"
    r = cli("ingest", text, "--id", "low-altitude-tourism", "--title-en", "Guiding opinions on low-altitude tourism",
            "--source-url", "https://example.org/low-altitude", "--store", fresh_store)
    assert r.exit_code == 0, r.output
    r = cli("query", "label-search", "-p", "text=low-altitude", "-f", "json", "--store", fresh_store)
    assert {row["node"] for row in json.loads(r.stdout)} == {
        "https://w3id.org/plankg/id/low-altitude-tourism", "https://w3id.org/plankg/id/low-altitude-tourism/values"}
    r = cli("query", "heading-tree", "-p", "doc=low-altitude-tourism", "-f", "json", "--store", fresh_store)
    assert len(json.loads(r.stdout)) == 4 + 10 + 3 + 1


def test_queries_lists_the_catalogue(cli):
    r = cli("queries")
    for name in ("heading-tree", "goal-supporters", "goal-indicators", "unsupported-sections", "shared-indicators", "label-search", "provenance"):
        assert name in r.stdout


def test_base_iri_is_configurable(cli, tmp_path):
    store = tmp_path / "s"
    assert cli("build", "--store", store, "--base", "http://data.example.org/ip/").exit_code == 0
    r = cli("query", "heading-tree", "-p", "doc=plan-2021-2025", "-f", "json", "--store", store, "--base", "http://data.example.org/ip/")
    assert json.loads(r.stdout)[0]["node"] == "http://data.example.org/ip/id/plan-2021-2025/p1"
    r = cli("build", "--store", store, "--base", "not an iri")
    assert r.exit_code == 2 and "--base" in r.stderr
