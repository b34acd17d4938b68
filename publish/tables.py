"""Result tables for HTML (terms with links to resource pages) and named-query downloads."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from plankg import vocab

from .labels import Labels
from .links import Linker
from .pages import Shown
from .results import plain_value
from .worker import XSD_STRING, Outcome


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Shown | None]]
    boolean: bool | None = None
    triples: bool = False
    headings: list | None = None  # Shown per column (named queries); else the column names


def _short(iri: str, link: Linker) -> str:
    local = link.local(iri)
    return local if local is not None else iri


def shown_term(t, link: Linker) -> Shown | None:
    if t is None:
        return None
    kind = t[0]
    if kind == "uri":
        return Shown(_short(t[1], link), link.href(t[1]), None, t[1])
    if kind == "literal":
        note = t[2] or (t[3].rsplit("#", 1)[-1] if t[3] != XSD_STRING else None)
        return Shown(t[1], None, t[2] or None, note=note)
    return Shown(plain_value(t))


def outcome_table(o: Outcome, link: Linker) -> Table:
    if o.kind == "boolean":
        return Table(["result"], [], boolean=o.boolean)
    return Table(o.variables, [[shown_term(t, link) for t in row] for row in o.rows], triples=o.kind == "triples")


PK = str(vocab.PK)
#: named-query columns whose plain values are codes of the ontology (anticipatory, secondary, target …)
CODED = {"confidence", "target_confidence", "attribute", "role", "kind", "how", "level"}


def _labelled(iri: str, link: Linker, labels: Labels) -> Shown:
    """An IRI as a reader sees it: the printed number and heading (never the id), linked."""
    text, lang = labels.pick(iri, link.lang)
    num = labels.numbers.get(iri, "")
    doc = link.iris.doc_id_of(iri)
    note = None
    if doc and iri != link.iris.doc(doc) and doc != iri.rsplit("/", 1)[-1]:
        note = labels.pick(link.iris.doc(doc), link.lang)[0] if link.iris.doc(doc) in labels.by_iri else doc
    return Shown(f"{num} {text}".strip() if num and not text.startswith(num) else text, link.href(iri), lang, iri,
                 note=note)


def named_table(columns: list[str], rows: list[dict], link: Linker, labels: Labels, query=None) -> Table:
    """Rows of a named query with headings instead of ids, codes in words and the column names in the page's language."""
    from .ui import COLUMNS

    out = []
    for r in rows:
        cells = []
        for c in columns:
            v = r[c]
            if v is None:
                cells.append(None)
            elif isinstance(v, str) and v.startswith(("http://", "https://")):
                parts = v.split()
                if len(parts) > 1 and all(x.startswith(("http://", "https://")) for x in parts):
                    cells.append([_labelled(x, link, labels) for x in parts])
                else:
                    cells.append(_labelled(v, link, labels))
            elif isinstance(v, bool):
                cells.append(Shown(("是" if v else "否") if link.lang == "zh" else ("yes" if v else "no")))
            elif c in CODED and isinstance(v, str) and PK + v in labels.by_iri:
                text, lang = labels.pick(PK + v, link.lang)
                cells.append(Shown(text, None, lang, PK + v))
            else:
                cells.append(Shown(str(v)))
        out.append(cells)
    # a document named under each heading only where a column holds headings of several documents
    for j, _ in enumerate(columns):
        docs = set()
        for row in out:
            cell = row[j]
            for c in (cell if isinstance(cell, list) else [cell] if cell is not None else []):
                docs.add(c.note)
        if len(docs) <= 1:
            for row in out:
                cell = row[j]
                for c in (cell if isinstance(cell, list) else [cell] if cell is not None else []):
                    c.note = None
    # the number and headings a labelled first column already shows
    if out and columns and isinstance(out[0][0], Shown) and out[0][0].iri:
        keep = [j for j, c in enumerate(columns) if c not in ("number", "label_zh", "label_en")]
        columns = [columns[j] for j in keep]
        out = [[row[j] for j in keep] for row in out]
    idx = 0 if link.lang == "zh" else 1
    described = dict(query.columns) if query is not None else {}
    headings = [Shown(COLUMNS[c][idx] if c in COLUMNS else c, None, link.lang, note=described.get(c)) for c in columns]
    return Table(columns, out, headings=headings)


def _json_default(v):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    raise TypeError(type(v))


def named_json(rows: list[dict]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, default=_json_default).encode("utf-8")


def named_csv(columns: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if v is None else v for k, v in r.items()})
    return buf.getvalue().encode("utf-8")


@dataclass
class Heatmap:
    """Sections of one document × the parts of another: how many divisions of each part support each section."""

    parts: list[Shown]
    rows: list[tuple[Shown, list[list[Shown]], int]]  # section, supporters per part, total


def coverage_heatmap(rows: list[dict], link: Linker, labels: Labels, source: str) -> Heatmap | None:
    """The coverage-matrix rows as a heatmap: a column per top-level part of ``source`` (a document IRI)."""
    import re

    part_re = re.compile(re.escape(source) + r"/(p\d+)(?:/|$)")
    part_iris = {source + "/" + m.group(1) for iri in labels.by_iri if (m := part_re.match(iri))}
    for r in rows:
        for x in (r.get("supporters") or "").split():
            if m := part_re.match(x):
                part_iris.add(source + "/" + m.group(1))
    if not part_iris:
        return None
    order = sorted(part_iris, key=lambda i: int(i.rsplit("/p", 1)[-1]))
    parts = []
    for iri in order:
        shown = _labelled(iri, link, labels)
        shown.note = None
        parts.append(shown)
    out = []
    for r in rows:
        section = _labelled(r["section"], link, labels)
        section.note = None
        cells = [[] for _ in order]
        for x in (r.get("supporters") or "").split():
            m = part_re.match(x)
            if m:
                shown = _labelled(x, link, labels)
                shown.note = labels.numbers.get(x) or None  # the cell shows the printed number
                cells[order.index(source + "/" + m.group(1))].append(shown)
        out.append((section, cells, sum(len(c) for c in cells)))
    return Heatmap(parts, out)
