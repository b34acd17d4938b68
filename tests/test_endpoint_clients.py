"""The endpoint as real clients use it, against a real ``plankg serve`` over the bundled corpus: the default
graph is the RDF merge, dataset clauses and parameters, SPARQLWrapper (its defaults and every format),
rdflib's SPARQLStore (contexts, per-graph access), truncation said in the result, CORS preflight as YASGUI
sends it, and the transport (gzip, ETag/Last-Modified/304, Range, HEAD, robots.txt, sitemap.xml)."""

from __future__ import annotations

import gzip
import json
import time
import warnings
import xml.etree.ElementTree as ET
from email.utils import formatdate

import httpx
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from servers import PlankgServer

G = "https://w3id.org/plankg/graph/"
ID = "https://w3id.org/plankg/id/"
ORGS, ANNUAL = G + "organisations", G + "annual-plan-2025"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }"


@pytest.fixture(scope="module")
def served(corpus_store, tmp_path_factory):
    srv = PlankgServer(corpus_store.root, tmp_path_factory.mktemp("clients"), env={"PLANKG_WORKERS": 1})
    srv.start()
    try:
        yield srv.url
    finally:
        srv.stop()
        assert srv.left == []


@pytest.fixture(scope="module")
def capped(corpus_store, tmp_path_factory):
    srv = PlankgServer(corpus_store.root, tmp_path_factory.mktemp("capped"),
                       env={"PLANKG_WORKERS": 1, "PLANKG_MAX_ROWS": 7, "PLANKG_SERVICE_HOSTS": "query.wikidata.org"})
    srv.start()
    try:
        yield srv.url
    finally:
        srv.stop()
        assert srv.left == []


def ask(base, query, **params):
    r = httpx.post(base + "/sparql", data={"query": query, **params},
                   headers={"accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def count(base, query=COUNT, **params) -> int:
    return int(ask(base, query, **params)["results"]["bindings"][0]["n"]["value"])


def distinct_triples(store) -> int:
    return len({q.triple for q in store.quads()})


# -- the default graph is the merge; datasets ---------------------------------------------------------------
def test_default_graph_is_the_rdf_merge(served, corpus_store):
    assert count(served) == distinct_triples(corpus_store) == corpus_store.count()  # each triple in one graph
    rows = [(b["s"]["value"], b["l"]["value"], b["l"].get("xml:lang")) for b in ask(served, LABELS)["results"]["bindings"]]
    assert len(rows) == len(set(rows))  # no label twice because two documents state it
    # no triple is in two graphs: what several documents state is held once (graph_store/shared.py)
    q = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1) LIMIT 1"
    assert ask(served, q)["results"]["bindings"] == []
    # an indicator four documents name: its Chinese name once, in the shared graph
    ind = ID + "indicator/high-value-invention-patents-per-10k"
    rows = ask(served, f"SELECT ?g ?l WHERE {{ GRAPH ?g {{ <{ind}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }} "
                       "FILTER(LANG(?l) = 'zh') }")["results"]["bindings"]
    assert [b["g"]["value"] for b in rows] == [G + "shared"]


def test_from_and_from_named(served, corpus_store):
    rows = ask(served, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")["results"]["bindings"]
    per_graph = {b["g"]["value"]: int(b["n"]["value"]) for b in rows}
    assert count(served, f"SELECT (COUNT(*) AS ?n) FROM <{ORGS}> WHERE {{ ?s ?p ?o }}") == per_graph[ORGS]
    assert count(served, "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/plankg/graph/nope> WHERE { ?s ?p ?o }") == 0
    both = count(served, f"SELECT (COUNT(*) AS ?n) FROM <{ORGS}> FROM <{ANNUAL}> WHERE {{ ?s ?p ?o }}")
    assert both == per_graph[ORGS] + per_graph[ANNUAL]  # disjoint graphs: their merge is their sum
    assert both == len({q.triple for q in corpus_store.quads() if q.graph_name.value in (ORGS, ANNUAL)})
    named = ask(served, f"SELECT DISTINCT ?g FROM NAMED <{ORGS}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [ORGS]
    assert count(served, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ORGS}> WHERE {{ ?s ?p ?o }}") == 0  # no FROM: empty default


def test_protocol_dataset_overrides_the_query(served, corpus_store):
    orgs = count(served, f"SELECT (COUNT(*) AS ?n) FROM <{ORGS}> WHERE {{ ?s ?p ?o }}")
    for method in ("GET", "POST"):
        q = f"SELECT (COUNT(*) AS ?n) FROM <{ANNUAL}> WHERE {{ ?s ?p ?o }}"
        if method == "GET":
            r = httpx.get(served + "/sparql", params={"query": q, "default-graph-uri": ORGS},
                          headers={"accept": "application/sparql-results+json"})
        else:
            r = httpx.post(served + "/sparql", params={"default-graph-uri": ORGS}, content=q,
                           headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"})
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == orgs, method
    # named-graph-uri alone: those named graphs, an empty default graph
    r = ask(served, "SELECT ?g (COUNT(*) AS ?n) WHERE { OPTIONAL { ?x ?y ?z } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            **{"named-graph-uri": ANNUAL})
    assert [b["g"]["value"] for b in r["results"]["bindings"]] == [ANNUAL]
    bad = httpx.get(served + "/sparql", params={"query": COUNT, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "default-graph-uri" in bad.text


def test_cli_dataset_options(cli, corpus_store):
    r = cli("sparql", "--store", corpus_store.root, "--format", "json", "--default-graph-uri", ORGS,
            "--default-graph-uri", ANNUAL, COUNT)
    assert r.exit_code == 0, r.output
    want = len({q.triple for q in corpus_store.quads() if q.graph_name.value in (ORGS, ANNUAL)})
    assert str(want) in r.stdout
    r = cli("sparql", "--store", corpus_store.root, "--named-graph-uri", "nope nope", COUNT)
    assert r.exit_code != 0 and "--named-graph-uri" in r.output


def test_void_counts_are_the_dumps_distinct_counts(served):
    dump = rdflib.Dataset()
    dump.parse(data=gzip.decompress(httpx.get(served + "/dumps/plankg.nq.gz").content), format="nquads")
    void = rdflib.Graph().parse(data=httpx.get(served + "/dataset.ttl").content, format="turtle")
    V = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef("https://w3id.org/plankg/dataset")
    merged = {t for g in dump.graphs() for t in g}
    assert int(void.value(ds, V.triples)) == len(merged)
    subsets = {str(void.value(s, rdflib.URIRef("http://rdfs.org/ns/void#inDataset")) or s): s for s in void.objects(ds, V.subset)}
    assert subsets
    sd = rdflib.Graph().parse(data=httpx.get(served + "/sparql", headers={"accept": "text/turtle"}).content, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    for ng in sd.subjects(rdflib.RDF.type, SD.NamedGraph):
        name = sd.value(ng, SD.name)
        assert int(sd.value(sd.value(ng, SD.graph), V.triples)) == len(dump.graph(name)), name
    default = sd.value(next(sd.objects(None, SD.defaultDataset)), SD.defaultGraph)
    assert int(sd.value(default, V.triples)) == len(merged)


# -- SPARQLWrapper ---------------------------------------------------------------------------------------------
SELECT = f"SELECT ?s WHERE {{ GRAPH <{ORGS}> {{ ?s a <http://www.w3.org/ns/org#Organization> }} }} LIMIT 3"
ASK = f"ASK {{ GRAPH <{ORGS}> {{ ?s ?p ?o }} }}"
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ORGS}> {{ ?s ?p ?o }} }} LIMIT 20"
DESCRIBE = f"DESCRIBE <{ID}org/ip-powerhouse-joint-conference-office>"


def wrapper(base, query, fmt=None, method="GET"):
    w = SPARQLWrapper(base + "/sparql")
    w.setQuery(query)
    w.setMethod(method)
    if fmt is not None:
        w.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper's note on */* for JSON-LD and the like
        return w.query()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_defaults(served, method):
    doc = wrapper(served, SELECT, method=method).convert()  # XML results, parsed with minidom
    assert len(doc.getElementsByTagName("result")) == 3
    assert wrapper(served, ASK, method=method).convert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    for q in (CONSTRUCT, DESCRIBE):  # the default format=xml and Accept: application/rdf+xml
        res = wrapper(served, q, method=method)
        assert res.response.headers["content-type"].startswith("application/rdf+xml")
        assert len(res.convert()) > 0


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_result_formats(served, fmt):
    for q in (SELECT, ASK):
        out = wrapper(served, q, fmt).convert()
        if fmt == JSON:
            assert "boolean" in out if q is ASK else len(out["results"]["bindings"]) == 3
        elif fmt == XML:
            assert out.getElementsByTagName("boolean" if q is ASK else "result")
        else:
            lines = out.decode().strip().splitlines()
            assert (lines[-1] == "true") if q is ASK else (len(lines) == 4)


@pytest.mark.parametrize("fmt", [XML, RDFXML, TURTLE, N3, JSONLD, JSON])
def test_sparqlwrapper_graph_formats(served, fmt):
    for q in (CONSTRUCT, DESCRIBE):
        res = wrapper(served, q, fmt)
        ctype = res.response.headers["content-type"].split(";")[0]
        assert ctype in {"application/rdf+xml", "text/turtle", "application/ld+json"}, (fmt, ctype)
        out = res.convert()
        g = out if isinstance(out, rdflib.Graph) else rdflib.Graph().parse(
            data=out if isinstance(out, (bytes, str)) else json.dumps(out),
            format={"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}[ctype])
        assert len(g) > 0, fmt


# -- rdflib's SPARQLStore --------------------------------------------------------------------------------------
def test_rdflib_sparqlstore(served, corpus_store):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(served + "/sparql", returnFormat="json")
    names = {str(c.identifier) if isinstance(c, rdflib.Graph) else str(c) for c in store.contexts()}
    assert names == set(corpus_store.graph_names())
    orgs = rdflib.Graph(store=store, identifier=rdflib.URIRef(ORGS))  # read with default-graph-uri=ORGS
    stated = {q.triple for q in corpus_store.quads() if q.graph_name.value == ORGS}
    assert len(list(orgs.triples((None, None, None)))) == len(stated)
    label = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    office = rdflib.URIRef(ID + "org/ip-powerhouse-joint-conference-office")
    assert len(list(orgs.objects(office, label))) == 2  # zh and en
    assert len(store) == distinct_triples(corpus_store)  # the default graph: the merge
    rows = list(store.query(LABELS))
    assert len(rows) == len(set(rows))


# -- truncation, service description -----------------------------------------------------------------------------
def test_truncation_is_said_in_the_result(capped):
    r = httpx.get(capped + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                  headers={"accept": "application/sparql-results+json"})
    assert r.headers["x-plankg-truncated"] == "true" and r.json()["truncated"] is True
    assert len(r.json()["results"]["bindings"]) == 7
    r = httpx.get(capped + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "text/turtle"})
    assert r.text.startswith("# truncated: only the first 7 triples")
    assert len(rdflib.Graph().parse(data=r.text, format="turtle")) == 7
    full = httpx.get(capped + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
                     headers={"accept": "application/sparql-results+json"})
    assert "truncated" not in full.json() and "x-plankg-truncated" not in full.headers


def test_federated_query_only_with_an_allowlist(served, capped):
    fed = rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery")
    for base, stated in ((served, False), (capped, True)):
        sd = rdflib.Graph().parse(data=httpx.get(base + "/sparql", headers={"accept": "text/turtle"}).content,
                                  format="turtle")
        assert ((None, None, fed) in sd) is stated


# -- browsers -------------------------------------------------------------------------------------------------------
def test_cors_preflight_for_yasgui(served):
    r = httpx.options(served + "/sparql", headers={
        "origin": "https://yasgui.example", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-requested-with,accept"})
    assert r.status_code == 204
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert {"content-type", "x-requested-with", "accept", "if-none-match"} <= allowed
    assert "POST" in r.headers["access-control-allow-methods"] and r.headers["access-control-allow-origin"] == "*"
    r = httpx.post(served + "/sparql", data={"query": ASK}, headers={
        "origin": "https://yasgui.example", "x-requested-with": "XMLHttpRequest", "accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    assert r.headers["etag"].startswith('W/"') and r.headers["last-modified"]  # a POST's answer has them too
    assert "etag" in r.headers["access-control-expose-headers"].lower()


# -- transport -------------------------------------------------------------------------------------------------------
RESOURCES = ["/", "/dataset.ttl", "/.well-known/void", "/ontology.ttl", "/ontology.html", "/query", "/health",
             "/openapi.json", "/doc/plan-2021-2025", "/doc/plan-2021-2025.ttl", "/dumps/plankg.ttl",
             "/dumps/plankg.nq.gz", "/robots.txt", "/sitemap.xml", "/sparql", "/static/plankg.css",
             "/sparql?query=" + "ASK%7B%7D", "/query/goal-indicators?goal=outline-2021-2035/p2"]


@pytest.mark.parametrize("path", RESOURCES)
def test_etag_last_modified_and_304(served, path):
    r = httpx.get(served + path)
    assert r.status_code == 200, r.text
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    again = httpx.get(served + path, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    since = httpx.get(served + path, headers={"if-modified-since": modified})
    assert since.status_code == 304
    old = httpx.get(served + path, headers={"if-modified-since": formatdate(0, usegmt=True)})
    assert old.status_code == 200 and old.content == r.content
    other = httpx.get(served + path, headers={"if-none-match": 'W/"0000"'})
    assert other.status_code == 200


@pytest.mark.parametrize("path", RESOURCES)
def test_head_everywhere(served, path):
    get = httpx.get(served + path, headers={"accept-encoding": "identity"})
    head = httpx.head(served + path, headers={"accept-encoding": "identity"})
    assert head.status_code == get.status_code == 200 and head.content == b""
    for h in ("content-type", "etag", "last-modified", "content-length"):
        assert head.headers.get(h) == get.headers.get(h), h
    with httpx.Client() as c:  # gzipped: the same headers too (the length of the gzipped body)
        zget = c.send(c.build_request("GET", served + path, headers={"accept-encoding": "gzip"}), stream=True)
        zget.close()
        zhead = c.head(served + path, headers={"accept-encoding": "gzip"})
    for h in ("content-type", "content-encoding", "etag", "content-length"):
        assert zhead.headers.get(h) == zget.headers.get(h), h


@pytest.mark.parametrize("path, accept", [
    ("/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "application/sparql-results+json"),
    ("/doc/plan-2021-2025", "text/html"), ("/dumps/plankg.ttl", "*/*"), ("/dataset.ttl", "*/*")])
def test_gzip(served, path, accept):
    plain = httpx.get(served + path, headers={"accept": accept, "accept-encoding": "identity"})
    with httpx.Client() as c:
        raw = c.send(c.build_request("GET", served + path, headers={"accept": accept, "accept-encoding": "gzip"}),
                     stream=True)
        body = b"".join(raw.iter_raw())
        raw.close()
    assert "content-encoding" not in plain.headers
    assert raw.headers["content-encoding"] == "gzip" and "accept-encoding" in raw.headers["vary"].lower()
    assert gzip.decompress(body) == plain.content and len(body) < len(plain.content)
    assert raw.headers["etag"] == plain.headers["etag"]  # weak: the same content in either coding
    assert httpx.get(served + path, headers={"accept": accept, "accept-encoding": "gzip",
                                             "if-none-match": plain.headers["etag"]}).status_code == 304


def test_range_on_dumps(served):
    whole = httpx.get(served + "/dumps/plankg.nq.gz").content
    assert httpx.head(served + "/dumps/plankg.nq.gz").headers["accept-ranges"] == "bytes"
    r = httpx.get(served + "/dumps/plankg.nq.gz", headers={"range": "bytes=0-99"})
    assert r.status_code == 206 and r.content == whole[:100]
    assert r.headers["content-range"] == f"bytes 0-99/{len(whole)}"
    r = httpx.get(served + "/dumps/plankg.nq.gz", headers={"range": "bytes=-10"})
    assert r.status_code == 206 and r.content == whole[-10:]
    r = httpx.get(served + "/dumps/plankg.nq.gz", headers={"range": f"bytes=100-"})
    assert r.content == whole[100:]
    r = httpx.get(served + "/dumps/plankg.nq.gz", headers={"range": f"bytes={len(whole)}-"})
    assert r.status_code == 416 and r.headers["content-range"] == f"bytes */{len(whole)}"
    r = httpx.get(served + "/dumps/plankg.nq.gz", headers={"range": "bytes=0-9", "if-range": 'W/"stale"'})
    assert r.status_code == 200 and r.content == whole
    etag = httpx.head(served + "/dumps/plankg.nq.gz").headers["etag"]
    r = httpx.get(served + "/dumps/plankg.nq.gz", headers={"range": "bytes=0-9", "if-range": etag})
    assert r.status_code == 206 and r.content == whole[:10]
    ttl = httpx.get(served + "/dumps/plankg.ttl", headers={"range": "bytes=0-49", "accept-encoding": "gzip"})
    assert ttl.status_code == 206 and len(ttl.content) == 50 and "content-encoding" not in ttl.headers


def test_robots_and_sitemap(served):
    robots = httpx.get(served + "/robots.txt")
    assert robots.headers["content-type"].startswith("text/plain")
    assert "Disallow: /sparql" in robots.text and f"Sitemap: {served}/sitemap.xml" in robots.text
    sm = httpx.get(served + "/sitemap.xml")
    assert sm.headers["content-type"].startswith("application/xml")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [u.find(ns + "loc").text for u in ET.fromstring(sm.content).iter(ns + "url")]
    assert f"{served}/doc/plan-2021-2025.html" in urls and f"{served}/dumps/plankg.nq.gz" in urls
    for u in urls:
        assert httpx.head(u).status_code == 200, u


def test_doc_without_a_name(served):
    r = httpx.get(served + "/doc/")
    assert r.status_code == 404 and "not in the dataset" in r.text
    assert httpx.get(served + "/health").status_code == 200  # and the server is fine


def test_static_publication_has_robots_and_sitemap(corpus_store, tmp_path):
    from plankg.iris import Iris
    from plankg.publish.static import publish_static

    publish_static(corpus_store, tmp_path, Iris(), "https://example.org/kg/")
    robots = (tmp_path / "robots.txt").read_text()
    assert "Sitemap: https://example.org/kg/sitemap.xml" in robots
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [u.find(ns + "loc").text for u in ET.parse(tmp_path / "sitemap.xml").getroot().iter(ns + "url")]
    assert "https://example.org/kg/doc/plan-2021-2025.html" in urls
    for u in urls:
        rel = u.removeprefix("https://example.org/kg/") or "index.html"
        assert (tmp_path / rel).exists() or (tmp_path / rel / "index.html").exists() or (tmp_path / (rel + ".html")).exists(), u


def test_generation_changes_the_etag(fresh_store, tmp_path):
    from plankg.graph_store import open_store
    from plankg.pipeline import build

    srv = PlankgServer(fresh_store, tmp_path / "gen", env={"PLANKG_WORKERS": 1})
    srv.start()
    try:
        first = httpx.get(srv.url + "/sparql", params={"query": COUNT}, headers={"accept": "application/sparql-results+json"})
        assert first.status_code == 200
    finally:
        srv.stop()
    time.sleep(1.1)  # Last-Modified has whole seconds
    build(open_store(fresh_store))  # a new generation, the same content
    srv = PlankgServer(fresh_store, tmp_path / "gen", env={"PLANKG_WORKERS": 1})
    srv.start()
    try:
        second = httpx.get(srv.url + "/sparql", params={"query": COUNT}, headers={
            "accept": "application/sparql-results+json", "if-none-match": first.headers["etag"]})
        assert second.status_code == 200 and second.headers["etag"] != first.headers["etag"]
        assert second.headers["last-modified"] != first.headers["last-modified"]
    finally:
        srv.stop()
    assert srv.left == []


# -- the merge in the store ----------------------------------------------------------------------------------------
def _count(store, query=COUNT, **kw) -> int:
    return int(next(iter(store.query(query, **kw)))["n"].value)


@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
def test_the_merge_follows_every_write(kind, tmp_path):
    from pyoxigraph import Literal, NamedNode, Quad

    from plankg.graph_store import open_store

    store = open_store(tmp_path / "s" if kind == "oxigraph" else "memory:")
    t = (NamedNode("https://example.org/x"), NamedNode("https://example.org/p"), Literal("v"))
    u = (NamedNode("https://example.org/y"), NamedNode("https://example.org/p"), Literal("w"))
    a, b = "https://example.org/g/a", "https://example.org/g/b"
    store.replace_graphs({a: [Quad(*t, NamedNode(a))], b: [Quad(*t, NamedNode(b)), Quad(*u, NamedNode(b))]}, reset=True)
    assert (store.count(), _count(store)) == (3, 2)  # three statements, two distinct triples
    assert _count(store, f"SELECT (COUNT(*) AS ?n) FROM <{a}> FROM <{b}> WHERE {{ ?s ?p ?o }}") == 2
    assert _count(store, dataset=([a, b], [])) == 2 and _count(store, dataset=([a], [])) == 1
    assert _count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == 3  # graphs untouched
    assert len(store.export("nquads").splitlines()) == 3  # the merge is not exported
    store.replace_graphs({b: [Quad(*u, NamedNode(b))]})  # one graph replaced: the merge made again
    assert (store.count(), _count(store)) == (2, 2)
    store.replace_graphs({}, drop=[a])
    assert (store.count(), _count(store)) == (1, 1)
    if kind == "oxigraph":
        again = open_store(tmp_path / "s", read_only=True)
        assert (again.count(), _count(again)) == (1, 1)


def test_a_store_written_before_the_merge_still_answers(tmp_path):
    """A store without the materialised merge (written by an older plankg): the union of its graphs."""
    from pyoxigraph import Literal, NamedNode, Quad, Store

    from plankg.graph_store.oxigraph_store import MemoryStore

    store = MemoryStore()
    raw = Store()
    raw.add(Quad(NamedNode("https://example.org/x"), NamedNode("https://example.org/p"), Literal("v"),
                 NamedNode("https://example.org/g/a")))
    store.store = raw
    assert _count(store) == 1
