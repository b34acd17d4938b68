"""What the reliability work costs and saves, each figure beside the thing it is compared with in the same run.

    python benchmarks/robustness_bench.py [--docs 687] [--links 100000]

* the reading of a hostile query (``ASK {} a.`` × 32,700, 64 KB) by publish/sparqlscan.py, against 1 s;
* the build of a synthetic corpus (benchmarks/synthetic.py, ``--docs`` plans; 687 ≈ 0.5 M triples) with each
  triple in one graph (graph_store/shared.py: the union of the graphs is the RDF merge), against the same build
  of the graphs as read (a bag: the cost before the merge) and with the merge copied into the default graph;
* a write of one document into that store (each triple placed with a lookup) against the same write that
  copies the merge again;
* the merge of a store written before graphs were kept disjoint (graph_store/oxigraph_store.py:materialise_merge,
  pyoxigraph's dump and bulk_load) against the same merge built from Python ``Quad`` objects;
* the first home page on that store (its dataset description; no dump is made) and a page of a node with
  ``--links`` incoming links (at most 1,000 listed: describe.LIMIT), with their sizes.
"""

from __future__ import annotations

import argparse
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
    from plankg.graph_store import open_store
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

        disjoint = min(build_once("a") for _ in range(2))  # each triple in one graph (graph_store/shared.py)
        import plankg.pipeline as pipeline
        from plankg.graph_store.shared import Statements

        real_split, real_replace = pipeline.split, ox.OxigraphStore.replace_graphs
        pipeline.split = lambda graphs, sharing, prefix: Statements()  # graphs as read: a triple may be in two
        try:
            bag = min(build_once("b") for _ in range(2))  # the named graphs only: what the build cost before

            def materialised(self, graphs, *, drop=(), reset=False, shared=None, record=None):
                return real_replace(self, graphs, drop=drop, reset=reset)  # no shared graph: the merge copied

            ox.OxigraphStore.replace_graphs = materialised
            copied = min(build_once("c") for _ in range(2))
        finally:
            pipeline.split, ox.OxigraphStore.replace_graphs = real_split, real_replace
        store = open_store(tmp / "a", read_only=True)
        n = store.count()
        print(f"build of {n:,} quads: {disjoint:.2f} s with each triple in one graph (the union is the merge), "
              f"{bag:.2f} s for the graphs as read (a bag), {copied:.2f} s with the merge copied into the default graph"
              f" -> ratio {disjoint / bag:.2f} (goal <= 1.10; the copy: {copied / bag:.2f})")
        store.close()

        from plankg.iris import Iris

        iris = Iris()
        doc = sorted(p for p in (corpus / "documents").iterdir())[len(list((corpus / "documents").iterdir())) // 2]
        from plankg.ingest.emit import document_quads
        from plankg.ingest.parser import parse_file

        quads = document_quads(parse_file(doc), iris)
        g = iris.graph(parse_file(doc).meta.doc_id)
        for name, kw in (("each triple placed", {"shared": iris.sharing()}), ("the merge copied again", {})):
            where = "a" if kw else "c"
            t, _ = timed(lambda: open_store(tmp / where).replace_graphs({g: quads}, **kw))
            print(f"write of one document's graph ({len(quads):,} quads) into that store, {name}: {t:.2f} s")

        store = open_store(tmp / "a", read_only=True)
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
            print(f"merge of a store without a record (written before), {name}: {t:.2f} s")
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
