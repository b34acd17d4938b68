"""HTML pages: the view of one resource, built from its description, rendered with jinja2 (autoescape on).

A resource page shows its labels in Chinese and English (``lang`` picks which
leads), types, the confidence mark and sources of the node, its place in the
document (ancestors, parts in ``pk:position`` order), every property value with
the attestation (mark + sources) that backs it, indicator values as a table,
links from other resources grouped by property (curated ones marked), and the
bounded description as JSON-LD in a ``<script type="application/ld+json">``.

Lists longer than ``page_size`` are paged together with ``?page=N``: shorter
lists are shown whole on every page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyoxigraph import BlankNode, Literal, NamedNode

from .describe import Description
from .labels import Labels, curie
from .links import Linker, safe_href
from .negotiation import JSONLD
from .results import graph_bytes
from .ui import UI

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
PK = "https://w3id.org/plankg/ontology#"
SSSOM = "https://w3id.org/sssom/"
XSD = "http://www.w3.org/2001/XMLSchema#"

LABEL_PROPS = {RDFS + "label", SKOS + "prefLabel"}
HIDDEN_OUT = LABEL_PROPS | {RDF + "type", DCT + "hasPart", PK + "within", PK + "confidence", PROV + "wasDerivedFrom"}
HIDDEN_IN = {DCT + "isPartOf", DCT + "hasPart", PK + "within", RDF + "subject", RDF + "object"}
ORDER = [DCT + "title", SKOS + "altLabel", PK + "number", PK + "documentNumber", PK + "documentId", PK + "dateSigned",
         PK + "datePublished", PK + "periodStart", PK + "periodEnd", PK + "issuedBy", DCT + "creator", DCT + "isPartOf",
         PK + "inDocument", PK + "basedOn", PK + "implements", PK + "succeeds", PK + "supports", PK + "measures"]

TEMPLATES = Path(__file__).parent / "templates"

VALUES_QUERY = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?x ?v ?indicator ?role ?year ?asOf ?value ?unit ?mark ?ds ?doc ?src WHERE {
  { ?v pk:indicator ?x } UNION { ?v pk:statedIn ?x } UNION { ?v qb:dataSet ?x }
  UNION { ?v qb:dataSet/dcterms:source ?x } UNION { ?v qb:dataSet/pk:tracks ?x }
  UNION { ?i0 pk:measures ?x . ?x pk:inDocument ?d0 . ?v pk:indicator ?i0 ; qb:dataSet/dcterms:source ?d0 }
  ?v a pk:IndicatorValue ; pk:indicator ?indicator ; pk:valueRole ?role ; pk:value ?value .
  OPTIONAL { ?v pk:refYear ?year }
  OPTIONAL { ?v pk:asOf ?asOf }
  OPTIONAL { ?v pk:unit ?unit }
  OPTIONAL { ?v pk:confidence ?mark }
  OPTIONAL { ?v qb:dataSet ?ds OPTIONAL { ?ds dcterms:source|pk:tracks ?doc } }
  OPTIONAL { ?v prov:wasDerivedFrom ?src }
}"""
SELF_VALUE_QUERY = VALUES_QUERY.replace(
    "{ ?v pk:indicator ?x } UNION", "{ ?x a pk:IndicatorValue BIND(?x AS ?v) } UNION { ?v pk:indicator ?x } UNION", 1)
STRUCTURE_QUERY = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?x ?kind ?r ?pos ?number ?zh ?en WHERE {
  { { ?x dcterms:hasPart ?r } UNION { ?r dcterms:isPartOf ?x } BIND("child" AS ?kind) }
  UNION { ?x pk:within ?r BIND("ancestor" AS ?kind) }
  UNION { ?x pk:inDocument ?r BIND("document" AS ?kind) }
  OPTIONAL { ?r pk:position ?pos }
  OPTIONAL { ?r pk:number ?number }
  OPTIONAL { ?r skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?r skos:prefLabel ?en FILTER(LANG(?en) = "en") }
}"""



@dataclass
class Shown:
    """A term as a page shows it."""

    text: str
    href: str | None = None
    lang: str | None = None
    iri: str | None = None
    note: str | None = None  # datatype or language tag, shown small


@dataclass
class Mark:
    confidence: Shown | None
    sources: list[Shown] = field(default_factory=list)
    note: str | None = None
    curated: bool = False


@dataclass
class Value:
    term: Shown
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Paged:
    items: list
    total: int
    start: int  # 0-based index of the first shown item


@dataclass
class ValueRow:
    value_link: Shown
    indicator: Shown
    role: Shown
    year: str
    value: str
    unit: str
    confidence: Shown | None
    sources: list[Shown]
    document: Shown | None


@dataclass
class ResourceView:
    iri: str
    title: Shown
    other_title: Shown | None
    number: str | None
    types: list[Shown]
    node_mark: Mark | None
    ancestors: list[Shown]
    properties: list[tuple[Shown, list[Value]]]
    children: Paged
    values: Paged
    incoming: list[tuple[Shown, Paged]]
    attestations: list[tuple[Shown, Value]]
    jsonld: Markup
    page: int
    pages: int


def jsonld_script(triples) -> Markup:
    """JSON-LD safe inside a <script> element: <, > and & escaped as JSON unicode escapes."""
    text = graph_bytes(triples, JSONLD).decode("utf-8")
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class PageBuilder:
    """Builds the view of a resource in one language, with one linker (server or static)."""

    def __init__(self, store, labels: Labels, link: Linker, page_size: int = 50):
        self.store = store
        self.labels = labels.copy()
        self.link = link
        self.lang = link.lang
        self.page_size = page_size
        self.context_doc: str | None = None

    # -- terms ---------------------------------------------------------------------------------------
    def iri(self, iri: str) -> Shown:
        """A link to ``iri`` with its label; a division of another document is marked with that document's id."""
        text, lang = self.labels.pick(iri, self.lang)
        note = None
        doc = self.link.iris.doc_id_of(iri)
        if doc and doc != self.context_doc and iri != self.link.iris.doc(doc) and not text.startswith(doc):
            note = doc
        return Shown(text, self.link.href(iri), lang, iri, note=note)

    def term(self, t) -> Shown:
        if isinstance(t, NamedNode):
            return self.iri(t.value)
        if isinstance(t, BlankNode):
            return Shown(f"_:{t.value}")
        if isinstance(t, Literal):
            dt = t.datatype.value
            note = t.language or (curie(dt) if dt not in (XSD + "string",) else None)
            href = safe_href(t.value) if dt == XSD + "anyURI" else None
            return Shown(t.value, href, t.language or None, note=note)
        return Shown(str(t))

    def sources(self, iris) -> list[Shown]:
        out = []
        natural = lambda i: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", i)]
        for s in sorted(set(iris), key=natural):
            title = self.labels.exact(s, "title") or self.labels.pick(s, self.lang)[0]
            page = self.labels.exact(s, "page")
            short = self.labels.short(s).rsplit("/", 1)[-1]
            out.append(Shown(f"{short}: {title}" if not title.startswith(short) else title,
                             self.link.href(s), None, s, note=safe_href(page)))
        return out

    # -- the view -----------------------------------------------------------------------------------
    def _paged(self, items: list, page: int) -> Paged:
        if len(items) <= self.page_size:
            return Paged(items, len(items), 0)
        start = (page - 1) * self.page_size
        return Paged(items[start:start + self.page_size], len(items), start)

    def _learn_labels(self, d: Description) -> None:
        for s, p, o in d.extra:
            if not isinstance(s, NamedNode) or not isinstance(o, Literal | NamedNode):
                continue
            if p.value in LABEL_PROPS:
                self.labels.add(s.value, o.value, o.language or None, preferred=p.value == SKOS + "prefLabel")
            elif p.value == DCT + "title":
                self.labels.add(s.value, o.value, "title")
            elif p.value == FOAF + "page":
                self.labels.add(s.value, o.value, "page")
        for p, o in d.outgoing:
            if p.value in LABEL_PROPS and isinstance(o, Literal):
                self.labels.add(d.iri, o.value, o.language or None, preferred=p.value == SKOS + "prefLabel")

    def _records(self, d: Description) -> dict:
        """Attestations and curated mappings about the resource, by record IRI."""
        records: dict[str, dict] = {}
        x = d.iri
        for s, p, o in d.extra:
            if not isinstance(s, NamedNode | BlankNode):
                continue
            rec = records.setdefault(s.value, {"types": set(), "sources": [], "notes": []})
            if p.value == RDF + "type":
                rec["types"].add(o.value)
            elif p.value in (RDF + "subject", RDF + "predicate", RDF + "object"):
                rec[p.value[len(RDF):]] = o
            elif p.value == PK + "confidence":
                rec["confidence"] = o.value
            elif p.value == PROV + "wasDerivedFrom":
                rec["sources"].append(o.value)
            elif p.value in (SKOS + "note", RDFS + "comment"):
                rec["notes"].append(o.value)
            elif p.value == PK + "inMappingSet":
                rec["set"] = o.value
            elif p.value == SSSOM + "confidence":
                rec["score"] = o.value
        return {k: r for k, r in records.items()
                if r["types"] & {PK + "Attestation", PK + "CuratedMapping"} and "predicate" in r
                and (getattr(r.get("subject"), "value", None) == x or getattr(r.get("object"), "value", None) == x)}

    def _mark(self, rec: dict) -> Mark:
        if PK + "CuratedMapping" in rec["types"]:
            set_iri = rec.get("set", "")
            sources = [Shown(set_iri.rstrip("/").rsplit("/", 1)[-1], set_iri, None, set_iri)] if set_iri else []
            conf = Shown(rec["score"]) if "score" in rec else None
            return Mark(conf, sources, "; ".join(rec["notes"]) or None, curated=True)
        conf = self.iri(rec["confidence"]) if "confidence" in rec else None
        return Mark(conf, self.sources(rec["sources"]), "; ".join(rec["notes"]) or None)

    def build(self, d: Description, page: int = 1) -> ResourceView:
        self._learn_labels(d)
        x = d.iri
        self.context_doc = self.link.iris.doc_id_of(x)
        bind = {"x": NamedNode(x)}
        records = self._records(d)
        by_fact: dict[tuple[str, str, str], list[Mark]] = {}
        for rec in records.values():
            key = (str(rec.get("subject")), rec["predicate"].value, str(rec.get("object")))
            by_fact.setdefault(key, []).append(self._mark(rec))

        # structure: children, ancestors, document
        children, ancestors = {}, {}
        for r in self.store.query(STRUCTURE_QUERY, bind):
            iri = r["r"].value
            for col in ("zh", "en"):
                if r[col] is not None:
                    self.labels.add(iri, r[col].value, col, preferred=True)
            pos = int(r["pos"].value) if r["pos"] is not None else None
            num = r["number"].value if r["number"] is not None else ""
            target = children if r["kind"].value == "child" else ancestors
            if r["kind"].value == "document" and iri in ancestors:
                continue
            target[iri] = (pos, num)
        ancestors.pop(x, None)

        def entry(iri, num):
            s = self.iri(iri)
            s.note = num or None
            return s

        child_list = [entry(i, n) for i, (pos, n) in sorted(children.items(), key=lambda kv: (
            kv[1][0] is None, kv[1][0] or 0, kv[0]))]
        ancestor_list = [entry(i, n) for i, (pos, n) in sorted(ancestors.items(), key=lambda kv: (
            kv[1][0] is not None, kv[1][0] or 0))]

        # outgoing properties
        types, node_conf, node_sources, number = [], None, [], None
        grouped: dict[str, list[Value]] = {}
        for p, o in d.outgoing:
            pv = p.value
            if pv == RDF + "type":
                types.append(self.term(o))
            elif pv == PK + "confidence":
                node_conf = self.term(o)
            elif pv == PROV + "wasDerivedFrom":
                node_sources.append(o.value)
            elif pv == PK + "number" and isinstance(o, Literal):
                number = o.value
            if pv in HIDDEN_OUT:
                continue
            marks = by_fact.get((str(NamedNode(x)), pv, str(o)), [])
            grouped.setdefault(pv, []).append(Value(self.term(o), marks))
        order = {p: i for i, p in enumerate(ORDER)}
        properties = [(self.iri(p), sorted(vals, key=lambda v: (v.term.lang != self.lang, v.term.text)))
                      for p, vals in sorted(grouped.items(), key=lambda kv: (order.get(kv[0], len(order)), curie(kv[0])))]
        types.sort(key=lambda s: (not (s.iri or "").startswith(PK), s.text))
        node_mark = Mark(node_conf, self.sources(node_sources)) if node_conf or node_sources else None

        # incoming links, grouped by property
        incoming: dict[str, list[Value]] = {}
        for s, p in d.incoming:
            if p.value in HIDDEN_IN or (p.value == PK + "inDocument" and s.value in children):
                continue
            marks = by_fact.get((str(s), p.value, str(NamedNode(x))), [])
            incoming.setdefault(p.value, []).append(Value(self.term(s), marks))
        incoming_lists = [(self.iri(p), sorted(v, key=lambda v: v.term.text))
                          for p, v in sorted(incoming.items(), key=lambda kv: (order.get(kv[0], len(order)), curie(kv[0])))]

        # indicator values (only where some can be: the query is the costliest part of a page)
        value_links = {PK + "indicator", PK + "statedIn", PK + "measures", "http://purl.org/linked-data/cube#dataSet",
                       DCT + "source", PK + "tracks"}
        maybe = any(p.value in value_links for _, p in d.incoming) or any(t.iri == PK + "IndicatorValue" for t in types)
        rows = self._values(bind) if maybe else []
        if rows:
            properties = [(p, v) for p, v in properties if p.iri != PK + "hasValue"]

        # attestations (statements about this resource that carry their own mark)
        attestations = []
        for rec in records.values():
            if PK + "Attestation" in rec["types"]:
                attestations.append((self.iri(rec["predicate"].value),
                                     Value(self.term(rec["object"]) if rec.get("object") is not None else Shown(""),
                                           [self._mark(rec)])))
        attestations.sort(key=lambda a: (a[0].text, a[1].term.text))

        lengths = [len(child_list), len(rows)] + [len(v) for _, v in incoming_lists]
        pages = max([1] + [math.ceil(n / self.page_size) for n in lengths])
        page = min(max(1, page), pages)

        title_text, title_lang = self.labels.pick(x, self.lang)
        other = "en" if self.lang == "zh" else "zh"
        other_text = self.labels.exact(x, other)
        return ResourceView(
            iri=x,
            title=Shown(title_text, None, title_lang, x),
            other_title=Shown(other_text, None, other) if other_text and other_text != title_text else None,
            number=number,
            types=types,
            node_mark=node_mark,
            ancestors=ancestor_list,
            properties=properties,
            children=self._paged(child_list, page),
            values=self._paged(rows, page),
            incoming=[(p, self._paged(v, page)) for p, v in incoming_lists],
            attestations=attestations,
            jsonld=jsonld_script(d.triples()),
            page=page,
            pages=pages,
        )

    def _doc_short(self, iri: str) -> Shown:
        """A document in a table cell: its id, with its label as the tooltip."""
        return Shown(self.labels.short(iri), self.link.href(iri), None, self.labels.pick(iri, self.lang)[0])

    def _values(self, bind) -> list[ValueRow]:
        found: dict[str, dict] = {}
        for r in self.store.query(SELF_VALUE_QUERY, bind):
            v = r["v"].value
            row = found.setdefault(v, {"sources": set()})
            for col in ("indicator", "role", "year", "asOf", "value", "unit", "mark", "doc"):
                if r[col] is not None and col not in row:
                    row[col] = r[col]
            if r["src"] is not None:
                row["sources"].add(r["src"].value)
        out = []
        for v, row in found.items():
            role = row["role"].value
            year = row["asOf"].value if "asOf" in row else (row["year"].value if "year" in row else "")
            out.append((row["indicator"].value, year, role, ValueRow(
                value_link=self.iri(v),
                indicator=self.iri(row["indicator"].value),
                role=self.iri(role),
                year=year,
                value=row["value"].value,
                unit=row["unit"].value if "unit" in row else "",
                confidence=self.iri(row["mark"].value) if "mark" in row else None,
                sources=self.sources(row["sources"]),
                document=self._doc_short(row["doc"].value) if "doc" in row else None,
            )))
        out.sort(key=lambda t: (self.labels.pick(t[0], self.lang)[0], t[1], t[2]))
        return [t[3] for t in out]


# -- rendering ---------------------------------------------------------------------------------------
_env: Environment | None = None


def environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                           lstrip_blocks=True)
    return _env


def render(template: str, **context) -> str:
    lang = context.get("lang", "zh")
    context.setdefault("t", UI[lang])
    context.setdefault("other_lang", "en" if lang == "zh" else "zh")
    return environment().get_template(template).render(**context)
