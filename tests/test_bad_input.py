"""Each bad input: one line naming the file and line, the documented exit code, and the store unchanged."""

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"

# file, line the message must name (None: the whole file), phrase it must contain
CASES = [
    ("skipped_part.txt", 9, "skipped number: expected part 二、 but found 三、"),
    ("repeated_section.txt", 9, "repeated section （二）"),
    ("section_before_part.txt", 5, "section （一） before any part"),
    ("skipped_item.txt", 6, "skipped number: expected item 2. but found 3."),
    ("mixed_numbering_jump.txt", 13, "expected section （六） but found （七）"),
    ("truncated_front_matter.md", 1, "never closed"),
    ("bad_yaml.md", 5, "not valid YAML"),
    ("missing_id.md", 1, "has no 'id'"),
    ("bad_id.md", 2, "'Plan 2021!' is not a lowercase slug"),
    ("bad_mark.md", 17, "the mark must be one of verified, secondary, recalled"),
    ("unknown_source.md", 20, "cites source S9 that is not in the metadata"),
    ("bad_cell.md", 21, "value '约12' in the 2025 column is not a number"),
    ("duplicate_indicator.md", 23, "duplicate indicator id 'fixture-urban-water-network-leakage-rate'"),
    ("annotation_orphan.md", 12, "comes before any heading"),
    ("table_no_header.md", 18, "the table has no header row"),
    ("invalid_utf8.bin", 8, "is not UTF-8"),
    ("empty.txt", None, "the file is empty"),
    ("no_headings.txt", None, "no numbered heading"),
]


def test_every_bad_fixture_has_a_case():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize("name,line,phrase", CASES)
def test_bad_document_is_refused_and_store_unchanged(cli, fresh_store, name, line, phrase):
    before = cli("export", "--store", fresh_store).stdout_bytes
    result = cli("ingest", BAD / name, "--store", fresh_store)
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert "\n" not in message, message  # one line
    where = f"{BAD / name}:{line}:" if line else f"{BAD / name}:"
    assert where in message and phrase in message, message
    after = cli("export", "--store", fresh_store).stdout_bytes
    assert after == before


@pytest.mark.parametrize("name,line,phrase", CASES[:6])
def test_bad_document_in_a_corpus_fails_the_whole_build(cli, fresh_store, tmp_path, name, line, phrase):
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parents[1] / "corpus", corpus, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    shutil.copy(BAD / name, corpus / "documents" / name)
    before = cli("export", "--store", fresh_store).stdout_bytes
    result = cli("build", "--corpus", corpus, "--store", fresh_store)
    assert result.exit_code == 1 and phrase in result.stderr
    assert cli("export", "--store", fresh_store).stdout_bytes == before


def test_duplicate_document_id_in_a_corpus(cli, fresh_store, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parents[1] / "corpus", corpus, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    shutil.copy(corpus / "documents" / "plan-2021-2025.md", corpus / "documents" / "plan-copy.md")
    before = cli("export", "--store", fresh_store).stdout_bytes
    result = cli("build", "--corpus", corpus, "--store", fresh_store)
    assert result.exit_code == 1
    assert "duplicate document id 'plan-2021-2025'" in result.stderr
    assert cli("export", "--store", fresh_store).stdout_bytes == before


@pytest.mark.parametrize("args,code,phrase", [
    (["query", "no-such"], 2, "unknown query 'no-such'"),
    (["query", "heading-tree", "-p", "colour=red"], 2, "has no parameter 'colour'"),
    (["query", "heading-tree", "-p", "doc"], 2, "is not k=v"),
    (["query", "heading-tree", "-p", "doc=../../etc"], 2, "is not a document id"),
    (["sparql", "SELECT * WHERE { ?s ?p }"], 2, "invalid SPARQL"),
    (["sparql", "INSERT DATA { <http://a> <http://b> <http://c> }"], 2, "invalid SPARQL"),
    (["export", "--format", "rdfa"], 2, "unknown export format 'rdfa'"),
])
def test_bad_requests_exit_2_and_change_nothing(cli, fresh_store, args, code, phrase):
    before = cli("export", "--store", fresh_store).stdout_bytes
    result = cli(*args, "--store", fresh_store)
    assert result.exit_code == code, result.output
    assert phrase in result.stderr and "\n" not in result.stderr.strip()
    assert cli("export", "--store", fresh_store).stdout_bytes == before
