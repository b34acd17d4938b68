"""The OpenAPI description at /openapi.json: valid OpenAPI 3.0, complete (every route, every named query and
its parameters), and true — schemathesis sends generated requests (valid and invalid) to every operation of
the in-process app and checks that no answer is a 5xx other than the documented 503, and that each status,
content type, header and JSON body is the one documented."""

from __future__ import annotations

import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.routing import Mount, Route

from plankg.iris import Iris
from plankg.publish import PublishConfig, create_app
from plankg.publish.openapi import openapi
from plankg.queries.catalogue import catalogue


@pytest.fixture(scope="module")
def app(corpus_store):
    app = create_app(corpus_store, Iris(), PublishConfig(workers=1, timeout=2.0, max_rows=20))
    yield app
    from schemathesis.python import asgi

    asgi.shutdown_lifespans()  # schemathesis keeps the app's lifespan running until here: this stops the workers
    pool = app.state.plankg.pool
    pool.close()
    assert pool.pids() == []


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_the_description_is_valid_openapi(api_schema):
    api_schema.validate()  # against the OpenAPI 3.0 meta-schema; raises on the first error
    raw = api_schema.raw_schema
    assert raw == openapi("/")
    assert raw["openapi"].startswith("3.0")


def test_every_route_and_named_query_is_described(app):
    doc = openapi("/")
    paths = set(doc["paths"])
    for route in app.routes:
        if isinstance(route, Mount):
            continue  # /static: the site's own CSS and scripts
        assert isinstance(route, Route)
        described = route.path.replace("{rest:path}", "{path}")
        assert described in paths, described
    for name, q in catalogue().items():
        op = doc["paths"][f"/query/{name}"]["get"]
        params = {p["name"]: p for p in op["parameters"]}
        for p in q.params:
            assert params[p.name]["required"] == p.required, (name, p.name)
            assert params[p.name]["schema"].get("default") in (None, p.default), (name, p.name)
        assert {"format", "lang"} <= set(params)
    sparql = doc["paths"]["/sparql"]
    assert {p["name"] for p in sparql["get"]["parameters"]} >= {"query", "default-graph-uri", "named-graph-uri"}
    assert set(sparql["post"]["requestBody"]["content"]) == {"application/x-www-form-urlencoded", "application/sparql-query"}
    codes = {c for path in doc["paths"].values() for op in path.values() for c in op["responses"]}
    assert codes == {"200", "206", "303", "400", "403", "404", "406", "413", "414", "415", "416", "503"}


def test_the_description_is_served_with_the_mount_prefix(app):
    with warnings.catch_warnings():  # starlette 1.x asks for httpx2; httpx works
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from starlette.testclient import TestClient

    with TestClient(app, root_path="/kg") as c:
        r = c.get("/openapi.json")
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.json()["servers"] == [{"url": "/kg"}]


def no_server_error_but_503(ctx, response, case):
    """5xx only as the documented 503 (query timeout or overload), which must say why."""
    status = response.status_code
    assert status < 500 or status == 503, f"{case.method} {case.formatted_path}: {status} {response.text[:300]}"
    if status == 503:
        assert "x-plankg-timeout" in response.headers or "retry-after" in response.headers


@schemathesis.serializer("application/sparql-query")
def sparql_query_body(ctx, value) -> bytes:
    """A direct POST: the query text as the UTF-8 body."""
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


CHECKS = [no_server_error_but_503, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]

# The description is built from the code, so it is known at collection time; test_the_description_is_valid_openapi
# checks that the app serves exactly this.  (schemathesis.pytest.from_fixture needs pytest < 9.2.)
schema = schemathesis.openapi.from_dict(openapi("/"))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_answers_as_described(case, app):
    case.call_and_validate(app=app, checks=CHECKS, allow_redirects=False)
