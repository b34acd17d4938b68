"""From lines of a Chinese policy text to a :class:`~plankg.ingest.model.Document`.

Reads both our heading files (with ``@`` annotations) and full published texts
(prose between headings, headings that open a paragraph, a circular wrapper).
Numbering is checked as it is read: a skipped or repeated number, or a section
before any part, stops the parse with the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from plankg.errors import DocumentError, UsageError
from plankg.iris import DOC_ID_RE, RESERVED_IDS, short_hash

from . import numbering as nb
from .doctypes import DOC_TYPES, infer_type
from .frontmatter import ROLES, read_meta, split_front_matter, valid_iri
from .model import MARKS, Document, DocumentMeta, Fact, IndicatorRow, Node, Organisation, Provenance, Source, Table
from .tables import TableReader, is_table_row, split_row
from .text import read_lines

MD_PREFIX = re.compile(r"^(#{1,6}\s+)")
BOLD = re.compile(r"\*\*|__")
COMMENT = re.compile(r"^<!--.*-->$")
CAPTION = re.compile(r"^表\s*([0-9０-９]{0,3})\s*[:：.．、]?\s*(\S.*)$")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fa5]{1,10}[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*\d{1,4}\s*号$")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
CIRCULAR = re.compile(r"关于印发[《“\"]?(.+?)[》”\"]?的通知$")
LEAD_LINE = re.compile(r"^\*\*([^*]+)\*\*(.*)$")
NOTE_LINE = re.compile(r"^(注[：:]|注\s*\d|[①②③④⑤⑥⑦⑧⑨⑩]|带[#＃*※]|[#＃*※]\s*(为|表示))")


#: characters that show as nothing (Unicode format characters: zero-width spaces and joiners, bidi marks,
#: embeddings, overrides and isolates, the word joiner, a BOM inside a line)
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")

#: bounds on one document (the corpus's largest has a few hundred divisions and a few dozen table rows): past
#: them ingest stops with file:line instead of building a graph of millions of quads (benchmarks/ingest_bench.py:
#: 20,000 bullets take 3.4 s and 547 MiB, 5,000 table rows 3.3 s and 574 MiB)
MAX_DIVISIONS = 25_000
MAX_TABLE_ROWS = 5_000


class Parser:
    def __init__(self, path: object, meta: DocumentMeta):
        self.path, self.meta = path, meta
        self.root = Node("document", None, None, None, 0)
        self.book = self.chapter = self.chsection = None
        self.part = self.section = self.item = self.subitem = self.box = None
        self.last_part = 0
        self.last_chapter_global = 0
        self.chapter_style: str | None = None
        self.last_section_global = 0
        self.section_style: str | None = None
        self.box_count = 0
        self.table_count = 0
        self.has_parts = False
        self.target = None  # what an @-line applies to: Node, IndicatorRow or TableReader
        self.context: Node = self.root  # the node body text and tables attach to
        self.table: TableReader | None = None
        self.tables: list[Table] = []
        self.seen_numbers: dict[tuple, int] = {}
        self.divisions = 0
        self.table_rows = 0
        self.tally: dict[tuple[int, str], tuple[int, int]] = {}  # (id of a parent, level) -> (children, highest ordinal)

    # -- helpers -----------------------------------------------------------------
    def count(self, parent: Node, level: str) -> int:
        """How many children of this level ``parent`` has (kept by :meth:`attach`: no scan of the siblings)."""
        return self.tally.get((id(parent), level), (0, 0))[0]

    def last(self, parent: Node, level: str) -> int:
        """The highest number among ``parent``'s children of this level, 0 if none."""
        return self.tally.get((id(parent), level), (0, 0))[1]

    def fail(self, line: int, message: str, hint: str | None = None):
        raise DocumentError(self.path, line, message, hint)

    def attach(self, node: Node, parent: Node) -> Node:
        node.parent = parent
        if node.level == nb.BULLET:
            node.ordinal = self.count(parent, nb.BULLET) + 1
        level = nb.LEVELS[node.level]
        seg = f"{level.segment}{node.ordinal}"
        if not level.rooted:
            node.path = f"{parent.path}/{seg}" if parent.path else seg
        else:
            node.path = f"{parent.path}/{seg}" if parent.level == nb.BOX else seg
        self.divisions += 1
        if self.divisions > MAX_DIVISIONS:
            self.fail(node.line, f"more than {MAX_DIVISIONS} divisions (headings, bullets, tables) in one document",
                      "no policy document has this many: is it the right file? (split it into documents otherwise)")
        parent.children.append(node)
        key = (id(parent), node.level)  # the tallies of the parent's children, kept as they are added (linear)
        n, last = self.tally.get(key, (0, 0))
        self.tally[key] = (n + 1, max(last, node.ordinal or 0))
        self.target = node
        self.context = node
        return node

    def check_sequence(self, key: tuple, node: Node, expected: int, line: int):
        """``node``'s number is the ``expected`` one (in an excerpt: higher than the last), else stop with the line."""
        ordinal, printed, level = node.ordinal, node.number, nb.LEVELS[node.level]
        first = self.seen_numbers.get(key + (ordinal,))
        if ordinal == expected or (self.meta.excerpt and ordinal > expected and first is None):
            self.seen_numbers[key + (ordinal,)] = line
            return
        if first is not None:
            self.fail(line, f"repeated {level.what} {printed} (first on line {first})", "renumber or remove the duplicate heading")
        if self.meta.excerpt:
            self.fail(line, f"out of order: {level.what} {printed} comes after {level.render(expected - 1)}",
                      "numbers may skip in an excerpt, but must increase")
        self.fail(line, f"skipped number: expected {level.what} {level.render(expected)} but found {printed}",
                  "check the numbering; a number is missing or out of order (or mark the document excerpt: true)")

    def container(self) -> Node:
        """The innermost open part, section or 篇/章/节 that a new heading of a lower level goes under."""
        return self.section or self.part or self.chsection or self.chapter or self.book or self.root

    # -- headings: one method per level (HEADINGS), each checking the number and attaching the node ----------
    def heading(self, h: nb.Heading, line: int, full_text: str):
        self.end_table()
        title, body = nb.split_heading(h.rest)
        node = Node(h.level, h.ordinal, h.number if h.level != nb.BULLET else None, title or None, line)
        self.HEADINGS[h.level](self, node, line)
        if body:
            node.body.append(body)
            node.body_lines.append(line)

    def close_below_chsection(self):
        """A 篇, 章, 节 or part heading ends the open part, section, item, sub-item and box."""
        self.part = self.section = self.item = self.subitem = self.box = None

    def open_book(self, node: Node, line: int):
        self.check_sequence(("book",), node, self.last(self.root, nb.BOOK) + 1, line)
        self.book, self.chapter, self.chsection = node, None, None
        self.close_below_chsection()
        self.attach(node, self.root)

    def open_chapter(self, node: Node, line: int):
        scope = self.book or self.root
        in_scope = [self.last(scope, nb.CHAPTER)] if self.count(scope, nb.CHAPTER) else []
        expected = self.run_on_or_restart(in_scope, node.ordinal, "chapter", line)
        self.check_sequence(("chapter", scope.path), node, expected, line)
        self.last_chapter_global = node.ordinal
        self.chapter, self.chsection = node, None
        self.close_below_chsection()
        self.attach(node, scope)

    def open_chsection(self, node: Node, line: int):
        if self.chapter is None:
            self.fail(line, f"{node.number} before any chapter (第一章)", "put the 节 under a 章 heading")
        self.check_sequence(("chsection", self.chapter.path), node, self.last(self.chapter, nb.CHSECTION) + 1, line)
        self.chsection = node
        self.close_below_chsection()
        self.attach(node, self.chapter)

    def open_part(self, node: Node, line: int):
        scope = self.chsection or self.chapter or self.book or self.root
        self.check_sequence(("part", scope.path), node, self.last(scope, nb.PART) + 1, line)
        self.last_part = node.ordinal
        self.close_below_chsection()
        self.part = node
        self.attach(node, scope)

    def open_section(self, node: Node, line: int):
        if self.has_parts and self.part is None and self.chapter is None and self.book is None:
            self.fail(line, f"section {node.number} before any part (一、)", "put the section under a part heading")
        self.section_number(node, line)
        self.section, self.item, self.subitem, self.box = node, None, None, None
        self.attach(node, self.part or self.chsection or self.chapter or self.book or self.root)

    def open_box(self, node: Node, line: int):
        self.check_sequence(("box",), node, self.box_count + 1, line)
        self.box_count = node.ordinal
        self.item = self.subitem = None
        self.box = node
        self.attach(node, self.container())

    def open_item(self, node: Node, line: int):
        parent = self.item_parent(node.ordinal)
        self.check_sequence(("item", parent.path or "root"), node, self.last(parent, nb.ITEM) + 1, line)
        self.item, self.subitem = node, None
        self.attach(node, parent)

    def open_subitem(self, node: Node, line: int):
        parent = self.item or self.box or self.container()
        self.check_sequence(("subitem", parent.path or "root"), node, self.last(parent, nb.SUBITEM) + 1, line)
        self.subitem = node
        self.attach(node, parent)

    def open_bullet(self, node: Node, line: int):
        parent = self.subitem or self.item or self.box or self.container()
        if parent is self.root and not node.title_zh:
            self.fail(line, "a —— bullet with no text")
        self.attach(node, parent)

    #: the method that opens a heading of each level match_heading finds
    HEADINGS = {nb.BOOK: open_book, nb.CHAPTER: open_chapter, nb.CHSECTION: open_chsection, nb.PART: open_part,
                nb.SECTION: open_section, nb.BOX: open_box, nb.ITEM: open_item, nb.SUBITEM: open_subitem,
                nb.BULLET: open_bullet}

    def section_number(self, node: Node, line: int):
        """Sections run on through the document or restart in each part; learn which, then hold to it."""
        n, printed = node.ordinal, node.number
        scope = ("section", self.part.ordinal if self.part else 0)
        scope_node = self.part or self.container()
        in_part = [self.last(scope_node, nb.SECTION)] if self.count(scope_node, nb.SECTION) else []
        if in_part:
            expected = in_part[-1] + 1
        elif self.last_section_global == 0 or self.meta.excerpt:
            expected = 1
        else:
            options = {"restart": 1, "continuous": self.last_section_global + 1}
            if self.section_style is None:
                style = next((k for k, v in options.items() if v == n), None)
                if style is None:
                    self.fail(line, f"skipped number: the first section of a part should be （一） (numbering restarts) or "
                                    f"{nb.LEVELS[nb.SECTION].render(options['continuous'])} (numbering runs on), found {printed}")
                self.section_style = style
            expected = options[self.section_style]
        if self.section_style == "continuous" and n <= self.last_section_global and n != expected:
            self.fail(line, f"repeated section {printed} (numbering runs on through the document)",
                      "renumber or remove the duplicate heading")
        self.check_sequence(scope, node, expected, line)
        self.last_section_global = n

    def run_on_or_restart(self, in_scope: list[int], n: int, what: str, line: int) -> int:
        """The expected number of a chapter: straight through the document, or restarting per 篇."""
        if in_scope:
            return in_scope[-1] + 1
        if self.last_chapter_global == 0 or self.meta.excerpt:
            return 1
        options = {"restart": 1, "continuous": self.last_chapter_global + 1}
        if self.chapter_style is None:
            self.chapter_style = next((k for k, v in options.items() if v == n), "continuous")
        return options[self.chapter_style]

    def lead(self, title: str, body: str, line: int) -> None:
        """An unnumbered paragraph that opens with a bold lead phrase (its title)."""
        self.end_table()
        node = Node(nb.LEAD, None, None, title, line)
        parent = self.subitem or self.item or self.box or self.container()
        self.attach(node, parent)
        node.ordinal = self.count(parent, nb.LEAD)
        node.path = f"{parent.path}/l{node.ordinal}" if parent.path else f"l{node.ordinal}"
        if body:
            node.body.append(body)
            node.body_lines.append(line)

    def item_parent(self, ordinal: int) -> Node:
        outer = self.container()
        if self.box is not None:
            in_box = self.last(self.box, nb.ITEM)
            in_outer = self.last(outer, nb.ITEM)
            if ordinal == in_box + 1 or ordinal != in_outer + 1:
                return self.box
            self.box = None  # numbering continues the section's items: the box has ended
        return outer

    # -- annotations ---------------------------------------------------------------
    def annotation(self, line_text: str, line: int):
        m = re.match(r"^@([a-z-]+)\s*(.*)$", line_text)
        if not m:
            self.fail(line, f"cannot read the annotation {line_text!r}", f"annotations are {', '.join(ANNOTATION_NAMES)}")
        key, value = m[1], m[2].strip()
        handler = self.ANNOTATIONS.get(key)
        target = self.target
        if handler is not Parser.at_indicators and target is None:
            self.fail(line, f"@{key} comes before any heading or table row it could apply to",
                      "put annotation lines right under the heading they describe")
        if handler is None:
            self.fail(line, f"unknown annotation @{key}",
                      f"use {', '.join(ANNOTATION_NAMES[:-1])} or {ANNOTATION_NAMES[-1]}")
        handler(self, target, value, line)

    # -- one method per annotation (ANNOTATIONS): what the line says about the heading or row above it ---------
    def at_en(self, target, value: str, line: int):
        if not value:
            self.fail(line, "@en needs the English text")
        if isinstance(target, IndicatorRow):
            target.name_en = value
        else:
            target.title_en = value

    def at_mark(self, target, value: str, line: int):
        prov = self.read_mark(value, line, "mark")
        if isinstance(target, IndicatorRow):
            target.name_prov = prov
        else:
            target.prov = prov
            if target.level == "table" and self.table is not None and self.table.table.node is target:
                self.table.table_prov = prov

    def at_number(self, target, value: str, line: int):
        prov = self.read_mark(value, line, "number")
        if not isinstance(target, Node):
            self.fail(line, "@number applies to a numbered heading only")
        target.number_prov = prov

    def at_role(self, target, value: str, line: int):
        roles = [r.strip() for r in value.replace("，", ",").split(",") if r.strip()]
        bad = [r for r in roles if r not in ROLES]
        if not roles or bad or not isinstance(target, Node):
            self.fail(line, f"@role {value!r}: expected one or more of {', '.join(ROLES)} on a heading")
        target.roles = roles

    def at_id(self, target, value: str, line: int):
        if not isinstance(target, IndicatorRow):
            self.fail(line, "@id applies to an indicator table row only")
        if self.table is None or target not in self.table.table.rows:  # text came between: the table has ended
            self.fail(line, "@id must come right under its table row, before any other text",
                      "move the @id line up under the row it names")
        self.table.set_slug(target, value, line)

    def at_note(self, target, value: str, line: int):
        if not value:
            self.fail(line, "@note needs text")
        target.notes.append(value)

    def at_indicators(self, target, value: str, line: int):
        """An indicator table follows (the only annotation that needs nothing above it)."""
        self.start_table(None, line)

    #: the annotations, in the order hints list them
    ANNOTATIONS = {"en": at_en, "mark": at_mark, "number": at_number, "role": at_role, "id": at_id, "note": at_note,
                   "indicators": at_indicators}

    def read_mark(self, value: str, line: int, key: str) -> Provenance:
        tokens = value.replace(",", " ").split()
        if not tokens or tokens[0] not in MARKS:
            self.fail(line, f"@{key} {value!r}: the mark must be one of {', '.join(MARKS)}")
        sources = tokens[1:]
        for sid in sources:
            if sid not in self.meta.sources:
                self.fail(line, f"@{key} cites source {sid} that is not in the metadata 'sources'", "add it there or fix the id")
        if not sources and tokens[0] != "recalled":
            self.fail(line, f"@{key} {tokens[0]} names no source", "list the source ids, e.g. @mark secondary S1 S2")
        return Provenance(tokens[0], tuple(sources))

    # -- tables --------------------------------------------------------------------
    def start_table(self, caption: Node | None, line: int):
        self.end_table()
        context = caption.parent if caption is not None else self.context
        table = Table(line, node=caption, context=context)
        prov = (caption.prov if caption is not None and caption.prov else None) or (context.prov if context is not None and context.prov else None) or self.meta.default
        self.table = TableReader(table, self.path, self.meta.sources, prov, self.period())
        self.tables.append(table)
        self.target = caption

    def period(self):
        return self.meta.period[:2] if self.meta.period else None

    def end_table(self):
        if self.table is not None:
            if self.table.columns is None:
                self.fail(self.table.table.line, "the table has no rows")
            if not self.table.table.rows:
                self.fail(self.table.header_line, "the table has a header row but no data rows (is the file truncated?)",
                          "give the indicator rows, or remove the table")
            self.table.finish()
            self.table = None

    # -- main loop -------------------------------------------------------------------
    def parse(self, lines: list[str], first_line: int) -> Node:
        self.has_parts = any(
            (h := nb.match_heading(self.clean(l))) is not None and h.level == nb.PART for l in lines[first_line:]
        )
        i = first_line
        while i < len(lines):
            number = i + 1
            raw = lines[i].strip()
            i += 1
            if not raw or COMMENT.match(raw) or raw.startswith(">"):
                continue
            if raw.startswith("@"):
                self.annotation(raw, number)
                continue
            if is_table_row(raw):
                if self.table is None:
                    self.start_table(None, number)
                had = len(self.table.table.rows)
                self.table.row(split_row(raw), number)
                self.table_rows += len(self.table.table.rows) - had  # data rows only (not the header, not |---|)
                if self.table_rows > MAX_TABLE_ROWS:
                    self.fail(number, f"more than {MAX_TABLE_ROWS} table rows in one document",
                              "no policy document has this many indicator rows: is it the right file?")
                self.target = self.table.table.rows[-1] if self.table.table.rows else self.target
                continue
            m = LEAD_LINE.match(MD_PREFIX.sub("", raw))
            if m and nb.match_heading(self.clean(raw)) is None and self.container() is not self.root:
                title, body = m[1].strip().rstrip("。：:").strip(), (m[2] or "").strip()
                if title:
                    self.lead(title, body, number)
                    continue
            text = self.clean(raw)
            if self.table is not None and NOTE_LINE.match(text):
                self.table.note(text)
                continue
            h = nb.match_heading(text)
            if h is not None:
                self.heading(h, number, text)
                continue
            self.check_hidden_number(text, number)
            m = CAPTION.match(text)
            if m and self.next_is_table(lines, i):
                self.end_table()
                self.table_count += 1
                node = Node("table", self.table_count, None, m[2].strip(), number)
                self.attach(node, self.box or self.section or self.part or self.root)
                self.start_table(node, number)
                continue
            self.end_table()
            self.context.body.append(text)
            self.context.body_lines.append(number)
        self.end_table()
        return self.root

    def check_hidden_number(self, text: str, line: int) -> None:
        """A heading whose number holds an invisible character (a zero-width space, a bidi mark such as U+200F or
        U+202E) would be read as prose and its division silently lost: refused, naming the line and the character."""
        m = INVISIBLE.search(text, 0, 24)
        if m and nb.match_heading(INVISIBLE.sub("", text[:24]) + text[24:]) is not None:
            self.fail(line, f"invisible character U+{ord(m.group()):04X} inside a heading's number "
                            f"({text[:m.start()]!r} before it)", "delete the character: the heading is not read as one with it")

    @staticmethod
    def clean(raw: str) -> str:
        text = MD_PREFIX.sub("", raw.strip())
        return BOLD.sub("", text).strip()

    @staticmethod
    def next_is_table(lines: list[str], i: int) -> bool:
        while i < len(lines):
            s = lines[i].strip()
            if s and not s.startswith("@") and not COMMENT.match(s):
                return is_table_row(s)
            i += 1
        return False


#: "@en", "@mark", …: the annotations as hints name them
ANNOTATION_NAMES = tuple(f"@{key}" for key in Parser.ANNOTATIONS)


# -- roles ----------------------------------------------------------------------------

def infer_roles(root: Node) -> None:
    for node in root.walk():
        if node.roles or node.level in ("document", "table"):
            continue
        parent_title = (node.parent.title_zh or "") if node.parent is not None else ""
        title = node.title_zh or ""
        if node.level in (nb.BULLET, nb.ITEM) and "原则" in parent_title:
            node.roles = ["principle"]
        elif node.level in (nb.PART, nb.SECTION) and "目标" in title:
            node.roles = ["goal"]
        elif node.level == nb.BULLET and "目标" in parent_title:
            node.roles = ["goal"]
        elif node.level == nb.PART and "保障" in title:
            node.roles = ["safeguard"]


# -- wrapper metadata for texts without front matter -------------------------------------

def meta_from_text(lines: list[str], path: Path, options: dict) -> DocumentMeta:
    """Build metadata for a full text without front matter, from CLI options and the circular wrapper."""
    head: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        text = Parser.clean(raw)
        if not text or raw.strip().startswith(">"):
            continue
        h = nb.match_heading(text)
        if h is not None and h.level == nb.PART:
            break
        head.append((number, text))
    title = options.get("title_zh")
    doc_number = date_signed = issuer = None
    for k, (number, text) in enumerate(head):
        if title is None and (m := CIRCULAR.search(text)):
            title = m[1].strip("《》“”\"")
        if doc_number is None and DOC_NUMBER.match(text.replace(" ", "")):
            doc_number = text.replace(" ", "")
        if date_signed is None and (m := DATE_LINE.match(text)):
            import datetime as dt
            try:
                date_signed = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise DocumentError(path, number, f"the date line {text!r} is not a real date") from None
            if k > 0 and len(head[k - 1][1]) <= 30 and not head[k - 1][1].endswith("。"):
                issuer = head[k - 1][1]
    if title is None:
        for number, text in head:
            if len(text) <= 60 and not re.search(r"[。；]", text) and not DOC_NUMBER.match(text) and not DATE_LINE.match(text):
                # a reprint's headline (中共中央 国务院印发《…》) names the document in 《》
                title = m[1] if (m := re.search(r"印发《(.+?)》", text)) else text
                break
    doc_id = options.get("doc_id") or Path(path).stem.lower().replace("_", "-")
    if not DOC_ID_RE.fullmatch(doc_id):
        raise DocumentError(path, None, f"cannot make a document id from the file name ({doc_id!r})",
                            "pass --id with a lowercase slug, or add a metadata block")
    if doc_id in RESERVED_IDS:
        raise DocumentError(path, None, f"document id {doc_id!r} is reserved (it names plankg's own graphs or IRIs: "
                            f"{', '.join(sorted(RESERVED_IDS))})", "pass --id with another lowercase slug")
    mark = options.get("mark") or "secondary"
    if mark not in MARKS:
        raise DocumentError(path, None, f"--mark {mark!r} is not one of {', '.join(MARKS)}")
    source = Source("S1", options.get("source_title") or Path(path).name, options.get("source_url"), bool(options.get("official")))
    prov = Provenance(mark, ("S1",))
    meta = DocumentMeta(doc_id, options.get("doc_type") or infer_type(title), prov, {"S1": source})
    if meta.doc_type not in DOC_TYPES:
        raise DocumentError(path, None, f"--type {meta.doc_type!r} is not one of {', '.join(DOC_TYPES)}")
    if title:
        meta.title_zh = Fact(title, prov)
    if options.get("title_en"):
        meta.title_en = Fact(options["title_en"], prov)
    if doc_number:
        meta.doc_number = Fact(doc_number, prov)
    if date_signed:
        meta.date_signed = Fact(date_signed, prov)
    if issuer:
        meta.issuers.append(Organisation("org-" + short_hash(issuer, length=10), issuer, options.get("issuer_en"), prov, shared=False))
    return meta


def parse_file(path: Path | str, options: dict | None = None) -> Document:
    """Parse one document file (corpus file or full text) into a Document."""
    path = Path(path)
    lines, decoded = read_lines(path)
    fm, first = split_front_matter(lines, path)
    has_block = first > 0  # a metadata block, even an empty one
    options = options or {}
    url = options.get("source_url")
    if url is not None and not (re.fullmatch(r"https?://\S+", url) and valid_iri(url)):  # as a source url of front matter
        raise UsageError(f"{path}: --source-url {url!r} is not an http(s) URL", "give the address the text was read at, http(s)://…")
    if has_block:
        fence = next(i for i, l in enumerate(lines) if l.strip() == "---") + 1
        meta = read_meta(fm, path, fence)
        given = options.get("doc_id")
        if given is not None and given != meta.doc_id:  # the file's own id wins; a different --id is a mistake
            raise UsageError(f"{path}:{meta.id_line or 1}: --id {given!r} differs from the file's id {meta.doc_id!r}",
                             "leave --id out for a file with a metadata block (or change its id: field)")
    else:
        meta = meta_from_text(lines, path, options)
    parser = Parser(path, meta)
    root = parser.parse(lines, first)
    nodes = [n for n in root.walk() if n is not root]
    numbered = (nb.PART, nb.SECTION, nb.ITEM, nb.BOOK, nb.CHAPTER, nb.CHSECTION)
    # a corpus file (with a metadata block) may hold identity facts only; a bare text must have headings
    if not has_block and not any(n.level in numbered for n in nodes) and not parser.tables:
        raise DocumentError(path, None, "no numbered heading (一、 （一） 1. 第一章) found", "is this a policy text? check the encoding and the numbering")
    for n in nodes:
        if n.title_zh is None and n.title_en is None and n.level != "table":
            raise DocumentError(path, n.line, f"heading {n.number or '——'} has no title and no @en rendering",
                                "give the title, or an @en line if only the English heading is known")
    seen: dict[str, int] = {}
    named: dict[str, tuple[int, str | None]] = {}  # slug -> (table, Chinese name) of its first row
    for k, table in enumerate(parser.tables):
        for row in table.rows:
            if row.name_zh is None and (row.slug is None or not row.name_en):
                raise DocumentError(path, row.line, "an indicator whose Chinese name is {not found} needs an @id and an @en line",
                                    "add @id <slug> and @en <English name> under the row")
            if row.slug is None:
                row.slug = "ind-" + short_hash(row.name_zh, length=10)
            # one indicator may be stated in two tables of a document (a background figure, then the targets), under
            # one name; a second value for the same role and year is refused when the graph is written
            if row.slug in seen and named[row.slug][0] != k and named[row.slug][1] == row.name_zh:
                continue
            if row.slug in seen:
                raise DocumentError(path, row.line, f"duplicate indicator {row.name_zh or row.name_en} ({row.slug}); first on line {seen[row.slug]}")
            seen[row.slug] = row.line
            named[row.slug] = (k, row.name_zh)
    infer_roles(root)
    extraction = None
    if not has_block:  # a full text: read tasks, goals, targets and references from its prose (ingest/extract.py)
        from .extract import extract

        extraction = extract(root, meta, str(path))
        extraction.table_rows = [row for t in parser.tables for row in t.rows]
        nodes = [n for n in root.walk() if n is not root]
    for position, node in enumerate(nodes, start=1):
        node.position = position
        if node.prov is None:
            node.prov = meta.default
    return Document(meta, root, str(path), decoded.encoding, parser.section_style or ("single" if parser.last_section_global else "none"),
                    parser.tables, extraction)
