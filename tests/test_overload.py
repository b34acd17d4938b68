"""Overload of a real server: more slow SPARQL queries at once than its workers and queue can hold.

uvicorn runs the app on 127.0.0.1 (free port) with 2 workers, a queue of 2 and a 0.5 s queue wait.  A burst
of concurrent cross-product queries (each would run until the 3 s timeout) must be answered fast with 503
and Retry-After, never with another 5xx or a dropped connection; /health must answer during and after it,
and a normal query must work afterwards with the pool back at its size.  The fixture stops the server and
checks that no process outlives it."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from servers import PlankgServer, alive, descendants

WORKERS, QUEUE, QUEUE_WAIT, TIMEOUT = 2, 2, 0.5, 3.0
BURST = 24
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # a cross product: runs to the timeout
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = {"content-type": "application/sparql-query", "accept": "application/sparql-results+json"}


@dataclass
class Answer:
    status: int | str  # the HTTP status, or the name of a connection error
    seconds: float
    headers: dict
    text: str


def worker_pids(server_pid: int) -> list[int]:
    """The query workers under the server (spawned children; not multiprocessing's resource tracker)."""
    out = []
    for pid in descendants(server_pid):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes() and alive(pid):
                out.append(pid)
        except OSError:
            continue
    return out


@pytest.fixture
def server(corpus_store):
    env = {"PLANKG_WORKERS": WORKERS, "PLANKG_MAX_QUEUE": QUEUE, "PLANKG_QUEUE_WAIT": QUEUE_WAIT, "PLANKG_TIMEOUT": TIMEOUT}
    with PlankgServer(corpus_store.root, env=env) as srv:
        yield srv
    assert not srv.left, f"processes outlived the server: {srv.left}"


def ask(client: httpx.Client, base: str, query: str) -> Answer:
    started = time.perf_counter()
    try:
        r = client.post(base + "/sparql", content=query.encode(), headers=JSON)
    except httpx.HTTPError as exc:
        return Answer(type(exc).__name__, time.perf_counter() - started, {}, str(exc))
    return Answer(r.status_code, time.perf_counter() - started, dict(r.headers), r.text)


def burst(server: PlankgServer, n: int) -> tuple[list[Answer], list[float]]:
    """``n`` slow queries released together from threads; meanwhile /health is timed every 0.2 s."""
    base = server.url
    answers: list[Answer] = []
    gate = threading.Barrier(n)
    limits = httpx.Limits(max_connections=n + 4, max_keepalive_connections=n + 4)
    with httpx.Client(timeout=30, limits=limits) as client:
        def one() -> None:
            gate.wait(10)
            answers.append(ask(client, base, SLOW))

        threads = [threading.Thread(target=one, daemon=True) for _ in range(n)]
        for t in threads:
            t.start()
        health = []
        while any(t.is_alive() for t in threads) and len(health) < 100:
            server.track()  # killed and respawned workers too, for the teardown check
            started = time.perf_counter()
            assert client.get(base + "/health").status_code == 200
            health.append(time.perf_counter() - started)
            time.sleep(0.2)
        for t in threads:
            t.join(30)
    return answers, health


def test_overload_is_refused_fast_and_the_server_recovers(server, corpus_store):
    base, proc = server.url, server.proc
    with httpx.Client(timeout=30) as client:  # the workers are started by the first query
        assert ask(client, base, COUNT).status == 200
    started = time.perf_counter()
    answers, health = burst(server, BURST)
    took = time.perf_counter() - started

    assert len(answers) == BURST
    errors = [a for a in answers if not isinstance(a.status, int)]
    assert not errors, f"connection errors under load: {[(a.status, a.text) for a in errors]}"
    other = [(a.status, a.text) for a in answers if a.status >= 500 and a.status != 503]
    assert not other, f"5xx other than 503: {other}"
    refused = [a for a in answers if a.status in (429, 503)]
    assert all(a.headers.get("retry-after") == "1" for a in refused), [a.headers for a in refused]

    at_once = [a for a in refused if "queries are waiting" in a.text]
    assert len(at_once) >= BURST // 2, [(a.status, round(a.seconds, 2), a.text) for a in answers]
    assert max(a.seconds for a in at_once) < 1.5, sorted(round(a.seconds, 2) for a in at_once)
    waited = [a for a in refused if "became free within" in a.text]
    assert waited and max(a.seconds for a in waited) < QUEUE_WAIT + 1.5, [round(a.seconds, 2) for a in waited]
    timed_out = [a for a in refused if "x-plankg-timeout" in a.headers]
    assert 1 <= len(timed_out) <= BURST - len(at_once)
    assert took < TIMEOUT + 10, f"the burst took {took:.1f} s"
    assert health and max(health) < 1.0, f"/health during the burst took up to {max(health):.2f} s"

    with httpx.Client(timeout=30) as client:
        assert client.get(base + "/health").json()["status"] == "ok"
        after = ask(client, base, COUNT)
        assert after.status == 200, after.text
        distinct = len({q.triple for q in corpus_store.quads()})  # the default graph is the merge
        assert json.loads(after.text)["results"]["bindings"][0]["n"]["value"] == str(distinct)
    assert len(worker_pids(proc.pid)) == WORKERS  # killed workers replaced, none leaked
