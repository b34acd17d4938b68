"""Indicator tables (主要指标): header detection, cells, cell marks and footnotes."""

from __future__ import annotations

import re
import shlex
from decimal import Decimal, InvalidOperation

from plankg.errors import DocumentError

from .model import MARKS, IndicatorCell, IndicatorRow, Provenance, Table
from .numbering import FULLWIDTH

ATTRIBUTES = {"预期性": "anticipatory", "约束性": "binding"}
NAME_HEADERS = ("指标名称", "指标", "名称")
YEAR_HEADER = re.compile(r"^(\d{4})\s*年?")
CELL_MARK = re.compile(r"\{([^{}]*)\}\s*$")
UNIT_IN_NAME = re.compile(r"^(.*?)[（(]([^（）()]{1,12})[）)]$")
FOOTNOTE_MARKERS = "#＃*※"
FOOTNOTE_YEAR = re.compile(r"[带標标有]?([#＃*※])\s*(?:号|者|的)?\s*(?:为|表示|系|是)\s*(\d{4})\s*年(?:度)?数据")
EMPTY = {"", "—", "-", "－", "–", "——", "/", "／"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")


def is_table_row(line: str) -> bool:
    s = line.strip()
    return (s.startswith("|") and s.endswith("|") and s.count("|") >= 3) or s.count("\t") >= 2


def split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        return [c.strip() for c in s.strip("|").split("|")]
    return [c.strip() for c in s.split("\t")]


def is_separator(cells: list[str]) -> bool:
    return all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c) and any(cells)


class TableReader:
    """Accumulates the rows of one table; ``finish`` resolves footnote years."""

    def __init__(self, table: Table, path: object, sources: dict, table_prov: Provenance, period: tuple | None):
        self.table, self.path, self.sources = table, path, sources
        self.table_prov, self.period = table_prov, period
        self.columns: dict[str, int] | None = None
        self.year_cols: list[tuple[int, int, str]] = []  # (index, year, role)
        self.width = 0
        self.seen_slugs: dict[str, int] = {}
        self.header_line = table.line

    # -- marks -----------------------------------------------------------------
    def cell_mark(self, text: str, line: int) -> tuple[str, Provenance | None, bool, int | None]:
        """Strip a trailing ``{mark S1 …}``; return (text, provenance, not_found, year override)."""
        m = CELL_MARK.search(text)
        if not m:
            return text.strip(), None, False, None
        body, text = m[1].strip(), text[:m.start()].strip()
        if body.lower() in ("not found", "not-found"):
            return text, None, True, None
        try:
            tokens = shlex.split(body)
        except ValueError as exc:
            raise DocumentError(self.path, line, f"cell mark {{{body}}} cannot be read: {exc}") from None
        if not tokens or tokens[0] not in MARKS:
            raise DocumentError(self.path, line, f"cell mark {{{body}}} must start with one of {', '.join(MARKS)}")
        mark, sources, uncertain, year, note = tokens[0], [], False, None, None
        for tok in tokens[1:]:
            if re.fullmatch(r"S\d+[a-z]?", tok):
                if tok not in self.sources:
                    raise DocumentError(self.path, line, f"cell mark cites source {tok} that is not in the metadata 'sources'")
                sources.append(tok)
            elif tok == "uncertain":
                uncertain = True
            elif tok.startswith("year="):
                if not re.fullmatch(r"year=\d{4}", tok):
                    raise DocumentError(self.path, line, f"cell mark {tok!r} is not year=YYYY")
                year = int(tok[5:])
            elif tok.startswith("note="):
                note = tok[5:]
            else:
                raise DocumentError(self.path, line, f"cell mark has an unknown word {tok!r}",
                                    "use: {mark S1 S2 [uncertain] [year=YYYY] [note=\"…\"]}")
        if not sources and mark != "recalled":
            raise DocumentError(self.path, line, f"cell mark {{{body}}} names no source", "a verified or secondary figure needs its source ids")
        return text, Provenance(mark, tuple(sources), note, uncertain), False, year

    # -- rows ------------------------------------------------------------------
    def header(self, cells: list[str], line: int) -> None:
        cols: dict[str, int] = {}
        for i, raw in enumerate(cells):
            c = raw.replace(" ", "")
            if any(c.startswith(h) for h in NAME_HEADERS) and "name" not in cols:
                cols["name"] = i
            elif c.startswith("单位"):
                cols["unit"] = i
            elif c.startswith("属性"):
                cols["attribute"] = i
            elif c.startswith("备注"):
                cols["note"] = i
            elif (m := YEAR_HEADER.match(c.translate(FULLWIDTH))):
                self.year_cols.append((i, int(m[1]), ""))
        if "name" not in cols or not self.year_cols:
            raise DocumentError(self.path, line, "the table has no header row with an indicator-name column (指标) and a year column (e.g. 2025年)",
                                "start the table with a header such as | 指标 | 单位 | 2020年 | 2025年 | 属性 |")
        years = self.year_cols
        if len(years) == 1:
            i, y, _ = years[0]
            starts = self.period[0] if self.period else None
            years = [(i, y, "target" if starts is None or y > starts else "baseline")]
        else:
            years = [(i, y, "baseline" if k == 0 else "target") for k, (i, y, _) in enumerate(years)]
        self.year_cols, self.columns, self.width = years, cols, len(cells)
        self.header_line = line

    def row(self, cells: list[str], line: int) -> None:
        if self.columns is None:
            self.header(cells, line)
            return
        if is_separator(cells):
            return
        if len(cells) != self.width:
            raise DocumentError(self.path, line, f"the row has {len(cells)} cells but the header has {self.width}")
        cols = self.columns
        name, name_prov, name_not_found, _ = self.cell_mark(cells[cols["name"]], line)
        if name_not_found and name in EMPTY:  # ``{not found}``: no source gives the Chinese name (needs @id and @en)
            name, name_prov = None, None
        elif not name or name in EMPTY:
            raise DocumentError(self.path, line, "the row has no indicator name",
                                "give the Chinese name, or {not found} with @id and @en lines if no source gives it")
        row = IndicatorRow(line, name, name_prov or self.table_prov)
        if "unit" in cols:
            unit, unit_prov, _, _ = self.cell_mark(cells[cols["unit"]], line)
            if unit and unit not in EMPTY:
                row.unit, row.unit_prov = unit, unit_prov or row.name_prov
        m = UNIT_IN_NAME.match(name) if name else None
        if m and row.unit is None:
            row.name_zh, row.unit, row.unit_prov = m[1].strip(), m[2].strip(), row.name_prov
        if "attribute" in cols:
            attr, attr_prov, _, _ = self.cell_mark(cells[cols["attribute"]], line)
            if attr and attr not in EMPTY:
                if attr not in ATTRIBUTES:
                    raise DocumentError(self.path, line, f"attribute {attr!r} is neither 预期性 nor 约束性")
                row.attribute, row.attribute_prov = ATTRIBUTES[attr], attr_prov or row.name_prov
        if "note" in cols and cells[cols["note"]].strip() not in EMPTY:
            row.notes.append(cells[cols["note"]].strip())
        for index, year, role in self.year_cols:
            text, prov, not_found, year_override = self.cell_mark(cells[index], line)
            marker = ""
            while text and text[-1] in FOOTNOTE_MARKERS:
                marker, text = text[-1], text[:-1].strip()
            if not_found or text in EMPTY:
                continue
            number = text.translate(FULLWIDTH).replace(",", "").replace("，", "").rstrip("%％").strip()
            if not re.fullmatch(r"[+-]?\d+(\.\d+)?", number):
                raise DocumentError(self.path, line, f"value {text!r} in the {year} column is not a number",
                                    "write the figure alone (e.g. 12 or 3194.4); put words in a note")
            try:
                value = Decimal(number)
            except InvalidOperation:  # pragma: no cover - the regex guards this
                raise DocumentError(self.path, line, f"value {text!r} is not a number") from None
            cell = IndicatorCell(role, year_override or year, value, prov or self.table_prov, line)
            if marker:
                row.footnote_markers.append(f"{marker}:{role}")
            row.cells.append(cell)
        self.table.rows.append(row)

    def set_slug(self, row: IndicatorRow, slug: str, line: int) -> None:
        if not SLUG.match(slug):
            raise DocumentError(self.path, line, f"indicator id {slug!r} is not a lowercase slug [a-z0-9-]")
        if slug in self.seen_slugs:
            raise DocumentError(self.path, line, f"duplicate indicator id {slug!r} (first used on line {self.seen_slugs[slug]})")
        self.seen_slugs[slug] = line
        row.slug = slug

    def note(self, text: str) -> None:
        self.table.notes.append(text)

    def finish(self) -> None:
        """Apply footnote years (``注：带#为2019年数据``) to the marked cells."""
        years = {}
        for note in self.table.notes:
            for m in FOOTNOTE_YEAR.finditer(note):
                years[m[1].replace("＃", "#")] = int(m[2])
        for row in self.table.rows:
            for tag in row.footnote_markers:
                marker, role = tag.split(":")
                year = years.get(marker.replace("＃", "#"))
                if year is None:
                    continue
                for cell in row.cells:
                    if cell.role == role:
                        cell.year = year
                        row.notes.append(f"the {role} value is {year} data (table footnote {marker})")
