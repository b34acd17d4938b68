"""plankg's stores: the interface (:mod:`.base`), the backends by name (:mod:`.registry`) and :func:`open_store`."""

from .base import GraphStore, Reopen
from .registry import BACKENDS, DEFAULT_STORE, open_store

__all__ = ["BACKENDS", "DEFAULT_STORE", "GraphStore", "Reopen", "open_store"]
