"""The store interface plankg talks to; the backends are named in :mod:`plankg.graph_store.registry`.

A backend keeps one named graph per document (plus the ontology and the
mapping sets) and must make :meth:`GraphStore.replace_graphs` atomic: after a
failure, every graph is exactly as it was before the call.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import Quad

from .serialise import serialise


@dataclass(frozen=True)
class Reopen:
    """How another process opens a store again, read-only (what :meth:`GraphStore.reopen` answers): the
    ``from_spec(spec, read_only=True, **options)`` of the backend registered as ``backend``
    (:func:`plankg.graph_store.registry.reopen`).  Plain data, so it crosses to a ``spawn``ed worker.

    ``remote``: the store is a server that the worker reaches over the network and that runs the queries
    itself (so the worker cannot run without network, and gains nothing from running the query apart)."""

    backend: str
    spec: str
    options: Mapping[str, object] = field(default_factory=dict)
    remote: bool = False


class GraphStore(abc.ABC):
    """A quad store with named graphs and SPARQL 1.1 Query."""

    #: short name of the backend: its key in :data:`plankg.graph_store.registry.BACKENDS`
    backend: str = ""
    #: the specs that open this backend, as the hint for a spec that names none says them
    spec_forms: str = ""

    @classmethod
    def accepts(cls, spec: str) -> bool:
        """Does ``spec`` name a store of this backend (``oxigraph:PATH``, ``memory:``, a URL …)?"""
        return False

    @classmethod
    @abc.abstractmethod
    def from_spec(cls, spec: str, *, read_only: bool = False, **options) -> GraphStore:
        """The store ``spec`` names; ``options``: those of a :class:`Reopen` this backend gave."""

    @abc.abstractmethod
    def reopen(self) -> Reopen:
        """How a worker process opens this store again, read-only, to see what this one sees now."""

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
        the pattern (see :func:`plankg.graph_store.sparql_text.bind_values`); the answer is the same.
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
        return serialise(self.quads(), fmt)

    def close(self) -> None:  # noqa: B027 - optional for backends
        """Release the store."""
