"""ingest/doctypes.py:DOC_TYPES and the confidence marks: one list each, and what is derived from them."""

import rdflib
import pytest

from plankg.ingest.doctypes import DOC_TYPES, infer_type
from plankg.ingest.model import MARKS
from plankg.ontology import ONTOLOGY_PATH
from plankg.vocab import PK


def test_the_order_messages_list():
    assert ", ".join(DOC_TYPES) == "Outline, FiveYearPlan, AnnualPromotionPlan, ActionPlan, Strategy, Opinion, PolicyDocument"


def test_classes_are_ontology_classes():
    for t in DOC_TYPES.values():
        assert all(c in PK for c in t.classes), t


@pytest.mark.parametrize("title,expected", [
    ("知识产权强国建设纲要（2021—2035年）", "Outline"),
    ("“十四五”国家知识产权保护和运用规划", "FiveYearPlan"),
    ("2022年知识产权强国建设纲要和“十四五”规划实施推进计划", "AnnualPromotionPlan"),  # the longer word wins
    ("知识产权助力产业创新发展行动计划（2023—2027年）", "ActionPlan"),
    ("关于强化知识产权保护的意见", "Opinion"),
    ("某某通知", "PolicyDocument"),
    (None, "PolicyDocument"),
])
def test_infer_type(title, expected):
    assert infer_type(title) == expected


def test_every_title_word_infers_its_type():
    for t in DOC_TYPES.values():
        for word in t.title_words:
            assert infer_type(f"关于{word}") == t.name


def test_ingest_help_lists_every_type_and_mark(cli):
    """The --type help is made from DOC_TYPES (it once lacked Strategy), --mark's from MARKS."""
    out = " ".join(cli("ingest", "--help").output.replace("│", " ").split())
    assert ", ".join(DOC_TYPES) in out
    assert "confidence of the text: verified, secondary or recalled" in out


def test_marks_are_the_ontology_confidence_marks():
    g = rdflib.Graph().parse(ONTOLOGY_PATH)
    scheme = rdflib.URIRef(str(PK) + "ConfidenceScheme")
    in_scheme = {str(c)[len(str(PK)):] for c in g.subjects(rdflib.SKOS.inScheme, scheme)}
    assert set(MARKS) == in_scheme and len(MARKS) == len(in_scheme)


def test_report_lists_the_same_marks():
    from plankg import report
    from plankg.ingest import model

    assert report.MARKS is model.MARKS
