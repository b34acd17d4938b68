"""The successor documents hold exactly what the fact sheets say (../shared/reference).

plan-2026-2030.md follows plan-2026-2030.md (the sheet); the two national FYP outlines follow
sections B and D1 of related-documents.md.
"""

import datetime as dt
from collections import Counter

import pytest

from plankg.ingest.mappings import read_mapping_set
from plankg.ingest.parser import parse_file
from plankg.pipeline import bundled_corpus

DOCS = bundled_corpus() / "documents"
MAPPINGS = bundled_corpus() / "mappings"


@pytest.fixture(scope="module")
def plan15():
    return parse_file(DOCS / "plan-2026-2030.md")


@pytest.fixture(scope="module")
def fyp14():
    return parse_file(DOCS / "national-14th-fyp-2021-2025.md")


@pytest.fixture(scope="module")
def fyp15():
    return parse_file(DOCS / "national-15th-fyp-2026-2030.md")


def levels(doc):
    return Counter(n.level for n in doc.nodes())


def rows(doc):
    return {r.slug: r for t in doc.tables for r in t.rows}


def cells(row):
    return [(c.role, c.year, str(c.value), c.prov.mark, c.prov.sources, c.prov.uncertain) for c in row.cells]


# -- the 15th FYP IP plan -----------------------------------------------------------------

LEADS = {
    "（一）": ["健全知识产权法律法规", "完善新兴领域知识产权保护制度及特定领域保护规则"],
    "（二）": ["加强知识产权司法保护", "强化知识产权行政保护", "完善知识产权协同保护"],
    "（三）": ["提升涉外知识产权纠纷处理水平", "加强涉外知识产权维权指导"],
    "（四）": ["培育知识产权转化运用良好生态", "深化知识产权权益分配改革", "积极稳妥发展知识产权金融"],
    "（五）": ["服务关键核心技术攻关", "赋能产业创新发展", "培育壮大知识产权特色经济"],
    "（六）": ["提升知识产权服务能力", "强化知识产权服务业监管"],
    "（七）": ["提升知识产权工作协同效能", "提高知识产权审查管理水平"],
    "（八）": ["强化知识产权公共服务能力", "提升知识产权公共服务质效"],
    "（九）": ["持续推进知识产权领域诚信体系建设", "加强知识产权人才培养", "厚植知识产权文化理念"],
    "（十）": [],
    "（十一）": [],
}


def test_plan15_shape(plan15):
    c = levels(plan15)
    assert dict(c) == {"part": 6, "section": 11, "lead": 24, "bullet": 13}  # part 一: 到2030年 (7 goals), 展望2035年 (6)
    assert plan15.numbering == "continuous"
    assert not plan15.tables  # no indicator table in the published (abridged) text
    parts = [(n.path, n.title_zh) for n in plan15.nodes() if n.level == "part"]
    assert parts == [
        ("p1", "总体要求"),
        ("p2", "持续优化支持全面创新的知识产权保护环境"),
        ("p3", "大力提升促进经济高质量发展的知识产权运用效能"),
        ("p4", "不断健全推进高效能治理的知识产权综合管理体系"),
        ("p5", "积极构建服务高水平对外开放的知识产权国际合作新格局"),
        ("p6", "加强组织保障"),
    ]
    sections = [(n.path, n.number, n.title_zh) for n in plan15.nodes() if n.level == "section"]
    assert sections == [
        ("p2/s1", "（一）", "完善知识产权法律制度"),
        ("p2/s2", "（二）", "健全知识产权保护体系"),
        ("p2/s3", "（三）", "加强涉外知识产权保护"),
        ("p3/s4", "（四）", "强化知识产权转化运用能力"),
        ("p3/s5", "（五）", "加大促进新质生产力发展的知识产权供给"),
        ("p3/s6", "（六）", "促进知识产权服务业高质量发展"),
        ("p4/s7", "（七）", "全面提高知识产权管理水平"),
        ("p4/s8", "（八）", "加强知识产权公共服务"),
        ("p4/s9", "（九）", "强化知识产权社会共治"),
        ("p5/s10", "（十）", "深度参与全球知识产权治理"),
        ("p5/s11", "（十一）", "持续深化知识产权国际交流合作"),
    ]


def test_plan15_lead_phrases(plan15):
    by_section = {
        n.number: [c.title_zh for c in n.children if c.level == "lead"]
        for n in plan15.nodes() if n.level == "section"
    }
    assert by_section == LEADS
    leads = [n for n in plan15.nodes() if n.level == "lead" and n.parent.level == "section"]
    assert [n.path for n in leads[:3]] == ["p2/s1/l1", "p2/s1/l2", "p2/s2/l1"]
    assert all(n.number is None for n in leads)  # unnumbered paragraphs
    marks = {n.title_zh: (n.prov.mark, n.prov.sources) for n in leads}
    assert marks["强化知识产权行政保护"] == ("secondary", ("S1", "S4"))
    assert {v for k, v in marks.items() if k != "强化知识产权行政保护"} == {("secondary", ("S1",))}


def test_plan15_roles(plan15):
    roles = {n.path: n.roles for n in plan15.nodes() if n.level in ("part", "section")}
    assert roles["p1"] == []
    goals = [(n.path, n.title_zh) for n in plan15.nodes() if "goal" in n.roles]
    assert goals[0] == ("p1/l1", "到2030年") and goals[8] == ("p1/l2", "展望2035年")
    assert goals[7] == ("p1/b7", "知识产权强国建设取得决定性进展") and goals[-1] == ("p1/b13", "中国特色、世界水平的知识产权强国基本建成")
    assert len(goals) == 2 + 7 + 6 and all(n.parent.path == "p1" for n in plan15.nodes() if "goal" in n.roles)
    assert all(roles[p] == ["task"] for p in ("p2", "p3", "p4", "p5"))
    assert roles["p6"] == ["safeguard"]
    assert all(r == ["task"] for p, r in roles.items() if "/s" in p)


def test_plan15_identity(plan15):
    m = plan15.meta
    assert m.doc_type == "FiveYearPlan"
    assert m.title_zh.value == "知识产权保护和运用“十五五”规划"
    assert (m.title_zh.prov.mark, m.title_zh.prov.sources) == ("secondary", ("S1", "S4"))
    assert m.title_en is None  # no English title found in any source
    assert [(f.value, lang) for f, lang in m.alt_titles] == [("国务院关于印发《知识产权保护和运用“十五五”规划》的通知", "zh")]
    assert m.short_name.value == "《规划》"
    assert [(o.slug, o.zh, o.prov.mark) for o in m.issuers] == [("state-council", "国务院", "secondary")]
    assert m.doc_number.value == "国发〔2026〕30号"
    assert (m.doc_number.prov.mark, m.doc_number.prov.sources) == ("secondary", ("S1", "S4", "S13"))  # S13: gov.cn record (N1)
    assert m.date_signed.value == dt.date(2026, 7, 27) and m.date_signed.prov.mark == "secondary"
    assert (m.date_published.value, m.date_published.prov.sources) == (dt.date(2026, 7, 31), ("S13",))  # gov.cn record (N1)
    assert m.period[:2] == (2026, 2030)
    assert not m.excerpt
    assert {(c.of, c.value, c.prov.mark) for c in m.stated_counts} == {("Part", 6, "secondary"), ("Section", 11, "secondary")}


def test_plan15_relations(plan15):
    rel = {(r.type, r.target): r for r in plan15.meta.relations}
    # the succession on the 14th plan is a curated judgement (mapping set), not a stated relation (audit 2026-12-03)
    assert set(rel) == {("basedOn", "national-15th-fyp-2026-2030")}
    based = rel[("basedOn", "national-15th-fyp-2026-2030")]
    assert based.target_zh == "中华人民共和国国民经济和社会发展第十五个五年规划纲要"
    assert (based.prov.mark, based.prov.sources) == ("secondary", ("S1", "S4"))
    assert "outline-2021-2035" not in {r.target for r in plan15.meta.relations}  # not named in the published text


def test_plan15_sources(plan15):
    assert sorted(plan15.meta.sources, key=lambda s: int(s[1:])) == [f"S{i}" for i in range(1, 14)]
    assert {s for s, src in plan15.meta.sources.items() if src.official} == {"S2", "S3"}


# -- the national 14th FYP outline (excerpt) -------------------------------------------------

def test_fyp14_headings(fyp14):
    m = fyp14.meta
    assert m.excerpt
    got = [(n.level, n.path, n.number, n.title_zh, n.prov.mark) for n in fyp14.nodes()]
    assert got == [
        ("book", "bk2", "第二篇", "坚持创新驱动发展 全面塑造发展新优势", "recalled"),
        ("chapter", "bk2/ch7", "第七章", "完善科技创新体制机制", "recalled"),
        ("chsection", "bk2/ch7/cs2", "第二节", "健全知识产权保护运用体制", "recalled"),
    ]
    book = fyp14.nodes()[0]
    assert (book.number_prov.mark, book.number_prov.sources) == ("secondary", ("S21",))
    assert all(any("confirm before use" in note for note in n.notes) for n in fyp14.nodes()[1:])


def test_fyp14_identity(fyp14):
    m = fyp14.meta
    assert m.doc_type == "Outline"
    assert m.title_zh.value == "中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要"
    assert m.title_en is None
    assert [(o.slug, o.zh, o.prov.mark, o.prov.sources) for o in m.issuers] == [("npc", "全国人民代表大会", "verified", ("S18",))]
    assert m.date_published.value == dt.date(2021, 3, 12) and m.date_published.prov.mark == "secondary"
    assert m.date_signed is None and m.doc_number is None
    assert m.period[:2] == (2021, 2025)
    assert [(c.of, c.value, c.prov.mark) for c in m.stated_counts] == [("Indicator", 20, "verified")]
    assert m.relations == []


def test_fyp14_indicator(fyp14):
    assert len(fyp14.tables) == 1
    table = fyp14.tables[0]
    assert table.node is None and table.context.level == "document"  # @indicators block, place in the outline not found
    row = rows(fyp14)["high-value-invention-patents-per-10k"]
    assert row.name_zh == "每万人口高价值发明专利拥有量"
    assert (row.name_prov.mark, row.name_prov.sources) == ("secondary", ("S22",))
    assert (row.unit, row.unit_prov.mark) == ("件", "recalled")
    assert (row.attribute, row.attribute_prov.mark) == ("anticipatory", "recalled")
    assert cells(row) == [
        ("baseline", 2020, "6.3", "secondary", ("S20",), False),
        ("target", 2025, "12", "verified", ("S18",), False),
    ]


# -- the national 15th FYP outline (excerpt) -------------------------------------------------

def test_fyp15_identity(fyp15):
    m = fyp15.meta
    assert m.doc_type == "Outline" and m.excerpt
    assert m.title_zh.value == "中华人民共和国国民经济和社会发展第十五个五年规划纲要"
    assert [(f.value, lang, f.prov.mark) for f, lang in m.alt_titles] == [
        ("中华人民共和国国民经济和社会发展第十五个五年规划纲要（草案）", "zh", "secondary")]
    assert [(o.slug, o.prov.mark, o.prov.sources) for o in m.issuers] == [("npc", "secondary", ("S37", "S39", "S41"))]
    assert "2026-03-12" in m.issuers[0].prov.note
    assert m.date_signed is None and m.date_published is None and m.doc_number is None
    assert m.period[:2] == (2026, 2030)
    assert [(c.of, c.value, c.prov.mark) for c in m.stated_counts] == [("Indicator", 20, "secondary")]


def test_fyp15_indicator(fyp15):
    assert fyp15.nodes() == []  # no heading of the outline was found
    assert len(fyp15.tables) == 1 and fyp15.tables[0].node is None
    row = rows(fyp15)["high-value-invention-patents-per-10k"]
    assert (row.unit, row.unit_prov.mark) == ("件", "recalled")
    assert (row.attribute, row.attribute_prov.mark, row.attribute_prov.sources) == ("anticipatory", "secondary", ("S42",))
    assert cells(row) == [
        ("baseline", 2025, "16", "secondary", ("S42",), False),
        ("target", 2030, "22", "secondary", ("S42",), True),  # minimum level; unverified
    ]
    assert [c.prov.note for c in row.cells] == ["unverified: one GitHub code file", "minimum level; unverified"]


# -- shared checks ----------------------------------------------------------------------------

def test_every_heading_has_english_and_provenance(plan15, fyp14, fyp15):
    for doc in (plan15, fyp14, fyp15):
        for n in doc.nodes():
            assert n.title_en and n.title_zh, n.path
            assert n.prov.mark in ("verified", "secondary", "recalled")
            assert n.prov.sources or n.prov.mark == "recalled", n.path


@pytest.mark.parametrize("name, rows_expected", [
    ("plan-2026-2030_supports_outline-2021-2035.sssom.tsv", 27),
    ("plan-2026-2030_succeeds_plan-2021-2025.sssom.tsv", 22),  # 21 division rows and the document-level pk:succeeds
])
def test_mapping_sets_point_at_existing_divisions(name, rows_expected):
    ms = read_mapping_set(MAPPINGS / name)
    assert len(ms.rows) == rows_expected
    titles = {}
    for doc_id in ("plan-2026-2030", "outline-2021-2035", "plan-2021-2025"):
        d = parse_file(DOCS / f"{doc_id}.md")
        titles[f"pkid:{doc_id}"] = d.meta.title_zh.value
        for n in d.nodes():
            titles[f"pkid:{doc_id}/{n.path}"] = n.title_zh or n.title_en
    for _, row in ms.rows:
        assert row["subject_id"].startswith("pkid:plan-2026-2030/") or (row["subject_id"], row["predicate_id"]) == ("pkid:plan-2026-2030", "pk:succeeds")
        assert titles[row["subject_id"]] == row["subject_label"]
        assert titles[row["object_id"]] == row["object_label"]
        assert row["mapping_justification"] == "semapv:ManualMappingCuration" and row["comment"]
        assert 0.6 <= float(row["confidence"]) <= 0.9
