"""The catalogue of bad inputs (tests/bad_inputs/CATALOGUE.tsv), each case run through the CLI.

For every case: the documented exit code; exactly one line on stderr that names the file and
line (or, for a query, the parameter) and contains the phrase; and the store byte-identical
afterwards (its N-Quads export, its CURRENT generation and its directory listing).
"""

from __future__ import annotations

import csv
import os
import re
import shlex
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plankg.cli import app
from plankg.graph_store import open_store
from plankg.pipeline import build, bundled_corpus

HERE = Path(__file__).parent / "bad_inputs"
KINDS = ("document", "mapping", "actuals", "organisations", "concepts", "query")
COLUMNS = ["case", "kind", "file", "args", "exit", "line", "phrase"]
CORPUS_SLOT = re.compile(r"\{corpus:([^}]+)\}")


def load_catalogue() -> list[dict]:
    lines = [l for l in (HERE / "CATALOGUE.tsv").read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    assert reader.fieldnames == COLUMNS, reader.fieldnames
    return list(reader)


CASES = load_catalogue()


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def snapshot(store: Path) -> tuple[bytes, str, list[str]]:
    export = invoke("export", "--store", store)
    assert export.exit_code == 0, export.output
    return export.stdout_bytes, os.readlink(store / "CURRENT"), sorted(p.name for p in store.iterdir())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One store for the whole catalogue, built from the bundled corpus; no case may change it."""
    path = tmp_path_factory.mktemp("catalogue") / "store"
    build(open_store(path))
    return path, snapshot(path)


def command(case: dict, store: Path, tmp_path: Path) -> tuple[list[str], str | None]:
    """The CLI arguments of a case, and the path its error must name (None for a query)."""
    data = (HERE / case["file"]).resolve() if case["file"] != "-" else None
    named = None
    args = []
    for word in shlex.split(case["args"]):
        if word == "{file}":
            word = named = str(data)
        elif word == "{store}":
            word = str(store)
        elif m := CORPUS_SLOT.fullmatch(word):
            corpus = tmp_path / "corpus"
            shutil.copytree(bundled_corpus(), corpus, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
            dest = corpus / m[1]
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(data, dest)
            word, named = str(corpus), str(dest)
        args.append(word)
    return args, named


def test_the_catalogue_is_complete():
    names = [c["case"] for c in CASES]
    assert len(names) == len(set(names)), [n for n, k in Counter(names).items() if k > 1]
    kinds = Counter(c["kind"] for c in CASES)
    assert set(kinds) == set(KINDS), kinds
    assert len(CASES) >= 30
    for c in CASES:
        assert c["exit"] in ("1", "2") and (c["line"] == "" or c["line"].isdigit()) and c["phrase"], c
        assert (c["file"] == "-") == (c["kind"] == "query"), c
        assert c["file"] == "-" or (HERE / c["file"]).is_file(), c["file"]
    used = {(HERE / c["file"]).resolve() for c in CASES if c["file"] != "-"}
    here = {p.resolve() for p in HERE.iterdir() if p.name != "CATALOGUE.tsv"}
    assert here <= used, sorted(p.name for p in here - used)  # every data file has its case
    fixtures = {p.resolve() for p in (HERE.parent / "fixtures" / "bad").iterdir()}
    assert fixtures <= used, sorted(p.name for p in fixtures - used)  # and so has every older bad fixture


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input(case, store, tmp_path):
    path, before = store
    args, named = command(case, path, tmp_path)
    result = invoke(*args)
    after = snapshot(path)
    if after != before:  # a case that wrongly changed the store must not make the cases after it fail too
        shutil.rmtree(path)
        build(open_store(path))
    message = (result.stderr or "").strip()
    assert result.exit_code == int(case["exit"]), (result.exit_code, message, result.exception)
    assert message and "\n" not in message, message  # one line
    assert message.startswith("error: "), message
    if named is not None:
        where = f"{named}:{case['line']}: " if case["line"] else f"{named}: "
        assert where in message, (where, message)
    assert case["phrase"] in message, message
    assert after == before  # the store is exactly as it was


# -- messages carry the user's own text: the CLI must print it as text, not as rich markup (where text in
# -- [brackets] would be lost and a '[/…]' would crash the CLI with a traceback).


def test_brackets_in_a_message_are_printed(tmp_path, store):
    path, before = store
    doc = tmp_path / "cell-mark.md"
    text = (HERE / "doc_cell_mark_unknown_word.md").read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    result = invoke("ingest", doc, "--store", path)
    assert result.exit_code == 1
    assert "[uncertain] [year=YYYY]" in result.stderr  # the hint shows the optional words of a cell mark


def test_a_closing_tag_in_the_text_does_not_crash_the_cli(tmp_path, store):
    path, before = store
    doc = tmp_path / "closing-tag.txt"
    doc.write_text("一、总体要求\n@[/x] 说明\n", encoding="utf-8")
    result = invoke("ingest", doc, "--store", path)
    assert result.exit_code == 1 and "cannot read the annotation '@[/x] 说明'" in result.stderr, result.exception
    assert snapshot(path) == before
