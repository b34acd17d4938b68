"""The error body on every route, pinned once (as Datasette's tests/test_error_shape.py does): a client asking for
text gets the documented plain-text body (``message — hint`` and a newline, ``text/plain; charset=utf-8``), a
browser the error page (or, on /sparql and /query/…, the query page with the error in it)."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():  # starlette 1.x asks for httpx2; httpx works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from plankg.iris import Iris
from plankg.publish import PublishConfig, create_app

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PNG = {"Accept": "image/png"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"

#: (name, method, url, headers, body): one request that fails on each route the app has
REQUESTS = [
    ("home 406", "GET", "/", PNG, None),
    ("page 404", "GET", "/doc/no-such-thing", {}, None),
    ("page invalid IRI", "GET", "/doc/a%20b", {}, None),
    ("page 406", "GET", "/doc/plan-2021-2025", PNG, None),
    ("page bad page", "GET", "/doc/plan-2021-2025.html?page=x", {}, None),
    ("id 404", "GET", "/id/no-such-thing", {}, None),
    ("id invalid IRI", "GET", "/id/a%20b", {}, None),
    ("id 406", "GET", "/id/plan-2021-2025", PNG, None),
    ("no route", "GET", "/no/such/path", {}, None),
    ("405", "DELETE", "/", {}, None),
    ("bad query string", "GET", "/doc/plan-2021-2025?lang=%FF", {}, None),
    ("sparql syntax", "GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%7D", {}, None),
    ("sparql syntax POST", "POST", "/sparql", {"Content-Type": "application/sparql-query"},
     b"SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(\n}"),
    ("sparql update", "POST", "/sparql", FORM, b"update=CLEAR%20ALL"),
    ("sparql 415", "POST", "/sparql", {"Content-Type": "text/plain"}, b"SELECT * {}"),
    ("sparql empty", "GET", "/sparql?query=", {}, None),
    ("sparql two queries", "GET", "/sparql?query=a&query=b", {}, None),
    ("sparql 406", "GET", "/sparql?query=" + SELECT.replace(" ", "%20") + "&format=nope", {}, None),
    ("sparql 406 accept", "GET", "/sparql?query=" + SELECT.replace(" ", "%20"), PNG, None),
    ("sparql bad graph", "GET", "/sparql?query=" + SELECT.replace(" ", "%20") + "&default-graph-uri=nope", {}, None),
    ("sparql no form", "GET", "/sparql?query=PREFIX%20a%3A%20%3Chttp%3A%2F%2Fa%2F%3E", {}, None),
    ("service description 406", "GET", "/sparql", PNG, None),
    ("named unknown", "GET", "/query/no-such-query", {}, None),
    ("named bad format", "GET", "/query/heading-tree?doc=plan-2021-2025&format=xml", {}, None),
    ("named unknown parameter", "GET", "/query/heading-tree?doc=plan-2021-2025&bogus=1", {}, None),
    ("named unknown parameter json", "GET", "/query/heading-tree?doc=plan-2021-2025&bogus=1&format=json", {}, None),
    ("named bad value", "GET", "/query/heading-tree?doc=Not%20a%20document", {}, None),
    ("named bad value csv", "GET", "/query/heading-tree?doc=Not%20a%20document&format=csv", {}, None),
    ("dataset 406", "GET", "/dataset", PNG, None),
    ("dataset file 404", "GET", "/dataset.xyz", {}, None),
    ("void 406", "GET", "/.well-known/void", PNG, None),
    ("dump 404", "GET", "/dumps/nope.nq", {}, None),
    ("ontology 406", "GET", "/ontology", PNG, None),
    ("ontology file 404", "GET", "/ontology.xyz", {}, None),
]
#: name → (status, the plain-text body (None: the query page whatever Accept says), what a browser gets:
#: 'error' (the error page), 'query' (the query page with the error), 'plain' (the plain-text body))
EXPECTED = {
    'home 406': (406, 'no representation matches Accept — available: text/html, text/turtle, application/ld+json, application/n-triples, application/rdf+xml, application/xhtml+xml, application/turtle, application/x-turtle, text/plain, application/json, application/xml\n', 'plain'),
    'page 404': (404, 'https://w3id.org/plankg/id/no-such-thing is not in the dataset — see the documents on the home page\n', 'error'),
    'page invalid IRI': (404, 'https://w3id.org/plankg/id/a b is not in the dataset (it is not a valid IRI)\n', 'error'),
    'page 406': (406, 'no representation matches Accept: image/png — available: text/html, text/turtle, application/ld+json, application/n-triples, application/rdf+xml, application/xhtml+xml, application/turtle, application/x-turtle, text/plain, application/json, application/xml\n', 'plain'),
    'page bad page': (400, 'page must be a positive whole number\n', 'error'),
    'id 404': (404, 'https://w3id.org/plankg/id/no-such-thing is not in the dataset\n', 'error'),
    'id invalid IRI': (404, 'https://w3id.org/plankg/id/a b is not in the dataset (it is not a valid IRI)\n', 'error'),
    'id 406': (406, 'no representation matches Accept: image/png — available: text/html, text/turtle, application/ld+json, application/n-triples, application/rdf+xml, application/xhtml+xml, application/turtle, application/x-turtle, text/plain, application/json, application/xml\n', 'plain'),
    'no route': (404, 'nothing at /no/such/path\n', 'error'),
    '405': (405, 'method not allowed\n', 'plain'),
    'bad query string': (400, 'parameter lang: not UTF-8 once percent-decoded (send UTF-8 text, percent-encoded)\n', 'error'),
    'sparql syntax': (400, 'SPARQL syntax error at line 1, column 25: expected one of LATERAL, SERVICE, [_]\n', 'query'),
    'sparql syntax POST': (400, 'SPARQL syntax error at line 4, column 2: expected one of ABS, AVG, DAY, IRI, MAX, MD5, MIN, NOT, NOW, STR, SUM, URI, [_]\n', 'query'),
    'sparql update': (403, 'this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is not accepted — send a SELECT, ASK, CONSTRUCT or DESCRIBE query\n', 'query'),
    'sparql 415': (415, 'POST needs Content-Type application/x-www-form-urlencoded (query=…) or application/sparql-query (the query as the body)\n', 'query'),
    'sparql empty': (400, 'the query is empty\n', 'query'),
    'sparql two queries': (400, 'more than one query= parameter\n', 'query'),
    'sparql 406': (406, 'format=nope is not available for a SELECT; ask for one of: application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values, application/json, application/xml, text/xml, text/html\n', 'plain'),
    'sparql 406 accept': (406, 'cannot answer with any type in Accept: image/png; available: application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values, application/json, application/xml, text/xml, text/html\n', 'plain'),
    'sparql bad graph': (400, "default-graph-uri: 'nope' is not an absolute IRI\n", 'query'),
    'sparql no form': (400, 'SPARQL syntax error at line 1, column 22: expected [_]\n', 'query'),
    'service description 406': (406, 'no representation matches Accept — available: text/html, text/turtle, application/ld+json, application/n-triples, application/rdf+xml, application/turtle, application/x-turtle, text/plain, application/json, application/xml\n', 'plain'),
    'named unknown': (404, "unknown query 'no-such-query' — known queries: coverage-matrix, goal-indicators, goal-supporters, heading-tree, implemented-by, indicator-history, label-search, plan-lineage, provenance, sdg-links, shared-indicators, targets-met, unsupported-sections, unsupporting-sections (see `plankg queries`)\n", 'error'),
    'named bad format': (400, "parameter format: 'xml' is not one of html, json, csv\n", 'error'),
    'named unknown parameter': (400, None, 'query'),
    'named unknown parameter json': (400, "query 'heading-tree' has no parameter 'bogus'; its parameters are: doc\n", 'plain'),
    'named bad value': (400, None, 'query'),
    'named bad value csv': (400, "parameter doc: 'Not a document' is not a document id (e.g. plan-2021-2025) or document IRI\n", 'plain'),
    'dataset 406': (406, 'no representation matches Accept — available: text/html, text/turtle, application/ld+json, application/n-triples, application/rdf+xml, application/xhtml+xml, application/turtle, application/x-turtle, text/plain, application/json, application/xml\n', 'plain'),
    'dataset file 404': (404, 'nothing at /dataset.xyz\n', 'error'),
    'void 406': (406, 'no representation matches Accept — available: text/turtle, application/ld+json, application/n-triples, application/rdf+xml, application/turtle, application/x-turtle, text/plain, application/json, application/xml\n', 'plain'),
    'dump 404': (404, 'nothing at /dumps/nope.nq\n', 'error'),
    'ontology 406': (406, 'no representation matches Accept — available: text/html, text/turtle, application/ld+json, application/n-triples, application/rdf+xml, application/xhtml+xml, application/turtle, application/x-turtle, text/plain, application/json, application/xml\n', 'plain'),
    'ontology file 404': (404, 'nothing at /ontology.xyz\n', 'error'),
}
#: the endpoint's headers on its errors: CORS on each, the position of a syntax error
SPARQL_HEADERS = {
    "sparql syntax": {"X-Plankg-Error-Line": "1", "X-Plankg-Error-Column": "25"},
    "sparql syntax POST": {"X-Plankg-Error-Line": "4", "X-Plankg-Error-Column": "2"},
    "sparql no form": {"X-Plankg-Error-Line": "1", "X-Plankg-Error-Column": "22"},
}


@pytest.fixture(scope="module")
def client(corpus_store):
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(workers=1))) as c:
        yield c


def send(client, request, accept=None):
    name, method, url, headers, body = request
    headers = dict(headers, **({"Accept": accept} if accept and "Accept" not in headers else {}))
    return client.request(method, url, headers=headers, content=body)


def test_every_route_is_covered(client):
    """Each route of the app has a failing request here (the static files answer with starlette's own 404)."""
    routes = {getattr(r, "path", "") for r in client.app.routes} - {"/health", "/robots.txt", "/sitemap.xml",
                                                                     "/openapi.json", "/query", "/search", "/static"}
    tried = {url.split("?")[0] for _, _, url, _, _ in REQUESTS}
    pattern = {"/id/{rest:path}": "/id/", "/doc/{rest:path}": "/doc/", "/dataset.{ext}": "/dataset.",
               "/dumps/{name}": "/dumps/", "/ontology.{ext}": "/ontology.", "/query/{name}": "/query/"}
    for route in routes:
        prefix = pattern.get(route)
        assert any(t == route or (prefix and t.startswith(prefix)) for t in tried), route
    assert set(EXPECTED) == {r[0] for r in REQUESTS}


@pytest.mark.parametrize("request_", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_a_client_gets_the_plain_text_body(client, request_):
    status, body, _ = EXPECTED[request_[0]]
    r = send(client, request_)
    assert r.status_code == status
    if body is None:  # a named query's own page (format=html, the default) shows the error in its form
        assert r.headers["content-type"] == "text/html; charset=utf-8" and "<title>查询 — plankg</title>" in r.text
        return
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text == body
    if not request_[0].startswith("sparql "):  # the protocol's own errors (not the service description's 406)
        return
    for k, v in SPARQL_HEADERS.get(request_[0], {}).items():
        assert r.headers[k] == v
    assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("request_", [r for r in REQUESTS if "Accept" not in r[3]],
                         ids=[r[0] for r in REQUESTS if "Accept" not in r[3]])
def test_a_browser_gets_a_page(client, request_):
    status, body, shown = EXPECTED[request_[0]]
    r = send(client, request_, BROWSER)
    assert r.status_code == status
    if shown == "plain":
        assert r.headers["content-type"] == "text/plain; charset=utf-8" and r.text == body
        return
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    title = f"{status} — plankg" if shown == "error" else "查询 — plankg"
    assert f"<title>{title}</title>" in r.text
    if body is not None:
        message = body.rstrip("\n").split(" — ")[0]
        assert message.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;") in r.text
