"""Result tables for HTML (terms with links to resource pages) and named-query downloads."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

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


def named_table(columns: list[str], rows: list[dict], link: Linker, labels: Labels) -> Table:
    out = []
    for r in rows:
        cells = []
        for c in columns:
            v = r[c]
            if v is None:
                cells.append(None)
            elif isinstance(v, str) and v.startswith(("http://", "https://")):
                cells.append(Shown(_short(v, link), link.href(v), None, v))
            else:
                cells.append(Shown(str(v).lower() if isinstance(v, bool) else str(v)))
        out.append(cells)
    return Table(columns, out)


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
