"""ingest/numbering.py:LEVELS, the one record per level, and what is derived from it (IRIs, classes, labels, messages)."""

import pytest

from plankg.ingest import numbering as nb
from plankg.ingest.parser import Parser
from plankg.vocab import PK


def test_each_constant_names_its_record():
    for name, level in nb.LEVELS.items():
        assert getattr(nb, name.upper()) == name == level.name


def test_records_are_complete_and_distinct():
    levels = list(nb.LEVELS.values())
    assert len({lv.segment for lv in levels}) == len(levels)
    for lv in levels:
        assert lv.cls in PK, lv  # a class of the ontology (PK is closed)
        assert lv.label_en and lv.segment


@pytest.mark.parametrize("name,n,printed", [
    ("book", 2, "第二篇"), ("chapter", 11, "第十一章"), ("chsection", 3, "第三节"), ("part", 24, "二十四、"),
    ("section", 6, "（六）"), ("item", 12, "12."), ("subitem", 4, "（4）"), ("box", 2, "专栏2"),
])
def test_render_is_how_the_number_is_printed(name, n, printed):
    assert nb.LEVELS[name].render(n) == printed


def test_render_agrees_with_match_heading():
    """What a message prints for number n is what match_heading reads back as that level and number."""
    for name in ("book", "chapter", "chsection", "part", "section", "item", "subitem", "box"):
        h = nb.match_heading(nb.LEVELS[name].render(7) + "标题")
        assert (h.level, h.ordinal, h.number) == (name, 7, nb.LEVELS[name].render(7))


def test_words_of_messages():
    assert [nb.LEVELS[n].what for n in ("subitem", "chsection", "part")] == ["sub-item", "chapter section", "part"]


def test_every_heading_level_has_its_method():
    """Parser.heading dispatches through HEADINGS: each level match_heading returns has one, and nothing else does."""
    found = {nb.match_heading(line).level for line in
             ("第一篇 a", "第一章 a", "第一节 a", "一、a", "（一）a", "1. a", "（1）a", "——a", "专栏1 a")}
    assert set(Parser.HEADINGS) == found
    assert all(callable(m) for m in Parser.HEADINGS.values())
