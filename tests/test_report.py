"""The static report: indicator charts, coverage matrix and heatmap, index page — built from the bundled corpus."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

import matplotlib  # noqa: F401  - a test dependency ([test] extra); its absence must fail, not skip

from plankg.errors import UsageError  # noqa: E402
from plankg.graph_store import open_store  # noqa: E402
from plankg.pipeline import build, bundled_corpus  # noqa: E402
from plankg.queries.run import run_named  # noqa: E402
from plankg.report import SERIES, chinese_number, fractional_year, unit_en, write_report  # noqa: E402

ID = "https://w3id.org/plankg/id/"
PLAN, TARGET = "plan-2021-2025", "outline-2021-2035"
PLAN_INDICATORS = [
    "high-value-invention-patents-per-10k", "overseas-invention-patent-grants", "ip-pledge-financing-amount",
    "ip-royalties-trade-total", "patent-intensive-industries-gdp-share", "copyright-industries-gdp-share",
    "ip-protection-satisfaction", "ip-civil-first-instance-acceptance-rate",
]
MAPPINGS = Path(str(bundled_corpus())) / "mappings" / f"{PLAN}_supports_{TARGET}.sssom.tsv"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("report-store") / "store"
    build(open_store(path))
    return open_store(path, read_only=True)


@pytest.fixture(scope="module")
def report(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return write_report(store, out)


def svg_texts(svg: str) -> list[str]:
    """The chart texts: matplotlib writes each text element's string as an SVG comment."""
    return re.findall(r"<!-- (.*?) -->", svg)


def test_every_file_is_written(report):
    assert sorted(report.charts) == sorted(PLAN_INDICATORS)
    for ind in PLAN_INDICATORS:
        svg, png = report.charts[ind]
        assert (svg.name, png.name) == (f"indicator-{ind}.svg", f"indicator-{ind}.png")
    names = {p.name for p in report.files}
    assert {"coverage-matrix.csv", "coverage-heatmap.svg", "coverage-heatmap.png", "index.md"} <= names
    assert len(report.files) == 2 * len(PLAN_INDICATORS) + 4
    for p in report.files:
        assert p.parent == report.out_dir and p.is_file() and p.stat().st_size > 0, p


def test_indicator_svgs_have_a_dashed_target_and_marked_legend(report, store):
    target_colour = SERIES["target"][1]
    for ind in PLAN_INDICATORS:
        svg = report.charts[ind][0].read_text(encoding="utf-8")
        assert re.search(rf"stroke-dasharray: [\d.,]+; stroke-dashoffset: [\d.]+; stroke: {target_colour}", svg), ind
        texts = svg_texts(svg)
        _, rows = run_named(store, "indicator-history", {"indicator": f"indicator/{ind}"})
        for t in (r for r in rows if r["document"] == ID + PLAN and r["role"] == "target"):
            marks = t["confidence"] + (", uncertain" if t["uncertain"] else "")
            assert f"target {t['year']} ({marks})" in texts, (ind, texts)
        reported = {r["confidence"] for r in rows if r["document"] == ID + PLAN and r["role"] == "actual"
                    and not r["as_of"]}
        if reported:
            assert any(re.fullmatch(r"reported \((verified|secondary|recalled)(, (verified|secondary|recalled))*\)", x)
                       and all(m in x for m in reported) for x in texts), (ind, texts)
        assert all(x.isascii() for x in texts), ind  # English only: no Chinese glyphs needed


def test_charts_show_marks_in_year_readings_and_uncertainty(report):
    pledge = svg_texts(report.charts["ip-pledge-financing-amount"][0].read_text(encoding="utf-8"))
    assert "Registered amount of IP pledge financing (100 million yuan)" in pledge
    assert "100 million yuan" in pledge and "recalled = x" in pledge
    assert "(to 2024-09-30)" in pledge and "in-year reading (secondary)" in pledge
    patents = svg_texts(report.charts["high-value-invention-patents-per-10k"][0].read_text(encoding="utf-8"))
    assert "items" in patents and "(to 2024-06-30)" in patents and "(to 2025-06-30)" in patents
    civil = svg_texts(report.charts["ip-civil-first-instance-acceptance-rate"][0].read_text(encoding="utf-8"))
    assert "? = uncertain" in civil


def test_coverage_csv_matches_the_curated_mappings(report):
    with open(report.coverage_csv, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 24
    assert [chinese_number(r["number"]) for r in rows] == list(range(1, 25))
    by_number = {r["number"]: r for r in rows}
    assert by_number["（八）"]["p3/s2"] == "1"  # plan-2021-2025/p3/s2 supports outline （八）
    assert by_number["（十二）"]["p4/s1"] == by_number["（十二）"]["p4/s2"] == "1"
    division_columns = [c for c in rows[0] if re.fullmatch(r"p\d+(/[a-z]+\d+)*", c)]
    assert division_columns and rows[0].keys() >= {"section", "number", "label_en", "count"}
    for r in rows:
        assert int(r["count"]) == sum(int(r[c]) for c in division_columns), r["number"]
    expected = curated_section_links()
    assert len(expected) >= 2
    by_section = {r["section"]: r for r in rows}
    for source_path, target_path in expected:
        assert by_section[ID + f"{TARGET}/{target_path}"][source_path] == "1", (source_path, target_path)


def curated_section_links() -> list[tuple[str, str]]:
    """(plan division path, outline section path) pairs of the curated set, section level only."""
    with open(MAPPINGS, encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    out = []
    for row in csv.DictReader(lines, delimiter="\t"):
        s, o = row["subject_id"], row["object_id"]
        if row["predicate_id"] == "pk:supports" and re.fullmatch(rf"pkid:{TARGET}/p\d+/s\d+", o):
            out.append((s.split(f"pkid:{PLAN}/", 1)[1], o.split(f"pkid:{TARGET}/", 1)[1]))
    return out


def test_pngs_are_real_images(report):
    for p in [*(paths[1] for paths in report.charts.values()), report.heatmap[1]]:
        data = p.read_bytes()
        assert data[:8] == PNG_MAGIC, p
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width >= 600 and height >= 400 and len(data) > 15_000, (p, width, height, len(data))


def test_heatmap_and_index(report):
    heat = svg_texts(report.heatmap[0].read_text(encoding="utf-8"))
    assert any(t.startswith("(8) Improve a judicial protection system") for t in heat)
    assert any(t.startswith("p3/s2 Strengthening judicial IP") for t in heat)
    assert all(t.isascii() for t in heat)
    index = report.index.read_text(encoding="utf-8")
    for ind in PLAN_INDICATORS:
        assert f"(indicator-{ind}.svg)" in index and f"(indicator-{ind}.png)" in index
    assert "(coverage-heatmap.svg)" in index and "(coverage-matrix.csv)" in index
    assert "target 2025 (recalled)" in index


def test_output_is_deterministic(report, store, tmp_path):
    again = write_report(store, tmp_path)
    for first, second in zip(report.files, again.files):
        assert first.name == second.name
        assert first.read_bytes() == second.read_bytes(), first.name


def test_works_without_reported_values(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(bundled_corpus(), corpus, ignore=shutil.ignore_patterns("actuals", "__pycache__"))
    store = open_store(tmp_path / "store")
    build(store, corpus)
    files = write_report(store, tmp_path / "out")
    assert sorted(files.charts) == sorted(PLAN_INDICATORS)
    texts = svg_texts(files.charts["ip-pledge-financing-amount"][0].read_text(encoding="utf-8"))
    assert "target 2025 (recalled)" in texts and any(t.startswith("baseline 2020 (") for t in texts)
    assert not any(t.startswith("reported (") for t in texts)


def test_errors(store, tmp_path):
    with pytest.raises(UsageError, match="empty"):
        write_report(open_store("memory:"), tmp_path / "a")
    with pytest.raises(UsageError, match="not in the store"):
        write_report(store, tmp_path / "b", plan="plan-1999-2000")
    with pytest.raises(UsageError, match="not a document id"):
        write_report(store, tmp_path / "c", target="Outline 2035")
    assert not (tmp_path / "a").exists()


def test_helpers():
    assert fractional_year(2024, "2024-06-30") == 2024.5
    assert fractional_year(2024, "2024-09-30") == 2024.75
    assert fractional_year(2023, None) == 2023.0
    assert [unit_en(u) for u in ("件", "万件", "亿元", "分", "%", "km", None)] == [
        "items", "10,000 items", "100 million yuan", "points", "%", "km", ""]
    assert [chinese_number(n) for n in ("（八）", "（二十四）", "（十）", "二、", "3.", "——")] == [8, 24, 10, 2, 3, None]
