"""How ingest's cost grows with the size of one document (issue 17, item 10).

Generates invented full texts — one part, one section and N —— bullets, or one indicator table of N rows — and
times ``plankg ingest FILE --store DIR`` (a real write into a fresh embedded store) for each N, with the peak
memory of the child process.  Linear code doubles its time when N doubles; the old sibling counting (a scan of
the parent's children for every new bullet) quadrupled it.

    python benchmarks/ingest_bench.py                        # this checkout's plankg
    python benchmarks/ingest_bench.py --plankg OTHER/plankg  # another build of it, to compare

The texts are invented filler (numbered requirements and indicators), not copied from any source.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def bullets(n: int) -> str:
    return "\n".join(["一、总体要求", "（一）指导思想", *(f"——第{i}项要求的说明文字。" for i in range(n))]) + "\n"


def table(n: int) -> str:
    head = ["一、总体要求", "表1 主要指标", "| 序号 | 指标名称 | 单位 | 2020年 | 2025年 | 属性 |", "| --- | --- | --- | --- | --- | --- |"]
    return "\n".join([*head, *(f"| {i + 1} | 测试指标第{i}号 | 个 | {i} | {i + 5} | 预期性 |" for i in range(n))]) + "\n"


def run(plankg: str, path: Path, store: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS of the child in MiB, exit code) of one ingest in a child process."""
    started = time.perf_counter()
    child = subprocess.Popen([plankg, "ingest", str(path), "--store", str(store)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode:
        print(f"  exit {child.returncode}: {err.strip()[:200]}", file=sys.stderr)
    return seconds, usage.ru_maxrss // 1024, child.returncode


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plankg", default=str(Path(sys.executable).with_name("plankg")), help="the plankg command to time")
    ap.add_argument("--bullets", default="2500,5000,10000,20000,40000", help="bullet counts (comma-separated)")
    ap.add_argument("--rows", default="1250,2500,5000,10000", help="table row counts (comma-separated)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="plankg-ingest-bench-"))
    try:
        for kind, make, sizes in (("bullets", bullets, args.bullets), ("table rows", table, args.rows)):
            for n in (int(x) for x in sizes.split(",") if x):
                path = work / f"bench-{kind.split()[0]}-{n}.txt"
                path.write_text(make(n), encoding="utf-8")
                store = work / f"store-{kind.split()[0]}-{n}"
                seconds, mib, code = run(args.plankg, path, store)
                print(f"{kind:>10} {n:>7}: {seconds:7.2f} s  peak RSS {mib:5d} MiB  exit {code}", flush=True)
                shutil.rmtree(store, ignore_errors=True)
                path.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
