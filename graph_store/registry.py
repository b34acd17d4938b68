"""The store backends by name, and :func:`open_store`, which picks one for a spec.

Each backend is one :class:`~plankg.graph_store.base.GraphStore` class, which says which specs it
``accepts`` and opens one ``from_spec``; a new backend is that class and one line in :data:`BACKENDS`.  The
classes are imported only when a spec is matched against them (as ``rdflib/plugin.py`` loads its plugins),
so the backends may import :mod:`~plankg.graph_store.base` without an import circle.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from plankg.errors import StoreError

if TYPE_CHECKING:
    from .base import GraphStore, Reopen

#: name → (module, class); a spec is matched against them in this order
BACKENDS: dict[str, tuple[str, str]] = {
    "oxigraph": ("plankg.graph_store.oxigraph_store", "OxigraphStore"),
    "memory": ("plankg.graph_store.oxigraph_store", "MemoryStore"),
    "sparql": ("plankg.graph_store.sparql_store", "SparqlStore"),
}
#: the backend of a spec that no backend claims and that names no scheme: a directory path
DEFAULT_BACKEND = "oxigraph"
#: the store used when none is given (relative to the working directory)
DEFAULT_STORE = "data/store"


def backend(name: str) -> type[GraphStore]:
    """The class registered as ``name``."""
    if name not in BACKENDS:
        raise StoreError(f"unknown store backend {name!r}", f"known backends: {', '.join(BACKENDS)}")
    module, cls = BACKENDS[name]
    return getattr(importlib.import_module(module), cls)


def spec_forms() -> str:
    """The specs that open a store, backend by backend (the hint for a spec that names no backend)."""
    return ", ".join(backend(name).spec_forms for name in BACKENDS)


def _names_a_scheme(spec: str) -> bool:
    head = spec.split("/")[0]
    return "://" in spec or (":" in head and len(spec.split(":")[0]) > 1)


def open_store(spec: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open a store by spec (None: :data:`DEFAULT_STORE`).

    * a directory path or ``oxigraph:PATH`` — the embedded store (the default);
    * ``memory:`` — a transient in-memory store;
    * ``http://…``, ``https://…`` (or ``sparql+http(s)://…``) — a SPARQL 1.1 server: the URL of its query endpoint,
      with options in the query string (``update=``, ``gsp=``, ``union=``, ``graphs=`` …), or a ``*.toml`` file
      giving them; see :mod:`plankg.graph_store.sparql_spec`.
    """
    spec = str(spec) if spec is not None else DEFAULT_STORE
    for name in BACKENDS:
        cls = backend(name)
        if cls.accepts(spec):
            return cls.from_spec(spec, read_only=read_only)
    if _names_a_scheme(spec):
        raise StoreError(f"unknown store backend in {spec!r}", f"use {spec_forms()}")
    return backend(DEFAULT_BACKEND).from_spec(spec, read_only=read_only)


def reopen(source: Reopen) -> GraphStore:
    """The store a :class:`~plankg.graph_store.base.Reopen` describes, opened read-only (in a worker process)."""
    return backend(source.backend).from_spec(source.spec, read_only=True, **source.options)
