"""Settings of the server (``plankg serve``) and the static publisher."""

from __future__ import annotations

from dataclasses import dataclass

from .void import DEFAULT_LICENCE


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
        }
