"""The publishing app in-process (starlette's TestClient): content negotiation, the SPARQL endpoint and
its guards, pages, VoID/DCAT, dumps, the static copy.  Worker processes are stopped by each client's exit."""

from __future__ import annotations

import gzip
import json
import re
import time
import warnings
import xml.etree.ElementTree as ET

import pytest
from pyoxigraph import Dataset, RdfFormat, parse

with warnings.catch_warnings():  # starlette 1.x asks for httpx2; httpx works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from plankg.graph_store import open_store
from plankg.publish import PublishConfig, create_app, publish_static
from plankg.publish.negotiation import PAGE_OFFERS, RESULT_OFFERS, negotiate
from plankg.publish.sparqlscan import host_allowed, refused_services, scan
from plankg.queries.catalogue import catalogue

from plankg.iris import Iris
from plankg.pipeline import build, ingest

ID = "https://w3id.org/plankg/id/"
GOAL = "plan-2021-2025/p2/s3"  # （三）主要目标
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
RDF_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml"}
OX = {"ttl": RdfFormat.TURTLE, "jsonld": RdfFormat.JSON_LD, "nt": RdfFormat.N_TRIPLES, "rdf": RdfFormat.RDF_XML}
MARKUP_BASE = "http://example.org/kg/"
MARKUP_TEXT = """临江省知识产权保护规划

　　一、总体要求
　　（一）<script>alert("pk")</script>指导思想
　　深入贯彻新发展理念。
　　（二）基本原则
　　坚持创新引领。
　　二、重点任务
　　（一）加强保护
　　完善制度。
"""


def triples_of(body: bytes, ext: str) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in parse(body, format=OX[ext])}


@pytest.fixture(scope="module")
def client(corpus_store):
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(workers=1))) as c:
        yield c


@pytest.fixture(scope="module")
def markup_store(tmp_path_factory):
    """The corpus under another base (http://example.org/kg/) plus a document whose heading holds <script>."""
    root = tmp_path_factory.mktemp("markup")
    path = root / "store"
    iris = Iris(MARKUP_BASE)
    build(open_store(path), None, iris)
    text = root / "markup.txt"
    text.write_text(MARKUP_TEXT, encoding="utf-8")
    ingest(open_store(path), text, iris, {"doc_id": "markup-test", "doc_type": "FiveYearPlan",
                                          "title_zh": "测试<b>规划</b>", "title_en": "Test <i>plan</i>"})
    return open_store(path, read_only=True)


@pytest.fixture(scope="module")
def markup_client(markup_store):
    with TestClient(create_app(markup_store, Iris(MARKUP_BASE), PublishConfig(workers=1))) as c:
        yield c


# -- negotiation ---------------------------------------------------------------------------------------------
def test_accept_matching_follows_q_values_and_specificity():
    pick = lambda accept: negotiate(accept, PAGE_OFFERS).key
    assert pick(None) == "html" and pick("*/*") == "html"
    assert pick(BROWSER) == "html"
    assert pick("text/turtle") == "ttl"
    assert pick("application/ld+json;q=0.9, text/turtle;q=0.5") == "jsonld"
    assert pick("text/*;q=0.2, text/turtle") == "ttl"
    assert pick("application/rdf+xml, */*;q=0.1") == "rdf"
    assert pick("text/html;q=0, */*") == "ttl"
    assert negotiate("image/png", PAGE_OFFERS) is None
    assert negotiate(None, RESULT_OFFERS).key == "json"
    assert negotiate("application/sparql-results+json,application/json,text/javascript", RESULT_OFFERS).key == "json"


@pytest.mark.parametrize("accept,ext", [(None, "html"), (BROWSER, "html"), ("text/turtle", "ttl"),
                                        ("application/ld+json", "jsonld"), ("application/n-triples", "nt"),
                                        ("application/rdf+xml", "rdf"), ("text/turtle;q=0.4, application/ld+json", "jsonld")])
def test_id_answers_303_to_the_negotiated_twin(client, accept, ext):
    r = client.get(f"/id/{GOAL}", headers={"accept": accept} if accept else {}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/doc/{GOAL}.{ext}"
    assert "Accept" in r.headers["vary"]


def test_id_keeps_language_and_unknown_iris_are_404(client):
    r = client.get(f"/id/{GOAL}?lang=en", follow_redirects=False)
    assert r.headers["location"] == f"/doc/{GOAL}.html?lang=en"
    for path in ("/id/plan-2021-2025/p99", "/doc/plan-2021-2025/p99", "/doc/plan-2021-2025/p99.ttl", "/doc/nope.html"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 404, path
        assert "not in the dataset" in r.text


def test_406_for_an_accept_nothing_matches(client):
    for path in (f"/id/{GOAL}", f"/doc/{GOAL}", "/ontology"):
        r = client.get(path, headers={"accept": "image/png"}, follow_redirects=False)
        assert r.status_code == 406, path
        assert "text/turtle" in r.text
    r = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}, headers={"accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "nt", "rdf"])
def test_twins_carry_the_bounded_description(client, ext):
    r = client.get(f"/doc/{GOAL}.{ext}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(RDF_TYPES[ext])
    assert r.headers["access-control-allow-origin"] == "*"
    got = triples_of(r.content, ext)
    goal = f"<{ID}{GOAL}>"
    # outgoing
    assert (goal, "<http://www.w3.org/2004/02/skos/core#prefLabel>", '"主要目标"@zh') in got
    assert (goal, "<https://w3id.org/plankg/ontology#confidence>", "<https://w3id.org/plankg/ontology#secondary>") in got
    # incoming: an indicator measures it
    ind = f"<{ID}indicator/high-value-invention-patents-per-10k>"
    assert (ind, "<https://w3id.org/plankg/ontology#measures>", goal) in got
    # the label of that linked resource
    assert (ind, "<http://www.w3.org/2004/02/skos/core#prefLabel>", '"每万人口高价值发明专利拥有量"@zh') in got
    # the source it derives from, with its title
    src = f"<{ID}source/plan-2021-2025/S8>"
    assert (goal, "<http://www.w3.org/ns/prov#wasDerivedFrom>", src) in got
    assert any(s == src and p == "<http://purl.org/dc/terms/title>" for s, p, _ in got)


def test_document_twin_includes_attestations(client):
    got = triples_of(client.get("/doc/plan-2021-2025.ttl").content, "ttl")
    attested = {s for s, p, o in got if p == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate>"
                and o == "<https://w3id.org/plankg/ontology#documentNumber>"}
    assert attested
    a = attested.pop()
    assert (a, "<https://w3id.org/plankg/ontology#confidence>", "<https://w3id.org/plankg/ontology#secondary>") in got
    assert (a, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object>", '"国发〔2021〕20号"') in got


def test_doc_without_extension_negotiates(client):
    r = client.get(f"/doc/{GOAL}", headers={"accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert r.headers["content-location"] == f"/doc/{GOAL}.jsonld"
    assert "Accept" in r.headers["vary"]
    json.loads(r.text)
    r = client.get(f"/doc/{GOAL}", headers={"accept": BROWSER})
    assert r.headers["content-type"].startswith("text/html") and r.headers["content-location"] == f"/doc/{GOAL}.html"


def test_an_iri_with_a_dot_is_not_taken_for_an_extension(client):
    r = client.get("/doc/sdg/9.5", headers={"accept": "text/turtle"})
    assert r.status_code == 200
    assert f"<{ID}sdg/9.5>" in {s for s, _, _ in triples_of(r.content, "ttl")}
    assert client.get("/doc/sdg/9.5.html").status_code == 200


def test_etag_revalidation(client):
    r = client.get(f"/doc/{GOAL}.ttl")
    again = client.get(f"/doc/{GOAL}.ttl", headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304 and not again.content


def test_another_base_is_served_from_local_paths(markup_client):
    r = markup_client.get("/id/plan-2021-2025/p2/s3", headers={"accept": "text/turtle"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/doc/plan-2021-2025/p2/s3.ttl"
    got = triples_of(markup_client.get("/doc/plan-2021-2025/p2/s3.ttl").content, "ttl")
    assert all("w3id.org/plankg/id/" not in s for s, _, _ in got)
    assert ("<http://example.org/kg/id/plan-2021-2025/p2/s3>", "<http://purl.org/dc/terms/isPartOf>",
            "<http://example.org/kg/id/plan-2021-2025/p2>") in got
    html = markup_client.get("/doc/plan-2021-2025/p2/s3.html").text
    assert 'href="/doc/plan-2021-2025/p2"' in html
    assert 'href="http://example.org/kg/id/' not in html


def test_an_in_memory_store_is_served_too():
    store = open_store("memory:")
    build(store)
    with TestClient(create_app(store, Iris(), PublishConfig(workers=1))) as c:
        assert c.get("/health").json() == {"status": "ok", "triples": store.count()}
        r = c.get("/sparql", params={"query": f"ASK {{ <{ID}{GOAL}> ?p ?o }}"})
        assert r.json()["boolean"] is True
        assert c.get(f"/id/{GOAL}", follow_redirects=False).status_code == 303
        assert "主要目标" in c.get(f"/doc/{GOAL}.html").text


# -- pages -----------------------------------------------------------------------------------------------------
def test_goal_page_shows_structure_values_incoming_and_marks(client):
    r = client.get(f"/doc/{GOAL}.html")
    assert r.status_code == 200
    html = r.text
    assert "主要目标" in html and "Main goals" in html  # both languages
    assert "content-security-policy" in r.headers and "script-src 'self'" in r.headers["content-security-policy"]
    # parent, children in pk:position order
    assert 'href="/doc/plan-2021-2025/p2"' in html
    kids = re.findall(r'<ol class="children"[^>]*>(.*?)</ol>', html, re.DOTALL)[0]
    assert re.findall(r'href="/doc/(plan-2021-2025/[^"]+)"', kids) == [
        "plan-2021-2025/p2/s3/b1", "plan-2021-2025/p2/s3/b2", "plan-2021-2025/p2/s3/b3", "plan-2021-2025/p2/s3/b4",
        "plan-2021-2025/t1"]
    # incoming links grouped by property: which indicators measure it
    incoming = html.split('id="incoming"')[1]
    assert "衡量" in incoming and 'href="/doc/indicator/high-value-invention-patents-per-10k"' in incoming
    # indicator values as a table: role, year, value, unit, confidence
    values = html.split('id="values"')[1].split("</table>")[0]
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", values, re.DOTALL) if "每万人口高价值发明专利拥有量" in r and ">2025<" in r)
    assert ">12<" in row and ">件<" in row and "conf-verified" in row and "目标值" in row
    # the node's own mark and source, with the source's title and link
    assert "S8: Chinese reprint, page 3 (main goals, table title)" in html
    assert 'href="https://luozaitianjin.com/law/fatiao/x/48481.html/3"' in html
    # JSON-LD embedded
    blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
    assert any(node.get("@id") == ID + GOAL for node in json.loads(blob))


def test_language_switch(client):
    zh = client.get(f"/doc/{GOAL}.html").text
    en = client.get(f"/doc/{GOAL}.html?lang=en").text
    assert '<html lang="zh">' in zh and '<html lang="en">' in en
    title = lambda h: re.search(r'<h1 id="title">(.*?)</h1>', h, re.DOTALL).group(1)
    assert "主要目标" in title(zh) and "Main goals" in title(en)
    assert f'href="/doc/{GOAL}.html?lang=en"' in zh and 'id="lang-en"' in zh
    assert 'href="/doc/plan-2021-2025/p2?lang=en"' in en  # links keep the language
    assert "Links to this resource" in en and "指向本资源的链接" in zh


def test_document_page_shows_metadata_attestations(client):
    html = client.get("/doc/plan-2021-2025.html?lang=en").text
    prov = html.split('id="provenance"')[1]
    assert "国发〔2021〕20号" in prov and "conf-secondary" in prov
    assert "S20" in prov  # one of the sources of the 文号
    assert "国发〔2021〕20号" in html.split('id="properties"')[1].split("</table>")[0]


def test_long_lists_are_paged(client):
    first = client.get("/doc/source/outline-2021-2035/S1.html").text
    group = lambda h: re.findall(r'<ul class="incoming">(.*?)</ul>', h, re.DOTALL)
    longest = max(group(first), key=len)
    assert longest.count("<li>") == 50
    assert "1–50 / 58" in first and 'href="/doc/source/outline-2021-2035/S1?page=2"' in first
    second = client.get("/doc/source/outline-2021-2035/S1?page=2").text
    assert "51–58 / 58" in second
    assert max(group(second), key=len).count("<li>") == 8
    assert client.get("/doc/source/outline-2021-2035/S1?page=x").status_code == 400


def test_markup_in_labels_is_escaped(markup_client):
    r = markup_client.get("/doc/markup-test/p1/s1.html")
    assert r.status_code == 200
    html = r.text
    assert '&lt;script&gt;alert(&#34;pk&#34;)&lt;/script&gt;指导思想' in html
    assert "<script>alert" not in html
    blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
    assert "<" not in blob and "\\u003cscript\\u003e" in blob
    assert any("<script>alert" in json.dumps(node, ensure_ascii=False) for node in json.loads(blob))
    doc = markup_client.get("/doc/markup-test.html").text
    assert "测试&lt;b&gt;规划&lt;/b&gt;" in doc and "<b>规划" not in doc
    # the parent's children list and the home page's documents table escape it too
    assert "&lt;script&gt;" in markup_client.get("/doc/markup-test/p1.html").text
    assert "测试&lt;b&gt;规划&lt;/b&gt;" in markup_client.get("/").text


# -- SPARQL protocol ------------------------------------------------------------------------------------------
COUNT_PLANS = "PREFIX pk: <https://w3id.org/plankg/ontology#> SELECT (COUNT(?d) AS ?n) WHERE { ?d a pk:FiveYearPlan }"
LABEL_Q = ('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { <' + ID + GOAL +
           '> skos:prefLabel ?l } ORDER BY ?l')


def test_sparql_get_defaults_to_json(client):
    r = client.get("/sparql", params={"query": LABEL_Q})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    data = r.json()
    assert data["head"]["vars"] == ["l"]
    assert [b["l"] for b in data["results"]["bindings"]] == [
        {"type": "literal", "value": "Main goals", "xml:lang": "en"}, {"type": "literal", "value": "主要目标", "xml:lang": "zh"}]
    assert "X-Plankg-Truncated" not in r.headers


def test_sparql_post_form_and_direct(client):
    r = client.post("/sparql", data={"query": COUNT_PLANS})
    n = int(r.json()["results"]["bindings"][0]["n"]["value"])
    assert n >= 3
    r = client.post("/sparql", content=COUNT_PLANS.encode(), headers={"content-type": "application/sparql-query"})
    assert r.json()["results"]["bindings"][0]["n"] == {"type": "literal", "value": str(n),
                                                       "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    r = client.post("/sparql", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415


def test_sparql_xml_csv_tsv(client):
    xml = client.get("/sparql", params={"query": LABEL_Q}, headers={"accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    lits = ET.fromstring(xml.content).findall(".//s:literal", ns)
    assert [(l.text, l.get("{http://www.w3.org/XML/1998/namespace}lang")) for l in lits] == [("Main goals", "en"), ("主要目标", "zh")]
    csv = client.get("/sparql", params={"query": LABEL_Q}, headers={"accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text == "l\r\nMain goals\r\n主要目标\r\n"
    tsv = client.get("/sparql", params={"query": LABEL_Q}, headers={"accept": "text/tab-separated-values"})
    assert tsv.text == '?l\n"Main goals"@en\n"主要目标"@zh\n'
    assert client.get("/sparql", params={"query": LABEL_Q, "format": "csv"}).text == csv.text
    ask = client.get("/sparql", params={"query": f"ASK {{ <{ID}{GOAL}> ?p ?o }}"})
    assert ask.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("ext", ["ttl", "nt", "jsonld", "rdf"])
def test_sparql_construct_in_rdf_formats(client, ext):
    q = f"CONSTRUCT {{ <{ID}{GOAL}> ?p ?o }} WHERE {{ <{ID}{GOAL}> ?p ?o }}"
    r = client.get("/sparql", params={"query": q}, headers={"accept": RDF_TYPES[ext]})
    assert r.status_code == 200 and r.headers["content-type"].startswith(RDF_TYPES[ext])
    got = triples_of(r.content, ext)
    assert (f"<{ID}{GOAL}>", "<http://www.w3.org/2004/02/skos/core#prefLabel>", '"主要目标"@zh') in got
    d = client.get("/sparql", params={"query": f"DESCRIBE <{ID}{GOAL}>"}, headers={"accept": RDF_TYPES[ext]})
    assert d.status_code == 200 and triples_of(d.content, ext)


def test_service_description(client):
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    got = triples_of(r.content, "ttl")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert ("<http://testserver/sparql>" in {o for _, p, o in got if p == f"<{sd}endpoint>"})
    assert f"<{sd}SPARQL11Query>" in {o for _, p, o in got if p == f"<{sd}supportedLanguage>"}
    assert f"<{sd}UnionDefaultGraph>" in {o for _, p, o in got if p == f"<{sd}feature>"}
    assert len({o for _, p, o in got if p == f"<{sd}resultFormat>"}) == 8
    assert client.get("/sparql", headers={"accept": BROWSER}, follow_redirects=False).headers["location"] == "/query"


@pytest.mark.parametrize("request_kwargs", [
    {"method": "GET", "params": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "POST", "data": {"update": "DROP ALL"}},
    {"method": "POST", "content": b"CLEAR ALL", "headers": {"content-type": "application/sparql-update"}},
    {"method": "GET", "params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "POST", "data": {"query": "PREFIX x: <urn:x#>\n# a comment\nDELETE WHERE { ?s ?p ?o }"}},
    {"method": "POST", "content": b"LOAD <http://127.0.0.1:9/x.ttl>", "headers": {"content-type": "application/sparql-query"}},
    {"method": "GET", "params": {"query": "create graph <urn:g>"}},
])
def test_updates_are_refused(client, corpus_store, request_kwargs):
    before = corpus_store.count()
    r = client.request(url="/sparql", **request_kwargs)
    assert r.status_code == 403
    assert "read-only" in r.text and "SPARQL Update" in r.text
    assert corpus_store.count() == before


def test_syntax_error_gives_400_with_position(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p ?o \n"})
    assert r.status_code == 400
    assert re.search(r"line 3, column \d+", r.text), r.text
    assert r.headers["x-plankg-error-line"] == "3"
    html = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "}, headers={"accept": BROWSER})
    assert html.status_code == 400 and "line 1, column" in html.text and 'id="sparql-error"' in html.text


def test_service_outside_the_allowlist_is_refused_before_any_connection(client, listener):
    port, hits = listener
    targets = [f"<http://127.0.0.1:{port}/sparql>", "<http://169.254.169.254/latest/meta-data/>",
               "<file:///etc/passwd>", f"<http://localhost:{port}/>", "?endpoint"]
    for target in targets:
        q = f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}"
        r = client.get("/sparql", params={"query": q})
        assert r.status_code == 403, target
        assert "not allowed" in r.text and "hosts allowed: none" in r.text
    sneaky = [f"PREFIX e: <http://127.0.0.1:{port}/>\nSELECT * {{ SERVICE SILENT e:sparql {{ ?s ?p ?o }} }}",
              f"BASE <http://127.0.0.1:{port}/>\nSELECT * {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
              f"SELECT * {{ SERV\\u0049CE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
              f"select * {{ service <http://allowed.example@127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"]
    for q in sneaky:
        r = client.post("/sparql", content=q.encode(), headers={"content-type": "application/sparql-query"})
        assert r.status_code == 403, q
    time.sleep(0.3)
    assert hits == []


def test_service_scan_unit():
    assert scan('SELECT * { ?s ?p "SERVICE <http://127.0.0.1/>" }').services == []
    assert scan("SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1/>").services == []
    s = scan("PREFIX w: <https://query.wikidata.org/>\nSELECT * { SERVICE w:sparql { ?s ?p ?o } }")
    assert s.services == ["https://query.wikidata.org/sparql"]
    assert refused_services(s, ("query.wikidata.org",)) == []
    assert refused_services(s, ()) == ["https://query.wikidata.org/sparql"]
    assert not host_allowed("http://query.wikidata.org.evil.example/sparql", ("query.wikidata.org",))
    assert not host_allowed("file:///etc/passwd", ("",))
    assert host_allowed("https://query.wikidata.org:443/x", ("query.wikidata.org:443",))
    assert scan("SELECT ?x WHERE { ?x ?p ?o FILTER(?x < ?o) }").first_keyword == "SELECT"
    assert scan("prefix a: <urn:a#> insert data { a:x a:y a:z }").is_update


def test_row_cap_truncates(corpus_store):
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(max_rows=5, workers=1))) as c:
        r = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
        assert len(r.json()["results"]["bindings"]) == 5 and r.json()["truncated"] is True  # said in the result too
        assert r.headers["x-plankg-truncated"] == "true" and r.headers["x-plankg-row-limit"] == "5"
        r = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"})
        assert "x-plankg-truncated" not in r.headers and "truncated" not in r.json()
        xml = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers={"accept": "application/sparql-results+xml"})
        assert "<!-- truncated: only the first 5 answers" in xml.text
        r = c.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "application/n-triples"})
        lines = r.text.strip().splitlines()
        assert lines[0].startswith("# truncated: only the first 5 triples") and len(lines) == 6
        assert r.headers["x-plankg-truncated"] == "true"
        ttl = c.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "text/turtle"})
        assert ttl.text.startswith("# truncated") and len(triples_of(ttl.content, "ttl")) == 5
        html = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers={"accept": BROWSER}).text
        assert 'id="truncated-notice"' in html and "X-Plankg-Truncated" in html
        assert "5 rows or 32 Mi characters of values (then X-Plankg-Truncated: true)" in c.get("/query?lang=en").text


def test_request_size_cap(corpus_store):
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(max_request_bytes=1000, workers=1))) as c:
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000
        assert c.post("/sparql", data={"query": big}).status_code == 413
        assert c.post("/sparql", content=big.encode(), headers={"content-type": "application/sparql-query"}).status_code == 413
        r = c.get("/sparql", params={"query": big})
        assert r.status_code == 414 and "POST" in r.text
        assert c.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_timeout_kills_the_worker_and_answers_503(corpus_store):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(timeout=1.0, workers=1))) as c:
        pool = c.app.state.plankg.pool
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
        [before] = pool.pids()
        started = time.monotonic()
        r = c.get("/sparql", params={"query": slow})
        assert r.status_code == 503 and "longer than 1 s" in r.text and r.headers["x-plankg-timeout"] == "1"
        assert time.monotonic() - started < 5
        [after] = pool.pids()
        assert after != before
        with pytest.raises(ProcessLookupError):
            import os
            os.kill(before, 0)
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    assert pool.pids() == []


# -- named queries -----------------------------------------------------------------------------------------------
def test_query_page_lists_every_named_query_as_a_form(client):
    html = client.get("/query?lang=en").text
    for name, q in catalogue().items():
        assert f'id="form-{name}"' in html, name
        for p in q.params:
            assert f'name="{p.name}"' in html
    form = html.split('id="form-unsupported-sections"')[1].split("</form>")[0]
    assert 'value="outline-2021-2035"' in form and "document" in form  # default and type shown
    limits = html.split('id="limits"')[1].split("</section>")[0]
    assert "SERVICE hosts allowed" in limits and "10 s (then 503" in limits and "65536 bytes" in limits
    assert 'src="/static/vendor/codemirror/codemirror.min.js"' in html and "cdn" not in html.lower()
    assert client.get("/static/vendor/codemirror/codemirror.min.js").status_code == 200
    assert client.get("/static/vendor/codemirror/LICENSE").status_code == 200


def test_named_query_runs_and_links_to_resources(client):
    r = client.get("/query/goal-indicators", params={"goal": GOAL})
    assert r.status_code == 200
    table = r.text.split('id="named-results"')[1]
    assert 'href="/doc/indicator/high-value-invention-patents-per-10k"' in table
    assert "每万人口高价值发明专利拥有量" in table
    data = client.get("/query/goal-indicators", params={"goal": GOAL, "format": "json"}).json()
    assert {"indicator": ID + "indicator/high-value-invention-patents-per-10k", "role": "target", "year": "2025"}.items() \
        <= next(d for d in data if d["year"] == "2025" and d["indicator"].endswith("per-10k")).items()
    csv = client.get("/query/goal-indicators", params={"goal": GOAL, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("indicator,label_zh")
    bad = client.get("/query/indicator-history", params={"indicator": "not an iri !"})
    assert bad.status_code == 400 and "parameter indicator" in bad.text
    assert client.get("/query/no-such-query").status_code == 404
    assert client.get("/query/goal-indicators", params={"nope": "1"}).status_code == 400


# -- dataset, dumps, ontology, health ------------------------------------------------------------------------------
def test_void_and_dcat(client, corpus_store):
    void = "http://rdfs.org/ns/void#"
    distinct = len(set(triples_of(client.get("/dumps/plankg.ttl").content, "ttl")))  # the merge, each triple once
    assert distinct == corpus_store.count()  # each triple in one graph: the quads are the merge's triples
    for path, headers in (("/", {"accept": "text/turtle"}), ("/.well-known/void", {}), ("/dataset.ttl", {})):
        r = client.get(path, headers=headers)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle"), path
        got = triples_of(r.content, "ttl")
        ds = "<https://w3id.org/plankg/dataset>"
        props = {p: o for s, p, o in got if s == ds}
        assert props[f"<{void}triples>"] == f'"{distinct}"^^<http://www.w3.org/2001/XMLSchema#integer>'
        assert props[f"<{void}uriSpace>"] == f'"{ID}"'
        assert props[f"<{void}sparqlEndpoint>"] == "<http://testserver/sparql>"
        assert "<http://purl.org/dc/terms/license>" in props and "<http://purl.org/dc/terms/modified>" in props
        assert "<http://www.w3.org/ns/dcat#version>" in props
        dumps = {o for s, p, o in got if s == ds and p == f"<{void}dataDump>"}
        assert dumps == {f"<http://testserver/dumps/{n}>" for n in ("plankg.nq.gz", "plankg.trig", "plankg.ttl")}
        assert ("<http://testserver/dumps/plankg.nq.gz#distribution>", "<http://www.w3.org/ns/dcat#downloadURL>",
                "<http://testserver/dumps/plankg.nq.gz>") in got
    home = client.get("/")
    assert home.headers["content-type"].startswith("text/html")
    assert 'href="/doc/plan-2021-2025"' in home.text and f">{distinct}<" in home.text
    assert client.get("/dataset", follow_redirects=False).headers["location"] == "/"
    assert client.get("/dataset", headers={"accept": "application/ld+json"}, follow_redirects=False).headers["location"] == "/dataset.jsonld"


def test_dumps(client, corpus_store):
    nq = client.get("/dumps/plankg.nq.gz")
    assert nq.status_code == 200 and nq.headers["content-type"] == "application/gzip"
    assert gzip.decompress(nq.content) == corpus_store.export("nquads")
    again = client.get("/dumps/plankg.nq.gz", headers={"if-none-match": nq.headers["etag"]})
    assert again.status_code == 304
    ds = Dataset(parse(client.get("/dumps/plankg.trig").content, format=RdfFormat.TRIG))
    assert len(ds) == corpus_store.count()
    ttl = client.get("/dumps/plankg.ttl")
    assert ttl.headers["content-type"].startswith("text/turtle") and len(list(parse(ttl.content, format=RdfFormat.TURTLE))) > 5000


@pytest.mark.parametrize("path", ["/dumps/../app.py", "/dumps/%2e%2e/app.py", "/dumps/..%2fapp.py", "/dumps/plankg.nq",
                                  "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                                  "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/vendor/../../app.py",
                                  "/dumps/%2fetc%2fpasswd", "/static//etc/passwd"])
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code == 404, path
    assert "create_app" not in r.text and "root:" not in r.text


def test_ontology_and_health(client, corpus_store):
    assert client.get("/ontology", follow_redirects=False).headers["location"] == "/ontology.html"
    assert client.get("/ontology", headers={"accept": "text/turtle"}, follow_redirects=False).headers["location"] == "/ontology.ttl"
    from plankg.ontology import ONTOLOGY_PATH

    assert client.get("/ontology.ttl").content == ONTOLOGY_PATH.read_bytes()
    assert "Classes 类" in client.get("/ontology.html").text
    assert client.get("/health").json() == {"status": "ok", "triples": corpus_store.count()}


# -- static publication ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def static_site(markup_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("static") / "site"
    counts = publish_static(markup_store, out, Iris(MARKUP_BASE), "https://data.example.org/")
    return out, counts


def test_static_publication_files(static_site, markup_store):
    out, counts = static_site
    assert counts["resources"] > 800
    for rel in ("index.html", "index.en.html", "dataset.ttl", ".well-known/void", "dumps/plankg.nq.gz", "dumps/plankg.trig",
                "dumps/plankg.ttl", "ontology.html", "ontology.ttl", "static/plankg.css", "404.html", "nginx.conf",
                "apache.htaccess"):
        assert (out / rel).is_file(), rel
    for ext in ("html", "en.html", "ttl", "jsonld", "nt", "rdf"):
        assert (out / f"doc/plan-2021-2025/p2/s3.{ext}").is_file(), ext
    assert (out / "doc/source/outline-2021-2035/S1.page-2.html").is_file()
    assert gzip.decompress((out / "dumps/plankg.nq.gz").read_bytes()) == markup_store.export("nquads")
    page = (out / "doc/plan-2021-2025/p2/s3.html").read_text(encoding="utf-8")
    assert 'href="/doc/plan-2021-2025/p2.html"' in page and 'href="/doc/plan-2021-2025/p2/s3.en.html"' in page
    assert "/query" not in page  # no live endpoint in a static copy
    got = triples_of((out / "doc/plan-2021-2025/p2/s3.ttl").read_bytes(), "ttl")
    assert ("<http://example.org/kg/id/plan-2021-2025/p2/s3>", "<http://purl.org/dc/terms/isPartOf>",
            "<http://example.org/kg/id/plan-2021-2025/p2>") in got
    void = triples_of((out / "dataset.ttl").read_bytes(), "ttl")
    assert ("<http://example.org/kg/dataset>", "<http://rdfs.org/ns/void#dataDump>",
            "<https://data.example.org/dumps/plankg.nq.gz>") in void
    markup = (out / "doc/markup-test/p1/s1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;pk&#34;)&lt;/script&gt;" in markup and "<script>alert" not in markup


def test_static_nginx_and_apache_configs(static_site):
    out, _ = static_site
    nginx = (out / "nginx.conf").read_text()
    assert "map $http_accept $plankg_ext" in nginx
    assert "return 303 /doc/$plankg_path.$plankg_ext;" in nginx
    assert '"~*^\\s*text/turtle|application/x-turtle)" ttl;' not in nginx
    assert re.search(r'"~\*\^\\s\*\(text/turtle\|application/x-turtle\)" ttl;', nginx)
    assert f"root {out.resolve()};" in nginx and "add_header Vary Accept always;" in nginx
    apache = (out / "apache.htaccess").read_text()
    assert "RewriteRule ^id/(.+)$ doc/$1.ttl [R=303,L" in apache and "AddType text/turtle .ttl" in apache


@pytest.mark.parametrize("text, starred", [
    ("SELECT * WHERE { ?b ?a ?c }", True),
    ("select distinct\n# a comment\n* { ?b ?a ?c }", True),
    ("SELECT REDUCED* { ?b ?a ?c }", True),
    ("PREFIX : <x:> SELECT ?c ?a ?b { ?b ?a ?c }", False),
    ("SELECT ?c ?a ?b { ?b :p* ?c }  # SELECT is not SELECT *", False),
    ('SELECT ?c ?a ?b { ?b ?a "SELECT *" }', False),  # the quick test matches; the tokens say no
])
def test_select_star_orders_columns_as_the_query_names_them(text, starred):
    from plankg.publish.sparql_endpoint import star_order
    from plankg.publish.worker import Outcome

    outcome = Outcome("solutions", ["a", "b", "c"], [(1, 2, 3)])
    ordered = star_order(text, outcome)
    if starred:
        assert ordered.variables == ["b", "a", "c"] and ordered.rows == [(2, 1, 3)]
    else:
        assert ordered is outcome


def test_a_syntax_error_is_one_line_however_many_the_engine_gives():
    from plankg.errors import SparqlError
    from plankg.publish.sparql_endpoint import syntax_message

    exc = SparqlError("invalid SPARQL: error at 1:23: expected one of\n| 'a'\n| 'b'", None, 1, 23,
                      "expected one of ['A'..='Z'\n| 'a'..='z'\n| '_']")
    message, headers = syntax_message(exc)
    assert "\n" not in message and message.endswith("expected one of ['A'..='Z' | 'a'..='z' | '_']")
    assert headers == {"X-Plankg-Error-Line": "1", "X-Plankg-Error-Column": "23"}
    assert "\n" not in syntax_message(SparqlError("invalid SPARQL: a\nb"))[0]
