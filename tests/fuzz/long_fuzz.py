"""The fuzzers of tests/test_fuzz.py, run long: ``python tests/fuzz/long_fuzz.py --examples 10000``.

Runs each target (documents, well-formed round trip, query parameters, named-query binding, SSSOM
reader) for the given number of examples and prints, per target, the number of examples, the time,
the count of each outcome class (ok, DocumentError, UsageError) and the most frequent error
messages.  A crash (any exception other than the documented error, or a broken property) is shrunk
by hypothesis and printed with the falsifying example; the script then exits 1.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for test_fuzz

import hypothesis.strategies as st  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

import test_fuzz as F  # noqa: E402

TARGETS = {
    "documents": (F.document_bytes(), F.check_document),
    "round-trip": (F.well_formed(), lambda generated: F.check_round_trip(*generated)),
    "query-parameters": (st.tuples(st.sampled_from(F.TYPES), F.param_value), lambda args: F.check_param(*args)),
    "query-binding": (F.bind_request(), lambda request: F.check_bind(*request)),
    "sssom": (F.sssom_text(), F.check_sssom),
    "sparql-service": (F.sparql_with_service(), F.check_sparql_service),
    "yaml-tricks": (F.yaml_tricks_document(), F.check_document),
}


def run(name: str, examples: int, seed: int | None) -> tuple[Counter, float, BaseException | None]:
    strategy, check = TARGETS[name]
    outcomes: Counter = Counter()
    failure: BaseException | None = None

    @settings(max_examples=examples, deadline=None, database=None, print_blob=True,
              phases=[Phase.explicit, Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def target(value):
        outcomes[check(value)] += 1

    if seed is not None:
        from hypothesis import seed as fix_seed
        target = fix_seed(seed)(target)
    started = time.perf_counter()
    try:
        target()
    except BaseException as exc:  # noqa: BLE001 - report and go on with the other targets
        if isinstance(exc, KeyboardInterrupt):
            raise
        failure = exc
    return outcomes, time.perf_counter() - started, failure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per target (default 10000)")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of: {', '.join(TARGETS)}")
    parser.add_argument("--seed", type=int, default=None, help="a fixed seed (default: random)")
    parser.add_argument("--top", type=int, default=8, help="error messages to list per target")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.targets.split(",") if n.strip()]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    failed = []
    grand = 0
    started = time.perf_counter()
    for name in names:
        outcomes, seconds, failure = run(name, args.examples, args.seed)
        total = sum(outcomes.values())
        grand += total
        classes = Counter()
        for label, n in outcomes.items():
            classes[label.split("|")[0]] += n
        print(f"== {name}: {total} examples in {seconds:.1f} s — " + ", ".join(f"{c} {n}" for c, n in classes.most_common()))
        for label, n in Counter({k: v for k, v in outcomes.items() if k != "ok"}).most_common(args.top):
            print(f"   {n:6d}  {label.replace('|', ': ', 1)}")
        if failure is not None:
            failed.append(name)
            print(f"!! {name}: CRASH — {type(failure).__name__}: {failure}")
            traceback.print_exception(failure, file=sys.stdout)
    print(f"== total: {grand} examples in {time.perf_counter() - started:.1f} s; "
          + (f"crashes in: {', '.join(failed)}" if failed else "no crash"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
