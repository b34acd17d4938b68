"""The main job: documents → ingest → store.

``build`` reads the whole corpus (documents, ontology, mapping sets), checks it
all before it touches the store, then replaces the store's content in one
atomic step.  ``ingest`` adds or replaces one document the same way.
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from pickle import PicklingError

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse, serialize

from plankg.errors import DocumentError
from plankg.graph_store.base import GraphStore
from plankg.graph_store.shared import Packed, split
from plankg.graph_store.spill import Listed, Spill
from plankg.ingest.actuals import actual_quads
from plankg.ingest.concepts import concept_quads
from plankg.ingest.emit import document_quads
from plankg.ingest.organisations import organisation_quads
from plankg.ingest.mappings import mapping_quads, read_mapping_set
from plankg.ingest.model import Organisation
from plankg.ingest.numbering import LEVELS
from plankg.ingest.parser import parse_file
from plankg.iris import Iris
from plankg.vocab import RDFS

RDFS_LABEL = RDFS.label.value
from plankg.ontology import ONTOLOGY_PATH

DOCUMENT_SUFFIXES = (".md", ".txt")
Progress = Callable[[str], None]
#: from this many documents on, ``build`` parses them in worker processes (one per core, at most 4)
PARALLEL_FROM = 64


def bundled_corpus() -> Path:
    return Path(str(resources.files("plankg.corpus")))


@dataclass
class BuildReport:
    documents: list[str] = field(default_factory=list)
    mapping_sets: list[str] = field(default_factory=list)
    quads: int = 0
    warnings: list[str] = field(default_factory=list)
    read_seconds: float = 0.0  # parse + emit
    load_seconds: float = 0.0  # the store write, including the atomic swap


def ontology_quads(iris: Iris) -> list[Quad]:
    """The ontology in its own graph; blank nodes get labels by order of appearance, so builds are byte-identical."""
    g = NamedNode(iris.graph("ontology"))
    labels: dict[str, BlankNode] = {}

    def stable(term):
        if isinstance(term, BlankNode):
            return labels.setdefault(term.value, BlankNode(f"ont{len(labels) + 1}"))
        return term

    with open(ONTOLOGY_PATH, "rb") as fh:
        return [Quad(stable(t.subject), t.predicate, stable(t.object), g) for t in parse(fh, format=RdfFormat.TURTLE)]


def count_warnings(doc) -> list[str]:
    """Compare the counts the sources state with the tree that was read."""
    tree = {level.cls: level.name for level in LEVELS.values() if level.printed}  # Part → part: the numbered levels
    out = []
    if doc.meta.excerpt or not doc.nodes():  # an excerpt, or identity facts only: counts cannot match
        return out
    for c in doc.meta.stated_counts:
        if c.of == "Indicator":
            found = sum(len(t.rows) for t in doc.tables)
        elif c.of in tree:
            found = sum(1 for n in doc.nodes() if n.level == tree[c.of])
        else:
            continue
        if found != c.value:
            out.append(f"{doc.path}: the sources state {c.value} {c.of.lower()} entries, the text has {found}")
    return out


def _read_document(path: Path, iris: Iris):
    """One document: (path, id, line of its id, its graph, its subject IRIs, count warnings, indicator units, issuers).
    Everything it returns pickles (bytes, strings, dataclasses), so a worker process can run it."""
    doc = parse_file(path)
    quads = document_quads(doc, iris)
    subjects = {q.subject.value for q in quads if isinstance(q.subject, NamedNode)}
    units = {row.slug: row.unit or "" for t in doc.tables for row in t.rows}
    bodies = [Organisation(slug, None, None, prov, line) for _, slug, prov, line in doc.meta.bodies]  # checked like issuers
    return (path, doc.meta.doc_id, doc.meta.id_line, Packed.of(quads, iris.doc(doc.meta.doc_id), iris.graph(doc.meta.doc_id)), subjects, count_warnings(doc), units,
            doc.meta.issuers + bodies)


def _read_documents(files: list[Path], iris: Iris, progress: Progress | None) -> Iterator[tuple]:
    """Each document read, in file order: in worker processes for a large corpus, else here.

    A bad document's DocumentError comes back from its worker as itself (the error tree pickles), with the text a
    serial read gives.  Only when the workers cannot run at all (one was killed, ran out of memory, or sent an
    answer that cannot cross back) are the documents from there on read here."""
    jobs = min(4, os.cpu_count() or 1)
    if len(files) < PARALLEL_FROM or jobs < 2:
        for path in files:
            if progress:
                progress(f"parsing {path.name}")
            yield _read_document(path, iris)
        return
    import multiprocessing

    # fork: the workers need nothing re-imported and the caller's script needs no __main__ guard
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    try:
        futures = [pool.submit(_read_document, path, iris) for path in files]
        for i, path in enumerate(files):
            if progress and i % 100 == 0:
                progress(f"parsing {path.name} ({i} of {len(files)})")
            future, futures[i] = futures[i], None  # a done future keeps its result: let go of it once handed over
            try:
                result = future.result()
            except (BrokenProcessPool, PicklingError):  # the workers cannot run: the rest are read here
                pool.shutdown(wait=False, cancel_futures=True)
                for rest in files[i:]:
                    yield _read_document(rest, iris)
                return
            yield result
    finally:  # also when the caller stops early (a duplicate id): the documents not yet read are not read
        pool.shutdown(wait=True, cancel_futures=True)


def organisation_names(quads: Iterable[Quad], iris: Iris) -> dict[str, dict[str, set[str]]]:
    """slug → language → the names organisations.yaml gives it (its rdfs:label quads)."""
    prefix = iris.org("")
    names: dict[str, dict[str, set[str]]] = {}
    for q in quads:
        if q.predicate.value == RDFS_LABEL and q.subject.value.startswith(prefix):
            entry = names.setdefault(q.subject.value[len(prefix):], {})
            entry.setdefault(getattr(q.object, "language", None) or "", set()).add(q.object.value)
    return names


def check_organisation(path: Path, org: Organisation, names: dict[str, dict[str, set[str]]], file_name: str) -> None:
    """A document links to the shared organisations it names (issuers, bodies): each must be in organisations.yaml,
    and a name the document gives must be the one that file gives (a document cannot rename or relabel one)."""
    if not org.shared:  # the issuer a bare text names in its head: its own organisation
        return
    what = "issuer" if org.zh or org.en else "body"
    if org.slug not in names:
        raise DocumentError(path, org.line, f"{what} {org.slug!r} is not in {file_name}", "add it there or fix the id")
    for lang, given in (("zh", org.zh), ("en", org.en)):
        known = names[org.slug].get(lang)
        if given is not None and known and given not in known:
            raise DocumentError(path, org.line, f"{what} {org.slug!r} is named {given!r} here but {' / '.join(sorted(known))!r} "
                                f"in {file_name}", f"a document only links to a shared organisation: its names are {file_name}'s "
                                "(drop the name here, or fix it)")


def store_organisation_names(store: GraphStore, iris: Iris) -> dict[str, dict[str, set[str]]] | None:
    """The names of the organisations graph of ``store``, or None if it has none (a store never built)."""
    from plankg.queries.run import result_rows

    graph = iris.graph("organisations")
    if graph not in store.graph_names():
        return None
    _, rows = result_rows(store.query(f"SELECT ?o ?l (LANG(?l) AS ?lang) WHERE {{ GRAPH <{graph}> {{ ?o <{RDFS_LABEL}> ?l }} }}"))
    prefix = iris.org("")
    names: dict[str, dict[str, set[str]]] = {}
    for r in rows:
        if str(r["o"]).startswith(prefix):
            names.setdefault(str(r["o"])[len(prefix):], {}).setdefault(r["lang"] or "", set()).add(str(r["l"]))
    return names


class Known:
    """The subject IRIs of a corpus, for the mapping sets' check, held small: a document's own subjects (its IRI
    and those below it: most of them) as one string of their endings
    per document, the others as a set — a set of every subject's IRI grew with the corpus, one string object each."""

    def __init__(self, id_prefix: str):
        self.id_prefix = id_prefix
        self.others: set[str] = set()
        self.below: dict[str, str] = {}  # document IRI -> "\n" + its subjects' endings ("" for itself), "\n"-joined + "\n"

    def add_document(self, owner: str, subjects: Iterable[str]) -> None:
        rest = owner[len(self.id_prefix):] if owner.startswith(self.id_prefix) else None
        endings = []
        for s in subjects:
            if rest is not None and "/" not in rest and s.startswith(owner) and (len(s) == len(owner) or s[len(owner)] == "/"):
                endings.append(s[len(owner):])
            else:
                self.others.add(s)
        if endings:
            self.below[owner] = "\n" + "\n".join(sorted(set(endings) | set(self.below.get(owner, "").split("\n")[1:-1]))) + "\n"

    def add(self, subjects: Iterable[str]) -> None:
        self.others.update(subjects)

    def __contains__(self, iri: str) -> bool:
        if iri in self.others:
            return True
        if not iri.startswith(self.id_prefix):
            return False
        owner = self.id_prefix + iri[len(self.id_prefix):].split("/", 1)[0]
        endings = self.below.get(owner)
        return endings is not None and f"\n{iri[len(owner):]}\n" in endings


def collect(corpus: Path, iris: Iris, progress: Progress | None = None, report: BuildReport | None = None,
            spill: Spill | None = None) -> dict[str, list[Quad] | Packed | Listed]:
    """Read and check every part of a corpus; return the quads of each named graph. Touches no store.

    With ``spill`` each graph goes to that temporary file as it is read (:mod:`plankg.graph_store.spill`):
    memory then holds no graph, whatever the size of the corpus."""
    report = report if report is not None else BuildReport()
    keep = (lambda quads: quads) if spill is None else (lambda quads: Listed(quads, spill))
    docs_dir = corpus / "documents"
    files = sorted(p for p in docs_dir.glob("*") if p.suffix in DOCUMENT_SUFFIXES) if docs_dir.is_dir() else []
    if not files:
        raise DocumentError(docs_dir, None, "no documents found", f"put corpus files (*.md) in {docs_dir}")
    ontology = ontology_quads(iris)
    known = Known(iris.id)
    known.add(q.subject.value for q in ontology if isinstance(q.subject, NamedNode))
    graphs: dict[str, list[Quad] | Packed | Listed] = {iris.graph("ontology"): keep(ontology)}
    first_file: dict[str, Path] = {}
    units: dict[str, dict[str, str]] = {}
    issuers: list[tuple[Path, Organisation]] = []
    for path, doc_id, id_line, graph, subjects, warnings, doc_units, doc_issuers in _read_documents(files, iris, progress):
        if doc_id in first_file:
            raise DocumentError(path, id_line, f"duplicate document id {doc_id!r} (also in {first_file[doc_id]})",
                                "give each document its own id")
        first_file[doc_id] = path
        if spill is not None:
            graph.spill(spill)
        graphs[iris.graph(doc_id)] = graph
        known.add_document(graph.owner, subjects)
        report.documents.append(doc_id)
        report.warnings += warnings
        units[doc_id] = doc_units
        issuers += [(path, org) for org in doc_issuers]
    orgs_file = corpus / "organisations.yaml"
    if orgs_file.is_file():
        g, quads, org_ids = organisation_quads(orgs_file, iris)
        known.add(_subjects(quads))
        graphs[g] = keep(quads)
        names = organisation_names(quads, iris)
        for path, org in issuers:
            check_organisation(path, org, names, orgs_file.name)
    for path in sorted((corpus / "concepts").glob("*.yaml")):
        g, quads = concept_quads(path, iris)
        known.add(_subjects(quads))
        graphs[g] = keep(quads)
    for path in sorted((corpus / "actuals").glob("*.tsv")):
        if progress:
            progress(f"reading reported values {path.name}")
        g, quads = actual_quads(path, iris, units)
        known.add(_subjects(quads))
        graphs[g] = keep(quads)
    for path in sorted((corpus / "mappings").glob("*.sssom.tsv")):
        if progress:
            progress(f"reading mappings {path.name}")
        g, quads = mapping_quads(read_mapping_set(path), iris, known)
        graphs[g] = keep(quads)
        report.mapping_sets.append(path.name)
    report.quads = sum(len(q) for q in graphs.values())
    return graphs


def _subjects(quads: Iterable[Quad]) -> set[str]:
    return {q.subject.value for q in quads if isinstance(q.subject, NamedNode)}


def build(store: GraphStore, corpus: Path | None = None, iris: Iris | None = None, progress: Progress | None = None) -> BuildReport:
    """Rebuild the whole store from a corpus, atomically; idempotent.

    The graphs wait for the load in a temporary file (:class:`Spill`), not in memory, and the file goes
    whatever happens: a build's memory does not grow with the corpus, and a failed one leaves nothing."""
    iris = iris or Iris()
    report = BuildReport()
    with Spill() as spill:
        started = time.perf_counter()
        graphs = collect(Path(corpus) if corpus else bundled_corpus(), iris, progress, report, spill=spill)
        report.read_seconds = time.perf_counter() - started
        if progress:
            progress(f"loading {report.quads} quads")
        record = split(graphs, iris.sharing(), iris.id)  # each triple in one graph: their union is the merge
        report.quads = sum(len(q) for q in graphs.values())
        started = time.perf_counter()
        store.replace_graphs(graphs, reset=True, shared=iris.sharing(), record=record)
        report.load_seconds = time.perf_counter() - started
    return report


def ingest(store: GraphStore, path: Path, iris: Iris | None = None, options: dict | None = None) -> tuple[str, int, list[str]]:
    """Add or replace one document (its named graph); returns (document id, quads, warnings)."""
    report = ingest_document(store, path, iris, options)
    return report.doc_id, report.quads, report.warnings


@dataclass
class IngestReport:
    """What an ingest found in a text, for the curator to read (``plankg ingest`` prints :meth:`lines`)."""

    doc_id: str
    path: str
    quads: int = 0
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # parts, sections, items … as read
    tasks: list[tuple[str, str, str]] = field(default_factory=list)  # path, label, rule
    goals: list[tuple[str, int, str]] = field(default_factory=list)  # path, year, label
    targets: list[dict] = field(default_factory=list)
    references: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    matched_against: str | None = None  # where shared indicators and documents were looked up, if not the store

    def lines(self) -> list[str]:
        c = self.counts
        out = [f"{'would ingest' if self.dry_run else 'ingested'} {self.doc_id} from {self.path}: {self.quads} quads"
               + (" (dry run: the store is unchanged)" if self.dry_run else ""),
               "structure: " + ", ".join(f"{n} {k}" for k, n in c.items())]
        if self.matched_against:
            out.append(f"indicators and titles matched against {self.matched_against}")
        out.append(f"tasks: {len(self.tasks)}" + (f" ({sum(1 for t in self.tasks if t[2] == 'leadPhraseRule')} lead phrases, "
                                                   f"{sum(1 for t in self.tasks if t[2] == 'numberedItemRule')} numbered items)" if self.tasks else ""))
        out += [f"  {p}  {label}" for p, label, _ in self.tasks]
        out.append(f"goals: {len(self.goals)}")
        out += [f"  {p}  {year}  {label}" for p, year, label in self.goals]
        matched = [t for t in self.targets if t["indicator"]]
        out.append(f"target values: {len(self.targets)} ({len(matched)} matched to shared indicators, "
                   f"{len(self.targets) - len(matched)} unmatched)")
        for t in self.targets:
            tied = f"→ {t['indicator']}" if t["indicator"] else "→ unmatched (new indicator)"
            attr = f" [{t['attribute']}]" if t["attribute"] else ""
            out.append(f"  line {t['line']}: {t['name']} {t['verb']} {t['value']}{t['unit']} by {t['year']}{attr} {tied}")
        matched = [r for r in self.references if r["target"]]
        out.append(f"references: {len(self.references)} ({len(matched)} matched, {len(self.references) - len(matched)} unmatched)")
        for r in self.references:
            tied = f"→ {r['target']}" if r["target"] else "→ unmatched (a titled work)"
            out.append(f"  line {r['line']}: 《{r['title']}》 {r['kind']} {tied}")
        out.append(f"warnings: {len(self.warnings)}")
        return out


def ingest_document(store: GraphStore, path: Path, iris: Iris | None = None, options: dict | None = None,
                    dry_run: bool = False) -> IngestReport:
    """Read one document, tie what its prose states to what the store holds, and (unless ``dry_run``) add or
    replace its named graph.  A failure, or a dry run, leaves the store as it was."""
    from plankg.ingest.extract import catalogue_from_store, resolve

    iris = iris or Iris()
    doc = parse_file(path, options)
    ex = doc.extraction
    matched_against = None
    if ex is not None:
        cat = catalogue_from_store(store, iris.doc(doc.meta.doc_id))
        if not cat.indicators and not cat.documents:  # an empty store: the shared facts of the bundled corpus
            from plankg.graph_store.oxigraph_store import MemoryStore

            corpus = MemoryStore()
            corpus.replace_graphs(collect(bundled_corpus(), iris))
            cat = catalogue_from_store(corpus, iris.doc(doc.meta.doc_id))
            matched_against = "the bundled corpus (the store holds no documents)"
        resolve(ex, cat, lambda: {iris.indicator(r.slug): r.name_zh for t in doc.tables for r in t.rows})
    names = store_organisation_names(store, iris)
    if names is None:  # a store never built: the organisations of the bundled corpus, which a build would load
        names = organisation_names(organisation_quads(bundled_corpus() / "organisations.yaml", iris)[1], iris)
    bodies = [Organisation(slug, None, None, prov, line) for _, slug, prov, line in doc.meta.bodies]
    for org in doc.meta.issuers + bodies:  # the check `build` makes
        check_organisation(path, org, names, "organisations.yaml")
    quads = document_quads(doc, iris)
    if not dry_run:
        store.replace_graphs({iris.graph(doc.meta.doc_id): quads}, shared=iris.sharing())
    report = IngestReport(doc.meta.doc_id, str(path), len(quads), dry_run, matched_against=matched_against)
    kinds = {"part": "parts", "section": "sections", "item": "items", "subitem": "sub-items", "bullet": "bullets",
             "box": "boxes", "book": "books", "chapter": "chapters", "chsection": "chapter sections"}
    for level, name in kinds.items():
        n = sum(1 for node in doc.nodes() if node.level == level and node.rule is None)
        if n or level in ("part", "section"):
            report.counts[name] = n
    report.counts["indicator rows"] = sum(len(t.rows) for t in doc.tables)
    if ex is not None and ex.table_matches:
        report.counts["indicator rows"] = f"{report.counts['indicator rows']} ({len(ex.table_matches)} tied to shared indicators)"
    report.warnings = count_warnings(doc)
    if ex is not None:
        report.tasks = [(n.path, n.title_zh or "", n.rule or next(iter(n.extracted_roles.values()))) for n in ex.tasks]
        report.goals = [(g.path, g.year, g.title_zh or "") for g in ex.goals]
        report.targets = [{"line": t.line, "name": t.name, "verb": t.verb, "value": format(t.value, "f"), "unit": t.unit,
                           "year": t.year, "attribute": t.attribute, "indicator": t.indicator, "goal": t.goal.path}
                          for t in ex.targets]
        report.references = [{"line": r.line, "title": r.title, "kind": r.kind, "target": r.target} for r in ex.references]
        report.warnings += sorted(ex.warnings, key=_warning_line)
    return report


def _warning_line(warning: str) -> int:
    import re

    m = re.search(r":(\d+): ", warning)
    return int(m[1]) if m else 0
