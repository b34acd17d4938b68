"""Named queries across documents (issue: linked plans), each with the exact answer from the corpus and the fact sheets."""

from decimal import Decimal

from plankg.queries.run import run_named

ID = "https://w3id.org/plankg/id/"


def short(value):
    return value[len(ID):] if isinstance(value, str) and value.startswith(ID) else value


def test_coverage_matrix_outline_by_plan(corpus_store):
    _, rows = run_named(corpus_store, "coverage-matrix")
    assert [(r["number"], r["count"]) for r in rows] == [
        ("（一）", 0), ("（二）", 0), ("（三）", 0), ("（四）", 1), ("（五）", 0), ("（六）", 1), ("（七）", 0), ("（八）", 1),
        ("（九）", 1), ("（十）", 1), ("（十一）", 0), ("（十二）", 2), ("（十三）", 0), ("（十四）", 1), ("（十五）", 1),
        ("（十六）", 0), ("（十七）", 1), ("（十八）", 1), ("（十九）", 1), ("（二十）", 1), ("（二十一）", 2), ("（二十二）", 1),
        ("（二十三）", 1), ("（二十四）", 0)]
    by = {r["number"]: r for r in rows}
    assert sorted(short(s) for s in by["（十二）"]["supporters"].split()) == ["plan-2021-2025/p4/s1", "plan-2021-2025/p4/s2"]
    assert by["（八）"]["supporters"] == ID + "plan-2021-2025/p3/s2"


def test_coverage_matrix_outline_by_15th_plan(corpus_store):
    _, rows = run_named(corpus_store, "coverage-matrix", {"source": "plan-2026-2030"})
    gaps = [r["number"] for r in rows if r["count"] == 0]
    assert len(rows) == 24 and "（八）" not in gaps


def test_plan_sections_without_outline_counterpart(corpus_store):
    _, rows = run_named(corpus_store, "unsupporting-sections")
    assert [short(r["section"]) for r in rows] == [
        "plan-2021-2025/p2/s1", "plan-2021-2025/p2/s2", "plan-2021-2025/p2/s3", "plan-2021-2025/p3/s5",
        "plan-2021-2025/p5/s2", "plan-2021-2025/p8/s2", "plan-2021-2025/p8/s4"]
    assert rows[3]["label_zh"] == "加强知识产权源头保护"


def test_plan_lineage(corpus_store):
    _, rows = run_named(corpus_store, "plan-lineage", {"doc": "plan-2021-2025"})
    assert [(short(r["from"]), r["relation"], short(r["to"]), r["confidence"], r["kind"]) for r in rows] == [
        ("plan-2016-2020", "basedOn", "national-13th-fyp-2016-2020", "verified", "stated"),   # 13th FYP IP plan, gov.cn (S27)
        ("plan-2016-2020", "basedOn", "opinions-2015", "verified", "stated"),
        ("plan-2021-2025", "basedOn", "national-14th-fyp-2021-2025", "verified", "stated"),  # CNIPA English translation (S1)
        ("plan-2021-2025", "basedOn", "outline-2021-2035", "verified", "stated"),
        ("plan-2021-2025", "implements", "outline-2021-2035", "verified", "stated"),  # the Outline sheet: implemented through FYPs
        ("plan-2021-2025", "succeeds", "plan-2016-2020", "secondary", "stated"),
        ("plan-2026-2030", "basedOn", "national-15th-fyp-2026-2030", "secondary", "stated"),
        # the 15th plan's text does not name the 14th: a curated judgement, no source states it (audit 2026-12-03)
        ("plan-2026-2030", "succeeds", "plan-2021-2025", None, "curated"),
    ]
    # the same chain from its other end
    _, rows2 = run_named(corpus_store, "plan-lineage", {"doc": "plan-2026-2030"})
    assert len(rows2) == len(rows)
    # the Outline's predecessors (its sheet: commentary only; the "predecessor" label of the 2008 Outline is recalled)
    _, rows3 = run_named(corpus_store, "plan-lineage", {"doc": "outline-2021-2035"})
    assert [(short(r["from"]), r["relation"], short(r["to"]), r["confidence"]) for r in rows3] == [
        ("outline-2021-2035", "succeeds", "opinions-2015", "secondary"),
        ("outline-2021-2035", "succeeds", "strategy-2008", "recalled"),
    ]


def test_what_an_annual_plan_implements(corpus_store):
    _, rows = run_named(corpus_store, "implemented-by", {"doc": "annual-plan-2024"})
    stated = [(short(r["to"]), r["confidence"]) for r in rows if r["kind"] == "stated"]
    assert stated == [("outline-2021-2035", "secondary"), ("plan-2021-2025", "secondary")]
    curated = [(short(r["from"]), short(r["to"])) for r in rows if r["kind"] == "curated"]
    assert len(curated) == 27
    assert ("annual-plan-2024/p2/s1", "outline-2021-2035/p4/s8") in curated
    assert ("annual-plan-2024/p2/s1", "plan-2021-2025/p3/s2") in curated
    assert rows[0]["kind"] == "stated"


def test_indicator_history_high_value_patents(corpus_store):
    _, rows = run_named(corpus_store, "indicator-history", {"indicator": "indicator/high-value-invention-patents-per-10k"})
    got = [(short(r["document"]), r["role"], r["year"], r["as_of"], r["value"], r["confidence"]) for r in rows]
    assert sorted(got, key=str) == sorted([
        ("plan-2021-2025", "baseline", "2020", None, Decimal("6.3"), "secondary"),
        ("national-14th-fyp-2021-2025", "baseline", "2020", None, Decimal("6.3"), "secondary"),
        ("plan-2021-2025", "actual", "2020", None, Decimal("6.3"), "secondary"),
        ("plan-2021-2025", "actual", "2021", None, Decimal("7.5"), "verified"),
        ("plan-2021-2025", "actual", "2022", None, Decimal("9.4"), "secondary"),
        ("plan-2021-2025", "actual", "2023", None, Decimal("11.8"), "secondary"),
        ("plan-2021-2025", "actual", "2024", "2024-06-30", Decimal("12.9"), "secondary"),
        ("plan-2021-2025", "actual", "2024", None, 14, "secondary"),
        ("plan-2021-2025", "actual", "2025", "2025-06-30", Decimal("15.3"), "secondary"),
        ("plan-2021-2025", "actual", "2025", None, 16, "secondary"),
        ("outline-2021-2035", "target", "2025", None, 12, "verified"),
        ("plan-2021-2025", "target", "2025", None, 12, "verified"),
        ("national-14th-fyp-2021-2025", "target", "2025", None, 12, "verified"),
        ("national-15th-fyp-2026-2030", "baseline", "2025", None, 16, "secondary"),
        ("national-15th-fyp-2026-2030", "target", "2030", None, 22, "secondary"),
    ], key=str)
    assert all(r["sources"] for r in rows)  # every figure names where it was read
    assert next(r for r in rows if r["document"].endswith("national-15th-fyp-2026-2030") and r["role"] == "target")["uncertain"] is True


def test_targets_met_early(corpus_store):
    _, rows = run_named(corpus_store, "targets-met")
    got = [(short(r["indicator"]).split("/")[1], r["target"], r["target_confidence"], r["first_met"], r["actual"], r["early"]) for r in rows]
    assert got == [
        ("ip-pledge-financing-amount", 3200, "recalled", "2022", Decimal("4868.8"), True),  # a recalled target: flagged
        ("ip-royalties-trade-total", 3500, "verified", "2022", Decimal("3872.5"), True),
        ("ip-civil-first-instance-acceptance-rate", 85, "secondary", "2023", Decimal("91.9"), True),
        ("ip-protection-satisfaction", 82, "secondary", "2023", Decimal("82.04"), True),
        ("patent-intensive-industries-gdp-share", 13, "verified", "2023", Decimal("13.04"), True),
        ("high-value-invention-patents-per-10k", 12, "verified", "2024-06-30", Decimal("12.9"), True),
    ]


def test_plan_tasks_and_sdg_targets(corpus_store):
    _, rows = run_named(corpus_store, "sdg-links")
    assert [(short(r["division"]), r["notation"], r["un_iri"], r["goal_un_iri"], r["confidence"]) for r in rows] == [
        # UN IRIs as seen in UNSD's SDG KOS (additions sheet, N2)
        ("plan-2021-2025/p4", "9.5", "http://metadata.un.org/sdg/9.5", "http://metadata.un.org/sdg/9", Decimal("0.6")),
        ("plan-2021-2025/p4/s1", "9.b", "http://metadata.un.org/sdg/9.b", "http://metadata.un.org/sdg/9", Decimal("0.4")),
        ("plan-2021-2025/p4/s2", "9.5", "http://metadata.un.org/sdg/9.5", "http://metadata.un.org/sdg/9", Decimal("0.5")),
        ("plan-2021-2025/p6", "17.6", "http://metadata.un.org/sdg/17.6", "http://metadata.un.org/sdg/17", Decimal("0.6")),
        ("plan-2021-2025/p6/s2", "17.6", "http://metadata.un.org/sdg/17.6", "http://metadata.un.org/sdg/17", Decimal("0.6")),
    ]


def test_organisation_renaming(corpus_store):
    from plankg.queries.run import result_rows

    _, rows = result_rows(corpus_store.query(
        "PREFIX org: <http://www.w3.org/ns/org#> SELECT ?old ?new WHERE { ?e a org:ChangeEvent ; "
        "org:originalOrganization ?old ; org:resultingOrganization ?new } ORDER BY ?old"))
    assert [(short(r["old"]), short(r["new"])) for r in rows] == [
        ("org/ip-strategy-joint-conference", "org/ip-powerhouse-joint-conference"),
        ("org/ip-strategy-joint-conference-office", "org/ip-powerhouse-joint-conference-office"),
    ]


def test_the_two_6_3_figures_are_different_indicators(corpus_store):
    # 6.3 all invention patents per 10,000 people at end-2015 (13th FYP IP plan, gov.cn) vs
    # 6.3 high-value invention patents at end-2020 (the Plan's baseline): related, not the same
    _, rows = run_named(corpus_store, "indicator-history", {"indicator": "indicator/invention-patents-per-10k"})
    assert [(short(r["document"]), r["role"], r["year"], r["value"], r["confidence"]) for r in rows] == [
        ("action-plan-2014-2020", "baseline", "2013", 4, "secondary"),  # sample targets of the Action Plan (S33)
        ("plan-2016-2020", "baseline", "2015", Decimal("6.3"), "verified"),
        ("plan-2016-2020", "actual", "2020", Decimal("15.8"), "secondary"),
        ("action-plan-2014-2020", "target", "2020", 14, "secondary"),
        ("plan-2016-2020", "target", "2020", 12, "secondary"),  # the 13th plan's 2020 target (S210, S211)
    ]
    from plankg.queries.run import result_rows

    _, rel = result_rows(corpus_store.query(
        "SELECT ?p WHERE { <%sindicator/high-value-invention-patents-per-10k> ?p <%sindicator/invention-patents-per-10k> }" % (ID, ID)))
    assert [r["p"] for r in rel] == ["http://www.w3.org/2004/02/skos/core#relatedMatch"]
