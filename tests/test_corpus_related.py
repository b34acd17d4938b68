"""The related documents (annual plans, predecessors) and the organisations hold exactly what
the fact sheet related-documents.md says (../shared/reference), with its marks and sources."""


import pytest
import yaml

from plankg.ingest.parser import parse_file
from plankg.pipeline import bundled_corpus

CORPUS = bundled_corpus()
DOCS = CORPUS / "documents"


def parse(doc_id):
    return parse_file(DOCS / f"{doc_id}.md")


@pytest.fixture(scope="module")
def docs():
    ids = ("annual-plan-2021-2022", "annual-plan-2023", "annual-plan-2024", "annual-plan-2025",
           "strategy-2008", "opinions-2015", "plan-2016-2020")
    return {i: parse(i) for i in ids}


def tree(doc):
    return [(n.path, n.number, n.title_zh) for n in doc.nodes() if n.level != "table"]


def fact(f):
    return (str(f.value), f.prov.mark, f.prov.sources)


def relations(doc):
    return {(r.type, r.target, r.prov.mark, r.prov.sources) for r in doc.meta.relations}


def counts(doc):
    return {(c.of, c.value, c.prov.mark, c.prov.sources) for c in doc.meta.stated_counts}


def issuers(doc):
    return [(o.slug, o.zh, o.prov.mark, o.prov.sources) for o in doc.meta.issuers]


# -- annual plans -----------------------------------------------------------------------------

def test_annual_plan_2021_2022(docs):
    d = docs["annual-plan-2021-2022"]
    m = d.meta
    assert m.doc_type == "AnnualPromotionPlan" and m.excerpt
    assert fact(m.title_zh) == ("知识产权强国建设纲要和“十四五”规划实施年度推进计划", "verified", ("S1",))
    assert m.title_en is None  # no English title seen
    assert [(fact(f), lang) for f, lang in m.alt_titles] == [
        (("国务院知识产权战略实施工作部际联席会议办公室关于印发《知识产权强国建设纲要和“十四五”规划实施年度推进计划》的通知",
          "verified", ("S1",)), "zh")]
    assert fact(m.doc_number) == ("国知战联办〔2021〕16号", "verified", ("S1",))
    assert fact(m.date_signed) == ("2021-12-27", "verified", ("S1",))
    assert fact(m.date_published) == ("2022-01-05", "verified", ("S1",))
    assert m.period[:2] == (2021, 2022) and m.period[2].mark == "verified"
    assert issuers(d) == [("ip-strategy-joint-conference-office", "国务院知识产权战略实施工作部际联席会议办公室", "verified", ("S1",))]
    assert m.stated_counts == []  # number of measures not found
    assert relations(d) == {("implements", "outline-2021-2035", "verified", ("S1",)),
                            ("implements", "plan-2021-2025", "verified", ("S1",))}
    assert tree(d) == [("p1", "一、", "完善知识产权制度"), ("p1/s1", "（一）", "完善知识产权法律法规规章")]
    assert {n.prov.mark for n in d.nodes()} == {"verified"}


def test_annual_plan_2023(docs):
    d = docs["annual-plan-2023"]
    m = d.meta
    assert m.excerpt
    assert fact(m.title_zh) == ("2023年知识产权强国建设纲要和“十四五”规划实施推进计划", "secondary", ("S5",))
    assert m.doc_number is None and m.date_signed is None and m.date_published is None  # not found
    assert m.period[:2] == (2023, 2023)
    assert counts(d) == {("Part", 7, "secondary", ("S5",)), ("Item", 139, "secondary", ("S5",))}
    # the issuer is an inference of the sheet: recalled, no source
    assert issuers(d) == [("ip-strategy-joint-conference-office", "国务院知识产权战略实施工作部际联席会议办公室", "recalled", ())]
    assert relations(d) == {("implements", "outline-2021-2035", "secondary", ("S5",)),
                            ("implements", "plan-2021-2025", "secondary", ("S5",))}
    assert tree(d) == [("p1", "一、", "完善知识产权制度"), ("p1/s1", "（一）", "完善知识产权法律法规规章")]


def test_annual_plan_2024(docs):
    d = docs["annual-plan-2024"]
    m = d.meta
    assert fact(m.title_zh) == ("2024年知识产权强国建设推进计划", "secondary", ("S6", "S7", "S8"))
    assert fact(m.doc_number) == ("国知联办〔2024〕6号", "secondary", ("S6",))
    assert m.date_signed is None and m.date_published is None  # signing date not found
    assert m.period[:2] == (2024, 2024)
    assert issuers(d) == [("ip-powerhouse-joint-conference-office", "国家知识产权强国建设工作部际联席会议办公室", "secondary", ("S6",))]
    assert counts(d) == {("Part", 7, "secondary", ("S8",))}  # "100余项" is not an exact count
    assert relations(d) == {("implements", "outline-2021-2035", "secondary", ("S6",)),
                            ("implements", "plan-2021-2025", "secondary", ("S6",))}
    parts = [(n.number, n.title_zh) for n in d.nodes() if n.level == "part"]
    assert parts == [("一、", "完善知识产权制度"), ("二、", "强化知识产权保护"), ("三、", "完善知识产权市场运行机制"),
                     ("四、", "提高知识产权公共服务水平"), ("五、", "营造良好的知识产权人文社会环境"),
                     ("六、", "深度参与全球知识产权治理"), ("七、", "加强组织保障")]
    sections = {n.path: n.title_zh for n in d.nodes() if n.level == "section"}
    assert sections == {
        "p1/s1": "完善知识产权法律法规规章", "p1/s2": "改革完善知识产权重大政策", "p1/s3": "完善新兴领域和特定领域知识产权规则",
        "p2/s1": "加强知识产权司法保护", "p2/s2": "强化知识产权行政保护", "p2/s3": "健全知识产权协同保护格局",
        "p3/s1": "提高知识产权创造质量", "p3/s2": "加强知识产权综合运用", "p3/s3": "促进知识产权市场化运营",
        "p4/s1": "加强知识产权公共服务供给", "p4/s2": "提高知识产权公共服务效能",
    }
    number_marks = {n.path: n.number_prov.mark if n.number_prov else None for n in d.nodes()}
    # 一、 and （一）（二） under it are seen; every other number is a position in a list
    seen = {"p1", "p1/s1", "p1/s2"}
    assert {p for p, mk in number_marks.items() if mk == "secondary"} == seen
    assert all(mk == "recalled" for p, mk in number_marks.items() if p not in seen)
    assert {n.prov.mark for n in d.nodes()} == {"secondary"}
    assert next(n for n in d.nodes() if n.path == "p7").roles == ["safeguard"]


def test_annual_plan_2025(docs):
    d = docs["annual-plan-2025"]
    m = d.meta
    assert m.excerpt
    assert fact(m.title_zh) == ("2025年知识产权强国建设推进计划", "secondary", ("S11", "S12", "S13", "S15"))
    assert fact(m.date_signed) == ("2025-04-29", "secondary", ("S11",))
    assert fact(m.date_published) == ("2025-05-07", "secondary", ("S13", "S15"))
    assert m.doc_number is None  # not found
    assert m.period[:2] == (2025, 2025)
    assert issuers(d) == [("ip-powerhouse-joint-conference-office", "国家知识产权强国建设工作部际联席会议办公室", "secondary", ("S11", "S13", "S15"))]
    assert counts(d) == {("Part", 7, "secondary", ("S11", "S14")), ("Item", 118, "secondary", ("S11", "S14"))}
    assert relations(d) == {("implements", "outline-2021-2035", "secondary", ("S15",)),
                            ("implements", "plan-2021-2025", "secondary", ("S15",))}
    assert tree(d) == [("p1", "一、", "完善知识产权制度"), ("p1/s1", "（一）", "完善知识产权法律法规规章"),
                       ("p1/s2", "（二）", "改革完善知识产权重大政策"),
                       ("p1/s2/i11", "11.", "做好“十五五”知识产权规划编制工作")]


def test_annual_plan_issuer_change(docs):
    """The 2021 and 2023 plans name the old office, the 2024 and 2025 plans the renamed one."""
    by_year = {i: docs[i].meta.issuers[0].slug for i in docs if i.startswith("annual-plan")}
    assert by_year == {"annual-plan-2021-2022": "ip-strategy-joint-conference-office",
                       "annual-plan-2023": "ip-strategy-joint-conference-office",
                       "annual-plan-2024": "ip-powerhouse-joint-conference-office",
                       "annual-plan-2025": "ip-powerhouse-joint-conference-office"}


# -- predecessors -----------------------------------------------------------------------------

def test_strategy_2008(docs):
    d = docs["strategy-2008"]
    m = d.meta
    assert m.doc_type == "Strategy" and not m.excerpt
    assert fact(m.title_zh) == ("国家知识产权战略纲要", "secondary", ("S30", "S31"))
    assert fact(m.title_en) == ("Outline of the National Intellectual Property Strategy", "secondary", ("S30", "S31"))
    assert fact(m.doc_number) == ("国发〔2008〕18号", "secondary", ("S30",))
    assert fact(m.date_signed) == ("2008-06-05", "secondary", ("S30", "S32", "S53"))
    assert issuers(d) == [("state-council", "国务院", "secondary", ("S30", "S31", "S32"))]
    assert counts(d) == {("Part", 5, "secondary", ("S31",))}
    assert m.relations == []  # nothing about successors
    assert m.period is None  # "5-year goals and a 2020 goal" is not a stated period
    parts = [(n.number, n.title_zh, n.title_en) for n in d.nodes()]
    assert parts == [("一、", "序言", "Preface"), ("二、", "指导思想和战略目标", "Guiding principles and strategic objectives"),
                     ("三、", "战略重点", "Strategic focuses"), ("四、", "专项任务", "Special tasks"),
                     ("五、", "战略措施", "Strategic measures")]
    # Chinese wording recalled; the numbers follow the English I.–V. seen in the sources
    assert all(n.prov.mark == "recalled" and n.prov.sources == () for n in d.nodes())
    assert all(n.number_prov.mark == "secondary" for n in d.nodes())
    assert sorted(u.en for u in m.unplaced) == sorted(["Patents", "Trademarks", "Copyright", "Trade secrets",
                                                      "New plant varieties", "IP in special fields", "National-defence IP"])
    assert {(u.role, u.prov.mark, u.prov.sources) for u in m.unplaced} == {("task", "secondary", ("S32",))}


def test_opinions_2015(docs):
    d = docs["opinions-2015"]
    m = d.meta
    assert m.doc_type == "Opinion" and m.excerpt
    assert m.title_zh.value == "国务院关于新形势下加快知识产权强国建设的若干意见"
    assert fact(m.doc_number) == ("国发〔2015〕71号", "verified", ("S27",))
    assert fact(m.date_signed) == ("2015-12-18", "secondary", ("S54",))
    assert m.date_published is None  # rested on a mirror on no sheet (S100, audit 2026-12-03)
    assert [o.slug for o in m.issuers] == ["state-council"]
    assert tree(d) == [("p1", "一、", "总体要求"), ("p1/s1", "（一）", "指导思想")]


def test_plan_2016_2020(docs):
    d = docs["plan-2016-2020"]
    m = d.meta
    assert m.doc_type == "FiveYearPlan" and m.excerpt
    assert fact(m.title_zh) == ("“十三五”国家知识产权保护和运用规划", "verified", ("S27",))
    assert [fact(f) for f, _ in m.alt_titles] == [("国务院关于印发“十三五”国家知识产权保护和运用规划的通知", "verified", ("S27",))]
    assert fact(m.doc_number) == ("国发〔2016〕86号", "verified", ("S27",))
    assert fact(m.date_signed) == ("2016-12-30", "verified", ("S27",))
    assert fact(m.date_published) == ("2017-01-13", "verified", ("S27",))
    assert issuers(d) == [("state-council", "国务院", "verified", ("S27",))]
    assert m.period[:2] == (2016, 2020)
    assert relations(d) == {("basedOn", "opinions-2015", "verified", ("S27",)),
                            ("basedOn", "national-13th-fyp-2016-2020", "verified", ("S27",))}
    fyp = next(r for r in m.relations if r.target == "national-13th-fyp-2016-2020")
    assert fyp.target_zh == "中华人民共和国国民经济和社会发展第十三个五年规划纲要"
    assert tree(d) == [("p1", "一、", "规划背景")]
    # the ten 2020 targets (English list, S210) come first, at document level; then the background figures of part 一
    targets, background = d.tables
    assert targets.context.level == "document" and background.context.path == "p1"
    rows = {r.slug: (r.name_zh, r.unit, [(c.role, c.year, str(c.value), c.prov.mark) for c in r.cells]) for r in background.rows}
    assert rows == {
        "invention-patents-per-10k": ("每万人口发明专利拥有量", "件", [("baseline", 2015, "6.3", "verified")]),
        "valid-trademarks-per-10k-market-entities": ("每万市场主体的平均有效商标拥有量", "件", [("baseline", 2015, "1335", "verified")]),
    }
    got = {r.slug: (r.name_zh, r.unit, [(c.role, c.year, str(c.value)) for c in r.cells], r.attribute) for r in targets.rows}
    assert got == {
        "invention-patents-per-10k": ("每万人口发明专利拥有量", "件", [("target", 2020, "12")], "anticipatory"),
        "pct-applications": (None, None, [("baseline", 2015, "30000"), ("target", 2020, "60000")], "anticipatory"),
        "plant-variety-applications-total": (None, None, [("target", 2020, "25000")], "anticipatory"),
        "copyright-registrations": (None, None, [("target", 2020, "2200000")], "anticipatory"),
        "ip-pledge-financing-annual": (None, "亿元", [("target", 2020, "1800")], "anticipatory"),
        "software-copyright-registrations": (None, None, [("target", 2020, "440000")], "anticipatory"),
        "valid-invention-patents-per-100m-revenue": (None, None, [("target", 2020, "0.7")], "anticipatory"),
        "ip-royalties-exports": (None, "亿美元", [("baseline", 2015, "44.4"), ("target", 2020, "100")], "anticipatory"),
        "ip-service-industry-revenue-growth": (None, "%", [("target", 2020, "20")], "anticipatory"),
        "ip-protection-satisfaction": ("知识产权保护社会满意度", None, [("target", 2020, "80")], "anticipatory"),
    }
    assert all(r.name_en for r in targets.rows)  # every target has its English name (S210)
    assert [(c.of, c.value, c.prov.mark) for c in m.stated_counts] == [("Indicator", 10, "secondary")]
    assert all(t.node is None for t in d.tables)  # figures stated in the text, not a table of the document


def test_every_heading_has_english_and_provenance(docs):
    for doc in docs.values():
        for n in doc.nodes():
            if n.level == "table":
                continue
            assert n.title_en, (doc.meta.doc_id, n.path)
            assert n.prov.mark in ("verified", "secondary", "recalled")
            assert n.prov.sources or n.prov.mark == "recalled", (doc.meta.doc_id, n.path)


def test_sources_used_are_declared(docs):
    for doc in docs.values():
        cited = {s for n in doc.nodes() for p in (n.prov, n.number_prov) if p for s in p.sources}
        assert cited <= set(doc.meta.sources), doc.meta.doc_id


def test_action_plan_2014_2020():
    # no heading of the Action Plan is known: the file holds identity facts and six sample targets only
    doc = parse_file(DOCS / "action-plan-2014-2020.md")
    assert doc.nodes() == []
    m = doc.meta
    assert m.doc_type == "ActionPlan"
    assert fact(m.title_zh) == ("深入实施国家知识产权战略行动计划（2014—2020年）", "secondary", ("S201",))  # gov.cn record (N1)
    assert ("深入实施国家知识产权战略行动计划（2014—2020）", "zh") in [(f.value, lang) for f, lang in m.alt_titles]
    assert [o.slug for o in m.issuers] == ["general-office-state-council"]
    assert fact(m.doc_number) == ("国办发〔2014〕64号", "secondary", ("S201",))  # now seen (additions § 7)
    assert {(r.type, r.target) for r in m.relations} == {("implements", "strategy-2008")}


# -- organisations ---------------------------------------------------------------------------

ORG_IDS = {"state-council", "cpc-central-committee", "general-office-state-council", "cnipa", "sipo", "npc", "nbs",
           "ip-strategy-joint-conference", "ip-strategy-joint-conference-office",
           "ip-powerhouse-joint-conference", "ip-powerhouse-joint-conference-office"}


@pytest.fixture(scope="module")
def orgs():
    return yaml.safe_load((CORPUS / "organisations.yaml").read_text(encoding="utf-8"))


def test_organisations_ids_and_names(orgs):
    by_id = {o["id"]: o for o in orgs["organisations"]}
    assert set(by_id) == ORG_IDS and len(orgs["organisations"]) == len(ORG_IDS)
    zh = {i: o["zh"]["value"] for i, o in by_id.items() if "zh" in o}
    assert zh == {
        "state-council": "国务院", "cpc-central-committee": "中共中央", "general-office-state-council": "国务院办公厅",
        "cnipa": "国家知识产权局", "npc": "全国人民代表大会", "nbs": "国家统计局",
        "ip-strategy-joint-conference": "国务院知识产权战略实施工作部际联席会议",
        "ip-strategy-joint-conference-office": "国务院知识产权战略实施工作部际联席会议办公室",
        "ip-powerhouse-joint-conference": "国家知识产权强国建设工作部际联席会议",
        "ip-powerhouse-joint-conference-office": "国家知识产权强国建设工作部际联席会议办公室",
    }
    assert "zh" not in by_id["sipo"]  # its Chinese name is not recorded in the sheets
    assert by_id["ip-strategy-joint-conference-office"]["zh"]["mark"] == "verified"
    assert by_id["ip-powerhouse-joint-conference-office"]["zh"]["mark"] == "secondary"
    assert by_id["ip-strategy-joint-conference-office"]["unit_of"]["id"] == "ip-strategy-joint-conference"
    assert by_id["ip-powerhouse-joint-conference-office"]["unit_of"]["id"] == "ip-powerhouse-joint-conference"
    for o in orgs["organisations"]:
        for lang in ("zh", "en"):
            if lang in o:
                assert o[lang]["mark"] in ("verified", "secondary", "recalled")
                assert set(o[lang].get("src", [])) <= set(orgs["sources"]), (o["id"], lang)
                assert o[lang].get("src") or o[lang]["mark"] == "recalled", (o["id"], lang)


def test_organisation_changes(orgs):
    changes = {c["id"]: c for c in orgs["changes"]}
    c = changes["joint-conference-renamed-2024"]
    assert (c["original"], c["resulting"]) == (["ip-strategy-joint-conference"], ["ip-powerhouse-joint-conference"])
    assert "date" not in c  # 2024-04-02 is the first plenary of the renamed conference, not the rename (audit 2026-12-03)
    o = changes["joint-conference-office-renamed"]
    assert (o["original"], o["resulting"]) == (["ip-strategy-joint-conference-office"], ["ip-powerhouse-joint-conference-office"])
    assert "date" not in o  # not found


def test_every_issuer_is_an_organisation(orgs):
    ids = {o["id"] for o in orgs["organisations"]}
    for path in DOCS.glob("*.md"):
        for org in parse_file(path).meta.issuers:
            assert org.slug in ids, (path.name, org.slug)
