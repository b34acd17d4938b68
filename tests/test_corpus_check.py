"""A check of the whole corpus, on the graph it builds and on its files (issue 16, item 4).

- every cited source id resolves (to a source of the same file; no file declares one id twice);
- every confidence mark is one of verified, secondary, recalled;
- every mapping's subject and object exist (a resource of the corpus, or an outside IRI in an identity mapping);
- no two files state one fact with different values (identity facts of a document, names of an indicator,
  an organisation or a concept, a document's title as cited elsewhere, a reported level of an indicator in a year).

Each check is a function of the quads, so the tests at the end show that it finds what it is meant to find.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from plankg.pipeline import bundled_corpus

CORPUS = bundled_corpus()
ID = "https://w3id.org/plankg/id/"
GRAPH = "https://w3id.org/plankg/graph/"
PK = "https://w3id.org/plankg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
MARKS = {PK + "verified", PK + "secondary", PK + "recalled"}
OUTSIDE = ("http://www.wikidata.org/entity/", "https://ror.org/", "http://metadata.un.org/sdg/")
IDENTITY = {SKOS + "exactMatch", SKOS + "closeMatch", "http://www.w3.org/2002/07/owl#sameAs"}
ONE_VALUE = [PK + p for p in ("documentNumber", "dateSigned", "datePublished", "periodStart", "periodEnd", "planningType")] + [DCT + "subject"]


def index(quads):
    """{subject: {predicate: [(object, graph)]}}"""
    out: dict = defaultdict(lambda: defaultdict(list))
    for q in quads:
        out[q.subject.value][q.predicate.value].append((q.object, q.graph_name.value))
    return out


def unresolved_sources(quads) -> list[str]:
    """Citations (prov:wasDerivedFrom) whose source is not a pk:Source declared in the same graph."""
    declared = {(q.subject.value, q.graph_name.value) for q in quads
                if q.predicate.value == RDF + "type" and q.object.value == PK + "Source"}
    return sorted(f"{q.subject.value} cites {q.object.value} in {q.graph_name.value}" for q in quads
                  if q.predicate.value == PROV + "wasDerivedFrom" and (q.object.value, q.graph_name.value) not in declared)


def bad_marks(quads) -> list[str]:
    return sorted(f"{q.subject.value} {q.predicate.value} {q.object}" for q in quads
                  if q.predicate.value in (PK + "confidence", PK + "numberConfidence") and q.object.value not in MARKS)


def dangling_mappings(quads) -> list[str]:
    """Curated mappings whose subject or object is neither typed in a graph outside the mappings nor an outside IRI
    in an identity mapping (exactMatch, closeMatch, sameAs)."""
    typed = {q.subject.value for q in quads if q.predicate.value == RDF + "type" and "/mappings/" not in q.graph_name.value}
    idx = index(quads)
    out = []
    for rec, props in idx.items():
        if (NamedNode(PK + "CuratedMapping"), ) not in {(o,) for o, _ in props.get(RDF + "type", [])}:
            continue
        pred = props[RDF + "predicate"][0][0].value
        for key in ("subject", "object"):
            iri = props[RDF + key][0][0].value
            if iri in typed or (pred in IDENTITY and key == "object" and iri.startswith(OUTSIDE)):
                continue
            out.append(f"{rec}: {key} {iri}")
    return sorted(out)


def conflicting_facts(quads) -> list[str]:
    """One fact stated with different values in two files (graphs)."""
    idx = index(quads)
    out = []
    types = {s: {o.value for o, _ in p.get(RDF + "type", [])} for s, p in idx.items()}
    for s, props in idx.items():
        for p in ONE_VALUE:
            values = {str(o.value) for o, _ in props.get(p, [])}
            if len(values) > 1:
                out.append(f"{s} {p}: {sorted(values)}")
        # one name per language for an indicator, an organisation or a concept, wherever it is named
        if types[s] & {PK + "Indicator", "http://www.w3.org/ns/org#Organization", SKOS + "Concept"}:
            by_lang = defaultdict(set)
            for o, _ in props.get(SKOS + "prefLabel", []):
                by_lang[o.language].add(o.value)
            out += [f"{s} prefLabel@{lang}: {sorted(v)}" for lang, v in by_lang.items() if len(v) > 1]
        # a document's Chinese title as another file cites it is one of its own titles
        own = GRAPH + s[len(ID):] if s.startswith(ID) else None
        if PK + "PolicyDocument" in types[s] and any(g == own for _, g in props.get(RDF + "type", [])):
            mine = {o.value for o, g in props.get(DCT + "title", []) + props.get(SKOS + "altLabel", []) if g == own}
            cited = {o.value for o, g in props.get(DCT + "title", []) if g != own and getattr(o, "language", None) == "zh"}
            out += [f"{s} is cited as {t!r}, not one of its titles" for t in sorted(cited - mine)]
    # the level of an indicator in a year (a baseline, or a reported actual value) is one figure, in every file
    levels = defaultdict(set)
    for s, props in idx.items():
        if PK + "IndicatorValue" not in types[s] or PK + "asOf" in props:
            continue
        role = props[PK + "valueRole"][0][0].value
        if role == PK + "target":
            continue  # each document sets its own targets
        ind, year = props[PK + "indicator"][0][0].value, props[PK + "refYear"][0][0].value
        levels[(ind, year)].add((str(props[PK + "value"][0][0].value), props[PK + "value"][0][1]))
    for (ind, year), vals in sorted(levels.items()):
        if len({v for v, _ in vals}) > 1:
            out.append(f"{ind} in {year}: {sorted(vals)}")
    return out


def data_files(root: Path = CORPUS) -> list[Path]:
    """The corpus's data files (not its documentation, FORMAT.md and README.md)."""
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml", ".tsv") and p.name not in ("FORMAT.md", "README.md"))


def duplicate_source_ids(root: Path = CORPUS) -> list[str]:
    """A sources block that declares one S-id twice (YAML keeps the last one silently)."""
    out = []
    for path in data_files(root):
        seen: dict[str, int] = {}
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = re.match(r"^#?\s*(S\d+[a-z]?):\s*\{", line)
            if m:
                if m[1] in seen:
                    out.append(f"{path.relative_to(root)}:{n}: {m[1]} (first on line {seen[m[1]]})")
                seen.setdefault(m[1], n)
    return out


def duplicate_fields(root: Path = CORPUS) -> list[str]:
    """A metadata block (or YAML file) that gives one top-level field twice: YAML keeps the last one silently."""
    out = []
    for path in (p for p in data_files(root) if p.suffix in (".md", ".yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if path.suffix == ".md":
            end = next((i for i, l in enumerate(lines[1:], start=1) if l.strip() == "---"), 0) if lines[:1] == ["---"] else 0
            lines = lines[:end]
        seen: dict[str, int] = {}
        for n, line in enumerate(lines, start=1):
            m = re.match(r"^([a-z_]+):", line)
            if m and m[1] in seen:
                out.append(f"{path.relative_to(root)}:{n}: {m[1]} (first on line {seen[m[1]]})")
            elif m:
                seen[m[1]] = n
    return out


def marks_in_files(root: Path = CORPUS) -> list[str]:
    """Every mark written in a corpus file (mark: …, @mark …, @number …, a {…} cell mark, an actuals mark column)."""
    words = set()
    for path in (p for p in data_files(root) if p.parent.name != "mappings"):
        text = path.read_text(encoding="utf-8")
        words |= {(path.name, m) for m in re.findall(r"\bmark:\s*([\w-]+)", text)}
        words |= {(path.name, m) for m in re.findall(r"^@(?:mark|number)\s+([\w-]+)", text, re.M)}
        words |= {(path.name, m) for m in re.findall(r"\{([a-z]+)[ }]", text) if m not in ("not",)}
        if path.parent.name == "actuals":
            words |= {(path.name, line.split("\t")[4]) for line in text.splitlines()[1:]
                      if not line.startswith("#") and "\t" in line and not line.startswith("indicator\t")}
    return sorted(f"{f}: {w}" for f, w in words if w not in ("verified", "secondary", "recalled"))


# --------------------------------------------------------------------------- the corpus

def test_every_cited_source_resolves(corpus_store):
    quads = list(corpus_store.quads())
    assert sum(1 for q in quads if q.predicate.value == PROV + "wasDerivedFrom") > 500
    assert unresolved_sources(quads) == []
    assert duplicate_source_ids() == []
    assert duplicate_fields() == []  # nor a field given twice, of which YAML would keep only the last


def test_every_mark_is_one_of_the_three(corpus_store):
    quads = list(corpus_store.quads())
    assert {q.object.value for q in quads if q.predicate.value == PK + "confidence"} == MARKS
    assert bad_marks(quads) == []
    assert marks_in_files() == []


def test_every_mapping_subject_and_object_exist(corpus_store):
    quads = list(corpus_store.quads())
    assert sum(1 for q in quads if q.object.value == PK + "CuratedMapping") > 120
    assert dangling_mappings(quads) == []


def test_no_two_files_state_one_fact_differently(corpus_store):
    from plankg.graph_store.shared import Statements, as_stated
    record = Statements.load(corpus_store.current())
    assert record is not None and record.stated  # what two files state is in the shared graph: compared as stated
    assert conflicting_facts(list(as_stated(corpus_store.quads(), record))) == []


# --------------------------------------------------------------------------- the checks find faults

G1, G2 = NamedNode(GRAPH + "doc-a"), NamedNode(GRAPH + "doc-b")


def q(s, p, o, g=G1):
    return Quad(NamedNode(s), NamedNode(p), o if not isinstance(o, str) else NamedNode(o), g)


def test_checks_find_an_unresolved_source_and_a_bad_mark():
    fact = ID + "doc-a/p1"
    quads = [q(ID + "source/doc-a/S1", RDF + "type", PK + "Source"),
             q(fact, PROV + "wasDerivedFrom", ID + "source/doc-a/S1"),
             q(fact, PROV + "wasDerivedFrom", ID + "source/doc-a/S9"),
             q(fact, PROV + "wasDerivedFrom", ID + "source/doc-a/S1", G2),  # a source of another file
             q(fact, PK + "confidence", PK + "verified"), q(fact, PK + "confidence", PK + "guessed")]
    assert len(unresolved_sources(quads)) == 2
    assert bad_marks(quads) == [f"{fact} {PK}confidence <{PK}guessed>"]


def test_checks_find_a_dangling_mapping():
    g = NamedNode(GRAPH + "mappings/x")
    rec = ID + "mapping/x/1"
    quads = [q(ID + "doc-a/p1", RDF + "type", PK + "Part"),
             q(rec, RDF + "type", PK + "CuratedMapping", g), q(rec, RDF + "subject", ID + "doc-a/p1", g),
             q(rec, RDF + "predicate", PK + "supports", g), q(rec, RDF + "object", ID + "doc-b/p9", g)]
    assert dangling_mappings(quads) == [f"{rec}: object {ID}doc-b/p9"]
    quads[-1] = q(rec, RDF + "object", "http://www.wikidata.org/entity/Q1", g)
    assert dangling_mappings(quads) == [f"{rec}: object http://www.wikidata.org/entity/Q1"]  # outside, but not an identity
    quads[3] = q(rec, RDF + "predicate", SKOS + "exactMatch", g)
    assert dangling_mappings(quads) == []


def test_checks_find_facts_stated_differently():
    doc, ind = ID + "doc-a", ID + "indicator/x"
    v1, v2 = ID + "doc-a/value/x/baseline-2020", ID + "doc-b/value/x/actual-2020"
    quads = [q(doc, RDF + "type", PK + "PolicyDocument"), q(doc, DCT + "title", Literal("甲规划", language="zh")),
             q(doc, DCT + "title", Literal("乙规划", language="zh"), G2),  # cited by doc-b under another title
             q(doc, PK + "documentNumber", Literal("国发〔2000〕1号")), q(doc, PK + "documentNumber", Literal("国发〔2000〕2号"), G2),
             q(ind, RDF + "type", PK + "Indicator"), q(ind, SKOS + "prefLabel", Literal("指标甲", language="zh")),
             q(ind, SKOS + "prefLabel", Literal("指标乙", language="zh"), G2)]
    for v, role, value, g in ((v1, "baseline", "6.3", G1), (v2, "actual", "6.4", G2)):
        quads += [q(v, RDF + "type", PK + "IndicatorValue", g), q(v, PK + "indicator", ind, g), q(v, PK + "valueRole", PK + role, g),
                  q(v, PK + "refYear", Literal("2020"), g), q(v, PK + "value", Literal(value), g)]
    found = conflicting_facts(quads)
    assert len(found) == 4, found
    assert any("documentNumber" in f for f in found) and any("cited as '乙规划'" in f for f in found)
    assert any("prefLabel@zh" in f for f in found) and any("in 2020" in f for f in found)


def test_file_checks_find_a_repeated_source_a_repeated_field_and_a_bad_mark(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "fixture.md").write_text(
        "---\nid: fixture\ntitle:\n  zh: {value: 澄州规划, mark: probable, src: [S1]}\nid: fixture-2\nsources:\n"
        '  S1: {url: "https://example.org/a", title: "A"}\n  S1: {url: "https://example.org/b", title: "B"}\n---\n'
        "一、总则\n@mark sure S1\n", encoding="utf-8")
    assert duplicate_source_ids(tmp_path) == ["documents/fixture.md:8: S1 (first on line 7)"]
    assert duplicate_fields(tmp_path) == ["documents/fixture.md:5: id (first on line 2)"]
    assert marks_in_files(tmp_path) == ["fixture.md: probable", "fixture.md: sure"]
