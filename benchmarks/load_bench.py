"""Bounded load test of plankg's server: many concurrent clients, a mix of SPARQL and pages, on 127.0.0.1.

Builds the bundled corpus into a temporary folder, starts uvicorn (``app_from_env``) on a free port of
127.0.0.1, and runs a closed loop: --clients asyncio tasks each send a request, wait for its answer and send
the next, until --seconds have passed or --max-requests were sent.  The mix (by weight):

* 35  named queries as SPARQL text on /sparql, parameters bound as in serve_bench.py (VALUES or inlined);
* 15  the same named queries on /query/{name}?…&format=json (these run in the server process);
* 20  ad-hoc SELECT/ASK queries on /sparql, some about a random resource;
* 30  HTML pages of resources, /doc/… for IRIs found in the store.

Prints total requests, throughput, p50/p95/p99 latency, counts by HTTP status and connection errors, the
server's peak memory (RSS of uvicorn plus its worker processes, sampled every 0.25 s with psutil if
installed, else from /proc) and whether /health answered 200 after the load.  Then stops the server and
every process under it.  The clients share the machine with the server, so they take CPU from it too.

Run: python benchmarks/load_bench.py [--clients 50] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
from plankg.graph_store import open_store
from plankg.publish import PublishConfig
from plankg.queries.catalogue import bind, catalogue
from plankg.queries.run import run_named
from serve_bench import SAMPLES, count_rows
from servers import PlankgServer, ServerUnavailable, descendants
from plankg.graph_store.sparql_text import bind_values

from plankg.iris import Iris
from plankg.pipeline import build

WEIGHTS = {"sparql-named": 35, "query-route": 15, "sparql-adhoc": 20, "page": 30}
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
ADHOC = [  # {iri} is a random resource of the store
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT 20",
    "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
    SKOS + 'SELECT ?s ?label WHERE { ?s skos:prefLabel ?label FILTER(CONTAINS(STR(?label), "专利")) } LIMIT 50',
    "SELECT ?p ?o WHERE { <{iri}> ?p ?o }",
    "SELECT ?s ?p WHERE { ?s ?p <{iri}> } LIMIT 100",
    "ASK { <{iri}> ?p ?o }",
]
SPARQL_JSON = {"content-type": "application/sparql-query", "accept": "application/sparql-results+json"}


@dataclass
class Mix:
    """What the clients ask for: request makers by kind, all checked once before the load."""

    named: list[str] = field(default_factory=list)   # SPARQL texts of the named queries, parameters bound
    routes: list[str] = field(default_factory=list)  # /query/{name}?… paths
    pages: list[str] = field(default_factory=list)   # /doc/… paths
    iris: list[str] = field(default_factory=list)

    def pick(self, rng: random.Random) -> tuple[str, str, str, bytes | None]:
        """(kind, method, path, body) of one request."""
        kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        if kind == "sparql-named":
            return kind, "POST", "/sparql", rng.choice(self.named).encode()
        if kind == "query-route":
            return kind, "GET", rng.choice(self.routes), None
        if kind == "sparql-adhoc":
            text = rng.choice(ADHOC).replace("{iri}", rng.choice(self.iris))
            return kind, "POST", "/sparql", text.encode()
        return kind, "GET", rng.choice(self.pages), None


# -- the server -------------------------------------------------------------------------------------------
def rss_bytes(pid: int) -> int:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss
    except ImportError:
        pass
    except Exception:  # noqa: BLE001 - the process ended between listing and reading
        return 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Peak RSS of the server process and of the whole tree under it; remembers every pid it saw."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_server = self.peak_total = 0
        self.peak_kids = 0
        self.seen: set[int] = set()
        self.halt = threading.Event()

    def sample(self) -> None:
        kids = descendants(self.pid)
        self.seen |= kids
        server = rss_bytes(self.pid)
        total = server + sum(rss_bytes(k) for k in kids)
        self.peak_server = max(self.peak_server, server)
        if total > self.peak_total:
            self.peak_total, self.peak_kids = total, len(kids)

    def run(self) -> None:
        while not self.halt.wait(self.every):
            self.sample()


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and of its children already reaped (killed workers), from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime


def tree_cpu_seconds(pid: int) -> float:
    return cpu_seconds(pid) + sum(cpu_seconds(k) for k in descendants(pid))


def machine_busy_seconds() -> float:
    """CPU time all processes of the machine used so far (/proc/stat), to show what else ran meanwhile."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


# -- the mix ---------------------------------------------------------------------------------------------------
def resource_iris(store, iris: Iris, rng: random.Random, n: int) -> list[str]:
    q = f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{iris.id}")) }}'
    found = sorted(sol["s"].value for sol in store.query(q))
    return rng.sample(found, min(n, len(found)))


def named_texts(client: httpx.Client, base: str, store) -> tuple[list[str], list[str]]:
    """Each named query as SPARQL that gives run_named's rows on the server, and its /query/{name} path."""
    texts, routes = [], []
    for name, q in catalogue().items():
        given = {p.name: SAMPLES[p.name] for p in q.params if p.required}
        expected = len(run_named(store, name, given, Iris())[1])
        bound = bind(q, given, Iris())
        for inline in (False, True):
            text = bind_values(q.sparql, bound, substitute=inline)
            if count_rows(client, base + "/sparql", text) == expected:
                texts.append(text)
                break
        routes.append(f"/query/{name}?" + urlencode({**given, "format": "json"}))
    return texts, routes


def make_mix(base: str, store, rng: random.Random) -> Mix:
    iris = resource_iris(store, Iris(), rng, 300)
    with httpx.Client(timeout=60) as client:
        named, routes = named_texts(client, base, store)
        mix = Mix(named, routes, ["/doc/" + quote(i.removeprefix(Iris().id)) for i in iris], iris)
        for path in mix.routes + mix.pages[:20]:
            r = client.get(base + path, headers={"accept": "text/html"})
            if r.status_code != 200:
                sys.exit(f"{path} answered {r.status_code} before the load: {r.text[:200]}")
        for text in ADHOC:
            r = client.post(base + "/sparql", content=text.replace("{iri}", iris[0]).encode(), headers=SPARQL_JSON)
            if r.status_code != 200:
                sys.exit(f"an ad-hoc query answered {r.status_code} before the load: {r.text[:200]}")
    return mix


# -- the load ----------------------------------------------------------------------------------------------------
@dataclass
class Tally:
    """Answers so far; ``sent`` bounds the loop by count."""

    max_requests: int
    sent: int = 0
    results: list[tuple[str, str, float]] = field(default_factory=list)  # (kind, status or error, seconds)


async def client_loop(client: httpx.AsyncClient, mix: Mix, tally: Tally, until: float, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until and tally.sent < tally.max_requests:
        tally.sent += 1
        kind, method, path, body = mix.pick(rng)
        headers = SPARQL_JSON if body is not None else {"accept": "text/html"}
        started = time.perf_counter()
        try:
            r = await client.request(method, path, content=body, headers=headers)
            outcome = str(r.status_code)
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        tally.results.append((kind, outcome, time.perf_counter() - started))


async def load(base: str, mix: Mix, clients: int, seconds: float, max_requests: int) -> tuple[Tally, float]:
    tally = Tally(max_requests)
    # idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them: reusing one the server is
    # closing at that moment is a client-side race (a ReadError), not an answer of the server
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        started = time.monotonic()
        await asyncio.gather(*(client_loop(client, mix, tally, started + seconds, seed) for seed in range(clients)))
        return tally, time.monotonic() - started


# -- the report -----------------------------------------------------------------------------------------------------
def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))]


def latency_line(seconds: list[float]) -> str:
    s = sorted(seconds)
    parts = [f"p{p} {percentile(s, p) * 1000:.1f}" for p in (50, 95, 99)]
    return "  ".join(parts) + f"  max {(s[-1] if s else float('nan')) * 1000:.1f}"


def report_requests(results: list[tuple[str, str, float]], took: float) -> None:
    """Counts, throughput and latency, overall and by kind of request."""
    by_status = Counter(o for _, o, _ in results)
    ok = sum(n for o, n in by_status.items() if o.isdigit() and int(o) < 400)
    statuses = "  ".join(f"{o}: {n}" for o, n in sorted(by_status.items()) if o.isdigit()) or "none"
    errors = "  ".join(f"{o}: {n}" for o, n in sorted(by_status.items()) if not o.isdigit()) or "0"
    print(f"total requests       {len(results)} in {took:.1f} s")
    print(f"throughput           {len(results) / took:.1f} req/s (answered < 400: {ok / took:.1f} req/s)")
    print(f"latency ms (all)     {latency_line([s for _, _, s in results])}")
    print(f"latency ms (200)     {latency_line([s for _, o, s in results if o == '200'])}")
    print(f"by status            {statuses}")
    print(f"connection errors    {errors}")
    kinds = defaultdict(list)
    for kind, outcome, s in results:
        kinds[kind].append((outcome, s))
    for kind in WEIGHTS:
        rows = kinds.get(kind, [])
        good = sum(1 for o, _ in rows if o == "200")
        print(f"  {kind:18} {len(rows):>7} requests, {good:>7} × 200, {latency_line([s for _, s in rows])}")


def report_resources(requests: int, cpu: tuple[float, float, float], sampler: MemorySampler) -> None:
    """CPU and peak memory: the load generator (and whatever else runs) shares the cores, so all are shown."""
    server_cpu, client_cpu, machine_cpu = cpu
    mib = 1024 * 1024
    how = "psutil" if _has_psutil() else "/proc VmRSS"
    print(f"CPU during the load  server {server_cpu:.1f} s ({server_cpu / max(1, requests) * 1000:.2f} ms/request, "
          f"uvicorn + workers), load generator {client_cpu:.1f} s, other processes "
          f"{max(0.0, machine_cpu - server_cpu - client_cpu):.1f} s; {os.cpu_count()} cores")
    print(f"peak memory (RSS)    {sampler.peak_total / mib:.1f} MiB: uvicorn + its {sampler.peak_kids} child "
          f"processes (query workers, resource tracker); uvicorn alone {sampler.peak_server / mib:.1f} MiB "
          f"({how}, every {sampler.every:g} s)")


def _has_psutil() -> bool:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return False
    return True


def health_after(base: str) -> str:
    started = time.perf_counter()
    try:
        r = httpx.get(base + "/health", timeout=30)
    except httpx.HTTPError as exc:
        return f"no ({type(exc).__name__})"
    verdict = "yes" if r.status_code == 200 else "no"
    return f"{verdict}: {r.status_code} in {(time.perf_counter() - started) * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (closed loop)")
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the load lasts")
    ap.add_argument("--workers", type=int, default=2, help="the server's query worker processes")
    ap.add_argument("--max-requests", type=int, default=1_000_000, help="stop after this many requests anyway")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.clients < 1 or args.seconds <= 0 or args.workers < 1 or args.max_requests < 1:
        sys.exit("--clients, --seconds, --workers and --max-requests must be positive")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build(open_store(tmp / "store"))
        store = open_store(tmp / "store", read_only=True)
        server = PlankgServer(tmp / "store", tmp / "server", env={"PLANKG_WORKERS": args.workers})
        try:
            server.start()
        except ServerUnavailable as exc:
            sys.exit(str(exc))
        base, proc = server.url, server.proc
        sampler = MemorySampler(proc.pid)
        try:
            sampler.start()
            mix = make_mix(base, store, random.Random(args.seed))
            config = PublishConfig(workers=args.workers)
            print(f"{store.count()} quads; server: uvicorn on {base}, {args.workers} query worker(s), queue "
                  f"{config.queue_size} (wait {config.queue_wait:g} s), timeout {config.timeout:g} s")
            print(f"load: {args.clients} clients, closed loop, {args.seconds:g} s or {args.max_requests} requests; "
                  f"mix {WEIGHTS}; {len(mix.named)} named queries, {len(ADHOC)} ad-hoc, {len(mix.pages)} pages\n")
            before = (tree_cpu_seconds(proc.pid), time.process_time(), machine_busy_seconds())
            tally, took = asyncio.run(load(base, mix, args.clients, args.seconds, args.max_requests))
            after = (tree_cpu_seconds(proc.pid), time.process_time(), machine_busy_seconds())
            cpu = tuple(b - a for a, b in zip(before, after))
            health = health_after(base)
            sampler.sample()
        finally:
            sampler.halt.set()
            if sampler.is_alive():
                sampler.join(5)
            server.seen |= sampler.seen
            server.stop()  # SIGTERM (uvicorn closes its pool), then SIGKILL anything under it still alive
        left = server.left
        report_requests(tally.results, took)
        report_resources(len(tally.results), cpu, sampler)
        print(f"/health after load   {health}")
        print(f"processes left       {len(left)}" + (f" (killed: {left})" if left else ""))


if __name__ == "__main__":
    main()
