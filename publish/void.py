"""What the dataset says about itself: statistics, VoID + DCAT, the SPARQL service description, dumps.

Everything here is computed once per store (``DatasetInfo``) and reused by the
server and the static publisher.  Absolute URLs (dumps, endpoint) are made from
the public base URL the caller gives.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from plankg import __version__
from plankg import vocab
from plankg.iris import ONTOLOGY_NS, Iris
from plankg.vocab import SPARQL_PREFIXES

VOID = str(vocab.VOID)
DCAT = str(vocab.DCAT)
DCT = str(vocab.DCTERMS)
SD = str(vocab.SD)
FORMATS_NS = str(vocab.FORMATS)
RDF_TYPE = vocab.RDF.type
XSD = str(vocab.XSD)
RDFS = str(vocab.RDFS)
FOAF = str(vocab.FOAF)
OWL_VERSION_INFO = vocab.OWL.versionInfo.value

DEFAULT_LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"

# name in /dumps/ → (export format, media type, gzip?)
DUMPS = {
    "plankg.nq.gz": ("nquads", "application/n-quads", True),
    "plankg.trig": ("trig", "application/trig", False),
    "plankg.ttl": ("turtle", "text/turtle", False),
}

DOCUMENTS_QUERY = SPARQL_PREFIXES + """SELECT ?d (SAMPLE(?zh0) AS ?zh) (SAMPLE(?en0) AS ?en) (SAMPLE(?num0) AS ?num) (SAMPLE(?date0) AS ?date)
       (SAMPLE(?start0) AS ?start) (SAMPLE(?end0) AS ?end) (GROUP_CONCAT(DISTINCT STR(?type); separator=" ") AS ?types)
WHERE {
  ?d a pk:PolicyDocument .
  OPTIONAL { ?d skos:prefLabel ?zh0 FILTER(LANG(?zh0) = "zh") }
  OPTIONAL { ?d skos:prefLabel ?en0 FILTER(LANG(?en0) = "en") }
  OPTIONAL { ?d pk:documentNumber ?num0 }
  OPTIONAL { ?d pk:dateSigned|pk:datePublished ?date0 }
  OPTIONAL { ?d pk:periodStart ?start0 }
  OPTIONAL { ?d pk:periodEnd ?end0 }
  OPTIONAL { ?d a ?type FILTER(STRSTARTS(STR(?type), STR(pk:))) }
}
GROUP BY ?d
ORDER BY ?start ?d"""
STATS_QUERY = ("SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) "
               "WHERE { ?s ?p ?o }")  # the default graph, the RDF merge: each distinct triple once
CLASSES_QUERY = """SELECT (COUNT(DISTINCT ?c) AS ?classes) WHERE { ?s a ?c }"""
GRAPH_COUNTS = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"""


@dataclass
class Document:
    iri: str
    zh: str | None
    en: str | None
    number: str | None
    date: str | None
    period: str | None
    types: list[str]


@dataclass
class DatasetInfo:
    iris: Iris
    triples: int
    subjects: int
    properties: int
    classes: int
    graphs: list[tuple[str, int]]
    documents: list[Document]
    version: str
    modified: str
    licence: str
    digest: str
    dumps: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def dataset_iri(self) -> str:
        return self.iris.base + "dataset"


def _store_modified(store) -> str:
    current = getattr(store, "current", None)
    if callable(current):
        path = current()
        if path is not None:
            return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def dataset_info(store, iris: Iris, licence: str = DEFAULT_LICENCE) -> DatasetInfo:
    nquads = store.export("nquads")
    digest = hashlib.sha256(nquads).hexdigest()
    stats = next(iter(store.query(STATS_QUERY)))
    classes = next(iter(store.query(CLASSES_QUERY)))
    docs = []
    for r in store.query(DOCUMENTS_QUERY):
        def v(name, r=r):
            return r[name].value if r[name] is not None else None

        period = f"{v('start')}–{v('end')}" if v("start") else None
        docs.append(Document(r["d"].value, v("zh"), v("en"), v("num"), v("date"), period,
                             sorted(t[len(ONTOLOGY_NS):] for t in (v("types") or "").split() if t)))
    info = DatasetInfo(
        iris=iris,
        triples=int(stats["triples"].value),  # distinct triples: the Turtle dump's count, not the quads
        subjects=int(stats["subjects"].value),
        properties=int(stats["properties"].value),
        classes=int(classes["classes"].value),
        graphs=[(r["g"].value, int(r["n"].value)) for r in store.query(GRAPH_COUNTS)],
        documents=docs,
        version=f"{__version__}+{digest[:12]}",  # the software's version (plankg.__version__) + the data's digest
        modified=_store_modified(store),
        licence=licence,
        digest=digest,
    )
    info.dumps["nquads"] = nquads
    return info


def dump_bytes(store, info: DatasetInfo, name: str) -> bytes:
    """The bytes of one dump (cached on ``info``); ``name`` must be a key of DUMPS."""
    fmt, _, zipped = DUMPS[name]
    if name not in info.dumps:
        data = info.dumps.get(fmt) or store.export(fmt)
        info.dumps[name] = gzip.compress(data, mtime=0) if zipped else data
    return info.dumps[name]


def sitemap_xml(urls: list[str], modified: str) -> bytes:
    """A sitemaps.org sitemap of ``urls``, each last modified on ``modified`` (the dataset's date)."""
    from xml.sax.saxutils import escape

    rows = "".join(f"  <url><loc>{escape(u)}</loc><lastmod>{modified}</lastmod></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + rows + "</urlset>\n").encode("utf-8")


def _lit(value, datatype: str | None = None, lang: str | None = None) -> Literal:
    if lang:
        return Literal(str(value), language=lang)
    return Literal(str(value), datatype=NamedNode(XSD + datatype)) if datatype else Literal(str(value))


def void_triples(info: DatasetInfo, public_url: str, endpoint: str | None) -> list[Triple]:
    """VoID + DCAT description of the dataset; ``public_url`` ends in '/'."""
    ds = NamedNode(info.dataset_iri)
    out: list[Triple] = []

    def add(s, p, o):
        out.append(Triple(s, NamedNode(p), o))

    add(ds, str(RDF_TYPE.value), NamedNode(VOID + "Dataset"))
    add(ds, str(RDF_TYPE.value), NamedNode(DCAT + "Dataset"))
    add(ds, DCT + "title", _lit("知识产权规划知识图谱", lang="zh"))
    add(ds, DCT + "title", _lit("plankg: China's IP policy plans as a knowledge graph", lang="en"))
    add(ds, DCT + "description", _lit(
        "The Outline for building an IP powerhouse (2021–2035), the 14th Five-Year IP Plan and related policy "
        "texts as linked data: one named graph per document, provenance on every fact.", lang="en"))
    add(ds, DCT + "license", NamedNode(info.licence))
    add(ds, DCT + "modified", _lit(info.modified, "date"))
    add(ds, OWL_VERSION_INFO, _lit(info.version))
    add(ds, DCAT + "version", _lit(info.version))
    add(ds, DCAT + "landingPage", NamedNode(public_url))
    add(ds, FOAF + "homepage", NamedNode(public_url))
    add(ds, VOID + "uriSpace", _lit(info.iris.id))
    add(ds, VOID + "triples", _lit(info.triples, "integer"))
    add(ds, VOID + "distinctSubjects", _lit(info.subjects, "integer"))
    add(ds, VOID + "properties", _lit(info.properties, "integer"))
    add(ds, VOID + "classes", _lit(info.classes, "integer"))
    add(ds, VOID + "rootResource", NamedNode(info.iris.id + "plan-2021-2025"))
    for ns in (ONTOLOGY_NS, vocab.SKOS, DCT, vocab.PROV, vocab.QB, vocab.ELI, vocab.ORG):
        add(ds, VOID + "vocabulary", NamedNode(str(ns)))
    add(ds, VOID + "exampleResource", NamedNode(info.iris.id + "plan-2021-2025/p2/s3"))
    for name, (fmt, media, zipped) in DUMPS.items():
        url = NamedNode(public_url + "dumps/" + name)
        add(ds, VOID + "dataDump", url)
        dist = NamedNode(public_url + "dumps/" + name + "#distribution")
        add(ds, DCAT + "distribution", dist)
        add(dist, str(RDF_TYPE.value), NamedNode(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "accessURL", url)
        add(dist, DCAT + "mediaType", NamedNode("https://www.iana.org/assignments/media-types/" + media))
        if zipped:
            add(dist, DCAT + "compressFormat", NamedNode("https://www.iana.org/assignments/media-types/application/gzip"))
        add(dist, DCT + "license", NamedNode(info.licence))
        if name in info.dumps:
            add(dist, DCAT + "byteSize", _lit(len(info.dumps[name]), "nonNegativeInteger"))
    if endpoint:
        add(ds, VOID + "sparqlEndpoint", NamedNode(endpoint))
        service = NamedNode(endpoint + "#service")
        add(ds, DCAT + "accessService", service)
        add(service, str(RDF_TYPE.value), NamedNode(DCAT + "DataService"))
        add(service, DCAT + "endpointURL", NamedNode(endpoint))
        add(service, DCAT + "endpointDescription", NamedNode(endpoint))
        add(service, DCAT + "servesDataset", ds)
    for g, n in info.graphs:
        sub = NamedNode(g)
        add(ds, VOID + "subset", sub)
        add(sub, str(RDF_TYPE.value), NamedNode(VOID + "Dataset"))
        add(sub, VOID + "triples", _lit(n, "integer"))
    for d in info.documents:
        add(ds, DCT + "hasPart", NamedNode(d.iri))
    return out


RESULT_FORMAT_IRIS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


def service_triples(info: DatasetInfo, endpoint: str, limits: dict[str, str], federated: bool = False) -> list[Triple]:
    """The SPARQL 1.1 service description of the endpoint (sd: vocabulary); ``federated``: SERVICE is allowed
    to some hosts (an allowlist is set), so sd:BasicFederatedQuery is stated — never otherwise."""
    svc = BlankNode("service")
    out: list[Triple] = []

    def add(s, p, o):
        out.append(Triple(s, NamedNode(p), o))

    add(svc, str(RDF_TYPE.value), NamedNode(SD + "Service"))
    add(svc, SD + "endpoint", NamedNode(endpoint))
    add(svc, SD + "supportedLanguage", NamedNode(SD + "SPARQL11Query"))
    add(svc, SD + "feature", NamedNode(SD + "UnionDefaultGraph"))
    if federated:
        add(svc, SD + "feature", NamedNode(SD + "BasicFederatedQuery"))
    for f in RESULT_FORMAT_IRIS:
        add(svc, SD + "resultFormat", NamedNode(FORMATS_NS + f))
    add(svc, DCT + "title", _lit("plankg SPARQL endpoint (read-only)", lang="en"))
    add(svc, OWL_VERSION_INFO, _lit(__version__))  # the software's: plankg.__version__
    add(svc, RDFS + "comment", _lit("Read-only SPARQL 1.1 Query; the default graph is the RDF merge of all named graphs (each distinct "
                                   "triple once); FROM / FROM NAMED and the protocol's default-graph-uri / "
                                   "named-graph-uri choose another dataset. "
                                   + "; ".join(f"{k}: {v}" for k, v in limits.items()), lang="en"))
    dataset = BlankNode("dataset")
    add(svc, SD + "defaultDataset", dataset)
    add(dataset, str(RDF_TYPE.value), NamedNode(SD + "Dataset"))
    add(dataset, DCT + "source", NamedNode(info.dataset_iri))
    default = BlankNode("default")
    add(dataset, SD + "defaultGraph", default)
    add(default, str(RDF_TYPE.value), NamedNode(SD + "Graph"))
    add(default, VOID + "triples", _lit(info.triples, "integer"))
    for i, (g, n) in enumerate(info.graphs):
        ng = BlankNode(f"g{i}")
        add(dataset, SD + "namedGraph", ng)
        add(ng, str(RDF_TYPE.value), NamedNode(SD + "NamedGraph"))
        add(ng, SD + "name", NamedNode(g))
        graph = BlankNode(f"g{i}graph")
        add(ng, SD + "graph", graph)
        add(graph, str(RDF_TYPE.value), NamedNode(SD + "Graph"))
        add(graph, VOID + "triples", _lit(n, "integer"))
    return out
