"""Chinese policy-document numbering: levels, markers and numerals."""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

CN_NUM = "[一二三四五六七八九十百〇零两]+"
NUM = "[0-9０-９]{1,3}"

@dataclass(frozen=True)
class Level:
    """One kind of division, and everything plankg derives from it (the IRI segment, the class, labels, messages)."""

    name: str            #: the key: what ``Node.level`` holds
    segment: str         #: the IRI path segment before its number (``p`` → ``…/p3``)
    cls: str             #: its ``pk:`` class
    label_en: str        #: the English label of an untitled division, before its number ("Part 3")
    printed: str | None  #: its number n as the text prints it, ``{cn}`` the Chinese numeral (None: not numbered in sequence)
    word: str = ""       #: what messages call it, when not its name
    rooted: bool = False  #: its IRI path starts afresh (``box2``, ``t1``) instead of under its parent's

    @property
    def what(self) -> str:
        return self.word or self.name

    def render(self, n: int) -> str:
        """Number ``n`` of this level as printed: 3 → 三、 for a part, （3） for a sub-item."""
        return self.printed.format(cn=int_to_cn(n), n=n)


#: every level, in the order the constants below name them
LEVELS = {level.name: level for level in (
    Level("book", "bk", "Book", "Book", "第{cn}篇"),                                # 第X篇
    Level("chapter", "ch", "Chapter", "Chapter", "第{cn}章"),                       # 第X章
    Level("chsection", "cs", "ChapterSection", "Chapter section", "第{cn}节", "chapter section"),  # 第X节
    Level("part", "p", "Part", "Part", "{cn}、"),
    Level("section", "s", "Section", "Section", "（{cn}）"),
    Level("item", "i", "Item", "Item", "{n}."),
    Level("subitem", "si", "SubItem", "Sub-item", "（{n}）", "sub-item"),
    Level("bullet", "b", "Bullet", "Bullet", None),
    Level("box", "box", "Box", "Box", "专栏{n}", rooted=True),
    Level("lead", "l", "Paragraph", "Paragraph", None),  # an unnumbered paragraph opened by a bold lead phrase
    Level("table", "t", "IndicatorTable", "Table", None, rooted=True),
    Level("goal", "g", "Paragraph", "Goal passage", None),  # a goal sentence read from prose (ingest/extract.py)
)}
BOOK, CHAPTER, CHSECTION, PART, SECTION, ITEM, SUBITEM, BULLET, BOX, LEAD, TABLE, GOAL = LEVELS


def cn_to_int(numeral: str) -> int:
    """一 → 1, 十 → 10, 十一 → 11, 二十四 → 24, 一百零二 → 102."""
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for ch in numeral:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        else:
            raise ValueError(numeral)
    return total + current


def int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def arabic(s: str) -> int:
    return int(s.translate(FULLWIDTH))


@dataclass(frozen=True)
class Heading:
    level: str
    ordinal: int | None  # None for bullets
    number: str          # the numbering as printed, normalised ("（三）", "2.", "——")
    rest: str            # the text after the number


_PATTERNS = [
    (BOOK, re.compile(rf"^第\s*({CN_NUM})\s*篇\s*(.*)$"), lambda m: (cn_to_int(m[1]), f"第{m[1]}篇")),
    (CHAPTER, re.compile(rf"^第\s*({CN_NUM})\s*章\s*(.*)$"), lambda m: (cn_to_int(m[1]), f"第{m[1]}章")),
    (CHSECTION, re.compile(rf"^第\s*({CN_NUM})\s*节\s*(.*)$"), lambda m: (cn_to_int(m[1]), f"第{m[1]}节")),
    (PART, re.compile(rf"^({CN_NUM})\s*、\s*(.*)$"), lambda m: (cn_to_int(m[1]), f"{m[1]}、")),
    (SECTION, re.compile(rf"^[（(]\s*({CN_NUM})\s*[）)]\s*(.*)$"), lambda m: (cn_to_int(m[1]), f"（{m[1]}）")),
    (SUBITEM, re.compile(rf"^[（(]\s*({NUM})\s*[）)]\s*(.*)$"), lambda m: (arabic(m[1]), f"（{arabic(m[1])}）")),
    (ITEM, re.compile(rf"^({NUM})\s*[.．、](?![0-9０-９])\s*(.*)$"), lambda m: (arabic(m[1]), f"{arabic(m[1])}.")),
    (BOX, re.compile(rf"^专栏\s*({NUM}|{CN_NUM})(?![0-9０-９])\s*[:：、.．]?\s*(.*)$"),
     lambda m: (arabic(m[1]) if m[1][0] in "0123456789０１２３４５６７８９" else cn_to_int(m[1]), None)),
]
_BULLET = re.compile(r"^[—–]{2}\s*(.*)$|^-{2}(?!-)\s*(.*)$")


def match_heading(line: str) -> Heading | None:
    """Recognise a numbered heading at the start of a (decoration-free) line."""
    m = _BULLET.match(line)
    if m:
        return Heading(BULLET, None, "——", (m[1] if m[1] is not None else m[2]).strip())
    for level, pattern, number in _PATTERNS:
        m = pattern.match(line)
        if m:
            try:
                ordinal, printed = number(m)
            except ValueError:
                return None
            if ordinal < 1:
                return None
            if level == BOX:
                printed = f"专栏{ordinal}"
            return Heading(level, ordinal, printed, m[2].strip())
    return None


def split_heading(rest: str) -> tuple[str, str]:
    """Split a heading that opens a paragraph: the title runs to the first 。 or ：."""
    for i, ch in enumerate(rest):
        if ch in "。：:":
            if ch == ":" and i + 1 < len(rest) and rest[i + 1] == "/":
                continue  # a URL, not a colon
            return rest[:i].strip(), rest[i + 1:].strip()
    return rest.strip(), ""
