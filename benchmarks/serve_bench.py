"""Benchmark of plankg's SPARQL endpoint (uvicorn) against `oxigraph serve-read-only`, same data.

For each named query, its text is sent to /sparql with the parameters bound the only way plain SPARQL
allows — a VALUES block at the top of the WHERE clause, or, where that changes the answer, the terms
inlined — using each parameter's default or a sample value (for this benchmark only: the app itself
binds parameters as terms).  Both servers must return the same number of rows as `run_named`.

Prints, per query and overall: requests per second and p50/p95 latency (sequential requests over one
keep-alive connection, after warm-up; the two servers' requests interleaved, one each in turn, so that both
see the same load on the machine), and the ratio plankg / oxigraph of requests per second:

* cold — each request's text is new (a numbered comment at its end), so plankg's response cache cannot
  answer it: the query runs every time, on both servers.  Goal: geometric mean of the ratios >= 0.9.
  SPARQL requests ask for ``Accept-Encoding: identity``, as SPARQLWrapper and rdflib's SPARQLStore do (Python's
  http.client): oxigraph compresses nothing, plankg would gzip for a client that asks.  Then, from plankg's
  Server-Timing header, where its cold time goes: reading the query, the worker round trip, the engine,
  writing the results, and what lies outside the engine altogether.
* repeated — the same request again and again, answered by plankg's response cache (keyed by the store
  generation; publish/response_cache.py) against oxigraph running the query each time: /sparql with the same
  text, the named query at /query/NAME?format=json, and a resource page /doc/X.html against oxigraph answering
  the reads the page is built from (DESCRIBE of the IRI, then its structure and its indicator values:
  publish/page_queries/, bound to the IRI), what a site rendering pages from oxigraph would ask; and the page
  revalidated (If-None-Match: its ETag, 304) against the same.  Goal: >= 2 x oxigraph.

Both servers run on 127.0.0.1 on free ports, are loaded from the same N-Quads dump of a fresh
`plankg build`, query with union-default-graph semantics, and are stopped at the end.  Each query
gets at most --requests requests and --seconds seconds.

Run: python benchmarks/serve_bench.py [--requests 60] [--seconds 5] [--workers 2] [--queries a,b] [--cold-only]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the servers the tests start, reused here
from servers import OxigraphServer, PlankgServer, ServerUnavailable  # noqa: E402
from plankg.graph_store import open_store
from plankg.queries.catalogue import bind, catalogue
from plankg.queries.run import run_named
from plankg.graph_store.sparql_text import bind_values
from plankg.publish.pages import page_query
from plankg.publish.server_timing import parse as server_timing
from pyoxigraph import NamedNode

from plankg.iris import Iris
from plankg.pipeline import build

SPARQL_HEADERS = {"content-type": "application/sparql-query", "accept": "application/sparql-results+json",
                  "accept-encoding": "identity"}
#: resource pages asked for again and again: a goal, a document, an indicator
PAGES = ("plan-2021-2025/p2/s3", "plan-2021-2025", "indicator/high-value-invention-patents-per-10k")
SAMPLES = {"goal": "plan-2021-2025/p2/s3", "doc": "plan-2021-2025", "node": "plan-2021-2025/p2/s3",
           "indicator": "indicator/high-value-invention-patents-per-10k", "text": "专利"}


def interleaved(pk: httpx.Client, ox: httpx.Client, pk_req, ox_req, requests: int, seconds: float) -> tuple[dict, dict]:
    """``pk_req(i)`` / ``ox_req(i)`` give request i as (method, url, headers, body); one of each in turn."""
    for i in range(3):
        for client, req in ((pk, pk_req), (ox, ox_req)):
            _send(client, req(-1 - i))
    lat: dict[str, list[float]] = {"pk": [], "ox": []}
    stages: dict[str, list[float]] = {}
    started = time.perf_counter()
    i = 0
    while i < requests and time.perf_counter() - started < seconds:
        for key, client, req in (("pk", pk, pk_req), ("ox", ox, ox_req)):
            t = time.perf_counter()
            r = _send(client, req(i))
            lat[key].append(time.perf_counter() - t)
            if key == "pk":
                for name, ms in server_timing(r.headers.get("server-timing")).items():
                    stages.setdefault(name, []).append(ms)
        i += 1
    a = _figures(lat["pk"])
    a["stages"] = {name: statistics.median(v) for name, v in stages.items()}
    return a, _figures(lat["ox"])


def _send(client: httpx.Client, req) -> httpx.Response:
    """One request, or a list of them made one after the other (what one page needs); the last response."""
    for method, url, headers, body in (req if isinstance(req, list) else [req]):
        r = client.request(method, url, headers=headers, content=body)
        if r.status_code not in (200, 304):
            raise SystemExit(f"{method} {url}: {r.status_code} {r.text[:200]}")
    return r


def _figures(lat: list[float]) -> dict:
    total = sum(lat)
    lat = sorted(lat)
    return {"n": len(lat), "seconds": total, "rps": len(lat) / total, "p50": statistics.median(lat) * 1000,
            "p95": lat[min(len(lat) - 1, math.ceil(0.95 * len(lat)) - 1)] * 1000}


def count_rows(client: httpx.Client, url: str, sparql: str) -> int:
    r = client.post(url, content=sparql.encode(), headers={"content-type": "application/sparql-query",
                                                           "accept": "application/sparql-results+json"})
    r.raise_for_status()
    return len(r.json()["results"]["bindings"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=2, help="plankg's query worker processes")
    ap.add_argument("--queries", default="", help="comma-separated named queries to run (default: all)")
    ap.add_argument("--cold-only", action="store_true", help="skip the repeated requests")
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
    ratios, totals, texts, stages = [], {"pk": [0, 0.0], "ox": [0, 0.0]}, {}, {}
    with httpx.Client(timeout=120) as pk, httpx.Client(timeout=120) as ox:
        wanted = {n.strip() for n in args.queries.split(",") if n.strip()}
        for name, q in catalogue().items():
            if wanted and name not in wanted:
                continue
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
            post = lambda url, t: ("POST", url, SPARQL_HEADERS, t.encode())
            a, b = interleaved(pk, ox, lambda i: post(pk_url, f"{text}\n# cold {i}"),
                               lambda i: post(ox_url, f"{text}\n# cold {i}"), args.requests, args.seconds)
            ratio = a["rps"] / b["rps"]
            ratios.append(ratio)
            for key, m in (("pk", a), ("ox", b)):
                totals[key][0] += m["n"]
                totals[key][1] += m["seconds"]
            print(f"{name:24} {expected:>5} {how:7} | {a['rps']:>10.1f} {a['p50']:>7.2f} {a['p95']:>7.2f} | "
                  f"{b['rps']:>12.1f} {b['p50']:>7.2f} {b['p95']:>7.2f} | {ratio:>6.3f}")
            texts[name] = (text, given)
            stages[name] = (a["p50"], a["stages"])
    print_stages(stages)
    pk_rps = totals["pk"][0] / totals["pk"][1]
    ox_rps = totals["ox"][0] / totals["ox"][1]
    geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"\ncold, overall: plankg {pk_rps:.1f} req/s, oxigraph {ox_rps:.1f} req/s over all requests "
          f"(ratio {pk_rps / ox_rps:.3f}); geometric mean of per-query ratios {geo:.3f} (goal >= 0.9)")
    if not args.cold_only:
        repeated(args, texts, pk_url, ox_url)


def print_stages(stages: dict) -> None:
    """Where plankg's cold time goes, from its Server-Timing header (publish/server_timing.py): medians in ms."""
    print(f"\nplankg cold, where the time goes (medians, ms; Server-Timing)\n{'query':24} {'client':>7} | {'check':>6} "
          f"{'to worker':>9} {'engine':>7} {'write':>6} | {'outside the engine':>18}")
    shares = []
    for name, (p50, st) in stages.items():
        engine = st.get("engine", 0.0)
        shares.append((p50 - engine) / p50)
        print(f"{name:24} {p50:>7.2f} | {st.get('check', 0):>6.2f} {st.get('worker', 0) - engine:>9.2f} {engine:>7.2f} "
              f"{st.get('write', 0):>6.2f} | {p50 - engine:>7.2f} ({(p50 - engine) / p50:.0%})")
    if shares:
        print(f"median share of a cold request spent outside the engine: {statistics.median(shares):.0%} "
              "(client and HTTP, middleware, reading the query, the worker round trip, writing the results)")


def repeated(args, texts: dict, pk_url: str, ox_url: str) -> None:
    """The same requests again and again: plankg's response cache against oxigraph running each query."""
    site = pk_url.removesuffix("/sparql")
    iris = Iris()
    print(f"\nrepeated requests (plankg: response cache; oxigraph: the query each time)\n"
          f"{'request':40} | {'plankg rps':>10} {'p50 ms':>7} | {'oxigraph rps':>12} {'p50 ms':>7} | {'ratio':>6}")
    rows: dict[str, list[float]] = {"sparql": [], "named": [], "page": [], "page 304": []}
    with httpx.Client(timeout=120) as pk, httpx.Client(timeout=120) as ox:
        def row(kind, label, pk_req, ox_req):
            a, b = interleaved(pk, ox, pk_req, ox_req, args.requests, args.seconds)
            rows[kind].append(a["rps"] / b["rps"])
            print(f"{label[:40]:40} | {a['rps']:>10.1f} {a['p50']:>7.2f} | {b['rps']:>12.1f} {b['p50']:>7.2f} | "
                  f"{a['rps'] / b['rps']:>6.3f}")

        for name, (text, given) in texts.items():
            ox_req = lambda i, t=text: ("POST", ox_url, SPARQL_HEADERS, t.encode())
            row("sparql", f"/sparql {name}", lambda i, t=text: ("POST", pk_url, SPARQL_HEADERS, t.encode()), ox_req)
            url = f"{site}/query/{name}?" + urlencode({**given, "format": "json"})
            row("named", f"/query/{name}", lambda i, u=url: ("GET", u, {}, None), ox_req)
        for node in PAGES:
            iri = iris.id + node
            reads = [("POST", ox_url, {**SPARQL_HEADERS, "accept": "text/turtle"}, f"DESCRIBE <{iri}>".encode())] + [
                ("POST", ox_url, SPARQL_HEADERS, bind_values(page_query(q), {"x": NamedNode(iri)}).encode())
                for q in ("resource-structure", "resource-values")]
            describe = lambda i, r=reads: r
            page = f"{site}/doc/{node}.html"
            row("page", f"/doc/{node}.html", lambda i, u=page: ("GET", u, {}, None), describe)
            etag = httpx.get(page).headers["etag"]
            row("page 304", f"/doc/{node}.html If-None-Match",
                lambda i, u=page, e=etag: ("GET", u, {"if-none-match": e}, None), describe)
    for kind, rs in rows.items():
        if rs:
            geo = math.exp(sum(map(math.log, rs)) / len(rs))
            print(f"repeated {kind}: geometric mean of ratios {geo:.2f} over {len(rs)} (goal >= 2)")


if __name__ == "__main__":
    main()
