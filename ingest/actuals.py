"""``corpus/actuals/<plan>.tsv`` → values reported after a plan was issued (``pk:actual``), with their sources.

The header (``#`` lines, YAML) names the plan and the sources; the table has the columns
``indicator ref value unit mark src note``.  Each row must name an indicator of the plan, in the
plan's unit; a derived or recalled value is refused (the fact sheets keep them out of the graph).
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from plankg.errors import DocumentError
from plankg.iris import Iris
from plankg.vocab import PK, QB, RDF, XSD

from .frontmatter import YamlFacts, YamlTextError, load_yaml_text, real_date
from .model import Provenance
from .writer import GraphWriter
from .text import check_characters

COLUMNS = ("indicator", "ref", "value", "unit", "mark", "src", "note")
REF = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?$")


def actual_quads(path: Path, iris: Iris, plan_units: dict[str, dict[str, str]]) -> tuple[str, list]:
    """``plan_units``: for each document id, its indicators' units as stated in its tables."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(path, None, f"cannot read the file: {exc}", "save it as UTF-8") from None
    check_characters(text.replace("\r\n", "\n"), path)
    lines = text.splitlines()
    header = [l[1:] for l in lines if l.startswith("#")]
    body_start = next((i for i, l in enumerate(lines) if not l.startswith("#") and l.strip()), len(lines))
    try:
        meta = load_yaml_text("\n".join(header)) or {}
    except YamlTextError as exc:
        raise DocumentError(path, exc.line + 1 if exc.line is not None else 1, f"the header is not valid YAML: {exc.problem}") from None
    plan = str(meta.get("plan", ""))
    if plan != path.stem.split(".")[0]:
        raise DocumentError(path, 1, f"the header says plan {plan!r}, the file name says {path.stem!r}", "name the file after the plan's id")
    if plan not in plan_units:
        raise DocumentError(path, 1, f"plan {plan!r} is not a document of the corpus")
    r = YamlFacts(path, meta, header, 0)
    sources = r.read_sources(meta.get("sources"))
    scope = f"{plan}/actuals"
    out = GraphWriter(iris, iris.graph(f"actuals/{plan}"), scope)
    out.sources(sources)
    reader = csv.DictReader(lines[body_start:], delimiter="\t")
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise DocumentError(path, body_start + reader.line_num, f"the table cannot be read: {exc}") from None
    if tuple(reader.fieldnames or ()) [:len(COLUMNS)] != COLUMNS:
        raise DocumentError(path, body_start + 1, f"the table header must be: {' '.join(COLUMNS)}")
    ds = NamedNode(iris.actuals(plan))
    doc = NamedNode(iris.doc(plan))
    out.add(ds, RDF.type, QB.DataSet)
    out.add(ds, QB.structure, PK.indicatorValueStructure)
    out.add(ds, PK.tracks, doc)
    out.labels(ds, "规划实施后报告的指标值", f"Values reported for the indicators of {plan}")
    seen: dict[tuple, int] = {}
    units = plan_units[plan]
    for i, row in enumerate(rows):
        line = body_start + 2 + i
        ind, ref, value, unit = ((row.get(k, "") or "").strip() for k in ("indicator", "ref", "value", "unit"))
        if ind not in units:
            raise DocumentError(path, line, f"indicator {ind!r} is not in the table of {plan}", f"use one of: {', '.join(sorted(units))}")
        m = REF.match(ref)
        if not m or (m[2] and not real_date(ref)):
            raise DocumentError(path, line, f"ref {ref!r} is neither a year nor a real date YYYY-MM-DD")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", value):
            raise DocumentError(path, line, f"value {value!r} is not a number", "derived or worded values stay out of the graph")
        if units[ind] and unit != units[ind]:
            raise DocumentError(path, line, f"unit {unit!r} differs from the plan's unit {units[ind]!r} for {ind}")
        mark = (row.get("mark") or "").strip()
        if mark not in ("verified", "secondary"):
            raise DocumentError(path, line, f"mark {mark!r}: reported values are loaded only when verified or secondary")
        src = tuple((row.get("src") or "").replace(",", " ").split())
        if not src or any(s not in sources for s in src):
            raise DocumentError(path, line, f"src {' '.join(src)!r} must name sources of the header")
        if (ind, ref) in seen:
            raise DocumentError(path, line, f"a second value for {ind} at {ref} (first on line {seen[(ind, ref)]})")
        seen[(ind, ref)] = line
        note = (row.get("note") or "").strip() or None
        v = NamedNode(iris.value(plan, ind, "actual", ref))  # type: ignore[arg-type]
        indicator = NamedNode(iris.indicator(ind))
        out.add(v, RDF.type, PK.IndicatorValue)
        out.add(v, RDF.type, QB.Observation)
        out.add(v, QB.dataSet, ds)
        out.add(v, PK.indicator, indicator)
        out.add(indicator, PK.hasValue, v)
        out.add(v, PK.valueRole, PK.actual)
        out.add(v, PK.refYear, Literal(m[1], datatype=XSD.gYear))
        if m[2]:
            out.add(v, PK.asOf, Literal(ref, datatype=XSD.date))
        out.add(v, PK.value, Literal(format(Decimal(value), "f"), datatype=XSD.decimal))  # str() may give 1E-7
        out.add(v, PK.statedIn, NamedNode(iris.source(scope, src[0])))
        prov = Provenance(mark, src, note)
        if unit:
            out.attest(v, PK.unit, Literal(unit, language="zh"), prov)
        out.provenance(v, prov)
        when = ref if m[2] else f"{ref}年"
        out.labels(v, f"{ind} 实际值（{when}）：{value}{unit}", f"{ind}: actual {ref} = {value} {unit}".rstrip())
    if not seen:
        raise DocumentError(path, body_start + 1, "the table has no rows")
    return out.g.value, out.quads
