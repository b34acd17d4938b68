"""Minting of stable IRIs.

Pattern (``{base}`` defaults to ``https://w3id.org/plankg/`` and is configurable)::

    {base}id/{doc}                          a document
    {base}id/{doc}/p3/s4/i2/si1             a division, by its numbering path
    {base}id/{doc}/p2/s2/b3                 a —— bullet, by position under its parent
    {base}id/{doc}/p2/s3/t1                 an indicator table (t = table number in the document)
    {base}id/{doc}/box2                     a 专栏 box
    {base}id/{doc}/value/{ind}/{role}-{year}  an indicator value
    {base}id/{doc}/count/{class}            a count the sources state
    {base}id/{doc}/unplaced/{key}           a named thing whose place is unknown
    {base}id/{doc}/fact/{hash}              provenance of one metadata triple
    {base}id/{doc}/work/{hash}              a work the text cites by a 《》 title that matches no document
    {base}id/indicator/{slug}               an indicator (shared across documents)
    {base}id/org/{slug}                     an organisation
    {base}id/org-change/{slug}              a change of organisations (renaming)
    {base}id/{doc}/value/{ind}/actual-{ref} a value reported after the plan (ref: year or date)
    {base}id/{scheme}/{id}                  an outside concept (e.g. sdg/9.5)
    {base}id/source/{doc}/{S-id}            a source of facts, as numbered in its fact sheet
    {base}id/mapping/{set}/{hash}           one curated mapping
    {base}graph/{doc}   {base}graph/ontology   {base}graph/mappings/{set}   named graphs

The same document id and numbering always give the same IRI, so re-ingesting a
document replaces its triples without changing any IRI.
"""

from __future__ import annotations

import hashlib
import re

from plankg.vocab import PK

DEFAULT_BASE = "https://w3id.org/plankg/"
ONTOLOGY_NS = str(PK)

DOC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")
RESERVED_IDS = frozenset({"indicator", "org", "org-change", "source", "mapping", "graph", "ontology", "unit",
                          "organisations", "actuals", "concepts", "sdg", "mappings", "suggestions", "value", "shared"})


def iri_problem(iri: str) -> str | None:
    """Why ``iri`` is not an absolute IRI that RDF tools accept (RFC 3987, as pyoxigraph reads it), or None:
    a bad percent escape (``%zz``), a second ``#``, a host that does not parse (``[::1``), a newline …"""
    from urllib.parse import urlsplit

    from pyoxigraph import NamedNode

    try:
        NamedNode(iri)
        parts = urlsplit(iri)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        return str(exc).splitlines()[0] if str(exc) else "it does not parse"
    return None


def short_hash(*parts: str, length: int = 12) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


class Iris:
    """IRI factory for one base."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not isinstance(base, str) or not re.fullmatch(r"https?://[^\s<>\"{}|\\^`?#]+/", base):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/', with no space, '?' or '#': {base!r}")
        problem = iri_problem(base)
        if problem:
            raise ValueError(f"base IRI {base!r} is not a valid IRI: {problem}")
        self.base = base
        self.id = base + "id/"

    def doc(self, doc_id: str) -> str:
        return f"{self.id}{doc_id}"

    def division(self, doc_id: str, path: str) -> str:
        return f"{self.id}{doc_id}/{path}"

    def value(self, doc_id: str, indicator: str, role: str, year: int) -> str:
        return f"{self.id}{doc_id}/value/{indicator}/{role}-{year}"

    def dataset(self, doc_id: str) -> str:
        return f"{self.id}{doc_id}/values"

    def count(self, doc_id: str, cls: str) -> str:
        return f"{self.id}{doc_id}/count/{cls}"

    def unplaced(self, doc_id: str, key: str) -> str:
        return f"{self.id}{doc_id}/unplaced/{key}"

    def fact(self, doc_id: str, s: str, p: str, o: str) -> str:
        return f"{self.id}{doc_id}/fact/{short_hash(s, p, o)}"

    def work(self, doc_id: str, title: str) -> str:
        from plankg.ingest.extract import normalise

        return f"{self.id}{doc_id}/work/{short_hash(normalise(title))}"

    def org_change(self, slug: str) -> str:
        return f"{self.id}org-change/{slug}"

    def concept(self, scheme: str, cid: str = "") -> str:
        return f"{self.id}{scheme}/{cid}" if cid else f"{self.id}{scheme}"

    def actuals(self, doc_id: str) -> str:
        return f"{self.id}{doc_id}/actuals"

    def indicator(self, slug: str) -> str:
        return f"{self.id}indicator/{slug}"

    def org(self, slug: str) -> str:
        return f"{self.id}org/{slug}"

    def source(self, doc_id: str, source_id: str) -> str:
        return f"{self.id}source/{doc_id}/{source_id}"

    def mapping(self, set_id: str, s: str, p: str, o: str) -> str:
        return f"{self.id}mapping/{set_id}/{short_hash(s, p, o)}"

    def graph(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    def home_graph(self, iri: str) -> str | None:
        """The graph that says what a node is: a document's own graph for the document and its divisions, the
        organisations graph for an organisation; None for what no one file owns (an indicator)."""
        if iri.startswith(self.id + "org/"):
            return self.graph("organisations")
        doc = self.doc_id_of(iri)
        return self.graph(doc) if doc else None

    def sharing(self):
        """Where the store keeps a triple two or more graphs state (graph_store/shared.py)."""
        from plankg.graph_store.shared import Sharing

        return Sharing(self.graph("shared"), self.home_graph)

    def doc_id_of(self, iri: str) -> str | None:
        """The document id of a document or division IRI, else None."""
        if not iri.startswith(self.id):
            return None
        head = iri[len(self.id):].split("/", 1)[0]
        return None if head in RESERVED_IDS else head
