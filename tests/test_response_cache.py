"""The response cache (publish/response_cache.py): repeated answers come from memory, byte for byte the app's,
keyed by the store generation; what must not be cached is not; conditional requests still get 304."""

from __future__ import annotations

import asyncio
import warnings

import pytest

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from plankg.errors import UsageError
from plankg.graph_store import open_store
from plankg.iris import Iris
from plankg.pipeline import ingest
from plankg.publish import PublishConfig, create_app
from plankg.publish.config import ConfigError
from plankg.publish.response_cache import ResponseCache, not_modified
from plankg.publish.serve import config_from_env

GOAL = "plan-2021-2025/p2/s3"
ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?t WHERE { ?d a <https://w3id.org/plankg/ontology#Plan> ; <http://purl.org/dc/terms/title> ?t } ORDER BY ?t"
JSON = {"content-type": "application/sparql-query", "accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def client(corpus_store):
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(workers=1))) as c:
        yield c


def same_answer(a, b):
    """Status, body and every header but the cache's own mark are equal."""
    strip = lambda r: {k: v for k, v in r.headers.items() if k not in ("x-plankg-cache", "server-timing")}
    return a.status_code == b.status_code and a.content == b.content and strip(a) == strip(b)


@pytest.mark.parametrize("path", [f"/doc/{GOAL}.html", f"/doc/{GOAL}.ttl", "/query/goal-indicators?goal=" + GOAL,
                                  "/query/goal-indicators?format=json&goal=" + GOAL, "/dataset.ttl", "/",
                                  "/sparql?query=ASK%7B%7D", "/static/plankg.css", "/search?q=%E4%B8%93%E5%88%A9"])
def test_a_repeated_get_is_a_hit_with_the_same_bytes(client, path):
    first = client.get(path + ("&" if "?" in path else "?") + "lang=en")  # a URL no other test asked for
    again = client.get(path + ("&" if "?" in path else "?") + "lang=en")
    assert first.status_code == 200 and "x-plankg-cache" not in first.headers
    assert again.headers["x-plankg-cache"] == "hit" and same_answer(first, again)


def test_server_timing_tells_the_engine_from_the_server_and_a_hit_from_a_run(client):
    from plankg.publish.server_timing import parse

    text = SELECT + " # timed"
    run = client.post("/sparql", content=text.encode(), headers=JSON)
    timing = parse(run.headers["server-timing"])
    assert set(timing) == {"check", "worker", "engine", "write"}
    assert 0 < timing["engine"] <= timing["worker"] and timing["check"] > 0 and timing["write"] > 0
    assert run.headers["timing-allow-origin"] == "*"
    hit = client.post("/sparql", content=text.encode(), headers=JSON)
    assert hit.headers["x-plankg-cache"] == "hit" and hit.headers["server-timing"] == 'cache;desc="hit"'
    fresh = client.post("/sparql", content=text.encode(), headers={**JSON, "cache-control": "no-cache"})
    assert "engine" in parse(fresh.headers["server-timing"])


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
def test_a_named_query_tells_its_run_from_the_server_and_a_hit_from_a_run(client, fmt):
    from plankg.publish.server_timing import parse

    url = f"/query/goal-indicators?format={fmt}&goal={GOAL}&lang=zh"
    run = client.get(url, headers={"cache-control": "no-cache"})
    timing = parse(run.headers["server-timing"])
    assert set(timing) == ({"run", "engine", "write"} if fmt != "html" else {"run", "engine"})
    assert 0 < timing["engine"] <= timing["run"] and (fmt == "html" or timing["write"] > 0)
    assert run.headers["timing-allow-origin"] == "*"
    hit = client.get(url)
    assert hit.headers["x-plankg-cache"] == "hit" and hit.headers["server-timing"] == 'cache;desc="hit"'
    assert same_answer(run, hit)


def test_sparql_post_is_keyed_by_body_and_accept(client):
    first = client.post("/sparql", content=SELECT.encode(), headers=JSON)
    again = client.post("/sparql", content=SELECT.encode(), headers=JSON)
    assert again.headers["x-plankg-cache"] == "hit" and same_answer(first, again)
    other = client.post("/sparql", content=(SELECT + " LIMIT 1").encode(), headers=JSON)
    assert "x-plankg-cache" not in other.headers and len(other.json()["results"]["bindings"]) == 1
    xml = client.post("/sparql", content=SELECT.encode(), headers={**JSON, "accept": "application/sparql-results+xml"})
    assert "x-plankg-cache" not in xml.headers and xml.headers["content-type"].startswith("application/sparql-results+xml")
    form = client.post("/sparql", data={"query": SELECT}, headers={"accept": "application/sparql-results+json"})
    assert form.json() == first.json() and "x-plankg-cache" not in form.headers  # another body: another key


def test_gzip_and_identity_are_kept_apart(client):
    url = f"/doc/{GOAL}.html?lang=zh"
    z1 = client.get(url, headers={"accept-encoding": "gzip"})
    i1 = client.get(url, headers={"accept-encoding": "identity"})
    z2 = client.get(url, headers={"accept-encoding": "gzip"})
    i2 = client.get(url, headers={"accept-encoding": "identity"})
    assert z1.headers.get("content-encoding") == z2.headers.get("content-encoding") == "gzip"
    assert "content-encoding" not in i1.headers and "content-encoding" not in i2.headers
    assert z2.headers["x-plankg-cache"] == i2.headers["x-plankg-cache"] == "hit"
    assert z2.content == i2.content == i1.content  # httpx decodes gzip


def test_conditional_requests_get_304_first_time_and_from_the_cache(client):
    url = "/query/goal-supporters?goal=" + GOAL
    r = client.get(url)
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    hit = client.get(url, headers={"if-none-match": etag})
    assert hit.status_code == 304 and hit.content == b"" and hit.headers["etag"] == etag
    assert hit.headers["x-plankg-cache"] == "hit"
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    assert client.get(url, headers={"if-none-match": 'W/"0000"'}).status_code == 200
    fresh_url = "/query/goal-supporters?lang=en&goal=" + GOAL  # not cached yet, asked conditionally at once
    etag2 = client.get(fresh_url.replace("lang=en", "lang=zh")).headers["etag"]
    first = client.get(fresh_url, headers={"if-none-match": "*"})
    assert first.status_code == 304 and "x-plankg-cache" not in first.headers
    assert client.get(fresh_url).headers["x-plankg-cache"] == "hit"  # the 304 kept the whole answer
    assert etag2


def test_head_is_answered_from_the_get(client):
    url = f"/doc/{GOAL}.jsonld"
    get = client.get(url, headers={"accept-encoding": "identity"})
    head = client.head(url, headers={"accept-encoding": "identity"})
    assert head.status_code == 200 and head.content == b"" and head.headers["x-plankg-cache"] == "hit"
    for h in ("content-type", "content-length", "etag", "last-modified"):
        assert head.headers[h] == get.headers[h]


@pytest.mark.parametrize("request_kwargs", [
    {"headers": {"authorization": "Bearer x"}}, {"headers": {"cookie": "a=b"}}, {"headers": {"range": "bytes=0-10"}},
    {"headers": {"cache-control": "no-cache"}}, {"headers": {"pragma": "no-cache"}},
])
def test_what_is_never_served_from_the_cache(client, request_kwargs):
    url = "/query/plan-lineage"
    client.get(url)
    assert client.get(url).headers["x-plankg-cache"] == "hit"
    assert "x-plankg-cache" not in client.get(url, **request_kwargs).headers


def test_errors_health_and_big_answers_are_not_kept(corpus_store):
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(workers=1, response_cache_mib=1))) as c:
        for _ in range(2):
            bad = c.post("/sparql", content=b"SELECT * WHERE {", headers=JSON)
            assert bad.status_code == 400 and "x-plankg-cache" not in bad.headers
            missing = c.get("/doc/no-such-thing.html")
            assert missing.status_code == 404 and "x-plankg-cache" not in missing.headers
            health = c.get("/health")
            assert health.status_code == 200 and "x-plankg-cache" not in health.headers
            dump = c.get("/dumps/plankg.ttl", headers={"accept-encoding": "identity"})  # over an eighth of the cache
            assert dump.status_code == 200 and "x-plankg-cache" not in dump.headers
        cache = _cache(c.app)
        assert cache.max_entry == 128 * 1024 and len(dump.content) > cache.max_entry


def test_federated_sparql_is_not_cached_pages_are(corpus_store):
    config = PublishConfig(workers=1, service_allowlist=("query.wikidata.org",))
    with TestClient(create_app(corpus_store, Iris(), config)) as c:
        for _ in range(2):
            r = c.post("/sparql", content=ASK.encode(), headers=JSON)
        assert r.status_code == 200 and "x-plankg-cache" not in r.headers
        c.get(f"/doc/{GOAL}.html")
        assert c.get(f"/doc/{GOAL}.html").headers["x-plankg-cache"] == "hit"


def test_off_when_configured_so(corpus_store):
    with TestClient(create_app(corpus_store, Iris(), PublishConfig(workers=1, response_cache_mib=0))) as c:
        c.get(f"/doc/{GOAL}.html")
        assert "x-plankg-cache" not in c.get(f"/doc/{GOAL}.html").headers


def test_a_new_generation_is_a_new_key(fresh_store, tmp_path):
    store = open_store(fresh_store)
    text = tmp_path / "new.txt"
    text.write_text("缓存测试规划\n\n一、总体要求\n（一）指导思想\n", encoding="utf-8")
    url = "/query/heading-tree?format=json&doc=cache-test"
    with TestClient(create_app(store, Iris(), PublishConfig(workers=1))) as c:
        before = c.get(url)
        assert c.get(url).headers["x-plankg-cache"] == "hit" and before.json() == []
        ingest(store, text, Iris(), {"doc_id": "cache-test", "doc_type": "FiveYearPlan"})
        after = c.get(url)
        assert "x-plankg-cache" not in after.headers and len(after.json()) >= 2
        assert after.headers["etag"] != before.headers["etag"]
        assert c.get(url).headers["x-plankg-cache"] == "hit"
        assert len(_cache(c.app)) >= 1


def _cache(app) -> ResponseCache:
    layer = app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = getattr(layer, "app")
    return layer


# -- the table itself ------------------------------------------------------------------------------------------
def _tiny_app(sizes: dict[str, int], calls: list[str]):
    async def app(scope, receive, send):
        calls.append(scope["path"])
        body = b"x" * sizes[scope["path"]]
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode()), (b"etag", b'"e"')]})
        await send({"type": "http.response.body", "body": body})
    return app


def _get(cache, path):
    out = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        out.append(message)

    asyncio.run(cache({"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}, receive, send))
    return out


def test_least_recently_used_answers_leave_first_within_the_byte_budget():
    calls: list[str] = []
    cache = ResponseCache(_tiny_app({"/a": 400, "/b": 400, "/c": 400, "/big": 5000}, calls),
                          lambda: ("g1", 0.0), max_bytes=1500, max_entry=1000)
    for p in ("/a", "/b", "/a", "/c"):  # /b is the least recently used when /c arrives
        _get(cache, p)
    assert calls == ["/a", "/b", "/c"] and cache._bytes <= 1500
    _get(cache, "/b")
    assert calls[-1] == "/b"  # /b had left
    _get(cache, "/big"), _get(cache, "/big")
    assert calls.count("/big") == 2  # over max_entry: never kept
    assert (b"x-plankg-cache", b"hit") in _get(cache, "/c")[0]["headers"]


def test_a_new_generation_empties_the_table():
    calls: list[str] = []
    token = ["g1"]
    cache = ResponseCache(_tiny_app({"/a": 10}, calls), lambda: (token[0], 0.0))
    _get(cache, "/a"), _get(cache, "/a")
    token[0] = "g2"
    _get(cache, "/a")
    assert calls == ["/a", "/a"] and len(cache) == 1


def test_not_modified_rules():
    assert not_modified('W/"a", "b"', None, '"b"', 0) and not_modified('"a"', None, 'W/"a"', 0)
    assert not_modified("*", None, "", 0) and not not_modified('"x"', None, '"a"', 0)
    assert not_modified(None, "Thu, 01 Jan 1970 00:01:40 GMT", "", 100.0)
    assert not not_modified(None, "Thu, 01 Jan 1970 00:01:39 GMT", "", 100.0)
    assert not not_modified(None, "not a date", "", 0) and not not_modified(None, None, '"a"', 0)


def test_the_setting_is_checked():
    with pytest.raises(ConfigError, match="response_cache_mib"):
        PublishConfig(response_cache_mib=-1)
    assert config_from_env({"PLANKG_RESPONSE_CACHE_MIB": "0"}).response_cache_mib == 0
    with pytest.raises(UsageError, match="PLANKG_RESPONSE_CACHE_MIB"):
        config_from_env({"PLANKG_RESPONSE_CACHE_MIB": "-3"})
