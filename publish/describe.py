"""The bounded description of one resource, as its RDF twins serve it.

For an IRI ``x`` the description holds (all over the union of the named graphs):

* every triple ``x p o`` (outgoing), and the closure over blank-node objects;
* every triple ``s p x`` (incoming links);
* the labels (rdfs:label, skos:prefLabel) of every resource linked either way;
* each attestation about ``x`` (a ``pk:Attestation`` with ``rdf:subject x``) and
  each curated mapping touching ``x``, whole — that is the provenance of its
  metadata and curated links;
* the title and web page of every source ``x`` or its attestations derive from.

The IRI is always bound as a term, never pasted into query text.

Bounded means bounded: at most :data:`LIMIT` links each way (a goal that 100,000 tasks support would
otherwise make a 60 MB page); past it the description says how many there are (:attr:`Description.cut`) and
the rest is a SPARQL query away.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode, NamedNode, Triple

from plankg.vocab import SPARQL_PREFIXES

EXISTS = "SELECT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } } LIMIT 1"
#: links each way a description holds at most
LIMIT = 1000
OUTGOING = f"SELECT DISTINCT ?x ?p ?o WHERE {{ ?x ?p ?o }} ORDER BY ?p ?o LIMIT {LIMIT + 1}"
INCOMING = f"SELECT DISTINCT ?x ?s ?p WHERE {{ ?s ?p ?x }} ORDER BY ?p ?s LIMIT {LIMIT + 1}"
COUNT_OUT = "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?x"
COUNT_IN = "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?p ?x } GROUP BY ?x"
BNODES = """SELECT DISTINCT ?x ?b ?p ?o WHERE {
  ?x ?q ?b0 . FILTER(isBlank(?b0))
  ?b0 (!<urn:plankg:none>)* ?b . FILTER(isBlank(?b))
  ?b ?p ?o
}"""
LABELS_OF = SPARQL_PREFIXES + """SELECT ?r ?p ?l WHERE {
  { ?r rdfs:label ?l BIND(rdfs:label AS ?p) } UNION { ?r skos:prefLabel ?l BIND(skos:prefLabel AS ?p) }
}"""
PROVENANCE = SPARQL_PREFIXES + """SELECT DISTINCT ?x ?a ?p ?o WHERE {
  { ?a rdf:subject ?x . ?a a pk:Attestation } UNION { ?a rdf:subject ?x . ?a a pk:CuratedMapping }
  UNION { ?a rdf:object ?x . ?a a pk:CuratedMapping }
  ?a ?p ?o
}"""
SOURCES = SPARQL_PREFIXES + """SELECT DISTINCT ?x ?s ?p ?o WHERE {
  { ?x prov:wasDerivedFrom ?s } UNION { ?a rdf:subject ?x . ?a prov:wasDerivedFrom ?s }
  ?s ?p ?o . FILTER(?p IN (dcterms:title, foaf:page, rdfs:label))
}"""


@dataclass
class Description:
    iri: str
    outgoing: list = field(default_factory=list)  # (p, o) terms
    incoming: list = field(default_factory=list)  # (s, p)
    extra: list = field(default_factory=list)  # (s, p, o): labels, provenance, sources, blank-node closure
    #: "outgoing"/"incoming" → how many links there are, for a direction cut at LIMIT
    cut: dict = field(default_factory=dict)

    def triples(self, incoming: slice | None = None) -> list[Triple]:
        """The description's triples; ``incoming`` picks a slice of the incoming links (a page's)."""
        x = NamedNode(self.iri)
        seen, out = set(), []
        links_in = self.incoming if incoming is None else self.incoming[incoming]
        for t in ([Triple(x, p, o) for p, o in self.outgoing] + [Triple(s, p, x) for s, p in links_in]
                  + [Triple(s, p, o) for s, p, o in self.extra]):
            key = str(t)
            if key not in seen:
                seen.add(key)
                out.append(t)
        return out


def exists(store, iri: str) -> bool:
    return any(True for _ in store.query(EXISTS, {"x": NamedNode(iri)}))


def describe(store, iri: str) -> Description | None:
    """The bounded description of ``iri``, or None when the store does not know it."""
    x = {"x": NamedNode(iri)}
    if not exists(store, iri):
        return None
    d = Description(iri)
    d.outgoing = [(r["p"], r["o"]) for r in store.query(OUTGOING, x)]
    d.incoming = [(r["s"], r["p"]) for r in store.query(INCOMING, x)]
    for name, links, count in (("outgoing", d.outgoing, COUNT_OUT), ("incoming", d.incoming, COUNT_IN)):
        if len(links) > LIMIT:
            del links[LIMIT:]
            d.cut[name] = int(next(iter(store.query(count, x)))["n"].value)
    if any(isinstance(o, BlankNode) for _, o in d.outgoing):
        d.extra += [(r["b"], r["p"], r["o"]) for r in store.query(BNODES, x)]
    neighbours = {o for _, o in d.outgoing if isinstance(o, NamedNode)} | {s for s, _ in d.incoming if isinstance(s, NamedNode)}
    for n in sorted(neighbours, key=str):  # one small query each: cheaper than a join over every label
        d.extra += [(r["r"], r["p"], r["l"]) for r in store.query(LABELS_OF, {"r": n})]
    for query in (PROVENANCE, SOURCES):
        d.extra += [(r[1], r[2], r[3]) for r in store.query(query, x)]
    return d
