"""Read a SPARQL request before it reaches the store: the SPARQL 1.1 terminals, in linear time.

Three questions are answered from the text alone, before anything runs:

* is it an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH …)?  The endpoint is
  read-only and says so clearly;
* which SERVICE endpoints does it call?  Every SERVICE target must be an http(s) IRI whose host is on the
  allowlist (empty by default); a variable target (``SERVICE ?s``) or a name that cannot be resolved is
  refused too;
* is it within the engine's limits (nesting depth, tokens, repeated operators)?  Past them pyoxigraph's
  recursive planner can overflow its stack, so such a query gets a 400 naming the limit instead.

The tokens are the terminals of the SPARQL 1.1 grammar (§19.8): ``IRIREF``, ``PNAME_LN`` with ``PLX``
(``%XX`` and every ``PN_LOCAL_ESC`` such as ``\\#``, ``\\'``, ``\\.``), the four string forms with ``ECHAR``,
variables, blank-node labels, language tags, numbers, comments and punctuation, matched at each position
by longest match — which is how the grammar is tokenised.  Codepoint escapes (``\\uXXXX``,
``\\UXXXXXXXX``) are decoded first, as §19.2 says, so ``SERV\\u0049CE`` is still seen.  Every pattern is
possessive or atomic: no backtracking, so the time is linear in the length of the query.

This reading is the first half of the SERVICE guard.  The second is in the engine's process:
:mod:`.nonet` takes the query worker's network away, so a SERVICE call that a misreading let through still
cannot connect anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Limits:
    """How much a query may hold.  Each is far above what a real query needs (the named queries of plankg
    reach depth 9 and 600 tokens) and far below what overflows pyoxigraph's planner in a query worker."""

    #: brackets ( { [ open at once
    max_depth: int = 128
    #: tokens in the whole query
    max_tokens: int = 20_000
    #: times one keyword or operator that nests in the algebra (UNION, OPTIONAL, MINUS, BIND, FILTER,
    #: SELECT, VALUES, GRAPH, SERVICE, && || ! + - * / | ^) may occur
    max_repeats: int = 1_000


REPEATED = {"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "SELECT", "VALUES", "GRAPH", "SERVICE",
            "&&", "||", "!", "+", "-", "*", "/", "|", "^"}

# -- the terminals (§19.8) -------------------------------------------------------------------------------
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_VAR_REST = _U + "0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
# X ((X|'.')* X)?  — dots only where a non-dot follows, taken possessively: linear
_PREFIX = rf"[{_BASE}](?:[{_CHARS}]|\.++(?=[{_CHARS}]))*+"
_LOCAL_UNIT = rf"(?:[{_CHARS}:]|{_PLX})"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:{_LOCAL_UNIT}|\.++(?={_LOCAL_UNIT}))*+"
_ECHAR = r"\\[tbnrf\\\"']"

_WS = re.compile(r"[\x20\t\r\n]++")
_COMMENT = re.compile(r"\#[^\n\r]*+")
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*+>')
_SQ3, _DQ3 = "'" * 3, '"' * 3
_STRING = re.compile(
    _SQ3 + rf"(?:(?:''|')?(?:[^'\\]|{_ECHAR}))*+" + _SQ3
    + "|" + _DQ3 + rf'(?:(?:""|")?(?:[^"\\]|{_ECHAR}))*+' + _DQ3
    + rf"|'(?:[^'\\\n\r]|{_ECHAR})*+'"
    + rf'|"(?:[^"\\\n\r]|{_ECHAR})*+"')
_VAR = re.compile(rf"[?$][{_U}0-9][{_VAR_REST}]*+")
_BNODE = re.compile(rf"_:[{_U}0-9](?:[{_CHARS}]|\.++(?=[{_CHARS}]))*+")
_PREFIX_RUN = re.compile(_PREFIX)
_LOCAL_RE = re.compile(_LOCAL)
_BASE_CHAR = re.compile(rf"[{_BASE}]")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*+")
_NUMBER = re.compile(r"(?:[0-9]++(?:\.[0-9]++)?+|\.[0-9]++)(?:[eE][+-]?+[0-9]++)?+")
_LANG = re.compile(r"@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+")
_OPS = {"^^", "&&", "||", "!=", "<=", ">="}


class Unterminated(ValueError):
    """A string or nothing-but-garbage where a token must be: no SPARQL engine accepts the query."""


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESC = re.compile(r"\\(.)")
_OPEN, _CLOSE = set("({["), set(")}]")


@dataclass
class Scan:
    is_update: bool = False
    first_keyword: str | None = None
    services: list[str] = field(default_factory=list)  # resolved SERVICE IRIs
    bad_services: list[str] = field(default_factory=list)  # targets that cannot be checked (variables, unknown prefixes)
    depth: int = 0  # deepest bracket nesting
    tokens: int = 0
    repeats: dict[str, int] = field(default_factory=dict)  # REPEATED keyword or operator → count
    limit_exceeded: str | None = None  # what was over the limit, in words; the scan stopped there


def decode_escapes(text: str) -> str:
    def repl(m: re.Match) -> str:
        try:
            return chr(int(m[1] or m[2], 16))
        except ValueError:
            return m[0]

    return _ESCAPE.sub(repl, text)


def tokens(text: str):
    """(kind, text) of each SPARQL token, whitespace and comments left out.  Raises :class:`Unterminated`
    at a quote that opens no complete string (no engine accepts that query).

    Linear: each pattern is possessive, and a run of name characters that is not followed by ':' is
    remembered, so that no position inside it is tried as a prefixed name again (``a.a.a.…`` would
    otherwise be read once per letter)."""
    text = decode_escapes(text)
    n = len(text)
    pos = 0
    no_pname_before = -1
    while pos < n:
        c = text[pos]
        if c in " \t\r\n":
            pos = _WS.match(text, pos).end()
            continue
        if c == "#":
            pos = _COMMENT.match(text, pos).end()
            continue
        m = None
        kind = "other"
        if c == "<":
            m, kind = _IRI.match(text, pos), "iri"
        elif c in "'\"":
            m, kind = _STRING.match(text, pos), "string"
            if m is None:
                line = text.count("\n", 0, pos) + 1
                raise Unterminated(f"a string that never ends begins at line {line}, column "
                                   f"{pos - (text.rfind(chr(10), 0, pos) + 1) + 1}")
        elif c in "?$":
            m, kind = _VAR.match(text, pos), "var"
        elif c == "_" and text.startswith("_:", pos):
            m, kind = _BNODE.match(text, pos), "bnode"
        elif c == "@":
            m, kind = _LANG.match(text, pos), "lang"
        elif c.isdigit() or (c == "." and text[pos + 1:pos + 2].isdigit()):
            m, kind = _NUMBER.match(text, pos), "number"
        elif c == ":" or (pos >= no_pname_before and _BASE_CHAR.match(c)):
            run = _PREFIX_RUN.match(text, pos) if c != ":" else None
            end = run.end() if run else pos
            if text.startswith(":", end):
                local = _LOCAL_RE.match(text, end + 1)
                yield "pname", text[pos:local.end() if local else end + 1]
                pos = local.end() if local else end + 1
                continue
            no_pname_before = end
        if m is None and (c.isascii() and (c.isalpha() or c == "_")):
            m, kind = _WORD.match(text, pos), "word"
        if m is not None:
            yield kind, m.group()
            pos = m.end()
            continue
        two = text[pos:pos + 2]
        if two in _OPS:
            yield "op", two
            pos += 2
            continue
        yield "other", c
        pos += 1


def scan(text: str, limits: Limits | None = None) -> Scan:
    limits = limits or Limits()
    result = Scan()
    toks: list[tuple[str, str]] = []
    depth = 0
    for kind, value in tokens(text):
        toks.append((kind, value))
        key = value.upper() if kind == "word" else value if kind in ("op", "other") else ""
        if key in REPEATED:
            n = result.repeats[key] = result.repeats.get(key, 0) + 1
            if n > limits.max_repeats:
                result.limit_exceeded = f"more than {limits.max_repeats} × {key} (the limit)"
                break
        if kind == "other":
            if value in _OPEN:
                depth += 1
                if depth > limits.max_depth:
                    result.limit_exceeded = f"brackets nested more than {limits.max_depth} deep (the limit)"
                    break
                result.depth = max(result.depth, depth)
            elif value in _CLOSE:
                depth -= 1
        if len(toks) > limits.max_tokens:
            result.limit_exceeded = f"more than {limits.max_tokens} tokens (the limit)"
            break
    result.tokens = len(toks)
    _read_structure(toks, result)
    return result


def _read_structure(toks: list[tuple[str, str]], result: Scan) -> None:
    """Form, update keywords and SERVICE targets, with the prefixes and base in force where each appears."""
    base = ""
    prefixes: dict[str, str] = {}
    after_semicolon = False  # updates chain operations with ';', each with its own prologue
    n = len(toks)
    j = 0
    while j < n:
        kind, value = toks[j]
        word = value.upper() if kind == "word" else ""
        if word == "BASE" and j + 1 < n and toks[j + 1][0] == "iri":
            base = urljoin(base, toks[j + 1][1][1:-1]) if base else toks[j + 1][1][1:-1]
            j += 2
            continue
        if word == "PREFIX" and j + 2 < n and toks[j + 1][0] == "pname" and toks[j + 2][0] == "iri":
            iri = toks[j + 2][1][1:-1]
            prefixes[toks[j + 1][1].split(":", 1)[0]] = urljoin(base, iri) if base else iri
            j += 3
            continue
        if word:
            if result.first_keyword is None:
                result.first_keyword = word
                result.is_update = word in UPDATE_KEYWORDS
            elif after_semicolon and word in UPDATE_KEYWORDS:
                result.is_update = True
            if word == "SERVICE":
                _service_target(toks, j, base, prefixes, result)
        after_semicolon = kind == "other" and value == ";"
        j += 1


def _service_target(toks, j: int, base: str, prefixes: dict[str, str], result: Scan) -> None:
    k = j + 1
    if k < len(toks) and toks[k][0] == "word" and toks[k][1].upper() == "SILENT":
        k += 1
    if k >= len(toks):
        result.bad_services.append("(nothing)")
        return
    kind, value = toks[k]
    if kind == "iri":
        iri = value[1:-1]
        result.services.append(urljoin(base, iri) if base else iri)
    elif kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            result.services.append(prefixes[prefix] + _LOCAL_ESC.sub(r"\1", local))
        else:
            result.bad_services.append(value)
    else:
        result.bad_services.append(value)


def host_allowed(iri: str, allowlist: tuple[str, ...] | list[str]) -> bool:
    """Is ``iri`` an http(s) IRI whose host (or host:port) is on the allowlist?"""
    try:
        parts = urlsplit(iri)
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host or "\\" in iri or any(c.isspace() for c in iri):
        return False
    for entry in allowlist:
        entry = entry.strip().lower().rstrip(".")
        if not entry:
            continue
        if ":" in entry:
            h, _, p = entry.rpartition(":")
            if host == h and str(port or (443 if parts.scheme.lower() == "https" else 80)) == p:
                return True
        elif host == entry:
            return True
    return False


def refused_services(s: Scan, allowlist) -> list[str]:
    return s.bad_services + [iri for iri in s.services if not host_allowed(iri, allowlist)]
