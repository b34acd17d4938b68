"""Benchmark of `plankg build` on the bundled corpus.

Prints, as the median of --runs runs:
  * whole-process wall time and peak RSS of `plankg build` (a fresh process each run);
  * plankg's load step (the store write inside build) against pyoxigraph's
    `Store.bulk_load` of plankg's own N-Quads export of the same store, as a ratio.

Run: python benchmarks/build_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def whole_process(runs: int) -> tuple[list[float], list[float]]:
    times, peaks = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            script = (
                "import resource, time, sys\n"
                "t = time.perf_counter()\n"
                "from plankg.cli import app\n"
                "try:\n"
                f"    app(['build', '--store', {str(Path(tmp) / 'store')!r}])\n"
                "except SystemExit as e:\n"
                "    assert not e.code, e.code\n"
            )
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if proc.returncode:
                sys.exit(f"plankg build failed: {proc.stderr}")
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)  # KiB → MiB, max so far
    return times, peaks


def load_vs_bulk_load(runs: int) -> dict:
    import pyoxigraph

    from plankg.graph_store import open_store
    from plankg.pipeline import build

    loads, bulks, quads = [], [], 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "store")
            report = build(store)
            loads.append(report.load_seconds)
            quads = report.quads
            dump = Path(tmp) / "dump.nq"
            dump.write_bytes(store.export("nquads"))
            target = pyoxigraph.Store(str(Path(tmp) / "bulk"))
            started = time.perf_counter()
            target.bulk_load(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
            target.flush()
            bulks.append(time.perf_counter() - started)
    load, bulk = statistics.median(loads), statistics.median(bulks)
    return {"quads": quads, "plankg_load_s": load, "bulk_load_s": bulk, "ratio_load_over_bulk_load": load / bulk}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    times, peaks = whole_process(args.runs)
    figures = {"runs": args.runs, "build_wall_s_median": statistics.median(times), "build_wall_s_min": min(times),
               "build_peak_rss_mib": max(peaks), **load_vs_bulk_load(args.runs),
               "cpu_count": os.cpu_count()}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"plankg build, bundled corpus ({figures['quads']} quads), {args.runs} runs")
    print(f"  whole process: median {figures['build_wall_s_median']:.2f} s (min {figures['build_wall_s_min']:.2f} s), "
          f"peak RSS {figures['build_peak_rss_mib']:.0f} MiB")
    print(f"  load step: {figures['plankg_load_s'] * 1000:.1f} ms; pyoxigraph bulk_load of its N-Quads export: "
          f"{figures['bulk_load_s'] * 1000:.1f} ms; ratio load/bulk_load = {figures['ratio_load_over_bulk_load']:.2f}")


if __name__ == "__main__":
    main()
