"""The Python API (plankg.open, KnowledgeGraph, Result): the CLI's answers and the CLI's errors, the bundled
corpus built on first use, bound SPARQL, one error wrapper in the CLI, and one version everywhere."""

from __future__ import annotations

import csv
import io
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

import plankg
from plankg.errors import BUG_EXIT_CODE, DocumentError, PlankgError, SparqlError, StoreError, ToolError, UsageError, \
    ValidationFailed
from plankg.iris import Iris
from plankg.queries.catalogue import get_query
from test_bad_catalogue import CASES, command

ROOT = Path(__file__).parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
GOAL = "plan-2021-2025/p2/s3"
FULLTEXT = Path(__file__).parent / "fixtures" / "fulltext" / "restart.md"


@pytest.fixture(scope="module")
def kg(corpus_store):
    return plankg.open(corpus_store, read_only=True)


def test_the_public_names():
    names: dict = {}
    exec("from plankg import *", names)
    assert set(plankg.__all__) <= set(names) and names["open"] is plankg.api.open
    assert plankg.__version__ == VERSION
    assert all(issubclass(getattr(plankg, n), PlankgError) for n in plankg.__all__ if n.endswith(("Error", "Failed")))
    with pytest.raises(AttributeError):
        plankg.no_such_name  # noqa: B018


def test_a_named_query_gives_the_rows_the_cli_prints(kg, cli, corpus_store, tmp_path):
    result = kg.query("goal-indicators", goal=GOAL)
    assert result.columns == [c for c, _ in get_query("goal-indicators").columns]
    assert len(result) == 15 and all(set(row) == set(result.columns) for row in result)
    first = result[0]
    assert first["label_en"] == "Value added of patent-intensive industries as share of GDP"
    assert (first["role"], first["year"], first["value"], first["unit"]) == ("baseline", "2019", Decimal("11.6"), "%")
    assert result.column("role").count("target") == len(result) - result.column("role").count("baseline")
    with pytest.raises(UsageError, match="no column 'nope'"):
        result.column("nope")
    args = ("query", "goal-indicators", "-p", f"goal={GOAL}", "--store", corpus_store.root)
    assert cli(*args, "-f", "json").stdout == result.to_json()
    assert cli(*args, "-f", "csv").stdout == result.to_csv()
    assert result.to_csv(tmp_path / "out.csv") == (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert list(csv.DictReader(io.StringIO(result.to_csv())))[0]["value"] == "11.6"
    assert "<th>label_zh</th>" in result._repr_html_() and "15 row(s)" in repr(result)
    # the IRI form of the parameter gives the same answer
    assert kg.query("goal-indicators", goal=f"https://w3id.org/plankg/id/{GOAL}") == result
    assert kg.query("goal-indicators", goal=kg.iri(GOAL)) == result
    history = kg.query("indicator-history", indicator="indicator/high-value-invention-patents-per-10k")
    assert len(history) > 0 and kg.query("indicator-history", indicator=kg.iri("indicator/high-value-invention-patents-per-10k")) == history


def test_to_pandas_and_its_error_without_pandas(kg, monkeypatch):
    result = kg.query("goal-indicators", goal=GOAL)
    frame = result.to_pandas()
    assert list(frame.columns) == result.columns and len(frame) == 15
    assert str(frame["value"].dtype) == "float64" and frame["value"].iloc[0] == 11.6
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails as if it were not installed
    with pytest.raises(ToolError) as caught:
        result.to_pandas()
    assert caught.value.exit_code == 2 and str(caught.value) == \
        "Result.to_pandas needs pandas, which is not installed — pip install pandas"


def test_the_bundled_corpus_is_built_on_first_use(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANKG_STORE", raising=False)
    kg = plankg.open()
    assert not (tmp_path / "data" / "store").exists()  # opening writes nothing
    assert len(kg.query("heading-tree", doc="outline-2021-2035")) == 37
    assert (tmp_path / "data" / "store" / "CURRENT").is_symlink()
    monkeypatch.setenv("PLANKG_STORE", str(tmp_path / "from-env"))
    assert plankg.open().count() == kg.count() and (tmp_path / "from-env" / "CURRENT").is_symlink()
    # read-only never builds: the CLI's error for a missing store
    with pytest.raises(StoreError) as caught:
        plankg.open(tmp_path / "none", read_only=True).query("heading-tree", doc="outline-2021-2035")
    assert str(caught.value) == f"no store at {tmp_path / 'none'} — run `plankg build` first (or pass --store)"
    assert not (tmp_path / "none").exists()
    # nor does autobuild=False, and a bad request fails before a first build
    assert len(plankg.open("memory:", autobuild=False).query("heading-tree", doc="outline-2021-2035")) == 0
    fresh = plankg.open(tmp_path / "fresh")
    with pytest.raises(UsageError):
        fresh.query("heading-tree", doc="Not An Id")
    with pytest.raises(DocumentError, match="skipped number"):
        fresh.ingest(Path(__file__).parent / "fixtures" / "bad" / "skipped_part.txt")
    assert not (tmp_path / "fresh").exists()


def test_sparql_with_bound_values(kg, cli, corpus_store):
    q = "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t FILTER(LANG(?t) = 'en') }"
    expected = ["National Plan for the Protection and Utilisation of Intellectual Property Rights During the 14th "
                "Five-Year Plan Period"]
    assert sorted({r["t"] for r in kg.sparql(q, d=kg.iri("plan-2021-2025"))}) == expected
    assert sorted({r["t"] for r in kg.sparql(q, d=rdflib.URIRef("https://w3id.org/plankg/id/plan-2021-2025"))}) == expected
    assert sorted({r["t"] for r in kg.sparql(q, d=NamedNode("https://w3id.org/plankg/id/plan-2021-2025"))}) == expected
    by_number = "SELECT ?d WHERE { ?d <https://w3id.org/plankg/ontology#documentNumber> ?n }"
    assert kg.sparql(by_number, n="国发〔2021〕20号").column("d") == ["https://w3id.org/plankg/id/plan-2021-2025"]
    assert kg.sparql(by_number, n=Literal("国发〔2021〕20号")).rows == kg.sparql(by_number, n="国发〔2021〕20号").rows
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/plankg/ontology#ordinal> ?o }"
    assert kg.sparql(count, o=1).rows[0]["n"] > 0 and kg.sparql(count, o="1").rows == [{"n": 0}]  # 1 an xsd:integer
    assert kg.sparql("ASK { ?s ?p ?o }").rows == [{"result": True}]
    construct = kg.sparql("CONSTRUCT { ?d a ?c } WHERE { ?d a ?c }", d=kg.iri("plan-2021-2025"))
    assert construct.columns == ["subject", "predicate", "object"] and len(construct) >= 1
    with pytest.raises(UsageError, match=r"binding x: the query has no variable \?x"):
        kg.sparql(q, x=1)
    with pytest.raises(UsageError, match="binding d: cannot bind a object"):
        kg.sparql(q, d=object())
    with pytest.raises(UsageError, match="iri: 'not an iri'"):
        kg.iri("not an iri")
    with pytest.raises(SparqlError) as caught:
        kg.sparql("SELEC ?x")
    assert cli("sparql", "SELEC ?x", "--store", corpus_store.root).stderr.strip() == f"error: {caught.value}"


def test_ingest_validate_export(tmp_path):
    kg = plankg.open("memory:")
    done = kg.ingest(FULLTEXT, doc_id="low-altitude-tourism", title_en="Guiding opinions on low-altitude tourism",
                     source_url="https://example.org/low-altitude")
    assert done.document == "low-altitude-tourism" and done.quads > 0 and done.warnings == []
    assert len(kg.query("heading-tree", doc="low-altitude-tourism")) == 4 + 10 + 3 + 1
    assert {r["node"] for r in kg.query("label-search", text="low-altitude")} == {
        "https://w3id.org/plankg/id/low-altitude-tourism", "https://w3id.org/plankg/id/low-altitude-tourism/values"}
    assert "outline-2021-2035" in kg.export().decode("utf-8")  # ingest on an empty store built the corpus first
    nquads = kg.export("nquads", tmp_path / "dump.nq")
    assert (tmp_path / "dump.nq").read_bytes() == nquads and nquads.splitlines() == sorted(nquads.splitlines())
    assert len(list(parse(kg.export("trig"), format=RdfFormat.TRIG))) == nquads.count(b"\n") == kg.count()
    with pytest.raises(UsageError, match="unknown export format 'xml'"):
        kg.export("xml")
    report = kg.validate(owl=False)
    assert report.ok and any(line.startswith("SHACL: conforms") for line in report.lines)
    # a failure raises ValidationFailed (exit code 1) with the report; strict=False returns it
    empty = plankg.open("memory:", autobuild=False)
    with pytest.raises(ValidationFailed) as caught:
        empty.validate(owl=False)
    assert caught.value.exit_code == 1 and "the store is empty" in str(caught.value)
    assert caught.value.report.lines == empty.validate(owl=False, strict=False).lines
    # build: the report, and a bad corpus leaves the store as it was
    assert kg.build().documents[0] == "action-plan-2014-2020" and "low-altitude-tourism" not in kg.export().decode()
    before = kg.export()
    with pytest.raises(DocumentError) as caught:
        kg.build(tmp_path / "no-corpus")
    assert caught.value.exit_code == 1 and str(tmp_path / "no-corpus" / "documents") in str(caught.value)
    assert kg.export() == before


API_CASES = [c for c in CASES if c["args"].endswith("--store {store}") and (c["args"].split()[0] in ("ingest", "build") or
             (c["args"].startswith("query") and " -p doc " not in c["args"] + " "))]


@pytest.mark.parametrize("case", API_CASES, ids=[c["case"] for c in API_CASES])
def test_bad_inputs_raise_the_clis_errors(case, tmp_path, api_store):
    """The bad-input catalogue through the API: the same exit code, file:line and phrase; the store unchanged."""
    kg, before = api_store
    args, named = command(case, Path("unused"), tmp_path)
    verb, rest = args[0], args[1:rest_end(args)]
    with pytest.raises(PlankgError) as caught:
        if verb == "ingest":
            kg.ingest(rest[0], doc_id=rest[rest.index("--id") + 1] if "--id" in rest else None,
                      source_url=rest[rest.index("--source-url") + 1] if "--source-url" in rest else None)
        elif verb == "build":
            kg.build(rest[rest.index("--corpus") + 1])
        else:
            params = dict(rest[i + 1].split("=", 1) for i, a in enumerate(rest) if a == "-p")
            kg.query(rest[0], **params)
    exc = caught.value
    assert exc.exit_code == int(case["exit"]) and "\n" not in str(exc)
    if named is not None:
        assert (f"{named}:{case['line']}: " if case["line"] else f"{named}: ") in str(exc)
    assert case["phrase"] in str(exc)
    assert kg.export() == before


def rest_end(args: list[str]) -> int:
    return args.index("--store") if "--store" in args else len(args)


@pytest.fixture(scope="module")
def api_store(tmp_path_factory):
    kg = plankg.open(tmp_path_factory.mktemp("api") / "store")
    kg.build()
    return kg, kg.export()


# -- the CLI's one error wrapper ---------------------------------------------------------------------------------
def test_an_unexpected_error_asks_for_a_bug_report(cli, corpus_store, monkeypatch):
    def broken(self, fmt="nquads", path=None):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(plankg.api.KnowledgeGraph, "export", broken)
    monkeypatch.delenv("PLANKG_DEBUG", raising=False)
    r = cli("export", "--store", corpus_store.root)
    assert r.exit_code == BUG_EXIT_CODE == 70
    assert r.stderr.splitlines() == [f"error: unexpected RuntimeError: boom — this is a bug in plankg {VERSION}: please "
                                     "report it with the command you ran (PLANKG_DEBUG=1 shows the traceback)"]
    monkeypatch.setenv("PLANKG_DEBUG", "1")
    r = cli("export", "--store", corpus_store.root)
    assert isinstance(r.exception, RuntimeError) and r.stderr == ""


def test_a_plankg_error_keeps_its_line_and_exit_code(cli, tmp_path):
    r = cli("query", "heading-tree", "-p", "doc=outline-2021-2035", "--store", tmp_path / "none")
    assert r.exit_code == 2 and r.stderr == f"error: no store at {tmp_path / 'none'} — run `plankg build` first (or pass --store)\n"
    r = cli("query", "heading-tree", "-p", "doc", "--store", tmp_path / "none")  # a CLI-only check, through the same wrapper
    assert r.exit_code == 2 and r.stderr == "error: --param 'doc' is not k=v\n"


# -- one version -------------------------------------------------------------------------------------------------
def test_one_version_for_the_cli_void_the_service_description_and_openapi(cli, corpus_store):
    from plankg.publish.openapi import openapi
    from plankg.publish.void import dataset_info, service_triples, void_triples

    assert cli("--version").stdout == f"plankg {VERSION}\n"
    info = dataset_info(corpus_store, Iris())
    assert info.version == f"{VERSION}+{info.digest[:12]}"
    void = {(t.predicate.value, t.object) for t in void_triples(info, "http://example.org/", "http://example.org/sparql")}
    assert ("http://www.w3.org/ns/dcat#version", Literal(info.version)) in void
    sd = {(t.predicate.value, t.object) for t in service_triples(info, "http://example.org/sparql", {})}
    assert ("http://www.w3.org/2002/07/owl#versionInfo", Literal(VERSION)) in sd
    assert openapi()["info"]["version"] == VERSION
