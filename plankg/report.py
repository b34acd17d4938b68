"""A static report of one plan: indicator charts, the coverage matrix and its heatmap, an index page.

``write_report`` reads everything from the store (named queries plus a few small
SPARQL look-ups) and writes, into one directory:

* ``indicator-<id>.svg`` / ``.png`` for each indicator with values stated in the plan:
  baseline (a point), reported values (a line with points; in-year readings at the
  fractional year), target (a dashed horizontal line and a marker at its year);
  marker fill by confidence mark (verified filled, secondary hollow, recalled ``x``);
* ``coverage-matrix.csv`` and ``coverage-heatmap.svg`` / ``.png``: which divisions of
  the plan support each section of the target document;
* ``index.md``: the charts with a sentence each.

Chart text is ASCII English only (Chinese fonts may be missing); output is
deterministic (Agg rendering, fixed SVG hash salt, no dates in the metadata).
"""

from __future__ import annotations

import csv
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pyoxigraph import NamedNode

from plankg.errors import UsageError
from plankg.graph_store.base import GraphStore
from plankg.ingest.model import MARKS
from plankg.iris import DOC_ID_RE, Iris
from plankg.queries.run import result_rows, run_named
from plankg.vocab import SPARQL_PREFIXES

#: units as printed → English for axis labels; anything else is written as given
UNIT_EN = {"件": "items", "万件": "10,000 items", "亿元": "100 million yuan", "分": "points", "%": "%"}
#: chart series: legend name, colour, marker shape (recalled values are always drawn as 'x')
SERIES = {
    "baseline": ("baseline", "#555555", "s"),
    "actual": ("reported", "#1f5fa8", "o"),
    "in-year": ("in-year reading", "#2a9d8f", "^"),
    "target": ("target", "#c0392b", "*"),
}
RC = {"svg.hashsalt": "plankg-report", "svg.fonttype": "path", "font.family": "DejaVu Sans",
      "font.size": 10, "axes.titlesize": 12, "legend.fontsize": 9}
METADATA = {"Date": None}
PNG_DPI = 120
GAP_COLOUR = "#c0392b"
GAP_FILL = "#f7d6d2"

PLAN_INDICATORS = SPARQL_PREFIXES + """SELECT DISTINCT ?plan ?indicator ?label_en WHERE {
  ?v pk:indicator ?indicator ; qb:dataSet ?ds .
  ?ds dcterms:source ?plan .
  OPTIONAL { ?indicator skos:prefLabel ?label_en FILTER(LANG(?label_en) = "en") }
} ORDER BY STR(?indicator)"""
DIVISION_LABELS = SPARQL_PREFIXES + """SELECT ?doc ?division ?label_en WHERE {
  ?division pk:inDocument ?doc ; skos:prefLabel ?label_en FILTER(LANG(?label_en) = "en")
}"""
DOCUMENT_EXISTS = SPARQL_PREFIXES + "SELECT ?doc WHERE { ?doc a pk:PolicyDocument } LIMIT 1"


@dataclass
class ReportFiles:
    """The files one ``write_report`` call wrote (all inside ``out_dir``)."""

    out_dir: Path
    charts: dict[str, list[Path]] = field(default_factory=dict)  # indicator id → [svg, png]
    coverage_csv: Path | None = None
    heatmap: list[Path] = field(default_factory=list)  # [svg, png]
    index: Path | None = None

    @property
    def files(self) -> list[Path]:
        """Every file written, in a stable order."""
        out = [p for paths in self.charts.values() for p in paths]
        out += ([self.coverage_csv] if self.coverage_csv else []) + self.heatmap
        return out + ([self.index] if self.index else [])


@dataclass
class Point:
    """One plotted figure of an indicator."""

    role: str  # baseline, actual, target
    year: int
    as_of: str | None
    value: float
    unit: str | None
    mark: str
    uncertain: bool

    @property
    def x(self) -> float:
        return fractional_year(self.year, self.as_of)

    @property
    def series(self) -> str:
        return "in-year" if self.role == "actual" and self.as_of else self.role


@dataclass
class Indicator:
    iri: str
    id: str
    label: str  # ASCII English
    points: list[Point] = field(default_factory=list)

    @property
    def unit(self) -> str | None:
        """The unit of the plan's own figures, else of any figure."""
        ranked = sorted(self.points, key=lambda p: p.role == "actual")
        return next((p.unit for p in ranked if p.unit), None)


# ---------------------------------------------------------------- small helpers

def ascii_text(text: str) -> str:
    """Text reduced to ASCII for chart labels (typographic punctuation mapped, other characters dropped)."""
    table = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "×": "x", "（": "(", "）": ")"}
    text = "".join(table.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text).strip()


def truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def unit_en(unit: str | None) -> str:
    """The English of a unit for an axis label; an unknown unit is written as given."""
    if not unit:
        return ""
    return UNIT_EN.get(unit, unit)


def fractional_year(year: int, as_of: str | None) -> float:
    """A reading's place on the year axis: the year, or for an in-year date the year plus the months elapsed (2024-06-30 → 2024.5)."""
    if not as_of:
        return float(year)
    d = date.fromisoformat(as_of[:10])
    month_days = (date(d.year + d.month // 12, d.month % 12 + 1, 1) - date(d.year, d.month, 1)).days
    return d.year + round((d.month - 1 + d.day / month_days) / 12, 4)


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def chinese_number(text: str | None) -> int | None:
    """The value of a printed number such as （八）, 二十四、 or 3. (None when it is not one)."""
    core = re.sub(r"[（）()、.．\s]", "", text or "")
    if core.isdigit():
        return int(core)
    if not core or any(c not in _CN_DIGITS and c not in "十百" for c in core):
        return None
    total, digit = 0, 0
    for c in core:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            total += (digit or 1) * (10 if c == "十" else 100)
            digit = 0
    return total + digit


def short_path(iri: str, doc_iri: str) -> str:
    """A division's path inside its document (``…/plan-2021-2025/p3/s2`` → ``p3/s2``)."""
    prefix = doc_iri + "/"
    return iri[len(prefix):] if iri.startswith(prefix) else iri


def path_key(path: str) -> tuple:
    """Sort key for division paths in document order (p3/s10 after p3/s2)."""
    return tuple((re.sub(r"\d+", "", seg), int(re.sub(r"\D", "", seg) or 0)) for seg in path.split("/"))


def join_marks(marks) -> str:
    marks = set(marks)
    return ", ".join([m for m in MARKS if m in marks] + sorted(marks - set(MARKS)))


# ---------------------------------------------------------------- reading the store

def check_documents(store: GraphStore, iris: Iris, *doc_ids: str) -> None:
    """Fail with a UsageError unless the store holds data and each document."""
    if not store.graph_names():
        raise UsageError("the store is empty", "build it first with `plankg build` (or pass --store)")
    for doc_id in doc_ids:
        if not DOC_ID_RE.match(doc_id):
            raise UsageError(f"{doc_id!r} is not a document id", "use an id such as plan-2021-2025")
        if not result_rows(store.query(DOCUMENT_EXISTS, {"doc": NamedNode(iris.doc(doc_id))}))[1]:
            raise UsageError(f"document {doc_id!r} is not in the store",
                             "check the id (`plankg query heading-tree -p doc=ID`) or rebuild the store")


def plan_indicators(store: GraphStore, iris: Iris, plan: str) -> list[Indicator]:
    """The indicators with values stated in ``plan``, with their figures for that plan."""
    _, rows = result_rows(store.query(PLAN_INDICATORS, {"plan": NamedNode(iris.doc(plan))}))
    out = []
    for row in rows:
        ind_id = row["indicator"].rsplit("/", 1)[-1]
        ind = Indicator(row["indicator"], ind_id, ascii_text(row["label_en"] or "") or ind_id)
        ind.points = indicator_points(store, iris, ind.iri, plan)
        out.append(ind)
    return out


def indicator_points(store: GraphStore, iris: Iris, indicator_iri: str, plan: str) -> list[Point]:
    """The indicator's history restricted to the plan: its baseline and target, and the values reported against it."""
    _, rows = run_named(store, "indicator-history", {"indicator": indicator_iri}, iris)
    points = [Point(r["role"], int(r["year"]), r["as_of"], float(r["value"]), r["unit"], r["confidence"] or "",
                    bool(r["uncertain"]))
              for r in rows if r["document"] == iris.doc(plan)]
    return sorted(points, key=lambda p: (p.x, p.role))


def coverage(store: GraphStore, iris: Iris, target: str, plan: str) -> tuple[list[dict], list[str], dict[str, str]]:
    """Coverage rows of the target's sections, the supporting division paths in document order, and their English labels."""
    _, rows = run_named(store, "coverage-matrix", {"target": target, "source": plan}, iris)
    plan_iri = iris.doc(plan)
    for row in rows:
        row["paths"] = sorted({short_path(s, plan_iri) for s in (row["supporters"] or "").split()}, key=path_key)
    columns = sorted({p for row in rows for p in row["paths"]}, key=path_key)
    _, labels = result_rows(store.query(DIVISION_LABELS, {"doc": NamedNode(plan_iri)}))
    names = {short_path(r["division"], plan_iri): ascii_text(r["label_en"]) for r in labels}
    return rows, columns, names


def section_label(row: dict) -> str:
    """``(8) Improve a judicial ...``: a section's number in digits and its English heading."""
    n = chinese_number(row["number"])
    if n is None:
        n = chinese_number(row["section"].rsplit("/", 1)[-1].lstrip("ps"))
    label = ascii_text(row["label_en"] or "")
    return f"({n}) {label}".strip() if n is not None else label


# ---------------------------------------------------------------- indicator charts

def series_label(name: str, points: list[Point]) -> str:
    """Legend text of a series with its marks: ``reported (verified, secondary)``, ``target 2025 (recalled, uncertain)``."""
    tags = [join_marks(p.mark for p in points)]
    if any(p.uncertain for p in points):
        tags.append("uncertain")
    return f"{name} ({', '.join(t for t in tags if t)})"


def marker_style(mark: str, colour: str, shape: str, size: float = 7) -> dict:
    """Line2D keyword arguments of one point: verified filled, secondary hollow, recalled 'x'."""
    if mark == "recalled":
        return dict(marker="x", markersize=size + 1, markeredgewidth=2, color=colour)
    face = colour if mark == "verified" else "white"
    return dict(marker=shape, markersize=size + (4 if shape == "*" else 0), markerfacecolor=face,
                markeredgecolor=colour, markeredgewidth=1.6)


def value_text(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".")


#: where a value label goes, relative to its point: (offset in points, horizontal and vertical alignment)
PLACES = {"above": ((0, 8), "center", "bottom"), "below": ((0, -9), "center", "top"),
          "upper-left": ((-7, 6), "right", "bottom"), "upper-right": ((7, 6), "left", "bottom"),
          "left": ((-10, 0), "right", "center")}


def line_place(values: list[float], i: int) -> str:
    """Where to label point ``i`` of a line so that the text stays off the line's segments."""
    before = values[i] - values[i - 1] if i > 0 else None
    after = values[i + 1] - values[i] if i + 1 < len(values) else None
    if before is not None and after is not None and (before > 0 > after or before < 0 < after):
        return "above" if before > 0 else "below"  # a peak or a trough
    slopes = [d for d in (before, after) if d is not None]
    if any(d > 0 for d in slopes):
        return "upper-left"  # rising: the upper-left is free
    if any(d < 0 for d in slopes):
        return "upper-right"
    return "above"


def draw_points(ax, points: list[Point], series: str, places: list[str | None], size: float = 7,
                zorder: float = 4) -> None:
    """Draw the points of one series in their mark styles, each labelled with its value ('?' when uncertain)."""
    _, colour, shape = SERIES[series]
    for p, place in zip(points, places):
        ax.plot([p.x], [p.value], linestyle="none", zorder=zorder, **marker_style(p.mark, colour, shape, size))
        if place is None:
            continue
        text = value_text(p.value) + (" ?" if p.uncertain else "")
        if series == "in-year":
            text = f"(to {p.as_of})\n{text}"
        offset, ha, va = PLACES[place]
        ax.annotate(text, (p.x, p.value), textcoords="offset points", xytext=offset, ha=ha, va=va,
                    fontsize=8, color=colour, zorder=5, multialignment="center")


def draw_line(ax, points: list[Point], colour: str) -> None:
    """Join reported values year to year: solid between consecutive years, dotted across years with no value."""
    for a, b in zip(points, points[1:]):
        style = dict(linestyle="-", linewidth=2) if b.x - a.x <= 1 else dict(linestyle=":", linewidth=1.5)
        ax.plot([a.x, b.x], [a.value, b.value], color=colour, zorder=3, **style)


def series_handle(series: str, points: list[Point], label: str, **line):
    """A legend entry for a series: its colour and shape, filled if all its marks are verified, 'x' if all recalled."""
    from matplotlib.lines import Line2D

    _, colour, shape = SERIES[series]
    marks = {p.mark for p in points}
    mark = marks.pop() if len(marks) == 1 and marks <= {"verified", "recalled"} else "secondary"
    return Line2D([], [], label=label, **{"linestyle": "none", **marker_style(mark, colour, shape), **line})


def draw_indicator(ind: Indicator):
    """The chart of one indicator: baseline point, reported line, in-year readings, dashed target line(s)."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(8, 5.2), layout="constrained")
    ax = fig.add_subplot()
    by = {s: [p for p in ind.points if p.series == s] for s in SERIES}
    handles = []
    if by["actual"]:
        pts, (name, colour, _) = by["actual"], SERIES["actual"]
        values = [p.value for p in pts]
        draw_line(ax, pts, colour)
        draw_points(ax, pts, "actual", [line_place(values, i) for i in range(len(pts))])
        handles.append(series_handle("actual", pts, series_label(name, pts), color=colour, linestyle="-", linewidth=2))
        if any(b.x - a.x > 1 for a, b in zip(pts, pts[1:])):
            handles.append(Line2D([], [], color=colour, linestyle=":", linewidth=1.5, label="years with no reported value"))
    if by["in-year"]:
        pts, (name, _, _) = by["in-year"], SERIES["in-year"]
        draw_points(ax, pts, "in-year", ["above"] * len(pts))
        handles.append(series_handle("in-year", pts, series_label(name, pts)))
    if by["baseline"]:
        pts, (name, _, _) = by["baseline"], SERIES["baseline"]
        reported = {(p.x, p.value) for p in by["actual"]}  # a baseline equal to a reported value is labelled once
        draw_points(ax, pts, "baseline", [None if (p.x, p.value) in reported else "left" for p in pts],
                    size=13, zorder=3.5)
        years = ", ".join(sorted({str(p.year) for p in pts}))
        handles.append(series_handle("baseline", pts, series_label(f"{name} {years}", pts)))
    for p in by["target"]:
        name, colour, _ = SERIES["target"]
        ax.axhline(p.value, color=colour, linestyle=(0, (6, 4)), linewidth=1.5, zorder=2)
        draw_points(ax, [p], "target", ["upper-right"])
        handles.append(series_handle("target", [p], series_label(f"{name} {p.year}", [p]), color=colour,
                                     linestyle=(0, (6, 4)), linewidth=1.5))
    handles += mark_key(ind.points)
    format_axes(ax, ind)
    fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    return fig


def mark_key(points: list[Point]) -> list:
    """Grey legend entries explaining the marker fills of the marks present (and '?' for uncertain)."""
    from matplotlib.lines import Line2D

    words = {"verified": "verified = filled", "secondary": "secondary = hollow", "recalled": "recalled = x"}
    present = {p.mark for p in points}
    out = [Line2D([], [], linestyle="none", label=words[m], **marker_style(m, "#777777", "o"))
           for m in MARKS if m in present]
    if any(p.uncertain for p in points):
        out.append(Line2D([], [], linestyle="none", marker="$?$", color="#777777", markersize=8, label="? = uncertain"))
    return out


def format_axes(ax, ind: Indicator) -> None:
    """Title (label + unit), unit on the y axis, whole years on the x axis, light grid."""
    from matplotlib.ticker import FuncFormatter

    unit = unit_en(ind.unit)
    title = f"{ind.label} ({unit})" if unit else ind.label
    ax.set_title("\n".join(textwrap.wrap(title, 70)))
    ax.set_ylabel(unit or "value")
    ax.set_xlabel("year")
    xs = [p.x for p in ind.points] or [0.0]
    ax.set_xticks(range(int(min(xs)), int(max(xs)) + 1))
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.margins(y=0.18)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: value_text(v)))
    ax.grid(True, color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# ---------------------------------------------------------------- coverage

def write_coverage_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    """One row per target section, one 1/0 column per supporting division, and the count."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["section", "number", "label_zh", "label_en", *columns, "count"])
        for row in rows:
            cells = [1 if c in row["paths"] else 0 for c in columns]
            w.writerow([row["section"], row["number"] or "", row["label_zh"] or "", row["label_en"] or "",
                        *cells, row["count"]])


def draw_heatmap(rows: list[dict], columns: list[str], names: dict[str, str], target: str, plan: str):
    """Heatmap of the coverage matrix: target sections down, supporting divisions across, gaps in red."""
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    ncols = max(len(columns), 1)
    fig = Figure(figsize=(6.5 + 0.42 * ncols, 3.6 + 0.3 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    # cell values: 1 supports, 0 no link, -1 a gap row (no division supports the section)
    matrix = [[1 if c in row["paths"] else 0 for c in columns] if row["count"] else [-1] * ncols for row in rows]
    ax.imshow(matrix, cmap=ListedColormap([GAP_FILL, "#f1f1f1", "#1f5fa8"]), vmin=-1, vmax=1, aspect="auto",
              interpolation="nearest")
    ax.set_xticks(range(ncols), [truncate(f"{c} {names.get(c, '')}".strip(), 40) for c in columns] or ["(none)"],
                  rotation=50, ha="left", rotation_mode="anchor", fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), [truncate(section_label(r), 60) for r in rows], fontsize=8)
    for tick, row in zip(ax.get_yticklabels(), rows):
        if not row["count"]:
            tick.set_color(GAP_COLOUR)
            tick.set_fontweight("bold")
    ax.set_xticks([x - 0.5 for x in range(1, ncols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for y, row in enumerate(rows):
        gap = not row["count"]
        ax.text(ncols - 0.5 + 0.25, y, "0  gap" if gap else str(row["count"]), va="center", ha="left", fontsize=8,
                color=GAP_COLOUR if gap else "#333333", fontweight="bold" if gap else "normal", clip_on=False)
    ax.set_xlabel(f"divisions of {plan} that support a section (count at right)", fontsize=9)
    ax.set_ylabel(f"sections of {target}", fontsize=9)
    ax.set_title(f"Coverage: which {plan} divisions support each {target} section", fontsize=11)
    fig.legend(handles=[Patch(color="#1f5fa8", label="supports"), Patch(color="#f1f1f1", label="no link"),
                        Patch(color=GAP_FILL, label="gap: no division supports the section (label in red)")],
               loc="outside lower center", ncols=3, frameon=False, fontsize=8)
    return fig


# ---------------------------------------------------------------- writing

def save_figure(fig, stem: Path, title: str) -> list[Path]:
    """Write ``stem.svg`` and ``stem.png`` (call inside ``rc_context(RC)`` for stable bytes); returns both paths."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)  # render with Agg, whatever backend the caller's process uses
    paths = [stem.with_suffix(".svg"), stem.with_suffix(".png")]
    fig.savefig(paths[0], format="svg", metadata={**METADATA, "Title": title})
    fig.savefig(paths[1], format="png", dpi=PNG_DPI, metadata={**METADATA, "Title": title})
    return paths


def chart_sentence(ind: Indicator) -> str:
    """One sentence saying what an indicator chart shows, with the marks of each series."""
    parts = []
    for series, (name, _, _) in SERIES.items():
        pts = [p for p in ind.points if p.series == series]
        if not pts:
            continue
        years = sorted({p.year for p in pts})
        span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
        noun = {"actual": "reported value", "in-year": "in-year reading"}.get(series)
        count = f"{len(pts)} {noun}{'s' if len(pts) > 1 else ''}" if noun else name
        parts.append(f"{count} {span} ({series_label('', pts).strip(' ()')})")
    return "Shows " + "; ".join(parts) + "." if parts else "No figures."


def write_index(path: Path, plan: str, target: str, indicators: list[Indicator], files: ReportFiles,
                rows: list[dict], columns: list[str]) -> None:
    """The Markdown page listing every chart with its image and a sentence."""
    lines = [f"# Report: {plan}", "",
             f"Indicators with values stated in `{plan}` (baseline, target) and the values reported against it; "
             f"coverage of `{target}` by `{plan}`. Marker fill gives the confidence mark: "
             "verified = filled, secondary = hollow, recalled = x; '?' marks an uncertain figure.", "",
             "## Indicators", ""]
    if not indicators:
        lines += [f"No indicator values are stated in `{plan}`.", ""]
    for ind in indicators:
        svg, png = files.charts[ind.id]
        lines += [f"### {ind.label}", "", f"![{ind.label}]({svg.name})", "",
                  f"{chart_sentence(ind)} Source values: `{ind.iri}`. PNG: [{png.name}]({png.name}).", ""]
    gaps = [section_label(r) for r in rows if not r["count"]]
    svg, png = files.heatmap
    lines += ["## Coverage", "", f"![coverage heatmap]({svg.name})", "",
              f"{len(rows) - len(gaps)} of {len(rows)} sections of `{target}` are supported by at least one of "
              f"{len(columns)} divisions of `{plan}`; {len(gaps)} gaps (red): {'; '.join(gaps) or 'none'}. "
              f"Table: [{files.coverage_csv.name}]({files.coverage_csv.name}), PNG: [{png.name}]({png.name}).", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_report(store: GraphStore, out_dir: Path, iris: Iris | None = None, plan: str = "plan-2021-2025",
                 target: str = "outline-2021-2035") -> ReportFiles:
    """Write the charts, the coverage matrix and heatmap, and ``index.md`` for ``plan`` into ``out_dir``."""
    import matplotlib

    iris = iris or Iris()
    check_documents(store, iris, plan, target)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(out_dir)
    indicators = plan_indicators(store, iris, plan)
    rows, columns, names = coverage(store, iris, target, plan)
    with matplotlib.rc_context(RC):  # fonts, sizes and the SVG hash salt; no global backend or style change
        for ind in indicators:
            files.charts[ind.id] = save_figure(draw_indicator(ind), out_dir / f"indicator-{ind.id}", ind.label)
        files.heatmap = save_figure(draw_heatmap(rows, columns, names, target, plan), out_dir / "coverage-heatmap",
                                    f"Coverage of {target} by {plan}")
    files.coverage_csv = out_dir / "coverage-matrix.csv"
    write_coverage_csv(files.coverage_csv, rows, columns)
    files.index = out_dir / "index.md"
    write_index(files.index, plan, target, indicators, files, rows, columns)
    return files
