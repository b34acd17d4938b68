"""Every named query on the bundled corpus, warm: in process (``run_named``) and over HTTP (``plankg serve``'s
``GET /query/NAME``), each beside its limit measured or set in the same run (issue 15):

* in process: ≤ 20 ms;
* over HTTP: ≤ 20 ms, and ≤ the in-process time + 2 ms (the cost of the protocol path), measured twice: as
  any client repeating a request gets it (from the response cache, publish/response_cache.py) and with
  ``Cache-Control: no-cache``, which makes the server run the query again (the overhead goal is judged there);
* label-search (answered from the store's text index, graph_store/text_index.py) also against its SPARQL scan
  (``use_index=False``) in the same store.

The parameters are those tests/test_backends.py compares across backends (the first set of each query).
Medians of --runs requests after one warm-up, the three ways taken in turn; the server runs on 127.0.0.1 on a free port and is stopped at
the end.  The client is the standard library's ``http.client`` (what SPARQL clients such as SPARQLWrapper build
on) over one kept-alive connection, sending the headers a general client sends (``Accept: */*``,
``Accept-Encoding: gzip, deflate``), reading the whole body and decoding it as its ``Content-Encoding`` says.

Run: python benchmarks/query_bench.py [--runs 15] [--no-http]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

LIMIT_MS = 20.0
HTTP_OVERHEAD_MS = 2.0


def median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def interleaved_ms(calls, runs: int) -> list[float]:
    """Median ms of each call, the calls taken in turn (one of each per round), so that a change in the
    machine's load between them does not pass for a difference between them."""
    for fn in calls:
        fn()
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for fn, ts in zip(calls, times):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [statistics.median(ts) * 1000 for ts in times]


class Client:
    """A plain HTTP/1.1 client: one kept-alive connection (opened again if the server closed it), the whole
    body read and decoded."""

    HEADERS = {"Accept": "*/*", "Accept-Encoding": "gzip, deflate", "Connection": "keep-alive",
               "User-Agent": "plankg-query-bench (http.client)"}

    def __init__(self, host: str, port: int, timeout: float = 60):
        import http.client

        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def get(self, path: str, params: dict, headers: dict | None = None) -> bytes:
        import http.client
        import zlib
        from urllib.parse import urlencode

        url = path + "?" + urlencode(params)
        for attempt in (1, 2):
            try:
                self.conn.request("GET", url, headers={**self.HEADERS, **(headers or {})})
                r = self.conn.getresponse()
                body = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                if attempt == 2:
                    raise
        if r.status != 200:
            raise RuntimeError(f"GET {url}: {r.status} {body[:200]!r}")
        coding = (r.getheader("content-encoding") or "").lower()
        if coding in ("gzip", "deflate"):
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS)
        return body

    def close(self) -> None:
        self.conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--no-http", action="store_true", help="in process only")
    args = ap.parse_args()

    from test_backends import PARAM_SETS

    from plankg.graph_store import open_store
    from plankg.pipeline import build
    from plankg.queries.run import run_named

    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        build(open_store(tmp / "store"))
        store = open_store(tmp / "store", read_only=True)
        print(f"bundled corpus: {store.count():,} triples; medians of {args.runs} warm runs")
        local: dict[str, float] = {}
        remote: dict[str, float] = {}
        fresh: dict[str, float] = {}
        if args.no_http:
            local = {name: median_ms(lambda n=name, p=sets[0]: run_named(store, n, p), args.runs)
                     for name, sets in PARAM_SETS.items()}
        else:
            from servers import PlankgServer

            with PlankgServer(tmp / "store", tmp / "server") as server:
                client = Client("127.0.0.1", server.port)
                for name, sets in PARAM_SETS.items():
                    def get(n=name, p=sets[0], headers=None):
                        client.get(f"/query/{n}", {**p, "format": "json"}, headers)
                    local[name], remote[name], fresh[name] = interleaved_ms(
                        [lambda n=name, p=sets[0]: run_named(store, n, p), get,
                         lambda g=get: g(headers={"Cache-Control": "no-cache"})], args.runs)
                client.close()
        print(f"\n{'query':24s} {'in process':>12s}  {'HTTP cached':>11s}  {'HTTP run':>9s}  {'run - in process':>17s}")
        worst = worst_over = 0.0
        for name, t in local.items():
            h, f = remote.get(name), fresh.get(name)
            worst = max(worst, t, h or 0, f or 0)
            line = f"{name:24s} {t:9.2f} ms"
            if h is not None:
                worst_over = max(worst_over, f - t)
                line += f"  {h:8.2f} ms  {f:6.2f} ms  {f - t:14.2f} ms"
            print(line)
        print(f"\nslowest: {worst:.2f} ms -> ratio {worst / LIMIT_MS:.2f} of {LIMIT_MS:.0f} ms (goal <= 1)")
        if remote:
            print(f"largest HTTP overhead (the query run again): {worst_over:.2f} ms -> ratio {worst_over / HTTP_OVERHEAD_MS:.2f} of "
                  f"{HTTP_OVERHEAD_MS:.0f} ms (goal <= 1)")
        for text in ("司法保护", "权", "judicial"):
            p = {"text": text}
            idx = median_ms(lambda p=p: run_named(store, "label-search", p), args.runs)
            scan = median_ms(lambda p=p: run_named(store, "label-search", p, use_index=False), args.runs)
            print(f"label-search {text!r}: text index {idx:.3f} ms, SPARQL scan {scan:.3f} ms -> ratio {idx / scan:.3f} "
                  f"(goal <= 0.25)")
        store.close()


if __name__ == "__main__":
    main()
