"""Publishing the store as linked open data: an ASGI server and a static copy.

* :func:`create_app` — a starlette app (serve it with uvicorn): dereferenceable
  IRIs with content negotiation, HTML pages, a read-only SPARQL 1.1 endpoint,
  the named-query catalogue as forms, dumps and VoID/DCAT;
* :func:`publish_static` — the same pages, representations, dumps and metadata
  as files, with nginx and Apache configurations for content negotiation.
"""

from .config import PublishConfig


def create_app(store, iris=None, config=None):
    from .app import create_app as _create

    return _create(store, iris, config)


def publish_static(store, out_dir, iris=None, base_url="/", config=None):
    from .static import publish_static as _publish

    return _publish(store, out_dir, iris, base_url, config)


__all__ = ["PublishConfig", "create_app", "publish_static"]
