"""Tests of the plankg ontology, its SHACL shapes, the HermiT check and the HTML page.

The instance data are small hand-written samples in the shape corpus/FORMAT.md
describes; each faulty sample changes one thing in the valid one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV

from plankg.ontology import ONTOLOGY_IRI, ONTOLOGY_PATH, PK, SHAPES_PATH
from plankg.ontology.page import render_ontology_page, write_ontology_page
from plankg.ontology.profile import check_dl_profile
from plankg.ontology.reasoning import (
    OWL2_DATATYPES,
    ReasonerUnavailable,
    check_consistency,
)

PKNS = Namespace(PK)
EX = Namespace("http://example.org/plankg/")
SH = Namespace("http://www.w3.org/ns/shacl#")
README_PATH = Path(ONTOLOGY_PATH).with_name("README.md")

PREFIXES = """
@prefix pk: <https://w3id.org/plankg/ontology#> .
@prefix ex: <http://example.org/plankg/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
"""

# A document with a part, a section whose heading is not known, a bullet, an
# indicator table, one indicator value, an attestation and a stated count.
VALID_TTL = PREFIXES + """
ex:plan a pk:FiveYearPlan ;
  skos:prefLabel "“十四五”国家知识产权保护和运用规划"@zh , "National IP Protection and Use Plan"@en ;
  rdfs:label "“十四五”国家知识产权保护和运用规划"@zh , "National IP Protection and Use Plan"@en ;
  dcterms:title "“十四五”国家知识产权保护和运用规划"@zh ;
  pk:issuedBy ex:state-council ; pk:documentNumber "国发〔2021〕20号" ;
  pk:dateSigned "2021-10-09"^^xsd:date ; pk:datePublished "2021-10-28"^^xsd:date ;
  pk:periodStart "2021"^^xsd:gYear ; pk:periodEnd "2025"^^xsd:gYear ;
  pk:basedOn ex:outline ; pk:statedCount ex:plan-count ; dcterms:hasPart ex:p1 .
ex:outline a pk:Outline ;
  skos:prefLabel "知识产权强国建设纲要（2021－2035年）"@zh ;
  rdfs:label "知识产权强国建设纲要（2021－2035年）"@zh ;
  dcterms:title "知识产权强国建设纲要（2021－2035年）"@zh .
ex:state-council a org:Organization ; skos:prefLabel "国务院"@zh , "State Council"@en .
ex:S1 a pk:Source ; foaf:page <https://www.gov.cn/zhengce/content/example.htm> .
ex:S2 a pk:Source ; dcterms:title "One-page English summary" .

ex:plan-count a pk:StatedCount ; pk:countOf pk:Indicator ; rdf:value 8 ;
  pk:confidence pk:verified ; prov:wasDerivedFrom ex:S1 .

ex:p1 a pk:Part , pk:Goal ; pk:inDocument ex:plan ; dcterms:isPartOf ex:plan ;
  pk:number "一、" ; pk:ordinal 1 ; pk:position 1 ;
  pk:confidence pk:secondary ; pk:numberConfidence pk:recalled ; prov:wasDerivedFrom ex:S1 , ex:S2 ;
  skos:prefLabel "发展目标"@zh , "Development goals"@en ;
  rdfs:label "发展目标"@zh , "Development goals"@en ;
  dcterms:hasPart ex:s1 , ex:b1 , ex:t1 .
ex:s1 a pk:Section ; pk:inDocument ex:plan ; dcterms:isPartOf ex:p1 ;
  pk:number "（一）" ; pk:ordinal 1 ; pk:position 2 ; pk:headingKnown false ;
  pk:confidence pk:recalled ; prov:wasDerivedFrom ex:S2 ;
  skos:prefLabel "Section one (heading not known)"@en ; rdfs:label "Section one (heading not known)"@en ;
  pk:supports ex:p1 .
ex:b1 a pk:Bullet , pk:Goal ; pk:inDocument ex:plan ; dcterms:isPartOf ex:p1 ; pk:position 3 ;
  pk:confidence pk:verified ; prov:wasDerivedFrom ex:S1 ;
  skos:prefLabel "法治保障，严格保护"@zh , "Rule of law, strict protection"@en ;
  rdfs:label "法治保障，严格保护"@zh , "Rule of law, strict protection"@en .
ex:t1 a pk:IndicatorTable ; pk:inDocument ex:plan ; dcterms:isPartOf ex:p1 ; pk:position 4 ;
  pk:confidence pk:secondary ; prov:wasDerivedFrom ex:S1 ;
  skos:prefLabel "“十四五”时期知识产权发展主要指标"@zh , "Main indicators"@en ;
  rdfs:label "“十四五”时期知识产权发展主要指标"@zh , "Main indicators"@en .

ex:ind a pk:Indicator ; skos:prefLabel "每万人口高价值发明专利拥有量"@zh ,
    "High-value invention patents owned per 10,000 population"@en ;
  pk:measures ex:p1 ; pk:hasValue ex:v2020 .
ex:v2020 a pk:IndicatorValue ; pk:indicator ex:ind ; pk:valueRole pk:baseline ;
  pk:refYear "2020"^^xsd:gYear ; pk:value "6.3"^^xsd:decimal ; pk:unit "件"@zh ;
  pk:attribute pk:anticipatory ; pk:uncertain false ;
  pk:confidence pk:secondary ; prov:wasDerivedFrom ex:S2 ; pk:statedIn ex:t1 .

ex:att1 a pk:Attestation , rdf:Statement ;
  rdf:subject ex:plan ; rdf:predicate dcterms:title ;
  rdf:object "“十四五”国家知识产权保护和运用规划"@zh ;
  pk:confidence pk:verified ; prov:wasDerivedFrom ex:S1 .
ex:att2 a pk:Attestation , rdf:Statement ;
  rdf:subject ex:plan ; rdf:predicate pk:basedOn ; rdf:object ex:outline ;
  pk:confidence pk:verified ; prov:wasDerivedFrom ex:S1 .
"""


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH)


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_PATH)


def valid_data() -> rdflib.Graph:
    return rdflib.Graph().parse(data=VALID_TTL, format="turtle")


def pk_terms(graph: rdflib.Graph) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(PK)}


def validate(data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph):
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    results = [
        (report.value(r, SH.focusNode), str(report.value(r, SH.resultMessage)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return conforms, results


# --------------------------------------------------------------------------- the ontology

def test_package_constants() -> None:
    assert Path(ONTOLOGY_PATH).is_file() and Path(SHAPES_PATH).is_file()
    assert PK == "https://w3id.org/plankg/ontology#"
    assert ONTOLOGY_IRI == "https://w3id.org/plankg/ontology"


def test_ontology_header(ontology: rdflib.Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) == Literal("0.1.0")
    assert (onto, DCTERMS.license, URIRef("https://www.apache.org/licenses/LICENSE-2.0")) in ontology
    assert ontology.value(onto, DCTERMS.created) == Literal("2026-11-25", datatype=XSD.date)
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {o.language for o in ontology.objects(onto, predicate)} >= {"en", "zh"}


def test_every_term_is_labelled_and_defined_in_both_languages(ontology: rdflib.Graph) -> None:
    terms = pk_terms(ontology)
    assert len(terms) >= 60
    missing = []
    for term in sorted(terms):
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.definition):
            langs = {o.language for o in ontology.objects(term, predicate) if isinstance(o, Literal)}
            missing += [f"{term} {predicate} @{lang}" for lang in ("en", "zh") if lang not in langs]
        zh = [o for o in ontology.objects(term, SKOS.definition) if getattr(o, "language", None) == "zh"]
        if zh and not re.search(r"[\u4e00-\u9fff]", str(zh[0])):
            missing.append(f"{term}: zh definition has no Chinese characters")
    assert not missing, "\n".join(missing)


def test_every_pk_iri_used_is_defined(ontology: rdflib.Graph) -> None:
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(PK)}
    assert used <= pk_terms(ontology), sorted(used - pk_terms(ontology))


def test_every_readme_term_exists(ontology: rdflib.Graph) -> None:
    readme = README_PATH.read_text(encoding="utf-8")
    named = set(re.findall(r"\bpk:([A-Za-z][A-Za-z0-9_]*)", readme))
    assert {"PolicyDocument", "Division", "IndicatorValue", "supports", "verified"} <= named
    missing = sorted(n for n in named if PKNS[n] not in pk_terms(ontology))
    assert not missing, f"in README.md but not in plankg.ttl: {missing}"


def test_owl2_dl_hygiene(ontology: rdflib.Graph) -> None:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for prop in {s for k in kinds for s in ontology.subjects(RDF.type, k)}:
        declared = [k for k in kinds if (prop, RDF.type, k) in ontology]
        assert len(declared) == 1, f"{prop} is declared as {declared}"
    reserved = (str(RDF), str(RDFS), str(XSD), str(OWL))
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        assert not str(sup).startswith(reserved), f"{sub} is a subclass of reserved {sup}"
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in ontology.objects(prop, RDFS.range):
            assert str(rng) in OWL2_DATATYPES, f"{prop} range {rng} is not in the OWL 2 datatype map"
    used_as_classes = {o for o in ontology.objects(None, RDFS.subClassOf) if isinstance(o, URIRef)}
    used_as_classes |= {o for o in ontology.objects(None, RDFS.domain) if isinstance(o, URIRef)}
    for cls in used_as_classes:
        assert (cls, RDF.type, OWL.Class) in ontology, f"{cls} is used as a class but not declared"


def test_modelling_decisions(ontology: rdflib.Graph) -> None:
    assert (PKNS.supports, RDF.type, OWL.TransitiveProperty) not in ontology
    assert ontology.value(PKNS.supports, RDFS.domain) is None
    assert ontology.value(PKNS.supports, RDFS.range) is None
    assert ontology.value(PKNS.measures, RDFS.domain) == PKNS.Indicator
    assert ontology.value(PKNS.measures, RDFS.range) == PKNS.Goal
    assert (PKNS.IndicatorValue, RDFS.subClassOf, URIRef("http://purl.org/linked-data/cube#Observation")) in ontology
    disjoint = [Collection(ontology, ontology.value(b, OWL.members))
                for b in ontology.subjects(RDF.type, OWL.AllDisjointClasses)]
    levels = {PKNS[n] for n in ("Part", "Section", "Item", "SubItem", "Bullet", "Box", "IndicatorTable", "Book", "Chapter", "ChapterSection", "Paragraph")}
    assert any(set(members) == levels for members in disjoint)
    different = [set(Collection(ontology, ontology.value(b, OWL.distinctMembers)))
                 for b in ontology.subjects(RDF.type, OWL.AllDifferent)]
    assert {PKNS.verified, PKNS.secondary, PKNS.recalled} in different
    for concept, cls, scheme in [(PKNS.verified, PKNS.ConfidenceMark, PKNS.ConfidenceScheme),
                                 (PKNS.target, PKNS.ValueRole, PKNS.ValueRoleScheme),
                                 (PKNS.binding, PKNS.IndicatorAttribute, PKNS.AttributeScheme)]:
        assert {(concept, RDF.type, SKOS.Concept), (concept, RDF.type, cls),
                (concept, SKOS.inScheme, scheme)} <= set(ontology)
    assert Literal("约束性", lang="zh") in set(ontology.objects(PKNS.binding, SKOS.prefLabel))
    assert Literal("预期性", lang="zh") in set(ontology.objects(PKNS.anticipatory, SKOS.prefLabel))


# --------------------------------------------------------------------------- HermiT

def test_hermit_finds_the_ontology_consistent() -> None:
    result = check_consistency(ONTOLOGY_PATH)
    assert result.ok, result.message
    assert result.inconsistent_classes == []


def test_hermit_accepts_valid_data_with_years_and_dates(tmp_path: Path) -> None:
    data_path = tmp_path / "data.nt"
    valid_data().serialize(data_path, format="nt", encoding="utf-8")
    result = check_consistency(ONTOLOGY_PATH, data_path)
    assert result.ok, result.message
    assert "left out" in result.message  # the xsd:gYear / xsd:date literals


def test_hermit_finds_inconsistent_data() -> None:
    data = valid_data()
    data.add((EX.p1, RDF.type, PKNS.Section))  # a part cannot also be a section
    result = check_consistency(ONTOLOGY_PATH, data)
    assert not result.ok
    assert "inconsistent" in result.message


def test_hermit_finds_a_functional_property_clash() -> None:
    data = valid_data()
    data.add((EX.v2020, PKNS.value, Literal("7.1", datatype=XSD.decimal)))
    assert not check_consistency(ONTOLOGY_PATH, data).ok


def test_hermit_reports_unsatisfiable_classes() -> None:
    data = rdflib.Graph()
    weird = EX.PartAndSection
    data.add((weird, RDF.type, OWL.Class))
    data.add((weird, RDFS.subClassOf, PKNS.Part))
    data.add((weird, RDFS.subClassOf, PKNS.Section))
    result = check_consistency(ONTOLOGY_PATH, data)
    assert not result.ok
    assert result.inconsistent_classes == [str(weird)]


def test_missing_java_is_a_clear_error() -> None:
    with pytest.raises(ReasonerUnavailable, match="default-jre-headless"):
        check_consistency(ONTOLOGY_PATH, java="/nonexistent/bin/java")


# --------------------------------------------------------------------------- SHACL

def test_shapes_have_messages(shapes: rdflib.Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.objects(None, SH.property))
    assert node_shapes and property_shapes
    for shape in node_shapes | property_shapes:
        assert shapes.value(shape, SH.message) is not None, shape


def test_shapes_pass_valid_data(shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    conforms, results = validate(valid_data(), shapes, ontology)
    assert conforms, results


def test_shapes_catch_a_missing_chinese_label(shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    data = valid_data()
    data.remove((EX.b1, SKOS.prefLabel, Literal("法治保障，严格保护", lang="zh")))
    data.remove((EX.plan, SKOS.prefLabel, Literal("“十四五”国家知识产权保护和运用规划", lang="zh")))
    conforms, results = validate(data, shapes, ontology)
    assert not conforms
    assert any(f == EX.b1 and "Chinese (@zh)" in m for f, m in results), results
    assert any(f == EX.plan and "Chinese (@zh)" in m for f, m in results), results


def test_shapes_catch_a_chinese_label_on_an_unknown_heading(
        shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    data = valid_data()
    data.add((EX.s1, SKOS.prefLabel, Literal("知识产权保护", lang="zh")))
    conforms, results = validate(data, shapes, ontology)
    assert not conforms
    assert any(f == EX.s1 and "headingKnown false must not" in m for f, m in results), results


def test_shapes_catch_a_wrong_confidence_value(shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    data = valid_data()
    data.set((EX.v2020, PKNS.confidence, PKNS.probably))
    conforms, results = validate(data, shapes, ontology)
    assert not conforms
    assert any(f == EX.v2020 and "pk:confidence" in m for f, m in results), results


def test_shapes_catch_a_division_with_two_parents(shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    data = valid_data()
    data.add((EX.b1, DCTERMS.isPartOf, EX.s1))
    conforms, results = validate(data, shapes, ontology)
    assert not conforms
    assert any(f == EX.b1 and "exactly one parent" in m for f, m in results), results


def test_shapes_catch_a_bad_indicator_value(shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    data = valid_data()
    data.set((EX.v2020, PKNS.refYear, Literal("2020", datatype=XSD.integer)))
    data.remove((EX.v2020, PROV.wasDerivedFrom, None))
    conforms, results = validate(data, shapes, ontology)
    messages = [m for f, m in results if f == EX.v2020]
    assert not conforms
    assert any("pk:refYear" in m for m in messages) and any("source" in m for m in messages), messages


# --------------------------------------------------------------------------- HTML page

def test_page_is_written_in_both_languages(tmp_path: Path) -> None:
    out = write_ontology_page(tmp_path / "docs" / "ontology.html")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "policy document" in text and "政策文件" in text
    assert "约束性" in text and 'id="IndicatorValue"' in text


def test_page_escapes_markup(ontology: rdflib.Graph) -> None:
    graph = rdflib.Graph()
    for triple in ontology:
        graph.add(triple)
    graph.add((PKNS.Plan, SKOS.definition, Literal("<script>alert('x')</script> & more", lang="en")))
    text = render_ontology_page(graph)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in text


# --------------------------------------------------------------------------- OWL 2 DL profile

def test_ontology_is_in_the_owl2_dl_profile(tmp_path: Path) -> None:
    # needs a JDK (javac); .ci/run installs one. No skip: a missing JDK fails here.
    assert shutil.which("javac"), "the OWL API profile check needs a JDK: apt-get install default-jdk-headless"
    assert check_dl_profile(ONTOLOGY_PATH) == []
    bad = tmp_path / "bad.ttl"
    bad.write_text(Path(ONTOLOGY_PATH).read_text(encoding="utf-8") + """
pk:Attestation rdfs:subClassOf rdf:Statement .
""", encoding="utf-8")
    assert any("reserved vocabulary" in v for v in check_dl_profile(bad))
