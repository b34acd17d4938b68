"""A response cache keyed by the store's generation: a repeated page, named query or SPARQL request is answered
from memory, byte for byte what the app answered the first time, until the store changes.

The answer of a GET (or HEAD) and of a SPARQL POST is a function of the request and the data; the data is fixed
for a store generation, so the key is (generation token, method, path, query string, the request headers that
can change the answer, the body).  Nothing goes stale: a new generation is a new key, and the old entries are
dropped when the generation changes.  The cache sits outside the compression and revalidation layers, so a hit
costs no query, no rendering, no gzip and no hashing; a conditional request (``If-None-Match``,
``If-Modified-Since``) is still answered ``304 Not Modified`` from the cached validators.

Not cached: any status but 200, ``Cache-Control: no-store`` answers, requests with ``Authorization``, ``Cookie``
or ``Range``, a body over :data:`MAX_BODY` or without ``Content-Length``, an answer over ``max_entry`` bytes
(an eighth of the cache: the dumps of a big store), and SPARQL requests when SERVICE calls are allowed (their answers depend on other servers).
A request with ``Cache-Control: no-cache`` (or ``Pragma: no-cache``) is answered by the app and refreshes the
entry.  Hits carry ``X-Plankg-Cache: hit``.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from email.utils import parsedate_to_datetime

#: request headers that never change an answer (or are answered by this layer: the conditional ones)
IGNORED = frozenset({
    b"user-agent", b"connection", b"keep-alive", b"content-length", b"if-none-match", b"if-modified-since",
    b"cache-control", b"pragma", b"te", b"upgrade-insecure-requests", b"priority", b"dnt", b"referer",
    b"x-request-id", b"traceparent", b"tracestate",
})
#: a request that names a person or a part of a body is never served from a shared cache
UNCACHED = frozenset({b"authorization", b"cookie", b"range", b"if-range"})
#: the largest POST body that is read ahead to key the request (the endpoint's own limit is checked after it)
MAX_BODY = 64 * 1024
#: the scope key under which the app finds the (token, time) of the generation the request is answered for
GENERATION = "plankg.generation"
#: headers a 304 repeats from the cached answer (RFC 9110 §15.4.5)
NOT_MODIFIED_HEADERS = (b"etag", b"last-modified", b"cache-control", b"vary", b"content-location", b"date",
                        b"access-control-allow-origin", b"access-control-expose-headers")


def not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, modified: float) -> bool:
    """RFC 9110 §13.1: If-None-Match (weak comparison) decides when present, else If-Modified-Since."""
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        return "*" in tags or (bool(etag) and any(t.removeprefix("W/") == etag.removeprefix("W/") for t in tags))
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(modified) <= since
    return False


class _Entry:
    __slots__ = ("status", "headers", "body", "etag", "modified")

    def __init__(self, status: int, headers: list, body: bytes, modified: float):
        self.status, self.headers, self.body, self.modified = status, headers, body, modified
        self.etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), "")
        stated = next((v.decode("latin-1") for k, v in headers if k.lower() == b"last-modified"), None)
        if stated:  # what the answer says (a static file's own time), else the generation's
            try:
                self.modified = parsedate_to_datetime(stated).timestamp()
            except (TypeError, ValueError):
                pass

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class ResponseCache:
    """ASGI middleware: an LRU of whole answers, at most ``max_bytes`` in all and ``max_entry`` each (0: off).

    ``generation`` returns (token, time) of the data being served; ``sparql_paths`` are the paths whose POST
    answers may be cached; ``federated`` says whether SPARQL answers may depend on other servers (then they
    are not cached)."""

    def __init__(self, app, generation, *, max_bytes: int = 64 * 1024 * 1024, max_entry: int = 1024 * 1024,
                 sparql_paths: tuple[str, ...] = ("/sparql",), federated: bool = False):
        self.app = app
        self.generation = generation
        self.max_bytes = max_bytes
        self.max_entry = min(max_entry, max_bytes)
        self.sparql_paths = sparql_paths
        self.federated = federated
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._bytes = 0
        self._token = None
        self._lock = threading.Lock()

    # -- the table -------------------------------------------------------------------------------------------
    def _get(self, key) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def _put(self, key, entry: _Entry) -> None:
        size = entry.size
        if size > self.max_entry:
            return
        with self._lock:
            if key[0] != self._token:  # a new generation: the old answers can never be asked for again
                self._entries.clear()
                self._bytes, self._token = 0, key[0]
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def __len__(self) -> int:
        return len(self._entries)

    # -- ASGI ------------------------------------------------------------------------------------------------
    async def __call__(self, scope, receive, send):
        if self.max_bytes <= 0 or scope["type"] != "http":
            return await self.app(scope, receive, send)
        method = scope["method"]
        path = scope.get("path", "")
        is_sparql = path.removeprefix(scope.get("root_path", "")) in self.sparql_paths or path in self.sparql_paths
        if method not in ("GET", "HEAD", "POST") or (method == "POST" and not is_sparql) \
                or (is_sparql and self.federated):
            return await self.app(scope, receive, send)
        raw = scope.get("headers", [])
        named = {}
        for k, v in raw:
            named.setdefault(k.lower(), []).append(v)
        if UNCACHED & named.keys():
            return await self.app(scope, receive, send)
        body = b""
        if method == "POST":
            length = (named.get(b"content-length") or [b""])[0]
            if not length.isdigit() or int(length) > MAX_BODY:
                return await self.app(scope, receive, send)
            body, receive = await _read_body(receive)
        token, modified = self.generation()
        varying = tuple(sorted((k, b"\x1f".join(v)) for k, v in named.items() if k not in IGNORED))
        key = (token, "GET" if method == "HEAD" else method, scope.get("root_path", ""), path,
               scope.get("query_string", b""), varying, hashlib.sha256(body).digest() if body else b"")

        def header(name: bytes) -> str | None:
            v = named.get(name)
            return v[0].decode("latin-1") if v else None

        fresh = "no-cache" in (header(b"cache-control") or "").lower() or "no-cache" in (header(b"pragma") or "").lower()
        entry = None if fresh else self._get(key)
        hit = entry is not None
        if not hit:
            entry = await self._from_app(scope, receive, raw, key, modified)
        await self._answer(entry, method, header, send, hit)

    async def _answer(self, entry: _Entry, method: str, header, send, hit: bool) -> None:
        headers, mark = entry.headers, []
        if hit:  # the kept answer's own Server-Timing was the run's, not this answer's
            headers = [(k, v) for k, v in headers if k.lower() != b"server-timing"]
            mark = [(b"x-plankg-cache", b"hit"), (b"server-timing", b'cache;desc="hit"')]
        if entry.status == 200 and method != "POST" and not_modified(
                header(b"if-none-match"), header(b"if-modified-since"), entry.etag, entry.modified):
            keep = [(k, v) for k, v in headers if k.lower() in NOT_MODIFIED_HEADERS]
            await send({"type": "http.response.start", "status": 304, "headers": keep + mark})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": entry.status, "headers": headers + mark})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else entry.body})

    async def _from_app(self, scope, receive, raw, key, modified: float) -> _Entry:
        """The app's whole answer to the request as a GET (for a HEAD) without its conditions — this layer
        answers those — kept when it may be."""
        inner = dict(scope, method="GET" if scope["method"] == "HEAD" else scope["method"],
                     headers=[(k, v) for k, v in raw if k.lower() not in (b"if-none-match", b"if-modified-since")])
        inner[GENERATION] = (key[0], modified)  # the layers below answer for the generation this key names
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(inner, receive, capture)
        headers = list(start.get("headers", []))
        entry = _Entry(start.get("status", 500), headers, b"".join(chunks), modified)
        if entry.status == 200 and not any(k.lower() == b"cache-control" and b"no-store" in v.lower()
                                           for k, v in headers):
            self._put(key, entry)
        return entry


async def _read_body(receive):
    """The whole request body, and a ``receive`` that gives it to the app again."""
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: let the app see it
            first = message

            async def replay_disconnect():
                return first
            return b"", replay_disconnect
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(parts)
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return body, replay


__all__ = ["GENERATION", "ResponseCache", "not_modified"]
