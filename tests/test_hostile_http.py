"""Bad input and hostile queries over HTTP, in-process: each gets its exact status and a one-line message
naming what was wrong, never a 500, never a changed store, never a file outside the site, never live markup.

Cases test_publish_app.py already covers (406 on /id, /doc, /ontology; the basic update refusals; the
basic traversal paths; a <script> heading on a resource page) are not repeated here; these extend them."""

from __future__ import annotations

import json
import re
import time
import warnings

import anyio
import pytest
from markupsafe import escape
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

with warnings.catch_warnings():  # starlette 1.x asks for httpx2; httpx works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from plankg.graph_store import open_store
from plankg.iris import Iris
from plankg.pipeline import build
from plankg.publish import PublishConfig, create_app
from plankg.publish.badinput import bad_field

ID = "https://w3id.org/plankg/id/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
ASK = "ASK { ?s ?p ?o }"
ISPARTOF = "<http://purl.org/dc/terms/isPartOf>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TIMEOUT = 1.0
MAX_ROWS = 50


@pytest.fixture(scope="module")
def client(corpus_store):
    config = PublishConfig(workers=1, timeout=TIMEOUT, max_rows=MAX_ROWS)
    with TestClient(create_app(corpus_store, Iris(), config), raise_server_exceptions=False) as c:
        yield c


def one_line(r) -> str:
    """The plain-text error message: one non-empty line."""
    assert r.headers["content-type"].startswith("text/plain"), r.headers["content-type"]
    lines = r.text.strip().splitlines()
    assert len(lines) == 1 and lines[0], r.text
    return lines[0]


def still_answers(c) -> None:
    r = c.get("/sparql", params={"query": ASK})
    assert r.status_code == 200 and r.json()["boolean"] is True, r.text


def raw_request(app, path: str, query_string: bytes = b"", method: str = "GET", body: bytes = b"",
                headers: tuple = ()) -> tuple[int, bytes]:
    """Call the ASGI app with exactly this path and query string, as uvicorn hands them over (percent-decoded path,
    raw query string, no '..' folding) — an HTTP client would normalise or re-encode them first."""
    from urllib.parse import unquote

    async def go():
        sent = []
        done = False

        async def receive():
            nonlocal done
            if done:
                await anyio.sleep(3600)
            done = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
                 "path": unquote(path), "raw_path": path.encode(), "root_path": "", "query_string": query_string,
                 "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 50000),
                 "server": ("testserver", 80)}
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

    return anyio.run(go)


# -- bad percent-encoding and invalid UTF-8 ---------------------------------------------------------------------
@pytest.mark.parametrize("qs,name", [
    ("query=%FF%FE", "query"),
    ("query=ASK%20%7B%7D%20%23%C3%28", "query"),  # a broken two-byte sequence after a valid query
    ("format=json&query=%E4%B8", "query"),  # a truncated three-byte sequence
    ("query=ASK%7B%7D&default-graph-uri=%80", "default-graph-uri"),
])
def test_bad_percent_encoding_in_the_url_is_400_naming_the_parameter(client, qs, name):
    r = client.get("/sparql?" + qs)
    assert r.status_code == 400, r.text
    assert one_line(r).startswith(f"parameter {name}: not UTF-8"), r.text
    html = client.get("/sparql?" + qs, headers={"accept": BROWSER})
    assert html.status_code == 400 and html.headers["content-type"].startswith("text/html")
    assert f"parameter {name}: not UTF-8" in html.text


def test_a_bad_parameter_name_and_a_stray_percent_are_400(client):
    r = client.get("/sparql?%FF%FE=1")
    assert r.status_code == 400 and one_line(r).startswith("a parameter name in the query string: not UTF-8")
    # an HTTP client re-encodes a stray '%', a hand-made request does not
    status, body = raw_request(client.app, "/sparql", b"query=ASK%7B%7D%zz")
    assert status == 400 and body.decode().startswith("parameter query: bad percent-encoding"), body
    status, body = raw_request(client.app, "/query/label-search", b"text=50%")
    assert status == 400 and body.decode().startswith("parameter text: bad percent-encoding"), body
    assert bad_field(b"query=ASK%7B%7D&x=%E4%BD%A0+%2B%25") is None  # 你 + %: all well-formed
    assert bad_field(b"a=1&&b=%41") is None
    assert bad_field(b"q=%4") == "parameter q: bad percent-encoding ('%' must be followed by two hex digits; " \
                                 "write a literal % as %25)"


@pytest.mark.parametrize("body,name", [
    (b"query=%FF%FE", "query"),
    (b"query=\xff\xfe", "query"),  # raw bytes that are not UTF-8
    (b"format=json&query=ASK%7B%7D%C3", "query"),
    (b"query=ASK%7B%7D&format=%", "format"),
])
def test_bad_form_body_is_400_naming_the_field(client, body, name):
    r = client.post("/sparql", content=body, headers=FORM)
    assert r.status_code == 400, r.text
    assert one_line(r).startswith(f"parameter {name}: "), r.text


def test_direct_post_that_is_not_utf8_is_400_naming_the_query(client):
    r = client.post("/sparql", content="ASK { ?s ?p \"é\" }".encode("latin-1"), headers=DIRECT)
    assert r.status_code == 400 and one_line(r) == "query: the request body (the query) is not UTF-8"


@pytest.mark.parametrize("path,qs,name", [
    ("/query/goal-indicators", "goal=%FF%FE", "goal"),
    ("/query/label-search", "text=%E4%B8&format=json", "text"),
    ("/query/label-search", "text=abc&language=%C0%AF", "language"),
    ("/doc/plan-2021-2025", "lang=%FF", "lang"),
    ("/id/plan-2021-2025", "page=%FE", "page"),
])
def test_bad_percent_encoding_in_named_queries_and_pages(client, path, qs, name):
    r = client.get(f"{path}?{qs}", follow_redirects=False)
    assert r.status_code == 400, r.text
    assert one_line(r).startswith(f"parameter {name}: not UTF-8"), r.text


def test_a_path_that_is_not_a_valid_iri_is_404_not_500(client):
    for path in ("/doc/%FF%FE", "/id/%FF%FE", "/doc/a%20b.ttl", "/id/a%22b", "/doc/%7Bx%7D", "/doc/x%5Cy.html"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 404, (path, r.status_code, r.text)
        assert one_line(r).endswith("is not in the dataset (it is not a valid IRI)"), r.text


# -- named queries ---------------------------------------------------------------------------------------------
def test_an_unknown_named_query_is_404(client):
    for fmt in ("html", "json"):
        r = client.get("/query/no-such-query", params={"format": fmt})
        assert r.status_code == 404 and one_line(r).startswith("unknown query 'no-such-query'"), r.text
    assert client.get("/query/no-such-query", headers={"accept": BROWSER}).status_code == 404


@pytest.mark.parametrize("name,params,needle", [
    ("heading-tree", {"doc": "not a document!"}, "parameter doc: 'not a document!' is not a document id"),
    ("label-search", {"text": "x", "language": "fr"}, "parameter language: 'fr' is not a language"),
    ("label-search", {"text": "x" * 201}, "parameter text: "),
    ("provenance", {"node": "http://exa mple.org/"}, "parameter node: "),
    ("goal-supporters", {"goal": "<urn:x>"}, "parameter goal: '<urn:x>' is not an IRI"),
    ("heading-tree", {}, "needs parameter 'doc'"),
    ("label-search", {"text": "x", "format": "xml"}, "parameter format: 'xml' is not one of html, json, csv"),
    ("label-search", {"text": "x", "limit": "5"}, "has no parameter 'limit'"),
])
def test_a_named_query_parameter_of_the_wrong_type_is_400_naming_it(client, name, params, needle):
    fmt = params.get("format", "json")
    r = client.get(f"/query/{name}", params={"format": fmt, **params})
    assert r.status_code == 400, r.text
    assert needle in one_line(r), r.text
    if "format" not in params and needle.startswith("needs parameter"):
        # a page without its parameters is a question not asked yet: its form, 200 (issue 13)
        html = client.get(f"/query/{name}", params=params)
        assert html.status_code == 200 and f'id="form-{name}"' in html.text and 'id="named-missing"' in html.text
    elif "format" not in params:
        html = client.get(f"/query/{name}", params=params)
        assert html.status_code == 400 and html.headers["content-type"].startswith("text/html")
        assert str(escape(needle)) in html.text


# -- Accept and Content-Type ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("method,path,kwargs", [
    ("POST", "/sparql", {"data": {"query": ASK}}),
    ("POST", "/sparql", {"content": ASK.encode(), "headers": DIRECT}),
    ("GET", "/sparql", {"params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, "accept": "application/sparql-results+json"}),
    ("GET", "/sparql", {"params": {"query": "SELECT * { ?s ?p ?o }"}, "accept": "text/turtle"}),
    ("GET", "/sparql", {}),  # the service description
    ("GET", "/doc/plan-2021-2025.html", {"accept": "image/png", "expect": 200}),  # an extension wins over Accept
    ("GET", "/doc/plan-2021-2025", {"accept": "text/html;q=0, application/xhtml+xml;q=0, text/*;q=0, application/*;q=0"}),
    ("GET", "/doc/plan-2021-2025", {"accept": "*/*;q=0"}),
    ("GET", "/", {}),
    ("GET", "/dataset", {}),
    ("GET", "/.well-known/void", {"accept": "image/*, video/mp4"}),
])
def test_an_accept_nothing_matches_is_406(client, method, path, kwargs):
    kwargs = dict(kwargs)
    accept = kwargs.pop("accept", "image/png")
    expect = kwargs.pop("expect", 406)
    headers = {"accept": accept, **kwargs.pop("headers", {})}
    r = client.request(method, path, headers=headers, follow_redirects=False, **kwargs)
    assert r.status_code == expect, (path, r.status_code, r.text[:200])
    if expect == 406:
        line = one_line(r)
        assert "Accept" in line and "available" in line, line


def test_format_nothing_matches_is_406_naming_format(client):
    r = client.get("/sparql", params={"query": ASK, "format": "png"})
    assert r.status_code == 406 and one_line(r).startswith("format=png is not available for a ASK"), r.text
    r = client.get("/sparql", params={"query": "DESCRIBE <urn:x>", "format": "csv"})
    assert r.status_code == 406 and "format=csv" in r.text


@pytest.mark.parametrize("ctype", ["///", "", "application/", "text/plain", "multipart/form-data; boundary=x",
                                   "application/json", "application/x-www-form-urlencodedX", "application/sparql-query-x",
                                   ";charset=utf-8", "application/x-www-form-urlencoded\x00"])
def test_a_malformed_or_wrong_content_type_on_post_is_415(client, ctype):
    r = client.post("/sparql", content=b"query=ASK%7B%7D", headers={"content-type": ctype})
    assert r.status_code == 415, (ctype, r.status_code, r.text)
    assert "Content-Type" in one_line(r)


# -- hostile queries: the timeout, the row cap -----------------------------------------------------------------------
PATH_ANY = f"({ISPARTOF}|^{ISPARTOF}|!<urn:x>)*"


@pytest.mark.parametrize("query", [
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a {PATH_ANY} ?b . ?c ?d ?e }}",
    f"SELECT * WHERE {{ ?a {PATH_ANY} ?b . ?c ?d ?e }} ORDER BY DESC(?e) ?b",
    "SELECT DISTINCT ?a ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?a",
    "ASK { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(CONCAT(STR(?a), STR(?d), STR(?g)) = \"never\") }",
])
def test_a_query_that_runs_long_is_stopped_by_the_timeout(client, corpus_store, query):
    before = corpus_store.count()
    started = time.monotonic()
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 503, (r.status_code, r.text[:300])
    assert r.headers["x-plankg-timeout"] == f"{TIMEOUT:g}" and r.headers["retry-after"] == "1"
    assert one_line(r).startswith(f"the query ran longer than {TIMEOUT:g} s")
    assert time.monotonic() - started < TIMEOUT + 10
    still_answers(client)
    assert corpus_store.count() == before


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ ?a {PATH_ANY} ?b . ?c ?d ?e }}",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }",
    f"SELECT * WHERE {{ ?a ({ISPARTOF}|^{ISPARTOF})+ ?b }}",
])
def test_an_unbounded_path_or_a_huge_cross_product_is_capped_or_stopped(client, query):
    r = client.get("/sparql", params={"query": query})
    if r.status_code == 503:
        assert r.headers["x-plankg-timeout"] == f"{TIMEOUT:g}"
    else:
        assert r.status_code == 200, r.text[:300]
        assert r.headers["x-plankg-truncated"] == "true" and r.headers["x-plankg-row-limit"] == str(MAX_ROWS)
        assert len(r.json()["results"]["bindings"]) == MAX_ROWS
    still_answers(client)


@pytest.mark.parametrize("query", ["DESCRIBE ?s WHERE { ?s ?p ?o }", "DESCRIBE ?s ?o WHERE { ?s ?p ?o }",
                                   "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                   "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }"])
@pytest.mark.parametrize("media,fmt", [("application/n-triples", RdfFormat.N_TRIPLES), ("text/turtle", RdfFormat.TURTLE),
                                       ("application/ld+json", RdfFormat.JSON_LD)])
def test_describe_or_construct_of_everything_is_capped(client, query, media, fmt):
    r = client.get("/sparql", params={"query": query}, headers={"accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media), r.text[:300]
    assert r.headers["x-plankg-truncated"] == "true"
    assert len(list(parse(r.content, format=fmt))) == MAX_ROWS
    html = client.get("/sparql", params={"query": query}, headers={"accept": BROWSER})
    assert html.status_code == 200 and 'id="truncated-notice"' in html.text


# -- updates are refused, whatever the way in ---------------------------------------------------------------------
UPDATES = [
    ("GET", {"params": {"query": "LOAD <http://127.0.0.1:1/>"}}),
    ("GET", {"params": {"query": "LOAD <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <urn:g>"}}),
    ("POST", {"data": {"update": "LOAD SILENT <http://127.0.0.1:{port}/>"}}),
    ("POST", {"content": "BASE <http://127.0.0.1:{port}/> load <x.ttl>", "headers": DIRECT}),
    ("GET", {"params": {"query": "CLEAR ALL"}}),
    ("POST", {"data": {"query": "clear default"}}),
    ("POST", {"content": "DROP ALL", "headers": DIRECT}),
    ("GET", {"params": {"query": "# drop it\nDROP SILENT GRAPH <https://w3id.org/plankg/graph/plan-2021-2025>"}}),
    ("POST", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
    ("POST", {"content": "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "headers": DIRECT}),
    ("GET", {"params": {"query": r"\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
    ("GET", {"params": {"query": "SELECT * { ?s ?p ?o } #\n;CLEAR ALL"}}),
    ("GET", {"params": {"query": "ASK {} ; DROP ALL"}}),
    ("GET", {"params": {"query": "WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"}}),
    ("POST", {"data": {"query": "DELETE DATA { <urn:a> <urn:b> <urn:c> }"}}),
    ("POST", {"data": {"query": "ADD DEFAULT TO <urn:g>"}}),
    ("POST", {"data": {"query": "MOVE <urn:a> TO <urn:b>"}}),
    ("POST", {"data": {"query": "COPY SILENT <urn:a> TO <urn:b>"}}),
    ("POST", {"data": {"query": ASK, "update": "DROP ALL"}}),  # a query and an update: refused as a whole
    ("POST", {"url": "/sparql?update=DROP%20ALL", "content": ASK, "headers": DIRECT}),
    ("POST", {"content": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
              "headers": {"content-type": "Application/SPARQL-Update; charset=utf-8"}}),
]


@pytest.mark.parametrize("method,kwargs", UPDATES)
def test_updates_are_refused_whatever_the_way_in(client, corpus_store, listener, method, kwargs):
    port, hits = listener
    kwargs = json.loads(json.dumps(kwargs).replace("{port}", str(port)))
    url = kwargs.pop("url", "/sparql")
    if isinstance(kwargs.get("content"), str):
        kwargs["content"] = kwargs["content"].encode()
    before = (corpus_store.count(), corpus_store.graph_names())
    r = client.request(method, url, **kwargs)
    assert r.status_code == 403, (r.status_code, r.text)
    assert one_line(r).startswith("this endpoint is read-only: SPARQL Update")
    time.sleep(0.05)
    assert hits == []
    assert (corpus_store.count(), corpus_store.graph_names()) == before
    still_answers(client)


# -- markup in the data, and in what a client sends, is escaped on every HTML page -------------------------------------
MARKED = ID + "markup/x"


@pytest.fixture(scope="module")
def markup_client():
    """The corpus plus a resource whose labels, title and comment hold markup and script, linked from a plan."""
    store = open_store("memory:")
    build(store)
    s = NamedNode(MARKED)
    triples = [
        (NamedNode(SKOS + "prefLabel"), Literal("<script>alert(1)</script>标签", language="zh")),
        (NamedNode(SKOS + "prefLabel"), Literal("<script>alert(2)</script> label", language="en")),
        (NamedNode("http://purl.org/dc/terms/title"), Literal('"><script>alert(3)</script>')),
        (NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"), Literal("</textarea><script>alert(4)</script>")),
        (NamedNode("http://purl.org/dc/terms/isPartOf"), NamedNode(ID + "plan-2021-2025")),
        (NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), NamedNode("javascript:alert(5)")),
        (NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), NamedNode("data:text/html,x")),
    ]
    graph = NamedNode("https://w3id.org/plankg/graph/hostile-markup")
    store.replace_graphs({graph.value: [Quad(s, p, o, graph) for p, o in triples]})
    with TestClient(create_app(store, Iris(), PublishConfig(workers=1)), raise_server_exceptions=False) as c:
        yield c


def assert_inert(r, escaped: bool = True) -> None:
    assert r.headers["content-type"].startswith("text/html"), r.headers["content-type"]
    assert "<script>alert" not in r.text and "</textarea><script>" not in r.text
    assert not re.search(r'href="\s*(javascript|vbscript|data:text)', r.text, re.IGNORECASE), \
        re.findall(r'href="[^"]*"', r.text)
    if escaped:
        assert "&lt;script&gt;alert(" in r.text


MARKUP_SELECT = (f"PREFIX skos: <{SKOS}> SELECT ?s ?p ?o WHERE {{ ?s ?p ?o "
                 f'FILTER(?s = <{MARKED}> || CONTAINS(STR(?o), "<script>")) }}')


@pytest.mark.parametrize("path,params,status", [
    ("/doc/markup/x.html", {}, 200),
    ("/doc/markup/x", {"lang": "en"}, 200),
    ("/doc/plan-2021-2025.html", {"lang": "en"}, 200),
    ("/sparql", {"query": MARKUP_SELECT}, 200),
    ("/sparql", {"query": f"DESCRIBE <{MARKED}>"}, 200),
    ("/query/label-search", {"text": "script"}, 200),
    ("/query/label-search", {"text": "<script>alert(6)</script>"}, 200),
    ("/query/provenance", {"node": "markup/x"}, 200),
])
def test_markup_in_the_data_is_escaped(markup_client, path, params, status):
    r = markup_client.get(path, params=params, headers={"accept": BROWSER})
    assert r.status_code == status, r.text[:300]
    assert_inert(r, escaped=params.get("node") is None)


@pytest.mark.parametrize("path,params,status", [
    ("/doc/<script>alert(1)</script>", {}, 404),
    ("/id/<script>alert(1)</script>", {}, 404),
    ("/doc/markup/<script>alert(1)</script>.ttl", {}, 404),
    ("/query/<script>alert(1)</script>", {}, 404),
    ("/nothing/<script>alert(1)</script>", {}, 404),
    ("/sparql", {"query": "SELECT * { <script>alert(1)</script> }"}, 400),
    ("/sparql", {"query": "</textarea><script>alert(1)</script>"}, 400),
    ("/sparql", {"query": ASK, "default-graph-uri": "<script>alert(1)</script>"}, 400),
    ("/query/label-search", {"format": "<script>alert(1)</script>"}, 400),
    ("/query/heading-tree", {"doc": "<script>alert(1)</script>"}, 400),
    ("/query/label-search", {"text": "x", "<script>alert(1)</script>": "1"}, 400),
    ("/query/label-search", {"text": "x", "language": "<script>alert(1)</script>"}, 400),
])
def test_an_error_page_echoing_a_bad_parameter_or_iri_escapes_it(markup_client, path, params, status):
    r = markup_client.get(path, params=params, headers={"accept": BROWSER}, follow_redirects=False)
    assert r.status_code == status, (path, r.status_code, r.text[:300])
    assert_inert(r, escaped="default-graph-uri" not in params)
    assert "content-security-policy" in r.headers


def test_foreign_iris_of_unsafe_schemes_are_shown_not_linked(markup_client):
    r = markup_client.get("/doc/markup/x.html")
    assert "javascript:alert(5)" in r.text and "data:text/html,x" in r.text  # shown as text
    assert_inert(r)
    q = "SELECT ?o WHERE { VALUES ?o { <javascript:alert(1)> <JavaScript:alert(1)> <vbscript:x> <https://example.org/> } }"
    r = markup_client.get("/sparql", params={"query": q}, headers={"accept": BROWSER})
    assert_inert(r, escaped=False)
    assert 'href="https://example.org/"' in r.text


# -- path traversal -------------------------------------------------------------------------------------------------
SECRETS = ("[build-system]", "create_app", "root:x:", "def ", "plankg.publish")


@pytest.mark.parametrize("path", [
    "/dumps/..%2f..%2fetc%2fpasswd", "/dumps/..%2F..%2F..%2Fpyproject.toml", "/dumps/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/dumps/plankg.ttl%2f..%2f..%2fapp.py", "/dumps/%252e%252e%252fapp.py", "/dumps/..%5c..%5capp.py",
    "/dumps/%00", "/dumps/plankg.ttl%00.py", "/dumps/plankg.ttl/../../app.py",
    "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2f..%2fpyproject.toml", "/static/%252e%252e/app.py",
    "/static/..%5c..%5capp.py", "/static/%c0%ae%c0%ae/app.py", "/static/plankg.css%00.py", "/static/%00",
    "/static/vendor/codemirror/%2e%2e%2f%2e%2e%2f%2e%2e%2fapp.py", "/static/....//....//app.py",
    "/static/%2fetc%2fpasswd", "/static/file:///etc/passwd", "/doc/..%2f..%2f..%2fpyproject.toml",
])
def test_no_path_traversal_through_a_client(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404), (path, r.status_code)
    assert not any(s in r.text for s in SECRETS), (path, r.text[:200])


@pytest.mark.parametrize("path", ["/static/../../pyproject.toml", "/static/../app.py", "/static/vendor/../../app.py",
                                  "/dumps/../../pyproject.toml", "/dumps/../app.py", "/static/./../../../../etc/passwd",
                                  "/static/..\\..\\app.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
                                  "/static//etc/passwd", "/static/C:/Windows/win.ini"])
def test_no_path_traversal_with_raw_paths(client, path):
    """Paths exactly as a raw socket would send them, without the client folding '..'."""
    status, body = raw_request(client.app, path)
    assert status in (400, 404), (path, status)
    assert not any(s.encode() in body for s in SECRETS), (path, body[:200])
    assert raw_request(client.app, "/static/plankg.css")[0] == 200  # the files that are there are still served


def test_links_only_to_harmless_schemes_in_server_and_static_pages():
    """The scheme check lives in Linker itself, so the static publication's pages are covered too."""
    from plankg.publish.links import Linker, safe_href

    for static in (False, True):
        link = Linker(Iris(), "/", static=static)
        assert link.href("javascript:alert(1)") is None
        assert link.href("data:text/html,<script>alert(1)</script>") is None
        assert link.href("vbscript:msgbox") is None
        assert link.href("https://example.org/x") == "https://example.org/x"
        assert link.href(Iris().id + "plan-2021-2025").startswith("/doc/plan-2021-2025")
    assert safe_href("JaVaScRiPt:alert(1)") is None and safe_href("") is None and safe_href(None) is None
    assert safe_href("mailto:a@example.org") == "mailto:a@example.org"
