"""``corpus/concepts/*.yaml`` → SKOS concepts outside the documents (e.g. SDG targets) that mappings point to.

Only an outside IRI actually seen in a source becomes a ``skos:exactMatch``; the concept itself
is ours (``{base}id/{scheme}/{id}``), so a target whose UN IRI was not seen can still be linked.
"""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from plankg.iris import DOC_ID_RE, Iris
from plankg.vocab import RDF, SKOS

from .frontmatter import YamlFacts, valid_iri
from .organisations import load_yaml
from .writer import GraphWriter

CONCEPT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,40}$")


def _key(cid: str, lines: list[str]) -> str:
    """How the concept's id line is written: ``id: 9.5`` or ``id: "9.5"``."""
    return f"id: {cid}" if any(re.search(rf"id: {re.escape(cid)}(?![\w.-])", l) for l in lines) else f"id: \"{cid}\""


def concept_quads(path: Path, iris: Iris) -> tuple[str, list]:
    data, lines = load_yaml(path)
    r = YamlFacts(path, data, lines, 0)
    sources = r.read_sources(data.get("sources"))
    scheme = data.get("scheme") or {}
    sid = str(scheme.get("id", "")) if isinstance(scheme, dict) else ""
    if not DOC_ID_RE.fullmatch(sid):
        r.fail("scheme", "the file needs scheme: {id: <slug>, zh: …, en: …}")
    scope = f"concepts/{sid}"
    out = GraphWriter(iris, iris.graph(f"concepts/{sid}"), scope)
    out.sources(sources)
    s = NamedNode(iris.concept(sid))
    out.add(s, RDF.type, SKOS.ConceptScheme)
    out.labels(s, *(r.text("scheme", scheme[lang], f"scheme {lang}") if scheme.get(lang) else None for lang in ("zh", "en")))
    concepts = data.get("concepts") or []
    if not isinstance(concepts, list):
        r.fail("concepts", "'concepts' must be a list of entries (- id: …)")
    ids = [str(c.get("id", "")) for c in concepts if isinstance(c, dict)]
    if len(ids) != len(concepts) or any(not CONCEPT_ID.fullmatch(i) for i in ids):
        r.fail("concepts", "each concept needs an id such as 9.5 or 17.7.1")
    for k, cid in enumerate(ids):
        if cid in ids[:k]:
            first = r.line_of(_key(cid, lines))
            r.fail(_key(cid, lines), f"duplicate concept id {cid!r} (first on line {first})", after=first)
    for c in concepts:
        cid = str(c["id"])
        key = _key(cid, lines)
        n = NamedNode(iris.concept(sid, cid))
        out.add(n, RDF.type, SKOS.Concept)
        out.add(n, SKOS.inScheme, s)
        out.add(n, SKOS.notation, Literal(cid))
        labelled = False
        for lang in ("zh", "en"):
            fact = r.fact(key, c.get(lang))
            if fact is not None:
                out.attested_label(n, fact.value, lang, fact.prov)
                labelled = True
        if not labelled:
            r.fail(key, f"concept {cid} needs a zh or en label")
        if c.get("broader") is not None:
            b = str(c["broader"])
            if b not in ids:
                r.fail("broader", f"concept {cid}: broader {b!r} is not a concept of this file", after=r.line_of(key))
            out.add(n, SKOS.broader, NamedNode(iris.concept(sid, b)))
            out.add(NamedNode(iris.concept(sid, b)), SKOS.narrower, n)
        else:
            out.add(n, SKOS.topConceptOf, s)
            out.add(s, SKOS.hasTopConcept, n)
        match = c.get("exact_match")
        if match is not None:
            iri = str(match.get("iri", "")) if isinstance(match, dict) else ""
            if not re.match(r"^https?://\S+$", iri) or not valid_iri(iri):
                r.fail("exact_match", f"concept {cid}: exact_match needs {{iri: …, mark: …, src: […]}}", after=r.line_of(key))
            out.attest(n, SKOS.exactMatch, NamedNode(iri), r.prov(key, match))
    return out.g.value, out.quads
