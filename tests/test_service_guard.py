"""The SERVICE guard, both halves, against a loopback listener that must see nothing.

1. the reading (:mod:`plankg.publish.sparqlscan`): SPARQL terminals, so no escape in a prefixed name and no
   string form hides a SERVICE call, and linear time;
2. the sandbox (:mod:`plankg.publish.nonet`): the query worker has no network, so a call the reading missed
   fails in the engine and never connects.

Each case goes to a real ``plankg serve`` (uvicorn, query workers) and to ``plankg sparql``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from plankg.publish.nonet import forbid_network
from plankg.publish.sparqlscan import Limits, Unterminated, refused_services, scan, tokens
from plankg.publish.worker import QueryPool, ServiceRefused
from servers import PlankgServer

# every PN_LOCAL_ESC of SPARQL 1.1 (§19.8), a percent escape, and codepoint escapes of a local name
LOCAL_ESCAPES = [f"\\{c}" for c in "_~.-!$&'()*+,;=/?#@%"] + ["%41", "%2f"]
# string forms that hold what a naive reader takes for the end of a string or a comment
STRINGS = ["'a\\'b#'", '"a\\"b#"', "'''a'b''c#'''", '"""a"b""c#"""', "'\\\\'", '"#"', "'''\n#\n'''"]


class Listener:
    """A socket on 127.0.0.1 that records every connection; answers with ``banner`` when given one."""

    def __init__(self, banner: bytes | None = None):
        self.banner = banner
        self.hits: list[bytes] = []
        self.srv = socket.socket()
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(16)
        self.srv.settimeout(0.2)
        self.port = self.srv.getsockname()[1]
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._accept, daemon=True)
        self._t.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.srv.accept()
            except OSError:
                continue
            conn.settimeout(2)
            try:
                self.hits.append(conn.recv(4096))
                if self.banner:
                    conn.sendall(self.banner)
            except OSError:
                pass
            conn.close()

    def close(self):
        self._stop.set()
        self._t.join(2)
        self.srv.close()


@pytest.fixture
def loopback():
    lst = Listener()
    yield lst
    lst.close()


def hostile_queries(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/internal/sparql"
    out = []
    for esc in LOCAL_ESCAPES:
        out.append(f"PREFIX ex: <urn:x:> SELECT * WHERE {{ BIND(ex:a{esc}b AS ?z) SERVICE <{target}> {{ ?s ?p ?o }} }}")
        # the escape in the SERVICE target's own name
        out.append(f"PREFIX in: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE in:x{esc}y {{ ?s ?p ?o }} }}")
    for s in STRINGS:
        out.append(f"SELECT * WHERE {{ BIND({s} AS ?z) SERVICE <{target}> {{ ?s ?p ?o }} }}")
    out += [
        f"SELECT * WHERE {{ SERV\\u0049CE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE#c\n<{target}>{{?s ?p ?o}} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <internal> {{ ?s ?p ?o }} }}",
        f"PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE :x {{ ?s ?p ?o }} }}",
    ]
    return out


# -- the reading ----------------------------------------------------------------------------------------
def test_every_escape_and_string_form_is_read_as_sparql(loopback):
    for q in hostile_queries(loopback.port):
        s = scan(q)
        assert len(s.services) + len(s.bad_services) == 1, q
        assert refused_services(s, ()), q
        assert f"127.0.0.1:{loopback.port}" in (s.services or s.bad_services)[0], q


def test_escaped_local_names_are_one_token():
    for esc in LOCAL_ESCAPES:
        toks = list(tokens(f"ex:a{esc}b ?x"))
        assert toks == [("pname", f"ex:a{esc}b"), ("var", "?x")], esc


def test_a_trailing_dot_is_not_part_of_a_name():
    assert list(tokens("ex:a.b. ?x")) == [("pname", "ex:a.b"), ("other", "."), ("var", "?x")]
    assert list(tokens("ex:a\\.")) == [("pname", "ex:a\\.")]


def test_an_unterminated_string_is_a_syntax_error():
    with pytest.raises(Unterminated, match="line 2"):
        list(tokens("SELECT *\n WHERE { BIND('abc AS ?x) }"))


@pytest.mark.parametrize("text", [
    "ASK {} " + "a." * 32_700,                        # the freeze of the report: quadratic before
    "ASK { FILTER(ex:" + "a." * 30_000 + ") }",
    "ASK { " + "a" * 64_000 + " }",
    "ASK { " + "中." * 30_000 + " }",
])
def test_reading_is_linear(text):
    started = time.perf_counter()
    scan(text)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("text, limit", [
    ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, "nested more than 128"),
    ("SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 9000) + " }", "UNION"),
    ("SELECT * WHERE { FILTER(" + " && ".join(["true"] * 20_000) + ") }", "&&"),
    ("SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(3000)) + " }", "BIND"),
    ("SELECT * WHERE { " + " ".join(f"?s <urn:p> ?o{i} ." for i in range(8000)) + " }", "tokens"),
])
def test_engine_limits_are_named(text, limit):
    s = scan(text)
    assert s.limit_exceeded and limit in s.limit_exceeded
    assert scan("SELECT * WHERE { ?s ?p ?o }", Limits()).limit_exceeded is None


# -- the sandbox ------------------------------------------------------------------------------------------
def test_sandbox_takes_the_network_away(loopback):
    code = (f"import socket, pyoxigraph\nfrom plankg.publish.nonet import forbid_network\n"
            f"assert forbid_network()\n"
            f"try:\n    list(pyoxigraph.Store().query('SELECT * {{ SERVICE <http://127.0.0.1:{loopback.port}/> {{ ?s ?p ?o }} }}'))\n"
            f"except PermissionError:\n    print('refused')\n"
            f"a, b = socket.socketpair(); a.send(b'x'); assert b.recv(1) == b'x'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "refused"
    time.sleep(0.3)
    assert loopback.hits == []


def test_a_worker_refuses_a_service_call_the_reading_never_saw(corpus_store, loopback):
    """The pool is asked directly, past the endpoint's reading: the worker itself must not connect."""
    q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{loopback.port}/sparql> {{ ?s ?p ?o }} }}"
    pool = QueryPool(corpus_store, size=1)
    try:
        with pytest.raises(ServiceRefused):
            pool.run(q, timeout=30, max_rows=10)
        assert pool.run("ASK { ?s ?p ?o }", timeout=30, max_rows=10).boolean is True  # still serving
    finally:
        pool.close()
    time.sleep(0.3)
    assert loopback.hits == []


def test_with_hosts_allowed_the_worker_does_connect(corpus_store, loopback):
    """The other side of the test above: the same call with network does reach the listener."""
    q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{loopback.port}/sparql> {{ ?s ?p ?o }} }}"
    pool = QueryPool(corpus_store, size=1, allow_network=True)
    try:
        with pytest.raises(Exception):
            pool.run(q, timeout=30, max_rows=10)
    finally:
        pool.close()
    deadline = time.monotonic() + 3
    while not loopback.hits and time.monotonic() < deadline:
        time.sleep(0.05)
    assert loopback.hits


# -- a real server ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(corpus_store, tmp_path_factory):
    with PlankgServer(corpus_store.root, tmp_path_factory.mktemp("guard"), env={"PLANKG_WORKERS": 2}) as srv:
        yield srv


def test_endpoint_refuses_every_hostile_form(server, loopback):
    with httpx.Client(timeout=30) as c:
        for q in hostile_queries(loopback.port):
            r = c.post(server.url + "/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 403, (q, r.status_code, r.text)
            assert "SERVICE" in r.text
    time.sleep(0.3)
    assert loopback.hits == []


def test_health_answers_while_hostile_queries_run(server):
    big = "ASK {} " + "a." * 32_700
    errors: list = []

    def hostile():
        try:
            with httpx.Client(timeout=60) as c:
                for _ in range(3):
                    c.post(server.url + "/sparql", data={"query": big})
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=hostile) for _ in range(3)]
    for t in threads:
        t.start()
    worst = 0.0
    with httpx.Client(timeout=10) as c:
        while any(t.is_alive() for t in threads):
            started = time.perf_counter()
            assert c.get(server.url + "/health").status_code == 200
            worst = max(worst, time.perf_counter() - started)
            time.sleep(0.02)
    for t in threads:
        t.join()
    assert not errors
    assert worst < 1.0


@pytest.mark.parametrize("text, word", [  # each under the 64 KiB request limit, so the reading answers
    ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, "nested"),
    ("SELECT * WHERE { " + "UNION".join(["{}"] * 5000) + " }", "UNION"),
    ("SELECT * WHERE { FILTER(" + "&&".join(["1"] * 20_000) + ") }", "&&"),
    ("SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(3000)) + " }", "BIND"),
])
def test_endpoint_names_the_limit(server, text, word):
    r = httpx.post(server.url + "/sparql", content=text.encode(), timeout=30,
                   headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and word in r.text and "limit" in r.text, r.text


def test_a_worker_killed_mid_query_is_a_503(server):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result: dict = {}

    def ask():
        result["r"] = httpx.post(server.url + "/sparql", data={"query": slow}, timeout=60)

    t = threading.Thread(target=ask)
    t.start()
    time.sleep(1.5)
    before = server.track()
    import os
    import signal

    workers = [pid for pid in before if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert workers
    for pid in workers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    t.join(60)
    r = result["r"]
    assert r.status_code == 503, r.text
    assert "worker" in r.text and "Traceback" not in r.text
    assert httpx.get(server.url + "/health", timeout=10).status_code == 200


@pytest.fixture
def banner_listener():
    lst = Listener(banner=b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsecret-banner-of-an-internal-service")
    yield lst
    lst.close()


def test_an_error_never_echoes_the_remote_answer(corpus_store, tmp_path, banner_listener):
    env = {"PLANKG_WORKERS": 1, "PLANKG_SERVICE_HOSTS": f"127.0.0.1:{banner_listener.port}"}
    with PlankgServer(corpus_store.root, tmp_path, env=env) as srv:
        q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{banner_listener.port}/x> {{ ?s ?p ?o }} }}"
        r = httpx.post(srv.url + "/sparql", data={"query": q}, timeout=30)
    assert banner_listener.hits  # allowed, so it was called
    assert r.status_code >= 400
    assert "secret-banner" not in r.text


# -- the CLI ----------------------------------------------------------------------------------------------
def test_cli_refuses_service_by_default(corpus_store, cli, loopback):
    for q in hostile_queries(loopback.port)[:6]:
        r = cli("sparql", q, "--store", corpus_store.root)
        assert r.exit_code == 2, r.output
        assert "SERVICE" in r.output and len(r.output.strip().splitlines()) == 1
    time.sleep(0.3)
    assert loopback.hits == []


def test_cli_service_host_allows_one(corpus_store, cli, loopback):
    q = f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{loopback.port}/sparql> {{ ?s ?p ?o }} }}"
    r = cli("sparql", q, "--store", corpus_store.root, "--service-host", f"127.0.0.1:{loopback.port}")
    assert r.exit_code == 0, r.output
    deadline = time.monotonic() + 3
    while not loopback.hits and time.monotonic() < deadline:
        time.sleep(0.05)
    assert loopback.hits


@pytest.mark.parametrize("text", [
    "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 9000) + " }",
])
def test_cli_limits_are_one_line_exit_2(corpus_store, cli, text):
    r = cli("sparql", "-", "--store", corpus_store.root, input=text)
    assert r.exit_code == 2
    assert "limit" in r.output and len(r.output.strip().splitlines()) == 1
