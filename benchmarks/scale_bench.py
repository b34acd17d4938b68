"""Scale benchmark on synthetic corpora (benchmarks/synthetic.py): every figure printed as a ratio to its limit,
the limit measured in the same run.

For each size (triples; the number of documents is calibrated from the generator):

* ingest throughput — ``plankg.pipeline.build`` from the corpus files, whole pipeline (parse, emit, atomic
  load), in a fresh subprocess — against pyoxigraph ``Store.bulk_load`` of the same triples as N-Quads
  (plankg's own export): ratio = build triples/s ÷ bulk_load triples/s (goal ≥ 0.5);
* against rdflib: parsing the same N-Quads into an ``rdflib.Dataset`` (at most --rdflib-max triples: rdflib
  needs about 1 KiB per triple): ratio = build triples/s ÷ rdflib triples/s;
* peak memory of the build subprocess (``resource.getrusage``, ru_maxrss) against 2 GiB (4 GiB above 5 M), with
  that of the bulk_load (also alone in a fresh process) beside it;
* every named query's latency (median of --runs, after one warm-up) on the embedded store, and across the
  sizes its growth exponent b in t ∝ size^b, against 1 (linear) and 0.5 (the goal for a query bound to a
  node); label-search, answered from the text index, also against a bare CONTAINS scan of the labels in the
  same store (goal: ≤ 0.25 × the scan, and ≤ 20 ms);
* remote load: the same build into an Oxigraph server (Graph Store Protocol uploads and one SPARQL Update
  swap, ``plankg.graph_store.sparql_store``) against the embedded store's load step: ratio = embedded load s
  ÷ remote load s.

Run: python benchmarks/scale_bench.py [--sizes 10k,500k,5m] [--runs 5] [--no-remote] [--json]
The 5 M size takes minutes and about 3 GiB of disk; 50m (about 70,000 documents; the store loads in steps of
2 M quads above 3 M: graph_store/oxigraph_store.py:load_chunk; memory limit 4 GiB) takes most of an hour and
about 30 GiB.  It runs on demand, never in the test suite.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from synthetic import write_corpus  # noqa: E402

MEMORY_LIMIT_MIB = 2048  # up to 5 M triples
MEMORY_LIMIT_BIG_MIB = 4096  # above (issue 15: 50 M triples with a chunked load, peak <= 4 GiB)


def memory_limit_mib(size: int) -> int:
    return MEMORY_LIMIT_MIB if size <= 5_000_000 else MEMORY_LIMIT_BIG_MIB

#: named query → parameters that exist in a synthetic corpus
QUERY_PARAMS = {
    "heading-tree": {"doc": "syn-00001"},
    "goal-supporters": {"goal": "syn-00000/p2"},
    "goal-indicators": {"goal": "syn-00000/p2"},
    "unsupported-sections": {"target": "syn-00000", "source": "syn-00001"},
    "shared-indicators": {"a": "syn-00000", "b": "syn-00003"},
    "label-search": {"text": "合成指标256"},
    "provenance": {"node": "syn-00001/p1/s1"},
    "coverage-matrix": {"target": "syn-00000", "source": "syn-00001"},
    "unsupporting-sections": {"source": "syn-00001", "target": "syn-00000"},
    "plan-lineage": {"doc": "syn-00001"},
    "implemented-by": {"doc": "syn-00006"},
    "indicator-history": {"indicator": "indicator/indicator-256"},
    "targets-met": {"plan": "syn-00000"},
    "sdg-links": {"doc": "syn-00001"},  # the synthetic corpus links nothing to SDG targets: 0 rows, the cost of the scan
}

BUILD_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from plankg.graph_store import open_store
from plankg.pipeline import build
t = time.perf_counter()
report = build(open_store(sys.argv[1]), Path(sys.argv[2]))
wall = time.perf_counter() - t
print(json.dumps({"quads": report.quads, "read_s": report.read_seconds, "load_s": report.load_seconds, "build_s": wall,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def parse_size(text: str) -> int:
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text[:-1] if text[-1] in "km" else text) * mult)


def calibrate(tmp: Path) -> tuple[float, float]:
    """(fixed triples, triples per document) of the generator."""
    from plankg.iris import Iris
    from plankg.pipeline import collect

    counts = []
    for n in (20, 40):
        corpus = write_corpus(tmp / f"cal{n}", n, seed=7)
        counts.append(sum(len(q) for q in collect(corpus, Iris()).values()))
    per_doc = (counts[1] - counts[0]) / 20
    return counts[0] - 20 * per_doc, per_doc


def run_build(store: str, corpus: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", BUILD_CHILD, store, str(corpus)], capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"build failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


BULK_LOAD_CHILD = r"""
import json, resource, sys, time
import pyoxigraph
store = pyoxigraph.Store(sys.argv[2])
t = time.perf_counter()
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_QUADS)
store.flush()
print(json.dumps({"s": time.perf_counter() - t, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bulk_load(nquads: Path, tmp: Path) -> dict:
    """pyoxigraph's ``Store.bulk_load`` of the dump, alone in a fresh process: seconds and peak memory."""
    proc = subprocess.run([sys.executable, "-c", BULK_LOAD_CHILD, str(nquads), str(tmp / "bulk")],
                          capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"bulk_load failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def rdflib_seconds(nquads: Path, limit: int, tmp: Path) -> tuple[int, float]:
    """rdflib parsing the first ``limit`` quads of the dump into a Dataset: (quads, seconds), in a subprocess."""
    sample = tmp / "rdflib.nq"
    with open(nquads, "rb") as src, open(sample, "wb") as dst:
        for i, line in enumerate(src):
            if i >= limit:
                break
            dst.write(line)
    code = ("import rdflib, sys, time\nds = rdflib.Dataset()\nt = time.perf_counter()\n"
            "ds.parse(sys.argv[1], format='nquads')\nprint(sum(1 for _ in ds.quads((None, None, None, None))), time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), float(out[1])


LABEL_FLOOR = "(label scan floor)"
#: queries bound to one node whose answer does not grow with the corpus: goal b <= 0.5 (issue 15)
NODE_BOUND = ("goal-supporters", "indicator-history", "targets-met", "heading-tree", "provenance", "goal-indicators")


def query_latencies(store_path: Path, runs: int) -> dict[str, tuple[float, int]]:
    from pyoxigraph import Literal

    from plankg.graph_store import open_store
    from plankg.queries.catalogue import catalogue
    from plankg.queries.run import run_named

    store = open_store(store_path, read_only=True)
    out = {}
    for name in catalogue():
        params = QUERY_PARAMS[name]
        rows = len(run_named(store, name, params)[1])  # warm-up
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            run_named(store, name, params)
            times.append(time.perf_counter() - t)
        out[name] = (statistics.median(times), rows)
    # the limit for label-search, which scans every label (SPARQL has no text index): a bare CONTAINS scan
    text = Literal(QUERY_PARAMS["label-search"]["text"])
    floor = (f"SELECT (COUNT(*) AS ?n) WHERE {{ ?node <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
             f"FILTER(CONTAINS(LCASE(STR(?label)), LCASE({text}))) }}")
    list(store.query(floor))  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        list(store.query(floor))
        times.append(time.perf_counter() - t)
    out[LABEL_FLOOR] = (statistics.median(times), 1)
    return out


def remote_build(corpus: Path, tmp: Path, swap: str) -> dict:
    from servers import OxigraphServer, ServerUnavailable

    try:
        with OxigraphServer(tmp / f"oxigraph-{swap}", union=True) as server:
            return run_build(server.spec(swap=swap), corpus)
    except ServerUnavailable as exc:
        return {"error": str(exc)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,500k,5m", help="triples per size, comma-separated (k, m suffixes)")
    ap.add_argument("--runs", type=int, default=5, help="query runs per figure (median)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rdflib-max", type=parse_size, default=parse_size("500k"), help="at most this many triples for rdflib")
    ap.add_argument("--no-remote", action="store_true", help="skip the remote load into an Oxigraph server")
    ap.add_argument("--remote-swaps", default="move,insert,put",
                    help="write modes of the remote store to measure (move: GSP PUT + MOVE; insert: one INSERT DATA "
                         "request; put: a GSP PUT straight into each graph)")
    ap.add_argument("--json", action="store_true", help="print one JSON object at the end")
    ap.add_argument("--tmp", type=Path, default=None, help="work folder (default: a temporary folder)")
    args = ap.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    results: dict = {"sizes": []}
    if args.tmp is not None:
        args.tmp.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmpname:
        tmp = Path(tmpname)
        fixed, per_doc = calibrate(tmp)
        print(f"generator: about {per_doc:.0f} triples per document + {fixed:.0f}", flush=True)
        for size in sizes:
            docs = max(2, round((size - fixed) / per_doc))
            work = tmp / f"size-{size}"
            work.mkdir()
            t = time.perf_counter()
            corpus = write_corpus(work / "corpus", docs, seed=args.seed)
            gen_s = time.perf_counter() - t
            b = run_build(str(work / "store"), corpus)
            from plankg.graph_store import open_store

            dump = work / "dump.nq"
            import pyoxigraph

            done = open_store(work / "store", read_only=True)  # its graphs are disjoint, its default graph empty:
            done.store.dump(output=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)  # the export, streamed to disk
            done.close()
            bulk = bulk_load(dump, work)
            bulk_s = bulk["s"]
            rq, rs = rdflib_seconds(dump, args.rdflib_max, work)
            lat = query_latencies(work / "store", args.runs)
            fig = {"target_triples": size, "docs": docs, "quads": b["quads"], "generate_s": gen_s, **b,
                   "build_tps": b["quads"] / b["build_s"], "bulk_load_s": bulk_s, "bulk_load_peak_mib": bulk["peak_mib"], "bulk_load_tps": b["quads"] / bulk_s,
                   "rdflib_quads": rq, "rdflib_s": rs, "rdflib_tps": rq / rs, "queries": lat}
            fig["ratio_build_over_bulk_load"] = fig["build_tps"] / fig["bulk_load_tps"]
            fig["ratio_build_over_rdflib"] = fig["build_tps"] / fig["rdflib_tps"]
            fig["memory_limit_mib"] = memory_limit_mib(size)
            fig["ratio_peak_over_limit"] = b["peak_mib"] / fig["memory_limit_mib"]
            if not args.no_remote:
                fig["remote"] = {}
                for swap in args.remote_swaps.split(","):
                    r = remote_build(corpus, work, swap)
                    fig["remote"][swap] = r
                    if "load_s" in r:
                        r["ratio_embedded_load_over_remote_load"] = b["load_s"] / r["load_s"]
            results["sizes"].append(fig)
            print_size(fig)
            import shutil

            shutil.rmtree(work, ignore_errors=True)
    growth(results)
    if args.json:
        print(json.dumps(results, indent=2, default=str))


def print_size(f: dict) -> None:
    print(f"\n== {f['quads']:,} triples ({f['docs']} documents; corpus written in {f['generate_s']:.1f} s)")
    print(f"  ingest (plankg build, whole pipeline): {f['build_s']:.2f} s = {f['build_tps']:,.0f} triples/s "
          f"(read {f['read_s']:.2f} s, load {f['load_s']:.2f} s)")
    print(f"  pyoxigraph bulk_load of the same N-Quads: {f['bulk_load_s']:.2f} s = {f['bulk_load_tps']:,.0f} triples/s"
          f", peak {f['bulk_load_peak_mib']:.0f} MiB  -> ratio {f['ratio_build_over_bulk_load']:.2f} (goal >= 0.5)")
    print(f"  rdflib Dataset.parse of {f['rdflib_quads']:,} of them: {f['rdflib_s']:.2f} s = {f['rdflib_tps']:,.0f} triples/s"
          f"  -> ratio {f['ratio_build_over_rdflib']:.2f} (plankg / rdflib)")
    print(f"  peak memory of the build: {f['peak_mib']:.0f} MiB -> ratio {f['ratio_peak_over_limit']:.2f} of "
          f"{f['memory_limit_mib'] / 1024:.0f} GiB (goal <= 1)")
    for swap, r in f.get("remote", {}).items():
        how = {"move": "GSP PUT into temporary graphs + one SPARQL Update of MOVEs", "insert": "one SPARQL Update of INSERT DATA",
               "put": "a GSP PUT straight into each graph, atomic per graph"}.get(swap, swap)
        if "error" in r:
            print(f"  remote load (swap={swap}): not measured: {r['error']}")
        else:
            print(f"  remote build into an Oxigraph server, swap={swap} ({how}): {r['build_s']:.2f} s, load step {r['load_s']:.2f} s "
                  f"= {f['quads'] / r['load_s']:,.0f} triples/s vs embedded load {f['load_s']:.2f} s -> ratio {r['ratio_embedded_load_over_remote_load']:.2f}")
    print("  query latency (median ms, rows):")
    for name, (t, rows) in f["queries"].items():
        print(f"    {name:24s} {t * 1000:9.2f} ms {rows:6d}")
    if LABEL_FLOOR in f["queries"]:
        ratio = f["queries"]["label-search"][0] / f["queries"][LABEL_FLOOR][0]
        f["ratio_label_search_over_scan"] = ratio
        print(f"  label-search (from the text index, graph_store/text_index.py) / a bare CONTAINS scan of every label: "
              f"ratio {ratio:.3f} (goal <= 0.25); {f['queries']['label-search'][0] * 1000:.2f} ms (goal <= 20 ms)")


def growth(results: dict) -> None:
    sizes = results["sizes"]
    if len(sizes) < 2:
        return
    print("\n== query growth: exponent b in latency ∝ triples^b between consecutive sizes (limit: 1 = linear)")
    worst, worst_per_row = {}, {}
    for a, b in zip(sizes, sizes[1:]):
        span = math.log(b["quads"] / a["quads"])
        print(f"  {a['quads']:,} -> {b['quads']:,} triples:")
        for name in a["queries"]:
            (ta, ra), (tb, rb) = a["queries"][name], b["queries"][name]
            e = math.log(max(tb, 1e-6) / max(ta, 1e-6)) / span
            # per result row: a query whose answer grows with the corpus (more documents state the indicator)
            per_row = math.log(max(tb, 1e-6) / max(rb, 1) / (max(ta, 1e-6) / max(ra, 1))) / span
            worst[name] = max(worst.get(name, -9), e)
            worst_per_row[name] = max(worst_per_row.get(name, -9), per_row)
            verdict = ""
            if name in NODE_BOUND:  # at a fixed answer size: per result row when the answer grows
                fixed = e if ra == rb else per_row
                verdict = (f"  (bound to a node: goal b <= 0.5{'' if ra == rb else ' per row'}, "
                           f"{'met' if fixed <= 0.5 else 'NOT MET'})")
            if e > 1.05:
                verdict = "  WORSE THAN LINEAR" if per_row > 1.05 else "  (rows grew: linear per row)"
            print(f"    {name:24s} {ta * 1000:9.2f} -> {tb * 1000:9.2f} ms  rows {ra:5d} -> {rb:5d}  b = {e:5.2f}"
                  f"  per row b = {per_row:5.2f}  ratio to linear {e:5.2f}{verdict}")
    results["growth_worst_exponent"] = worst
    results["growth_worst_exponent_per_row"] = worst_per_row


if __name__ == "__main__":
    main()
