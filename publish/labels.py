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
        for iri, (zh, en) in KNOWN.items():
            self.by_iri[iri] = {"zh": zh, "en": en}

    def add(self, iri: str, text: str, lang: str | None, preferred: bool = False) -> None:
        slot = self.by_iri.setdefault(iri, {})
        key = lang or ""
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
        return self

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
        return new
