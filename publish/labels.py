"""Labels for what a page shows: the data's own labels, the ontology's, and names for outside terms."""

from __future__ import annotations

from plankg.iris import ONTOLOGY_NS
from plankg.vocab import DCTERMS, ELI, FOAF, ORG, PROV, QB, RDF, RDFS, SKOS, SPARQL_PREFIXES, curie

# outside properties and classes a page shows, in (zh, en)
KNOWN = {
    RDF.type.value: ("类型", "type"),
    RDFS.label.value: ("标签", "label"),
    RDFS.comment.value: ("注释", "comment"),
    RDFS.seeAlso.value: ("另见", "see also"),
    SKOS.prefLabel.value: ("首选标签", "preferred label"),
    SKOS.altLabel.value: ("别名", "alternative label"),
    SKOS.note.value: ("说明", "note"),
    SKOS.notation.value: ("编号", "notation"),
    SKOS.broader.value: ("上位概念", "broader"),
    SKOS.narrower.value: ("下位概念", "narrower"),
    SKOS.inScheme.value: ("所属方案", "in scheme"),
    SKOS.exactMatch.value: ("精确对应", "exact match"),
    SKOS.closeMatch.value: ("近似对应", "close match"),
    SKOS.relatedMatch.value: ("相关对应", "related match"),
    SKOS.Concept.value: ("概念", "concept"),
    DCTERMS.title.value: ("标题", "title"),
    DCTERMS.isPartOf.value: ("属于", "is part of"),
    DCTERMS.hasPart.value: ("包含", "has part"),
    DCTERMS.creator.value: ("制定者", "creator"),
    DCTERMS.source.value: ("来源", "source"),
    DCTERMS.identifier.value: ("标识符", "identifier"),
    PROV.wasDerivedFrom.value: ("来源依据", "derived from"),
    PROV.Entity.value: ("实体", "entity"),
    FOAF.page.value: ("网页", "web page"),
    ORG.Organization.value: ("机构", "organisation"),
    ORG.hasUnit.value: ("下属单位", "has unit"),
    ORG.unitOf.value: ("上级单位", "unit of"),
    QB.dataSet.value: ("数据集", "data set"),
    QB.DataSet.value: ("数据集", "data set"),
    QB.Observation.value: ("观测值", "observation"),
    QB.structure.value: ("数据结构", "structure"),
    ELI.based_on.value: ("依据", "based on"),
    ELI.LegalResource.value: ("法律资源", "legal resource"),
    ELI.LegalResourceSubdivision.value: ("法律资源分部", "legal resource subdivision"),
    RDF.subject.value: ("陈述主体", "statement subject"),
    RDF.object.value: ("陈述客体", "statement object"),
    RDF.Statement.value: ("陈述", "statement"),
}

PK = ONTOLOGY_NS

#: what an incoming link means, read from the linked resource's side: "A 依据 B" shown on B as "被…依据 A"
INVERSE = {
    PK + "basedOn": ("被…依据", "is the basis of"),
    ELI.based_on.value: ("被…依据", "is the basis of"),
    PK + "implements": ("被…贯彻落实", "implemented by"),
    PK + "supports": ("被…支撑", "supported by"),
    PK + "succeeds": ("被…接续", "succeeded by"),
    PK + "measures": ("被…衡量", "measured by"),
    PK + "indicator": ("指标值", "values"),
    PK + "hasValue": ("所属指标", "indicator"),
    PK + "statedIn": ("载有的数值", "values stated here"),
    PK + "tracks": ("被…跟踪", "tracked by"),
    PK + "issuedBy": ("发布的文件", "issued"),
    PK + "inDocument": ("所含内容", "contains"),
    PK + "countOf": ("所述数量", "stated counts"),
    DCTERMS.creator.value: ("制定的文件", "created"),
    DCTERMS.source.value: ("以此为来源", "source of"),
    PROV.wasDerivedFrom.value: ("以此为来源", "source of"),
    QB.dataSet.value: ("观测值", "observations"),
    SKOS.broader.value: ("下位概念", "narrower"),
    SKOS.narrower.value: ("上位概念", "broader"),
    SKOS.inScheme.value: ("所含概念", "concepts"),
    SKOS.topConceptOf.value: ("顶层概念", "top concepts"),
    SKOS.hasTopConcept.value: ("所属方案", "top concept of"),
    SKOS.exactMatch.value: ("精确对应", "exact match"),
    SKOS.closeMatch.value: ("近似对应", "close match"),
    SKOS.relatedMatch.value: ("相关对应", "related match"),
    ORG.hasUnit.value: ("上级单位", "unit of"),
    ORG.unitOf.value: ("下属单位", "has unit"),
    ORG.resultedFrom.value: ("演变为", "resulted in"),
    ORG.resultingOrganization.value: ("由…变更而来", "resulted from"),
    ORG.originalOrganization.value: ("变更", "changed by"),
    ORG.changedBy.value: ("所变更的机构", "changed"),
}

#: fields kept in the RDF for ordering, not shown to readers
READER_HIDDEN = {PK + "position", PK + "ordinal"}

#: licences by address: a page names them
LICENCES = {
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "http://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://opendatacommons.org/licenses/odbl/1-0/": "ODbL 1.0",
}


def licence_name(url: str) -> str:
    return LICENCES.get(url, url)


def sub_properties() -> dict[str, set[str]]:
    """Each property of the ontology with its super-properties (rdfs:subPropertyOf, transitively)."""
    global _SUPERS
    if _SUPERS is None:
        from plankg.ontology import ONTOLOGY_PATH
        from pyoxigraph import RdfFormat, parse

        direct: dict[str, set[str]] = {}
        with open(ONTOLOGY_PATH, "rb") as fh:
            for t in parse(fh, format=RdfFormat.TURTLE):
                if t.predicate.value == RDFS.subPropertyOf.value:
                    direct.setdefault(t.subject.value, set()).add(t.object.value)
        closed = {}
        for p in direct:
            seen, todo = set(), list(direct[p])
            while todo:
                q = todo.pop()
                if q not in seen:
                    seen.add(q)
                    todo += direct.get(q, ())
            closed[p] = seen
        _SUPERS = closed
    return _SUPERS


_SUPERS: dict[str, set[str]] | None = None
_ONTOLOGY_LABELS: dict[str, dict[str, str]] | None = None


def ontology_label(local: str, lang: str) -> str:
    """The label of an ontology term by its local name (Plan → 规划 / plan), from the ontology file."""
    global _ONTOLOGY_LABELS
    if _ONTOLOGY_LABELS is None:
        from plankg.ontology import ONTOLOGY_PATH
        from pyoxigraph import Literal, RdfFormat, parse

        found: dict[str, dict[str, str]] = {}
        with open(ONTOLOGY_PATH, "rb") as fh:
            for t in parse(fh, format=RdfFormat.TURTLE):
                if t.predicate.value == PREF and isinstance(t.object, Literal) and t.subject.value.startswith(PK):
                    found.setdefault(t.subject.value[len(PK):], {})[t.object.language or ""] = t.object.value
        _ONTOLOGY_LABELS = found
    return _ONTOLOGY_LABELS.get(local, {}).get(lang) or local


def shown_once(pairs):
    """(property, value) pairs without those a sub-property already states: pk:basedOn hides eli:based_on."""
    pairs = list(pairs)
    supers = sub_properties()
    by_value: dict[str, set[str]] = {}
    for p, o in pairs:
        by_value.setdefault(str(o), set()).add(p)
    hidden = set()
    for o, props in by_value.items():
        for p in props:
            hidden |= {(q, o) for q in supers.get(p, ()) if q in props and q != p}
    return [(p, o) for p, o in pairs if (p, str(o)) not in hidden]


VALUES_QUERY = SPARQL_PREFIXES + """SELECT ?v ?i ?role ?year ?l WHERE {
  ?v a pk:IndicatorValue ; pk:indicator ?i ; pk:valueRole ?role ; skos:prefLabel ?l .
  OPTIONAL { ?v pk:refYear ?year }
}"""
NUMBER_QUERY = SPARQL_PREFIXES + """SELECT ?r ?n WHERE { ?r pk:number ?n }"""

ALL_QUERY = SPARQL_PREFIXES + """SELECT DISTINCT ?r ?p ?l WHERE {
  VALUES ?p { rdfs:label skos:prefLabel dcterms:title foaf:page }
  ?r ?p ?l . FILTER(isIRI(?r))
}"""
PREF = SKOS.prefLabel.value
TITLE = DCTERMS.title.value
PAGE = FOAF.page.value


class Labels:
    """Labels by IRI and language; ``pick`` falls back to the other language, then to a short name."""

    def __init__(self, id_prefix: str):
        self.id_prefix = id_prefix
        self.by_iri: dict[str, dict[str, str]] = {}
        self.numbers: dict[str, str] = {}
        self.renamed: set[str] = set()  # values named here (their own label carries an id): kept over the data's
        for iri, (zh, en) in KNOWN.items():
            self.by_iri[iri] = {"zh": zh, "en": en}

    def add(self, iri: str, text: str, lang: str | None, preferred: bool = False) -> None:
        slot = self.by_iri.setdefault(iri, {})
        key = lang or ""
        if iri in self.renamed and key in ("zh", "en"):
            return
        if preferred or key not in slot:
            slot[key] = text

    def load(self, store) -> Labels:
        """Every label, title and web page in the store (the ontology's too): one query, kept for the pages.

        The bounded descriptions (RDF twins) still query their labels; this cache only names links in HTML.
        """
        for r in store.query(ALL_QUERY):
            iri, p, lit = r["r"].value, r["p"].value, r["l"]
            if p == TITLE:
                self.add(iri, lit.value, "title")
            elif p == PAGE:
                self.add(iri, lit.value, "page")
            else:
                self.add(iri, lit.value, getattr(lit, "language", None) or None, preferred=p == PREF)
        for r in store.query(NUMBER_QUERY):
            self.numbers[r["r"].value] = r["n"].value
        self._name_values(store)
        return self

    def _name_values(self, store) -> None:
        """A value labelled with its indicator's id (a reported value) is named by the indicator's label, role, year."""
        for r in store.query(VALUES_QUERY):
            v, ind = r["v"].value, r["i"].value
            slug = ind.rstrip("/").rsplit("/", 1)[-1]
            if slug not in r["l"].value:
                continue
            year = r["year"].value[:4] if r["year"] is not None else ""
            for lang in ("zh", "en"):
                name = self.exact(ind, lang) or self.pick(ind, lang)[0]
                role = self.exact(r["role"].value, lang) or self.pick(r["role"].value, lang)[0]
                text = (f"{name} {role}" + (f"（{year}年）" if year else "")) if lang == "zh" else \
                    (f"{name}: {role}" + (f" ({year})" if year else ""))
                self.by_iri.setdefault(v, {})[lang] = text
            self.renamed.add(v)

    def inverse(self, prop: str, lang: str) -> tuple[str, str | None]:
        """The label of an incoming link ``prop`` (被…依据 / is the basis of); else "← label"."""
        if prop in INVERSE:
            zh, en = INVERSE[prop]
            return (zh if lang == "zh" else en), lang
        text, got = self.pick(prop, lang)
        return "← " + text, got

    def short(self, iri: str) -> str:
        if iri.startswith(self.id_prefix):
            return iri[len(self.id_prefix):]
        if iri.startswith(ONTOLOGY_NS):
            return "pk:" + iri[len(ONTOLOGY_NS):]
        return curie(iri)

    def pick(self, iri: str, lang: str) -> tuple[str, str | None]:
        """(text, its language or None) for ``iri`` in ``lang``."""
        slot = self.by_iri.get(iri, {})
        other = "en" if lang == "zh" else "zh"
        for key in (lang, other, ""):
            if slot.get(key):
                return slot[key], key or None
        for key, text in slot.items():
            if text:
                return text, key or None
        return self.short(iri), None

    def exact(self, iri: str, lang: str) -> str | None:
        return self.by_iri.get(iri, {}).get(lang)

    def copy(self) -> Labels:
        new = Labels(self.id_prefix)
        new.by_iri = {k: dict(v) for k, v in self.by_iri.items()}
        new.numbers = self.numbers
        new.renamed = self.renamed
        return new
