"""Citations checked sentence by sentence against what each block says."""

from __future__ import annotations

import pytest
from answer_fakes import FIRST_LOAN, JAN_TARGET, JUL_TARGET, TARGETS

from answer import citations as C
from answer.attribution import attribute, uncited
from answer.context import Block


def blocks(*articles) -> list[Block]:
    return [Block(i + 1, a, (a.text,)) for i, a in enumerate(articles)]


@pytest.mark.parametrize(
    ("raw", "fixed", "removed"),
    [
        # right block: left exactly as written
        (
            "发挥“首贷”政策作用，支持无贷企业获得首次贷款。[2]",
            "发挥“首贷”政策作用，支持无贷企业获得首次贷款。[2]",
            0,
        ),
        # wrong block: moved to the one that says it, and counted
        (
            "发挥“首贷”政策作用，支持无贷企业获得首次贷款[1]。",
            "发挥“首贷”政策作用，支持无贷企业获得首次贷款[2]。",
            1,
        ),
        # no marker: the block that says it is cited
        ("支持无贷企业获得首次贷款。", "支持无贷企业获得首次贷款[2]。", 0),
        # markers alone are not a sentence
        ("支持无贷企业获得首次贷款[2]。[1]、[2]", "支持无贷企业获得首次贷款[2]。", 2),
        # said nowhere: the marker goes, nothing is added
        ("所有企业均可获得人才公寓[1]。", "所有企业均可获得人才公寓。", 1),
    ],
)
def test_attribute(raw: str, fixed: str, removed: int) -> None:
    assert attribute(raw, blocks(TARGETS, FIRST_LOAN)) == (fixed, removed)


def test_figure_decides_between_two_blocks_that_use_the_same_words() -> None:
    # both blocks talk about 科技型中小企业评价入库; only [1] says 15000家
    text, removed = attribute("科技型中小企业每年评价入库15000家[2]。", blocks(JAN_TARGET, JUL_TARGET))
    assert (text, removed) == ("科技型中小企业每年评价入库15000家[1]。", 1)


def test_wrong_figure_keeps_its_citation_and_is_flagged() -> None:
    text, _ = attribute("科技型中小企业每年评价入库16000家[1]。", blocks(JAN_TARGET, JUL_TARGET))
    assert text == "科技型中小企业每年评价入库16000家[1]。"
    assert [f.missing for f in C.check_figures(text, blocks(JAN_TARGET, JUL_TARGET))] == [("16000",)]


def test_number_said_about_something_else_does_not_count() -> None:
    # TARGETS has 10000 for 户数 and for 亿元; "10000家" of something else is not there
    flags = C.check_figures("高新技术企业达10000家[1]。", blocks(TARGETS))
    assert [f.missing for f in flags] == [("10000",)]


def test_uncited_content_is_flagged_connectives_are_not() -> None:
    flags = uncited("具体如下：\n支持无贷企业获得首次贷款[2]。\n此外企业还可以申请人才公寓补贴。")
    assert [(f.sentence, f.missing) for f in flags] == [("此外企业还可以申请人才公寓补贴。", ("无出处",))]
