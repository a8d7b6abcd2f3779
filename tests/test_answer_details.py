"""A question asking for a kind of detail is refused only when the best-matching sentences lack it,
and statutes give a "when" as a time limit and a rate as a multiple as often as a date or a %."""

from __future__ import annotations

import pytest

from answer.refusal import details_asked, missing_detail
from ingest.record import Article, DocMeta


def article(text: str) -> Article:
    return Article("c", DocMeta("d", "f", "条例"), "article", (), (), "", text)


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        (  # a deadline relative to an event answers "最晚什么时候"
            "摔伤了公司不给报工伤，我自己最晚什么时候去申请？",
            "用人单位未按规定提出申请的，工伤职工可以在事故伤害发生之日起1年内直接提出工伤认定申请。",
            "",
        ),
        ("商标快到期了，什么时候去续？", "商标注册人应当在期满前十二个月内按照规定办理续展手续。", ""),
        ("商标快到期了，什么时候去续？", "商标注册人应当按照规定办理续展手续。", "日期"),
        ("苏科贷的截止日期是什么时候？", "苏科贷申报截止日期为2025年12月31日。", ""),
        ("借钱的利率最高多少法院才认？", "超过合同成立时一年期贷款市场报价利率四倍的，不予支持。", ""),
        ("首贷贴息比例是多少？", "首贷予以贴息。", "比例"),
    ],
)
def test_the_detail_asked_is_found_in_the_forms_statutes_write_it(question, text, missing) -> None:
    assert missing_detail(question, [article(text)]) == missing


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("注册资本认缴了100万，最晚几年要实缴到位？", []),  # 注册资本 is the topic, 几年 the question
        ("设立科技支行需要多少注册资本？", ["金额"]),
        ("苏州创新投资集团的注册资本是多少？", ["金额"]),
    ],
)
def test_registered_capital_asks_an_amount_only_with_how_much(question, kinds) -> None:
    assert [k for k, _ in details_asked(question)] == kinds


# 《工伤保险条例》第八条 and 《浙江省工伤保险条例》第二十四条, as the library holds them.
RATE_RULE = (
    "第八条工伤保险费根据以支定收、收支平衡的原则，确定费率。国家根据不同行业的工伤风险程度确定行业的差别费率，"
    "并根据工伤保险费使用、工伤发生率等情况在每个行业内确定若干费率档次。"
)
MEAL_ALLOWANCE = (
    "第二十四条工伤职工住院进行治疗或者康复期间的伙食补助费，按照当地最低工资百分之三十五的标准，"
    "根据住院期间的实际天数计算确定。"
)


@pytest.mark.parametrize(
    ("question", "texts", "missing"),
    [
        # "百分之几" is how the question asks, not what it is about: the 35% of another article's
        # meal allowance does not make it a candidate answer for the insurance rate
        ("我们开餐馆的，工伤保险费率具体是百分之几？", [RATE_RULE, MEAL_ALLOWANCE], "比例"),
        (
            "我们开餐馆的，工伤保险费率具体是百分之几？",
            [RATE_RULE + "餐饮业工伤保险费率为百分之零点五。"],
            "",
        ),
        ("伙食补助费按最低工资的百分之几算？", [RATE_RULE, MEAL_ALLOWANCE], ""),
    ],
)
def test_sentences_are_ranked_by_the_topic_not_by_how_the_question_asks(question, texts, missing) -> None:
    assert missing_detail(question, [article(t) for t in texts]) == missing
