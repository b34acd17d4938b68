"""A resource with 100,000 links: its page and RDF twins stay small, say that they are cut, and page the
embedded JSON-LD with the lists (the report: 64 MB of HTML, 63 MB of it JSON-LD, 80 s)."""

from __future__ import annotations

import json
import re
import time

import pytest
from pyoxigraph import Literal, NamedNode, Quad
from starlette.testclient import TestClient

from plankg.graph_store.oxigraph_store import MemoryStore
from plankg.pipeline import build
from plankg.publish.app import create_app
from plankg.publish.config import PublishConfig
from plankg.publish.describe import LIMIT

ID = "https://w3id.org/plankg/id/"
PK = "https://w3id.org/plankg/ontology#"
N = 100_000


@pytest.fixture(scope="module")
def client():
    store = MemoryStore()
    build(store)
    g = NamedNode("https://w3id.org/plankg/graph/many")
    target = NamedNode(ID + "outline-2021-2035/p2")
    quads = []
    for i in range(N):
        s = NamedNode(ID + f"many/s{i:06d}")
        link = PK + "supports" if i % 2 else "http://purl.org/dc/terms/references"  # grouped and plain lists
        quads += [Quad(s, NamedNode(link), target, g),
                  Quad(s, NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal(f"支持者{i}", language="zh"), g)]
    store.replace_graphs({g.value: quads})  # a write: the merge (the default graph) is made again
    with TestClient(create_app(store, config=PublishConfig(workers=1))) as c:
        yield c


def jsonld_of(html: str) -> list:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_page_is_small_and_says_it_is_cut(client):
    started = time.perf_counter()
    r = client.get("/doc/outline-2021-2035/p2.html?lang=en")
    assert r.status_code == 200
    assert time.perf_counter() - started < 20
    assert len(r.content) < 2_000_000
    total = int(re.search(rf"the first {LIMIT} of (\d+)", r.text).group(1))
    assert N <= total < N + 100  # the links added, and the few the corpus has


def test_embedded_jsonld_is_paged(client):
    one = jsonld_of(client.get("/doc/outline-2021-2035/p2.html").text)
    page2 = client.get("/doc/outline-2021-2035/p2.html?page=2")
    assert 'rel="prev"' in page2.text
    two = jsonld_of(page2.text)
    assert one != two
    assert len(json.dumps(one)) < 1_000_000


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "nt", "rdf"])
def test_twins_are_cut_and_say_so(client, ext):
    r = client.get(f"/doc/outline-2021-2035/p2.{ext}")
    assert r.status_code == 200
    assert r.headers["X-Plankg-Truncated"] == "true"
    assert len(r.content) < 2_000_000


def test_small_resources_are_whole(client):
    r = client.get("/doc/plan-2021-2025/p2/s3.ttl")
    assert r.status_code == 200 and "X-Plankg-Truncated" not in r.headers


def test_home_and_void_make_no_dump(client):
    """At 1.7 M quads the first home page made all three dumps (a minute); now a dump is made when asked for."""
    from plankg.publish.void import DUMPS

    assert client.get("/").status_code == 200 and client.get("/dataset.ttl").status_code == 200
    info = client.app.state.plankg.info
    assert not set(DUMPS) & set(info.dumps)
    assert client.get("/dumps/" + next(iter(DUMPS))).status_code == 200
    assert next(iter(DUMPS)) in info.dumps
