"""Namespaces used in the graph, as pyoxigraph terms."""

from __future__ import annotations

from pyoxigraph import NamedNode


class Namespace:
    """``PK.Goal`` → ``NamedNode(".../ontology#Goal")``; ``str(PK)`` is the namespace IRI."""

    def __init__(self, iri: str):
        self._iri = iri

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return NamedNode(self._iri + name)

    def term(self, name: str) -> NamedNode:
        return NamedNode(self._iri + name)

    def __str__(self) -> str:
        return self._iri


PK = Namespace("https://w3id.org/plankg/ontology#")
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

PREFIXES = {
    "pk": str(PK), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "prov": str(PROV), "org": str(ORG), "qb": str(QB), "eli": str(ELI),
    "foaf": str(FOAF), "sssom": str(SSSOM), "semapv": str(SEMAPV),
}

SPARQL_PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
