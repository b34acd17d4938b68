"""The audit's corrections of 2026-12-03 (../shared/reference/additions-2026-12-03.md, section 0): one test each.

Each test states what the sources support, so each failed on the corpus as it was before the correction.
"""

from pathlib import Path

import pytest
import yaml
from pyoxigraph import NamedNode

from plankg.ingest.mappings import read_mapping_set
from plankg.ingest.parser import parse_file
from plankg.pipeline import bundled_corpus
from plankg.queries.run import run_named

CORPUS = bundled_corpus()
DOCS = CORPUS / "documents"
ID = "https://w3id.org/plankg/id/"
PK = "https://w3id.org/plankg/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@pytest.fixture(scope="module")
def orgs():
    return yaml.safe_load((CORPUS / "organisations.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def quads(corpus_store):
    return list(corpus_store.quads())


def doc(doc_id):
    return parse_file(DOCS / f"{doc_id}.md")


def attestations(quads, s, p, o=None):
    """The pk:Attestation records of the triple (s, p, o), as {record: {predicate: [objects]}}."""
    recs: dict = {}
    for q in quads:
        recs.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    return {r: v for r, v in recs.items()
            if NamedNode(PK + "Attestation") in v.get(RDF + "type", []) and v.get(RDF + "subject") == [NamedNode(s)]
            and v.get(RDF + "predicate") == [NamedNode(p)] and (o is None or v.get(RDF + "object") == [o])}


def test_rename_of_the_joint_conference_has_no_date(orgs, quads):
    """2024-04-02 is the first plenary of the renamed conference, not the date of the rename (not found)."""
    change = next(c for c in orgs["changes"] if c["id"] == "joint-conference-renamed-2024")
    assert "date" not in change
    assert "2024-04-02 is the first plenary" in change["note"] and "S47" in change["src"]
    ev = ID + "org-change/joint-conference-renamed-2024"
    assert not [q for q in quads if q.subject.value == ev and q.predicate.value == DCTERMS + "date"]


def test_opinions_2015_rest_on_no_unlisted_mirror():
    """S100 (a mirror on no sheet, not found again) is gone; what rested on it alone is dropped or recalled."""
    m = doc("opinions-2015").meta
    assert "S100" not in m.sources
    assert not any("simplycreativeconsulting" in (s.url or "") for s in m.sources.values())
    assert m.date_published is None  # 2015-12-22 rested on S100 alone
    assert (m.doc_number.value, str(m.date_signed.value)) == ("国发〔2015〕71号", "2015-12-18")  # related-documents.md C3
    assert "失效" not in (m.title_zh.prov.note or "")
    d = doc("opinions-2015")
    assert [(n.title_zh, n.prov.mark, n.prov.sources) for n in d.nodes()] == [("总体要求", "recalled", ()), ("指导思想", "recalled", ())]


def test_plan_patent_intensive_baseline_year_is_uncertain(quads):
    """indicator-actuals.md: the reference year of the 11.6 baseline (2018 or 2019) cannot be told."""
    rows = {r.slug: r for t in doc("plan-2021-2025").tables for r in t.rows}
    cell = next(c for c in rows["patent-intensive-industries-gdp-share"].cells if c.role == "baseline")
    assert (str(cell.value), cell.prov.uncertain) == ("11.6", True)
    v = ID + "plan-2021-2025/value/patent-intensive-industries-gdp-share/baseline-2019"
    assert any(q.subject.value == v and q.predicate.value == PK + "uncertain" and q.object.value == "true" for q in quads)


def test_15th_fyp_outline_title_cites_the_final_title():
    """S40 has only the （草案） form: the final title is cited from the 15th-FYP IP plan's preamble (S1/S4 of its sheet)."""
    m = doc("national-15th-fyp-2026-2030").meta
    assert m.title_zh.value == "中华人民共和国国民经济和社会发展第十五个五年规划纲要"
    urls = [m.sources[s].url for s in m.title_zh.prov.sources]
    assert "S40" not in m.title_zh.prov.sources
    assert any("IPReader" in u for u in urls) and any("Enterprise-Knowledge-Base" in u for u in urls)
    assert [(f.value, f.prov.sources) for f, _ in m.alt_titles] == [("中华人民共和国国民经济和社会发展第十五个五年规划纲要（草案）", ("S40",))]


def test_joint_conference_office_inferences_are_recalled(orgs):
    """Our short English form and unit_of read off the name are inferences, not statements of a source."""
    by_id = {o["id"]: o for o in orgs["organisations"]}
    office = by_id["ip-powerhouse-joint-conference-office"]
    assert office["en"]["mark"] == "recalled" and "src" not in office["en"]
    for oid in ("ip-powerhouse-joint-conference-office", "ip-strategy-joint-conference-office", "general-office-state-council"):
        assert by_id[oid]["unit_of"]["mark"] == "recalled" and "src" not in by_id[oid]["unit_of"], oid
        assert "inference" in by_id[oid]["unit_of"]["note"]


def test_outline_principles_are_counted_not_stated():
    """No source states the number of the Outline's principles: it is counted from the tree, not a stated count."""
    d = doc("outline-2021-2035")
    assert "Principle" not in {c.of for c in d.meta.stated_counts}
    assert len([n for n in d.nodes() if "principle" in n.roles]) == 4


def test_action_plan_document_number_is_seen():
    """国办发〔2014〕64号 was recalled; the gov.cn 国务院公报 record (N1) shows it."""
    m = doc("action-plan-2014-2020").meta
    assert m.doc_number.value == "国办发〔2014〕64号" and m.doc_number.prov.mark == "secondary"
    assert any("haphap/china-policy-db" in (m.sources[s].url or "") for s in m.doc_number.prov.sources)


def test_15th_plan_general_requirements_map_to_the_outline_goals():
    """The basis of the mapping (the 2035 vision) is in the Outline's section （三）发展目标, not its whole part 二."""
    ms = read_mapping_set(CORPUS / "mappings" / "plan-2026-2030_supports_outline-2021-2035.sssom.tsv")
    objects = [r["object_id"] for _, r in ms.rows if r["subject_id"] == "pkid:plan-2026-2030/p1"]
    assert objects == ["pkid:outline-2021-2035/p2/s3"]


def test_15th_plan_succession_is_a_curated_judgement(corpus_store, quads):
    """The published text does not name the 14th plan: the succession is a curated mapping, not a stated relation."""
    assert [r.type for r in doc("plan-2026-2030").meta.relations] == ["basedOn"]
    ms = read_mapping_set(CORPUS / "mappings" / "plan-2026-2030_succeeds_plan-2021-2025.sssom.tsv")
    rows = [r for _, r in ms.rows if r["predicate_id"] == "pk:succeeds"]
    assert [(r["subject_id"], r["object_id"], r["mapping_justification"]) for r in rows] == [
        ("pkid:plan-2026-2030", "pkid:plan-2021-2025", "semapv:ManualMappingCuration")]
    s, p, o = ID + "plan-2026-2030", PK + "succeeds", NamedNode(ID + "plan-2021-2025")
    assert attestations(quads, s, p, o) == {}  # no source is said to state it
    _, lineage = run_named(corpus_store, "plan-lineage", {"doc": "plan-2021-2025"})
    row = next(r for r in lineage if r["from"] == s and r["relation"] == "succeeds")
    assert (row["confidence"], row["kind"]) == (None, "curated")


def test_mappings_say_the_plan_part_numbers_are_recalled():
    """The IRIs of curated mappings to the Plan's parts 三–八 rest on recalled numbers: every such set says so."""
    with_plan = []
    for path in sorted((CORPUS / "mappings").glob("*.sssom.tsv")):
        ms = read_mapping_set(path)
        if any(r[c].startswith(f"pkid:plan-2021-2025/p{n}") for _, r in ms.rows for c in ("subject_id", "object_id") for n in "345678"):
            with_plan.append(path.name)
            assert "rest on recalled numbers" in ms.meta["mapping_set_description"], path.name
    assert len(with_plan) == 5
    readme = (CORPUS / "mappings" / "README.md").read_text(encoding="utf-8")
    assert "Recalled numbering of the 14th FYP IP Plan" in readme and all(n.split(".")[0] in readme for n in with_plan)

