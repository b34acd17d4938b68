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
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyoxigraph import BlankNode, Literal, NamedNode

from .describe import LIMIT as DESCRIBE_LIMIT, Description
from .labels import READER_HIDDEN, Labels, curie, shown_once
from plankg import vocab

from .links import Linker, safe_href
from .negotiation import JSONLD
from .results import graph_bytes
from .ui import UI

RDF, RDFS, SKOS, DCT, PROV, FOAF, PK, SSSOM, XSD, QB, SEMAPV = (str(ns) for ns in (
    vocab.RDF, vocab.RDFS, vocab.SKOS, vocab.DCTERMS, vocab.PROV, vocab.FOAF, vocab.PK, vocab.SSSOM, vocab.XSD, vocab.QB,
    vocab.SEMAPV))

LABEL_PROPS = {RDFS + "label", SKOS + "prefLabel"}
HIDDEN_OUT = LABEL_PROPS | {RDF + "type", DCT + "hasPart", PK + "within", PK + "confidence", PROV + "wasDerivedFrom"}
HIDDEN_IN = {DCT + "isPartOf", DCT + "hasPart", PK + "within", RDF + "subject", RDF + "object"}
ORDER = [DCT + "title", SKOS + "altLabel", PK + "number", PK + "documentNumber", PK + "documentId", PK + "dateSigned",
         PK + "datePublished", PK + "periodStart", PK + "periodEnd", PK + "issuedBy", DCT + "creator", DCT + "isPartOf",
         PK + "inDocument", PK + "basedOn", PK + "implements", PK + "succeeds", PK + "supports", PK + "measures"]
_ORDER_INDEX = {p: i for i, p in enumerate(ORDER)}

TEMPLATES = Path(__file__).parent / "templates"


def page_query(name: str) -> str:
    """The text of ``page_queries/NAME.rq``: the SPARQL a page runs, shipped as a resource file (as the named
    queries are, :mod:`plankg.queries.catalogue`), each bound to the resource ``?x``."""
    return resources.files("plankg.publish").joinpath("page_queries", f"{name}.rq").read_text(encoding="utf-8")


#: the indicator values a page lists: the resource itself when it is one, and those linked to it
VALUES_QUERY = page_query("resource-values")
STRUCTURE_QUERY = page_query("resource-structure")
TREE_QUERY = page_query("document-tree")
TREE_COUNTS = page_query("tree-counts")

SUPPORT_PROPS = (PK + "supports", PK + "implements")
#: links that mean a resource may have indicator values: only then does a page run VALUES_QUERY
VALUE_LINKS = {PK + "indicator", PK + "statedIn", PK + "measures", QB + "dataSet",
               DCT + "source", PK + "tracks"}
IDENTITY = [PK + "documentNumber", PK + "issuedBy", PK + "dateSigned", PK + "datePublished"]
MANUAL = SEMAPV + "ManualMappingCuration"


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
    suggested: bool = False


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
class TreeNode:
    term: Shown
    number: str
    other: str | None  # the heading in the other language
    supports: int
    supported_by: int
    children: list = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + sum(c.size for c in self.children)


@dataclass
class RelItem:
    term: Shown
    number: str
    kind: str  # stated, curated, suggested
    marks: list[Mark]


@dataclass
class RelGroup:
    heading: Shown
    direction: str  # out, in
    documents: list[tuple[Shown, list[RelItem]]]

    @property
    def total(self) -> int:
        return sum(len(items) for _, items in self.documents)


@dataclass
class Chart:
    """An inline SVG chart of an indicator's figures: one series per document."""

    width: int
    height: int
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    series: list[dict]
    unit: str
    title: str
    left: int = 56
    bottom: int = 34
    top: int = 26
    right: int = 28


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
    kind: str = "resource"  # document, division, indicator, resource
    identity: list = field(default_factory=list)  # (label Shown, [Shown]) in the compact header
    tree: list = field(default_factory=list)  # TreeNode, for a document
    relations: list = field(default_factory=list)  # RelGroup
    chart: Chart | None = None
    #: directions ("outgoing", "incoming") cut at describe.LIMIT links → how many there are
    cut: dict = field(default_factory=dict)
    cut_limit: int = DESCRIBE_LIMIT

    @property
    def values_documents_vary(self) -> bool:
        """Whether the values shown come from more than one document (else the column is left out)."""
        return len({r.document.href if r.document else None for r in self.values.items}) > 1

    @property
    def reader_types(self) -> list[Shown]:
        """The ontology's own classes (the outside ones, eli:LegalResource and the like, stay in the details)."""
        own = [t for t in self.types if (t.iri or "").startswith(PK)]
        return own or self.types[:1]


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
            # the datatype and the language tag stay in the RDF twins (the tag as lang= on the element)
            href = safe_href(t.value) if dt == XSD + "anyURI" else None
            return Shown(t.value, href, t.language or None)
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
            elif p.value == SSSOM + "mapping_justification":
                rec["justification"] = o.value
        return {k: r for k, r in records.items()
                if r["types"] & {PK + "Attestation", PK + "CuratedMapping"} and "predicate" in r
                and (getattr(r.get("subject"), "value", None) == x or getattr(r.get("object"), "value", None) == x)}

    def _mark(self, rec: dict) -> Mark:
        if PK + "CuratedMapping" in rec["types"]:
            set_iri = rec.get("set", "")
            sources = [Shown(set_iri.rstrip("/").rsplit("/", 1)[-1], set_iri, None, set_iri)] if set_iri else []
            conf = Shown(rec["score"]) if "score" in rec else None
            mark = Mark(conf, sources, "; ".join(rec["notes"]) or None, curated=True)
            mark.suggested = rec.get("justification", MANUAL) != MANUAL
            return mark
        conf = self.iri(rec["confidence"]) if "confidence" in rec else None
        return Mark(conf, self.sources(rec["sources"]), "; ".join(rec["notes"]) or None)

    def build(self, d: Description, page: int = 1) -> ResourceView:
        """The view of ``d`` at ``page``: one method per section of the page, called in this order (a section
        may teach ``self.labels`` the headings a later one shows)."""
        self._learn_labels(d)
        x = d.iri
        self.context_doc = self.link.iris.doc_id_of(x)
        bind = {"x": NamedNode(x)}
        records = self._records(d)
        by_fact = self._marks_by_fact(records)
        children, child_list, ancestor_list = self._structure(x, bind)
        types, node_mark, number, properties = self._outgoing(d, by_fact)
        incoming_lists = self._incoming(d, by_fact, children)
        rows = self._values(bind) if self._may_have_values(d, types) else []
        if rows:
            properties = [(p, v) for p, v in properties if p.iri != PK + "hasValue"]
        attestations = self._attestations(records)
        kind = _kind(types)
        relations = self._relations(d, by_fact)
        if relations:  # supports / implements are shown there, not among the properties and links
            properties = [(p, v) for p, v in properties if p.iri not in SUPPORT_PROPS]
            incoming_lists = [(p, v) for p, v in incoming_lists if p.iri not in SUPPORT_PROPS]
        identity, tree = [], []
        if kind == "document":
            identity, tree, child_list, incoming_lists = self._document(properties, bind, child_list, incoming_lists)
        chart = self._chart(x) if kind == "indicator" and rows else None
        return self._view(d, page, child_list, rows, incoming_lists, number=number, types=types, node_mark=node_mark,
                          ancestors=ancestor_list, properties=properties, attestations=attestations, kind=kind,
                          identity=identity, tree=tree, relations=relations, chart=chart)

    def _marks_by_fact(self, records: dict) -> dict[tuple[str, str, str], list[Mark]]:
        """The marks of each fact (subject, predicate, object as N-Triples terms) the records attest or curate."""
        by_fact: dict[tuple[str, str, str], list[Mark]] = {}
        for rec in records.values():
            key = (str(rec.get("subject")), rec["predicate"].value, str(rec.get("object")))
            by_fact.setdefault(key, []).append(self._mark(rec))
        return by_fact

    def _entry(self, iri: str, num: str) -> Shown:
        s = self.iri(iri)
        s.note = num or None
        return s

    def _structure(self, x: str, bind) -> tuple[dict, list[Shown], list[Shown]]:
        """(children by IRI, the parts in position order, the ancestors outermost first, then the document)."""
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
        child_list = [self._entry(i, n) for i, (pos, n) in sorted(children.items(), key=lambda kv: (
            kv[1][0] is None, kv[1][0] or 0, kv[0]))]
        ancestor_list = [self._entry(i, n) for i, (pos, n) in sorted(ancestors.items(), key=lambda kv: (
            kv[1][0] is not None, kv[1][0] or 0))]
        return children, child_list, ancestor_list

    def _outgoing(self, d: Description, by_fact: dict) -> tuple[list[Shown], Mark | None, str | None, list]:
        """(types, the node's own mark, its printed number, its other properties with their values in order)."""
        types, node_conf, node_sources, number = [], None, [], None
        grouped: dict[str, list[Value]] = {}
        x = d.iri
        outgoing = [(NamedNode(pv), o) for pv, o in shown_once((p.value, o) for p, o in d.outgoing)]
        for p, o in outgoing:
            pv = p.value
            if pv == RDF + "type":
                types.append(self.term(o))
            elif pv == PK + "confidence":
                node_conf = self.term(o)
            elif pv == PROV + "wasDerivedFrom":
                node_sources.append(o.value)
            elif pv == PK + "number" and isinstance(o, Literal):
                number = o.value
            if pv in HIDDEN_OUT or pv in READER_HIDDEN:
                continue
            marks = by_fact.get((str(NamedNode(x)), pv, str(o)), [])
            grouped.setdefault(pv, []).append(Value(self.term(o), marks))
        properties = [(self.iri(p), sorted(vals, key=lambda v: (v.term.lang != self.lang, v.term.text)))
                      for p, vals in sorted(grouped.items(), key=lambda kv: _property_order(kv[0]))]
        types.sort(key=lambda s: (not (s.iri or "").startswith(PK), s.text))
        node_mark = Mark(node_conf, self.sources(node_sources)) if node_conf or node_sources else None
        return types, node_mark, number, properties

    def _incoming(self, d: Description, by_fact: dict, children: dict) -> list[tuple[Shown, list[Value]]]:
        """The links from other resources, grouped by property (named by its inverse), but the parts'."""
        x = d.iri
        incoming: dict[str, list[Value]] = {}
        for pv, s in shown_once((p.value, s) for s, p in d.incoming):
            p = NamedNode(pv)
            if p.value in HIDDEN_IN or (p.value == PK + "inDocument" and s.value in children):
                continue
            marks = by_fact.get((str(s), p.value, str(NamedNode(x))), [])
            incoming.setdefault(p.value, []).append(Value(self.term(s), marks))
        return [(self.inverse(p), sorted(v, key=lambda v: v.term.text))
                for p, v in sorted(incoming.items(), key=lambda kv: _property_order(kv[0]))]

    @staticmethod
    def _may_have_values(d: Description, types: list[Shown]) -> bool:
        """Can the resource have indicator values to list?  (The query is the costliest part of a page.)"""
        return (any(p.value in VALUE_LINKS for _, p in d.incoming)
                or any(t.iri == PK + "IndicatorValue" for t in types))

    def _attestations(self, records: dict) -> list[tuple[Shown, Value]]:
        """The statements about the resource that carry their own mark."""
        attestations = []
        for rec in records.values():
            if PK + "Attestation" in rec["types"]:
                attestations.append((self.iri(rec["predicate"].value),
                                     Value(self.term(rec["object"]) if rec.get("object") is not None else Shown(""),
                                           [self._mark(rec)])))
        attestations.sort(key=lambda a: (a[0].text, a[1].term.text))
        return attestations

    def _document(self, properties, bind, child_list: list[Shown], incoming_lists: list):
        """A document's page: (its compact header, its heading tree, and the parts and links outside the tree)."""
        identity = self._identity(properties)
        tree = self._tree(bind)
        in_tree = set()
        stack = list(tree)
        while stack:
            n = stack.pop()
            in_tree.add(n.term.iri)
            stack += n.children
        child_list = [c for c in child_list if c.iri not in in_tree]  # parts outside the heading tree
        incoming_lists = [(p, [v for v in vals if p.iri != PK + "inDocument" or v.term.iri not in in_tree])
                          for p, vals in incoming_lists]
        incoming_lists = [(p, vals) for p, vals in incoming_lists if vals]
        return identity, tree, child_list, incoming_lists

    def _view(self, d: Description, page: int, children: list, values: list, incoming: list, **sections) -> ResourceView:
        """The view at ``page`` (within the pages there are): the lists longer than a page are paged together."""
        lengths = [len(children), len(values)] + [len(v) for _, v in incoming]
        pages = max([1] + [math.ceil(n / self.page_size) for n in lengths])
        page = min(max(1, page), pages)
        x = d.iri
        title_text, title_lang = self.labels.pick(x, self.lang)
        other = "en" if self.lang == "zh" else "zh"
        other_text = self.labels.exact(x, other)
        return ResourceView(
            iri=x,
            title=Shown(title_text, None, title_lang, x),
            other_title=Shown(other_text, None, other) if other_text and other_text != title_text else None,
            children=self._paged(children, page),
            values=self._paged(values, page),
            incoming=[(p, self._paged(v, page)) for p, v in incoming],
            # the page's own slice of the incoming links, as its lists show them: paged too
            jsonld=jsonld_script(d.triples(slice((page - 1) * self.page_size, page * self.page_size))),
            page=page,
            pages=pages,
            cut=dict(d.cut),
            **sections,
        )

    def inverse(self, prop: str) -> Shown:
        text, lang = self.labels.inverse(prop, self.lang)
        return Shown(text, self.link.href(prop), lang, prop)

    def numbered(self, iri: str) -> tuple[Shown, str]:
        """A division as a link with its heading, and its printed number."""
        s = self.iri(iri)
        s.note = None
        return s, self.labels.numbers.get(iri, "")

    def _relations(self, d: Description, by_fact: dict) -> list[RelGroup]:
        x = d.iri
        found: dict[tuple[str, str], dict[str, list[RelItem]]] = {}
        pairs = [("out", p.value, o) for p, o in d.outgoing] + [("in", p.value, s) for s, p in d.incoming]
        for direction, pv, other in pairs:
            if pv not in SUPPORT_PROPS or not isinstance(other, NamedNode):
                continue
            key = (str(NamedNode(x)), pv, str(other)) if direction == "out" else (str(other), pv, str(NamedNode(x)))
            marks = by_fact.get(key, [])
            curated = [m for m in marks if m.curated]
            kind = ("suggested" if all(m.suggested for m in curated) else "curated") if curated else "stated"
            term, number = self.numbered(other.value)
            doc = self.link.iris.doc_id_of(other.value) or ""
            found.setdefault((direction, pv), {}).setdefault(doc, []).append(RelItem(term, number, kind, marks))
        out = []
        for (direction, pv), docs in sorted(found.items(), key=lambda kv: (kv[0][0] != "out", kv[0][1] != PK + "supports")):
            heading = self.iri(pv) if direction == "out" else self.inverse(pv)
            groups = []
            for doc, items in sorted(docs.items(), key=lambda kv: (kv[0] != self.context_doc, kv[0])):
                doc_iri = self.link.iris.doc(doc) if doc else ""
                head = self.iri(doc_iri) if doc else Shown("—")
                head.note = None
                items.sort(key=lambda it: _path_key(it.term.iri or ""))
                groups.append((head, items))
            out.append(RelGroup(heading, direction, groups))
        return out

    def _identity(self, properties) -> list:
        """The compact header of a document: 文号, issuer, dates, period."""
        by = {p.iri: (p, vals) for p, vals in properties}
        out = [(by[i][0], by[i][1]) for i in IDENTITY if i in by]
        start, end = by.get(PK + "periodStart"), by.get(PK + "periodEnd")
        if start or end:
            a = start[1][0].term.text if start else ""
            b = end[1][0].term.text if end else ""
            label = Shown("规划期" if self.lang == "zh" else "period", None, self.lang)
            marks = (start[1][0].marks if start else []) + (end[1][0].marks if end else [])
            out.append((label, [Value(Shown(a if a == b or not b else f"{a}–{b}"), marks[:1])]))
        return out

    def _tree(self, bind) -> list[TreeNode]:
        counts: dict[tuple[str, str], int] = {}
        for r in self.store.query(TREE_COUNTS, bind):
            counts[(r["d"].value, r["dir"].value)] = int(r["n"].value)
        nodes, parents, order = {}, {}, {}
        other = "en" if self.lang == "zh" else "zh"
        for r in self.store.query(TREE_QUERY, bind):
            iri = r["d"].value
            texts = {col: r[col].value for col in ("zh", "en") if r[col] is not None}
            if iri not in nodes:
                shown = Shown(texts.get(self.lang) or texts.get(other) or self.labels.pick(iri, self.lang)[0],
                              self.link.href(iri), self.lang if self.lang in texts else (other if texts else None), iri)
                oth = texts.get(other) if self.lang in texts else None
                nodes[iri] = TreeNode(shown, r["number"].value if r["number"] is not None else "", oth,
                                      counts.get((iri, "out"), 0), counts.get((iri, "in"), 0))
            if r["parent"] is not None:
                parents[iri] = r["parent"].value
            if r["pos"] is not None:
                order[iri] = int(r["pos"].value)
        roots = []
        key = lambda i: (order.get(i) is None, order.get(i, 0), _path_key(i))
        for iri in sorted(nodes, key=key):
            parent = parents.get(iri)
            (nodes[parent].children if parent in nodes else roots).append(nodes[iri])
        return roots

    def _chart(self, iri: str) -> Chart | None:
        from plankg.queries.run import run_named

        try:
            _, rows = run_named(self.store, "indicator-history", {"indicator": iri}, self.link.iris)
        except Exception:  # a store without the named query's needs: the table below still holds the figures
            return None
        return build_chart(rows, self.labels, self.lang, self.link)

    def _doc_short(self, iri: str) -> Shown:
        """A document in a table cell: its id, with its label as the tooltip."""
        return Shown(self.labels.short(iri), self.link.href(iri), None, self.labels.pick(iri, self.lang)[0])

    def _values(self, bind) -> list[ValueRow]:
        found: dict[str, dict] = {}
        for r in self.store.query(VALUES_QUERY, bind):
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


def _property_order(prop: str) -> tuple:
    """Properties in the order of ORDER, then by CURIE."""
    return (_ORDER_INDEX.get(prop, len(_ORDER_INDEX)), curie(prop))


def _kind(types: list[Shown]) -> str:
    """document, division, indicator or resource: which page layout the resource gets."""
    type_iris = {t.iri for t in types}
    for cls, kind in ((PK + "PolicyDocument", "document"), (PK + "Division", "division"), (PK + "Indicator", "indicator")):
        if cls in type_iris:
            return kind
    return "resource"


def _path_key(iri: str) -> tuple:
    """Division IRIs in document order (p3/s10 after p3/s2)."""
    return tuple((re.sub(r"\d+", "", seg), int(re.sub(r"\D", "", seg) or 0)) for seg in iri.split("/"))


ROLE_SHAPES = {"baseline": "square", "target": "diamond", "actual": "circle"}
COLOURS = ["#8a1c1c", "#0b5cad", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f"]


def _nice_step(span: float) -> float:
    raw = span / 4 if span > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _num(v: float) -> str:
    return f"{v:g}" if abs(v) < 1e6 else f"{v:,.0f}"


def build_chart(rows: list[dict], labels: Labels, lang: str, link: Linker) -> Chart | None:
    """Baseline → reported values → target of one indicator, one series per document, as SVG coordinates."""
    pts = []
    for r in rows:
        try:
            year = int(str(r["year"])[:4])
            value = float(r["value"])
        except (TypeError, ValueError):
            continue
        x = year + (0.5 if r.get("as_of") and not str(r["as_of"]).endswith("-12-31") else 0.0)
        pts.append((r["document"] or "", r["role"], x, value, r.get("confidence") or "", r.get("unit") or "", year))
    if not pts:
        return None
    width, height, left, bottom, top, right = 640, 270, 56, 34, 26, 28
    xs = [p[2] for p in pts]
    ys = [p[3] for p in pts]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    step = _nice_step(max(ys) - min(0.0, min(ys)))
    y0 = math.floor(min(0.0, min(ys)) / step) * step
    y1 = math.ceil(max(ys) * 1.05 / step) * step or step
    sx = lambda v: left + (v - x0) / (x1 - x0) * (width - left - right)
    sy = lambda v: top + (y1 - v) / (y1 - y0) * (height - top - bottom)
    year_step = max(1, math.ceil((x1 - x0) / 8))
    x_ticks = [(sx(y), str(y)) for y in range(x0, x1 + 1, year_step)]
    y_ticks, v = [], y0
    while v <= y1 + step / 2:
        y_ticks.append((sy(v), _num(round(v, 6))))
        v += step
    series = []
    docs = sorted({p[0] for p in pts}, key=lambda d: (min(p[6] for p in pts if p[0] == d), d))
    for i, doc in enumerate(docs):
        mine = sorted((p for p in pts if p[0] == doc), key=lambda p: (p[2], p[1] != "baseline"))
        colour = COLOURS[i % len(COLOURS)]
        line = [p for p in mine if p[1] in ("baseline", "actual")]
        targets = [p for p in mine if p[1] == "target"]
        path = " ".join(f"{'M' if j == 0 else 'L'}{sx(p[2]):.1f},{sy(p[3]):.1f}" for j, p in enumerate(line))
        dashed = ""
        if line and targets:
            last = line[-1]
            dashed = f"M{sx(last[2]):.1f},{sy(last[3]):.1f} L{sx(targets[-1][2]):.1f},{sy(targets[-1][3]):.1f}"
        points = []
        for p in mine:
            role = labels.pick(PK + p[1], lang)[0]
            mark = labels.pick(PK + p[4], lang)[0] if p[4] else ""
            points.append({"x": round(sx(p[2]), 1), "y": round(sy(p[3]), 1), "shape": ROLE_SHAPES.get(p[1], "circle"),
                           "filled": p[4] == "verified", "label": f"{role} {p[6]}: {_num(p[3])}{p[5]}" + (f" · {mark}" if mark else "")})
        name = labels.pick(doc, lang)[0] if doc else "—"
        series.append({"name": name, "colour": colour, "path": path, "dashed": dashed, "points": points,
                       "href": link.href(doc) if doc else None})
    unit = next((p[5] for p in pts if p[5]), "")
    return Chart(width, height, x_ticks, y_ticks, series, unit, "", left, bottom, top, right)


@dataclass
class SearchHit:
    term: Shown
    number: str
    place: list[Shown]  # the ancestors, outermost first
    matched: str  # the label that matched, when not the one shown


def search(store, labels: Labels, link: Linker, text: str, limit: int = 200) -> tuple[list[tuple[Shown, list[SearchHit]]], int]:
    """Label search (the named query label-search), grouped by document, each hit with its place in the tree."""
    from plankg.queries.run import run_named

    _, rows = run_named(store, "label-search", {"text": text, "language": "any"}, link.iris)
    seen, groups = set(), {}
    for r in rows:
        node = r["node"]
        if node in seen or not node.startswith(link.iris.id):
            continue
        seen.add(node)
        doc = r["document"] or ""
        groups.setdefault(doc, []).append(r)
    total = len(seen)
    out, shown = [], 0
    for doc in sorted(groups, key=lambda d: (d == "", d)):
        hits = []
        for r in sorted(groups[doc], key=lambda r: _path_key(r["node"])):
            if shown >= limit:
                break
            shown += 1
            node = r["node"]
            text_, lang = labels.pick(node, link.lang)
            term = Shown(text_, link.href(node), lang, node)
            place = []
            if doc and node.startswith(doc + "/"):
                parts = node[len(doc) + 1:].split("/")
                for i in range(1, len(parts)):
                    anc = doc + "/" + "/".join(parts[:i])
                    if anc in labels.by_iri:
                        num = labels.numbers.get(anc, "")
                        text_, lang = labels.pick(anc, link.lang)
                        place.append(Shown(f"{num} {text_}".strip(), link.href(anc), lang, anc))
            matched = r["label"] if r["label"] != term.text and node not in labels.renamed else ""
            hits.append(SearchHit(term, labels.numbers.get(node, ""), place, matched))
        if hits:
            dtext, dlang = labels.pick(doc, link.lang) if doc else ("—", None)
            head = Shown(dtext, link.href(doc) if doc else None, dlang, doc or None)
            out.append((head, hits))
    return out, total


# -- rendering ---------------------------------------------------------------------------------------
_env: Environment | None = None


def environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                           lstrip_blocks=True)
        from .labels import licence_name

        _env.filters["licence_name"] = licence_name
        from .labels import ontology_label

        _env.filters["pk_label"] = ontology_label
        _env.filters["chronological"] = lambda docs: sorted(docs, key=lambda d: ((d.period or d.date or "9999")[:4],
                                                                                 d.period or d.date or "", d.iri))
        _env.filters["period"] = lambda p: (p.split("–")[0] if isinstance(p, str) and "–" in p
                                            and len(set(p.split("–"))) == 1 else p)
    return _env


def render(template: str, **context) -> str:
    lang = context.get("lang", "zh")
    context.setdefault("t", UI[lang])
    context.setdefault("other_lang", "en" if lang == "zh" else "zh")
    return environment().get_template(template).render(**context)
