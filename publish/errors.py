"""Errors as the site and the endpoint answer them: what a route raised, as (status, message, hint, headers).

Handlers raise :class:`~.sparql_endpoint.ProtocolError` (or starlette's 404 / 405) and
:func:`.app.error_response`, registered in ``create_app``'s ``exception_handlers``, renders it — one place, as
``datasette/handle_exception.py``.  A route whose errors belong on the query page says so with :class:`QueryPage`.
"""

from __future__ import annotations

from starlette.requests import Request

from plankg.errors import PlankgError

from .negotiation import HTML, negotiate
from .sparql_endpoint import ProtocolError


def wants_html(request: Request) -> bool:
    """Does the client prefer a page to plain text (a browser)?"""
    fmt = negotiate(request.headers.get("accept"), [("text/plain", None), ("text/html", HTML)])
    return fmt is HTML


HEADINGS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 406: "Not Acceptable", 413: "Content Too Large",
            414: "URI Too Long", 415: "Unsupported Media Type", 500: "Server Error", 503: "Service Unavailable"}


class QueryPage:
    """``with`` it, a route shows the errors raised inside on the query page, the message under ``key`` beside
    ``context``: to a browser (``always``: to every client; ``never``: to none) unless their status is in ``plain``,
    which get the plain-text body.  ``headers`` are added to each error's; with ``status`` any other PlankgError
    (a named query's bad parameter, say) becomes a ProtocolError of that status."""

    def __init__(self, key: str, context: dict, *, always: bool = False, never: bool = False, plain: tuple = (),
                 headers: dict | None = None, status: int | None = None):
        self.key, self.context, self.always, self.never, self.plain = key, context, always, never, plain
        self.headers = headers or {}
        self.status = status

    def shows(self, request: Request, status: int) -> bool:
        return self.always or (not self.never and status not in self.plain and wants_html(request))

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, PlankgError) and not isinstance(exc, ProtocolError) and self.status is not None:
            raise self._mark(ProtocolError(self.status, exc.message, None, exc.hint)) from None
        if isinstance(exc, ProtocolError):
            self._mark(exc)
        return False

    def _mark(self, exc: ProtocolError) -> ProtocolError:
        exc.headers = {**self.headers, **exc.headers}
        exc.page = self
        return exc


def error_parts(request: Request, exc: Exception) -> tuple[int, str, str | None, dict]:
    """(status, message, hint, headers) of what a route raised: a ProtocolError, or starlette's 404 / 405."""
    if isinstance(exc, ProtocolError):
        return exc.status, exc.message, exc.hint, {k: v for k, v in exc.headers.items() if v is not None}
    status = getattr(exc, "status_code", 404)
    if status == 405:
        return 405, "method not allowed", None, dict(getattr(exc, "headers", None) or {})
    if "plankg" not in request.app.state._state:
        return 404, "not found", None, {}
    return status, f"nothing at {request.url.path}" if status == 404 else str(exc.detail), None, {}


__all__ = ["HEADINGS", "QueryPage", "error_parts", "wants_html"]
