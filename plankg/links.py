"""Suggested links between the divisions of two documents, written as SSSOM, and their curation.

``suggest`` reads the divisions of two documents from the store (any ``pk:Division``, ``pk:Task`` or
``pk:Goal`` with a Chinese heading: parts, sections, items, bullets, lead paragraphs, and the tasks and goals
that extraction adds) and scores each pair by lexical similarity: the cosine of character-bigram BM25 vectors
(IDF over every heading in the store) of the division's heading, the headings beneath it and its text
(``pk:text``) where the store has it; plus the similarity of the two parents and the alignment of the two
divisions' children; scaled down when the target sits at another level. Added to that, the curated links of
*other* pairs of documents already in the store (plankg.link_evidence): a division of a third document linked to
both (an annual-plan task that implements a Plan section and an Outline section), or a division like the source
that has a curated link to the target. Links between the two documents themselves are never evidence, and each
suggestion's comment names the evidence it used. Nothing is downloaded.

A suggestion is never a curated link. ``write_sssom`` writes the candidates with
``semapv:LexicalMatching``; ``suggestion_quads`` loads them into a graph of their own
(``graph/suggestions/{set}``) as ``pk:SuggestedMapping`` records only (RDF reification), so the link itself
is never asserted and the named queries see it only when asked (``include_suggested``).
``accept`` turns reviewed rows into a curated set (``semapv:ManualMappingCuration`` with ``author_id``, the
way Biomappings/sssom-curator record a curator's decision).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from plankg.errors import DocumentError, UsageError
from plankg.iris import DOC_ID_RE, Iris
from plankg.link_evidence import Evidence, read_curated_links, read_labels
from plankg.vocab import PK, RDF, RDFS, SEMAPV, SPARQL_PREFIXES, SSSOM, XSD

#: the structural levels a suggestion may point to by default: the levels of every curated supports/implements
#: set in corpus/mappings/ (parts, sections, and goal bullets); items, bullets and paragraphs are sources only
TARGET_CLASSES = ("Part", "Section", "Goal", "Task", "Chapter", "ChapterSection")
STRUCTURE = ("Part", "Section", "Chapter", "ChapterSection", "Item", "SubItem", "Bullet", "Paragraph", "Box", "Book")
#: pk:Division and the extracted kinds of division (issue 11 part 1 may add pk:Task / pk:Goal nodes)
DIVISION_CLASSES = ("Division", "Task", "Goal")

#: scorer settings (see benchmarks/link_eval.py for the figures that chose them, and its held-out check)
NGRAMS = (2,)  # character bigrams
BM25_K1, BM25_B = 1.2, 0.5
W_DESCENDANTS = 0.6  # the headings beneath a division, relative to its own heading
W_TEXT = 0.2  # its text (pk:text), where ingested (not measured: the bundled corpus has no text)
W_PARENT = 0.4  # the similarity of the two parents, added to the pair's score
W_ALIGN = 0.5  # the children's alignment, added to the pair's score
UP_FACTOR = 0.8  # per level the target sits above the source
DOWN_FACTOR = 0.3  # per level the target sits below the source (not for a goal)
BACKGROUND = True  # IDF over every heading in the store
W_EVIDENCE = 0.5  # curated links of other document pairs (bridges, exemplars), added to the pair's score
W_EXEMPLAR = 0.5  # an exemplar's heading similarity to the source, relative to a bridge
RELATED_FACTOR = 0.5  # skos:relatedMatch, relative to its confidence

PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def tool_version() -> str:
    try:
        return version("plankg")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without an install
        return "0"


def normalise(text: str) -> str:
    """NFKC (full → half width), without punctuation and spaces (the heading's words only)."""
    return PUNCT.sub("", unicodedata.normalize("NFKC", text or ""))


def ngrams(text: str, sizes=NGRAMS) -> Counter:
    t = normalise(text)
    grams: Counter = Counter()
    for n in sizes:
        if len(t) < n:
            if t and n == min(sizes):
                grams[t] += 1
            continue
        grams.update(t[i:i + n] for i in range(len(t) - n + 1))
    return grams


@dataclass
class Division:
    iri: str
    label: str
    classes: set[str]
    position: int = 0
    parent: str | None = None
    text: str = ""
    children: list[str] = field(default_factory=list)
    depth: int = 0  # ancestors within the document (a part is 0)

    @property
    def level(self) -> str:
        return next((c for c in STRUCTURE if c in self.classes), next(iter(sorted(self.classes)), "Division"))


def read_divisions(store, doc_iri: str) -> dict[str, Division]:
    """The divisions of one document that have a Chinese heading, by IRI (in document order)."""
    values = " ".join(f"pk:{c}" for c in DIVISION_CLASSES)
    sparql = SPARQL_PREFIXES + f"""SELECT ?d ?label ?cls ?pos ?parent ?text WHERE {{
  VALUES ?kind {{ {values} }}
  {{ ?d pk:inDocument <{doc_iri}> }} UNION {{ ?d pk:within <{doc_iri}> }}
  ?d a ?kind ; a ?cls ; skos:prefLabel ?label FILTER(LANG(?label) = "zh")
  FILTER(STRSTARTS(STR(?cls), STR(pk:)))
  OPTIONAL {{ ?d pk:position ?pos }}
  OPTIONAL {{ ?d dcterms:isPartOf ?parent }}
  OPTIONAL {{ ?d pk:text ?text }}
}}"""
    out: dict[str, Division] = {}
    texts: dict[str, set[str]] = {}
    for row in store.query(sparql):
        iri = row["d"].value
        d = out.get(iri)
        if d is None:
            d = out[iri] = Division(iri, row["label"].value, set())
        d.classes.add(row["cls"].value[len(str(PK)):])
        if row["pos"] is not None:
            d.position = int(row["pos"].value)
        if row["parent"] is not None and row["parent"].value != doc_iri:
            d.parent = row["parent"].value
        if row["text"] is not None:
            texts.setdefault(iri, set()).add(row["text"].value)
    for iri, ts in texts.items():
        out[iri].text = "\n".join(sorted(ts))
    ordered = dict(sorted(out.items(), key=lambda kv: (kv[1].position, kv[0])))
    for d in ordered.values():
        if d.parent in ordered:
            ordered[d.parent].children.append(d.iri)
        p, seen = d.parent, {d.iri}
        while p in ordered and p not in seen:
            d.depth += 1
            seen.add(p)
            p = ordered[p].parent
    return ordered


def descendants(divs: dict[str, Division], iri: str) -> list[Division]:
    out, todo = [], list(divs[iri].children)
    while todo:
        d = divs[todo.pop(0)]
        out.append(d)
        todo += d.children
    return out


class Bm25Space:
    """BM25 weights of character n-grams (Robertson/Spärck Jones IDF with +1, as Lucene), over the headings of
    both documents; a vector of a division is the weighted sum of its heading, sub-headings and text."""

    def __init__(self, docs: list[Counter], k1: float = BM25_K1, b: float = BM25_B):
        self.k1, self.b = k1, b
        n = len(docs) or 1
        df: Counter = Counter()
        for d in docs:
            df.update(set(d))
        self.idf = {g: math.log(1 + (n - f + 0.5) / (f + 0.5)) for g, f in df.items()}
        self.avglen = (sum(sum(d.values()) for d in docs) / n) or 1.0
        self.default_idf = math.log(1 + (n + 0.5) / 0.5)

    def weigh(self, grams: Counter) -> dict[str, float]:
        length = sum(grams.values())
        norm = self.k1 * (1 - self.b + self.b * length / self.avglen)
        return {g: tf * (self.k1 + 1) / (tf + norm) * self.idf.get(g, self.default_idf) for g, tf in grams.items()}


def _add(into: dict[str, float], vec: dict[str, float], w: float) -> None:
    for g, v in vec.items():
        into[g] = into.get(g, 0.0) + w * v


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(g, 0.0) for g, v in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


@dataclass
class Settings:
    ngrams: tuple[int, ...] = NGRAMS
    w_descendants: float = W_DESCENDANTS
    w_text: float = W_TEXT
    w_parent: float = W_PARENT
    k1: float = BM25_K1
    b: float = BM25_B
    target_classes: tuple[str, ...] = TARGET_CLASSES
    #: True: a division is offered only targets at its own level or above, or goals
    no_deeper: bool = False
    #: the score is multiplied by this for each level the target sits below the source (not for a goal):
    #: a part's counterpart is a part before it is a section
    down_factor: float = DOWN_FACTOR
    #: IDF from every heading in the store, not only the two documents'
    background: bool = BACKGROUND
    #: weight of the children's alignment: the mean, over the source's children, of the best heading
    #: similarity among the target's children
    w_align: float = W_ALIGN
    #: the score is multiplied by this for each level the target sits above the source (the most specific
    #: counterpart first: a section's counterpart is a section before it is a part)
    up_factor: float = UP_FACTOR
    #: weight of the curated-link evidence (plankg.link_evidence), added to the pair's score
    w_evidence: float = W_EVIDENCE
    #: an exemplar (a division with a curated link to the target) counts its heading's similarity to the
    #: source times this, where a bridge (a division linked to both) counts 1
    w_exemplar: float = W_EXEMPLAR
    #: the weight of a skos:relatedMatch link relative to its confidence (a partial overlap, not a match)
    related_factor: float = RELATED_FACTOR


@dataclass
class Suggestion:
    subject: Division
    object: Division
    score: float
    matched: str


def _vectors(space: Bm25Space, divs: dict[str, Division], s: Settings) -> dict[str, dict[str, float]]:
    own = {iri: space.weigh(ngrams(d.label, s.ngrams)) for iri, d in divs.items()}
    out = {}
    for iri, d in divs.items():
        vec = dict(own[iri])
        below = descendants(divs, iri)
        if below and s.w_descendants:
            merged: dict[str, float] = {}
            for c in below:
                _add(merged, own[c.iri], 1.0 / len(below))
            _add(vec, merged, s.w_descendants)
        if d.text and s.w_text:
            _add(vec, space.weigh(ngrams(d.text, s.ngrams)), s.w_text)
        out[iri] = vec
    return out


def shared_wording(a: str, b: str, minimum: int = 2) -> list[str]:
    """The maximal common substrings (of at least ``minimum`` characters) of two headings, longest first."""
    a, b = normalise(a), normalise(b)
    found: list[str] = []
    used = [False] * len(a)
    while True:
        best, at = "", -1
        for i in range(len(a)):
            if used[i]:
                continue
            for j in range(len(a), i + len(best), -1):
                if any(used[i:j]):
                    continue
                if a[i:j] in b:
                    if j - i > len(best):
                        best, at = a[i:j], i
                    break
        if len(best) < minimum:
            return found
        found.append(best)
        for k in range(at, at + len(best)):
            used[k] = True


def _shown(words: list[str]) -> list[str]:
    """Shared wording as a reader names it: without a particle at either end (的知识产权 → 知识产权)."""
    out = []
    for w in words:
        w = w.strip("的和与及")
        if len(w) >= 2 and w not in out:
            out.append(w)
    return out


def _explain(sd: Division, td: Division, sdivs, tdivs, evidence: str | None = None) -> str:
    parts = []
    words = _shown(shared_wording(sd.label, td.label))
    if words:
        parts.append("heading: " + ", ".join(words))
    below_s = [sd] + descendants(sdivs, sd.iri)
    below_t = [td] + descendants(tdivs, td.iri)
    sub = []
    for x in below_s:
        for y in below_t:
            if x is sd and y is td:
                continue
            for w in _shown(shared_wording(x.label, y.label, 3)):
                if not any(w in p for p in sub + words):
                    sub = [p for p in sub if p not in w] + [w]
    if sub:
        parts.append("sub-headings: " + ", ".join(sub[:4]))
    if sd.text and td.text:
        tw = _shown(shared_wording(sd.text[:400], td.text[:400], 4))[:3]
        if tw:
            parts.append("text: " + ", ".join(tw))
    if sd.parent and td.parent and sd.parent in sdivs and td.parent in tdivs:
        pw = _shown(shared_wording(sdivs[sd.parent].label, tdivs[td.parent].label, 3))
        if pw:
            parts.append("parents: " + ", ".join(pw[:2]))
    basis = "; ".join(parts) if parts else "no shared wording of two characters or more"
    text = f"lexical: {basis} (character bigram BM25 cosine)"
    return f"{text}; curated-link evidence: {evidence}" if evidence else text


def related(divs: dict[str, Division], iri: str) -> set[str]:
    """A division, its ancestors and its descendants: never suggested for each other within one document."""
    out = {iri} | {d.iri for d in descendants(divs, iri)}
    p = divs[iri].parent
    while p in divs:
        out.add(p)
        p = divs[p].parent
    return out


def score_pairs(sdivs: dict[str, Division], tdivs: dict[str, Division], settings: Settings | None = None,
                top: int = 3, background: list[str] | None = None,
                evidence: Evidence | None = None, explain: bool = True) -> dict[str, list[Suggestion]]:
    """For each source division, its ``top`` best target divisions (score > 0), best first.

    ``background``: the headings whose n-gram frequencies give the IDF (with settings.background, all the
    store's headings, so that wording common to every plan, such as 高质量发展, weighs little); else the two
    documents' headings. ``evidence``: curated links of other document pairs (plankg.link_evidence), whose
    strongest bridge or exemplar for a pair adds ``settings.w_evidence`` times its weight. ``explain``: False
    leaves each suggestion's ``matched`` empty (the evaluation needs only the ranking)."""
    s = settings or Settings()
    pool = {**sdivs, **tdivs}
    docs = [ngrams(t, s.ngrams) for t in background] if background and s.background else \
        [ngrams(d.label, s.ngrams) for d in pool.values()]
    space = Bm25Space(docs, s.k1, s.b)
    svec, tvec = _vectors(space, sdivs, s), _vectors(space, tdivs, s)
    sown = {iri: space.weigh(ngrams(d.label, s.ngrams)) for iri, d in sdivs.items()}
    town = {iri: space.weigh(ngrams(d.label, s.ngrams)) for iri, d in tdivs.items()}
    targets = [d for d in tdivs.values() if d.classes & set(s.target_classes)]
    same_doc = bool(set(sdivs) & set(tdivs))
    use_evidence = evidence is not None and bool(evidence.links) and s.w_evidence > 0  # none: the lexical score alone
    exemplars = _exemplar_vectors(space, evidence, targets, s) if use_evidence else {}
    out: dict[str, list[Suggestion]] = {}
    why: dict[tuple[str, str], Callable[[], str]] = {}  # what each pair's evidence is, said only for the rows kept
    for sd in sdivs.values():
        excluded = related(sdivs, sd.iri) if same_doc else set()
        scored = []
        for td in targets:
            if td.iri in excluded or (s.no_deeper and td.depth > sd.depth and "Goal" not in td.classes):
                continue
            if same_doc and "Goal" not in td.classes:  # within one document, divisions support its goals
                continue
            score = cosine(svec[sd.iri], tvec[td.iri])
            if s.w_parent and sd.parent in svec and td.parent in tvec:
                score += s.w_parent * cosine(svec[sd.parent], tvec[td.parent])
            if s.w_align and sd.children and td.children:  # each child's best counterpart among the other's children
                score += s.w_align * sum(max(cosine(sown[c], town[d]) for d in td.children) for c in sd.children) / len(sd.children)
            if td.depth < sd.depth:
                score *= s.up_factor ** (sd.depth - td.depth)
            elif td.depth > sd.depth and "Goal" not in td.classes:
                score *= s.down_factor ** (td.depth - sd.depth)
            if use_evidence:
                weight, because = _evidence_for(evidence, sd, td, sown[sd.iri], exemplars.get(td.iri, ()), s)
                if weight > 0:
                    score += s.w_evidence * weight
                    why[sd.iri, td.iri] = because
            if score > 0:
                scored.append((score, td))
        scored.sort(key=lambda x: (-x[0], x[1].position, x[1].iri))
        norm = 1 + s.w_parent + s.w_align + (s.w_evidence if use_evidence else 0)
        out[sd.iri] = [Suggestion(sd, td, min(1.0, sc / norm), "") for sc, td in scored[:top]]
    for rows in out.values() if explain else ():
        for sug in rows:
            because = why.get((sug.subject.iri, sug.object.iri))
            sug.matched = _explain(sug.subject, sug.object, sdivs, tdivs, because() if because else None)
    return out


def _exemplar_vectors(space: Bm25Space, evidence: Evidence, targets: list[Division], s: Settings) -> dict[str, list]:
    """For each target, the divisions with a curated link to it that have a Chinese heading: (step, vector)."""
    out = {}
    for td in targets:
        rows = [(st, space.weigh(ngrams(evidence.labels[st.other], s.ngrams))) for st in evidence.neighbours(td.iri)
                if st.other in evidence.labels]
        if rows:
            out[td.iri] = rows
    return out


def _evidence_for(evidence: Evidence, sd: Division, td: Division, svec: dict[str, float], exemplars, s: Settings):
    """(weight, a function that says what it is) of the strongest curated-link evidence for the pair: a bridge,
    or an exemplar whose weight is higher."""
    best, because = 0.0, None
    found = evidence.bridge(sd.iri, td.iri)
    if found:
        best, because = found[0], lambda: evidence.describe_bridge(sd.iri, td.iri, found[1], found[2])
    if s.w_exemplar:
        for st, uvec in exemplars:
            if st.other == sd.iri:
                continue
            w = s.w_exemplar * cosine(svec, uvec) * st.weight
            if w > best:
                best, because = w, lambda st=st: evidence.describe_exemplar(
                    st.other, st.link, _shown(shared_wording(sd.label, evidence.labels[st.other])))
    return best, because


def _doc_iri(iris: Iris, doc: str, what: str) -> str:
    if DOC_ID_RE.match(doc):
        return iris.doc(doc)
    if doc.startswith(iris.id) and DOC_ID_RE.match(doc[len(iris.id):]):
        return doc
    raise UsageError(f"{what}: {doc!r} is not a document id (e.g. plan-2021-2025) or document IRI")


def suggest(store, source: str, target: str, iris: Iris | None = None, top: int = 3,
            settings: Settings | None = None) -> dict[str, list[Suggestion]]:
    iris = iris or Iris()
    if top < 1:
        raise UsageError(f"--top: {top} must be at least 1")
    divs = []
    for doc, what in ((source, "SOURCE_DOC"), (target, "TARGET_DOC")):
        d = read_divisions(store, _doc_iri(iris, doc, what))
        if not d:
            raise UsageError(f"{what}: document {doc!r} has no divisions with a Chinese heading in the store",
                             "check the id (plankg sparql, heading-tree) or ingest the document first")
        divs.append(d)
    s = settings or Settings()
    pair = tuple(iris.doc_id_of(_doc_iri(iris, doc, "")) for doc in (source, target))
    evidence = store_evidence(store, iris, exclude_docs=pair, related_factor=s.related_factor) if s.w_evidence else None
    return score_pairs(divs[0], divs[1], s, top, all_headings(store), evidence)


def store_evidence(store, iris: Iris, exclude_sets: tuple[str, ...] = (), exclude_docs: tuple[str, str] | None = None,
                   related_factor: float = RELATED_FACTOR, links=None, unseen: tuple[str, ...] = ()) -> Evidence:
    """The store's curated links as evidence (plankg.link_evidence), without the links between ``exclude_docs``
    (the pair suggested for), those of the mapping sets ``exclude_sets`` (IRIs or stems) and any that touches a
    document in ``unseen``."""
    links = read_curated_links(store) if links is None else links
    labels = read_labels(store, [x for link in links for x in (link.subject, link.object)])
    return Evidence(links, labels, iris, exclude_sets, exclude_docs, related_factor, unseen)


def all_headings(store) -> list[str]:
    """The Chinese headings of every division in the store (the background of the IDF)."""
    sparql = SPARQL_PREFIXES + """SELECT DISTINCT ?d ?label WHERE { ?d a pk:Division ; skos:prefLabel ?label FILTER(LANG(?label) = "zh") }"""
    return [row["label"].value for row in store.query(sparql)]


# --- SSSOM ------------------------------------------------------------------------------------------------

COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "confidence", "mapping_tool", "mapping_tool_version", "comment")


def _curie(iri: str, iris: Iris) -> str:
    return "pkid:" + iri[len(iris.id):] if iri.startswith(iris.id) else iri


def _cell(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", text or "").strip()


def write_sssom(suggestions: dict[str, list[Suggestion]], source: str, target: str, path: Path,
                iris: Iris | None = None) -> int:
    """Write the candidates as an SSSOM TSV (the conventions of corpus/mappings/); returns the rows written."""
    iris = iris or Iris()
    src, tgt = [DOC_ID_RE.match(x) and x or x[len(iris.id):] for x in (source, target)]
    stem = f"{src}_supports_{tgt}"
    meta = [
        "#curie_map:",
        f'#  pkid: "{iris.id}"',
        f'#  pk: "{PK}"',
        f'#  semapv: "{SEMAPV}"',
        f'#  plankg: "{iris.base}"',
        f'#mapping_set_id: "{iris.base}mappings/suggested/{stem}"',
        f'#mapping_set_title: "Suggested (not curated) pk:supports links from divisions of {src} to divisions of {tgt}"',
        '#mapping_set_description: "Candidates by lexical similarity of the Chinese headings (and text where ingested), '
        'top candidates per source division; none is a curated judgement until a curator accepts it (plankg link accept)."',
        '#license: "https://creativecommons.org/publicdomain/zero/1.0/"',
        "#creator_id:",
        '#  - "plankg:link-suggest"',
        f'#mapping_date: "{datetime.date.today().isoformat()}"',
        f'#subject_source: "pkid:{src}"',
        f'#object_source: "pkid:{tgt}"',
    ]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(COLUMNS)
    n = 0
    for rows in suggestions.values():
        for sug in rows:
            w.writerow([_curie(sug.subject.iri, iris), _cell(sug.subject.label), "pk:supports",
                        _curie(sug.object.iri, iris), _cell(sug.object.label), "semapv:LexicalMatching",
                        f"{sug.score:.3f}", "plankg", tool_version(), _cell(sug.matched)])
            n += 1
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(meta) + "\n" + buf.getvalue(), encoding="utf-8")
    return n


def suggestion_quads(ms, iris: Iris, known: set[str] | None = None) -> tuple[str, list[Quad]]:
    """A suggestion set (read with ingest.mappings.read_mapping_set) as ``pk:SuggestedMapping`` records in
    ``graph/suggestions/{stem}``: reified, so the link itself is not asserted anywhere."""
    from plankg.ingest.mappings import ALLOWED_PREDICATES, _Curies

    g = NamedNode(iris.graph(f"suggestions/{ms.stem}"))
    curies = _Curies(ms, iris)
    set_iri = NamedNode(ms.set_id)
    quads = [Quad(set_iri, RDF.type, SSSOM.MappingSet, g),
             Quad(set_iri, PK.curated, Literal("false", datatype=XSD.boolean), g)]
    if ms.meta.get("mapping_set_title"):
        quads.append(Quad(set_iri, RDFS.label, Literal(str(ms.meta["mapping_set_title"]), language="en"), g))
    seen: dict[tuple, int] = {}
    for line, row in ms.rows:
        pred = (row.get("predicate_id") or "").strip()
        if pred not in ALLOWED_PREDICATES:
            raise DocumentError(ms.path, line, f"predicate {pred!r} is not allowed in a mapping set")
        just = (row.get("mapping_justification") or "").strip()
        if just == "semapv:ManualMappingCuration":
            raise DocumentError(ms.path, line, "this row is curated (semapv:ManualMappingCuration): not a suggestion",
                                "put curated sets in corpus/mappings/ and rebuild")
        if not just.startswith("semapv:"):
            raise DocumentError(ms.path, line, "mapping_justification must be a semapv: term, e.g. semapv:LexicalMatching")
        s, p, o = (curies.expand(row.get(c), line, c) for c in ("subject_id", "predicate_id", "object_id"))
        for column, iri in (("subject_id", s), ("object_id", o)):
            if known is not None and iri not in known:
                raise DocumentError(ms.path, line, f"{column} {row.get(column)} names no resource in the store",
                                    "suggest again from the store's documents")
        if (s, p, o) in seen:
            raise DocumentError(ms.path, line, f"duplicate mapping (first on line {seen[(s, p, o)]})")
        seen[(s, p, o)] = line
        rec = NamedNode(iris.mapping(f"suggested/{ms.stem}", s, p, o))
        quads += [
            Quad(rec, RDF.type, PK.SuggestedMapping, g), Quad(rec, RDF.type, RDF.Statement, g),
            Quad(rec, RDF.subject, NamedNode(s), g), Quad(rec, RDF.predicate, NamedNode(p), g),
            Quad(rec, RDF.object, NamedNode(o), g), Quad(rec, PK.inMappingSet, set_iri, g),
            Quad(rec, SSSOM.mapping_justification, NamedNode(curies.expand(just, line, "mapping_justification")), g),
        ]
        conf = (row.get("confidence") or "").strip()
        if conf:
            try:
                c = float(conf)
            except ValueError:
                c = -1.0
            if not 0 <= c <= 1:
                raise DocumentError(ms.path, line, f"confidence {conf!r} is not a number between 0 and 1")
            quads.append(Quad(rec, SSSOM.confidence, Literal(f"{c:.3f}", datatype=XSD.decimal), g))
        if (row.get("comment") or "").strip():
            quads.append(Quad(rec, RDFS.comment, Literal(row["comment"].strip(), language="en"), g))
    return g.value, quads


def load_suggestions(store, path: Path, iris: Iris | None = None) -> tuple[str, int]:
    """Check a suggestion file against the store and put it into its own graph (replacing an older load)."""
    from plankg.ingest.mappings import read_mapping_set

    iris = iris or Iris()
    from plankg.ingest.mappings import _Curies

    ms = read_mapping_set(Path(path))
    curies, named = _Curies(ms, iris), set()
    for line, row in ms.rows:
        for column in ("subject_id", "object_id"):
            named.add(curies.expand(row.get(column), line, column))
    known: set[str] = set()
    ordered = sorted(named)
    for i in range(0, len(ordered), 500):  # only the IRIs the file names are looked up
        values = " ".join(f"<{x}>" for x in ordered[i:i + 500])
        known |= {r["s"].value for r in store.query(f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} ?s a ?type }}")}
    g, quads = suggestion_quads(ms, iris, known)
    store.replace_graphs({g: quads}, shared=iris.sharing())
    return g, sum(1 for q in quads if q.predicate == RDF.type and q.object == PK.SuggestedMapping)


#: prefixes a curator's id may use without being in the set's curie_map already
AUTHOR_PREFIXES = {"orcid": "https://orcid.org/", "plankg": "https://w3id.org/plankg/",
                   "wikidata": "http://www.wikidata.org/entity/"}


def default_into(path: Path) -> Path:
    """corpus/mappings/SOURCE_supports_TARGET.sssom.tsv, from the suggestion file's subject and object sources."""
    from plankg.ingest.mappings import read_mapping_set

    meta = read_mapping_set(Path(path)).meta
    src, tgt = (str(meta.get(k) or "").removeprefix("pkid:") for k in ("subject_source", "object_source"))
    if not (DOC_ID_RE.match(src) and DOC_ID_RE.match(tgt)):
        raise DocumentError(path, 1, "the file names no subject_source and object_source documents", "give --into")
    return Path("corpus/mappings") / f"{src}_supports_{tgt}.sssom.tsv"


def accept(path: Path, into: Path | None, author: str, date: str | None = None) -> tuple[int, int, Path]:
    """Make every row of a suggestion file curated and add it to the mapping set ``into`` (created when missing).

    A curator first deletes the rows they reject; each remaining row gets ``semapv:ManualMappingCuration``,
    ``author_id`` (the curator) and the suggester's score and basis in its comment. Returns (added, already there, the set written).
    Nothing is written when a row cannot be read."""
    from plankg.ingest.mappings import read_mapping_set

    path = Path(path)
    into = Path(into) if into is not None else default_into(path)
    if not re.fullmatch(r"[A-Za-z][\w.-]*:\S+", author or ""):
        raise UsageError(f"--author: {author!r} is not a CURIE (e.g. orcid:0000-0002-1825-0097 or plankg:team)")
    if not into.name.endswith(".sssom.tsv"):
        raise UsageError(f"--into: {str(into)!r} must name a .sssom.tsv file")
    ms = read_mapping_set(path)
    if not ms.rows:
        raise DocumentError(path, None, "the suggestion file has no rows")
    date = date or datetime.date.today().isoformat()
    curated = []
    for line, row in ms.rows:
        just = (row.get("mapping_justification") or "").strip()
        if just != "semapv:LexicalMatching":
            raise DocumentError(path, line, f"mapping_justification {just!r} is not semapv:LexicalMatching (not a suggestion)")
        for c in ("subject_id", "predicate_id", "object_id"):
            if not (row.get(c) or "").strip():
                raise DocumentError(path, line, f"the row has no {c}")
        basis = (row.get("comment") or "").strip()
        score = (row.get("confidence") or "").strip()
        tool = " ".join(x for x in ((row.get("mapping_tool") or "").strip(), (row.get("mapping_tool_version") or "").strip()) if x)
        curated.append({
            "subject_id": row["subject_id"].strip(), "subject_label": _cell(row.get("subject_label")),
            "predicate_id": row["predicate_id"].strip(), "object_id": row["object_id"].strip(),
            "object_label": _cell(row.get("object_label")), "mapping_justification": "semapv:ManualMappingCuration",
            "author_id": author, "mapping_date": date,
            "comment": _cell(f"accepted suggestion of {tool or 'a lexical matcher'} (score {score or '?'}): {basis}"),
        })
    columns = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
               "mapping_justification", "author_id", "mapping_date", "comment"]
    if into.exists():
        existing = read_mapping_set(into)
        have = {(r["subject_id"].strip(), r["predicate_id"].strip(), r["object_id"].strip()) for _, r in existing.rows}
        text = into.read_text(encoding="utf-8")
        lines = text.splitlines()
        header_at = next(i for i, l in enumerate(lines) if not l.startswith("#"))
        old_columns = lines[header_at].split("\t")
        new_columns = old_columns + [c for c in columns if c not in old_columns]
        body = [dict(r) for _, r in existing.rows]
    else:
        have, new_columns, body = set(), columns, []
        stem = into.name[:-len(".sssom.tsv")]
        curie_map = ms.meta.get("curie_map") or {}
        lines = ["#curie_map:", *[f'#  {k}: "{v}"' for k, v in curie_map.items()],
                 f'#mapping_set_id: "{Iris().base}mappings/{stem}"',
                 f'#mapping_set_title: "Curated links accepted from suggestions ({path.name})"',
                 '#mapping_set_description: "Suggestions of the lexical matcher reviewed and accepted by a curator '
                 '(plankg link accept); each row\'s author_id is the curator."',
                 f'#license: "{ms.meta.get("license") or "https://creativecommons.org/publicdomain/zero/1.0/"}"',
                 "#creator_id:", f'#  - "{author}"', f'#mapping_date: "{date}"']
        for key in ("subject_source", "object_source"):
            if ms.meta.get(key):
                lines.append(f'#{key}: "{ms.meta[key]}"')
        header_at = len(lines)
    prefix = author.split(":", 1)[0]
    header_map = {m.group(1) for l in lines[:header_at] if (m := re.match(r'^#\s+([A-Za-z][\w.-]*):\s*"?https?://', l))}
    if prefix not in header_map:  # the curator's prefix must be in the set's curie_map (SSSOM prefix completeness)
        if prefix not in AUTHOR_PREFIXES:
            raise UsageError(f"--author: the prefix {prefix!r} is not in the curie_map of {into}",
                             f"add it there, or use one of {', '.join(sorted(AUTHOR_PREFIXES))}")
        at = next((i for i, l in enumerate(lines) if l.strip() == "#curie_map:"), None)
        if at is None:
            raise DocumentError(into, 1, "the mapping set has no curie_map to add the author's prefix to")
        lines = lines[:at + 1] + [f'#  {prefix}: "{AUTHOR_PREFIXES[prefix]}"'] + lines[at + 1:]
        header_at += 1
    added = [r for r in curated if (r["subject_id"], r["predicate_id"], r["object_id"]) not in have]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=new_columns, delimiter="\t", lineterminator="\n", restval="", extrasaction="ignore")
    w.writeheader()
    for r in body + added:
        w.writerow({k: (v if v is not None else "") for k, v in r.items()})
    new_text = "\n".join(lines[:header_at]) + "\n" + buf.getvalue()
    into.parent.mkdir(parents=True, exist_ok=True)
    tmp = into.with_name(into.name + ".tmp")
    tmp.write_text(new_text, encoding="utf-8")
    try:  # the new set must read as a mapping set before it replaces the old one
        read_mapping_set(tmp)
    except DocumentError as exc:
        tmp.unlink()
        raise DocumentError(into, exc.line, str(exc).split(": ", 1)[-1]) from None
    tmp.replace(into)
    return len(added), len(curated) - len(added), into
