import pytest

from plankg.ingest.numbering import cn_to_int, int_to_cn, match_heading, split_heading


@pytest.mark.parametrize("numeral,value", [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十四", 24), ("九十九", 99)])
def test_chinese_numerals(numeral, value):
    assert cn_to_int(numeral) == value
    assert int_to_cn(value) == numeral


@pytest.mark.parametrize("line,level,ordinal,number,rest", [
    ("一、战略背景", "part", 1, "一、", "战略背景"),
    ("二十四、其他", "part", 24, "二十四、", "其他"),
    ("（二十四）加强考核评估", "section", 24, "（二十四）", "加强考核评估"),
    ("(三)半角括号", "section", 3, "（三）", "半角括号"),
    ("1. 半角点", "item", 1, "1.", "半角点"),
    ("２．全角数字", "item", 2, "2.", "全角数字"),
    ("3、顿号", "item", 3, "3.", "顿号"),
    ("（1）子项", "subitem", 1, "（1）", "子项"),
    ("(12)子项", "subitem", 12, "（12）", "子项"),
    ("——法治保障，严格保护", "bullet", None, "——", "法治保障，严格保护"),
    ("专栏3 知识产权保护工程", "box", 3, "专栏3", "知识产权保护工程"),
    ("专栏二：数据工程", "box", 2, "专栏2", "数据工程"),
])
def test_heading_levels(line, level, ordinal, number, rest):
    h = match_heading(line)
    assert (h.level, h.ordinal, h.number, h.rest) == (level, ordinal, number, rest)


@pytest.mark.parametrize("line", ["2020年数据", "1.5万亿元", "一是加强保护", "表彰先进", "正文段落。", ""])
def test_not_headings(line):
    assert match_heading(line) is None


def test_heading_that_opens_a_paragraph():
    assert split_heading("构建法律体系。完善法律法规。") == ("构建法律体系", "完善法律法规。")
    assert split_heading("培育市场：包括以下内容") == ("培育市场", "包括以下内容")
    assert split_heading("工作原则") == ("工作原则", "")
