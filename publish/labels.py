"""Labels for what a page shows: the data's own labels, the ontology's, and names for outside terms."""

from __future__ import annotations

from plankg.iris import ONTOLOGY_NS
from plankg.vocab import PREFIXES

# outside properties and classes a page shows, in (zh, en)
KNOWN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("类型", "type"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("标签", "label"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("注释", "comment"),
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": ("另见", "see also"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("首选标签", "preferred label"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("别名", "alternative label"),
    "http://www.w3.org/2004/02/skos/core#note": ("说明", "note"),
    "http://www.w3.org/2004/02/skos/core#notation": ("编号", "notation"),
    "http://www.w3.org/2004/02/skos/core#broader": ("上位概念", "broader"),
    "http://www.w3.org/2004/02/skos/core#narrower": ("下位概念", "narrower"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("所属方案", "in scheme"),
    "http://www.w3.org/2004/02/skos/core#exactMatch": ("精确对应", "exact match"),
    "http://www.w3.org/2004/02/skos/core#closeMatch": ("近似对应", "close match"),
    "http://www.w3.org/2004/02/skos/core#relatedMatch": ("相关对应", "related match"),
    "http://www.w3.org/2004/02/skos/core#Concept": ("概念", "concept"),
    "http://purl.org/dc/terms/title": ("标题", "title"),
    "http://purl.org/dc/terms/isPartOf": ("属于", "is part of"),
    "http://purl.org/dc/terms/hasPart": ("包含", "has part"),
    "http://purl.org/dc/terms/creator": ("制定者", "creator"),
    "http://purl.org/dc/terms/source": ("来源", "source"),
    "http://purl.org/dc/terms/identifier": ("标识符", "identifier"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("来源依据", "derived from"),
    "http://www.w3.org/ns/prov#Entity": ("实体", "entity"),
    "http://xmlns.com/foaf/0.1/page": ("网页", "web page"),
    "http://www.w3.org/ns/org#Organization": ("机构", "organisation"),
    "http://www.w3.org/ns/org#hasUnit": ("下属单位", "has unit"),
    "http://www.w3.org/ns/org#unitOf": ("上级单位", "unit of"),
    "http://purl.org/linked-data/cube#dataSet": ("数据集", "data set"),
    "http://purl.org/linked-data/cube#DataSet": ("数据集", "data set"),
    "http://purl.org/linked-data/cube#Observation": ("观测值", "observation"),
    "http://purl.org/linked-data/cube#structure": ("数据结构", "structure"),
    "http://data.europa.eu/eli/ontology#based_on": ("依据", "based on"),
    "http://data.europa.eu/eli/ontology#LegalResource": ("法律资源", "legal resource"),
    "http://data.europa.eu/eli/ontology#LegalResourceSubdivision": ("法律资源分部", "legal resource subdivision"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject": ("陈述主体", "statement subject"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#object": ("陈述客体", "statement object"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement": ("陈述", "statement"),
}

PK = ONTOLOGY_NS
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
QB = "http://purl.org/linked-data/cube#"

#: what an incoming link means, read from the linked resource's side: "A 依据 B" shown on B as "被…依据 A"
INVERSE = {
    PK + "basedOn": ("被…依据", "is the basis of"),
    "http://data.europa.eu/eli/ontology#based_on": ("被…依据", "is the basis of"),
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
    DCT + "creator": ("制定的文件", "created"),
    DCT + "source": ("以此为来源", "source of"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("以此为来源", "source of"),
    QB + "dataSet": ("观测值", "observations"),
    SKOS + "broader": ("下位概念", "narrower"),
    SKOS + "narrower": ("上位概念", "broader"),
    SKOS + "inScheme": ("所含概念", "concepts"),
    SKOS + "topConceptOf": ("顶层概念", "top concepts"),
    SKOS + "hasTopConcept": ("所属方案", "top concept of"),
    SKOS + "exactMatch": ("精确对应", "exact match"),
    SKOS + "closeMatch": ("近似对应", "close match"),
    SKOS + "relatedMatch": ("相关对应", "related match"),
    ORG + "hasUnit": ("上级单位", "unit of"),
    ORG + "unitOf": ("下属单位", "has unit"),
    ORG + "resultedFrom": ("演变为", "resulted in"),
    ORG + "resultingOrganization": ("由…变更而来", "resulted from"),
    ORG + "originalOrganization": ("变更", "changed by"),
    ORG + "changedBy": ("所变更的机构", "changed"),
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
                if t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#subPropertyOf":
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


VALUES_QUERY = """PREFIX pk: <https://w3id.org/plankg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?v ?i ?role ?year ?l WHERE {
  ?v a pk:IndicatorValue ; pk:indicator ?i ; pk:valueRole ?role ; skos:prefLabel ?l .
  OPTIONAL { ?v pk:refYear ?year }
}"""
NUMBER_QUERY = """SELECT ?r ?n WHERE { ?r <https://w3id.org/plankg/ontology#number> ?n }"""

ALL_QUERY = """SELECT DISTINCT ?r ?p ?l WHERE {
  VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/2004/02/skos/core#prefLabel>
              <http://purl.org/dc/terms/title> <http://xmlns.com/foaf/0.1/page> }
  ?r ?p ?l . FILTER(isIRI(?r))
}"""
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
TITLE = "http://purl.org/dc/terms/title"
PAGE = "http://xmlns.com/foaf/0.1/page"


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


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
