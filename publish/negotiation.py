"""Content negotiation: the media types plankg serves and an RFC 9110 ``Accept`` matcher.

A client's ``Accept`` header is matched against a list of *offers* (media
types, in the server's order of preference).  For each offer the most specific
matching range decides its quality (``text/turtle`` beats ``text/*`` beats
``*/*``); the offer with the highest quality wins and ties go to the server's
order.  No header, or ``*/*``, gives the first offer.  ``None`` means nothing
acceptable: the caller answers 406 Not Acceptable.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import RdfFormat


@dataclass(frozen=True)
class Format:
    key: str  # short name, also the ?format= value
    media_type: str  # what the response says in Content-Type
    ext: str  # file extension of the /doc/ twin or static file


# RDF representations of a resource, the dataset description, CONSTRUCT/DESCRIBE results
TURTLE = Format("ttl", "text/turtle", "ttl")
NTRIPLES = Format("nt", "application/n-triples", "nt")
JSONLD = Format("jsonld", "application/ld+json", "jsonld")
RDFXML = Format("rdf", "application/rdf+xml", "rdf")
HTML = Format("html", "text/html", "html")
RDF_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML)
PAGE_FORMATS = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)  # a resource: HTML first
BY_EXT = {f.ext: f for f in PAGE_FORMATS}
OXI_FORMAT = {"ttl": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD, "rdf": RdfFormat.RDF_XML}

# SELECT / ASK results
RESULTS_JSON = Format("json", "application/sparql-results+json", "srj")
RESULTS_XML = Format("xml", "application/sparql-results+xml", "srx")
RESULTS_CSV = Format("csv", "text/csv", "csv")
RESULTS_TSV = Format("tsv", "text/tab-separated-values", "tsv")
RESULT_FORMATS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)

# media types a client may ask for, mapped to what is served (aliases second)
RESULT_OFFERS: list[tuple[str, Format]] = [
    (f.media_type, f) for f in RESULT_FORMATS
] + [("application/json", RESULTS_JSON), ("application/xml", RESULTS_XML), ("text/xml", RESULTS_XML),
     ("text/html", HTML)]
GRAPH_OFFERS: list[tuple[str, Format]] = [
    (f.media_type, f) for f in RDF_FORMATS
] + [("application/turtle", TURTLE), ("application/x-turtle", TURTLE), ("text/plain", NTRIPLES),
     ("application/json", JSONLD), ("application/xml", RDFXML), ("text/n3", TURTLE), ("text/rdf+n3", TURTLE),
    ("application/n3", TURTLE), ("application/x-json+ld", JSONLD), ("text/html", HTML)]  # Turtle is N3 too
PAGE_OFFERS: list[tuple[str, Format]] = [(f.media_type, f) for f in PAGE_FORMATS] + [
    ("application/xhtml+xml", HTML), ("application/turtle", TURTLE), ("application/x-turtle", TURTLE),
    ("text/plain", NTRIPLES), ("application/json", JSONLD), ("application/xml", RDFXML)]
RDF_OFFERS: list[tuple[str, Format]] = [o for o in PAGE_OFFERS if o[1] is not HTML]

FORMAT_PARAM = {f.key: f for f in RESULT_FORMATS + RDF_FORMATS + (HTML,)} | {
    "turtle": TURTLE, "ntriples": NTRIPLES, "n-triples": NTRIPLES, "json-ld": JSONLD, "rdfxml": RDFXML, "xml-rdf": RDFXML}
#: ``format=`` / ``output=`` values meaning an RDF graph for CONSTRUCT / DESCRIBE (SPARQLWrapper sends its
#: return format there: xml, json, n3, turtle, rdf, rdf+xml, json-ld)
GRAPH_FORMAT_PARAM = {"xml": RDFXML, "rdf": RDFXML, "rdf+xml": RDFXML, "json": JSONLD, "n3": TURTLE}


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches (2 exact, 1 type/*, 0 */*), or -1."""
        t, _, s = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != t:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == s else -1


def parse_accept(header: str | None) -> list[Range]:
    ranges = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        q = 1.0
        for param in fields[1:]:
            k, _, v = param.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(v.strip())))
                except ValueError:
                    q = 0.0
        t, _, s = media.partition("/")
        ranges.append(Range(t, s, q))
    return ranges


def quality(ranges: list[Range], media_type: str) -> float:
    best, spec = 0.0, -1
    for r in ranges:
        m = r.matches(media_type)
        if m > spec:
            best, spec = r.q, m
    return best if spec >= 0 else 0.0


def negotiate(header: str | None, offers: list[tuple[str, Format]]) -> Format | None:
    """The format to serve for an Accept header, or None (406)."""
    ranges = parse_accept(header)
    if not ranges:
        return offers[0][1]
    best, best_q = None, 0.0
    for media, fmt in offers:
        q = quality(ranges, media)
        if q > best_q:
            best, best_q = fmt, q
    return best


def acceptable(offers: list[tuple[str, Format]]) -> str:
    return ", ".join(dict.fromkeys(m for m, _ in offers))
