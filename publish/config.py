"""Settings of the server (``plankg serve``) and the static publisher."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from plankg.errors import UsageError

from .void import DEFAULT_LICENCE


class ConfigError(UsageError, ValueError):
    """A server setting that cannot work; ``field`` names it (the CLI says --timeout, the environment PLANKG_TIMEOUT)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.args = (field, message)
        self.field = field
        self.detail = message


@dataclass(frozen=True)
class PublishConfig:
    #: seconds a SPARQL query may run before its worker is killed and the client gets 503
    timeout: float = 10.0
    #: at most this many result rows (or CONSTRUCT triples) are returned; more → X-Plankg-Truncated: true
    max_rows: int = 10_000
    #: at most this many characters of term text in one answer (rows of huge literals); more → truncated too
    max_result_chars: int = 32 * 1024 * 1024
    #: the largest request accepted: POST body bytes (413) or GET query-string bytes (414)
    max_request_bytes: int = 64 * 1024
    #: hosts (or host:port) that SERVICE may call; empty: SERVICE is refused
    service_allowlist: tuple[str, ...] = ()
    #: worker processes running /sparql queries
    workers: int = 2
    #: queries that may wait for a busy worker; more → 503 at once (Retry-After: 1); None: 4 × workers
    max_queue: int | None = None
    #: seconds a queued query waits for a worker before it gets 503 (Retry-After: 1)
    queue_wait: float = 1.0
    #: absolute URL where the site is public, ending in '/' (VoID dumps, endpoint); None: from each request
    public_url: str | None = None
    #: licence of the data, stated in VoID/DCAT and on every page
    licence: str = DEFAULT_LICENCE
    #: entries per page for long lists on resource pages
    page_size: int = 50
    #: the language pages open in (zh or en)
    default_lang: str = "zh"
    #: MiB of whole answers kept for repeated requests, for the store generation they came from (0: no cache)
    response_cache_mib: int = 64

    def __post_init__(self):
        problem = self.problem()
        if problem:
            raise ConfigError(*problem)

    def problem(self) -> tuple[str, str] | None:
        """The first setting that cannot work, as (field, what is wrong), or None: checked when the server is
        configured, so that a bad value stops it at start-up rather than failing every page."""
        def number(v, low, strict):
            return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and (v > low if strict else v >= low)
        if not number(self.timeout, 0, True):
            return "timeout", f"{self.timeout!r} is not a finite number of seconds above 0"
        if not number(self.queue_wait, 0, False):
            return "queue_wait", f"{self.queue_wait!r} is not a finite number of seconds (0 or more)"
        for name, low in (("max_rows", 1), ("max_request_bytes", 1), ("workers", 1), ("page_size", 1),
                          ("response_cache_mib", 0)):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < low:
                return name, f"{v!r} is not a whole number of at least {low}"
        if self.max_queue is not None and (not isinstance(self.max_queue, int) or self.max_queue < 0):
            return "max_queue", f"{self.max_queue!r} is not a whole number (0 or more)"
        if self.public_url is not None:
            from plankg.iris import iri_problem

            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`?#]+/", self.public_url):
                return "public_url", f"{self.public_url!r} is not an absolute http(s) URL ending in /, with no space, '?' or '#'"
            problem = iri_problem(self.public_url)
            if problem:
                return "public_url", f"{self.public_url!r} is not a valid URL: {problem}"
        return None

    @property
    def queue_size(self) -> int:
        """How many queries may wait: a bounded queue keeps overload from piling up in the server."""
        return 4 * max(1, self.workers) if self.max_queue is None else max(0, self.max_queue)

    def limits(self) -> dict[str, str]:
        hosts = ", ".join(self.service_allowlist) or "none"
        return {
            "timeout": f"{self.timeout:g} s (then 503 Service Unavailable)",
            "queue": f"{self.queue_size} waiting queries, each at most {self.queue_wait:g} s "
                     "(then 503 Service Unavailable, Retry-After: 1)",
            "row cap": f"{self.max_rows} rows or {self.max_result_chars // (1024 * 1024)} Mi characters of values "
                       "(then X-Plankg-Truncated: true)",
            "request size": f"{self.max_request_bytes} bytes (413 for a body, 414 for a URL)",
            "SERVICE hosts allowed": hosts,
            "updates": "refused (read-only, 403)",
            "response cache": (f"{self.response_cache_mib} MiB of answers, for the current store generation"
                               if self.response_cache_mib else "off"),
        }
