"""The error tree: every class pickles as itself (its ``args`` are its ``__init__``'s), so an error raised in a
worker process (a document's, a query's) reaches the parent with the same text and facts."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from plankg import errors
from plankg.errors import DocumentError, PlankgError, SparqlError, StoreError, ToolError, UsageError, ValidationFailed
from plankg.publish.config import ConfigError
from plankg.publish.sparql_endpoint import ProtocolError
from plankg.publish.worker import QueryTimeout, ServerBusy, ServiceRefused, WorkerFailed

#: one instance of each class, with every argument given
SAMPLES = [
    PlankgError("something failed", "do this"),
    DocumentError(Path("corpus/documents/a.md"), 12, "bad heading", "number it"),
    DocumentError("corpus/documents/b.md", None, "no id"),
    ValidationFailed("the store does not validate: shacl", "see the report", report=["line one"]),
    UsageError("unknown query 'x'", "see `plankg queries`"),
    ConfigError("--timeout", "must be a positive number of seconds"),
    SparqlError("invalid SPARQL: error at 2:5: expected one of [_]", None, 2, 5, "expected one of [_]"),
    SparqlError("invalid SPARQL: no SELECT, ASK, CONSTRUCT or DESCRIBE"),
    StoreError("data/store: not a store", "build one"),
    ToolError("java is not installed", "install a JRE"),
    ProtocolError(406, "no representation matches Accept", {"Vary": "Accept"}, "available: text/html"),
    ProtocolError(400, "the query is empty"),
    ServiceRefused("the query tried to reach another server"),
    QueryTimeout("the query ran longer than 5 s and was stopped"),
    ServerBusy("all 2 query workers are busy"),
    WorkerFailed("a query worker did not start in time"),
]


def _subclasses(cls: type) -> set[type]:
    return {cls} | {s for c in cls.__subclasses__() for s in _subclasses(c)}


def test_the_samples_cover_the_whole_tree():
    """Every subclass defined in plankg's modules (each module that defines one is imported above)."""
    tree = {c for c in _subclasses(PlankgError) if c.__module__.startswith("plankg.")}
    assert tree - {type(e) for e in SAMPLES} == set()


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_each_error_pickles_as_itself(error):
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error) and back.args == error.args
    assert vars(back) == vars(error)  # its facts: path, line, column, status, headers, hint …


def test_the_web_errors_carry_their_status():
    assert [e.status for e in SAMPLES if hasattr(e, "status")] == [406, 400, 403, 503, 503, 503]


def test_a_document_error_names_its_file_and_line():
    e = SAMPLES[1]
    assert str(e) == "corpus/documents/a.md:12: bad heading — number it" and (e.path, e.line) == ("corpus/documents/a.md", 12)
    assert errors.BUG_EXIT_CODE == 70
