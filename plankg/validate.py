"""``plankg validate``: SHACL shapes (pyshacl) and OWL consistency (owlready2 + HermiT), run for real."""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib

from plankg.errors import ToolError
from plankg.graph_store.base import GraphStore
from plankg import vocab
from plankg.ontology import ONTOLOGY_IRI, ONTOLOGY_PATH, SHAPES_PATH


@dataclass
class ValidationReport:
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    shacl_results: int = 0


def data_graph(store: GraphStore) -> rdflib.Graph:
    """The union of every graph but the ontology's, as an rdflib Graph."""
    ds = rdflib.Dataset()
    ds.parse(data=store.export("nquads"), format="nquads")
    union = rdflib.Graph()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g is not None and str(g).endswith("/graph/ontology"):
            continue
        union.add((s, p, o))
    return union


def run_shacl(data: rdflib.Graph, report: ValidationReport) -> None:
    import pyshacl

    shapes = rdflib.Graph().parse(SHAPES_PATH)
    ontology = rdflib.Graph().parse(ONTOLOGY_PATH)
    conforms, results, _text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                                allow_warnings=True, advanced=True)
    SH = rdflib.Namespace(str(vocab.SH))
    violations = sorted(
        (str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath) or ""), str(results.value(r, SH.resultMessage) or ""))
        for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)
        if results.value(r, SH.resultSeverity) == SH.Violation
    )
    report.shacl_results = len(violations)
    if violations:
        report.ok = False
        report.lines.append(f"SHACL: {len(violations)} violation(s)")
        for focus, path, message in violations[:50]:
            report.lines.append(f"  {focus} {path}: {message}")
    else:
        report.lines.append(f"SHACL: conforms ({len(data)} triples checked against {SHAPES_PATH.name})")


def run_owl(data: rdflib.Graph, report: ValidationReport) -> None:
    from plankg.ontology.reasoning import ReasonerFailed, ReasonerUnavailable, check_consistency

    try:
        result = check_consistency(ONTOLOGY_PATH, data)
    except ReasonerUnavailable as exc:
        raise ToolError(str(exc)) from None
    except ReasonerFailed as exc:
        raise ToolError(f"HermiT failed: {exc}") from None
    if result.ok:
        report.lines.append(f"OWL (HermiT): consistent — {result.message}")
    else:
        report.ok = False
        report.lines.append(f"OWL (HermiT): {result.message}")
        for cls in result.inconsistent_classes:
            report.lines.append(f"  unsatisfiable: {cls}")


def run_sssom(corpus, report: ValidationReport) -> None:
    """Validate the corpus's mapping sets with sssom-py (JSON schema, prefix map, CURIE form)."""
    from pathlib import Path

    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate as sssom_validate

    files = sorted(Path(corpus).glob("mappings/*.sssom.tsv"))
    problems = []
    for path in files:
        try:
            msdf = parse_sssom_table(str(path))
            results = sssom_validate(msdf, fail_on_error=False)
        except Exception as exc:  # sssom-py raises many kinds; each is a data problem of this file
            problems.append(f"  {path.name}: {type(exc).__name__}: {exc}".splitlines()[0])
            continue
        for kind, result in results.items():
            for item in getattr(result, "results", []) or []:
                problems.append(f"  {path.name}: {getattr(kind, 'value', kind)}: {item}")
    if problems:
        report.ok = False
        report.lines.append(f"SSSOM: {len(problems)} problem(s)")
        report.lines.extend(problems[:50])
    else:
        report.lines.append(f"SSSOM: {len(files)} mapping set(s) valid (sssom-py)")


def validate_store(store: GraphStore, owl: bool = True, corpus=None) -> ValidationReport:
    report = ValidationReport()
    if corpus is not None:
        run_sssom(corpus, report)
    data = data_graph(store)
    if len(data) == 0:
        report.ok = False
        report.lines.append("the store is empty — run `plankg build` first")
        return report
    run_shacl(data, report)
    if owl:
        run_owl(data, report)
    return report


__all__ = ["ONTOLOGY_IRI", "ValidationReport", "validate_store"]
