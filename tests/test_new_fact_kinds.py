"""The kinds of fact added for issue 16: an indicator whose Chinese name no source gives ({not found}, pk:nameKnown
false), one indicator in two tables of a document, a document's subject class, planning type, official pages and the
bodies that drafted it or coordinate it. Every text here is invented (fictional bodies, example.org addresses)."""

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode
from pyshacl import validate

from plankg.errors import DocumentError
from plankg.ingest.emit import document_quads
from plankg.ingest.parser import parse_file
from plankg.iris import Iris
from plankg.ontology import ONTOLOGY_PATH

ID = "https://w3id.org/plankg/id/"
PK = "https://w3id.org/plankg/ontology#"
SHAPES = Path(ONTOLOGY_PATH).with_name("shapes.ttl")

HEAD = """---
id: fixture-river-plan
type: FiveYearPlan
default: {mark: secondary, src: [S1]}
title:
  zh: {value: "澄州市河道整治“十四五”规划", mark: verified, src: [S1]}
period: {start: 2021, end: 2025, mark: verified, src: [S1]}
subject: {value: "城乡建设、环境保护\\\\水利", mark: secondary, src: [S2]}
planning_type: {value: 市级专项规划, mark: secondary, src: [S2]}
pages:
  - {url: "https://example.org/fixtures/river-plan/page.html", mark: secondary, src: [S2], note: "address from a record"}
bodies:
  - {role: drafted, id: fixture-water-bureau, mark: secondary, src: [S2]}
  - {role: coordinates, id: fixture-river-office, mark: secondary, src: [S1]}
sources:
  S1: {url: "https://example.org/fixtures/river-plan.html", title: "Fictional source", official: true}
  S2: {url: "https://example.org/fixtures/river-record.csv", title: "Fictional record", official: false}
---

一、规划背景
@indicators

| 指标 | 单位 | 2020年 |
| --- | --- | --- |
| 城市河道长度 {verified S1} | 公里 | 120 |
@id fixture-river-length
@en Length of urban rivers

二、主要目标

表 “十四五”河道整治主要指标

| 指标 | 单位 | 2020年 | 2025年 | 属性 |
| --- | --- | --- | --- | --- |
| 城市河道长度 {verified S1} | 公里 |  | 150 | 预期性 |
@id fixture-river-length
@en Length of urban rivers
| {not found} | % | 60 | 80 {secondary S2} | 预期性 |
@id fixture-clean-river-share
@en Share of rivers meeting the water-quality standard
"""


def write(tmp_path, text, name="fixture-river-plan.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def graph(quads):
    g = rdflib.Graph()
    g.parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads), format="nt")
    return g


def test_new_fields_are_read_and_attested(tmp_path):
    doc = parse_file(write(tmp_path, HEAD))
    m = doc.meta
    assert (m.subject.value, m.planning_type.value) == ("城乡建设、环境保护\\水利", "市级专项规划")
    assert [p.value for p in m.pages] == ["https://example.org/fixtures/river-plan/page.html"]
    assert [(r, s, p.mark) for r, s, p, _ in m.bodies] == [("drafted", "fixture-water-bureau", "secondary"),
                                                            ("coordinates", "fixture-river-office", "secondary")]
    quads = document_quads(doc, Iris())
    d = NamedNode(ID + "fixture-river-plan")
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    assert (d, NamedNode(PK + "draftedBy"), NamedNode(ID + "org/fixture-water-bureau")) in triples
    assert (d, NamedNode(PK + "coordinatedBy"), NamedNode(ID + "org/fixture-river-office")) in triples
    assert (d, NamedNode(PK + "planningType"), Literal("市级专项规划", language="zh")) in triples
    assert (d, NamedNode("http://purl.org/dc/terms/subject"), Literal("城乡建设、环境保护\\水利", language="zh")) in triples
    assert (d, NamedNode("http://xmlns.com/foaf/0.1/page"), NamedNode("https://example.org/fixtures/river-plan/page.html")) in triples
    # each is an attested fact: an rdf:Statement with its mark and source
    statements = {q.subject for q in quads if q.predicate.value.endswith("#object") and q.object == NamedNode(ID + "org/fixture-water-bureau")}
    assert len(statements) == 1
    s = statements.pop()
    assert (s, NamedNode(PK + "confidence"), NamedNode(PK + "secondary")) in triples


def test_an_indicator_without_a_chinese_name(tmp_path):
    doc = parse_file(write(tmp_path, HEAD))
    rows = {r.slug: r for t in doc.tables for r in t.rows}
    row = rows["fixture-clean-river-share"]
    assert (row.name_zh, row.name_en, row.unit) == (None, "Share of rivers meeting the water-quality standard", "%")
    quads = document_quads(doc, Iris())
    ind = NamedNode(ID + "indicator/fixture-clean-river-share")
    labels = {q.object for q in quads if q.subject == ind and q.predicate.value.endswith("prefLabel")}
    assert labels == {Literal("Share of rivers meeting the water-quality standard", language="en")}
    assert any(q.subject == ind and q.predicate.value == PK + "nameKnown" and q.object.value == "false" for q in quads)
    value_labels = {q.object.language for q in quads if q.subject.value.endswith("fixture-clean-river-share/target-2025")
                    and q.predicate.value.endswith("prefLabel")}
    assert value_labels == {"en"}  # no Chinese label made up from nothing
    # the shapes accept it, and refuse a Chinese name beside pk:nameKnown false
    g = graph(quads)
    conforms, _, report = validate(g, shacl_graph=str(SHAPES), ont_graph=str(ONTOLOGY_PATH), inference="none")
    assert conforms, report
    g.add((rdflib.URIRef(ind.value), rdflib.SKOS.prefLabel, rdflib.Literal("河道水质达标率", lang="zh")))
    conforms, _, report = validate(g, shacl_graph=str(SHAPES), ont_graph=str(ONTOLOGY_PATH), inference="none")
    assert not conforms and "pk:nameKnown false must not have" in report


def test_one_indicator_in_two_tables_of_a_document(tmp_path):
    doc = parse_file(write(tmp_path, HEAD))
    cells = [(c.role, c.year, str(c.value)) for t in doc.tables for r in t.rows if r.slug == "fixture-river-length" for c in r.cells]
    assert cells == [("baseline", 2020, "120"), ("target", 2025, "150")]
    document_quads(doc, Iris())  # no value is stated twice
    # under another name it is refused, and a second value for the same year is refused when the graph is written
    with pytest.raises(DocumentError, match="duplicate indicator"):
        parse_file(write(tmp_path, HEAD.replace("| 城市河道长度 {verified S1} | 公里 |  | 150", "| 城市河道总长 {verified S1} | 公里 |  | 150")))
    twice = parse_file(write(tmp_path, HEAD.replace("| 城市河道长度 {verified S1} | 公里 |  | 150", "| 城市河道长度 {verified S1} | 公里 | 121 | 150")))
    with pytest.raises(DocumentError, match="a second baseline value"):
        document_quads(twice, Iris())


@pytest.mark.parametrize("change, line, phrase", [
    (("@id fixture-clean-river-share\n", ""), 38, "needs an @id and an @en line"),
    (("@en Share of rivers meeting the water-quality standard\n", ""), 38, "needs an @id and an @en line"),
    (("| {not found} | % |", "|  | % |"), 38, "the row has no indicator name"),
    (("role: drafted,", "role: wrote,"), 12, "each body needs role (one of drafted, coordinates)"),
    (("https://example.org/fixtures/river-plan/page.html", "ftp://example.org/page"), 10, "page url 'ftp://example.org/page' is not an http(s) IRI"),
])
def test_bad_new_fields_name_their_line(tmp_path, change, line, phrase):
    old, new = change
    assert old in HEAD
    with pytest.raises(DocumentError) as exc:
        parse_file(write(tmp_path, HEAD.replace(old, new)))
    assert phrase in str(exc.value) and f":{line}:" in str(exc.value), str(exc.value)


def test_a_body_must_be_an_organisation_of_the_corpus(cli, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "documents").mkdir(parents=True)
    write(corpus / "documents", HEAD)
    (corpus / "organisations.yaml").write_text(
        'sources:\n  S1: {url: "https://example.org/fixtures/orgs.html", title: "Fictional list"}\n'
        "organisations:\n  - id: fixture-water-bureau\n    zh: {value: 澄州市水务局, mark: secondary, src: [S1]}\n", encoding="utf-8")
    result = cli("build", "--corpus", corpus, "--store", tmp_path / "store")
    assert result.exit_code == 1
    assert "fixture-river-plan.md:14: body 'fixture-river-office' is not in organisations.yaml" in result.output
