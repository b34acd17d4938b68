"""Extraction from prose (ingest/extract.py): each rule on invented full texts, with the exact triples expected.

Fixtures (invented, see tests/fixtures/README.md section C): ``extract_plan.txt`` — a provincial 14th FYP IP plan
in the gov.cn layout; ``extract_bad.txt`` — one text with each kind of bad input the rules must refuse to guess.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from plankg.graph_store import open_store
from plankg.ingest.emit import document_quads
from plankg.ingest.extract import Catalogue, catalogue_from_store, lead_phrase, normalise, resolve
from plankg.ingest.parser import parse_file
from plankg.iris import Iris
from plankg.pipeline import build, ingest_document
from plankg.vocab import DCTERMS, ELI, PK, PROV, QB, RDF, SKOS, XSD

FT = Path(__file__).parent / "fixtures" / "fulltext"
PLAN = FT / "extract_plan.txt"
BAD = FT / "extract_bad.txt"
ID = "https://w3id.org/plankg/id/"
DOC = "lanjiang-ip-2021-2025"
OPTIONS = {"doc_id": DOC, "mark": "verified"}


def iri(path: str) -> NamedNode:
    return NamedNode(ID + path)


def gyear(y: int) -> Literal:
    return Literal(str(y), datatype=XSD.gYear)


def integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


@pytest.fixture(scope="module")
def plan(corpus_store):
    doc = parse_file(PLAN, OPTIONS)
    resolve(doc.extraction, catalogue_from_store(corpus_store, ID + DOC))
    quads = document_quads(doc, Iris())
    return doc, {(q.subject, q.predicate, q.object) for q in quads}


# -- a. lead phrases ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,phrase", [
    ("健全知识产权法律法规。推动修改完善相关法律，加快制定配套规章和规范性文件。", "健全知识产权法律法规"),
    ("构建知识产权协同保护格局：完善行政执法与司法保护衔接机制，推动建立协作机制。", "构建知识产权协同保护格局"),
    ("推动专利、商标审查提质增效。优化审查流程，压缩审查周期，提高审查质量。", "推动专利、商标审查提质增效"),
    ("健全数据要素知识产权保护制度。研究数据产权规则，探索数据登记和交易的保护方式。", "健全数据要素知识产权保护制度"),  # 要素
])
def test_a_lead_phrase_fires(text, phrase):
    assert lead_phrase(text)[0] == phrase


@pytest.mark.parametrize("text", [
    "当前侵权易发多发的态势尚未根本扭转。部分领域侵权行为隐蔽性强、取证难度大，需要持续加大打击力度。",  # opens like a sentence
    "我省知识产权事业取得长足进步。专利授权量连续五年增长，商标注册量位居前列。",  # 我省 …: a statement
    "知识产权是创新发展的重要保障。必须把保护放在更加突出的位置，持续完善制度。",  # 是: a statement
    "知识产权保护工作取得了积极进展。全年查处各类侵权假冒案件数量明显增加。",  # 了
    "各级行政机关要加强知识产权执法工作。完善证据规则，降低维权成本，提高执法效率。",  # 各 …要: a duty
    "知识产权服务的专业化水平需要进一步提升。坚持市场导向，完善服务标准和规范。",  # 需要
    "坚持以创新驱动发展为引领，统筹推进知识产权创造、保护和运用。",  # a comma before the first stop
    "健全知识产权法律法规。推动修改。",  # too little prose after it
    "全面加强知识产权保护推动构建新发展格局促进高质量发展提供有力支撑。完善制度，强化执法，优化服务。",  # too long
    "到2025年，知识产权强省建设取得明显成效。",  # a goal
])
def test_a_lead_phrase_does_not_fire_on_an_ordinary_first_sentence(text):
    assert lead_phrase(text) is None


def test_a_tasks_of_the_plan_are_divisions_numbered_by_position(plan):
    doc, triples = plan
    tasks = {n.path: (n.title_zh, n.roles, n.rule or n.extracted_roles) for n in doc.extraction.tasks}
    assert tasks == {
        "p3/s3/l1": ("健全地方知识产权法规制度", ["task"], "leadPhraseRule"),
        "p3/s3/l2": ("强化知识产权行政执法", ["task"], "leadPhraseRule"),
        "p3/s3/l3": ("构建知识产权协同保护格局", ["task"], "leadPhraseRule"),  # ends in ：
        "p3/s4/i1": ("推进专利转化实施", ["task"], {"task": "numberedItemRule"}),
        "p3/s4/i2": ("发展知识产权金融", ["task"], {"task": "numberedItemRule"}),
        "p4/s5/l1": ("建立规划实施协调机制", ["safeguard"], "leadPhraseRule"),  # under 保障措施
    }
    # the lookalike (line 31, 当前…), the background paragraph (line 17), an item without prose: no tasks
    by_path = {n.path: n for n in doc.nodes()}
    assert "p1/l1" not in by_path and by_path["p3/s4/i3"].roles == []
    l2, s3 = iri(f"{DOC}/p3/s3/l2"), iri(f"{DOC}/p3/s3")
    assert {(l2, RDF.type, PK.Paragraph), (l2, RDF.type, PK.Task), (l2, RDF.type, PK.Division),
            (l2, DCTERMS.isPartOf, s3), (s3, DCTERMS.hasPart, l2), (l2, PK.within, s3), (l2, PK.within, iri(f"{DOC}/p3")),
            (l2, PK.within, iri(DOC)), (l2, PK.ordinal, integer(2)), (l2, PK.extractedBy, PK.leadPhraseRule),
            (l2, PK.sourceLine, integer(30)), (l2, SKOS.prefLabel, Literal("强化知识产权行政执法", language="zh")),
            (l2, PK.confidence, PK.verified), (l2, PROV.wasDerivedFrom, NamedNode(ID + f"source/{DOC}/S1"))} <= triples
    assert not any(s == l2 and p == PK.number for s, p, _ in triples)
    # an item is read as structure; only its being a task is extracted, so that triple is attested with the rule
    i1 = iri(f"{DOC}/p3/s4/i1")
    assert (i1, RDF.type, PK.Task) in triples
    att = [s for s, p, o in triples if p == RDF.subject and o == i1
           and (s, RDF.predicate, RDF.type) in triples and (s, RDF.object, PK.Task) in triples]
    assert len(att) == 1
    assert {(att[0], PK.extractedBy, PK.numberedItemRule), (att[0], PK.sourceLine, integer(34)),
            (att[0], PK.confidence, PK.verified)} <= triples
    assert (iri(f"{DOC}/p4/s5/l1"), RDF.type, PK.Safeguard) in triples


# -- b. goals ---------------------------------------------------------------------------------------------------

def test_b_goals_with_their_year_under_their_section(plan):
    doc, triples = plan
    assert [(g.path, g.year, g.title_zh, g.line) for g in doc.extraction.goals] == [
        ("p2/s2/g1", 2025, "到2025年，知识产权强省建设取得明显成效", 23),
        ("p2/s2/g2", 2025, "到2025年，知识产权行政执法案件平均办结时限控制在45天以内", 24),
        ("p2/s2/g3", 2035, "展望2035年，知识产权综合实力位居全国前列", 25),
    ]
    g3 = iri(f"{DOC}/p2/s2/g3")
    assert {(g3, RDF.type, PK.Goal), (g3, RDF.type, PK.Paragraph), (g3, PK.targetYear, gyear(2035)),
            (g3, DCTERMS.isPartOf, iri(f"{DOC}/p2/s2")), (g3, PK.extractedBy, PK.goalYearRule),
            (g3, PK.sourceLine, integer(25)), (g3, SKOS.prefLabel, Literal("Outlook to 2035", language="en"))} <= triples
    # the period read from the title (“十四五”), with its rule
    d = iri(DOC)
    assert (d, PK.periodStart, gyear(2021)) in triples and (d, PK.periodEnd, gyear(2025)) in triples


# -- c. targets -------------------------------------------------------------------------------------------------

def value_triples(triples, v):
    return {(p, o) for s, p, o in triples if s == v}


@pytest.mark.parametrize("slug,goal,value,unit,comparator,attribute", [
    ("high-value-invention-patents-per-10k", "g1", "9.5", "件", PK.atLeast, PK.anticipatory),       # 达到
    ("overseas-invention-patent-grants", "g1", "0.6", "万件", PK.greaterThan, PK.anticipatory),     # 超过
    ("ip-pledge-financing-amount", "g1", "320", "亿元", PK.atLeast, PK.anticipatory),               # 不低于
    ("ip-protection-satisfaction", "g1", "84", "分", PK.atLeast, PK.anticipatory),                  # 提高到
    ("copyright-industries-gdp-share", "g1", "7.2", "%", PK.atLeast, PK.anticipatory),              # 达到, then the note
    ("ind-1553bf2151", "g2", "45", "天", PK.atMost, None),                                          # 控制在 … 以内
    ("ind-1196adb2fd", "g2", "2", "%", PK.atMost, PK.binding),                                      # 降至 …（约束性）
    ("ind-246306f780", "g2", "1.6", "倍", PK.atLeast, None),                                      # 达到 … 倍
])
def test_c_target_values_exact_triples(plan, slug, goal, value, unit, comparator, attribute):
    _, triples = plan
    v = iri(f"{DOC}/value/{slug}/target-2025")
    ind, g = NamedNode(ID + f"indicator/{slug}"), iri(f"{DOC}/p2/s2/{goal}")
    expected = {(RDF.type, PK.IndicatorValue), (RDF.type, QB.Observation), (QB.dataSet, iri(f"{DOC}/values")),
                (PK.indicator, ind), (PK.valueRole, PK.target), (PK.refYear, gyear(2025)),
                (PK.value, Literal(value, datatype=XSD.decimal)), (PK.unit, Literal(unit, language="zh")),
                (PK.comparator, comparator), (PK.statedIn, g), (PK.confidence, PK.verified),
                (PROV.wasDerivedFrom, NamedNode(ID + f"source/{DOC}/S1")), (PK.extractedBy, PK.targetValueRule),
                (PK.sourceLine, integer(23 if goal == "g1" else 24))}
    if attribute is not None:
        expected.add((PK.attribute, attribute))
    got = value_triples(triples, v)
    assert expected <= got
    assert {p for p, _ in got} - {p for p, _ in expected} <= {SKOS.prefLabel, RDFS_LABEL, PK.matchedText}
    assert (ind, PK.hasValue, v) in triples and (ind, PK.measures, g) in triples
    shared = not slug.startswith("ind-")
    assert ((ind, PK.unmatched, Literal("true", datatype=XSD.boolean)) in triples) is not shared


RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def test_c_matched_indicator_is_not_relabelled_and_unmatched_one_is_minted(plan):
    _, triples = plan
    shared = NamedNode(ID + "indicator/high-value-invention-patents-per-10k")
    assert not any(s == shared and p in (SKOS.prefLabel, RDF.type) for s, p, _ in triples)
    new = NamedNode(ID + "indicator/ind-1196adb2fd")
    assert {(new, RDF.type, PK.Indicator), (new, SKOS.prefLabel, Literal("商标恶意注册申请占比", language="zh")),
            (new, PK.extractedBy, PK.targetValueRule)} <= triples
    # its label's attestation carries the line and the mark (the node may be shared with another text)
    att = [s for s, p, o in triples if p == RDF.subject and o == new]
    assert len(att) == 1 and {(att[0], PK.sourceLine, integer(24)), (att[0], PK.confidence, PK.verified)} <= triples


def test_c_attribute_notes(plan):
    doc, _ = plan
    got = {t.name: t.attribute for t in doc.extraction.targets}
    assert got == {"每万人口高价值发明专利拥有量": "anticipatory", "海外发明专利授权量": "anticipatory",
                   "知识产权质押融资登记金额": "anticipatory", "知识产权保护社会满意度": "anticipatory",
                   "版权产业增加值占GDP比重": "anticipatory",  # （上述指标均为预期性指标）: every earlier target
                   "知识产权行政执法案件平均办结时限": None, "商标恶意注册申请占比": "binding",  # （约束性）: that one only
                   "专利密集型产业增加值增长倍数": None}


def test_c_a_number_that_cannot_be_placed_is_a_warning_not_a_value(corpus_store):
    report = ingest_document(corpus_store, PLAN, Iris(), OPTIONS, dry_run=True)
    assert f"{PLAN}:24: cannot place the number 300家" in "\n".join(report.warnings)
    assert not any(t["value"] == "300" for t in report.targets)
    assert [w for w in report.warnings if "matches no shared indicator" in w] == [
        f"{PLAN}:24: indicator name '{n}' matches no shared indicator: minted unmatched indicator {s}"
        for n, s in (("知识产权行政执法案件平均办结时限", "ind-1553bf2151"), ("商标恶意注册申请占比", "ind-1196adb2fd"),
                     ("专利密集型产业增加值增长倍数", "ind-246306f780"))]


def test_c_more_verbs_units_and_chinese_numerals(tmp_path):
    text = tmp_path / "small.txt"
    text.write_text("澄州市知识产权工作要点（2021—2025年）\n一、工作目标\n"
                    "　　到2024年，专利侵权案件结案率不少于百分之九十五，商标审查周期低于4个月，"
                    "全市每万人口发明专利拥有量提升至18．5件，专利代理机构数量下降到１２０家，商标异议平均时长不超过6天。\n",
                    encoding="utf-8")
    doc = parse_file(text)
    got = [(t.name, t.comparator, str(t.value), t.unit) for t in doc.extraction.targets]
    assert got == [("专利侵权案件结案率", "atLeast", "95", "%"),  # 不少于 百分之九十五
                   ("商标审查周期", "lessThan", "4", "个月"),
                   ("每万人口发明专利拥有量", "atLeast", "18.5", "件"),  # 全市 dropped; full-width digits read
                   ("专利代理机构数量", "atMost", "120", "家"),
                   ("商标异议平均时长", "atMost", "6", "天")]
    assert doc.meta.period[:2] == (2021, 2025) and doc.extraction.warnings == []


# -- d. references -----------------------------------------------------------------------------------------------

def test_d_references_matched_and_unmatched(plan):
    doc, triples = plan
    d = iri(DOC)
    outline, national = iri("outline-2021-2035"), iri("national-14th-fyp-2021-2025")
    assert {(d, PK.implements, outline), (d, PK.supports, outline),  # 为全面贯彻落实《知识产权强国建设纲要（2021—2035年）》
            (d, PK.basedOn, national), (d, ELI.based_on, national)} <= triples  # 根据《…纲要》…，制定本规划
    works = {o for s, p, o in triples if s == d and p == DCTERMS.references}
    titles = {str(o.value) for w in works for s, p, o in triples if s == w and p == DCTERMS.title}
    assert titles == {"澜江省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "澜江省知识产权质押融资风险补偿办法"}
    for w in works:
        assert (w, RDF.type, DCTERMS.BibliographicResource) in triples
        assert not any(s == w and o == PK.PolicyDocument for s, _, o in triples)  # no document invented
    # its own title (in the circular) is not a reference
    assert [(r.title, r.kind, r.line) for r in doc.extraction.references] == [
        ("知识产权强国建设纲要（2021—2035年）", "implements", 13),
        ("中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要", "basedOn", 13),
        ("澜江省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "basedOn", 13),
        ("澜江省知识产权质押融资风险补偿办法", "references", 35),  # 依据《…》 with no 制定: a mention
    ]
    att = [s for s, p, o in triples if p == RDF.subject and o == d and (s, RDF.predicate, PK.basedOn) in triples]
    assert len(att) == 1
    assert {(att[0], PK.extractedBy, PK.basedOnRule), (att[0], PK.sourceLine, integer(13)),
            (att[0], PK.confidence, PK.verified), (att[0], RDF.object, national)} <= triples


def test_normalise():
    assert normalise("知识产权强国建设纲要（2021—2035年）") == normalise("知识产权强国建设纲要（2021－2035年）")
    assert normalise("每万人口 高价值 发明专利拥有量") == normalise("每万人口高价值发明专利拥有量")
    assert normalise("版权产业的增加值占ＧＤＰ比重") == normalise("版权产业增加值占GDP比重")


# -- bad input ---------------------------------------------------------------------------------------------------

def test_bad_input_each_a_warning_naming_file_and_line(tmp_path):
    store = open_store(tmp_path / "store")
    build(store)
    # a second shared indicator under the same name as an existing one, as another curated document could state
    g = NamedNode("https://w3id.org/plankg/graph/other")
    twin = NamedNode(ID + "indicator/other-high-value-patents")
    store.replace_graphs({g.value: [Quad(twin, RDF.type, PK.Indicator, g),
                                    Quad(twin, SKOS.prefLabel, Literal("每万人口高价值发明专利拥有量", language="zh"), g)]})
    before = store.export("nquads")
    report = ingest_document(store, BAD, Iris(), {}, dry_run=True)
    assert store.export("nquads") == before
    w = report.warnings
    assert len(w) == 4, w
    assert w[0].startswith(f"{BAD}:3: a 《 that never closes")
    assert w[1] == f"{BAD}:6: two numbers for one name 知识产权运营交易额: 10亿元 and 12亿元; neither is recorded"
    assert w[2].startswith(f"{BAD}:6: indicator name '每万人口高价值发明专利拥有量' matches 2 shared indicators")
    assert w[3].startswith(f"{BAD}:7: goal year 2019 is outside the document's period 2021–2025")
    assert report.references == []  # nothing read from the unclosed title
    assert [(t["name"], t["indicator"]) for t in report.targets] == [("每万人口高价值发明专利拥有量", None)]  # tied to neither


def test_resolve_by_the_end_of_a_name():
    doc = parse_file(PLAN, OPTIONS)
    cat = Catalogue()
    cat.add_indicator("urn:x:a", "高价值发明专利拥有量")
    cat.add_indicator("urn:x:b", "每万人口高价值发明专利拥有量")
    resolve(doc.extraction, cat)
    t = next(t for t in doc.extraction.targets if t.name == "每万人口高价值发明专利拥有量")
    assert t.indicator == "urn:x:b"  # the exact name wins over a shorter one that ends it


# -- f. the command ----------------------------------------------------------------------------------------------

def test_f_cli_summary_dry_run_and_ingest(cli, fresh_store):
    before = cli("export", "--store", fresh_store).stdout_bytes
    r = cli("ingest", PLAN, "--id", DOC, "--mark", "verified", "--dry-run", "--store", fresh_store)
    assert r.exit_code == 0, r.output
    assert cli("export", "--store", fresh_store).stdout_bytes == before  # byte-identical
    out = r.stderr
    for line in ("(dry run: the store is unchanged)", "structure: 4 parts, 6 sections, 3 items",
                 "tasks: 6 (4 lead phrases, 2 numbered items)", "goals: 3",
                 "target values: 8 (5 matched to shared indicators, 3 unmatched)",
                 "references: 4 (2 matched, 2 unmatched)", "warnings: 4",
                 f"warning: {PLAN}:24: cannot place the number 300家"):
        assert line in out, out
    r = cli("ingest", PLAN, "--id", DOC, "--mark", "verified", "--store", fresh_store)
    assert r.exit_code == 0 and f"ingested {DOC}" in r.stderr
    q = """PREFIX pk: <https://w3id.org/plankg/ontology#>
SELECT DISTINCT ?goal ?year ?name ?value ?unit ?comparator ?rule WHERE {
  ?v pk:statedIn ?goal ; pk:refYear ?year ; pk:value ?value ; pk:comparator ?comparator ; pk:extractedBy ?rule ;
     pk:indicator ?i . ?goal pk:inDocument <https://w3id.org/plankg/id/lanjiang-ip-2021-2025> .
  OPTIONAL { ?v pk:unit ?unit } ?i <http://www.w3.org/2004/02/skos/core#prefLabel> ?name FILTER(lang(?name) = "zh")
} ORDER BY ?goal ?name"""
    rows = json.loads(cli("sparql", q, "-f", "json", "--store", fresh_store).stdout)
    assert len(rows) == 8 and {r["rule"] for r in rows} == {PK.targetValueRule.value}
    assert {(r["name"], Decimal(str(r["value"])), r["unit"]) for r in rows} >= {("每万人口高价值发明专利拥有量", Decimal("9.5"), "件")}
    r = cli("query", "goal-indicators", "-p", f"goal={DOC}/p2/s2/g1", "-f", "json", "--store", fresh_store)
    assert len(json.loads(r.stdout)) == 5
    r = cli("validate", "--store", fresh_store)  # SHACL and HermiT, with the extracted facts in
    assert r.exit_code == 0 and "SHACL: conforms" in r.stderr and "OWL (HermiT): consistent" in r.stderr, r.stderr


def test_failed_ingest_leaves_store_byte_identical(cli, fresh_store, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(PLAN.read_text(encoding="utf-8").replace("（四）促进知识产权转化运用", "（五）促进知识产权转化运用"), encoding="utf-8")
    before = cli("export", "--store", fresh_store).stdout_bytes
    r = cli("ingest", bad, "--store", fresh_store)
    assert r.exit_code == 1 and f"{bad}:33:" in r.stderr
    assert cli("export", "--store", fresh_store).stdout_bytes == before


def test_corpus_files_are_not_extracted_and_ingest_is_deterministic():
    assert parse_file(Path(__file__).parents[1] / "corpus" / "documents" / "plan-2021-2025.md").extraction is None
    a = sorted(str(q) for q in document_quads(parse_file(PLAN, OPTIONS), Iris()))
    b = sorted(str(q) for q in document_quads(parse_file(PLAN, OPTIONS), Iris()))
    assert a == b


def test_bold_lead_phrases_headline_title_and_a_unit_that_differs(tmp_path, corpus_store):
    text = tmp_path / "reprint.md"
    text.write_text("澜江省人民政府印发《澜江省专利转化运用专项行动方案（2024—2026年）》\n\n"
                    "## 一、工作目标\n\n到2026年，海外发明专利授权量达到2000件。\n\n"
                    "## 二、重点任务\n\n### （一）盘活存量专利\n\n"
                    "**梳理高校院所存量专利。**建立存量专利台账，分类推进转化，提高转化效率。\n", encoding="utf-8")
    report = ingest_document(corpus_store, text, Iris(), {"doc_id": "reprint-test"}, dry_run=True)
    doc = parse_file(text, {"doc_id": "reprint-test"})
    assert doc.meta.title_zh.value == "澜江省专利转化运用专项行动方案（2024—2026年）"  # from the headline's 《》
    assert report.tasks == [("p2/s1/l1", "梳理高校院所存量专利", "leadPhraseRule")]  # a bold lead, typed a task
    assert report.targets[0]["indicator"] == ID + "indicator/overseas-invention-patent-grants"
    assert report.warnings == [f"{text}:5: the unit 件 of 海外发明专利授权量 2000件 differs from the shared indicator's (万件); "
                               "recorded as printed, not converted"]


def test_an_empty_store_matches_against_the_bundled_corpus(tmp_path):
    store = open_store(tmp_path / "empty")
    report = ingest_document(store, PLAN, Iris(), OPTIONS, dry_run=True)
    assert report.matched_against and "bundled corpus" in report.lines()[2]
    assert sum(1 for t in report.targets if t["indicator"]) == 5
    assert not (tmp_path / "empty").exists()  # a dry run writes nothing, not even an empty store


def test_goal_bullets_state_targets_of_the_passage_before_them(tmp_path, corpus_store):
    text = tmp_path / "bullets.txt"
    text.write_text("澜江省知识产权保护工作方案（2023—2025年）\n一、工作目标\n"
                    "　　到2025年，全省知识产权保护水平明显提升。具体目标是：\n"
                    "　　——保护更加严格。知识产权保护社会满意度达到83分。\n"
                    "　　——运用更加高效。知识产权质押融资登记金额超过150亿元（预期性）。\n", encoding="utf-8")
    report = ingest_document(corpus_store, text, Iris(), {"doc_id": "bullets-test"}, dry_run=True)
    assert [(t["goal"], t["year"], t["name"], t["value"], t["unit"], t["attribute"]) for t in report.targets] == [
        ("p1/b1", 2025, "知识产权保护社会满意度", "83", "分", None),
        ("p1/b2", 2025, "知识产权质押融资登记金额", "150", "亿元", "anticipatory")]
    assert all(t["indicator"] for t in report.targets) and report.warnings == []
    doc = parse_file(text, {"doc_id": "bullets-test"})
    resolve(doc.extraction, catalogue_from_store(corpus_store))
    quads = document_quads(doc, Iris())
    v = iri("bullets-test/value/ip-protection-satisfaction/target-2025")
    assert Quad(v, PK.statedIn, iri("bullets-test/p1/b1"), NamedNode("https://w3id.org/plankg/graph/bullets-test")) in quads


def test_a_figure_in_the_table_and_in_the_prose(tmp_path, corpus_store):
    text = tmp_path / "table.txt"
    text.write_text("澜江省知识产权发展规划（2021—2025年）\n一、发展目标\n"
                    "　　到2025年，每万人口高价值发明专利拥有量达到9件，海外发明专利授权量达到0.5万件。\n"
                    "表1 主要指标\n| 指标 | 单位 | 2020年 | 2025年 | 属性 |\n| --- | --- | --- | --- | --- |\n"
                    "| 每万人口高价值发明专利拥有量 | 件 | 5 | 9 | 预期性 |\n| 海外发明专利授权量 | 万件 | 0.3 | 0.6 | 预期性 |\n",
                    encoding="utf-8")
    doc = parse_file(text, {"doc_id": "table-test"})
    resolve(doc.extraction, catalogue_from_store(corpus_store), lambda: {Iris().indicator(r.slug): r.name_zh for r in doc.tables[0].rows})
    assert [r.slug for r in doc.tables[0].rows] == ["high-value-invention-patents-per-10k", "overseas-invention-patent-grants"]
    quads = document_quads(doc, Iris())
    values = {(q.subject.value, q.object.value) for q in quads if q.predicate == PK.value and "target" in q.subject.value}
    # the same figure twice is one value; a different one keeps the table's and says so
    assert len(values) == 2 and {v for _, v in values} == {"9", "0.6"}
    assert doc.extraction.warnings == [f"{text}:3: a second 2025 target for 海外发明专利授权量 (0.5万件; first on line 8, 0.6); not recorded"]


def test_box_items_are_projects_and_tupo_is_more_than(tmp_path):
    text = tmp_path / "box.txt"
    text.write_text("澜江省商标品牌建设规划（2021—2025年）\n一、发展目标\n"
                    "　　到2025年，全省地理标志产品产值突破500亿元。\n二、重点任务\n（一）培育商标品牌\n"
                    "专栏1 商标品牌培育工程\n1.区域品牌提升行动。每年遴选一批区域品牌，给予培育支持。\n", encoding="utf-8")
    doc = parse_file(text)
    by_path = {n.path: n for n in doc.nodes()}
    item = next(n for n in doc.nodes() if n.level == "item")
    assert item.parent.level == "box" and item.roles == ["project"] and item.extracted_roles == {"project": "numberedItemRule"}
    quads = {(q.subject, q.predicate, q.object) for q in document_quads(doc, Iris())}
    assert {(iri(f"box/{item.path}"), RDF.type, PK.Project), (iri(f"box/{item.path}"), RDF.type, PK.Task)} <= quads
    assert [(t.name, t.comparator, str(t.value), t.unit) for t in doc.extraction.targets] == [
        ("地理标志产品产值", "greaterThan", "500", "亿元")]
    assert by_path["p1/g1"].year == 2025


def test_a_goal_year_in_chinese_numerals_and_a_sentence_inside_a_paragraph(tmp_path):
    text = tmp_path / "years.txt"
    text.write_text("澜江省版权工作规划（2021—2030年）\n一、发展目标\n"
                    "　　总体上看，版权工作基础不断夯实。到二〇三〇年，版权产业增加值占GDP比重达到8%。\n", encoding="utf-8")
    doc = parse_file(text)
    assert [(g.path, g.year, g.title_zh) for g in doc.extraction.goals] == [("p1/g1", 2030, "到二〇三〇年，版权产业增加值占GDP比重达到8%")]
    assert [(t.name, t.year, str(t.value)) for t in doc.extraction.targets] == [("版权产业增加值占GDP比重", 2030, "8")]
    assert doc.extraction.warnings == []  # 2030 is inside 2021—2030
