"""Full published texts (tests/fixtures/fulltext, see its README): structure, wrapper, encodings."""

from collections import Counter

import pytest

from plankg.ingest.emit import document_quads
from plankg.ingest.parser import parse_file
from plankg.iris import Iris

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

FT = FIXTURES / "fulltext"


def counts(doc):
    c = Counter(n.level for n in doc.nodes())
    return (c["part"], c["section"], c["item"], c["subitem"], c["bullet"], c["box"], sum(len(t.rows) for t in doc.tables))


@pytest.mark.parametrize("name,expected,numbering", [
    ("continuous.txt", (5, 12, 17, 5, 7, 2, 6), "continuous"),
    ("restart.md", (4, 10, 3, 0, 0, 0, 3), "restart"),
    ("with_front_matter.md", (4, 8, 2, 0, 3, 1, 3), "restart"),
    ("gbk.txt", (3, 5, 2, 0, 2, 0, 0), "restart"),
    ("bom.txt", (2, 3, 2, 0, 0, 0, 0), "single"),
    ("halfwidth.txt", (3, 6, 5, 2, 0, 0, 0), "continuous"),
])
def test_structure(name, expected, numbering):
    doc = parse_file(FT / name)
    assert counts(doc) == expected
    assert doc.numbering == numbering


def test_circular_wrapper_and_paragraph_headings():
    doc = parse_file(FT / "continuous.txt")
    m = doc.meta
    assert m.title_zh.value == "临江省数字经济发展“十四五”规划"
    assert m.doc_number.value == "临政发〔2022〕7号"
    assert str(m.date_signed.value) == "2022-03-15"
    assert [o.zh for o in m.issuers] == ["临江省人民政府"]
    assert m.doc_type == "FiveYearPlan"
    by_path = {n.path: n for n in doc.nodes()}
    s4 = by_path["p3/s4"]
    assert s4.title_zh == "加快数字基础设施建设" and s4.body  # opened a paragraph: the rest is body text
    assert by_path["p3/s5/i2"].title_zh == "培育规范的数据交易市场"
    assert [c.path for c in by_path["p3/s5/i2"].children] == ["p3/s5/i2/si1", "p3/s5/i2/si2", "p3/s5/i2/si3"]
    assert by_path["box1"].parent.path == "p3/s4" and by_path["box2"].parent.path == "p3/s7"
    assert [n.title_zh for n in doc.nodes() if "principle" in n.roles] == ["坚持创新引领", "坚持融合发展", "坚持数据赋能", "坚持安全可控"]
    assert "safeguard" in by_path["p5"].roles


def test_indicator_table_of_a_full_text():
    doc = parse_file(FT / "continuous.txt")
    rows = [(r.name_zh, r.unit, r.attribute, [(c.role, c.year, str(c.value)) for c in r.cells]) for t in doc.tables for r in t.rows]
    assert rows[0] == ("数字经济核心产业增加值占GDP比重", "%", "anticipatory", [("baseline", 2020, "7.2"), ("target", 2025, "10")])
    assert rows[3] == ("规模以上工业企业关键工序数控化率", "%", "anticipatory", [("baseline", 2019, "52.3"), ("target", 2025, "62")])
    assert rows[4][2] == "binding"
    assert doc.tables[0].node.parent.path == "p2/s3"


def test_markdown_reprint():
    doc = parse_file(FT / "restart.md")
    assert doc.meta.title_zh.value == "关于促进低空旅游高质量发展的指导意见"
    by_path = {n.path: n for n in doc.nodes()}
    assert by_path["p2/s1"].title_zh == "发展特色空中游览"
    assert [by_path[f"p2/s3/i{i}"].title_zh for i in (1, 2, 3)] == ["推动“低空+文化”融合", "推动“低空+体育”融合", "推动“低空+康养”融合"]
    rows = [(r.name_zh, r.unit, [(c.role, c.year, str(c.value)) for c in r.cells]) for r in doc.tables[0].rows]
    assert rows[0] == ("低空旅游飞行小时", "万小时", [("baseline", 2022, "4.5"), ("target", 2027, "12")])


def test_gbk_and_bom():
    gbk = parse_file(FT / "gbk.txt")
    assert gbk.encoding == "gb18030"
    assert gbk.meta.doc_number.value == "青政办发〔2023〕12号"
    assert [n.level for n in gbk.nodes() if n.path.startswith("p2/s2/")] == ["bullet", "bullet"]
    bom = parse_file(FT / "bom.txt")
    assert [n.title_zh for n in bom.nodes() if n.level == "part"] == ["工作目标", "主要任务"]


def test_front_matter_annotations():
    doc = parse_file(FT / "with_front_matter.md")
    by_path = {n.path: n for n in doc.nodes()}
    assert by_path["p1"].title_en == "Development foundations"
    assert by_path["p1"].prov.mark == "verified" and by_path["p1"].prov.sources == ("S1",)
    assert by_path["p4/s2"].prov.mark == "secondary"
    rows = {r.slug: r for r in doc.tables[0].rows}
    assert [c.role for c in rows["fixture-water-use-per-10k-gdp-reduction"].cells] == ["target"]


def test_reingest_gives_identical_iris():
    a = {str(q) for q in document_quads(parse_file(FT / "continuous.txt"), Iris())}
    b = {str(q) for q in document_quads(parse_file(FT / "continuous.txt"), Iris())}
    assert a == b
    other = {str(q) for q in document_quads(parse_file(FT / "continuous.txt"), Iris("http://example.org/kg/"))}
    assert any("<http://example.org/kg/id/continuous/p3/s4>" in q for q in other)
