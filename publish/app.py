"""The ASGI app: linked-data pages with content negotiation, the SPARQL endpoint, dumps, VoID/DCAT.

``create_app(store, iris, config)`` serves any GraphStore.  Request paths map to
IRIs with the configured base whatever host serves them: ``/id/x`` is
``{base}id/x`` (303 See Other to ``/doc/x.html|.ttl|.jsonld|.nt|.rdf`` by
Accept), ``/doc/x.ext`` is one representation, ``/doc/x`` negotiates.  Pages
link to local paths, so ``http://127.0.0.1:8000`` can serve IRIs minted under
``https://w3id.org/plankg/``.  Run it with uvicorn (``plankg serve``).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import sys
import threading
import time
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlencode

from plankg.ontology import ONTOLOGY_PATH
from plankg.queries.catalogue import catalogue, get_query
from plankg.queries.run import run_named
from pyoxigraph import NamedNode, RdfFormat, parse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from plankg.errors import PlankgError
from plankg.iris import Iris

from . import sparql_endpoint as ep
from .sparql_endpoint import ProtocolError
from .badinput import StrictQueryString
from .config import PublishConfig
from .describe import describe, exists
from .errors import HEADINGS, QueryPage, error_parts, wants_html
from .labels import Labels
from .links import LANGS, Linker
from .negotiation import (
    BY_EXT,
    HTML,
    PAGE_FORMATS,
    PAGE_OFFERS,
    RDF_FORMATS,
    RDF_OFFERS,
    acceptable,
    negotiate,
)
from .pages import PageBuilder, render
from .response_cache import GENERATION, ResponseCache, not_modified
from .server_timing import ServerTiming
from .results import graph_bytes
from .tables import named_table, outcome_table
from .void import DUMPS, dataset_info, dump_bytes, service_triples, sitemap_xml, void_triples
from .worker import QueryPool

STATIC_DIR = Path(__file__).parent / "static"
#: a query text up to this length is read (checked) on the event loop: about 0.2 ms; longer ones in a thread
INLINE_CHECK_CHARS = 8 * 1024
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class PublishState:
    def __init__(self, store, iris: Iris, config: PublishConfig):
        self.store = store
        self.iris = iris
        self.config = config
        self.pool = QueryPool(store, size=config.workers, allow_network=bool(config.service_allowlist),
                              max_chars=config.max_result_chars)
        self._lock = threading.Lock()
        self._info = None
        self._labels = None
        self._ontology_html = None
        self._started = time.time()

    def generation(self, scope: dict | None = None) -> tuple[str, float]:
        """(token, time) of the store's generation: the on-disk store's current generation directory, else
        the time this server opened the store (it serves one fixed store for its life).  Given a request's
        scope, the one the response cache read for it (one look per request, and the same for every layer)."""
        if scope is not None and GENERATION in scope:
            return scope[GENERATION]
        stamp = getattr(self.store, "current_stamp", None)
        found = stamp() if callable(stamp) else None
        if found is not None:
            name, mtime = found
            return f"{name}:{mtime:.0f}", mtime
        return f"served:{self._started:.0f}", self._started

    @property
    def info(self):
        with self._lock:
            if self._info is None:
                self._info = dataset_info(self.store, self.iris, self.config.licence)
            return self._info

    def warm_up(self) -> None:
        try:
            self.info  # noqa: B018
            self.labels  # noqa: B018
        except Exception as exc:  # noqa: BLE001 - the request that needs them reports it
            print(f"plankg: warm-up: {type(exc).__name__}: {exc}", file=sys.stderr)

    @property
    def labels(self) -> Labels:
        with self._lock:
            if self._labels is None:
                self._labels = Labels(self.iris.id).load(self.store)
            return self._labels

    def ontology_html(self) -> str:
        if self._ontology_html is None:
            import rdflib
            from plankg.ontology.page import render_ontology_page

            self._ontology_html = render_ontology_page(rdflib.Graph().parse(str(ONTOLOGY_PATH)))
        return self._ontology_html


# -- request helpers -------------------------------------------------------------------------------------
def _state(request: Request) -> PublishState:
    return request.app.state.plankg


def _prefix(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/") + "/"


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "")
    return lang if lang in LANGS else _state(request).config.default_lang


def _link(request: Request) -> Linker:
    st = _state(request)
    return Linker(st.iris, _prefix(request), lang=_lang(request), default_lang=st.config.default_lang)


def _public_url(request: Request) -> str:
    st = _state(request)
    if st.config.public_url:
        return st.config.public_url
    return f"{request.url.scheme}://{request.url.netloc}{_prefix(request)}"


def _lang_urls(request: Request) -> dict[str, str]:
    out = {}
    for code in LANGS:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        params.append(("lang", code))
        out[code] = request.url.path + "?" + urlencode(params)
    return out


def _page(request: Request, template: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    st = _state(request)
    context.update(lang=_lang(request), link=_link(request), lang_urls=_lang_urls(request),
                   licence=st.config.licence, endpoint=True, config=st.config)
    return HTMLResponse(render(template, **context), status_code=status, headers=headers)


def _etag(*parts: str) -> str:
    return 'W/"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def _cached(request: Request, body: bytes | str, media: str, etag: str, headers: dict | None = None) -> Response:
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300", **(headers or {})}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _valid_iri(iri: str) -> bool:
    try:
        NamedNode(iri)
    except ValueError:  # spaces, <, >, ", U+FFFD …: no such IRI can be in the dataset
        return False
    return True


def _rdf_media(fmt) -> str:
    return fmt.media_type + ("; charset=utf-8" if fmt.key in ("ttl", "nt") else "")


# -- linked data -----------------------------------------------------------------------------------------
async def id_redirect(request: Request):
    st = _state(request)
    iri = st.iris.id + request.path_params["rest"]
    fmt = negotiate(request.headers.get("accept"), PAGE_OFFERS)
    if fmt is None:
        raise ProtocolError(406, f"no representation matches Accept: {request.headers.get('accept')}",
                            {"Vary": "Accept"}, f"available: {acceptable(PAGE_OFFERS)}")
    if not _valid_iri(iri):
        raise ProtocolError(404, f"{iri} is not in the dataset (it is not a valid IRI)", {"Vary": "Accept"})
    if not await run_in_threadpool(exists, st.store, iri):
        raise ProtocolError(404, f"{iri} is not in the dataset", {"Vary": "Accept"})
    link = _link(request)
    target = link.twin(iri, fmt.ext)
    params = {k: v for k, v in request.query_params.items() if k in ("lang", "page")}
    if params:
        target += "?" + urlencode(params)
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept", "Access-Control-Allow-Origin": "*"})


def _split_ext(st: PublishState, rest: str):
    stem, dot, ext = rest.rpartition(".")
    if dot and ext in BY_EXT and stem:
        if not exists(st.store, st.iris.id + rest):  # an IRI may itself end in .nt, say
            return stem, BY_EXT[ext]
    return rest, None


async def doc(request: Request):
    st = _state(request)
    if not _valid_iri(st.iris.id + request.path_params["rest"]):
        raise ProtocolError(404, f"{st.iris.id + request.path_params['rest']} is not in the dataset "
                                 "(it is not a valid IRI)", {"Vary": "Accept"})
    rest, fmt = await run_in_threadpool(_split_ext, st, request.path_params["rest"])
    iri = st.iris.id + rest
    headers = {"Access-Control-Allow-Origin": "*"}
    link = _link(request)
    if fmt is None:
        fmt = negotiate(request.headers.get("accept"), PAGE_OFFERS)
        headers["Vary"] = "Accept"
        if fmt is None:
            raise ProtocolError(406, f"no representation matches Accept: {request.headers.get('accept')}", headers,
                                f"available: {acceptable(PAGE_OFFERS)}")
        twin = link.twin(iri, fmt.ext)
        if twin:
            headers["Content-Location"] = twin
    description = await run_in_threadpool(describe, st.store, iri)
    if description is None:
        raise ProtocolError(404, f"{iri} is not in the dataset", headers, "see the documents on the home page")
    if fmt is HTML:
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            raise ProtocolError(400, "page must be a positive whole number") from None
        builder = PageBuilder(st.store, st.labels, link, st.config.page_size)
        view = await run_in_threadpool(builder.build, description, page)
        etag = _etag(st.info.digest, "html", iri, link.lang, str(page), link.prefix)
        html = render("resource.html", view=view, formats=RDF_FORMATS, lang=link.lang, link=link,
                      lang_urls=_lang_urls(request), licence=st.config.licence, endpoint=True)
        return _cached(request, html, "text/html; charset=utf-8", etag, headers)
    body = graph_bytes(description.triples(), fmt)
    headers["Link"] = f'<{iri}>; rel="describes"'
    if description.cut:  # more links than a description holds: say so, as the SPARQL endpoint does
        headers["X-Plankg-Truncated"] = "true"
    return _cached(request, body, _rdf_media(fmt), _etag(st.info.digest, fmt.key, iri), headers)


# -- dataset ------------------------------------------------------------------------------------------------
def _void_bytes(request: Request, fmt) -> bytes:
    st = _state(request)
    info = st.info
    public = _public_url(request)
    # the dumps are made when first asked for, not for VoID or the home page (at 1.7 M quads making all three
    # took a minute): VoID states a byte size only for what the dataset's description already holds
    return graph_bytes(void_triples(info, public, public + "sparql"), fmt)


async def home(request: Request):
    st = _state(request)
    fmt = negotiate(request.headers.get("accept"), PAGE_OFFERS)
    if fmt is None:
        raise ProtocolError(406, "no representation matches Accept", None, f"available: {acceptable(PAGE_OFFERS)}")
    if fmt is not HTML:
        body = await run_in_threadpool(_void_bytes, request, fmt)
        return Response(body, media_type=_rdf_media(fmt), headers={
            "Vary": "Accept", "Content-Location": _prefix(request) + f"dataset.{fmt.ext}",
            "Access-Control-Allow-Origin": "*"})
    info = await run_in_threadpool(lambda: st.info)
    return _page(request, "home.html", info=info, dumps=DUMPS, public_url=_public_url(request),
                 limits=st.config.limits(), headers={"Vary": "Accept"})


async def dataset_redirect(request: Request):
    fmt = negotiate(request.headers.get("accept"), PAGE_OFFERS)
    if fmt is None:
        raise ProtocolError(406, "no representation matches Accept", None, f"available: {acceptable(PAGE_OFFERS)}")
    target = _prefix(request) if fmt is HTML else _prefix(request) + f"dataset.{fmt.ext}"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


async def dataset_file(request: Request):
    fmt = BY_EXT.get(request.path_params["ext"])
    if fmt is None or fmt is HTML:
        raise HTTPException(404)
    body = await run_in_threadpool(_void_bytes, request, fmt)
    return Response(body, media_type=_rdf_media(fmt), headers={"Access-Control-Allow-Origin": "*"})


async def well_known_void(request: Request):
    accept = request.headers.get("accept") or ""
    if "text/html" in accept and negotiate(accept, RDF_OFFERS + [("text/html", HTML)]) is HTML:  # a browser: the page
        return RedirectResponse(_prefix(request) + "#dataset", status_code=303, headers={"Vary": "Accept"})
    fmt = negotiate(request.headers.get("accept"), RDF_OFFERS)
    if fmt is None:
        raise ProtocolError(406, "no representation matches Accept", None, f"available: {acceptable(RDF_OFFERS)}")
    body = await run_in_threadpool(_void_bytes, request, fmt)
    return Response(body, media_type=_rdf_media(fmt), headers={"Vary": "Accept", "Access-Control-Allow-Origin": "*"})


async def dump(request: Request):
    st = _state(request)
    name = request.path_params["name"]
    if name not in DUMPS:
        raise HTTPException(404)
    data = await run_in_threadpool(dump_bytes, st.store, st.info, name)
    _, media, zipped = DUMPS[name]
    media = "application/gzip" if zipped else media + ("; charset=utf-8" if media == "text/turtle" else "")
    etag = _etag(st.info.digest, name)
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Access-Control-Allow-Origin": "*",
               "Accept-Ranges": "bytes"}
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if wanted and (if_range is None or if_range.strip() == etag):
        span = _byte_range(wanted, len(data))
        if span is None:
            return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{len(data)}", "ETag": etag})
        if span != (0, len(data) - 1):
            start, end = span
            return Response(data[start:end + 1], status_code=206, media_type=media, headers={
                **headers, "ETag": etag, "Cache-Control": "public, max-age=300",
                "Content-Range": f"bytes {start}-{end}/{len(data)}"})
    return _cached(request, data, media, etag, headers)


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one range of ``Range: bytes=a-b`` (RFC 9110 §14.1.2) as inclusive offsets, or None when it cannot
    be satisfied; a malformed or multi-range header means the whole file (as the RFC allows: ignore it)."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return (0, size - 1) if size else None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdigit() or last.isdigit()) or (first and not first.isdigit()) or (last and not last.isdigit()):
        return (0, size - 1) if size else None
    if not first:  # the last N bytes
        n = int(last)
        return (max(0, size - n), size - 1) if n and size else None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end and start < size else None


async def robots_txt(request: Request):
    prefix = _prefix(request)
    body = (f"User-agent: *\nDisallow: {prefix}sparql\nDisallow: {prefix}query/\n"
            f"Sitemap: {_public_url(request)}sitemap.xml\n")
    return PlainTextResponse(body, headers={"Cache-Control": "public, max-age=3600"})


def sitemap_urls(public_url: str, info) -> list[str]:
    """The pages a crawler should know: home, the ontology, each document's page, the dumps."""
    from .links import Linker

    link = Linker(info.iris, public_url)
    urls = [public_url, public_url + "ontology.html", public_url + "query"]
    urls += [u for d in info.documents if (u := link.twin(d.iri, "html"))]
    return urls + [public_url + "dumps/" + n for n in DUMPS]


async def sitemap(request: Request):
    st = _state(request)
    info = await run_in_threadpool(lambda: st.info)
    body = sitemap_xml(sitemap_urls(_public_url(request), info), info.modified)
    return Response(body, media_type="application/xml", headers={"Cache-Control": "public, max-age=3600"})


async def openapi_json(request: Request):
    from .openapi import openapi

    return JSONResponse(openapi(_prefix(request)), headers={"Access-Control-Allow-Origin": "*"})


async def health(request: Request):
    st = _state(request)
    n = await run_in_threadpool(st.store.count)
    return JSONResponse({"status": "ok", "triples": n}, headers={"Cache-Control": "no-store"})  # a probe asks the store


# -- ontology -------------------------------------------------------------------------------------------------
async def ontology_redirect(request: Request):
    fmt = negotiate(request.headers.get("accept"), PAGE_OFFERS)
    if fmt is None:
        raise ProtocolError(406, "no representation matches Accept", None, f"available: {acceptable(PAGE_OFFERS)}")
    return RedirectResponse(_prefix(request) + f"ontology.{fmt.ext}", status_code=303, headers={"Vary": "Accept"})


async def ontology_file(request: Request):
    st = _state(request)
    ext = request.path_params["ext"]
    if ext == "html":
        html = await run_in_threadpool(st.ontology_html)
        return HTMLResponse(html)
    fmt = BY_EXT.get(ext)
    if fmt is None:
        raise HTTPException(404)
    body = await run_in_threadpool(_ontology_bytes, fmt)
    return Response(body, media_type=_rdf_media(fmt), headers={"Access-Control-Allow-Origin": "*"})


def _ontology_bytes(fmt) -> bytes:
    if fmt.key == "ttl":
        return ONTOLOGY_PATH.read_bytes()
    with open(ONTOLOGY_PATH, "rb") as fh:
        return graph_bytes(parse(fh, format=RdfFormat.TURTLE), fmt)


# -- queries --------------------------------------------------------------------------------------------------
async def sparql(request: Request):
    st = _state(request)
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=ep.PREFLIGHT)
    # a browser sees the endpoint's errors (but a 406) on the query page, with the query; every answer has CORS
    shown = QueryPage("sparql_error", {"sparql_text": ""}, plain=(406,), headers=ep.CORS)
    with shown:
        text, params = await ep.read_request(request, st.config.max_request_bytes)
    if text is None:
        return await _service_description(request)
    shown.context["sparql_text"] = text
    clock = ServerTiming()
    with shown:
        if len(text) <= INLINE_CHECK_CHARS:  # the reading is linear: a short text costs less than a thread hop
            form = ep.check_query(text, st.config.service_allowlist)
        else:
            form = await run_in_threadpool(ep.check_query, text, st.config.service_allowlist)
        clock.lap("check", "reading the query")
        dataset = ep.protocol_dataset(params)
        fmt, _ = ep.choose_format(request, params, form)
        outcome = await ep.run_query(st.pool, text, st.config, dataset, _public_url(request) + "sparql")
        clock.lap("worker", "a query worker: waiting for it and the round trip")
        clock.add("engine", outcome.seconds, "the engine running the query in the worker")
        outcome = ep.star_order(text, outcome)
        fmt = ep.negotiate_again(request, params, outcome, fmt)
    headers = ep.outcome_headers(outcome, st.config)
    if fmt is HTML:
        table = outcome_table(outcome, _link(request))
        headers["Server-Timing"] = clock.header()
        return _query_page(request, sparql_text=text, table=table, truncated=outcome.truncated, headers=headers)
    with shown:  # an answer that the chosen format cannot carry: 406
        body, media = ep.write_outcome(outcome, fmt)
    clock.lap("write", "writing the results")
    headers["Server-Timing"] = clock.header()
    return Response(body, media_type=media, headers=headers)


async def _service_description(request: Request):
    st = _state(request)
    offers = [("text/html", HTML)] + RDF_OFFERS
    fmt = negotiate(request.headers.get("accept"), RDF_OFFERS + [("text/html", HTML)])
    if fmt is None:
        raise ProtocolError(406, "no representation matches Accept", None, f"available: {acceptable(offers)}")
    if fmt is HTML:
        return RedirectResponse(_prefix(request) + "query", status_code=303, headers={"Vary": "Accept"})
    endpoint = _public_url(request) + "sparql"
    triples = await run_in_threadpool(service_triples, st.info, endpoint, st.config.limits(),
                                      bool(st.config.service_allowlist))
    return Response(graph_bytes(triples, fmt), media_type=_rdf_media(fmt),
                    headers={"Vary": "Accept", **ep.CORS})


def _query_page(request: Request, status: int = 200, headers: dict | None = None, **context):
    st = _state(request)
    context.setdefault("sparql_text", "")
    from .ui import COLUMNS, PARAMS, QUERY_ZH

    context.update(query_zh=QUERY_ZH, columns_words=COLUMNS, param_words=PARAMS)
    return _page(request, "query.html", status=status, headers=headers, queries=list(catalogue().values()),
                 limits=st.config.limits(), documents=st.info.documents, **context)


async def query_page(request: Request):
    return _query_page(request)


async def named_query(request: Request):
    st = _state(request)
    name = request.path_params["name"]
    try:
        query = get_query(name)
    except PlankgError as exc:
        raise ProtocolError(404, exc.message, None, exc.hint) from None
    given = {p.name: request.query_params[p.name] for p in query.params
             if request.query_params.get(p.name, "").strip()}
    unknown = [k for k in request.query_params if k not in {p.name for p in query.params} | {"lang", "format"}]
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "json", "csv"):
        raise ProtocolError(400, f"parameter format: {fmt!r} is not one of html, json, csv")
    missing = [p.name for p in query.params if p.required and p.name not in given]
    if missing and not unknown and fmt == "html":  # the page answers a question once it is asked: show its form
        return _query_page(request, active=query, given=given, named_missing=missing)
    # every error of the query is a 400: on its page, in its form (format=html, whatever Accept says), else plain text
    with QueryPage("named_error", {"active": query, "given": given}, always=fmt == "html", never=fmt != "html",
                   status=400):
        if unknown:
            raise ProtocolError(400, f"query {name!r} has no parameter {unknown[0]!r}; its parameters are: "
                                     + (", ".join(p.name for p in query.params) or "none"))
        clock = ServerTiming()
        (columns, rows), seconds = await run_in_threadpool(_timed_named, st.store, name, given, st.iris)
        clock.lap("run", "the query in a thread and the hop to it and back")
        clock.add("engine", seconds, "the query itself (run_named)")
    if fmt in ("json", "csv"):
        from .tables import named_csv, named_json

        body, media = (named_json(rows), "application/json") if fmt == "json" else (named_csv(columns, rows), "text/csv; charset=utf-8")
        clock.lap("write", "writing the rows")
        return Response(body, media_type=media, headers={"Access-Control-Allow-Origin": "*", **NAMED_TIMING,
                                                         "Server-Timing": clock.header()})
    table = named_table(columns, rows, _link(request), st.labels, query)
    heatmap = None
    if name == "coverage-matrix" and rows:
        from .tables import coverage_heatmap

        src = given.get("source") or query.param("source").default
        src = src if src.startswith(("http://", "https://")) else st.iris.doc(src)
        heatmap = coverage_heatmap(rows, _link(request), st.labels, src)
    return _query_page(request, active=query, given=given, table=table, heatmap=heatmap,
                       headers={**NAMED_TIMING, "Server-Timing": clock.header()})


#: a page of another origin may read a named query's Server-Timing too
NAMED_TIMING = {"Timing-Allow-Origin": "*"}


def _timed_named(store, name: str, given: dict, iris: Iris):
    """run_named's answer and the seconds it took (in the thread that runs it: the Server-Timing ``engine``)."""
    t = time.perf_counter()
    out = run_named(store, name, given, iris)
    return out, time.perf_counter() - t


# -- search (page side, issue 13) -------------------------------------------------------------------------------
async def search_page(request: Request):
    from .pages import search

    st = _state(request)
    text = request.query_params.get("q", "").strip()
    groups, total, error = [], 0, None
    if text:
        try:
            groups, total = await run_in_threadpool(search, st.store, st.labels, _link(request), text)
        except PlankgError as exc:
            error = str(exc)
    return _page(request, "search.html", status=400 if error else 200, search_text=text, groups=groups,
                 total=total, search_error=error)


# -- errors and headers ---------------------------------------------------------------------------------------
def error_response(request: Request, exc: Exception) -> Response:
    """The one place an exception becomes a response (as ``datasette/handle_exception.py``): the query page with the
    error for a route that asks for it (:class:`QueryPage`), the error page for a browser, else the documented
    plain-text body (:data:`.openapi.ERROR_CONTENT`): ``message — hint`` and a newline."""
    status, message, hint, headers = error_parts(request, exc)
    line = message + (f" — {hint}" if hint else "")
    page = getattr(exc, "page", None)
    if page is not None and page.shows(request, status):
        return _query_page(request, status=status, headers=headers, **page.context, **{page.key: line})
    if page is None and status != 405 and "plankg" in request.app.state._state and wants_html(request):
        return _page(request, "error.html", status=status, headers=headers, code=status,
                     heading=HEADINGS.get(status, ""), message=message, hint=hint)
    return PlainTextResponse(line + "\n", status_code=status, headers=headers)


async def _handle(request: Request, exc: Exception) -> Response:
    return error_response(request, exc)


class SecurityHeaders:
    """nosniff everywhere; a strict Content-Security-Policy on HTML (no inline script can run)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if ctype.startswith(b"text/html") and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                    headers.append((b"referrer-policy", b"same-origin"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _http_date(t: float) -> str:
    return formatdate(t, usegmt=True)


class Revalidation:
    """HTTP caching on every GET/HEAD (and the validators on a POST query's answer too): a weak ETag (from the body, for the store's generation) and Last-Modified
    (the generation's time) where the route set none, and 304 Not Modified for a matching If-None-Match — or,
    without one, an If-Modified-Since not older than the generation (RFC 9110 §13.1.3).  HEAD is answered as
    the GET would be, without the body, on every route.  Runs inside the gzip layer, so the ETag names the
    content whatever its coding (weak: the gzip and identity bodies are equivalent)."""

    def __init__(self, app, state: PublishState):
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD", "POST"):
            return await self.app(scope, receive, send)
        head = scope["method"] == "HEAD"
        inner = dict(scope, method="GET") if head else scope
        start, chunks = None, []

        async def capture(message):
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._finish(scope, start, b"".join(chunks), head, send)
            else:  # pragma: no cover
                await send(message)

        await self.app(inner, receive, capture)

    async def _finish(self, scope, start, body: bytes, head: bool, send):
        from starlette.datastructures import Headers, MutableHeaders

        headers = MutableHeaders(raw=list(start.get("headers", [])))
        status = start["status"]
        token, modified = self.state.generation(scope)
        if 200 <= status < 400 and "last-modified" not in headers:
            headers["Last-Modified"] = _http_date(modified)
        if status == 200 and "etag" not in headers:
            headers["ETag"] = _etag(token, hashlib.sha256(body).hexdigest())
        request_headers = Headers(scope=scope)
        if status == 200 and scope["method"] != "POST" and self._not_modified(request_headers, headers, modified):
            keep = {k: headers[k] for k in ("etag", "last-modified", "cache-control", "vary", "content-location",
                                            "access-control-allow-origin", "access-control-expose-headers") if k in headers}
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(k.encode(), v.encode("latin-1")) for k, v in keep.items()]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": status, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})  # the server sends none for HEAD (RFC 9110 §9.3.2)

    @staticmethod
    def _not_modified(request_headers, headers, modified: float) -> bool:
        return not_modified(request_headers.get("if-none-match"), request_headers.get("if-modified-since"),
                            headers.get("etag", ""), modified)


def create_app(store, iris: Iris | None = None, config: PublishConfig | None = None) -> Starlette:
    """The ASGI app serving ``store`` (any GraphStore) with IRIs minted by ``iris``."""
    iris = iris or Iris()
    config = config or PublishConfig()
    state = PublishState(store, iris, config)
    atexit.register(state.pool.close)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        # the dataset's description and the labels are read once per generation: start now, in the
        # background, so that the first visitor does not wait for a whole store's statistics
        threading.Thread(target=state.warm_up, name="plankg-warm-up", daemon=True).start()
        try:
            yield
        finally:
            state.pool.close()

    routes = [
        Route("/", home),
        Route("/health", health),
        Route("/robots.txt", robots_txt),
        Route("/sitemap.xml", sitemap),
        Route("/openapi.json", openapi_json),
        Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"]),
        Route("/query", query_page),
        Route("/query/{name}", named_query),
        Route("/search", search_page),
        Route("/id/{rest:path}", id_redirect),
        Route("/doc/{rest:path}", doc),
        Route("/dataset", dataset_redirect),
        Route("/dataset.{ext}", dataset_file),
        Route("/.well-known/void", well_known_void),
        Route("/dumps/{name}", dump),
        Route("/ontology", ontology_redirect),
        Route("/ontology.{ext}", ontology_file),
        Mount("/static", app=StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={ProtocolError: _handle, 404: _handle, 405: _handle})
    app.state.plankg = state
    app.add_middleware(StrictQueryString, respond=lambda request, message: error_response(request, ProtocolError(400, message)))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Revalidation, state=state)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)  # results, pages and dumps by Accept-Encoding
    cache_bytes = config.response_cache_mib * 1024 * 1024
    app.add_middleware(ResponseCache, generation=state.generation, max_bytes=cache_bytes, max_entry=cache_bytes // 8,
                       federated=bool(config.service_allowlist))  # outermost: a hit skips every layer below
    return app


__all__ = ["PAGE_FORMATS", "PublishConfig", "create_app"]
