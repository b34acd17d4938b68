"""The Python API: the command line's operations for scripts and notebooks.

:func:`open` gives a :class:`KnowledgeGraph` on a store; its methods are the CLI's commands
(``build``, ``ingest``, ``query``, ``sparql``, ``validate``, ``export``) and return values
instead of printing.  Query answers are a :class:`Result`.  Errors are the CLI's: each is a
:class:`plankg.errors.PlankgError` with the message ``plankg`` prints (and its exit code).
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from plankg.errors import ToolError, UsageError, ValidationFailed
from plankg.graph_store import DEFAULT_STORE, GraphStore, open_store
from plankg.iris import DEFAULT_BASE, Iris
from plankg.vocab import XSD


def _json_default(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral_value() else int(v)
    raise TypeError(type(v))


class Result(Sequence):
    """The answer to a query: ``columns`` (names, in order) and rows, each a dict from column to value.

    Values are plain Python: IRIs and strings as ``str``, numbers as ``int`` or ``Decimal``, booleans as
    ``bool``, unbound as ``None``.  An ASK query gives one column ``result``; CONSTRUCT and DESCRIBE give
    ``subject``, ``predicate``, ``object``.  A Result is a sequence of its rows (``len``, indexing, iteration).
    """

    def __init__(self, columns: list[str], rows: list[dict]):
        self.columns: list[str] = list(columns)
        self.rows: list[dict] = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __eq__(self, other) -> bool:
        return isinstance(other, Result) and (self.columns, self.rows) == (other.columns, other.rows)

    def __repr__(self) -> str:
        return f"<Result: {len(self.rows)} row(s); columns {', '.join(self.columns)}>"

    def _repr_html_(self) -> str:  # a notebook shows the table (escaped: the data is text, never markup)
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape('' if r[c] is None else str(r[c]))}</td>" for c in self.columns)
                       + "</tr>" for r in self.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def column(self, name: str) -> list:
        """The values of one column, in row order."""
        if name not in self.columns:
            raise UsageError(f"no column {name!r} in the result", f"columns: {', '.join(self.columns)}")
        return [r[name] for r in self.rows]

    def to_csv(self, path: str | Path | None = None) -> str:
        """The rows as CSV (a header line, ``\\n`` line ends, unbound values empty) — what ``-f csv`` prints.
        With ``path``, also write it there (UTF-8)."""
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=self.columns, lineterminator="\n")
        w.writeheader()
        for r in self.rows:
            w.writerow({k: "" if v is None else v for k, v in r.items()})
        return self._write(buf.getvalue(), path)

    def to_json(self, path: str | Path | None = None) -> str:
        """The rows as a JSON array of objects (numbers as numbers) — what ``-f json`` prints."""
        return self._write(json.dumps(self.rows, ensure_ascii=False, indent=2, default=_json_default) + "\n", path)

    def to_pandas(self):
        """The rows as a ``pandas.DataFrame`` with the result's columns; a column of numbers becomes numeric
        (``Decimal`` values become floats).  Needs pandas (``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ToolError("Result.to_pandas needs pandas, which is not installed", "pip install pandas") from None
        frame = pd.DataFrame(self.rows, columns=self.columns)
        for c in self.columns:
            values = [v for v in frame[c] if v is not None]
            if values and any(isinstance(v, Decimal) for v in values) and \
                    all(isinstance(v, (int, Decimal)) and not isinstance(v, bool) for v in values):
                frame[c] = frame[c].astype("float64")
        return frame

    @staticmethod
    def _write(text: str, path: str | Path | None) -> str:
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


class Ingested(NamedTuple):
    """What :meth:`KnowledgeGraph.ingest` did: the document's id, its quads and the count warnings."""

    document: str
    quads: int
    warnings: list[str]
    #: all that the reading of the text found (tasks, goals, targets, references …): ``report.lines()``
    report: Any = None


def _term(name: str, value: Any):
    """A Python value as the RDF term to bind: pyoxigraph and rdflib terms as they are, ``bool`` → xsd:boolean,
    ``int`` → xsd:integer, ``float`` → xsd:double, ``Decimal`` → xsd:decimal, ``str`` → a plain string literal
    (an IRI must be a term: :meth:`KnowledgeGraph.iri`)."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(value, (NamedNode, Literal, BlankNode)):
        return value
    try:
        import rdflib
    except ImportError:  # pragma: no cover - a dependency
        rdflib = None
    if rdflib is not None:  # before str: an rdflib URIRef or Literal is a str
        if isinstance(value, rdflib.URIRef):
            return NamedNode(str(value))
        if isinstance(value, rdflib.Literal):
            if value.language:
                return Literal(str(value), language=value.language)
            return Literal(str(value), datatype=NamedNode(str(value.datatype))) if value.datatype else Literal(str(value))
        if isinstance(value, rdflib.BNode):
            return BlankNode(str(value))
    xsd = str(XSD)
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=NamedNode(xsd + "boolean"))
    if isinstance(value, int):
        return Literal(str(value), datatype=NamedNode(xsd + "integer"))
    if isinstance(value, float):
        return Literal(repr(value), datatype=NamedNode(xsd + "double"))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise UsageError(f"binding {name}: {value} is not a decimal number")
        return Literal(format(value, "f"), datatype=NamedNode(xsd + "decimal"))
    if isinstance(value, str):
        return Literal(value)
    raise UsageError(f"binding {name}: cannot bind a {type(value).__name__}",
                     "pass a str, int, float, Decimal, bool, or an RDF term (kg.iri('doc-id/path') for an IRI)")


def _param_text(value: Any) -> str:
    """A named query's parameter as the CLI gets it: text (an IRI term as its IRI, a number as its digits)."""
    from pyoxigraph import NamedNode

    if isinstance(value, NamedNode):
        return value.value
    return value if isinstance(value, str) else str(value)


class KnowledgeGraph:
    """The knowledge graph in one store: build it, add documents, ask the named queries or any SPARQL.

    Open it with :func:`plankg.open`.  ``kg.store`` is the :class:`~plankg.graph_store.base.GraphStore`
    underneath and ``kg.iris`` the IRI factory of the base.
    """

    def __init__(self, store: str | Path | GraphStore | None = None, *, base: str | Iris = DEFAULT_BASE,
                 read_only: bool = False, autobuild: bool = True):
        if isinstance(base, Iris):
            self.iris = base
        else:
            try:
                self.iris = Iris(base)
            except ValueError as exc:
                raise UsageError(f"base: {exc}") from None
        if isinstance(store, GraphStore):
            self.store = store
        else:
            spec = store if store is not None else (os.environ.get("PLANKG_STORE") or DEFAULT_STORE)
            self.store = open_store(spec, read_only=read_only)
        self.read_only = read_only
        self.autobuild = autobuild and not read_only
        self._checked = not self.autobuild

    def __repr__(self) -> str:
        where = getattr(self.store, "root", None) or getattr(self.store, "spec", None) or self.store.backend
        return f"<KnowledgeGraph {self.store.backend}:{where} base={self.iris.base}>"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def _ready(self) -> GraphStore:
        """The store; with ``autobuild``, the bundled corpus is built into it first if it holds no graph."""
        if not self._checked:
            if not self.store.graph_names():
                self.build()
            self._checked = True
        return self.store

    # -- writing ---------------------------------------------------------------------------------------
    def build(self, corpus: str | Path | None = None, progress: Callable[[str], None] | None = None):
        """Rebuild the store from a corpus folder (``documents/``, ``mappings/`` …; default: the bundled corpus),
        atomically: after an error the store is as it was.  Returns a :class:`~plankg.pipeline.BuildReport`
        (``documents``, ``mapping_sets``, ``quads``, ``warnings``)."""
        from plankg.pipeline import build as run_build

        report = run_build(self.store, Path(corpus) if corpus is not None else None, self.iris, progress=progress)
        self._checked = True
        return report

    def ingest(self, path: str | Path, *, doc_id: str | None = None, doc_type: str | None = None,
               title_zh: str | None = None, title_en: str | None = None, source_url: str | None = None,
               mark: str = "secondary", official: bool = False, dry_run: bool = False) -> Ingested:
        """Add or replace one document: a corpus file, or a full text (UTF-8 or GBK) described by the options
        (as ``plankg ingest``'s: ``doc_id``, ``doc_type`` such as ``"Opinion"``, titles, ``source_url``,
        ``mark`` verified/secondary/recalled, ``official``).  Atomic; returns an :class:`Ingested`.  With
        ``dry_run`` the text is read and reported, and the store is left alone."""
        from plankg.pipeline import ingest_document

        options = {"doc_id": doc_id, "doc_type": doc_type, "title_zh": title_zh, "title_en": title_en,
                   "source_url": source_url, "mark": mark, "official": official}
        if not self._checked:  # a bad document fails before a first build: the store stays as it was
            from plankg.ingest.emit import document_quads
            from plankg.ingest.parser import parse_file

            document_quads(parse_file(Path(path), options), self.iris)
        store = self.store if dry_run else self._ready()
        report = ingest_document(store, Path(path), self.iris, options, dry_run=dry_run)
        return Ingested(report.doc_id, report.quads, report.warnings, report)

    # -- reading ---------------------------------------------------------------------------------------
    def queries(self) -> dict:
        """The named-query catalogue: name → :class:`~plankg.queries.catalogue.NamedQuery` (``title``,
        ``question``, ``params``, ``columns``)."""
        from plankg.queries.catalogue import catalogue

        return catalogue()

    def query(self, name: str, /, **params: Any) -> Result:
        """Run a named query (see :meth:`queries`) with its parameters as keywords, e.g.
        ``kg.query("goal-indicators", goal="plan-2021-2025/p2/s3")``.  Values are checked against the
        parameter's type (a node as an IRI or ``doc-id/path``) and bound as RDF terms, never pasted in."""
        from plankg.queries.catalogue import bind, get_query
        from plankg.queries.run import run_named

        given = {k: _param_text(v) for k, v in params.items()}
        if not self._checked:
            bind(get_query(name), given, self.iris)  # a bad name or parameter fails before a first build
        columns, rows = run_named(self._ready(), name, given, self.iris)
        return Result(columns, rows)

    def sparql(self, text: str, /, **bindings: Any) -> Result:
        """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the union of all graphs, read-only,
        with variables bound to values: ``kg.sparql("SELECT ?t WHERE { ?d dcterms:title ?t }", d=kg.iri("plan-2021-2025"))``.
        A value is bound as an RDF term (a ``str`` is a string literal, an ``int`` an xsd:integer, an IRI is
        ``kg.iri(…)``; see :func:`_term`), never pasted into the text: by one ``VALUES`` block at the start of the
        first ``WHERE`` group (so a variable seen only inside a subquery is not bound).  Each keyword must name a
        variable of the query."""
        from plankg.graph_store.sparql_text import bind_values
        from plankg.queries.run import result_rows

        for name in bindings:
            if not re.search(rf"[?$]{re.escape(name)}\b", text):
                raise UsageError(f"binding {name}: the query has no variable ?{name}")
        # one VALUES block after the first WHERE {, as every backend gets it (pyoxigraph's own substitutions
        # bind only variables of the SELECT projection)
        text = bind_values(text, {name: _term(name, value) for name, value in bindings.items()})
        return Result(*result_rows(self._ready().query(text)))

    def iri(self, ref: str):
        """The IRI of a node as an RDF term, from its IRI or its ``doc-id/path`` (``plan-2021-2025/p2/s3``)."""
        from pyoxigraph import NamedNode

        value = ref.strip()
        if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
            try:
                return NamedNode(value)
            except ValueError as exc:
                raise UsageError(f"iri: {ref!r} is not a valid IRI ({exc})") from None
        if re.fullmatch(r"[a-z0-9][a-z0-9-]*(/[A-Za-z0-9-]+)*", value):
            return NamedNode(self.iris.id + value)
        raise UsageError(f"iri: {ref!r} is not an IRI or a doc-id/path such as plan-2021-2025/p2/s3")

    def validate(self, *, owl: bool = True, corpus: str | Path | None = None, strict: bool = True):
        """Check the store: SHACL shapes (pyshacl), OWL consistency (owlready2 + HermiT, needs Java; ``owl=False``
        skips it) and the corpus's SSSOM mapping sets.  Returns a :class:`~plankg.validate.ValidationReport`
        (``ok``, ``lines``); when it fails and ``strict``, raises :class:`~plankg.errors.ValidationFailed`
        carrying it as ``.report``."""
        from plankg.pipeline import bundled_corpus
        from plankg.validate import validate_store

        report = validate_store(self._ready(), owl=owl, corpus=Path(corpus) if corpus is not None else bundled_corpus())
        if strict and not report.ok:
            failed = "; ".join(line for line in report.lines if not line.startswith(" "))
            raise ValidationFailed(f"the store does not validate: {failed}", "see the report's lines (`plankg validate` prints them)",
                                   report=report)
        return report

    def export(self, fmt: str = "nquads", path: str | Path | None = None) -> bytes:
        """Serialise the store: ``nquads`` (sorted: equal stores give equal bytes), ``trig``, ``turtle`` (the union
        of all graphs) or ``jsonld``.  Returns the bytes; with ``path``, also writes them there."""
        data = self._ready().export(fmt)
        if path is not None:
            Path(path).write_bytes(data)
        return data

    def count(self) -> int:
        """The number of quads in the store."""
        return self._ready().count()


def open(store: str | Path | GraphStore | None = None, *, base: str | Iris = DEFAULT_BASE, read_only: bool = False,
         autobuild: bool = True) -> KnowledgeGraph:  # noqa: A001 - plankg.open, as io.open / shelve.open
    """Open the knowledge graph in a store.

    ``store`` is a spec as the CLI's ``--store``: ``None`` for the embedded store in ``$PLANKG_STORE`` or
    ``data/store``, a directory, ``oxigraph:PATH``, ``memory:``, an http(s) SPARQL endpoint URL or a store
    ``.toml`` file (or an open :class:`~plankg.graph_store.base.GraphStore`).  ``base`` is the base IRI of the
    data.  With ``autobuild`` (the default), a store that holds no graph gets the bundled corpus built into it
    on first use; ``read_only`` opens it for reading only (and so never builds).
    """
    return KnowledgeGraph(store, base=base, read_only=read_only, autobuild=autobuild)


__all__ = ["open", "KnowledgeGraph", "Result", "Ingested", "DEFAULT_STORE"]
