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
    #: the largest request accepted: POST body bytes (413) or GET query-string bytes (414)
    max_request_bytes: int = 64 * 1024
    #: hosts (or host:port) that SERVICE may call; empty: SERVICE is refused
    service_allowlist: tuple[str, ...] = ()
    #: worker processes running /sparql queries
    workers: int = 2
    #: absolute URL where the site is public, ending in '/' (VoID dumps, endpoint); None: from each request
    public_url: str | None = None
    #: licence of the data, stated in VoID/DCAT and on every page
    licence: str = DEFAULT_LICENCE
    #: entries per page for long lists on resource pages
    page_size: int = 50
    #: the language pages open in (zh or en)
    default_lang: str = "zh"

    def limits(self) -> dict[str, str]:
        hosts = ", ".join(self.service_allowlist) or "none"
        return {
            "timeout": f"{self.timeout:g} s (then 503 Service Unavailable)",
            "row cap": f"{self.max_rows} rows (then X-Plankg-Truncated: true)",
            "request size": f"{self.max_request_bytes} bytes (413 for a body, 414 for a URL)",
            "SERVICE hosts allowed": hosts,
            "updates": "refused (read-only, 403)",
        }
