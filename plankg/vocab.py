"""Namespaces used in the graph, as pyoxigraph terms: the one place an RDF namespace is spelled out.

``PK`` is closed: its terms are those of ``ontology/plankg.ttl``, listed in the generated module
:mod:`plankg._pk_terms` (``python -m plankg.vocab_gen`` writes it again after the ontology changes), so a
misspelt ``PK.Gaol`` raises at once instead of minting an IRI that is not in the ontology.  The others are
open: any name gives a term, as the outside vocabularies are not listed here.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode

from plankg._pk_terms import TERMS as _PK_TERMS


class Namespace:
    """``SKOS.prefLabel`` → ``NamedNode(".../core#prefLabel")``; ``str(SKOS)`` is the namespace IRI."""

    def __init__(self, iri: str):
        self._iri = iri

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = self.term(name)
        # kept on the instance (a term is immutable), so the next ``SKOS.prefLabel`` is a plain attribute read:
        # the emitters look terms up some 250,000 times a second while a corpus is read
        setattr(self, name, term)
        return term

    def term(self, name: str) -> NamedNode:
        return NamedNode(self._iri + name)

    def __str__(self) -> str:
        return self._iri


class ClosedNamespace(Namespace):
    """A namespace with a fixed list of terms: any other name raises :class:`AttributeError`.

    >>> ns = ClosedNamespace("https://example.org/#", ["Goal"], "example.ttl")
    >>> ns.Goal.value
    'https://example.org/#Goal'
    >>> ns.Gaol
    Traceback (most recent call last):
    ...
    AttributeError: 'Gaol' is not a term of https://example.org/# (example.ttl)
    """

    def __init__(self, iri: str, terms: Iterable[str], source: str):
        super().__init__(iri)
        self._terms = frozenset(terms)
        self._source = source

    def term(self, name: str) -> NamedNode:
        if name not in self._terms:
            raise AttributeError(f"{name!r} is not a term of {self._iri} ({self._source})")
        return NamedNode(self._iri + name)

    def __contains__(self, name: object) -> bool:
        return name in self._terms

    @property
    def terms(self) -> frozenset[str]:
        return self._terms


ONTOLOGY_IRI = "https://w3id.org/plankg/ontology"
PK = ClosedNamespace(ONTOLOGY_IRI + "#", _PK_TERMS, "ontology/plankg.ttl")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
# used in the dataset's self-description and in validation only: not in the export's prefixes
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: the prefixes of the Turtle and TriG exports (their order is the export's)
PREFIXES = {
    "pk": str(PK), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "prov": str(PROV), "org": str(ORG), "qb": str(QB), "eli": str(ELI),
    "foaf": str(FOAF), "sssom": str(SSSOM), "semapv": str(SEMAPV),
}

#: the one SPARQL prefix block: the queries plankg writes in code start with it
SPARQL_PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


def curie(iri: str) -> str:
    """``pk:supports`` for an IRI in one of :data:`PREFIXES`' namespaces (with a local name), else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
