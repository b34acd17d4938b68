"""Running the app: ``serve()`` for the CLI, ``app_from_env()`` for ``uvicorn --factory``.

    python -m uvicorn --factory plankg.publish.serve:app_from_env --host 127.0.0.1 --port 8000

reads PLANKG_STORE (default data/store), PLANKG_BASE, and the limits
PLANKG_TIMEOUT, PLANKG_MAX_ROWS, PLANKG_MAX_RESULT_CHARS, PLANKG_MAX_REQUEST_BYTES, PLANKG_SERVICE_HOSTS
(comma-separated), PLANKG_WORKERS, PLANKG_MAX_QUEUE (queries waiting for a worker; default 4 × workers),
PLANKG_QUEUE_WAIT (seconds), PLANKG_PUBLIC_URL, PLANKG_LICENCE.
"""

from __future__ import annotations

import os

from plankg.graph_store.base import open_store

from plankg.iris import DEFAULT_BASE, Iris

from .config import PublishConfig


def config_from_env(env=os.environ) -> PublishConfig:
    defaults = PublishConfig()
    hosts = tuple(h.strip() for h in env.get("PLANKG_SERVICE_HOSTS", "").split(",") if h.strip())
    return PublishConfig(
        timeout=float(env.get("PLANKG_TIMEOUT", defaults.timeout)),
        max_rows=int(env.get("PLANKG_MAX_ROWS", defaults.max_rows)),
        max_result_chars=int(env.get("PLANKG_MAX_RESULT_CHARS", defaults.max_result_chars)),
        max_request_bytes=int(env.get("PLANKG_MAX_REQUEST_BYTES", defaults.max_request_bytes)),
        service_allowlist=hosts,
        workers=int(env.get("PLANKG_WORKERS", defaults.workers)),
        max_queue=int(env["PLANKG_MAX_QUEUE"]) if env.get("PLANKG_MAX_QUEUE", "").strip() else None,
        queue_wait=float(env.get("PLANKG_QUEUE_WAIT", defaults.queue_wait)),
        public_url=env.get("PLANKG_PUBLIC_URL") or None,
        licence=env.get("PLANKG_LICENCE", defaults.licence),
    )


def app_from_env():
    from .app import create_app

    store = open_store(os.environ.get("PLANKG_STORE", "data/store"), read_only=True)
    store.count()  # fail now if there is no store
    return create_app(store, Iris(os.environ.get("PLANKG_BASE", DEFAULT_BASE)), config_from_env())


def serve(store, iris: Iris, config: PublishConfig, host: str = "127.0.0.1", port: int = 8000,
          root_path: str = "", log_level: str = "info") -> None:
    """Serve ``store`` with uvicorn until interrupted (what ``plankg serve`` calls)."""
    import uvicorn

    from .app import create_app

    uvicorn.run(create_app(store, iris, config), host=host, port=port, root_path=root_path, log_level=log_level,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1")
