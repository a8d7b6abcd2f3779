"""Different figures for the same target in a January and a July document."""

from __future__ import annotations

from answer_fakes import FIRST_LOAN, JAN_TARGET, JUL_TARGET, TARGETS

from answer.conflicts import find_conflicts, metric_key
from answer.context import Block


def blocks(*articles) -> list[Block]:
    return [Block(i + 1, a, (a.text,)) for i, a in enumerate(articles)]


def test_same_metric_different_figures_lists_both_with_document_and_date() -> None:
    [c] = find_conflicts(blocks(JAN_TARGET, JUL_TARGET), "科技型中小企业每年评价入库目标是多少家？")
    assert c.metric == "科技型中小企业评价入库"
    assert [(i.figure, i.article.doc.doc_number, i.article.doc.issue_date, i.n) for i in c.items] == [
        ("15000家", "苏委发〔2022〕1号", "2022-01-02", 1),
        ("28000家", "苏府办〔2022〕127号", "2022-07-05", 2),
    ]


def test_oldest_document_listed_first_whatever_the_block_order() -> None:
    [c] = find_conflicts(blocks(JUL_TARGET, JAN_TARGET), "科技型中小企业年度入库多少家？")
    assert [i.article.doc.issue_date for i in c.items] == ["2022-01-02", "2022-07-05"]


def test_annual_and_cumulative_targets_are_different_metrics() -> None:
    # 高新技术企业: "培育认定…20000家" (by 2025) vs "年度认定数达5000家" (per year): no conflict
    assert find_conflicts(blocks(JAN_TARGET, JUL_TARGET), "高新技术企业认定目标是多少？") == []


def test_metric_not_asked_about_is_not_reported() -> None:
    assert find_conflicts(blocks(JAN_TARGET, JUL_TARGET), "首贷有什么支持政策？") == []


def test_one_document_cannot_conflict_with_itself() -> None:
    assert find_conflicts(blocks(TARGETS, FIRST_LOAN), "融资规模目标是多少亿元？") == []


def test_metric_key_drops_words_that_do_not_change_what_is_counted() -> None:
    assert metric_key("累计引进领军人才（团队）") == "领军人才"
    assert metric_key("科技型中小企业年度评价入库达") == "科技型中小企业评价入库"
