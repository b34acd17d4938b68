"""A lexical look at a SPARQL request before it reaches the store.

Two questions are answered from the text alone, before anything runs:

* is it an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY,
  WITH …)?  The endpoint is read-only and says so clearly;
* which SERVICE endpoints does it call?  pyoxigraph really does open HTTP
  connections for SERVICE, so every SERVICE target must be an http(s) IRI whose
  host is on the allowlist (empty by default).  A variable target
  (``SERVICE ?s``) or an IRI that cannot be resolved is refused too.

Codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``) are decoded first, as the SPARQL
grammar says they are (§19.2), so ``SERV\\u0049CE`` is still seen.  Strings,
comments and IRIs are skipped as tokens, so the word SERVICE inside a literal is
not a call.  The scan errs on the side of refusing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7-\uFFFF]*)?:(?:[\w\-.:%\\\u00B7-\uFFFF]*[\w\-:%\u00B7-\uFFFF])?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Scan:
    is_update: bool = False
    first_keyword: str | None = None
    services: list[str] = field(default_factory=list)  # resolved SERVICE IRIs
    bad_services: list[str] = field(default_factory=list)  # targets that cannot be checked (variables, unknown prefixes)


def decode_escapes(text: str) -> str:
    def repl(m: re.Match) -> str:
        try:
            return chr(int(m[1] or m[2], 16))
        except ValueError:
            return m[0]

    return _ESCAPE.sub(repl, text)


def tokens(text: str):
    for m in _TOKEN.finditer(decode_escapes(text)):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        yield kind, m.group()


def scan(text: str) -> Scan:
    result = Scan()
    toks = list(tokens(text))
    base = ""
    prefixes: dict[str, str] = {}
    i = 0
    # prologue: BASE <iri> / PREFIX p: <iri>
    while i < len(toks):
        kind, value = toks[i]
        word = value.upper() if kind == "word" else ""
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = urljoin(base, toks[i + 1][1][1:-1])
            i += 2
        elif word == "PREFIX" and i + 2 < len(toks) and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].rstrip(":").split(":")[0]] = urljoin(base, toks[i + 2][1][1:-1])
            i += 3
        else:
            break
    for kind, value in toks[i:]:
        if kind == "word":
            result.first_keyword = value.upper()
            break
    result.is_update = result.first_keyword in UPDATE_KEYWORDS
    # any update keyword used as a statement after ';' also makes it an update request
    for j, (kind, value) in enumerate(toks):
        if kind == "other" and value == ";" and j + 1 < len(toks) and toks[j + 1][0] == "word" \
                and toks[j + 1][1].upper() in UPDATE_KEYWORDS:
            result.is_update = True
    for j, (kind, value) in enumerate(toks):
        if kind != "word" or value.upper() != "SERVICE":
            continue
        k = j + 1
        if k < len(toks) and toks[k][0] == "word" and toks[k][1].upper() == "SILENT":
            k += 1
        if k >= len(toks):
            result.bad_services.append("(nothing)")
            continue
        tkind, tval = toks[k]
        if tkind == "iri":
            result.services.append(urljoin(base, tval[1:-1]) if base else tval[1:-1])
        elif tkind == "pname":
            prefix, _, local = tval.partition(":")
            if prefix in prefixes:
                result.services.append(prefixes[prefix] + local)
            else:
                result.bad_services.append(tval)
        else:
            result.bad_services.append(tval)
    return result


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
