"""ingest/parser.py's dispatch tables: Parser.ANNOTATIONS (and the hints made from it) and Parser.HEADINGS."""

import pytest

from plankg.errors import DocumentError
from plankg.ingest.parser import ANNOTATION_NAMES, Parser, parse_file

HEAD = """---
id: dispatch-test
type: Opinion
default: {mark: secondary, src: [S1]}
sources:
  S1: {url: "https://example.org/fixtures/dispatch.html", title: "Fictional source for parser tests"}
---
一、总体要求
"""


def parse(tmp_path, body: str):
    path = tmp_path / "doc.md"
    path.write_text(HEAD + body, encoding="utf-8")
    return parse_file(path)


def test_annotation_names_come_from_the_table():
    assert ANNOTATION_NAMES == tuple(f"@{k}" for k in Parser.ANNOTATIONS)
    assert ANNOTATION_NAMES == ("@en", "@mark", "@number", "@role", "@id", "@note", "@indicators")


def test_unknown_annotation_hint_lists_the_table(tmp_path):
    with pytest.raises(DocumentError) as exc:
        parse(tmp_path, "@colour red\n")
    assert str(exc.value) == (f"{tmp_path / 'doc.md'}:9: unknown annotation @colour"
                              " — use @en, @mark, @number, @role, @id, @note or @indicators")


def test_unreadable_annotation_hint_lists_the_table(tmp_path):
    with pytest.raises(DocumentError, match="annotations are @en, @mark, @number, @role, @id, @note, @indicators"):
        parse(tmp_path, "@EN shouting\n")


def test_annotation_before_any_heading(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text(HEAD.replace("一、总体要求\n", "") + "@colour red\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="@colour comes before any heading or table row it could apply to"):
        parse_file(path)


def test_each_annotation_reaches_its_method(tmp_path):
    doc = parse(tmp_path, "@en General requirements\n@note a note\n@role goal\n@mark recalled\n")
    part = next(n for n in doc.nodes() if n.level == "part")
    assert (part.title_en, part.notes, part.roles, part.prov.mark) == ("General requirements", ["a note"], ["goal"], "recalled")
