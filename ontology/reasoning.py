"""Consistency check of the ontology (plus optional data) with HermiT.

HermiT ships inside owlready2 and runs on Java. Each call loads everything into a
private owlready2 ``World``, so calls do not leak into each other or into
``owlready2.default_world``.

What is left out before reasoning, and why: HermiT only accepts literals whose
datatype is in the OWL 2 datatype map and stops on anything else. plankg data uses
``xsd:gYear`` (years) and ``xsd:date`` (dates), which are not in that map, so
triples with such literals are dropped; ``shapes.ttl`` checks those values instead.
Everything else in the data shape of ``corpus/FORMAT.md`` (decimals, booleans,
language-tagged labels, ``rdf:Statement`` attestations, ``rdf:value``, punned
Data Cube component properties) loads and reasons as it is.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, XSD, Literal

__all__ = [
    "ConsistencyResult",
    "ReasonerFailed",
    "ReasonerUnavailable",
    "check_consistency",
]

INSTALL_HINT = "install a Java runtime, e.g. `apt-get install default-jre-headless`"

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus
# rdf:langString, which RDF 1.1 uses for what OWL 2 calls rdf:PlainLiteral.
_OWL = str(OWL)
_RDF = str(RDF)
_RDFS = str(RDFS)
OWL2_DATATYPES = frozenset(
    {_OWL + "real", _OWL + "rational", _RDF + "PlainLiteral", _RDF + "langString",
     _RDF + "XMLLiteral", _RDFS + "Literal"}
    | {str(XSD) + name for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger "
        "negativeInteger long int short byte unsignedLong unsignedInt unsignedShort "
        "unsignedByte double float string normalizedString token language Name "
        "NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime "
        "dateTimeStamp").split()}
)

_BUILTIN_ANNOTATIONS = frozenset(
    {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo,
     OWL.deprecated, OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith}
)

# owlready2 keeps the path of the java binary in a module global; the lock keeps
# a per-call `java=` from leaking into a concurrent call.
_LOCK = threading.Lock()


class ReasonerUnavailable(Exception):
    """Java (needed to run HermiT) is missing."""


class ReasonerFailed(RuntimeError):
    """HermiT ran but stopped with an error (not an inconsistency)."""


@dataclass(frozen=True)
class ConsistencyResult:
    """Outcome of a HermiT run.

    ``ok`` is true only when the ontology (and data) is consistent *and* no named
    class is unsatisfiable; ``inconsistent_classes`` lists the IRIs of the
    unsatisfiable ones (classes HermiT finds equivalent to owl:Nothing).
    """

    ok: bool
    message: str
    inconsistent_classes: list[str] = field(default_factory=list)


def _find_java(java: str | None) -> str:
    found = shutil.which(java or "java")
    if found is None:
        what = f"Java executable {java!r}" if java else "Java (`java` on PATH)"
        raise ReasonerUnavailable(f"{what} not found; HermiT needs it: {INSTALL_HINT}.")
    return found


def _merged_graph(ontology_path: str | Path, data: rdflib.Graph | str | Path | None) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(str(ontology_path))
    if isinstance(data, rdflib.Graph):
        for triple in data:
            graph.add(triple)
    elif data is not None:
        graph.parse(str(data), format="nt")
    return graph


def _drop_unsupported_literals(graph: rdflib.Graph) -> int:
    """Remove triples whose literal HermiT cannot read; return how many.

    Annotations are kept (HermiT does not read their values), so the ontology's
    own ``dcterms:created "…"^^xsd:date`` stays.
    """
    annotation_properties = _BUILTIN_ANNOTATIONS | set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    dropped = [
        (s, p, o) for s, p, o in graph
        if isinstance(o, Literal) and o.datatype is not None
        and str(o.datatype) not in OWL2_DATATYPES
        and p not in annotation_properties
    ]
    for triple in dropped:
        graph.remove(triple)
    return len(dropped)


def check_consistency(
    ontology_path: str | Path,
    data_ntriples_path: rdflib.Graph | str | Path | None = None,
    java: str | None = None,
) -> ConsistencyResult:
    """Run HermiT over the ontology, plus data if given, and report the outcome.

    :param ontology_path: the ontology file (any RDF syntax rdflib reads, e.g. Turtle).
    :param data_ntriples_path: an N-Triples file or an rdflib ``Graph`` of instance
        data, or ``None`` to check the ontology alone.
    :param java: the java executable to use; default ``java`` on PATH.
    :returns: a :class:`ConsistencyResult`; an inconsistency is a result, not an error.
    :raises ReasonerUnavailable: Java cannot be found.
    :raises ReasonerFailed: HermiT stopped with an error of its own.
    """
    java_exe = _find_java(java)
    graph = _merged_graph(ontology_path, data_ntriples_path)
    dropped = _drop_unsupported_literals(graph)
    ntriples = graph.serialize(format="nt", encoding="utf-8")
    note = f"; {dropped} triple(s) with literals outside the OWL 2 datatype map left out" if dropped else ""

    import owlready2  # imported late: it is slow to import and only needed here

    with _LOCK:
        previous_java = owlready2.JAVA_EXE
        owlready2.JAVA_EXE = java_exe
        world = owlready2.World()
        chatter = io.StringIO()  # owlready2 prints punning warnings and timings to stderr
        try:
            with contextlib.redirect_stderr(chatter):
                world.get_ontology("urn:plankg:consistency-check").load(
                    fileobj=io.BytesIO(ntriples), format="ntriples")
                started = time.perf_counter()
                try:
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
                except owlready2.OwlReadyInconsistentOntologyError:
                    seconds = time.perf_counter() - started
                    return ConsistencyResult(
                        ok=False,
                        message=f"inconsistent: HermiT found no model ({seconds:.1f} s{note})",
                    )
                except owlready2.OwlReadyJavaError as error:
                    lines = [line for line in str(error).splitlines() if line.strip()]
                    detail = lines[1] if len(lines) > 1 else str(error)
                    raise ReasonerFailed(f"HermiT failed: {detail}") from error
                seconds = time.perf_counter() - started
                unsatisfiable = sorted(
                    cls.iri for cls in world.inconsistent_classes()
                    if cls is not owlready2.Nothing and getattr(cls, "iri", None)
                )
        finally:
            owlready2.JAVA_EXE = previous_java
            world.close()

    if unsatisfiable:
        return ConsistencyResult(
            ok=False,
            message=(f"consistent, but {len(unsatisfiable)} unsatisfiable class(es): "
                     f"{', '.join(unsatisfiable)} ({seconds:.1f} s{note})"),
            inconsistent_classes=unsatisfiable,
        )
    return ConsistencyResult(ok=True, message=f"consistent ({seconds:.1f} s{note})")
