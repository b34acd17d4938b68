"""The metadata block (YAML front matter) of a corpus document."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from pyoxigraph import NamedNode

from plankg.errors import DocumentError
from plankg.iris import DOC_ID_RE, RESERVED_IDS

from .doctypes import DEFAULT_TYPE, DOC_TYPES
from .model import MARKS, DocumentMeta, Fact, Organisation, Provenance, Relation, Source, StatedCount, Unplaced

COUNT_CLASSES = ("Part", "Section", "Item", "Goal", "Task", "Principle", "Indicator", "Project", "Safeguard")
RELATION_TYPES = ("basedOn", "implements", "supports", "follows", "succeeds", "replaces")
BODY_ROLES = ("drafted", "coordinates")  # pk:draftedBy, pk:coordinatedBy
ROLES = ("goal", "task", "principle", "safeguard", "project")
SOURCE_ID = re.compile(r"^S\d+[a-z]?$")


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, except that no scalar can fail with anything but a YAML error that has its line.

    ``yaml.safe_load`` raises a bare ``ValueError`` (no line) for a date that does not exist
    (``2023-02-30``) or an explicitly tagged scalar it cannot convert (``!!int abc``).
    """


def _timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # not a real date: kept as text, refused where a date is needed


def _strict(construct):
    def checked(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]} ({exc})", node.start_mark) from None
    return checked


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _strict(yaml.SafeLoader.construct_yaml_int))
_Loader.add_constructor("tag:yaml.org,2002:float", _strict(yaml.SafeLoader.construct_yaml_float))

if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        """The same loader on libyaml's C parser (about 10x faster on the metadata blocks); any failure is
        loaded again with :class:`_Loader`, so errors and their lines stay exactly PyYAML's."""

    for _tag, _fn in (("tag:yaml.org,2002:timestamp", _timestamp),
                      ("tag:yaml.org,2002:int", _strict(yaml.SafeLoader.construct_yaml_int)),
                      ("tag:yaml.org,2002:float", _strict(yaml.SafeLoader.construct_yaml_float))):
        _FastLoader.add_constructor(_tag, _fn)
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None


def real_date(value: str) -> bool:
    """``YYYY-MM-DD`` naming a day that exists (not 2023-02-30)."""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def valid_iri(value: str) -> bool:
    """An absolute IRI that the store accepts (no spaces, a valid host and percent-encoding …)."""
    try:
        NamedNode(value)
    except (ValueError, TypeError):
        return False
    return True


class YamlTextError(Exception):
    """A YAML text that cannot be loaded: ``line`` is 0-based within the text (None: unknown)."""

    def __init__(self, problem: str, line: int | None):
        super().__init__(problem)
        self.problem, self.line = problem, line


def _has_surrogate(data) -> bool:
    if isinstance(data, str):
        return any("\ud800" <= ch <= "\udfff" for ch in data)
    if isinstance(data, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_surrogate(v) for v in data)
    return False


def _line(text: str, mark) -> int | None:
    """The 0-based line of a YAML mark, counted in newlines only: PyYAML also breaks lines at NEL (U+0085), U+2028
    and U+2029, which plankg reads as characters of a line, so its own mark.line would name a later line."""
    if mark is None:
        return None
    index = getattr(mark, "index", None)
    return text.count("\n", 0, index) if isinstance(index, int) and 0 <= index <= len(text) else mark.line


def _refuse_aliases_and_repeats(text: str) -> None:
    """Walk the YAML events once (linear) before anything is built: an alias (``*name``) is refused — expanded
    aliases are how a 1 KB text becomes a billion nodes — and so is a key given twice in one mapping
    (PyYAML would keep the last silently)."""
    loader = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
    stack: list[list] = []  # per open collection: [is_mapping, expecting_key, keys seen]
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        if isinstance(event, yaml.AliasEvent):
            raise YamlTextError(f"YAML aliases (*{event.anchor}) are not accepted: write the value out",
                                _line(text, event.start_mark))
        if stack and stack[-1][0]:
            top = stack[-1]
            if top[1] and isinstance(event, yaml.ScalarEvent):
                if event.value in top[2]:
                    raise YamlTextError(f"key {event.value!r} is given twice in one mapping", _line(text, event.start_mark))
                top[2].add(event.value)
            top[1] = not top[1]
        if isinstance(event, yaml.MappingStartEvent):
            stack.append([True, True, set()])
        elif isinstance(event, yaml.SequenceStartEvent):
            stack.append([False, False, None])


def load_yaml_text(text: str):
    """Load YAML safely; every failure is a :class:`YamlTextError` with the problem and, when known, the line.
    Aliases and repeated keys are refused (see :func:`_refuse_aliases_and_repeats`)."""
    try:
        _refuse_aliases_and_repeats(text)
        data = None
        if _FastLoader is not None:
            try:
                data = yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a CSafeLoader subclass
            except (yaml.YAMLError, RecursionError):
                data = None  # loaded again below, for PyYAML's own message and line
        if data is None:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        if _has_surrogate(data):  # a "\ud800" escape: not a character, cannot be written as UTF-8
            m = re.search(r"\\u[dD][89a-fA-F]", text)
            raise YamlTextError("a \\u escape gives half a character (a lone surrogate)", text.count("\n", 0, m.start()) if m else None)
        return data
    except yaml.reader.ReaderError as exc:  # a control character: no mark, but its position in the text
        raise YamlTextError(f"character {exc.character!r} is not allowed", text.count("\n", 0, exc.position)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise YamlTextError(getattr(exc, "problem", None) or "invalid YAML", _line(text, mark)) from None
    except RecursionError:
        raise YamlTextError("nested too deeply", None) from None


def split_front_matter(lines: list[str], path: object) -> tuple[list[str], int]:
    """Return (front-matter lines, index of the first body line); ([], 0) when there is none."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return [], 0
    for j in range(first + 1, len(lines)):
        if lines[j].strip() == "---":
            return lines[first + 1:j], j + 1
    raise DocumentError(path, first + 1, "the metadata block opened with '---' is never closed",
                        "end it with a line holding only '---'")


def _kind(value) -> str:
    """How a YAML value that is not what was wanted reads in an error message."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value})"
    if isinstance(value, (list, dict)):
        return f"a {'list' if isinstance(value, list) else 'mapping'} ({value!r:.40})"
    return repr(value)


class YamlFacts:
    """Turns the YAML mapping into a DocumentMeta, reporting the line of each fault."""

    def __init__(self, path: object, data: dict, lines: list[str], offset: int):
        self.path, self.data, self.lines, self.offset = path, data, lines, offset

    def line_of(self, key: str, after: int | None = None) -> int:
        """The line of ``key:`` (or of a text such as ``id: x``); with ``after`` (a line), the first one below it."""
        start = max(after - self.offset, 0) if after else 0
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            if (": " in key and re.search(rf"{re.escape(key)}(?![\w.-])", line)) or re.match(rf"^\s*-?\s*{re.escape(key)}\s*:", line):
                return self.offset + i + 1
        return after or self.offset

    def fail(self, key: str, message: str, hint: str | None = None, after: int | None = None):
        raise DocumentError(self.path, self.line_of(key, after), message, hint)

    def text(self, key: str, value, what: str | None = None) -> str:
        """A text field: a string (or a number, read as text) — never a list, a mapping, a date, yes/no or nothing."""
        ok = isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
                                         and abs(value) != float("inf"))
        if not ok or not str(value).strip():
            self.fail(key, f"'{what or key}' must be a text, not {_kind(value)}", "quote it if it looks like a number or a date")
        return str(value)

    def entries(self, key: str) -> list:
        """A list field (``- …`` lines); absent or empty is an empty list."""
        value = self.data.get(key) or []
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list of entries (lines starting with '- '), not {_kind(value)}")
        return value

    def flag(self, key: str, obj: dict, name: str) -> bool:
        value = obj.get(name, False)
        if not isinstance(value, bool):
            self.fail(key, f"'{name}' must be true or false, not {_kind(value)}")
        return value

    def prov(self, key: str, obj: dict, default: Provenance | None = None) -> Provenance:
        if not isinstance(obj, dict):
            self.fail(key, f"'{key}' must be a mapping with value, mark and src", "write {value: …, mark: verified, src: [S1]}")
        mark = obj.get("mark", default.mark if default else None)
        if mark not in MARKS:
            self.fail(key, f"'{key}' has mark {mark!r}; expected one of {', '.join(MARKS)}")
        src = obj.get("src", list(default.sources) if default and "mark" not in obj else [])
        if isinstance(src, str):
            src = src.replace(",", " ").split()
        if not isinstance(src, list) or (not src and mark != "recalled"):
            self.fail(key, f"'{key}' needs at least one source id in src", "list the sources it was read in, e.g. src: [S1]")
        for sid in src:
            if str(sid) not in self.sources:
                self.fail(key, f"'{key}' cites source {sid} that is not in 'sources'", "add it to the sources block")
        note = obj.get("note")
        note = self.text(key, note, "note") if note is not None else None
        return Provenance(mark, tuple(str(s) for s in src), note, self.flag(key, obj, "uncertain"))

    def fact(self, key: str, obj, default: Provenance | None = None, kind: str = "text") -> Fact | None:
        """``{value, mark, src}`` (or a bare value, when there is a default provenance); ``kind``: text or date."""
        if obj is None:
            return None
        if not isinstance(obj, dict):
            if default is None:
                self.fail(key, f"'{key}' must be a mapping with value, mark and src")
            value = obj
        elif "value" not in obj:
            self.fail(key, f"'{key}' has no value")
        else:
            value = obj["value"]
        value = self.text(key, value) if kind == "text" else value
        return Fact(value, self.prov(key, obj, default) if isinstance(obj, dict) else default)

    def read_sources(self, raw_sources) -> dict[str, Source]:
        if not isinstance(raw_sources, dict) or not raw_sources:
            self.fail("sources", "the file needs a 'sources' mapping (S1: {url: …, title: …})")
        self.sources = {}
        for sid, s in raw_sources.items():
            sid = str(sid)
            if not SOURCE_ID.fullmatch(sid) or not isinstance(s, dict):
                self.fail(sid, f"source {sid!r} must be named S<n> and be a mapping with url and/or title")
            if not s.get("url") and not s.get("title"):
                self.fail(sid, f"source {sid} has neither url nor title")
            url = s.get("url")
            if url and not (re.fullmatch(r"https?://\S+", str(url)) and valid_iri(str(url))):
                self.fail(sid, f"source {sid} has a url that is not http(s): {url!r}")
            title = self.text(sid, s["title"], f"{sid} title") if s.get("title") is not None else None
            self.sources[sid] = Source(sid, title, str(url) if url else None, self.flag(sid, s, "official"))
        return self.sources

    def read(self) -> DocumentMeta:
        d = self.data
        doc_id = d.get("id")
        if doc_id is None:
            self.fail("---", "the metadata block has no 'id'", "add id: <lowercase-slug>")
        doc_id = str(doc_id)
        if not DOC_ID_RE.fullmatch(doc_id) or doc_id in RESERVED_IDS:
            self.fail("id", f"document id {doc_id!r} is not a lowercase slug [a-z0-9-] (or is reserved)",
                      "use e.g. plan-2021-2025")
        doc_type = d.get("type", DEFAULT_TYPE)
        if doc_type not in DOC_TYPES:
            self.fail("type", f"unknown document type {doc_type!r}", f"use one of {', '.join(DOC_TYPES)}")
        self.read_sources(d.get("sources"))
        if "default" not in d:
            self.fail("---", "the metadata block needs 'default: {mark: …, src: [...]}'",
                      "it is the provenance of headings without their own @mark")
        default = self.prov("default", d["default"])
        meta = DocumentMeta(doc_id, doc_type, default, self.sources)
        meta.id_line = self.line_of("id")
        if d.get("excerpt") not in (None, True, False):
            self.fail("excerpt", "'excerpt' must be true or false")
        meta.excerpt = bool(d.get("excerpt", False))
        title = d.get("title") or {}
        if not isinstance(title, dict):
            self.fail("title", "'title' must map zh and en to {value, mark, src}")
        meta.title_zh = self.fact("zh", title.get("zh"), default)
        meta.title_en = self.fact("en", title.get("en"), default)
        for alt in self.entries("alt_titles"):
            f = self.fact("alt_titles", alt)
            lang = alt.get("lang", "zh")
            if not isinstance(lang, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang):
                self.fail("alt_titles", f"alt_titles: lang {lang!r} is not a language tag such as zh, en or zh-Hant")
            meta.alt_titles.append((f, lang))
        meta.short_name = self.fact("short_name", d.get("short_name"))
        for org in self.entries("issuers"):
            if not isinstance(org, dict) or not org.get("id") or not DOC_ID_RE.fullmatch(str(org["id"])):
                self.fail("issuers", "each issuer needs an id (a lowercase slug) and zh/en names")
            names = {lang: self.text("issuers", org[lang], f"issuer {lang}") if org.get(lang) is not None else None for lang in ("zh", "en")}
            meta.issuers.append(Organisation(str(org["id"]), names["zh"], names["en"], self.prov("issuers", org),
                                             self.line_of(f"id: {org['id']}", after=self.line_of("issuers"))))
        meta.doc_number = self.fact("doc_number", d.get("doc_number"))
        for key in ("date_signed", "date_published"):
            f = self.fact(key, d.get(key), kind="date")
            if f is not None:
                f.value = self._date(key, f.value)
                setattr(meta, key, f)
        if d.get("period") is not None:
            p = d["period"]
            years = [p.get(k) for k in ("start", "end")] if isinstance(p, dict) else [None]
            if not all(isinstance(y, (int, str)) and not isinstance(y, bool) and re.fullmatch(r"\d{4}", str(y)) for y in years):
                self.fail("period", "'period' needs integer start and end years")
            start, end = (int(y) for y in years)
            if not 1900 < start <= end < 2200:
                self.fail("period", f"period {start}–{end} is not a plausible range of years")
            meta.period = (start, end, self.prov("period", p))
        for c in self.entries("stated_counts"):
            value = c.get("value") if isinstance(c, dict) else None
            if (not isinstance(c, dict) or c.get("of") not in COUNT_CLASSES or not isinstance(value, int) or isinstance(value, bool)
                    or value < 0):
                self.fail("stated_counts", f"a stated count needs of: one of {', '.join(COUNT_CLASSES)} and a whole number value")
            meta.stated_counts.append(StatedCount(c["of"], c["value"], self.prov("stated_counts", c)))
        for u in self.entries("unplaced"):
            if not isinstance(u, dict) or u.get("role") not in ROLES or not (u.get("zh") or u.get("en")):
                self.fail("unplaced", f"an unplaced entry needs role (one of {', '.join(ROLES)}) and zh or en")
            names = {lang: self.text("unplaced", u[lang], f"unplaced {lang}") if u.get(lang) else None for lang in ("zh", "en")}
            meta.unplaced.append(Unplaced(u["role"], names["zh"], names["en"], self.prov("unplaced", u)))
        for r in self.entries("relations"):
            if not isinstance(r, dict) or r.get("type") not in RELATION_TYPES:
                self.fail("relations", f"a relation needs type: one of {', '.join(RELATION_TYPES)}")
            target = str(r.get("target", ""))
            if not DOC_ID_RE.fullmatch(target):
                self.fail("relations", f"relation target {target!r} is not a document id")
            names = {k: self.text("relations", r[k], k) if r.get(k) is not None else None for k in ("target_zh", "target_en")}
            meta.relations.append(Relation(r["type"], target, names["target_zh"], names["target_en"], self.prov("relations", r)))
        meta.subject = self.fact("subject", d.get("subject"))
        meta.planning_type = self.fact("planning_type", d.get("planning_type"))
        for page in self.entries("pages"):
            if not isinstance(page, dict) or "url" not in page:
                self.fail("pages", "each page needs {url: …, mark: …, src: […]}")
            url = str(page["url"])
            if not re.fullmatch(r"https?://\S+", url) or not valid_iri(url):
                self.fail("pages", f"page url {url!r} is not an http(s) IRI")
            meta.pages.append(Fact(url, self.prov("pages", page)))
        for b in self.entries("bodies"):
            if not isinstance(b, dict) or b.get("role") not in BODY_ROLES or not DOC_ID_RE.fullmatch(str(b.get("id", ""))):
                self.fail("bodies", f"each body needs role (one of {', '.join(BODY_ROLES)}) and the id of an organisation")
            meta.bodies.append((b["role"], str(b["id"]), self.prov("bodies", b),
                                self.line_of(f"id: {b['id']}", after=self.line_of("bodies"))))
        return meta

    def _date(self, key: str, value) -> dt.date:
        if isinstance(value, dt.datetime):  # a subclass of date, but not a date
            self.fail(key, f"'{key}' is a date and time ({value}); give the day only, YYYY-MM-DD")
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(key, f"'{key}' is not a real date in YYYY-MM-DD form: {value!r}")


def read_meta(lines: list[str], path: object, start_line: int) -> DocumentMeta:
    """Parse front-matter lines (without the --- fences); start_line = line number of the opening ---."""
    try:
        data = load_yaml_text("\n".join(lines))
    except YamlTextError as exc:
        line = start_line + 1 + exc.line if exc.line is not None else start_line
        raise DocumentError(path, line, f"the metadata block is not valid YAML: {exc.problem}") from None
    if not isinstance(data, dict):
        raise DocumentError(path, start_line, "the metadata block must be a YAML mapping (key: value lines)")
    return YamlFacts(path, data, lines, start_line).read()
