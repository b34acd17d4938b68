"""Strict reading of URL-encoded input: a query string or a form body that is not well formed is a 400, not a guess.

Python's ``parse_qs`` (and so starlette's ``request.query_params``) decodes ``%FF%FE`` to U+FFFD
replacement characters and keeps a stray ``%`` as it is, so a garbled parameter reached the query
engine (a baffling SPARQL syntax error), a named query (a search for ``��``) or the store as if
it had been sent.  Here each field of an ``application/x-www-form-urlencoded`` string is checked:
every ``%`` must start a two-hex-digit escape and the decoded bytes must be UTF-8.  The answer names
the field (``parameter query: …``).
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from starlette.requests import Request

BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def _label(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8", "replace")[:40] or "(empty name)"


def bad_field(raw: bytes, what: str = "the query string") -> str | None:
    """Why ``raw`` (``name=value&…``) is not well-formed URL-encoded UTF-8, naming the first bad field; None if it is."""
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        for piece, role in ((name, "name"), (value, "value")):
            where = f"a parameter name in {what}" if role == "name" else f"parameter {_label(name)}"
            if BAD_ESCAPE.search(piece):
                return (f"{where}: bad percent-encoding ('%' must be followed by two hex digits; "
                        "write a literal % as %25)")
            try:
                unquote_to_bytes(piece.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return f"{where}: not UTF-8 once percent-decoded (send UTF-8 text, percent-encoded)"
    return None


class StrictQueryString:
    """ASGI middleware: a URL whose query string is not well-formed URL-encoded UTF-8 gets ``respond``'s 400."""

    def __init__(self, app, respond):
        self.app = app
        self.respond = respond  # (request, message) -> Response

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            message = bad_field(scope.get("query_string", b""))
            if message:
                response = self.respond(Request(scope, receive), message)
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)
