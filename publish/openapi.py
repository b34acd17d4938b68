"""An OpenAPI 3.0 description of the HTTP API, served at ``/openapi.json``.

Built from the code it describes: the media types from :mod:`.negotiation`, the dumps from
:mod:`.void` and one operation per named query from :func:`plankg.queries.catalogue.catalogue`
(its parameters, their types and defaults).  Every status the server answers with is listed,
including the refusals (403 for SPARQL Update, 406, 413, 414, 415) and 503 (query timeout, with
``X-Plankg-Timeout``, or overload, with ``Retry-After``).
"""

from __future__ import annotations

import copy

from plankg import __version__
from plankg.queries.catalogue import Param, catalogue

from .negotiation import FORMAT_PARAM, GRAPH_FORMAT_PARAM, GRAPH_OFFERS, PAGE_OFFERS, RESULT_OFFERS
from .void import DUMPS

TEXT = {"schema": {"type": "string"}}
ERROR_CONTENT = {"text/plain": TEXT, "text/html": TEXT}  # negotiated: browsers get a page
SPARQL_JSON = {
    "type": "object",
    "properties": {
        "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}},
                                                  "link": {"type": "array", "items": {"type": "string"}}}},
        "boolean": {"type": "boolean"},
        "results": {"type": "object", "required": ["bindings"],
                    "properties": {"bindings": {"type": "array", "items": {"type": "object"}}}},
    },
    "required": ["head"],
}
SHORT_PATH = r"[a-z0-9][a-z0-9-]*(/[A-Za-z0-9-]+)*"
PARAM_SCHEMAS = {
    "document": {"type": "string", "pattern": "^([a-z0-9][a-z0-9-]{1,80}|https?://\\S+)$"},
    "iri": {"type": "string", "pattern": "^(https?://[^\\s<>\"{}|\\\\^`]+|" + SHORT_PATH + ")$"},
    "string": {"type": "string", "minLength": 1, "maxLength": 200},
    "lang": {"type": "string", "enum": ["zh", "en", "any"]},
    "integer": {"type": "integer", "minimum": -999_999_999, "maximum": 999_999_999},
    "year": {"type": "integer", "minimum": 1900, "maximum": 2200},
    "decimal": {"type": "string", "pattern": r"^[+-]?(\d+(\.\d*)?|\.\d+)$", "maxLength": 40},
    "boolean": {"type": "string", "enum": ["true", "false"]},
}


def _error(description: str, **headers: dict) -> dict:
    out = {"description": description, "content": ERROR_CONTENT}
    if headers:
        out["headers"] = headers
    return out


def _header(description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"description": description, "required": required, "schema": schema or {"type": "string"}}


ERRORS = {
    "400": _error("Bad request: a malformed parameter (the message names it), bad percent-encoding or non-UTF-8 "
                  "input, or a SPARQL syntax error (X-Plankg-Error-Line/Column)"),
    "403": _error("Refused: SPARQL Update (the endpoint is read-only) or SERVICE to a host off the allowlist"),
    "404": _error("Not found: no such resource, query, dump or file"),
    "406": _error("Not acceptable: nothing in Accept (or format=) can be served; the message lists what can"),
    "413": _error("The request body is larger than the configured limit"),
    "414": _error("The query string is larger than the configured limit: send the query with POST"),
    "415": _error("Unsupported media type: POST needs application/x-www-form-urlencoded or application/sparql-query"),
    "503": _error("The query ran past the time limit and was stopped (X-Plankg-Timeout), or every query worker is "
                  "busy (Retry-After)",
                  **{"X-Plankg-Timeout": _header("the time limit in seconds, when the query timed out"),
                     "Retry-After": _header("seconds to wait before trying again")}),
}


def _errors(*codes: int) -> dict:
    return {str(c): ERRORS[str(c)] for c in codes}


def _media(offers) -> list[str]:
    return list(dict.fromkeys(f.media_type for _, f in offers))


def _content(media_types, json_schema: dict | None = None) -> dict:
    out = {}
    for m in media_types:
        if m.endswith("ld+json"):
            out[m] = {"schema": {}}  # JSON-LD: an object or an array of nodes
        elif json_schema and m.endswith("json"):
            out[m] = {"schema": json_schema}
        else:
            out[m] = TEXT
    return out


LANG = {"name": "lang", "in": "query", "required": False, "description": "the page language (other values: the default)",
        "schema": {"type": "string", "enum": ["zh", "en"]}}
REDIRECT = {"description": "See Other: the representation chosen by Accept",
            "headers": {"Location": _header("where the representation is", required=True)}}


def _sparql_params() -> list[dict]:
    formats = sorted(set(FORMAT_PARAM) | set(GRAPH_FORMAT_PARAM))
    return [
        {"name": "default-graph-uri", "in": "query", "required": False,
         "description": "a graph of the default graph (repeatable; their RDF merge): with named-graph-uri it "
                        "replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol); without either the "
                        "default graph is the RDF merge of all named graphs; not an absolute IRI: 400",
         "schema": {"type": "string"}},
        {"name": "named-graph-uri", "in": "query", "required": False,
         "description": "a named graph of the dataset (repeatable); given alone, the default graph is empty",
         "schema": {"type": "string"}},
        {"name": "format", "in": "query", "required": False,
         "description": "the result format instead of Accept (406 if it does not fit the query form)",
         "schema": {"type": "string", "enum": formats}},
    ]


def _sparql_responses(with_body: bool) -> dict:
    media = list(dict.fromkeys(_media(RESULT_OFFERS) + _media(GRAPH_OFFERS)))
    ok = {"description": "The results (SELECT/ASK) or graph (CONSTRUCT/DESCRIBE), or without a query the service "
                         "description; at most max_rows answers (then X-Plankg-Truncated: true)",
          "headers": {"X-Plankg-Truncated": _header("true when the answers were cut at the row cap"),
                      "X-Plankg-Row-Limit": _header("the row cap"),
                      "Server-Timing": _header("W3C Server Timing, ms: check, worker, engine, write (a cached "
                                               "answer: cache;desc=\"hit\")")},
          "content": _content(media, SPARQL_JSON)}
    out = {"200": ok, "303": {**REDIRECT, "description": "a browser without a query goes to the query page"},
           **_errors(400, 403, 406, 414, 503)}
    if with_body:
        out.update(_errors(413, 415))
    return out


def _param(p: Param) -> dict:
    schema = dict(PARAM_SCHEMAS[p.type])
    if p.default is not None:
        schema["default"] = int(p.default) if schema["type"] == "integer" else p.default
    return {"name": p.name, "in": "query", "required": p.required, "description": f"{p.type}: {p.description}",
            "schema": schema}


NAMED_FORMAT = {"name": "format", "in": "query", "required": False,
                "description": "html (a page with the form and the table), json (a list of rows) or csv",
                "schema": {"type": "string", "enum": ["html", "json", "csv"], "default": "html"}}
NAMED_RESPONSES = {
    "200": {"description": "The answers",
            "headers": {"Server-Timing": _header("W3C Server Timing, ms: run (the query in a thread, with the hop "
                                                 "to it), engine (the query itself), write (json, csv; a cached "
                                                 "answer: cache;desc=\"hit\")")},
            "content": {"text/html": TEXT, "text/csv": TEXT,
                        "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}},
    **_errors(400, 404),
}


def _named_operations() -> dict:
    paths = {}
    for name, q in catalogue().items():
        paths[f"/query/{name}"] = {"get": {
            "operationId": f"named-query-{name}",
            "summary": q.title,
            "description": q.question,
            "tags": ["named queries"],
            "parameters": [_param(p) for p in q.params] + [NAMED_FORMAT, LANG],
            "responses": NAMED_RESPONSES,
        }}
    return paths


def openapi(prefix: str = "/") -> dict:
    """The OpenAPI document; ``prefix`` is where the app is mounted (its root path, ending in '/')."""
    rdf = _content(_media([o for o in PAGE_OFFERS if o[1].key != "html"]))
    page = _content(_media(PAGE_OFFERS))
    form_schema = {
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "a SPARQL 1.1 query"},
            "update": {"type": "string", "description": "refused (403): the endpoint is read-only"},
            "default-graph-uri": {"type": "string", "description": "a graph of the default graph (repeatable)"},
            "named-graph-uri": {"type": "string", "description": "a named graph of the dataset (repeatable)"},
            "format": {"type": "string", "enum": sorted(set(FORMAT_PARAM) | set(GRAPH_FORMAT_PARAM))},
        },
    }
    paths = {
        "/": {"get": {"operationId": "home", "summary": "The home page (HTML) or the VoID/DCAT description (RDF)",
                      "parameters": [LANG], "responses": {"200": {"description": "home", "content": page},
                                                          **_errors(400, 406)}}},
        "/health": {"get": {"operationId": "health", "summary": "Liveness and the number of triples",
                            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                                "type": "object", "required": ["status", "triples"],
                                "properties": {"status": {"type": "string", "enum": ["ok"]},
                                               "triples": {"type": "integer", "minimum": 0}}}}}},
                                          **_errors(400)}}},
        "/openapi.json": {"get": {"operationId": "openapi", "summary": "This description",
                                  "responses": {"200": {"description": "OpenAPI 3.0",
                                                        "content": {"application/json": {"schema": {"type": "object"}}}},
                                                **_errors(400)}}},
        "/sparql": {
            "get": {"operationId": "sparql-get", "summary": "SPARQL 1.1 Protocol: query via GET",
                    "description": "Without query=, the service description.  Read-only: update= and update "
                                   "text are refused with 403.",
                    "tags": ["SPARQL"],
                    "parameters": [{"name": "query", "in": "query", "required": False, "description": "a SPARQL 1.1 query",
                                    "schema": {"type": "string"}, "example": "ASK { ?s ?p ?o }"},
                                   {"name": "update", "in": "query", "required": False,
                                    "description": "refused (403): the endpoint is read-only", "schema": {"type": "string"}},
                                   *_sparql_params()],
                    "responses": _sparql_responses(False)},
            "post": {"operationId": "sparql-post", "summary": "SPARQL 1.1 Protocol: query via POST (form or direct)",
                     "tags": ["SPARQL"],
                     "parameters": _sparql_params(),
                     "requestBody": {"required": True, "content": {
                         "application/x-www-form-urlencoded": {"schema": form_schema},
                         "application/sparql-query": {"schema": {"type": "string"},
                                                      "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}}},
                     "responses": _sparql_responses(True)},
        },
        "/query": {"get": {"operationId": "query-page", "summary": "The query page: the SPARQL editor and every named query",
                           "parameters": [LANG],
                           "responses": {"200": {"description": "page", "content": {"text/html": TEXT}},
                                         **_errors(400)}}},
        "/query/{name}": {"get": {
            "operationId": "named-query", "summary": "Run a named query by name (see the /query/NAME operations "
                                                     "for each one's parameters)",
            "tags": ["named queries"],
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                           NAMED_FORMAT, LANG],
            "responses": NAMED_RESPONSES}},
        **_named_operations(),
        "/id/{path}": {"get": {
            "operationId": "id", "summary": "A resource IRI: 303 See Other to its /doc/ representation chosen by Accept",
            "tags": ["linked data"],
            "parameters": [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"},
                            "example": "plan-2021-2025"}, LANG,
                           {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"303": REDIRECT, **_errors(400, 404, 406)}}},
        "/doc/{path}": {"get": {
            "operationId": "doc",
            "summary": "A resource's description: /doc/x.html|.ttl|.jsonld|.nt|.rdf, or /doc/x negotiated by Accept",
            "tags": ["linked data"],
            "parameters": [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"},
                            "example": "plan-2021-2025.ttl"}, LANG,
                           {"name": "page", "in": "query", "required": False, "description": "page of long lists (HTML)",
                            "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"200": {"description": "the description", "content": page}, **_errors(400, 404, 406)}}},
        "/dataset.{ext}": {"get": {
            "operationId": "dataset", "summary": "The VoID/DCAT description of the dataset", "tags": ["dataset"],
            "parameters": [{"name": "ext", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": ["ttl", "jsonld", "nt", "rdf"]}}],
            "responses": {"200": {"description": "VoID/DCAT", "content": rdf}, **_errors(400, 404)}}},
        "/dataset": {"get": {
            "operationId": "dataset-negotiated", "summary": "The dataset: 303 to the home page or /dataset.EXT by Accept",
            "tags": ["dataset"], "responses": {"303": REDIRECT, **_errors(400, 406)}}},
        "/.well-known/void": {"get": {
            "operationId": "well-known-void", "summary": "The VoID/DCAT description, negotiated by Accept "
                                                        "(a browser, naming text/html, is sent to the home page)",
            "tags": ["dataset"], "responses": {"200": {"description": "VoID/DCAT", "content": rdf}, "303": REDIRECT,
                                               **_errors(400, 406)}}},
        "/search": {"get": {
            "operationId": "search", "summary": "Search the labels (the label-search named query), hits grouped by "
                                                "document with their place in the tree",
            "parameters": [{"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                            "description": "the text to look for (case-insensitive)", "example": "司法保护"}, LANG],
            "responses": {"200": {"description": "page", "content": {"text/html": TEXT}}, **_errors(400)}}},
        "/ontology": {"get": {
            "operationId": "ontology-negotiated", "summary": "The ontology: 303 to /ontology.EXT by Accept",
            "tags": ["ontology"], "responses": {"303": REDIRECT, **_errors(400, 406)}}},
        "/ontology.{ext}": {"get": {
            "operationId": "ontology", "summary": "The ontology as a page or in an RDF format", "tags": ["ontology"],
            "parameters": [{"name": "ext", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": ["html", "ttl", "jsonld", "nt", "rdf"]}}],
            "responses": {"200": {"description": "the ontology", "content": page}, **_errors(400, 404)}}},
        "/dumps/{name}": {"get": {
            "operationId": "dump", "summary": "A dump of the whole dataset", "tags": ["dataset"],
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": list(DUMPS)}}],
            "responses": {"200": {"description": "the dump", "content": {
                "application/gzip": {"schema": {"type": "string", "format": "binary"}},
                "application/trig": TEXT, "text/turtle": TEXT}},
                "206": {"description": "the byte range asked for with Range: bytes=a-b (Content-Range says which)",
                        "content": {"application/gzip": {"schema": {"type": "string", "format": "binary"}},
                                    "application/trig": TEXT, "text/turtle": TEXT}},
                "416": {"description": "the Range asked for lies outside the dump",
                        "content": {"text/plain": TEXT}},
                **_errors(400, 404)}}},
        "/robots.txt": {"get": {"operationId": "robots", "summary": "Robots exclusion: the endpoint is not crawled; "
                                                                    "where the sitemap is",
                                "responses": {"200": {"description": "robots.txt", "content": {"text/plain": TEXT}},
                                              **_errors(400)}}},
        "/sitemap.xml": {"get": {"operationId": "sitemap", "summary": "The pages and dumps, for crawlers",
                                 "responses": {"200": {"description": "a sitemaps.org sitemap",
                                                       "content": {"application/xml": TEXT}}, **_errors(400)}}},
    }
    return copy.deepcopy({  # the shared pieces above must not be changed through what a caller gets
        "openapi": "3.0.3",
        "info": {"title": "plankg", "version": __version__,
                 "description": "China's IP policy plans as linked open data: resource pages and RDF twins, a "
                                "read-only SPARQL 1.1 endpoint, named queries, dumps and VoID/DCAT."},
        "servers": [{"url": prefix.rstrip("/") or "/"}],
        "paths": paths,
    })


__all__ = ["openapi"]
