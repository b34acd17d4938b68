"""Benchmark of plankg's SPARQL endpoint (uvicorn) against `oxigraph serve-read-only`, same data.

For each named query, its text is sent to /sparql with the parameters bound the only way plain SPARQL
allows — a VALUES block at the top of the WHERE clause, or, where that changes the answer, the terms
inlined — using each parameter's default or a sample value (for this benchmark only: the app itself
binds parameters as terms).  Both servers must return the same number of rows as `run_named`.

Prints, per query and overall: requests per second and p50/p95 latency (sequential requests over one
keep-alive connection, after warm-up), and the ratio plankg / oxigraph of requests per second.

Both servers run on 127.0.0.1 on free ports, are loaded from the same N-Quads dump of a fresh
`plankg build`, query with union-default-graph semantics, and are stopped at the end.  Each query
gets at most --requests requests and --seconds seconds.

Run: python benchmarks/serve_bench.py [--requests 60] [--seconds 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the servers the tests start, reused here
from servers import OxigraphServer, PlankgServer, ServerUnavailable  # noqa: E402
from plankg.graph_store import open_store
from plankg.queries.catalogue import bind, catalogue
from plankg.queries.run import run_named
from plankg.graph_store.sparql_text import bind_values

from plankg.iris import Iris
from plankg.pipeline import build

SAMPLES = {"goal": "plan-2021-2025/p2/s3", "doc": "plan-2021-2025", "node": "plan-2021-2025/p2/s3",
           "indicator": "indicator/high-value-invention-patents-per-10k", "text": "专利"}


def count_rows(client: httpx.Client, url: str, sparql: str) -> int:
    r = client.post(url, content=sparql.encode(), headers={"content-type": "application/sparql-query",
                                                           "accept": "application/sparql-results+json"})
    r.raise_for_status()
    return len(r.json()["results"]["bindings"])


def measure(client: httpx.Client, url: str, sparql: str, requests: int, seconds: float) -> dict:
    headers = {"content-type": "application/sparql-query", "accept": "application/sparql-results+json"}
    body = sparql.encode()
    for _ in range(3):
        client.post(url, content=body, headers=headers).raise_for_status()
    lat = []
    started = time.perf_counter()
    while len(lat) < requests and time.perf_counter() - started < seconds:
        t = time.perf_counter()
        r = client.post(url, content=body, headers=headers)
        r.raise_for_status()
        lat.append(time.perf_counter() - t)
    total = time.perf_counter() - started
    lat.sort()
    return {"n": len(lat), "seconds": total, "rps": len(lat) / total,
            "p50": statistics.median(lat) * 1000, "p95": lat[min(len(lat) - 1, math.ceil(0.95 * len(lat)) - 1)] * 1000}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=2, help="plankg's query worker processes")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store_dir = tmp / "store"
        build(open_store(store_dir))
        store = open_store(store_dir, read_only=True)
        dump = tmp / "dump.nq"
        dump.write_bytes(store.export("nquads"))
        env = {"PLANKG_WORKERS": args.workers, "PLANKG_MAX_ROWS": 1_000_000, "PLANKG_TIMEOUT": 60}
        oxigraph = OxigraphServer(tmp / "oxigraph", read_only=True)
        try:
            oxigraph.load(dump)
            with PlankgServer(store_dir, tmp / "plankg", env=env) as plankg, oxigraph:
                run(args, store, f"{plankg.url}/sparql", f"{oxigraph.url}/query")
        except ServerUnavailable as exc:
            sys.exit(str(exc))


def run(args, store, pk_url: str, ox_url: str) -> None:
    print(f"{store.count()} quads; plankg: uvicorn, {args.workers} worker process(es); oxigraph "
          f"serve-read-only --union-default-graph; ≤{args.requests} requests or {args.seconds:g} s per query\n")
    print(f"{'query':24} {'rows':>5} {'bind':7} | {'plankg rps':>10} {'p50 ms':>7} {'p95 ms':>7} | "
          f"{'oxigraph rps':>12} {'p50 ms':>7} {'p95 ms':>7} | {'ratio':>6}")
    ratios, totals = [], {"pk": [0, 0.0], "ox": [0, 0.0]}
    with httpx.Client(timeout=120) as pk, httpx.Client(timeout=120) as ox:
        for name, q in catalogue().items():
            given = {p.name: SAMPLES[p.name] for p in q.params if p.required}
            expected = len(run_named(store, name, given, Iris())[1])
            bound = bind(q, given, Iris())
            for how in ("values", "inline"):
                text = bind_values(q.sparql, bound, substitute=how == "inline")
                if count_rows(pk, pk_url, text) == expected == count_rows(ox, ox_url, text):
                    break
            else:
                print(f"{name:24} skipped: neither VALUES nor inlining gives run_named's {expected} rows")
                continue
            a = measure(pk, pk_url, text, args.requests, args.seconds)
            b = measure(ox, ox_url, text, args.requests, args.seconds)
            ratio = a["rps"] / b["rps"]
            ratios.append(ratio)
            for key, m in (("pk", a), ("ox", b)):
                totals[key][0] += m["n"]
                totals[key][1] += m["seconds"]
            print(f"{name:24} {expected:>5} {how:7} | {a['rps']:>10.1f} {a['p50']:>7.2f} {a['p95']:>7.2f} | "
                  f"{b['rps']:>12.1f} {b['p50']:>7.2f} {b['p95']:>7.2f} | {ratio:>6.3f}")
    pk_rps = totals["pk"][0] / totals["pk"][1]
    ox_rps = totals["ox"][0] / totals["ox"][1]
    geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"\noverall: plankg {pk_rps:.1f} req/s, oxigraph {ox_rps:.1f} req/s over all requests "
          f"(ratio {pk_rps / ox_rps:.3f}); geometric mean of per-query ratios {geo:.3f}")


if __name__ == "__main__":
    main()
