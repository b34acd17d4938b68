"""The parsed document: a tree of numbered divisions with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

#: the confidence marks (the concepts of pk:ConfidenceScheme), in the order messages and reports list them
MARKS = ("verified", "secondary", "recalled")


@dataclass(frozen=True)
class Provenance:
    mark: str
    sources: tuple[str, ...]
    note: str | None = None
    uncertain: bool = False


@dataclass
class Fact:
    """A metadata value with the confidence mark and sources it was read with."""

    value: object
    prov: Provenance


@dataclass
class Organisation:
    slug: str
    zh: str | None
    en: str | None
    prov: Provenance
    line: int | None = None  # where the document names it (metadata block)
    #: an organisation of organisations.yaml, which a document only links to (its names are that file's); False
    #: for the issuer read from a bare text's head, which is the document's own
    shared: bool = True


@dataclass
class Relation:
    type: str
    target: str
    target_zh: str | None
    target_en: str | None
    prov: Provenance


@dataclass
class StatedCount:
    of: str
    value: int
    prov: Provenance


@dataclass
class Unplaced:
    role: str
    zh: str | None
    en: str | None
    prov: Provenance


@dataclass
class Source:
    sid: str
    title: str | None
    url: str | None
    official: bool


@dataclass
class DocumentMeta:
    doc_id: str
    doc_type: str
    default: Provenance
    sources: dict[str, Source]
    title_zh: Fact | None = None
    title_en: Fact | None = None
    alt_titles: list[tuple[Fact, str]] = field(default_factory=list)  # (fact, lang)
    short_name: Fact | None = None
    issuers: list[Organisation] = field(default_factory=list)
    doc_number: Fact | None = None
    date_signed: Fact | None = None
    date_published: Fact | None = None
    period: tuple[int, int, Provenance] | None = None
    stated_counts: list[StatedCount] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    subject: Fact | None = None  # the gov.cn policy library's subject class (主题分类), e.g. 科技、教育\知识产权
    planning_type: Fact | None = None  # e.g. 国家级重点专项规划
    pages: list[Fact] = field(default_factory=list)  # official addresses of the document's pages, as seen in a source
    bodies: list[tuple[str, str, Provenance, int]] = field(default_factory=list)  # (role: drafted | coordinates, organisation id, prov, line)
    excerpt: bool = False  # only some headings are known: numbers may skip (but not repeat or go back)
    id_line: int | None = None  # the line of ``id:`` in the metadata block


@dataclass
class IndicatorCell:
    role: str  # baseline | target
    year: int
    value: Decimal
    prov: Provenance
    line: int


@dataclass
class IndicatorRow:
    line: int
    name_zh: str | None  # None: no source gives the Chinese name (``{not found}``), the graph says pk:nameKnown false
    name_prov: Provenance
    slug: str | None = None
    name_en: str | None = None
    unit: str | None = None
    unit_prov: Provenance | None = None
    attribute: str | None = None  # anticipatory | binding
    attribute_prov: Provenance | None = None
    cells: list[IndicatorCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    footnote_markers: list[str] = field(default_factory=list)


@dataclass
class Table:
    """An indicator table. ``node`` is None for an ``@indicators`` block (no table in the document)."""

    line: int
    rows: list[IndicatorRow] = field(default_factory=list)
    node: "Node | None" = None
    notes: list[str] = field(default_factory=list)
    context: "Node | None" = None  # the heading the figures are stated under


@dataclass
class Node:
    level: str  # part, section, item, subitem, bullet, box, table, document
    ordinal: int | None
    number: str | None
    title_zh: str | None
    line: int
    path: str = ""
    title_en: str | None = None
    prov: Provenance | None = None
    number_prov: Provenance | None = None
    roles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    body_lines: list[int] = field(default_factory=list)  # the line of each paragraph of ``body``
    rule: str | None = None  # the extraction rule that made this division (ingest/extract.py), None if read as structure
    extracted_roles: dict[str, str] = field(default_factory=dict)  # role -> the extraction rule that gave it
    year: int | None = None  # the target year of an extracted goal (到2025年，…)
    children: list["Node"] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)
    position: int = 0

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Document:
    meta: DocumentMeta
    root: Node
    path: str
    encoding: str = "utf-8"
    numbering: str = "none"  # continuous | restart | none (section numbering)
    tables: list[Table] = field(default_factory=list)
    extraction: "object | None" = None  # ingest.extract.Extraction, for a full text

    def nodes(self):
        """Every division in document order (not the root)."""
        return [n for n in self.root.walk() if n is not self.root]
