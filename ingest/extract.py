"""Rule-based extraction from the prose of a full text: tasks, goals, targets and references.

Every rule is a small table or pattern below, named as its individual in the ontology (``pk:leadPhraseRule``
…), so that each extracted fact says which rule made it (``pk:extractedBy``) and from which line of the text
(``pk:sourceLine``), besides the confidence mark given for the text (``--mark``) and its source.  Nothing is
guessed: a number the rules cannot place, a 《 that never closes, two numbers for one name, a name that matches
two shared indicators, a goal year outside the document's period — each is a warning naming ``file:line``.

Two steps.  :func:`extract` reads the parsed tree alone (called by ``parse_file`` for a text without a metadata
block): it adds the lead-phrase tasks and the goals as ordinary divisions (``pk:Paragraph``, numbered by position
under their parent: ``…/l2``, ``…/g1``), marks numbered items that carry prose as tasks, and reads the targets
and the 《》 titles.  :func:`resolve` then ties indicator names and titles to what the store already holds
(:func:`catalogue_from_store`): shared indicators by name and alternative name, documents by title,
alternative title and short name, all compared after :func:`normalise`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from plankg.vocab import SPARQL_PREFIXES

from . import numbering as nb
from .model import DocumentMeta, Node

# -- the rules (their ontology individuals: pk:<name>) --------------------------------------------------------
LEAD_RULE = "leadPhraseRule"
ITEM_RULE = "numberedItemRule"
GOAL_RULE = "goalYearRule"
TARGET_RULE = "targetValueRule"
ATTRIBUTE_RULE = "attributeNoteRule"
BASED_ON_RULE = "basedOnRule"
IMPLEMENTS_RULE = "implementsRule"
REFERENCE_RULE = "referenceRule"
PERIOD_RULE = "periodRule"

# -- lead phrases: a paragraph that opens with a short clause ending in 。 or ：, followed by prose ----------
LEAD_MIN, LEAD_MAX = 4, 25        # characters of the phrase
LEAD_REST_MIN = 12                # characters of prose after it
LEAD_PUNCT = re.compile(r"[，,；;！!？?（）()\[\]【】0-9０-９%％·]")  # a phrase is one clause: no comma, no figure
#: openers of an ordinary (declarative or linking) first sentence, never of a lead phrase
LEAD_NOT_START = ("我国", "我省", "我市", "我区", "我县", "我们", "这", "此", "其", "但", "各", "同时", "目前", "当前",
                  "今后", "经过", "通过", "随着", "截至", "到", "展望", "根据", "依据", "为", "在", "从", "总的", "总体上")
LEAD_NOT_END = ("了", "的", "着", "过", "吗", "呢", "等")
LEAD_NOT_CONTAIN = ("是", "了", "已")
#: a modal verb (需要, 必须, 应当, 要 but not in 重要, 主要, 纲要, 要素 …) makes a statement about duty, not a lead phrase
LEAD_MODAL = re.compile(r"需要|必须|应当|(?<![重主纲摘概扼])要(?![素件点求])")
#: a division under one of these headings states background, guidance, principles or goals, not tasks
NOT_TASK_CONTEXT = re.compile(r"(发展|现实|工作|良好|坚实)基础|形势|背景|发展环境|成就|回顾|指导思想|原则|目标|意义|愿景")
LEAD_PARENTS = (nb.PART, nb.SECTION, nb.ITEM, nb.SUBITEM, nb.BOOK, nb.CHAPTER, nb.CHSECTION)

# -- goals: 到2025年，… / 展望2035年，… at the start of a paragraph or a sentence -------------------------------
CN_YEAR_DIGITS = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
                  "八": "8", "九": "9"}
GOAL_START = re.compile(r"(?:^|(?<=[。；;！!？?]))\s*(?:力争|争取|预计)?(到|展望)\s*(20\d{2}|二[〇零][〇零一二三四五六七八九]{2})\s*年"
                        r"(?:底|末)?\s*[，,]")

# -- targets: <indicator name> <comparator> <number><unit> -----------------------------------------------------
#: verb → comparator (pk:atLeast …); longest first, so 不低于 is read before 低于 and 达到 before 达
COMPARATORS = [(v, c) for v, c in sorted([
    ("达到", "atLeast"), ("提高到", "atLeast"), ("提高至", "atLeast"), ("提升到", "atLeast"), ("提升至", "atLeast"),
    ("增加到", "atLeast"), ("增长到", "atLeast"), ("不低于", "atLeast"), ("不少于", "atLeast"), ("达", "atLeast"),
    ("超过", "greaterThan"), ("突破", "greaterThan"), ("降至", "atMost"), ("降低到", "atMost"), ("降低至", "atMost"), ("下降到", "atMost"),
    ("下降至", "atMost"), ("控制在", "atMost"), ("不超过", "atMost"), ("低于", "lessThan"),
], key=lambda vc: -len(vc[0]))]
UNITS = sorted(["个百分点", "万亿元", "亿美元", "亿元", "万元", "元", "万件", "件", "万家", "家", "万人", "人", "万个", "个",
                "万项", "项", "万户", "户", "分", "倍", "%", "‰", "个月", "天", "小时", "万吨", "吨", "所", "座"], key=len, reverse=True)
NUMBER = re.compile(r"(?<![0-9.A-Za-z])(\d+(?:\.\d+)?)(?![0-9])")
CN_PERCENT = re.compile(r"百分之([零〇一二三四五六七八九十百]+)(?:点([零〇一二三四五六七八九]+))?")
YEAR_MENTION = re.compile(r"^(?:19|20)\d{2}$")
AFTER_VALUE = re.compile(r"^\s*(?:以上|以内|以下|左右)?")
SECOND_NUMBER = re.compile(r"^\s*(?:以上|以内|以下|左右)?\s*(?:和|、|至|到|或|-|~|—|－)\s*(?:\d|百分之)")
NAME_STOP = ",;:、。()!?《》"  # after NFKC: ，；：（） are half-width
NAME_LEAD_FILLERS = ("其中", "全省", "全市", "全国", "全区", "全县", "我省", "我市", "我国", "力争", "确保", "实现", "使", "推动", "并", "且", "和", "及")
NAME_TAIL_FILLERS = ("力争", "分别", "要", "将", "均", "稳定", "进一步", "累计", "年均", "预计", "争取")
ATTRIBUTE_NOTE = re.compile(r"\(([^()]*?(预期性|约束性)[^()]*)\)")
ATTRIBUTE_SENTENCE = re.compile(r"(上述|以上)[^。()]*?(预期性|约束性)")
ATTRIBUTES = {"预期性": "anticipatory", "约束性": "binding"}

# -- references: 《…》 ---------------------------------------------------------------------------------------
BASED_ON_BEFORE = re.compile(r"(根据|依据)(?:《[^》]*》|[、和及与\s]|以及)*$")
BASED_ON_AFTER = re.compile(r"(制定|编制|研究制定|特制定)")
IMPLEMENTS_BEFORE = re.compile(r"(贯彻落实|为落实|为贯彻|贯彻执行|为深入贯彻)(?:《[^》]*》|[、和及与\s]|以及)*$")
SENTENCE_END = "。；;！!？?"
KIND_RANK = {"basedOn": 0, "implements": 1, "references": 2}

# -- the period of a plan, from its title -------------------------------------------------------------------
FIVE_YEAR = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
             "十五五": (2026, 2030), "十六五": (2031, 2035)}
TITLE_RANGE = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*[—–－\-~～至到]+\s*((?:19|20)\d{2})\s*年?\s*[）)]")


def normalise(text: str) -> str:
    """What names and titles are compared by: NFKC (full-width → half-width), no spaces, quotes, 《》 or 的,
    one kind of dash, Latin letters in lower case."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"[\s“”\"‘’'「」《》〈〉]", "", t)
    t = re.sub(r"[—–―‐\-~～]+", "-", t)
    return t.replace("的", "").lower()


def cn_number(integer: str, decimal: str | None = None) -> Decimal:
    """十三 → 13, 七 点 五 → 7.5 (for 百分之十三, 百分之七点五)."""
    whole = nb.cn_to_int(integer)
    if not decimal:
        return Decimal(whole)
    return Decimal(f"{whole}.{''.join(str(nb.CN_DIGITS[c]) for c in decimal)}")


@dataclass
class Target:
    """A quantitative target read in a goal passage."""

    line: int
    goal: Node
    name: str           # as read (NFKC), without the fillers around it
    verb: str           # as printed: 达到, 控制在 …
    comparator: str     # atLeast | greaterThan | atMost | lessThan
    value: Decimal
    unit: str
    text: str           # the span the rule matched
    year: int = 0       # the goal's year
    attribute: str | None = None  # anticipatory | binding
    attribute_text: str | None = None
    # filled by resolve()
    indicator: str | None = None  # IRI of the shared indicator, or None if a new one is minted
    slug: str | None = None
    match_note: str | None = None


@dataclass
class Reference:
    """A 《》 title read in the text, with what the words around it say it is."""

    line: int
    title: str
    kind: str           # basedOn | implements | references
    text: str           # the sentence
    target: str | None = None  # IRI of the document matched (resolve)
    note: str | None = None


@dataclass
class Extraction:
    path: str
    tasks: list[Node] = field(default_factory=list)
    goals: list[Node] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    table_rows: list = field(default_factory=list)  # the rows of the text's indicator tables (IndicatorRow)
    table_matches: list[tuple[int, str, str]] = field(default_factory=list)  # (line, name, shared IRI) of rows tied
    period_line: int | None = None  # the line of the title the period was read from (periodRule)
    period_from_title: bool = False
    resolved: bool = False

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")


# -- step 1: the text alone -------------------------------------------------------------------------------------

def extract(root: Node, meta: DocumentMeta, path: str) -> Extraction:
    ex = Extraction(str(path))
    period_from_title(root, meta, ex)
    for node in list(root.walk()):
        if node is root or node.level in ("table", nb.BOX, nb.BULLET, nb.LEAD, "goal"):
            if node.level == nb.LEAD and node.rule is None and not node.roles and is_task_context(node):  # bold lead
                role = "safeguard" if _has_role(node, "safeguard") else "task"
                node.roles = node.roles or [role]
                node.extracted_roles.setdefault(role, LEAD_RULE)
                ex.tasks.append(node)
            continue
        if node.level in (nb.ITEM, nb.SUBITEM) and node.body and node.title_zh and not node.roles and is_task_context(node):
            # an item in a 专栏 box is a project (工程, 行动, 计划); under 保障措施 a safeguard
            role = "project" if _within(node, nb.BOX) else "safeguard" if _has_role(node, "safeguard") else "task"
            node.roles = [role]
            node.extracted_roles[role] = ITEM_RULE
            ex.tasks.append(node)
        if node.level in LEAD_PARENTS:
            lead_phrases(node, ex)
        goals(node, meta, ex)
    for node in root.walk():
        if node.level == "goal":
            targets(node, ex)
        elif node.level == nb.BULLET and "goal" in node.roles:
            goal_bullet_targets(node, ex)
    references(root, meta, ex)
    return ex


def is_task_context(node: Node) -> bool:
    n: Node | None = node
    while n is not None and n.level != "document":
        if any(r in ("goal", "principle") for r in n.roles) or NOT_TASK_CONTEXT.search(n.title_zh or ""):
            return False
        n = n.parent
    return True


def lead_phrase(text: str) -> tuple[str, str] | None:
    """The lead phrase and the prose after it, if the paragraph has that shape; else None.

    >>> lead_phrase("健全知识产权法律法规。推动修改完善相关法律，加快制定配套规章。")
    ('健全知识产权法律法规', '推动修改完善相关法律，加快制定配套规章。')
    >>> lead_phrase("我省知识产权事业取得了长足进步。专利授权量连续五年增长。") is None
    True
    """
    m = re.match(r"^([^。：:]+)[。：:](.*)$", text.strip())
    if not m:
        return None
    phrase, rest = m[1].strip(), m[2].strip()
    if not (LEAD_MIN <= len(phrase) <= LEAD_MAX) or len(rest) < LEAD_REST_MIN:
        return None
    if LEAD_PUNCT.search(phrase) or phrase.startswith(LEAD_NOT_START) or phrase.endswith(LEAD_NOT_END):
        return None
    if any(w in phrase for w in LEAD_NOT_CONTAIN) or LEAD_MODAL.search(phrase) or GOAL_START.match(text):
        return None
    return phrase, rest


def lead_phrases(node: Node, ex: Extraction) -> None:
    if not is_task_context(node) or any(c.level == nb.LEAD for c in node.children):
        return  # no tasks here, or the text marks its leads itself (bold): those were read as structure
    safeguard = _has_role(node, "safeguard")
    count = 0
    for text, line in zip(node.body, node.body_lines):
        if line == node.line:  # the heading's own paragraph: its prose, not a paragraph of its own
            continue
        found = lead_phrase(text)
        if found is None:
            continue
        count += 1
        lead = Node(nb.LEAD, count, None, found[0], line)
        lead.path = f"{node.path}/l{count}"
        lead.body, lead.body_lines = [text], [line]
        lead.roles = ["safeguard"] if safeguard else ["task"]
        lead.rule = LEAD_RULE  # the whole division is extracted: pk:extractedBy on it, not on its types
        lead.prov = node.prov
        _insert(node, lead)
        ex.tasks.append(lead)


def _has_role(node: Node, role: str) -> bool:
    n: Node | None = node
    while n is not None:
        if role in n.roles:
            return True
        n = n.parent
    return False


def _within(node: Node, level: str) -> bool:
    n = node.parent
    while n is not None:
        if n.level == level:
            return True
        n = n.parent
    return False


def _insert(parent: Node, child: Node) -> None:
    """Put an extracted division among its parent's children in line order."""
    child.parent = parent
    at = next((i for i, c in enumerate(parent.children) if c.line > child.line), len(parent.children))
    parent.children.insert(at, child)


def goal_year(text: str) -> int:
    return int(text) if text.isdigit() else int("".join(CN_YEAR_DIGITS[c] for c in text))


def goals(node: Node, meta: DocumentMeta, ex: Extraction) -> None:
    count = 0
    for text, line in zip(node.body, node.body_lines):
        starts = list(GOAL_START.finditer(text))
        for k, m in enumerate(starts):
            end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
            passage = text[m.start():end].strip()
            year = goal_year(m[2])
            count += 1
            after = passage[m.end() - m.start():]
            clause = re.split(r"[，,。；;]", after, maxsplit=1)[0]
            label = (passage[:m.end() - m.start()] + clause).strip()
            label = label[:60].rstrip("，,")
            goal = Node("goal", count, None, label, line)
            goal.path = f"{node.path}/g{count}"
            goal.title_en = f"Outlook to {year}" if m[1] == "展望" else f"Goal for {year}"
            goal.body, goal.body_lines = [passage], [line]
            goal.roles, goal.rule, goal.year, goal.prov = ["goal"], GOAL_RULE, year, node.prov
            _insert(node, goal)
            ex.goals.append(goal)
            if meta.period:
                start, stop = meta.period[:2]
                if year < start or (m[1] == "到" and year > stop):
                    ex.warn(line, f"goal year {year} is outside the document's period {start}–{stop}; "
                                  "the goal is recorded with the year as printed — check the text")


def _mask(text: str, pattern: str) -> str:
    return re.sub(pattern, lambda m: "□" * len(m[0]), text)


def goal_bullet_targets(bullet: Node, ex: Extraction) -> None:
    """A goal bullet (——知识产权保护更加严格。…) under a 到20XX年 passage of its parent states targets of that year."""
    before = [c for c in bullet.parent.children if c.level == "goal" and c.line <= bullet.line] if bullet.parent else []
    text = "。".join([bullet.title_zh or ""] + bullet.body)
    if not before:
        if any(text.find(v) >= 0 for v, _ in COMPARATORS) and NUMBER.search(text):
            ex.warn(bullet.line, "a target in a goal bullet with no 到20XX年 passage before it: no year, not recorded")
        return
    targets(bullet, ex, text, before[-1].year)


def targets(goal: Node, ex: Extraction, passage: str | None = None, year: int | None = None) -> None:
    line = goal.line
    year = goal.year if year is None else year
    text = unicodedata.normalize("NFKC", goal.body[0] if passage is None else passage)
    masked = _mask(text, r"《[^》]*》")
    masked = re.sub(r"^\s*(?:力争|争取|预计)?(?:到|展望)\s*\S{4}\s*年(?:底|末)?", lambda m: "□" * len(m[0]), masked)
    tokens: list[tuple[int, int, Decimal, str]] = []  # start, end (with unit), value, unit
    for m in NUMBER.finditer(masked):
        after = masked[m.end():]
        if YEAR_MENTION.match(m[1]) and re.match(r"^\s*(年|[—–\-~～至到]\s*(?:19|20)\d{2})", after):
            continue  # a year (比2020年…, 2021—2025年), not a quantity
        if re.match(r"^[A-Za-z]", after):
            continue  # a name such as 5G
        unit = next((u for u in UNITS if after.startswith(u)), "")
        tokens.append((m.start(), m.end() + len(unit), Decimal(m[1]), unit))
    for m in CN_PERCENT.finditer(masked):
        tokens.append((m.start(), m.end(), cn_number(m[1], m[2]), "%"))
    tokens.sort()
    notes = [(m.start(), m.end(), ATTRIBUTES[m[2]], m[0]) for m in ATTRIBUTE_NOTE.finditer(masked)]
    found: list[tuple[Target, int]] = []
    consumed: set[int] = set()
    last_end = 0
    for i, (a, b, value, unit) in enumerate(tokens):
        if a in consumed:
            continue
        shown = text[a:b]
        before = masked[:a].rstrip()
        verb, comparator = next(((v, c) for v, c in COMPARATORS if before.endswith(v)), (None, None))
        if verb is None:
            if re.search(r"(由|从)$", before):
                ex.warn(line, f"cannot place the number {shown}: a starting value (由/从 …) with no year of its own; not recorded")
            else:
                ex.warn(line, f"cannot place the number {shown}: no indicator name with 达到/提高到/超过/不低于/降至/控制在 before it; not recorded")
            continue
        head = before[:len(before) - len(verb)]
        start = max(head.rfind(c) for c in NAME_STOP) + 1
        start = max(start, last_end if last_end <= len(head) else 0)
        name = head[start:].strip()
        name = re.split(r"(?:由|从)\s*[□\d]", name)[0].strip()  # X由6.3件提高到12件: the name is X
        name = _strip_fillers(name)
        rest = masked[b:]
        if SECOND_NUMBER.match(rest):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            second = text[nxt[0]:nxt[1]] if nxt else "another number"
            ex.warn(line, f"two numbers for one name {name or '(none)'}: {shown} and {second}; neither is recorded")
            if nxt:
                consumed.add(nxt[0])
            last_end = nxt[1] if nxt else b
            continue
        if len(name) < 2 or "□" in name:
            ex.warn(line, f"cannot place the number {shown}: no indicator name before {verb}; not recorded")
            continue
        end = b + len(AFTER_VALUE.match(rest)[0])
        target = Target(line, goal, name, verb, comparator, value, unit, text[start:end].strip(), year)
        note = next((n for n in notes if n[0] >= end and masked[end:n[0]].strip() == ""), None)
        if note is not None:
            target.attribute, target.attribute_text = note[2], note[3]
        found.append((target, end))
        last_end = end
    for n_start, _n_end, attribute, note_text in notes:
        if re.search(r"上述|以上|均", note_text):
            for target, end in found:
                if end <= n_start and target.attribute is None:
                    target.attribute, target.attribute_text = attribute, note_text
    for m in ATTRIBUTE_SENTENCE.finditer(masked):
        for target, end in found:
            if end <= m.start() and target.attribute is None:
                target.attribute, target.attribute_text = ATTRIBUTES[m[2]], m[0]
    ex.targets += [t for t, _ in found]


def _strip_fillers(name: str) -> str:
    changed = True
    while changed and name:
        changed = False
        for f in NAME_LEAD_FILLERS:
            if name.startswith(f) and len(name) > len(f) + 1:
                name, changed = name[len(f):], True
        for f in NAME_TAIL_FILLERS:
            if name.endswith(f) and len(name) > len(f) + 1:
                name, changed = name[:-len(f)], True
    return name.strip()


def paragraphs(root: Node):
    """Every paragraph of the text with its line: the prose of each division, and headings."""
    for node in root.walk():
        if node.rule is not None:  # an extracted division repeats a paragraph of its parent
            continue
        if node is not root and node.title_zh and node.level != "table":
            yield node.title_zh, node.line
        yield from zip(node.body, node.body_lines)


def references(root: Node, meta: DocumentMeta, ex: Extraction) -> None:
    own = {normalise(str(f.value)) for f in [meta.title_zh, meta.short_name] if f is not None}
    own |= {normalise(str(f.value)) for f, _ in meta.alt_titles}
    seen: dict[str, Reference] = {}
    for text, line in paragraphs(root):
        pos = 0
        while (i := text.find("《", pos)) >= 0:
            j, k = text.find("》", i + 1), text.find("《", i + 1)
            pos = i + 1
            if j < 0 or 0 <= k < j:
                ex.warn(line, f"a 《 that never closes: {text[i:i + 20]}…; no reference recorded")
                continue
            title = text[i + 1:j].strip()
            pos = j + 1
            if not title or normalise(title) in own:
                continue
            s0 = max(text.rfind(c, 0, i) for c in SENTENCE_END) + 1
            s1 = min((x for x in (text.find(c, j) for c in SENTENCE_END) if x >= 0), default=len(text))
            prefix, sentence = text[s0:i], text[s0:s1 + 1].strip()
            if BASED_ON_BEFORE.search(prefix) and BASED_ON_AFTER.search(text[j:s1 + 1]):
                kind = "basedOn"
            elif IMPLEMENTS_BEFORE.search(prefix):
                kind = "implements"
            else:
                kind = "references"
            key = normalise(title)
            old = seen.get(key)
            if old is None or KIND_RANK[kind] < KIND_RANK[old.kind]:
                ref = Reference(line, title, kind, sentence)
                if old is not None:
                    ex.references.remove(old)
                seen[key] = ref
                ex.references.append(ref)


def period_from_title(root: Node, meta: DocumentMeta, ex: Extraction) -> None:
    if meta.period is not None or meta.title_zh is None:
        return
    title = str(meta.title_zh.value)
    m = TITLE_RANGE.search(title)
    span = (int(m[1]), int(m[2])) if m else next((v for k, v in FIVE_YEAR.items() if k in title), None)
    if span is None or span[0] > span[1]:
        return
    meta.period = (span[0], span[1], meta.title_zh.prov)
    ex.period_from_title = True
    ex.period_line = next((line for text, line in zip(root.body, root.body_lines) if title in text), None)


# -- step 2: against the store ----------------------------------------------------------------------------------

@dataclass
class Catalogue:
    """What the store already holds, by normalised name: shared indicators and documents."""

    indicators: dict[str, set[str]] = field(default_factory=dict)
    documents: dict[str, set[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # IRI → a label, for messages
    units: dict[str, set[str]] = field(default_factory=dict)  # indicator IRI → the units its values are stated in

    def add_indicator(self, iri: str, name: str) -> None:
        self.indicators.setdefault(normalise(name), set()).add(iri)
        self.labels.setdefault(iri, name)

    def add_document(self, iri: str, title: str) -> None:
        self.documents.setdefault(normalise(title), set()).add(iri)
        self.labels.setdefault(iri, title)


INDICATORS_QUERY = SPARQL_PREFIXES + """SELECT DISTINCT ?i ?name WHERE {
  ?i a pk:Indicator . { ?i skos:prefLabel ?name } UNION { ?i skos:altLabel ?name }
  FILTER(langMatches(lang(?name), "zh"))
  FILTER NOT EXISTS { ?i pk:unmatched true }
}"""
UNITS_QUERY = SPARQL_PREFIXES + """SELECT DISTINCT ?i ?unit WHERE { ?v pk:indicator ?i ; pk:unit ?unit . FILTER NOT EXISTS { ?i pk:unmatched true } }"""
DOCUMENTS_QUERY = SPARQL_PREFIXES + """SELECT DISTINCT ?d ?title WHERE {
  ?d a pk:PolicyDocument . { ?d dcterms:title ?title } UNION { ?d skos:altLabel ?title } UNION { ?d skos:prefLabel ?title }
  FILTER(lang(?title) = "" || langMatches(lang(?title), "zh"))
}"""


def catalogue_from_store(store, own_doc: str | None = None) -> Catalogue:
    """The shared indicators (not those minted unmatched by an earlier extraction) and the documents, but the
    document being ingested itself."""
    from plankg.queries.run import result_rows

    cat = Catalogue()
    _, rows = result_rows(store.query(INDICATORS_QUERY))
    for r in rows:
        cat.add_indicator(str(r["i"]), str(r["name"]))
    _, rows = result_rows(store.query(UNITS_QUERY))
    for r in rows:
        cat.units.setdefault(str(r["i"]), set()).add(str(r["unit"]))
    _, rows = result_rows(store.query(DOCUMENTS_QUERY))
    for r in rows:
        if str(r["d"]) != own_doc:
            cat.add_document(str(r["d"]), str(r["title"]))
    return cat


def resolve(ex: Extraction, cat: Catalogue, own_indicators=None) -> None:
    """Tie each table row and target to a shared indicator and each title to a document, or say why not.

    ``own_indicators``: IRI → name of the document's own table rows (or a function giving them), which prose
    targets may name too."""
    from plankg.iris import short_hash

    if ex.resolved:
        return
    ex.resolved = True
    for row in ex.table_rows:  # a full text's table row names an indicator the graph may already have
        hits = cat.indicators.get(normalise(row.name_zh), set())
        if row.slug and row.slug.startswith("ind-") and len(hits) == 1:
            shared = next(iter(hits))
            row.slug = shared.rsplit("/", 1)[-1]
            ex.table_matches.append((row.line, row.name_zh, shared))
            if cat.labels.get(shared, row.name_zh) != row.name_zh:  # one Chinese label per indicator: the shared one
                row.notes.append(f"name printed as {row.name_zh}")
                row.name_zh = cat.labels[shared]
    if callable(own_indicators):  # computed after the rows above took their shared slugs
        own_indicators = own_indicators()
    for slug_iri, name in (own_indicators or {}).items():  # the document's own table rows
        cat.add_indicator(slug_iri, name)
    for t in ex.targets:
        key = normalise(t.name)
        hits = cat.indicators.get(key, set())
        how = "its name"
        if not hits:
            longest = max((k for k in cat.indicators if len(k) >= 4 and key.endswith(k)), key=len, default=None)
            if longest is not None:
                hits = set().union(*(cat.indicators[k] for k in cat.indicators if len(k) == len(longest) and key.endswith(k)))
                how = f"the end of its name ({cat.labels[next(iter(cat.indicators[longest]))]})"
        if len(hits) == 1:
            t.indicator = next(iter(hits))
            t.match_note = f"name {t.name!r} matched the shared indicator by {how}"
            known = cat.units.get(t.indicator, set())
            if t.unit and known and t.unit not in known:
                ex.warn(t.line, f"the unit {t.unit} of {t.name} {t.value}{t.unit} differs from the shared indicator's "
                                f"({', '.join(sorted(known))}); recorded as printed, not converted")
            continue
        t.slug = "ind-" + short_hash(key, length=10)
        if hits:
            names = ", ".join(sorted(f"{cat.labels.get(h, h)} <{h}>" for h in hits))
            ex.warn(t.line, f"indicator name {t.name!r} matches {len(hits)} shared indicators ({names}); tied to neither: "
                            f"minted unmatched indicator {t.slug}")
            t.match_note = f"name {t.name!r} matches {len(hits)} shared indicators; tied to neither"
        else:
            ex.warn(t.line, f"indicator name {t.name!r} matches no shared indicator: minted unmatched indicator {t.slug}")
            t.match_note = f"name {t.name!r} matches no shared indicator"
    for r in ex.references:
        hits = cat.documents.get(normalise(r.title), set())
        if len(hits) == 1:
            r.target = next(iter(hits))
        elif hits:
            names = ", ".join(sorted(f"<{h}>" for h in hits))
            ex.warn(r.line, f"《{r.title}》 matches {len(hits)} documents ({names}); recorded as an unmatched reference")
            r.note = f"the title matches {len(hits)} documents in the store; tied to none"
        elif r.kind != "references":
            r.note = {"basedOn": "stated as a basis (根据《…》制定)", "implements": "stated as implemented (贯彻落实《…》)"}[r.kind] \
                + "; no document with this title in the store"
