"""Shared fixtures: a store built once from the bundled corpus, and a CLI runner."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plankg.cli import app
from plankg.graph_store import open_store
from plankg.pipeline import build

FIXTURES = Path(__file__).parent / "fixtures"
ID = "https://w3id.org/plankg/id/"


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory):
    """An on-disk store holding the bundled corpus (read-only use: do not write to it)."""
    path = tmp_path_factory.mktemp("store") / "store"
    store = open_store(path)
    build(store)
    return open_store(path, read_only=True)


@pytest.fixture
def fresh_store(tmp_path):
    """A new on-disk store built from the bundled corpus, free to change."""
    path = tmp_path / "store"
    build(open_store(path))
    return path


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return run


@pytest.fixture
def listener():
    """A socket on 127.0.0.1 that records any connection: LOAD and refused SERVICE calls must never reach it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    hits = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                hits.append(conn.recv(1024))
                conn.close()
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1], hits
    stop.set()
    t.join(2)
    srv.close()
