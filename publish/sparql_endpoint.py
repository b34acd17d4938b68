"""The SPARQL 1.1 Protocol at /sparql: query via GET, form POST or direct POST; read-only; guarded.

Order of checks, each answered before the store sees anything:

1. size — a body over ``max_request_bytes`` → 413, a query string over it → 414;
2. update — ``update=``, ``application/sparql-update`` or update text → 403;
3. SERVICE — any target whose host is not on the allowlist → 403, no connection made (the text is read
   with the SPARQL terminals, :mod:`.sparqlscan`; and the workers have no network unless SERVICE hosts are
   allowed, :mod:`.nonet`, so a call the reading missed fails in the engine: 403 too);
   limits — nesting, tokens, repeated operators past :class:`.sparqlscan.Limits` → 400 naming the limit;
4. Accept — nothing we can write → 406;

then the query runs in a worker process (:mod:`.worker`): a syntax error → 400
with line and column, past the timeout → 503, a worker that dies on the query → 503 (and is replaced), more than ``max_rows`` answers →
the first ``max_rows`` and ``X-Plankg-Truncated: true``.  Under overload — every
worker busy and ``queue_size`` queries already waiting, or no worker free within
``queue_wait`` — the answer is 503 with ``Retry-After: 1``, at once.  GET /sparql
without a query gives the service description (Turtle by default).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from pyoxigraph import NamedNode
from starlette.requests import Request

from plankg.errors import PlankgError, SparqlError

from .badinput import bad_field
from .negotiation import (
    FORMAT_PARAM,
    GRAPH_FORMAT_PARAM,
    GRAPH_OFFERS,
    HTML,
    RDF_OFFERS,
    RESULT_OFFERS,
    acceptable,
    negotiate,
)
from .results import WRITERS, NotXml, to_rdf
from .sparqlscan import Limits, Unterminated, refused_services, scan
from .worker import QueryTimeout, ServerBusy, ServiceRefused, WorkerFailed

CORS = {"Access-Control-Allow-Origin": "*",
        "Timing-Allow-Origin": "*",  # a page of another origin may read Server-Timing too
        "Access-Control-Expose-Headers": "X-Plankg-Truncated, X-Plankg-Row-Limit, Content-Location, ETag, Last-Modified"}
#: request headers a cross-origin client may send (YASGUI/YASQE send X-Requested-With; SPARQL clients Accept,
#: Content-Type and conditional headers)
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, POST, HEAD, OPTIONS",
             "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Language, Content-Type, X-Requested-With, "
                                             "If-None-Match, If-Modified-Since, Cache-Control, Authorization, Range",
             "Access-Control-Max-Age": "86400"}


class ProtocolError(PlankgError):
    """A request the site or the endpoint refuses: the HTTP ``status``, the message (and ``hint``) of its body,
    the ``headers`` it carries.  Handlers raise it; :mod:`.errors` turns it into the response."""

    def __init__(self, status: int, message: str, headers: dict | None = None, hint: str | None = None):
        super().__init__(message, hint)
        self.args = (status, message, headers, hint)
        self.status = status
        self.headers = headers or {}


READ_ONLY = ("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) "
             "is not accepted — send a SELECT, ASK, CONSTRUCT or DESCRIBE query")


async def read_request(request: Request, max_bytes: int) -> tuple[str | None, dict[str, list[str]]]:
    """(query text or None, all parameters) of a protocol request; raises ProtocolError."""
    raw_qs = request.scope.get("query_string", b"")
    if len(raw_qs) > max_bytes:
        raise ProtocolError(414, f"the URL's query string is {len(raw_qs)} bytes, more than the limit of {max_bytes}: "
                                 "send the query with POST")
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise ProtocolError(413, f"the request body is {length} bytes, more than the limit of {max_bytes}")
        if ctype == "application/sparql-update":
            raise ProtocolError(403, READ_ONLY)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_bytes:
                raise ProtocolError(413, f"the request body is more than the limit of {max_bytes} bytes")
        if ctype == "application/x-www-form-urlencoded":
            message = bad_field(bytes(body), "the form body")  # parse_qs would guess: name the bad field instead
            if message:
                raise ProtocolError(400, message)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            direct = ctype == "application/sparql-query"
            raise ProtocolError(400, "query: the request body (the query) is not UTF-8" if direct
                                else "the request body is not UTF-8") from None
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            if "query" in params:
                raise ProtocolError(400, "a direct POST (application/sparql-query) must not also pass query= in the URL")
            params["query"] = [text]
        else:
            raise ProtocolError(415, "POST needs Content-Type application/x-www-form-urlencoded (query=…) "
                                     "or application/sparql-query (the query as the body)")
    if "update" in params:
        raise ProtocolError(403, READ_ONLY)
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query= parameter")
    return (queries[0] if queries else None), params


def protocol_dataset(params: dict) -> tuple[list[str], list[str]] | None:
    """The dataset named by ``default-graph-uri`` / ``named-graph-uri`` (SPARQL 1.1 Protocol §2.1.4: when
    either is given they make the dataset, overriding the query's FROM / FROM NAMED), or None."""
    if "default-graph-uri" not in params and "named-graph-uri" not in params:
        return None
    out = []
    for p in ("default-graph-uri", "named-graph-uri"):
        iris = params.get(p, [])
        for iri in iris:
            try:
                NamedNode(iri)
            except ValueError:
                raise ProtocolError(400, f"{p}: {iri!r} is not an absolute IRI") from None
        out.append(list(iris))
    return out[0], out[1]


def check_query(text: str, allowlist, limits: Limits | None = None) -> str:
    """Refuse updates, SERVICE calls off the allowlist and queries past the engine's limits; return the query
    form (SELECT, CONSTRUCT, …).  Linear in the length of the text; run it off the event loop."""
    if not text.strip():
        raise ProtocolError(400, "the query is empty")
    try:
        s = scan(text, limits)
    except Unterminated as exc:
        raise ProtocolError(400, f"SPARQL syntax error: {exc}") from None
    if s.limit_exceeded:
        raise ProtocolError(400, f"the query has {s.limit_exceeded}; it was not run — split it or simplify it")
    if s.is_update:
        raise ProtocolError(403, READ_ONLY)
    refused = refused_services(s, allowlist)
    if refused:
        allowed = ", ".join(allowlist) or "none"
        raise ProtocolError(403, f"SERVICE to {', '.join(refused)} is not allowed (hosts allowed: {allowed}); "
                                 "the query was not run")
    return s.first_keyword or ""


def choose_format(request: Request, params: dict, form: str):
    offers = GRAPH_OFFERS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_OFFERS
    wanted = (params.get("format") or params.get("output") or [None])[0]
    if wanted:
        key = wanted.lower().strip()
        fmt = FORMAT_PARAM.get(key)
        if offers is GRAPH_OFFERS and fmt not in [f for _, f in offers]:
            fmt = GRAPH_FORMAT_PARAM.get(key, fmt)
        fmt = fmt or dict(offers).get(key.split(";")[0].strip())  # a media type given as the format
        if fmt is None or fmt not in [f for _, f in offers]:
            raise ProtocolError(406, f"format={wanted} is not available for a {form or 'query'}; "
                                     f"ask for one of: {acceptable(offers)}")
        return fmt, offers
    fmt = negotiate(request.headers.get("accept"), offers)
    if fmt is None:
        raise ProtocolError(406, f"cannot answer with any type in Accept: {request.headers.get('accept')}; "
                                 f"available: {acceptable(offers)}")
    return fmt, offers


def syntax_message(exc: SparqlError) -> tuple[str, dict]:
    """The 400 answer's message and headers (X-Plankg-Error-Line/-Column) for a query the engine refused, on one
    line (the engine lists what it expected over several)."""
    if exc.line is None:
        return f"SPARQL syntax error: {_one_line(exc.message.removeprefix('invalid SPARQL: '))}", {}
    return (f"SPARQL syntax error at line {exc.line}, column {exc.column}: {_one_line(exc.detail or '')}",
            {"X-Plankg-Error-Line": str(exc.line), "X-Plankg-Error-Column": str(exc.column)})


def _one_line(text: str) -> str:
    return " ".join(text.split())


async def run_query(pool, text: str, config, dataset=None, base_iri: str | None = None):
    """Admit the query (or 503 now) and run it in a worker; protocol errors for what went wrong."""
    try:
        with pool.admission(config.queue_size):
            return await pool.run_async(text, timeout=config.timeout, max_rows=config.max_rows,
                                        queue_wait=config.queue_wait, dataset=dataset, base_iri=base_iri)
    except SparqlError as exc:
        msg, headers = syntax_message(exc)
        raise ProtocolError(400, msg, headers) from None
    except QueryTimeout as exc:
        raise ProtocolError(exc.status, f"{exc} (limit {config.timeout:g} s); make it more selective or add a LIMIT",
                            {"X-Plankg-Timeout": f"{config.timeout:g}", "Retry-After": "1"}) from None
    except ServerBusy as exc:
        raise ProtocolError(exc.status, f"{exc}; try again shortly", {"Retry-After": "1"}) from None
    except ServiceRefused as exc:
        raise ProtocolError(exc.status, f"{exc}; the query was not answered") from None
    except WorkerFailed as exc:
        raise ProtocolError(exc.status, str(exc), {"Retry-After": "1"}) from None


def write_outcome(outcome, fmt) -> tuple[bytes, str]:
    try:
        if outcome.kind == "triples":
            return to_rdf(outcome, fmt), fmt.media_type + ("; charset=utf-8" if fmt.key == "ttl" else "")
        media = fmt.media_type + ("; charset=utf-8" if fmt.key in ("csv", "tsv") else "")
        return WRITERS[fmt.key](outcome), media
    except NotXml as exc:
        raise ProtocolError(406, f"{exc}: ask for JSON, CSV/TSV or Turtle instead") from None


def outcome_headers(outcome, config) -> dict:
    headers = {"X-Plankg-Row-Limit": str(config.max_rows), "Vary": "Accept", **CORS}
    if outcome.truncated:
        headers["X-Plankg-Truncated"] = "true"
    return headers


#: ``SELECT *`` (or DISTINCT/REDUCED) with any whitespace or comments between; a quick test before tokenising
_MAYBE_STAR = re.compile(r"SELECT(?:\s|#[^\n\r]*+)*+(?:(?:DISTINCT|REDUCED)(?:\s|#[^\n\r]*+)*+)?\*", re.IGNORECASE)


def star_order(text: str, outcome):
    """``SELECT *``: the columns in the order the variables first appear in the query (as the W3C result-format
    tests expect) rather than pyoxigraph's; any other query keeps its projection's order."""
    if outcome.kind != "solutions" or (not _MAYBE_STAR.search(text) and "\\u" not in text and "\\U" not in text):
        return outcome  # (the pattern may match where no SELECT * is — a comment, a string —, never miss one)
    from plankg.graph_store.sparql_text import _tokens

    toks = [(k, t) for k, t, _, _ in _tokens(text)]
    for i, (k, t) in enumerate(toks):
        if k == "word" and t.upper() == "SELECT":
            j = i + 1
            while j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() in ("DISTINCT", "REDUCED"):
                j += 1
            if j >= len(toks) or toks[j] != ("other", "*"):
                return outcome
            break
    else:
        return outcome
    seen = list(dict.fromkeys(t[1:] for k, t in toks if k == "var"))
    order = sorted(range(len(outcome.variables)),
                   key=lambda n: seen.index(outcome.variables[n]) if outcome.variables[n] in seen else len(seen) + n)
    if order == list(range(len(order))):
        return outcome
    outcome.variables = [outcome.variables[n] for n in order]
    outcome.rows = [tuple(row[n] for n in order) for row in outcome.rows]
    return outcome


def negotiate_again(request, params, outcome, fmt):
    """The query form guessed from the text was wrong (rare): pick the format again for what came back."""
    is_graph = outcome.kind == "triples"
    offers = GRAPH_OFFERS if is_graph else RESULT_OFFERS
    if fmt in [f for _, f in offers]:
        return fmt
    new = negotiate(request.headers.get("accept"), offers)
    if new is None:
        raise ProtocolError(406, f"available: {acceptable(offers)}")
    return new


__all__ = [
    "HTML",
    "RDF_OFFERS",
    "ProtocolError",
    "check_query",
    "choose_format",
    "negotiate_again",
    "outcome_headers",
    "protocol_dataset",
    "star_order",
    "read_request",
    "run_query",
    "write_outcome",
]
