"""SPARQL query text: a small tokenizer, and binding variables to RDF terms in a query's text.

Used where a query must travel as text (the SPARQL 1.1 Protocol has no parameter binding) and, as a
planner hint, beside pyoxigraph's substitutions.  A bound value is always an RDF term serialised by
pyoxigraph (``str()`` of a ``NamedNode`` or ``Literal``, which escapes it), never a request string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from plankg.errors import SparqlError

VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_TOKEN = re.compile(
    r'(?P<ws>\s+)|(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)'
    r'|(?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\u00B7-\uFFFF-]*)?:(?:[\w.%:\u00B7-\uFFFF-]|\\.)*)'
    r'|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)'
    r'|(?P<word>[A-Za-z_][A-Za-z0-9_]*)'
    r'|(?P<open>\{)|(?P<close>\})'
    r'|(?P<other>.)', re.S)


def _tokens(sparql: str) -> Iterator[tuple[str, str, int, int]]:
    """(kind, text, start, end) of the significant tokens: comments, strings and IRIs are single tokens."""
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, m.group(), m.start(), m.end()


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (the first such keyword outside prefixes, strings and comments)."""
    for kind, text, _, _ in _tokens(sparql):
        if kind == "word" and text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return text.upper()
    raise SparqlError("invalid SPARQL: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED outside any group)."""
    depth = 0
    for kind, text, _, _ in _tokens(sparql):
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0 and text.upper() == "FROM":
            return True
    return False


def dataset_clause(sparql: str, *, several_only: bool = False, base: str = "") -> tuple[list[str], list[str]] | None:
    """The query's own dataset: (FROM IRIs, FROM NAMED IRIs), or None without a FROM clause; prefixed names
    are expanded with the query's PREFIX declarations and relative IRIs resolved against its BASE.
    ``several_only``: None unless there are two or more FROM graphs (one is read exactly as it is)."""
    if "from" not in sparql.lower():  # most queries: no tokenizing
        return None
    found = _dataset_clause(sparql, base)
    if found is None or (several_only and len(found[0]) < 2):
        return None
    return list(found[0]), list(found[1])


@lru_cache(maxsize=512)
def _dataset_clause(sparql: str, base: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    from urllib.parse import urljoin

    prefixes: dict[str, str] = {}
    defaults: list[str] = []
    named: list[str] = []
    toks = list(_tokens(sparql))
    depth, i, found = 0, 0, False
    while i < len(toks):
        kind, text, _, _ = toks[i]
        upper = text.upper() if kind == "word" else ""
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif depth == 0 and upper == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = urljoin(base, toks[i + 1][1][1:-1])
            i += 1
        elif depth == 0 and upper == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1][:-1]] = urljoin(base, toks[i + 2][1][1:-1])
            i += 2
        elif depth == 0 and upper == "FROM" and i + 1 < len(toks):
            found = True
            into = defaults
            if toks[i + 1][0] == "word" and toks[i + 1][1].upper() == "NAMED" and i + 2 < len(toks):
                into, i = named, i + 1
            k, t, _, _ = toks[i + 1]
            if k == "iri":
                into.append(urljoin(base, t[1:-1]))
            elif k == "pname" and t.split(":", 1)[0] in prefixes:
                into.append(prefixes[t.split(":", 1)[0]] + t.split(":", 1)[1])
            else:  # left to the query engine, which says what is wrong
                return None
            i += 1
        i += 1
    return (tuple(defaults), tuple(named)) if found else None


def term_text(term) -> str:
    """An RDF term as SPARQL text (pyoxigraph's ``str()`` escapes quotes, backslashes and line breaks)."""
    if isinstance(term, (NamedNode, Literal)):
        return str(term)
    raise SparqlError(f"cannot bind {term!r}: only IRIs and literals can be bound")


@lru_cache(maxsize=512)
def _insertion_point(sparql: str) -> int:
    """Where a VALUES block goes: right after the first top-level ``WHERE {``.  Cached: the same few query texts
    (named queries, page queries) are bound again and again, and tokenizing one costs about 0.4 ms."""
    toks = list(_tokens(sparql))
    depth = 0
    for i, (kind, text, start, end) in enumerate(toks):
        if kind == "word" and text.upper() == "WHERE" and depth == 0 and i + 1 < len(toks) and toks[i + 1][0] == "open":
            return toks[i + 1][3]
        depth += kind == "open"
        depth -= kind == "close"
    if query_form(sparql) in ("SELECT", "ASK"):  # WHERE is optional in SPARQL
        at = next((end for kind, _, _, end in toks if kind == "open"), None)
        if at is not None:
            return at
    raise SparqlError("cannot bind parameters: the query has no WHERE { … } group")


def bind_values(sparql: str, bindings: Mapping[str, object] | None, *, substitute: bool = False) -> str:
    """Bind variables by a ``VALUES`` block right after the first ``WHERE {`` (terms serialised, never pasted).

    ``substitute``: also write each bound term in place of its variable inside the pattern (after the
    ``VALUES`` block; not where the variable is the target of ``AS``) — what pyoxigraph's substitution does,
    for servers that mishandle a path whose start is bound by ``VALUES`` (Virtuoso 7: "transitive start not given").
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for n in names:
        if not VARNAME.match(n):
            raise SparqlError(f"cannot bind variable {n!r}")
    texts = {n: term_text(bindings[n]) for n in names}
    block = "VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(texts[n] for n in names) + ") }\n"
    at = _insertion_point(sparql)
    body = sparql[at:]
    if substitute:
        body = _substitute(body, texts)
    return sparql[:at] + "\n" + block + body


def _substitute(body: str, texts: dict[str, str]) -> str:
    """Write each bound term in place of its variable in the WHERE group ``body`` (the text after ``WHERE {``)."""
    out, last = [], 0
    for start, end, var, as_column in _variable_sites(body):
        term = texts.get(var[1:])
        if term is not None:
            out += [body[last:start], f"({term} AS {var})" if as_column else term]
            last = end
    return "".join(out) + body[last:]


@lru_cache(maxsize=512)
def _variable_sites(body: str) -> tuple[tuple[int, int, str, bool], ...]:
    """Where a bound variable of ``body`` is rewritten: (start, end, ``?v``, whether it names a column).

    Cached per query text (the same few are bound on every request).  In a subquery a variable may name a
    column: in its GROUP BY it becomes ``(term AS ?v)``; in its projection too unless it is grouped, so the
    subquery still binds the column (a term alone is a syntax error there, and an unbound column is joined
    wrongly by Virtuoso 7).  ORDER BY and the target of ``AS`` keep the variable; in an expression it is replaced.
    """
    toks = list(_tokens(body))
    depths, depth = [], 1
    for kind, *_ in toks:
        depth += (kind == "open") - (kind == "close")
        depths.append(depth)
    grouped: dict[int, set[str]] = {}  # SELECT token index -> variables in that subquery's GROUP BY
    for i, (kind, text, _, _) in enumerate(toks):
        if kind == "word" and text.upper() == "SELECT":
            names, in_group = set(), False
            for k in range(i + 1, len(toks)):
                kk, tt = toks[k][0], toks[k][1]
                if depths[k] < depths[i]:
                    break
                if depths[k] == depths[i] and kk == "word":
                    in_group = tt.upper() == "GROUP" or (in_group and tt.upper() == "BY")
                if in_group and depths[k] == depths[i] and kk == "var":
                    names.add(tt)
            grouped[i] = names
    sites, prev = [], None
    clause, select_at, parens = "", -1, 0
    for i, (kind, text, start, end) in enumerate(toks):
        if depths[i] == 0:  # the end of the WHERE group: the outer GROUP BY / ORDER BY keep their variables
            break
        word = text.upper() if kind == "word" else ""
        if word in ("SELECT", "GROUP", "ORDER"):
            clause, parens = word, 0
            if word == "SELECT":
                select_at = i
        elif kind in ("open", "close") or word in ("WHERE", "HAVING", "LIMIT", "OFFSET", "VALUES"):
            clause = ""
        elif text == "(":
            parens += 1
        elif text == ")":
            parens -= 1
        if kind == "var" and not (prev and prev[0] == "word" and prev[1].upper() == "AS"):
            if not clause or parens:
                sites.append((start, end, text, False))
            elif clause == "GROUP" or (clause == "SELECT" and text not in grouped.get(select_at, ())):
                sites.append((start, end, text, True))
        prev = (kind, text)
    return tuple(sites)


GROUP_CONCAT = re.compile(r"GROUP_CONCAT\s*\(", re.I)


def group_concat_columns(sparql: str) -> dict[str, str]:
    """The projected variables that are ``GROUP_CONCAT(… ; SEPARATOR="…") AS ?v``, with their separators."""
    toks = list(_tokens(sparql))
    out: dict[str, str] = {}
    for i, (kind, text, _, _) in enumerate(toks):
        if not (kind == "word" and text.upper() == "GROUP_CONCAT"):
            continue
        depth, sep, j = 0, " ", i + 1
        while j < len(toks):
            k, t = toks[j][0], toks[j][1]
            if t == "(":
                depth += 1
            elif t == ")":
                depth -= 1
                if depth == 0:
                    break
            elif k == "word" and t.upper() == "SEPARATOR" and j + 2 < len(toks) and toks[j + 2][0] == "string":
                sep = json.loads(toks[j + 2][1]) if toks[j + 2][1].startswith('"') else toks[j + 2][1][1:-1]
            j += 1
        if j + 2 < len(toks) and toks[j + 1][0] == "word" and toks[j + 1][1].upper() == "AS" and toks[j + 2][0] == "var":
            out[toks[j + 2][1][1:]] = sep
    return out


def sort_group_concat(value: str | None, sep: str) -> str | None:
    """A GROUP_CONCAT value with its items sorted (SPARQL leaves their order to the engine); empty → unbound."""
    if value is None or value == "":
        return None
    return sep.join(sorted(value.split(sep))) if sep else value
