"""The bundled corpus holds exactly what the fact sheets say (../shared/reference)."""

from collections import Counter

import pytest

from plankg.ingest.parser import parse_file
from plankg.pipeline import bundled_corpus

OUTLINE = bundled_corpus() / "documents" / "outline-2021-2035.md"
PLAN = bundled_corpus() / "documents" / "plan-2021-2025.md"


@pytest.fixture(scope="module")
def outline():
    return parse_file(OUTLINE)


@pytest.fixture(scope="module")
def plan():
    return parse_file(PLAN)


def levels(doc):
    return Counter(n.level for n in doc.nodes())


def test_outline_shape(outline):
    c = levels(outline)
    assert (c["part"], c["section"], c["bullet"]) == (9, 24, 4)
    assert outline.numbering == "continuous"
    sections = [n.number for n in outline.nodes() if n.level == "section"]
    assert sections[0] == "（一）" and sections[-1] == "（二十四）"
    principles = [n.title_zh for n in outline.nodes() if "principle" in n.roles]
    assert principles == ["法治保障，严格保护", "改革驱动，质量引领", "聚焦重点，统筹协调", "科学治理，合作共赢"]


def test_outline_identity(outline):
    m = outline.meta
    assert m.title_zh.value == "知识产权强国建设纲要（2021－2035年）"
    assert m.title_en.value == "Guidelines for Building a Powerful Country with Intellectual Property Rights"
    assert str(m.date_published.value) == "2021-09-22" and m.date_published.prov.mark == "verified"
    assert m.doc_number is None and m.date_signed is None  # not found: the graph says nothing
    assert [o.zh for o in m.issuers] == ["中共中央", "国务院"]
    assert m.period[:2] == (2021, 2035)


def test_outline_2025_figures(outline):
    rows = {r.slug: r for t in outline.tables for r in t.rows}
    got = {slug: [(c.role, c.year, str(c.value), c.prov.mark) for c in r.cells] for slug, r in rows.items()}
    assert got == {
        "patent-intensive-industries-gdp-share": [("target", 2025, "13", "verified")],
        "copyright-industries-gdp-share": [("target", 2025, "7.5", "secondary")],
        "ip-royalties-trade-total": [("target", 2025, "3500", "secondary")],
        "high-value-invention-patents-per-10k": [("target", 2025, "12", "verified")],
    }
    assert {r.attribute for r in rows.values()} == {"anticipatory"}


def test_plan_shape(plan):
    c = levels(plan)
    assert (c["part"], c["section"], c["bullet"], c["table"]) == (8, 21, 8, 1)
    assert plan.numbering == "restart"
    goals = [n.title_zh for n in plan.nodes() if n.level == "bullet" and "goal" in n.roles]
    assert goals == ["知识产权保护迈上新台阶", "知识产权运用取得新成效", "知识产权服务达到新水平", "知识产权国际合作取得新突破"]
    principles = [n.title_zh for n in plan.nodes() if "principle" in n.roles]
    assert principles == ["质量优先", "强化保护", "开放合作", "系统协同"]
    unknown = [n.path for n in plan.nodes() if n.title_zh is None]
    assert unknown == ["p7/s1", "p7/s2"]  # Chinese headings not found: English only


def test_plan_identity(plan):
    m = plan.meta
    assert m.title_zh.value == "“十四五”国家知识产权保护和运用规划"
    assert m.doc_number.value == "国发〔2021〕20号"
    assert str(m.date_signed.value) == "2021-10-09" and m.date_signed.prov.mark == "verified"
    assert str(m.date_published.value) == "2021-10-28"
    assert {(r.type, r.target) for r in m.relations} >= {("basedOn", "outline-2021-2035"), ("basedOn", "national-14th-fyp-2021-2025")}


def test_plan_indicator_table(plan):
    rows = {r.slug: r for t in plan.tables for r in t.rows}
    table = {slug: (r.unit, [(c.role, c.year, str(c.value), c.prov.mark, c.prov.uncertain) for c in r.cells]) for slug, r in rows.items()}
    assert table == {
        "high-value-invention-patents-per-10k": ("件", [("baseline", 2020, "6.3", "secondary", False), ("target", 2025, "12", "verified", False)]),
        "overseas-invention-patent-grants": ("万件", [("baseline", 2020, "4", "secondary", False), ("target", 2025, "9", "verified", False)]),
        "ip-pledge-financing-amount": ("亿元", [("baseline", 2020, "2180", "secondary", False), ("target", 2025, "3200", "recalled", False)]),
        "ip-royalties-trade-total": ("亿元", [("baseline", 2020, "3194.4", "secondary", False), ("target", 2025, "3500", "verified", False)]),
        "patent-intensive-industries-gdp-share": ("%", [("baseline", 2019, "11.6", "secondary", True), ("target", 2025, "13", "verified", False)]),  # baseline year 2018 or 2019 (audit)
        "copyright-industries-gdp-share": ("%", [("baseline", 2020, "7.39", "secondary", False), ("target", 2025, "7.5", "verified", False)]),
        "ip-protection-satisfaction": ("分", [("baseline", 2020, "80.05", "secondary", False), ("target", 2025, "82", "secondary", False)]),
        # baseline not found; the 2025 target rests on one source and is marked uncertain
        "ip-civil-first-instance-acceptance-rate": ("%", [("target", 2025, "85", "secondary", True)]),
    }
    assert rows["overseas-invention-patent-grants"].unit_prov.mark == "recalled"
    assert {r.attribute for r in rows.values()} == {"anticipatory"}


def test_every_heading_has_english_and_provenance(outline, plan):
    for doc in (outline, plan):
        for n in doc.nodes():
            assert n.title_en, n.path
            assert n.prov.mark in ("verified", "secondary", "recalled")
            assert n.prov.sources or n.prov.mark == "recalled", n.path
