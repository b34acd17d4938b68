"""Every named query, with the exact answer taken from the fact sheets and the curated mapping sets."""

from decimal import Decimal

import pytest

from plankg.errors import UsageError
from plankg.queries.catalogue import catalogue
from plankg.queries.run import run_named

ID = "https://w3id.org/plankg/id/"
O = ID + "outline-2021-2035/"
P = ID + "plan-2021-2025/"


def test_catalogue_headers_are_complete():
    for name, q in catalogue().items():
        assert q.title and q.question, name
        assert q.columns, name
        for p in q.params:
            assert p.description, (name, p.name)


def test_heading_tree_outline(corpus_store):
    cols, rows = run_named(corpus_store, "heading-tree", {"doc": "outline-2021-2035"})
    assert cols == ["node", "level", "number", "label_zh", "label_en", "depth", "confidence"]
    assert len(rows) == 9 + 24 + 4
    assert [r["number"] for r in rows if r["level"] == "Part"] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、"]
    assert [r["number"] for r in rows if r["level"] == "Section"][-1] == "（二十四）"
    first = rows[0]
    assert first == {"node": O + "p1", "level": "Part", "number": "一、", "label_zh": "战略背景",
                     "label_en": "Strategic background", "depth": 1, "confidence": "secondary"}
    s22 = next(r for r in rows if r["number"] == "（二十二）")
    assert (s22["node"], s22["label_zh"], s22["depth"]) == (O + "p9/s22", "加强组织领导", 2)
    bullets = [r["label_zh"] for r in rows if r["level"] == "Bullet"]
    assert bullets == ["法治保障，严格保护", "改革驱动，质量引领", "聚焦重点，统筹协调", "科学治理，合作共赢"]
    assert {r["depth"] for r in rows if r["level"] == "Bullet"} == {3}


def test_heading_tree_plan_keeps_unknown_headings_and_marks(corpus_store):
    _, rows = run_named(corpus_store, "heading-tree", {"doc": "plan-2021-2025"})
    assert len(rows) == 8 + 21 + 8 + 1
    by = {r["node"]: r for r in rows}
    assert by[P + "p7/s1"]["label_zh"] is None and by[P + "p7/s1"]["label_en"] == "Strengthening the development of IP talents"
    assert by[P + "p2"]["confidence"] == "recalled"  # 二、总体要求 was not seen
    assert by[P + "t1"]["label_zh"] == "“十四五”时期知识产权发展主要指标"


def test_goal_supporters_plan_main_goals(corpus_store):
    _, rows = run_named(corpus_store, "goal-supporters", {"goal": "plan-2021-2025/p2/s3"})
    got = [(r["supporter"][len(P):], r["how"]) for r in rows]
    assert got == [
        ("p3", "direct"), ("p3/s1", "inherited"), ("p3/s2", "inherited"), ("p3/s3", "inherited"),
        ("p3/s4", "inherited"), ("p3/s5", "inherited"),
        ("p4", "direct"), ("p4/s1", "inherited"), ("p4/s2", "inherited"),
        ("p5", "direct"), ("p5/s1", "inherited"), ("p5/s2", "inherited"),
        ("p6", "direct"), ("p6/s1", "inherited"), ("p6/s2", "inherited"), ("p6/s3", "inherited"),
    ]


def test_goal_supporters_one_goal(corpus_store):
    _, rows = run_named(corpus_store, "goal-supporters", {"goal": P + "p2/s3/b4"})
    assert [r["label_zh"] for r in rows] == ["推进知识产权国际合作 服务开放型经济发展", "主动参与知识产权全球治理",
                                            "提升知识产权国际合作水平", "加强知识产权保护国际合作"]


def test_goal_indicators_plan(corpus_store):
    _, rows = run_named(corpus_store, "goal-indicators", {"goal": "plan-2021-2025/p2/s3"})
    got = {(r["indicator"][len(ID) + len("indicator/"):], r["role"], r["year"]): (r["value"], r["unit"], r["confidence"], r["uncertain"]) for r in rows}
    assert got == {
        ("high-value-invention-patents-per-10k", "baseline", "2020"): (Decimal("6.3"), "件", "secondary", None),
        ("high-value-invention-patents-per-10k", "target", "2025"): (12, "件", "verified", None),
        ("overseas-invention-patent-grants", "baseline", "2020"): (4, "万件", "secondary", None),
        ("overseas-invention-patent-grants", "target", "2025"): (9, "万件", "verified", None),
        ("ip-pledge-financing-amount", "baseline", "2020"): (2180, "亿元", "secondary", None),
        ("ip-pledge-financing-amount", "target", "2025"): (3200, "亿元", "recalled", None),
        ("ip-royalties-trade-total", "baseline", "2020"): (Decimal("3194.4"), "亿元", "secondary", None),
        ("ip-royalties-trade-total", "target", "2025"): (3500, "亿元", "verified", None),
        ("patent-intensive-industries-gdp-share", "baseline", "2019"): (Decimal("11.6"), "%", "secondary", True),  # 2018 or 2019
        ("patent-intensive-industries-gdp-share", "target", "2025"): (13, "%", "verified", None),
        ("copyright-industries-gdp-share", "baseline", "2020"): (Decimal("7.39"), "%", "secondary", None),
        ("copyright-industries-gdp-share", "target", "2025"): (Decimal("7.5"), "%", "verified", None),
        ("ip-protection-satisfaction", "baseline", "2020"): (Decimal("80.05"), "分", "secondary", None),
        ("ip-protection-satisfaction", "target", "2025"): (82, "分", "secondary", None),
        ("ip-civil-first-instance-acceptance-rate", "target", "2025"): (85, "%", "secondary", True),
    }
    assert {r["attribute"] for r in rows} == {"anticipatory"}


def test_goal_indicators_outline(corpus_store):
    _, rows = run_named(corpus_store, "goal-indicators", {"goal": "outline-2021-2035/p2/s3"})
    assert sorted((r["label_zh"], r["role"], r["year"], r["value"], r["confidence"]) for r in rows) == [
        ("专利密集型产业增加值占GDP比重", "target", "2025", 13, "verified"),
        ("每万人口高价值发明专利拥有量", "target", "2025", 12, "verified"),
        ("版权产业增加值占GDP比重", "target", "2025", Decimal("7.5"), "secondary"),
        ("知识产权使用费年进出口总额", "target", "2025", 3500, "secondary"),
    ]


def test_a_goal_without_indicators(corpus_store):
    assert run_named(corpus_store, "goal-indicators", {"goal": "plan-2021-2025/p2/s3/b1"})[1] == []


def test_outline_sections_no_plan_section_supports(corpus_store):
    _, rows = run_named(corpus_store, "unsupported-sections")
    assert [r["number"] for r in rows] == ["（一）", "（二）", "（三）", "（五）", "（七）", "（十一）", "（十三）", "（十六）", "（二十四）"]
    assert rows[3]["label_zh"] == "构建职责统一、科学规范、服务优良的管理体制"


def test_plan_sections_no_outline_section_supports(corpus_store):
    # the other way round: the Outline supports nothing in the Plan, so every Plan section is listed
    _, rows = run_named(corpus_store, "unsupported-sections", {"target": "plan-2021-2025", "source": "outline-2021-2035"})
    assert len(rows) == 21


def test_shared_indicators(corpus_store):
    _, rows = run_named(corpus_store, "shared-indicators")
    got = sorted((r["label_zh"], r["target_a"], r["year_a"], r["target_b"], r["year_b"], r["unit"]) for r in rows)
    assert got == [
        ("专利密集型产业增加值占GDP比重", 13, "2025", 13, "2025", "%"),
        ("每万人口高价值发明专利拥有量", 12, "2025", 12, "2025", "件"),
        ("版权产业增加值占GDP比重", Decimal("7.5"), "2025", Decimal("7.5"), "2025", "%"),
        ("知识产权使用费年进出口总额", 3500, "2025", 3500, "2025", "亿元"),
    ]


def test_label_search_chinese_and_english(corpus_store):
    # the Outline's （八）, the Plan's 三（二）, the 2024 annual plan's 二（一） and a lead paragraph of the 15th FYP IP plan
    expected = [ID + "annual-plan-2024/p2/s1", O + "p4/s8", P + "p3/s2", ID + "plan-2026-2030/p2/s2/l1"]
    _, rows = run_named(corpus_store, "label-search", {"text": "司法保护"})
    assert sorted(r["node"] for r in rows) == expected
    _, rows = run_named(corpus_store, "label-search", {"text": "judicial", "language": "en"})
    assert sorted(r["node"] for r in rows) == expected
    assert {r["lang"] for r in rows} == {"en"}
    _, rows = run_named(corpus_store, "label-search", {"text": "司法保护", "language": "en"})
    assert rows == []


def test_provenance_of_a_heading(corpus_store):
    _, rows = run_named(corpus_store, "provenance", {"node": "plan-2021-2025/p3/s2"})
    got = sorted((r["kind"], r["confidence"], (r["source"] or "").rsplit("/", 1)[-1]) for r in rows if r["kind"] in ("node", "number"))
    # plan-2021-2025.md: @mark secondary S9 S10 S0 and @number recalled (the sheet: "number recalled")
    assert got == [("node", "secondary", "S0"), ("node", "secondary", "S10"), ("node", "secondary", "S9"), ("number", "recalled", "")]
    curated = [r for r in rows if r["kind"] == "curated"]
    assert curated and all(r["property"] == "https://w3id.org/plankg/ontology#supports" for r in curated)
    assert curated[0]["value"] == O + "p4/s8"


def test_provenance_of_metadata_and_values(corpus_store):
    _, rows = run_named(corpus_store, "provenance", {"node": "plan-2021-2025"})
    number = [(r["confidence"], r["source"].rsplit("/", 1)[-1]) for r in rows if r["property"] == "https://w3id.org/plankg/ontology#documentNumber"]
    assert sorted(number) == [("secondary", "S20"), ("secondary", "S30"), ("secondary", "S6"), ("secondary", "S7")]  # S30: gov.cn record
    signed = [(r["value"], r["confidence"]) for r in rows if r["property"].endswith("#dateSigned")]
    assert set(signed) == {("2021-10-09", "verified")}
    _, rows = run_named(corpus_store, "provenance", {"node": P + "value/ip-pledge-financing-amount/target-2025"})
    node = [r for r in rows if r["kind"] == "node"]
    assert [(r["confidence"], r["source"]) for r in node] == [("recalled", None)]
    _, rows = run_named(corpus_store, "provenance", {"node": P + "value/high-value-invention-patents-per-10k/target-2025"})
    node = [r for r in rows if r["kind"] == "node"]
    assert [(r["confidence"], r["url"]) for r in node] == [("verified", "https://english.bjinternetcourt.gov.cn/2021-11/05/c_464.htm")]


@pytest.mark.parametrize("name,params,message", [
    ("no-such-query", {}, "unknown query 'no-such-query'"),
    ("heading-tree", {}, "needs parameter 'doc'"),
    ("heading-tree", {"doc": "x", "colour": "red"}, "has no parameter 'colour'"),
    ("heading-tree", {"doc": "Not An Id!"}, "parameter doc: 'Not An Id!' is not a document id"),
    ("label-search", {"text": "x", "language": "fr"}, "is not a language"),
    ("goal-indicators", {"goal": "<script>"}, "is not an IRI"),
])
def test_bad_requests(corpus_store, name, params, message):
    with pytest.raises(UsageError) as exc:
        run_named(corpus_store, name, params)
    assert message in str(exc.value)


def test_parameters_are_bound_not_spliced(corpus_store):
    # a value that would break out of a string literal if it were pasted into the query text
    _, rows = run_named(corpus_store, "label-search", {"text": '") } SELECT * WHERE { ?s ?p ?o } #'})
    assert rows == []


def test_parameter_types_are_the_dispatch_table():
    """TYPES is the keys of PARAM_TYPES (one name, one checker), and every catalogue parameter has one of them."""
    from plankg.queries.catalogue import PARAM_TYPES, TYPES

    assert TYPES == tuple(PARAM_TYPES) == ("document", "iri", "string", "lang", "integer", "year", "decimal", "boolean")
    assert {p.type for q in catalogue().values() for p in q.params} <= set(TYPES)


@pytest.mark.parametrize("kind,raw,why", [
    ("document", "Plan 2021", "is not a document id (e.g. plan-2021-2025) or document IRI"),
    ("iri", "not an iri", "is not an IRI or a doc-id/path such as plan-2021-2025/p2/s3"),
    ("string", "", "must be 1 to 200 characters"),
    ("lang", "fr", "is not a language (zh, en or any)"),
    ("integer", "1.5", "is not an integer"),
    ("year", "1800", "is not a year between 1900 and 2200"),
    ("year", "x", "is not an integer"),
    ("decimal", "1e5", "is not a decimal number (e.g. 12 or 3194.4)"),
    ("boolean", "yes", "is not a boolean (true or false)"),
])
def test_each_parameter_type_refuses_with_its_reason(kind, raw, why):
    from plankg.iris import Iris
    from plankg.queries.catalogue import Param, to_term

    with pytest.raises(UsageError) as exc:
        to_term(Param("p", kind, True, None, ""), raw, Iris())
    assert str(exc.value) == f"parameter p: {raw!r} {why}"


@pytest.mark.parametrize("kind,raw,expected", [
    ("document", "plan-2021-2025", P.rstrip("/")), ("iri", "plan-2021-2025/p2", P + "p2"), ("year", "２０２５", "2025"),
    ("integer", "+7", "7"), ("decimal", "3194.40", "3194.40"), ("boolean", "TRUE", "true"), ("lang", " en ", "en"),
])
def test_each_parameter_type_makes_its_term(kind, raw, expected):
    from plankg.iris import Iris
    from plankg.queries.catalogue import Param, to_term

    assert to_term(Param("p", kind, True, None, ""), raw, Iris()).value == expected
