"""Curated links already in the graph as evidence for a suggested link (issue 11 part 2).

A suggestion from division S of one document to division T of another is more likely when curated links of
*other* pairs of documents connect them:

- a **bridge**: a division U of a third document is linked by curated links to both, e.g. an annual-plan task
  that implements both a Plan section and an Outline section ("co-implemented by annual-plan-2024/p2/s1"), or a
  15th-plan section that continues a 14th-plan section (``skos:closeMatch``) and supports an Outline section;
- an **exemplar**: a division U whose heading resembles S's has a curated link to T ("the target is supported by
  plan-2026-2030/p3/s4 …, whose heading shares 转化").

A link's weight is its ``confidence`` (0.7 when the set gives none), times ``related_factor`` for
``skos:relatedMatch`` (a partial overlap, not a match). Links between the two documents being suggested for are
never evidence (they are what is asked for), nor are the links of the mapping sets named in ``exclude_sets``
(benchmarks/link_eval.py excludes the set it evaluates, and in its held-out check the held-out set too), nor,
with ``unseen``, any link that touches those documents (a document just ingested has none: only exemplars
can speak for it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from plankg.iris import Iris
from plankg.vocab import SKOS, SPARQL_PREFIXES, curie

DEFAULT_CONFIDENCE = 0.7  # a curated row without a confidence: "a reading of meaning" (corpus/mappings/README.md)



@dataclass(frozen=True)
class CuratedLink:
    subject: str
    predicate: str
    object: str
    confidence: float
    set_id: str

    @property
    def short_predicate(self) -> str:
        return curie(self.predicate)

    @property
    def set_stem(self) -> str:
        return self.set_id.rstrip("/").rsplit("/", 1)[-1]


def read_curated_links(store) -> list[CuratedLink]:
    """Every curated mapping record in the store (pk:CuratedMapping), with its confidence and mapping set."""
    sparql = SPARQL_PREFIXES + """SELECT ?s ?p ?o ?c ?set WHERE {
  ?r a pk:CuratedMapping ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pk:inMappingSet ?set .
  OPTIONAL { ?r sssom:confidence ?c }
}"""
    out = set()
    for row in store.query(sparql):
        c = float(row["c"].value) if row["c"] is not None else DEFAULT_CONFIDENCE
        out.add(CuratedLink(row["s"].value, row["p"].value, row["o"].value, c, row["set"].value))
    return sorted(out, key=lambda x: (x.set_id, x.subject, x.predicate, x.object))


def read_labels(store, iris_list: list[str]) -> dict[str, str]:
    """The Chinese headings (skos:prefLabel @zh) of the given resources that have one."""
    out: dict[str, str] = {}
    ordered = sorted(set(iris_list))
    for i in range(0, len(ordered), 500):
        values = " ".join(f"<{x}>" for x in ordered[i:i + 500])
        for row in store.query(SPARQL_PREFIXES + f"""SELECT ?d ?l WHERE {{ VALUES ?d {{ {values} }}
  ?d skos:prefLabel ?l FILTER(LANG(?l) = "zh") }}"""):
            out.setdefault(row["d"].value, row["l"].value)
    return out


@dataclass
class Step:
    """One curated link seen from one of its ends: ``other`` is the far end, ``weight`` the link's weight."""
    other: str
    weight: float
    link: CuratedLink


class Evidence:
    """Curated links as a graph to look up bridges and exemplars in (see the module docstring)."""

    def __init__(self, links: list[CuratedLink], labels: dict[str, str], iris: Iris | None = None,
                 exclude_sets: tuple[str, ...] = (), exclude_docs: tuple[str, str] | None = None,
                 related_factor: float = 0.5, unseen: tuple[str, ...] = ()):
        self.iris = iris or Iris()
        self.labels = labels
        excluded = set(exclude_sets)
        self.links = []
        self.steps: dict[str, list[Step]] = defaultdict(list)
        pair = set(exclude_docs or ())
        for link in links:
            if link.set_id in excluded or link.set_stem in excluded:
                continue
            ends = {self.iris.doc_id_of(link.subject), self.iris.doc_id_of(link.object)}
            if exclude_docs and ends == pair:
                continue  # a link between the two documents is what is being suggested, never evidence for it
            if ends & set(unseen):
                continue  # as if the document had just been ingested: no curated link touches it
            w = link.confidence * (related_factor if link.predicate == SKOS.relatedMatch.value else 1.0)
            if w <= 0:
                continue
            self.links.append(link)
            self.steps[link.subject].append(Step(link.object, w, link))
            self.steps[link.object].append(Step(link.subject, w, link))

    def neighbours(self, iri: str) -> list[Step]:
        return self.steps.get(iri, [])

    def bridge(self, s: str, t: str) -> tuple[float, Step, Step] | None:
        """The strongest division U with curated links to both S and T (product of the two weights)."""
        best = None
        via_t = {st.other: st for st in self.neighbours(t)}
        for st in self.neighbours(s):
            if st.other in via_t and st.other not in (s, t):
                w = st.weight * via_t[st.other].weight
                if best is None or w > best[0]:
                    best = (w, st, via_t[st.other])
        return best

    def curie(self, iri: str) -> str:
        return iri[len(self.iris.id):] if iri.startswith(self.iris.id) else iri

    def describe_bridge(self, s: str, t: str, su: Step, ut: Step) -> str:
        u = su.other
        a, b = su.link, ut.link
        if a.subject == u and b.subject == u and a.predicate == b.predicate:
            verb = {"pk:implements": "co-implemented", "pk:supports": "co-supported"}.get(a.short_predicate)
            if verb:
                return f"{verb} by {self.curie(u)} ({a.set_stem})"
        def rel(link: CuratedLink) -> str:
            return f"{self.curie(link.subject)} {link.short_predicate} {self.curie(link.object)}"
        sets = ", ".join(dict.fromkeys((a.set_stem, b.set_stem)))
        return f"via {self.curie(u)}: {rel(a)}; {rel(b)} ({sets})"

    def describe_exemplar(self, u: str, link: CuratedLink, words: list[str]) -> str:
        shared = f", whose heading shares {', '.join(words[:3])}" if words else ""
        return (f"the target is linked from {self.curie(u)} {self.labels.get(u, '')} "
                f"({link.short_predicate}, {link.set_stem}){shared}")
