"""The kinds of policy document: one record each, and what is derived from them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocType:
    """A kind of document: the ``type:`` of a metadata block (``--type`` of ``plankg ingest``)."""

    name: str                          #: as written in a metadata block, and on the command line
    classes: tuple[str, ...]           #: its ``pk:`` classes besides ``pk:PolicyDocument``
    title_words: tuple[str, ...] = ()  #: words of a title that mark a bare text as this kind (see :func:`infer_type`)


#: every document type, in the order messages list them
DOC_TYPES = {t.name: t for t in (
    DocType("Outline", ("Outline", "Plan"), ("纲要",)),
    DocType("FiveYearPlan", ("FiveYearPlan", "Plan"), ("规划",)),
    DocType("AnnualPromotionPlan", ("AnnualPromotionPlan", "Plan"), ("推进计划",)),
    DocType("ActionPlan", ("ActionPlan", "Plan"), ("行动计划",)),
    DocType("Strategy", ("Outline", "Plan")),
    DocType("Opinion", ("Opinion",), ("意见",)),
    DocType("PolicyDocument", ()),
)}
DEFAULT_TYPE = "PolicyDocument"

#: (title word, type), the longer words first: a word that is longer is the more specific (…规划实施推进计划 is an
#: annual promotion plan, not a five-year plan); words of one length in the order of DOC_TYPES
_TITLE_WORDS = sorted(((w, t.name) for t in DOC_TYPES.values() for w in t.title_words), key=lambda wt: -len(wt[0]))


def infer_type(title: str | None) -> str:
    """The type of a bare text from its title: 《…行动计划》 → ActionPlan; no telling word → PolicyDocument."""
    t = title or ""
    return next((name for word, name in _TITLE_WORDS if word in t), DEFAULT_TYPE)
