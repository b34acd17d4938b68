"""The W3C Server Timing header (https://www.w3.org/TR/server-timing/) of a SPARQL answer: where its time went.

``Server-Timing: check;dur=0.41;desc="reading the query", worker;dur=3.2;desc="…", engine;dur=2.9;desc="…"``
— durations in milliseconds.  A client (a browser's network panel, ``curl -D -``, benchmarks/serve_bench.py)
sees what the engine took and what the server around it added.  An answer replayed by the response cache
says so instead (``cache;desc="hit"``: publish/response_cache.py), not the timings of the run it keeps.
"""

from __future__ import annotations

import time


class ServerTiming:
    def __init__(self) -> None:
        self._last = time.perf_counter()
        self._metrics: list[tuple[str, float, str]] = []

    def lap(self, name: str, desc: str) -> None:
        """A metric for the time since the last lap (or the start)."""
        now = time.perf_counter()
        self._metrics.append((name, now - self._last, desc))
        self._last = now

    def add(self, name: str, seconds: float, desc: str) -> None:
        """A metric measured elsewhere (the engine's time, reported by the worker), not moving the laps."""
        self._metrics.append((name, seconds, desc))

    def header(self) -> str:
        return ", ".join(f'{name};dur={seconds * 1000:.3f};desc="{desc}"' for name, seconds, desc in self._metrics)


def parse(header: str | None) -> dict[str, float]:
    """name → milliseconds of a Server-Timing header (metrics without ``dur`` are 0; a description holding a
    comma is not read: plankg writes none)."""
    out: dict[str, float] = {}
    for metric in (header or "").split(","):
        name, *params = [p.strip() for p in metric.split(";")]
        if not name:
            continue
        out[name] = next((float(p[4:]) for p in params if p.startswith("dur=")), 0.0)
    return out
