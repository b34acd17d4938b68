"""Shared fixtures: a store built once from the bundled corpus, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from plankg.cli import app
from plankg.graph_store.base import open_store
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
