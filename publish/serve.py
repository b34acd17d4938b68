"""Running the app: ``serve()`` for the CLI, ``app_from_env()`` for ``uvicorn --factory``.

    python -m uvicorn --factory plankg.publish.serve:app_from_env --host 127.0.0.1 --port 8000

reads PLANKG_STORE (default data/store), PLANKG_BASE, and the limits
PLANKG_TIMEOUT, PLANKG_MAX_ROWS, PLANKG_MAX_RESULT_CHARS, PLANKG_MAX_REQUEST_BYTES, PLANKG_SERVICE_HOSTS
(comma-separated), PLANKG_WORKERS, PLANKG_MAX_QUEUE (queries waiting for a worker; default 4 × workers),
PLANKG_QUEUE_WAIT (seconds), PLANKG_PUBLIC_URL, PLANKG_LICENCE, PLANKG_RESPONSE_CACHE_MIB (MiB of repeated answers
kept per store generation; 0: none).
"""

from __future__ import annotations

import os
import socket
import sys

from plankg.errors import PlankgError, UsageError
from plankg.graph_store import DEFAULT_STORE, open_store

from plankg.iris import DEFAULT_BASE, Iris

from .config import ConfigError, PublishConfig


#: the settings read from the environment: variable → (field of PublishConfig, parser)
ENV = {"PLANKG_TIMEOUT": ("timeout", float), "PLANKG_MAX_ROWS": ("max_rows", int),
       "PLANKG_MAX_RESULT_CHARS": ("max_result_chars", int),
       "PLANKG_MAX_REQUEST_BYTES": ("max_request_bytes", int), "PLANKG_WORKERS": ("workers", int),
       "PLANKG_MAX_QUEUE": ("max_queue", int), "PLANKG_QUEUE_WAIT": ("queue_wait", float),
       "PLANKG_PUBLIC_URL": ("public_url", str), "PLANKG_LICENCE": ("licence", str),
       "PLANKG_RESPONSE_CACHE_MIB": ("response_cache_mib", int)}


def config_from_env(env=os.environ) -> PublishConfig:
    """The server's settings from PLANKG_* variables; a value that does not parse or cannot work raises a
    UsageError naming the variable (at start-up: never a 500 on every page)."""
    values: dict[str, object] = {}
    for var, (name, kind) in ENV.items():
        raw = env.get(var, "")
        if not raw.strip():
            continue
        try:
            values[name] = kind(raw.strip()) if kind is not str else raw
        except ValueError:
            raise UsageError(f"{var}={raw!r} is not {'a whole number' if kind is int else 'a number'}") from None
    values["service_allowlist"] = tuple(h.strip() for h in env.get("PLANKG_SERVICE_HOSTS", "").split(",") if h.strip())
    try:
        return PublishConfig(**values)
    except ConfigError as exc:
        var = next(v for v, (name, _) in ENV.items() if name == exc.field)
        raise UsageError(f"{var}: {exc.detail}") from None


def iris_from_env(env=os.environ) -> Iris:
    try:
        return Iris(env.get("PLANKG_BASE", DEFAULT_BASE))
    except ValueError as exc:
        raise UsageError(f"PLANKG_BASE: {exc}") from None


def app_from_env():
    """The app for ``uvicorn --factory``; a bad setting or store stops the start with one line on stderr, exit 2."""
    from .app import create_app

    try:
        config, iris = config_from_env(), iris_from_env()
        store = open_store(os.environ.get("PLANKG_STORE", DEFAULT_STORE), read_only=True)
        store.count()  # fail now if there is no store
    except PlankgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    return create_app(store, iris, config)


def check_port(host: str, port: int) -> None:
    """Refuse a port another process listens on (or an address this host does not have), before anything starts:
    one line and exit 2 rather than uvicorn's log and its exit code 3."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"--host {host!r}: not an address to listen on ({exc})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a port in TIME_WAIT is free
        try:
            sock.bind(address)
        except OSError as exc:
            raise UsageError(f"--port {port}: cannot listen on {host}:{port}: {exc.strerror or exc}",
                             "is another server running there? choose another --port") from None


def serve(store, iris: Iris, config: PublishConfig, host: str = "127.0.0.1", port: int = 8000,
          root_path: str = "", log_level: str = "info") -> None:
    """Serve ``store`` with uvicorn until interrupted (what ``plankg serve`` calls)."""
    import uvicorn

    from .app import create_app

    uvicorn.run(create_app(store, iris, config), host=host, port=port, root_path=root_path, log_level=log_level,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1")
