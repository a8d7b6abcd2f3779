"""Conditions read per clause at ingest (ingest/conditions.py): seed clauses and clauses of
regulations from other places and of other kinds (tests/fixtures/matcher/laws/, copied from the
shared law library), each expectation read off the clause."""

from __future__ import annotations

import pytest

from ingest.conditions import clause_facts, conditions_for, department, spans, stages_of, targets
from ingest.record import Article, DocMeta


def facts(clause: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, value in clause_facts(clause):
        out.setdefault(kind, []).append(value)
    return out


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # seeds
        ("发挥“信保贷”政策作用，支持轻资产企业获得信用贷款", {"who": ["轻资产企业"], "product": ["信保贷"]}),
        ("发挥“投贷联动”政策作用，支持初创期企业优化融资结构", {"stage": ["初创期"]}),
        (
            "省财政对符合条件的科技创新企业首贷、科技服务业企业贷款和领军企业贷款予以贴息",
            {
                "who": ["领军企业|科技服务业企业|科技型企业·首贷"],
                "unstated": ["符合条件的"],
                "dept": ["省财政"],
            },
        ),
        (
            "对于试点支持对象投保“江苏科创保”且由条款清单内的保险条款所产生的保费予以财政资金补贴，重点支持人工智能、量子科技",
            {"prereq": ["属于试点支持对象"], "industry": ["电子信息|未来产业"]},
        ),
        (
            "引导投资机构按照“投贷同步”方式，在苏南自创区对获得“苏科贷”支持的优质科技型企业进行股权投资",
            {"by": ["institution"], "zone": ["苏南自创区"], "prereq": ["已获得“苏科贷”等贷款支持"]},
        ),
        # other places, other kinds of text
        (
            "县级以上人民政府应当在本级财政预算中安排扶持中小企业发展专项资金，用于促进中小企业信用担保等服务体系建设、中小企业贴息",
            {"measure": ["贴息"], "who": ["中小企业"], "dept": ["县级以上人民政府"]},
        ),
        (
            "市、区县人民政府可以对投保企业给予保费补助",
            {"measure": ["保费补贴、奖补"], "prereq": ["已投保相关保险"]},
        ),
        (
            "对铅蓄电池、电镀、化工等行业企业投保环境污染责任保险的，给予保费补助",
            {"sector": ["铅蓄电池|电镀|化工"], "prereq": ["已投保相关保险"]},
        ),
        (
            "对引进的符合条件的人才，由政府有关部门依照规定给予补助或者资助",
            {"who": ["人才（个人）"], "dept": ["政府有关部门"]},
        ),
        ("金融机构应当根据国家信贷政策，调整信贷结构，提高对中小企业的贷款比例", {"by": ["institution"]}),
    ],
)
def test_clause_conditions(clause, expected):
    found = facts(clause)
    for kind, values in expected.items():
        assert found.get(kind) == values, (kind, found)


@pytest.mark.parametrize(
    "clause",
    [
        "省财政对投资江苏企业成效显著的AIC给予奖补",  # money to a fund, not a company
        "小微型科技型企业不良贷款容忍度可较各项贷款不良率提高不超过3个百分点",  # a bank's staff rule
        "鼓励金融机构加快引进培养既懂制造业又懂金融的复合型人才",  # a bank's own staff
        "对直接负责的主管人员和其他直接责任人员处五千元以上五万元以下罚款",  # a penalty
        "支持铅蓄电池、电镀、化工、纺织染整、制革、造纸等行业企业,投保环境污染责任保险",  # an exhortation
        "任何单位和个人不得明知有前款所列情形，为其提供制造、销售、使用、展示、广告及其他便利条件",  # a ban
        "旅游发展专项资金应当重点用于乡村旅游发展",  # a fund with no recipient named
    ],
)
def test_clauses_offering_nothing(clause):
    assert "measure" not in facts(clause)


def test_amounts_are_terms_not_targets():
    assert facts("支持银行机构适当延长流动资金贷款期限，最长可达到5年")["amount"] == ["最长可达到5年"]
    assert "amount" not in facts("到2025年，累计培育科技型中小企业15000家以上")


def test_targets_are_not_double_counted():
    assert targets("支持科技型中小企业通过集合债形式融资") == ["科技型中小企业"]  # not also 中小企业
    assert targets("引导担保机构支持中小微企业设备更新") == ["中小企业"]
    assert stages_of("形成覆盖企业种子期、初创期、成长期、成熟期等全生命周期的股权投资体系") == []


def test_department_needs_a_giving_verb():
    assert department("支持银行机构延长贷款期限") == ""
    assert (
        department("财政部门对融资担保机构开展的符合条件的小微企业融资担保业务，按规定给予奖补") == "财政部门"
    )


def test_tags_point_at_their_clause():
    text = "加强激励。发挥“首贷”政策作用，支持无贷企业获得首次贷款。符合政策条件的，按照《关于推进苏州金融业高质量发展的若干措施》（苏府〔2021〕53号）落实相关奖励政策。"
    a = Article("c", DocMeta("d", "f", "某意见"), "article", (), ("8",), "加强激励", text)
    tags = conditions_for(a)
    for tag in tags:
        _, span, kind, value = tag.split(":", 3)
        start, end = map(int, span.split("-"))
        assert (start, end) in spans(text)
    assert "cl:5-28:who:无贷企业" in tags
    assert any(
        t.endswith(":ref:《关于推进苏州金融业高质量发展的若干措施》（苏府〔2021〕53号）") for t in tags
    )
    assert conditions_for(a.__class__("c", a.doc, "colophon", (), (), "", text)) == ()


def test_aims_offer_nothing():
    text = "二、总体目标。到2025年末，首贷户数、信用贷款比重稳步增长。"
    a = Article("c", DocMeta("d", "f", "某意见"), "section", (), ("二",), "总体目标", text)
    assert not any(":measure:" in t for t in conditions_for(a))
