"""A large corpus is read in worker processes (plankg.pipeline.PARALLEL_FROM): the store must be byte-identical
to a serial read, and a bad document must give the same one-line error as a serial read, store untouched."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import pytest

from plankg import pipeline
from plankg.errors import DocumentError
from plankg.graph_store import open_store

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from synthetic import write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("parallel") / "corpus", pipeline.PARALLEL_FROM + 6, seed=5)


def build_with(corpus: Path, parallel: bool, monkeypatch) -> bytes:
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2 if parallel else 10**9)
    store = open_store("memory:")
    pipeline.build(store, corpus)
    return store.export("nquads")


def test_parallel_read_gives_the_same_store(corpus, monkeypatch):
    assert build_with(corpus, True, monkeypatch) == build_with(corpus, False, monkeypatch)


def test_an_error_in_a_worker_is_the_serial_error(corpus, tmp_path, monkeypatch):
    bad = tmp_path / "bad"
    import shutil

    shutil.copytree(corpus, bad)
    doc = bad / "documents" / "syn-00040.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("## （二）", "## （四）", 1), encoding="utf-8")
    messages = []
    for parallel in (True, False):
        monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2 if parallel else 10**9)
        with pytest.raises(DocumentError) as exc:
            pipeline.build(open_store(tmp_path / f"store-{parallel}"), bad)
        messages.append(str(exc.value))
        assert not (tmp_path / f"store-{parallel}" / "CURRENT").exists()
    assert messages[0] == messages[1] and "syn-00040.md:" in messages[0] and "（四）" in messages[0]


def _counting(calls: list, parent: int, die_in_worker: bool = False):
    """pipeline._read_document, counting the calls made in this (the parent) process; ``die_in_worker``: a worker
    that calls it ends at once (as one killed or out of memory).  Picklable by name: it stands in the module."""
    real = pipeline._read_document

    @functools.wraps(real)
    def read(path, iris):
        if os.getpid() == parent:
            calls.append(path.name)
        elif die_in_worker:
            os._exit(1)
        return real(path, iris)

    return read


def test_a_workers_document_error_reaches_the_parent_as_itself(corpus, tmp_path, monkeypatch):
    bad = tmp_path / "bad"
    shutil.copytree(corpus, bad)
    doc = bad / "documents" / "syn-00040.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("## （二）", "## （四）", 1), encoding="utf-8")
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 10**9)
    with pytest.raises(DocumentError) as serial:
        pipeline.build(open_store("memory:"), bad)
    calls: list[str] = []
    monkeypatch.setattr(pipeline, "_read_document", _counting(calls, os.getpid()))
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    with pytest.raises(DocumentError) as parallel:
        pipeline.build(open_store("memory:"), bad)
    assert calls == []  # read in the workers only: the error is the worker's own, not a re-read
    assert str(parallel.value) == str(serial.value)
    assert (parallel.value.path, parallel.value.line) == (serial.value.path, serial.value.line)


def test_workers_that_cannot_run_leave_the_reading_to_the_parent(corpus, monkeypatch):
    expected = build_with(corpus, False, monkeypatch)
    calls: list[str] = []
    monkeypatch.setattr(pipeline, "_read_document", _counting(calls, os.getpid(), die_in_worker=True))
    assert build_with(corpus, True, monkeypatch) == expected
    assert len(calls) == len(list((corpus / "documents").glob("*.md")))
