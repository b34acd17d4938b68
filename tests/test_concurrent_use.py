"""Readers and writers on one store at once: a server reads one generation from start to end (its own process
and every query worker, respawned ones too), and no write removes a generation a reader has open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from plankg.graph_store.oxigraph_store import OxigraphStore
from servers import PlankgServer

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
RUN_SECONDS = 12


def text_with(sections: int) -> str:
    """An invented plan whose size changes from one write to the next."""
    numerals = "一二三四五六七八九十"
    body = ["城州市知识产权示范规划", "", "一、总体要求", ""]
    for i in range(sections):
        body += [f"（{numerals[i]}）示范任务{i + 1}", "", "推进示范建设。", ""]
    return "\n".join(body)


def count(client: httpx.Client, url: str) -> int:
    r = client.post(url + "/sparql", data={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, (r.status_code, r.text)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def workers_of(srv: PlankgServer) -> list[int]:
    return [p for p in srv.track() if p and Path(f"/proc/{p}/cmdline").exists()
            and b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


def test_readers_and_writers_at_once(fresh_store, tmp_path):
    failures: list[str] = []
    writes: list[int] = []
    stop = threading.Event()
    with PlankgServer(fresh_store, tmp_path / "srv", env={"PLANKG_WORKERS": 1}) as srv:
        with httpx.Client(timeout=30) as c:
            first = count(c, srv.url)
            page = c.get(srv.url + "/doc/plan-2021-2025.ttl").content
        pinned = os.readlink(fresh_store / "CURRENT")

        def writer():
            n = 1
            while not stop.is_set():
                f = tmp_path / f"plan-{n}.txt"
                f.write_text(text_with(1 + n % 9), encoding="utf-8")
                done = subprocess.run([sys.executable, "-m", "plankg.cli", "ingest", str(f), "--id", "concurrent-plan",
                                       "--store", str(fresh_store)], capture_output=True, text=True, timeout=120)
                if done.returncode != 0:
                    failures.append(f"write {n}: {done.stderr.strip()}")
                writes.append(n)
                n += 1

        def sparql_reader():
            """Asks, kills the worker, asks again (the respawned worker must open the same generation)."""
            with httpx.Client(timeout=60) as c:
                while not stop.is_set():
                    try:
                        got = count(c, srv.url)
                    except AssertionError as exc:
                        failures.append(f"sparql: {exc}")
                        continue
                    if got != first:
                        failures.append(f"sparql answered {got}, the server's generation holds {first}")
                    for pid in workers_of(srv):
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                    time.sleep(0.3)  # the pool sees the dead worker on the next query and replaces it

        def page_reader():
            with httpx.Client(timeout=30) as c:
                while not stop.is_set():
                    r = c.get(srv.url + "/doc/plan-2021-2025.ttl")
                    if r.status_code != 200 or r.content != page:
                        failures.append(f"page: {r.status_code}")
                    time.sleep(0.05)

        threads = [threading.Thread(target=writer), threading.Thread(target=sparql_reader),
                   threading.Thread(target=page_reader), threading.Thread(target=page_reader)]
        for t in threads:
            t.start()
        time.sleep(RUN_SECONDS)
        stop.set()
        for t in threads:
            t.join(120)
        assert (fresh_store / pinned).is_dir()  # still read by the server: not swept
        with httpx.Client(timeout=30) as c:
            assert count(c, srv.url) == first
    # no 503 either: workers are killed while idle, and a dead idle worker is replaced before it is given a query
    assert not failures, failures[:5]
    assert len(writes) >= 3
    # the server is gone: the next write removes what it held, and the new data is there
    current = os.readlink(fresh_store / "CURRENT")
    assert current != pinned
    store = OxigraphStore(fresh_store, read_only=True)
    assert len(store.graph_names()) > 0 and "https://w3id.org/plankg/graph/concurrent-plan" in store.graph_names()
    store.close()
    subprocess.run([sys.executable, "-m", "plankg.cli", "ingest", str(tmp_path / "plan-1.txt"), "--id", "concurrent-plan",
                    "--store", str(fresh_store)], check=True, capture_output=True, timeout=120)
    gens = sorted(p.name for p in fresh_store.glob("gen-*"))
    assert gens == [os.readlink(fresh_store / "CURRENT")], gens
