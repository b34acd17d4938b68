"""The named-query catalogue: one question per ``.rq`` file, loaded by name.

Each file starts with a header of ``# key: value`` lines::

    # title: Heading tree of a document
    # question: What are the headings of a document …?
    # param: doc document required — the document (id or IRI)
    # param: source document default=plan-2021-2025 — …
    # column: node — the division IRI

A parameter ``NAME`` is the SPARQL variable ``?NAME``.  Values are checked
against the parameter's type and **bound** as RDF terms (never spliced into
the query text).  An optional parameter has a default: pyoxigraph folds
``BOUND(?param)`` to false before substitution, so queries must not test it.  Types: ``document`` (an id or IRI), ``iri`` (an IRI or a
``doc-id/path`` short form), ``string``, ``lang`` (zh or en), ``integer``,
``year``, ``decimal``, ``boolean`` (true or false).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

from pyoxigraph import Literal, NamedNode

from plankg.errors import UsageError
from plankg.iris import DOC_ID_RE, Iris
from plankg.vocab import XSD

PARAM_RE = re.compile(r"^(\w+)\s+(\w+)\s+(required|optional|default=\S+)\s*(?:[—-]+\s*(.*))?$")


@dataclass
class Param:
    name: str
    type: str
    required: bool
    default: str | None
    description: str


@dataclass
class NamedQuery:
    name: str
    title: str
    question: str
    sparql: str
    params: list[Param] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)
    #: ``# binding: inline`` — bound terms are also written in place of their variables (a planner hint for
    #: queries whose groups and UNION branches need the value; see GraphStore.query); default ``values``
    binding: str = "values"

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        valid = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(f"query {self.name!r} has no parameter {name!r}", f"its parameters are: {valid}")


def parse_query_file(name: str, text: str) -> NamedQuery:
    header: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = re.match(r"^#\s*(title|question|param|column|binding):\s*(.*)$", line)
        if m:
            header.setdefault(m[1], []).append(m[2].strip())
    if "title" not in header or "question" not in header:
        raise ValueError(f"query {name}: the header needs '# title:' and '# question:' lines")
    q = NamedQuery(name, header["title"][0], header["question"][0], text)
    for spec in header.get("param", []):
        m = PARAM_RE.match(spec)
        if not m or m[2] not in TYPES:
            raise ValueError(f"query {name}: cannot read parameter line {spec!r}")
        default = m[3][len("default="):] if m[3].startswith("default=") else None
        q.params.append(Param(m[1], m[2], m[3] == "required", default, m[4] or ""))
    binding = header.get("binding", ["values"])[0]
    if binding not in ("values", "inline"):
        raise ValueError(f"query {name}: '# binding:' must be values or inline, not {binding!r}")
    q.binding = binding
    for spec in header.get("column", []):
        col, _, desc = spec.partition("—")
        q.columns.append((col.strip(), desc.strip()))
    return q


@cache
def catalogue() -> dict[str, NamedQuery]:
    """Every named query shipped with plankg, by name."""
    out = {}
    for entry in sorted(resources.files("plankg.queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_query_file(name, entry.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> NamedQuery:
    cat = catalogue()
    if name not in cat:
        raise UsageError(f"unknown query {name!r}", f"known queries: {', '.join(cat)} (see `plankg queries`)")
    return cat[name]


class _Rejected(Exception):
    """A value its parameter type refuses; the argument says why ("is not an integer")."""


def _document(value: str, iris: Iris) -> NamedNode:
    if DOC_ID_RE.match(value):
        return NamedNode(iris.doc(value))
    if value.startswith(iris.id) and DOC_ID_RE.match(value[len(iris.id):]):
        return NamedNode(value)
    raise _Rejected("is not a document id (e.g. plan-2021-2025) or document IRI")


def _iri(value: str, iris: Iris) -> NamedNode:
    if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        try:
            return NamedNode(value)  # the store checks the rest: host, port, percent-encoding, control characters
        except ValueError as exc:
            raise _Rejected(f"is not a valid IRI ({exc})") from None
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*(/[A-Za-z0-9-]+)*", value):
        return NamedNode(iris.id + value)
    raise _Rejected("is not an IRI or a doc-id/path such as plan-2021-2025/p2/s3")


def _string(value: str, iris: Iris) -> Literal:
    if not value or len(value) > 200:
        raise _Rejected("must be 1 to 200 characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from a command-line argument that was not UTF-8
        raise _Rejected("is not valid text (it is not UTF-8)") from None
    return Literal(value)


def _lang(value: str, iris: Iris) -> Literal:
    if value not in ("zh", "en", "any"):
        raise _Rejected("is not a language (zh, en or any)")
    return Literal(value)


def _whole(value: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", value):
        raise _Rejected("is not an integer")
    return int(value)  # int() also reads full-width and other Unicode digits; the literal is written in ASCII digits


def _integer(value: str, iris: Iris) -> Literal:
    return Literal(str(_whole(value)), datatype=XSD.integer)


def _year(value: str, iris: Iris) -> Literal:
    if not 1900 <= _whole(value) <= 2200:
        raise _Rejected("is not a year between 1900 and 2200")
    return Literal(str(int(value)), datatype=XSD.gYear)


def _decimal(value: str, iris: Iris) -> Literal:
    # xsd:decimal: digits with an optional point; no exponent, NaN, Infinity or 1_000 (which Decimal() accepts)
    if len(value) > 40 or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value, re.ASCII):
        raise _Rejected("is not a decimal number (e.g. 12 or 3194.4)")
    return Literal(format(Decimal(value), "f"), datatype=XSD.decimal)  # str() may give 1E-7


def _boolean(value: str, iris: Iris) -> Literal:
    if value.lower() not in ("true", "false"):
        raise _Rejected("is not a boolean (true or false)")
    return Literal(value.lower(), datatype=XSD.boolean)


#: each parameter type of a ``# param:`` line → the function that checks a value and makes its term
PARAM_TYPES = {"document": _document, "iri": _iri, "string": _string, "lang": _lang, "integer": _integer,
               "year": _year, "decimal": _decimal, "boolean": _boolean}
TYPES = tuple(PARAM_TYPES)


def to_term(param: Param, raw: str, iris: Iris):
    """Check a parameter value against its type and make the RDF term to bind."""
    try:
        return PARAM_TYPES[param.type](raw.strip(), iris)
    except _Rejected as exc:
        raise UsageError(f"parameter {param.name}: {raw!r} {exc}") from None


def bind(query: NamedQuery, given: dict[str, str], iris: Iris) -> dict[str, object]:
    bound = {}
    for name in given:
        query.param(name)  # unknown names fail here
    for p in query.params:
        raw = given.get(p.name, p.default)
        if raw is None:
            if p.required:
                raise UsageError(f"query {query.name!r} needs parameter {p.name!r} ({p.type})",
                                 f"pass --param {p.name}=VALUE")
            continue
        bound[p.name] = to_term(p, raw, iris)
    return bound
