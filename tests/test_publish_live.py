"""Real servers on 127.0.0.1: plankg's app under uvicorn (queried by SPARQLWrapper and curl), and the
static publication under nginx.  Each server is started by its fixture on a free port and stopped by it;
the test checks that no worker process outlives the server.  A missing tool fails with how to install it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from plankg.publish import publish_static
from plankg.publish.static import nginx_config
from pyoxigraph import RdfFormat, parse

from plankg.iris import Iris
from servers import PlankgServer, free_port

ID = "https://w3id.org/plankg/id/"
GOAL = "plan-2021-2025/p2/s3"


def need(tool: str, package: str) -> str:
    path = shutil.which(tool) or (f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None)
    if not path:
        pytest.fail(f"{tool} is not installed: install it with `apt-get update && apt-get install -y {package}` "
                    "(.ci/run does this on CI)", pytrace=False)
    return path


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url} within {seconds} s")


@pytest.fixture(scope="module")
def server(corpus_store):
    with PlankgServer(corpus_store.root, env={"PLANKG_MAX_ROWS": 1000, "PLANKG_WORKERS": 2}) as srv:
        yield srv.url, srv.proc
    assert not srv.left, f"worker processes outlived the server: {srv.left}"


def curl(*args: str) -> subprocess.CompletedProcess:
    exe = need("curl", "curl")
    return subprocess.run([exe, "-s", "--max-time", "30", *args], capture_output=True, timeout=60, check=False)


# -- SPARQLWrapper ------------------------------------------------------------------------------------------------
def test_sparqlwrapper_select_in_every_result_format(server):
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    base, _ = server
    q = f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE {{ <{ID}{GOAL}> skos:prefLabel ?l }} ORDER BY ?l"
    sw = SPARQLWrapper(base + "/sparql")
    sw.setQuery(q)
    sw.setReturnFormat(JSON)
    data = sw.query().convert()
    assert [b["l"]["value"] for b in data["results"]["bindings"]] == ["Main goals", "主要目标"]
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["Main goals", "主要目标"]
    sw.setReturnFormat(CSV)
    assert sw.query().convert().decode("utf-8").splitlines() == ["l", "Main goals", "主要目标"]
    sw.setReturnFormat(TSV)
    assert sw.query().convert().decode("utf-8").splitlines() == ["?l", '"Main goals"@en', '"主要目标"@zh']
    sw.setMethod("POST")
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == 2


def test_sparqlwrapper_construct_ask_and_refusals(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    base, _ = server
    sw = SPARQLWrapper(base + "/sparql")
    sw.setQuery(f"CONSTRUCT {{ <{ID}{GOAL}> ?p ?o }} WHERE {{ <{ID}{GOAL}> ?p ?o }}")
    sw.setReturnFormat(TURTLE)
    graph = parse(sw.query().convert(), format=RdfFormat.TURTLE)
    assert any(t.object.value == "主要目标" for t in graph)
    sw.setQuery(f"ASK {{ <{ID}{GOAL}> ?p ?o }}")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery("SELECT * WHERE { ?s ?p ")
    with pytest.raises(QueryBadFormed, match="line 1, column"):
        sw.query()
    sw.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    sw.setMethod("POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403
    sw.setQuery("SELECT * WHERE { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }")
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403


def test_row_cap_through_the_real_server(server):
    base, _ = server
    out = curl("-D", "-", "-H", "Accept: text/csv", "--data-urlencode", "query=SELECT ?s WHERE { ?s ?p ?o }", base + "/sparql")
    head, _, body = out.stdout.decode().partition("\r\n\r\n")
    assert "x-plankg-truncated: true" in head.lower()
    assert len(body.strip().splitlines()) == 1 + 1000


# -- curl ------------------------------------------------------------------------------------------------------------
def test_curl_content_negotiation(server):
    base, _ = server
    head = curl("-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", "Accept: text/turtle", f"{base}/id/{GOAL}")
    assert head.stdout.decode() == f"303 {base}/doc/{GOAL}.ttl"
    body = curl("-L", "-H", "Accept: application/n-triples", f"{base}/id/{GOAL}").stdout
    assert f"<{ID}{GOAL}> <http://www.w3.org/2004/02/skos/core#prefLabel> \"主要目标\"@zh .".encode() in body
    html = curl("-L", f"{base}/id/{GOAL}").stdout.decode()
    assert "<h1" in html and "主要目标" in html
    assert curl("-o", "/dev/null", "-w", "%{http_code}", f"{base}/id/nope/nothing").stdout == b"404"
    assert curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Accept: image/png", f"{base}/doc/{GOAL}").stdout == b"406"


def test_curl_sparql_and_health(server, corpus_store):
    base, _ = server
    r = curl("-H", "Content-Type: application/sparql-query", "-H", "Accept: application/sparql-results+json",
             "--data-binary", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", base + "/sparql")
    distinct = len({q.triple for q in corpus_store.quads()})  # the default graph is the merge: each triple once
    assert json.loads(r.stdout)["results"]["bindings"][0]["n"]["value"] == str(distinct) == str(corpus_store.count())
    assert json.loads(curl(base + "/health").stdout) == {"status": "ok", "triples": corpus_store.count()}
    sd = curl("-H", "Accept: text/turtle", base + "/sparql").stdout
    assert b"sparql-service-description#" in sd and f"<{base}/sparql>".encode() in sd
    upd = curl("-o", "/dev/null", "-w", "%{http_code}", "--data-urlencode", "update=DROP ALL", base + "/sparql")
    assert upd.stdout == b"403"


# -- nginx over the static publication ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def nginx_site(corpus_store, tmp_path_factory):
    exe = need("nginx", "nginx-light")
    root = tmp_path_factory.mktemp("nginx")
    site = root / "site"
    publish_static(corpus_store, site, Iris(), "http://127.0.0.1/")
    port = free_port()
    (root / "tmp").mkdir()
    (root / "logs").mkdir()
    (root / "site.conf").write_text(nginx_config(site.resolve(), "/", listen=f"127.0.0.1:{port}"))
    tmp = root / "tmp"
    (root / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")  # workers must read the (private) pytest folders
        + f"daemon off;\nworker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/logs/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};"
        f" uwsgi_temp_path {tmp}; scgi_temp_path {tmp}; include {root}/site.conf; }}\n")
    check = subprocess.run([exe, "-t", "-p", str(root), "-c", str(root / "nginx.conf")], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([exe, "-p", str(root), "-c", str(root / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/index.html", proc, 20)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


@pytest.mark.parametrize("accept,ext", [("", "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld"),
                                        ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"),
                                        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
                                        ("application/rdf+xml;q=0.9, text/turtle;q=0.8", "rdf")])
def test_nginx_negotiates_like_the_app(nginx_site, accept, ext):
    r = curl("-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", f"Accept: {accept}", f"{nginx_site}/id/{GOAL}")
    assert r.stdout.decode() == f"303 {nginx_site}/doc/{GOAL}.{ext}"


def test_nginx_serves_twins_with_types(nginx_site):
    types = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
             "rdf": "application/rdf+xml", "html": "text/html"}
    for ext, media in types.items():
        r = curl("-D", "-", "-o", "/dev/null", f"{nginx_site}/doc/{GOAL}.{ext}")
        head = r.stdout.decode().lower()
        assert head.startswith("http/1.1 200") and f"content-type: {media}" in head, (ext, head)
    neg = curl("-D", "-", "-H", "Accept: text/turtle", f"{nginx_site}/doc/{GOAL}").stdout.decode()
    assert "content-location: /doc/" + GOAL + ".ttl" in neg.lower() and "vary: accept" in neg.lower()
    assert "主要目标" in neg
    assert curl("-o", "/dev/null", "-w", "%{http_code}", f"{nginx_site}/id/nope/nothing").stdout == b"404"
    assert curl("-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", "Accept: text/turtle",
                f"{nginx_site}/ontology").stdout.decode() == f"303 {nginx_site}/ontology.ttl"
    void = curl("-D", "-", f"{nginx_site}/.well-known/void").stdout.decode()
    assert "content-type: text/turtle" in void.lower() and "rdfs.org/ns/void#" in void
