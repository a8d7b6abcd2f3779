"""Named awkward cases of PDF-extracted Chinese text."""

from __future__ import annotations

import pytest

from ingest.clean import physical_lines, remove_cjk_spaces, to_halfwidth_alnum
from ingest.document import parse_document
from ingest.meta import iso_date, normalize_doc_number
from ingest.numbering import cn_to_int, int_to_cn, parse_marker


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("已经市政 府", "已经市政府"),  # space the extractor put inside a word
        ("金融 支持", "金融支持"),
        ("超 10000 户", "超10000户"),  # between digits and Chinese
        ("2022 年5 月10 日", "2022年5月10日"),
        ("“信保贷” 政策", "“信保贷”政策"),  # after a closing quote
        ("培育 S 基金领域", "培育 S 基金领域"),  # spaces around a Latin letter are kept
        ("创新型企业 and 人才", "创新型企业 and 人才"),  # English words keep their spaces
        ("QDLP、QFLP 等", "QDLP、QFLP 等"),
    ],
)
def test_remove_cjk_spaces(raw, clean):
    assert remove_cjk_spaces(raw) == clean


@pytest.mark.parametrize("line", ["— 8 —", "- 2 -", "—10—", "第 3 页", "第3页 共12页", "3/12"])
def test_page_markers_are_dropped(line):
    assert physical_lines(f"前文。\n{line}\n后文。") == ["前文。", "后文。"]


@pytest.mark.parametrize(
    "line,kept",
    [
        ("#### **四、重点举措**", "四、重点举措"),
        ("**1. 培育创新型领军企业。**坚持引进", "1. 培育创新型领军企业。坚持引进"),
        ("---", None),
        ("# 中共苏州市委文件", "中共苏州市委文件"),
    ],
)
def test_markdown_marks(line, kept):
    assert physical_lines(line) == ([kept] if kept else [])


def test_full_width_digits_become_ascii_but_punctuation_stays():
    assert to_halfwidth_alnum("第１２条，ＡＩＣ（１）") == "第12条，AIC（1）"


@pytest.mark.parametrize(
    "line,token",
    [
        ("一、指导思想", "一"),
        ("（十三）探索科技保险", "（十三）"),
        ("(四)加大资金投放力度。", "（四）"),  # half-width parentheses
        ("8．加强政策激励", "8"),
        ("1. 培育创新型领军企业", "1"),
        ("第三条 本办法", "第三条"),
        ("第一章 总则", "第一章"),
        ("（2）申请材料", "（2）"),
    ],
)
def test_markers(line, token):
    assert parse_marker(line).token == token


@pytest.mark.parametrize("line", ["2025年末，全市", "1.5倍以上", "10000户", "一般企业"])
def test_not_markers(line):
    assert parse_marker(line) is None


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 21, 99, 100, 105, 120])
def test_chinese_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


@pytest.mark.parametrize(
    "raw,number",
    [
        ("苏府办〔2022〕71 号", "苏府办〔2022〕71号"),
        ("苏府办[2022]71号", "苏府办〔2022〕71号"),
        ("苏科区成发（2026）65号", "苏科区成发〔2026〕65号"),
    ],
)
def test_doc_number_variants(raw, number):
    assert normalize_doc_number(raw) == number


def test_iso_date_with_spaces():
    assert iso_date("2022 年5 月10 日") == "2022-05-10"


def test_article_that_crosses_a_page_is_whole():
    raw = "关于测试的意见\n\n一、总则\n\n1．第一条内容在这一页结\n\n— 3 —\n\n束了。\n\n2．第二条。\n"
    arts = [a for a in parse_document(raw, "t.txt", "t") if a.kind == "article"]
    assert [a.text for a in arts] == ["1．第一条内容在这一页结束了。", "2．第二条。"]


def test_wrapped_line_starting_with_a_number_is_not_an_article():
    # "2." here continues a sentence; the sequence 1 -> 3 would be broken if it were taken
    raw = "关于测试的意见\n一、总则\n1．甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥\n2.5倍以内。\n2．第二条。\n"
    arts = [a for a in parse_document(raw, "t.txt", "t") if a.kind == "article"]
    assert [a.locator for a in arts] == ["一1.", "一2."]


def test_numbering_restarts_per_chapter_and_continues_across_chapters():
    restart = "关于甲的意见\n一、甲\n（一）子。\n（二）丑。\n二、乙\n（一）寅。\n"
    cont = "关于乙的意见\n一、甲\n（一）子。\n（二）丑。\n二、乙\n（三）寅。\n"
    assert [a.locator for a in parse_document(restart, "a", "a")] == ["一（一）", "一（二）", "二（一）"]
    assert [a.locator for a in parse_document(cont, "b", "b")] == ["一（一）", "一（二）", "二（三）"]


def test_no_numbered_structure_falls_back_to_flagged_paragraphs():
    raw = "关于某事的通告\n" + "\n".join(f"第{i}段的内容写在这里，这是一句完整的话。" * 8 for i in range(4))
    recs = parse_document(raw, "p.txt", "p")
    assert recs and all(r.kind == "paragraph" for r in recs)
    assert all("no_numbered_structure" in r.flags for r in recs)
    assert recs[0].locator == "第1段"


def test_tiao_structure():
    raw = "某某管理办法\n第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全市。\n第二章 附则\n第三条 本办法自发布之日起施行。\n"
    arts = [a for a in parse_document(raw, "m.txt", "m") if a.kind == "article"]
    assert [a.locator for a in arts] == ["第一条", "第二条", "第三条"]
    assert arts[0].heading == "为了规范管理，制定本办法"
