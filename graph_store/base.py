"""The store interface plankg talks to, and backends chosen by name.

A backend keeps one named graph per document (plus the ontology and the
mapping sets) and must make :meth:`GraphStore.replace_graphs` atomic: after a
failure, every graph is exactly as it was before the call.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from pathlib import Path

from pyoxigraph import Quad

from plankg.errors import StoreError

EXPORT_FORMATS = {"nquads": "N-Quads", "trig": "TriG", "turtle": "Turtle", "jsonld": "JSON-LD"}


class GraphStore(abc.ABC):
    """A quad store with named graphs and SPARQL 1.1 Query."""

    #: short name of the backend, as used in a store spec (``oxigraph:PATH``)
    backend: str = ""

    @abc.abstractmethod
    def replace_graphs(self, graphs: Mapping[str, Iterable[Quad]], *, drop: Iterable[str] = (), reset: bool = False,
                       shared: str | None = None, record=None) -> None:
        """Atomically: (reset: empty the store;) drop ``drop``; replace each named graph in ``graphs`` with its quads.

        ``shared``: the IRI of the graph that holds, once, each triple two or more graphs state; a store that
        keeps its graphs disjoint (the embedded one: :mod:`plankg.graph_store.shared`) moves such triples
        there, others ignore it.  ``record``: for a reset write whose graphs :func:`~plankg.graph_store.shared.split`
        already made disjoint, its record of who states each shared triple."""

    @abc.abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *, inline: bool = False,
              dataset: tuple[list[str], list[str]] | None = None, base_iri: str | None = None):
        """Run a SPARQL query, with variables bound to RDF terms (never spliced).  The default graph is the RDF
        merge of the named graphs (each distinct triple once) unless the query's FROM / FROM NAMED or
        ``dataset`` — (default graph IRIs, named graph IRIs), the protocol's parameters, which win — choose
        another; ``base_iri`` resolves relative IRIs.

        ``inline``: a hint for the query planner — also write each bound term in place of its variable inside
        the pattern (see :func:`plankg.graph_store.sparql_store.bind_values`); the answer is the same.
        """

    @abc.abstractmethod
    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    @abc.abstractmethod
    def quads(self) -> Iterable[Quad]:
        """Every quad of the store."""

    def count(self) -> int:
        return sum(1 for _ in self.quads())

    def export(self, fmt: str) -> bytes:
        """Serialise the store: nquads (sorted, so equal stores export equal bytes), trig, turtle (union), jsonld."""
        from .serialise import serialise

        return serialise(self.quads(), fmt)

    def close(self) -> None:  # noqa: B027 - optional for backends
        """Release the store."""


def open_store(spec: str | Path | None, *, read_only: bool = False) -> GraphStore:
    """Open a store by spec.

    * a directory path or ``oxigraph:PATH`` — the embedded store (the default);
    * ``memory:`` — a transient in-memory store;
    * ``http://…``, ``https://…`` (or ``sparql+http(s)://…``) — a SPARQL 1.1 server: the URL of its query endpoint,
      with options in the query string (``update=``, ``gsp=``, ``union=``, ``graphs=`` …), or a ``*.toml`` file
      giving them; see :mod:`plankg.graph_store.sparql_store`.
    """
    from .oxigraph_store import MemoryStore, OxigraphStore

    spec = str(spec) if spec is not None else "data/store"
    if spec == "memory:":
        return MemoryStore()
    if spec.startswith("oxigraph:"):
        return OxigraphStore(Path(spec[len("oxigraph:"):]), read_only=read_only)
    from .sparql_store import SparqlStore, is_sparql_spec

    if is_sparql_spec(spec):
        return SparqlStore(spec, read_only=read_only)
    if "://" in spec or (":" in spec.split("/")[0] and len(spec.split(":")[0]) > 1):
        raise StoreError(f"unknown store backend in {spec!r}",
                         "use a directory path, oxigraph:PATH, memory:, an http(s) SPARQL endpoint URL or a store .toml file")
    return OxigraphStore(Path(spec), read_only=read_only)
