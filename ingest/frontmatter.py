"""The metadata block (YAML front matter) of a corpus document."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from plankg.errors import DocumentError
from plankg.iris import DOC_ID_RE, RESERVED_IDS

from .model import MARKS, DocumentMeta, Fact, Organisation, Provenance, Relation, Source, StatedCount, Unplaced

DOC_TYPES = ("Outline", "FiveYearPlan", "AnnualPromotionPlan", "ActionPlan", "Strategy", "Opinion", "PolicyDocument")
COUNT_CLASSES = ("Part", "Section", "Item", "Goal", "Task", "Principle", "Indicator", "Project", "Safeguard")
RELATION_TYPES = ("basedOn", "implements", "supports", "follows", "succeeds", "replaces")
ROLES = ("goal", "task", "principle", "safeguard", "project")
SOURCE_ID = re.compile(r"^S\d+[a-z]?$")


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


class YamlFacts:
    """Turns the YAML mapping into a DocumentMeta, reporting the line of each fault."""

    def __init__(self, path: object, data: dict, lines: list[str], offset: int):
        self.path, self.data, self.lines, self.offset = path, data, lines, offset

    def line_of(self, key: str) -> int:
        for i, line in enumerate(self.lines):
            if (": " in key and key in line) or re.match(rf"^\s*-?\s*{re.escape(key)}\s*:", line):
                return self.offset + i + 1
        return self.offset

    def fail(self, key: str, message: str, hint: str | None = None):
        raise DocumentError(self.path, self.line_of(key), message, hint)

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
        return Provenance(mark, tuple(str(s) for s in src), str(note) if note else None, bool(obj.get("uncertain", False)))

    def fact(self, key: str, obj, default: Provenance | None = None) -> Fact | None:
        if obj is None:
            return None
        if not isinstance(obj, dict):
            if default is None:
                self.fail(key, f"'{key}' must be a mapping with value, mark and src")
            return Fact(obj, default)
        if "value" not in obj:
            self.fail(key, f"'{key}' has no value")
        return Fact(obj["value"], self.prov(key, obj, default))

    def read_sources(self, raw_sources) -> dict[str, Source]:
        if not isinstance(raw_sources, dict) or not raw_sources:
            self.fail("sources", "the file needs a 'sources' mapping (S1: {url: …, title: …})")
        self.sources = {}
        for sid, s in raw_sources.items():
            sid = str(sid)
            if not SOURCE_ID.match(sid) or not isinstance(s, dict):
                self.fail(sid, f"source {sid!r} must be named S<n> and be a mapping with url and/or title")
            if not s.get("url") and not s.get("title"):
                self.fail(sid, f"source {sid} has neither url nor title")
            url = s.get("url")
            if url and not re.match(r"^https?://\S+$", str(url)):
                self.fail(sid, f"source {sid} has a url that is not http(s): {url!r}")
            self.sources[sid] = Source(sid, s.get("title"), url, bool(s.get("official", False)))
        return self.sources

    def read(self) -> DocumentMeta:
        d = self.data
        doc_id = d.get("id")
        if doc_id is None:
            self.fail("---", "the metadata block has no 'id'", "add id: <lowercase-slug>")
        doc_id = str(doc_id)
        if not DOC_ID_RE.match(doc_id) or doc_id in RESERVED_IDS:
            self.fail("id", f"document id {doc_id!r} is not a lowercase slug [a-z0-9-] (or is reserved)",
                      "use e.g. plan-2021-2025")
        doc_type = d.get("type", "PolicyDocument")
        if doc_type not in DOC_TYPES:
            self.fail("type", f"unknown document type {doc_type!r}", f"use one of {', '.join(DOC_TYPES)}")
        self.read_sources(d.get("sources"))
        if "default" not in d:
            self.fail("---", "the metadata block needs 'default: {mark: …, src: [...]}'",
                      "it is the provenance of headings without their own @mark")
        default = self.prov("default", d["default"])
        meta = DocumentMeta(doc_id, doc_type, default, self.sources)
        if d.get("excerpt") not in (None, True, False):
            self.fail("excerpt", "'excerpt' must be true or false")
        meta.excerpt = bool(d.get("excerpt", False))
        title = d.get("title") or {}
        if not isinstance(title, dict):
            self.fail("title", "'title' must map zh and en to {value, mark, src}")
        meta.title_zh = self.fact("zh", title.get("zh"), default)
        meta.title_en = self.fact("en", title.get("en"), default)
        for alt in d.get("alt_titles") or []:
            f = self.fact("alt_titles", alt)
            meta.alt_titles.append((f, str(alt.get("lang", "zh"))))
        meta.short_name = self.fact("short_name", d.get("short_name"))
        for org in d.get("issuers") or []:
            if not isinstance(org, dict) or not org.get("id") or not DOC_ID_RE.match(str(org["id"])):
                self.fail("issuers", "each issuer needs an id (a lowercase slug) and zh/en names")
            meta.issuers.append(Organisation(str(org["id"]), org.get("zh"), org.get("en"), self.prov("issuers", org)))
        meta.doc_number = self.fact("doc_number", d.get("doc_number"))
        for key in ("date_signed", "date_published"):
            f = self.fact(key, d.get(key))
            if f is not None:
                f.value = self._date(key, f.value)
                setattr(meta, key, f)
        if d.get("period") is not None:
            p = d["period"]
            try:
                start, end = int(p["start"]), int(p["end"])
            except (KeyError, TypeError, ValueError):
                self.fail("period", "'period' needs integer start and end years")
            if not 1900 < start <= end < 2200:
                self.fail("period", f"period {start}–{end} is not a plausible range of years")
            meta.period = (start, end, self.prov("period", p))
        for c in d.get("stated_counts") or []:
            if not isinstance(c, dict) or c.get("of") not in COUNT_CLASSES or not isinstance(c.get("value"), int):
                self.fail("stated_counts", f"a stated count needs of: one of {', '.join(COUNT_CLASSES)} and an integer value")
            meta.stated_counts.append(StatedCount(c["of"], c["value"], self.prov("stated_counts", c)))
        for u in d.get("unplaced") or []:
            if not isinstance(u, dict) or u.get("role") not in ROLES or not (u.get("zh") or u.get("en")):
                self.fail("unplaced", f"an unplaced entry needs role (one of {', '.join(ROLES)}) and zh or en")
            meta.unplaced.append(Unplaced(u["role"], u.get("zh"), u.get("en"), self.prov("unplaced", u)))
        for r in d.get("relations") or []:
            if not isinstance(r, dict) or r.get("type") not in RELATION_TYPES:
                self.fail("relations", f"a relation needs type: one of {', '.join(RELATION_TYPES)}")
            target = str(r.get("target", ""))
            if not DOC_ID_RE.match(target):
                self.fail("relations", f"relation target {target!r} is not a document id")
            meta.relations.append(Relation(r["type"], target, r.get("target_zh"), r.get("target_en"), self.prov("relations", r)))
        return meta

    def _date(self, key: str, value) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(key, f"'{key}' is not a date in YYYY-MM-DD form: {value!r}")


def read_meta(lines: list[str], path: object, start_line: int) -> DocumentMeta:
    """Parse front-matter lines (without the --- fences); start_line = line number of the opening ---."""
    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = start_line + 1 + mark.line if mark is not None else start_line
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise DocumentError(path, line, f"the metadata block is not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise DocumentError(path, start_line, "the metadata block must be a YAML mapping (key: value lines)")
    return YamlFacts(path, data, lines, start_line).read()
