"""Citation markers and the figure check: what makes an answer checkable."""

from __future__ import annotations

import pytest
from answer_fakes import DRAFT_LOAN, FIRST_LOAN, TARGETS

from answer import citations as C
from answer.context import Block


def blocks(*articles) -> list[Block]:
    return [Block(i + 1, a, (a.text,)) for i, a in enumerate(articles)]


@pytest.mark.parametrize(
    ("raw", "n", "text", "invalid"),
    [
        ("首贷[1]。", 2, "首贷[1]。", 0),
        ("首贷[1][2]。", 2, "首贷[1][2]。", 0),
        ("首贷[1,2]。", 2, "首贷[1][2]。", 0),
        ("首贷[1，2]。", 2, "首贷[1][2]。", 0),
        ("首贷[1、2]。", 2, "首贷[1][2]。", 0),
        ("首贷【1】。", 2, "首贷[1]。", 0),
        ("首贷［２］。", 2, "首贷[2]。", 0),  # full-width brackets and digit
        ("首贷[ 1 ]。", 2, "首贷[1]。", 0),
        ("首贷[1-3]。", 3, "首贷[1][2][3]。", 0),
        ("首贷[1][1]。", 2, "首贷[1]。", 0),
        ("首贷[3]。", 2, "首贷。", 1),  # points nowhere: removed and counted
        ("首贷[0]。", 2, "首贷。", 1),
        ("首贷[1,7]【9】。", 2, "首贷[1]。", 2),
        ("贷款期限最长5年。", 2, "贷款期限最长5年。", 0),  # no markers at all
    ],
)
def test_markers_normalised_and_invalid_counted(raw: str, n: int, text: str, invalid: int) -> None:
    assert C.normalize_markers(raw, n) == (text, invalid)


def test_cited_in_first_use_order() -> None:
    assert C.cited("甲[2]。乙[1][2]。丙。") == [2, 1]


def test_sentences_keep_markers_placed_after_the_full_stop() -> None:
    assert C.answer_sentences("甲[1]。乙。[2]\n- 丙") == ["甲[1]。", "乙。[2]", "- 丙"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("到 2025 年末，融资规模超 10000 亿元[1]。", ["2025", "10000亿元"]),
        ("占比５５％。", ["55%"]),  # full-width digits and percent sign
        ("提高不超过3个百分点。", ["3个百分点"]),
        ("共 10,000 户。", ["10000"]),
        ("发挥“首贷”政策作用。", ["首贷"]),
        ("1. 发挥“信保贷”政策作用。", ["信保贷"]),  # list numbering is not a figure
        ("《苏州市金融支持产业创新集群发展的工作意见》", ["苏州市金融支持产业创新集群发展的工作意见"]),
        ("支持无贷企业获得首次贷款。", []),
    ],
)
def test_figures_extracted(sentence: str, expected: list[str]) -> None:
    assert C.figures(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "到2025年末，累计融资规模超10000亿元[1]。",  # PDF text had "10000 亿元" with a space
        "融资户数超10,000户[1]。",
        "根据苏府办〔2022〕71号[2]，发挥“首贷”政策作用[2]。",  # 文号 is in the label
        "该文件于2022年5月10日印发[2]。",  # the date is in the block header, not the text
        "该文件于2022-05-10印发[2]。",
    ],
)
def test_figures_found_in_cited_article_pass(sentence: str) -> None:
    assert C.check_figures(sentence, blocks(TARGETS, FIRST_LOAN)) == []


@pytest.mark.parametrize(
    ("sentence", "missing"),
    [
        ("累计融资规模超1000亿元[1]。", ("1000亿元",)),  # 1000 is inside 10000: not the same figure
        ("累计融资规模超10000万元[1]。", ("10000万元",)),  # right number, wrong unit
        ("到2026年末融资户数超10000户[1]。", ("2026",)),
        ("发挥“苏科贷”政策作用[2]。", ("苏科贷",)),  # programme name not in the cited article
        ("首贷贴息比例不低于50%[2]。", ("50%",)),  # true of block 3 (the draft), not of the cited [2]
    ],
)
def test_figures_missing_from_cited_article_flag_the_sentence(sentence: str, missing: tuple) -> None:
    flags = C.check_figures(sentence, blocks(TARGETS, FIRST_LOAN, DRAFT_LOAN))
    assert [f.missing for f in flags] == [missing]
    assert flags[0].sentence == sentence


def test_sentence_without_marker_checked_against_all_cited_articles() -> None:
    text = "融资规模超10000亿元[1]。其中户数超10000户。另有贴息50%。"
    flags = C.check_figures(text, blocks(TARGETS, FIRST_LOAN, DRAFT_LOAN))
    assert [f.sentence for f in flags] == ["另有贴息50%。"]  # block 3 is not cited by the answer


def test_mark_unsupported_makes_the_flag_visible() -> None:
    text = "融资规模超1000亿元[1]。户数超10000户[1]。"
    flags = C.check_figures(text, blocks(TARGETS))
    marked = C.mark_unsupported(text, flags)
    assert marked == "融资规模超1000亿元[1]。〔未核实：1000亿元〕户数超10000户[1]。"
