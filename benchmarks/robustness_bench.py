"""What the reliability work costs and saves, each figure beside the thing it is compared with in the same run.

    python benchmarks/robustness_bench.py [--docs 687] [--links 100000]

* the reading of a hostile query (``ASK {} a.`` × 32,700, 64 KB) by publish/sparqlscan.py, against 1 s;
* the build of a synthetic corpus (benchmarks/synthetic.py, ``--docs`` plans; 687 ≈ 0.5 M triples) with the
  RDF merge materialised in the default graph, against the same build without it (the merge's price);
* the merge of a partial write (graph_store/oxigraph_store.py:materialise_merge, pyoxigraph's dump and
  bulk_load) against the same merge built from Python ``Quad`` objects;
* the first home page on that store (its dataset description; no dump is made) and a page of a node with
  ``--links`` incoming links (at most 1,000 listed: describe.LIMIT), with their sizes.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent


def timed(fn):
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=687)
    ap.add_argument("--links", type=int, default=100_000)
    args = ap.parse_args()

    from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad
    from starlette.testclient import TestClient

    import plankg.graph_store.oxigraph_store as ox
    from plankg.graph_store.base import open_store
    from plankg.pipeline import build
    from plankg.publish.app import create_app
    from plankg.publish.config import PublishConfig
    from plankg.publish.sparqlscan import scan

    hostile = "ASK {} " + "a." * 32_700
    t, s = timed(lambda: scan(hostile))
    print(f"reading a 64 KB hostile query: {t * 1000:.1f} ms ({s.limit_exceeded}) -> ratio {t:.3f} of 1 s")

    tmp = Path(tempfile.mkdtemp(prefix="plankg-robustness-"))
    try:
        corpus = tmp / "corpus"
        subprocess.run([sys.executable, str(HERE / "synthetic.py"), "--docs", str(args.docs), "--seed", "1",
                        "--out", str(corpus)], check=True, capture_output=True)

        def build_once(name):
            shutil.rmtree(tmp / name, ignore_errors=True)
            return timed(lambda: build(open_store(tmp / name), corpus))[0]

        with_merge = min(build_once("a") for _ in range(2))
        real_bulk, real_merge = ox._bulk, ox.materialise_merge

        def no_default_graph(store, quads, chunk):  # the named graphs only: what the build cost before
            quads = iter(quads)
            first = next(quads, None)
            if first is None or isinstance(first.graph_name, DefaultGraph):
                return
            real_bulk(store, itertools.chain((first,), quads), chunk)

        ox._bulk, ox.materialise_merge = no_default_graph, lambda store: None
        try:
            without = min(build_once("b") for _ in range(2))
        finally:
            ox._bulk, ox.materialise_merge = real_bulk, real_merge
        store = open_store(tmp / "a", read_only=True)
        n = store.count()
        print(f"build of {n:,} quads: {with_merge:.2f} s with the merge, {without:.2f} s without "
              f"-> ratio {with_merge / without:.2f} (goal <= 1.10)")

        raw = store.store

        def python_merge(target):
            target.remove_graph(DefaultGraph())
            target.bulk_extend(Quad(q.subject, q.predicate, q.object, DefaultGraph())
                               for g in list(target.named_graphs()) for q in target.quads_for_pattern(None, None, None, g))

        for name, fn in (("pyoxigraph dump + bulk_load", ox.materialise_merge), ("Python Quad objects", python_merge)):
            from pyoxigraph import Store

            copy = Store()
            copy.extend(q for q in raw.quads_for_pattern(None, None, None, None) if not isinstance(q.graph_name, DefaultGraph))
            t, _ = timed(lambda: fn(copy))
            print(f"merge of a partial write, {name}: {t:.2f} s")
        store.close()

        store = open_store(tmp / "a", read_only=True)
        with TestClient(create_app(store, config=PublishConfig(workers=1))) as c:
            t, r = timed(lambda: c.get("/"))
            print(f"first home page (warm-up racing it): {t:.2f} s, {len(r.content):,} bytes")
            t, r = timed(lambda: c.get("/"))
            print(f"home page again: {t * 1000:.1f} ms")
        store.close()

        mem = ox.MemoryStore()
        build(mem)
        g = "https://w3id.org/plankg/graph/many"
        target = NamedNode("https://w3id.org/plankg/id/outline-2021-2035/p2")
        quads = []
        for i in range(args.links):
            s = NamedNode(f"https://w3id.org/plankg/id/many/s{i:06d}")
            quads += [Quad(s, NamedNode("http://purl.org/dc/terms/references"), target, NamedNode(g)),
                      Quad(s, NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal(f"示例{i}", language="zh"),
                           NamedNode(g))]
        mem.replace_graphs({g: quads})
        with TestClient(create_app(mem, config=PublishConfig(workers=1))) as c:
            c.get("/")
            for path in ("/doc/outline-2021-2035/p2.html", "/doc/outline-2021-2035/p2.ttl"):
                t, r = timed(lambda: c.get(path))
                print(f"{path} with {args.links:,} incoming links: {t:.2f} s, {len(r.content):,} bytes "
                      f"(truncated: {r.headers.get('X-Plankg-Truncated', 'no')})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
