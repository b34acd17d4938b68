"""Writing quads into one named graph, with plankg's provenance patterns.

A node that *is* a fact (a division, a value, a count) carries ``pk:confidence`` and
``prov:wasDerivedFrom`` itself; a single triple about something else gets a
``pk:Attestation`` (an ``rdf:Statement``) with the same.  Every emitter (documents,
organisations, reported values, concepts) writes through this class, so the
patterns are the same everywhere.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from plankg.iris import Iris
from plankg.vocab import DCTERMS, FOAF, PK, PROV, RDF, RDFS, SKOS, XSD

from .model import Provenance, Source

TRUE = Literal("true", datatype=XSD.boolean)
FALSE = Literal("false", datatype=XSD.boolean)


class GraphWriter:
    """Collects quads in the graph ``graph``; sources and attestations are minted under ``scope``."""

    def __init__(self, iris: Iris, graph: str, scope: str):
        self.iris, self.g, self.scope = iris, NamedNode(graph), scope
        self.quads: list[Quad] = []

    def add(self, s, p, o) -> None:
        self.quads.append(Quad(s, p, o, self.g))

    def labels(self, s, text_zh: str | None, text_en: str | None) -> None:
        """skos:prefLabel and rdfs:label in each language given."""
        for text, lang in ((text_zh, "zh"), (text_en, "en")):
            if text:
                lit = Literal(str(text), language=lang)
                self.add(s, SKOS.prefLabel, lit)
                self.add(s, RDFS.label, lit)

    def attested_label(self, s, text: str, lang: str, prov: Provenance) -> None:
        """A label read in a source: rdfs:label, and skos:prefLabel with its attestation."""
        lit = Literal(str(text), language=lang)
        self.add(s, RDFS.label, lit)
        self.attest(s, SKOS.prefLabel, lit, prov)

    def source(self, sid: str) -> NamedNode:
        return NamedNode(self.iris.source(self.scope, sid))

    def provenance(self, s, prov: Provenance) -> None:
        self.add(s, PK.confidence, PK.term(prov.mark))
        for sid in prov.sources:
            self.add(s, PROV.wasDerivedFrom, self.source(sid))
        if prov.note:
            self.add(s, SKOS.note, Literal(prov.note, language="en"))
        if prov.uncertain:
            self.add(s, PK.uncertain, TRUE)

    def attest(self, s, p, o, prov: Provenance) -> None:
        """Add the triple and a pk:Attestation saying who states it and how sure we are."""
        self.add(s, p, o)
        a = NamedNode(self.iris.fact(self.scope, s.value, p.value, str(o)))
        self.add(a, RDF.type, PK.Attestation)
        self.add(a, RDF.type, RDF.Statement)
        self.add(a, RDF.subject, s)
        self.add(a, RDF.predicate, p)
        self.add(a, RDF.object, o)
        self.provenance(a, prov)

    def sources(self, sources: dict[str, Source]) -> None:
        for src in sources.values():
            n = self.source(src.sid)
            self.add(n, RDF.type, PK.Source)
            self.add(n, RDF.type, PROV.Entity)
            self.add(n, PK.sourceId, Literal(src.sid))
            if src.title:
                self.add(n, DCTERMS.title, Literal(str(src.title)))
                self.add(n, RDFS.label, Literal(f"{src.sid}: {src.title}"))
            if src.url:
                try:
                    self.add(n, FOAF.page, NamedNode(str(src.url)))
                except ValueError:  # not a valid IRI: keep the address as text
                    self.add(n, DCTERMS.identifier, Literal(str(src.url)))
            self.add(n, PK.official, TRUE if src.official else FALSE)
