"""Golden profiles -> checklist verdicts, on the real seed corpus and on regulations of other places.

Each expectation was written from the text, before looking at the matcher's output; the
clause that decides it is quoted next to it. `None` means the measure must not be listed
at all (neither in the checklist nor among the bank measures).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import settings
from ingest.pipeline import ingest_paths, load_corpus
from ingest.places import covers
from ingest.record import Article
from matcher import CHECK, MET, UNMET, Checklist, Profile, checklist

K65, K71, K1, K127, DRAFT = (
    "苏科区成发〔2026〕65号", "苏府办〔2022〕71号", "苏委发〔2022〕1号", "苏府办〔2022〕127号", "征求意见稿",
)  # fmt: skip
BANK = "配套"  # listed among 金融机构配套举措
LAWS = Path(__file__).parent / "fixtures" / "matcher" / "laws"


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return load_corpus(settings.load()).articles


@pytest.fixture(scope="module")
def laws() -> list[Article]:
    result = ingest_paths(sorted(LAWS.glob("*.md")), settings.load())
    assert not result.errors and len(result.files) == 5
    return result.articles


def key(article: Article) -> str:
    """'苏府办〔2022〕71号 四（三）8.' — or, for a regulation with no 文号, the title's first 6
    characters and the article: '湖州市绿色金 第十二条' (a chapter in the locator is dropped)."""
    doc = article.doc
    if doc.doc_number or doc.is_draft:
        return f"{doc.doc_number or doc.status} {article.locator}"
    return f"{doc.title[:6]} {re.sub(r'^第[一二三四五六七八九十百]+章', '', article.locator)}"


def verdicts(cl: Checklist) -> dict[str, str]:
    out = {key(i.article): i.verdict for i in cl.items}
    out.update({key(i.article): BANK for i in cl.institution})
    return out


def item(cl: Checklist, k: str):
    return next(i for i in cl.items + cl.institution if key(i.article) == k)


# ----------------------------------------------------------------- seeds: 10 profiles

NEWCOMER = Profile(  # the new user
    industry="电子信息", stage="初创期", certifications=("科技型中小企业",), size="小微",
    has_collateral=False, has_loan=False, needs=("贷款", "人才"), location="苏州工业园区",
)  # fmt: skip

SEED_CASES = {
    "newcomer": (
        NEWCOMER,
        {
            # 发挥“信保贷”政策作用，支持轻资产企业获得信用贷款。发挥“首贷”政策作用，支持无贷企业获得首次贷款。
            f"{K71} 四（三）8.": MET,
            # 省财政对符合条件的科技创新企业首贷…予以贴息 (a 科技型中小企业, never borrowed)
            f"{K65} 二（九）": MET,
            # 引导投资机构按照“投贷同步”方式…对获得“苏科贷”支持的优质科技型企业进行股权投资:
            # investors are told to invest (first written as 需核实 for want of a 苏科贷; it is the
            # investors' measure, and the fund of the article's first clause answers no loan need)
            f"{K65} 六（十七）": BANK,
            # 综合运用专项贷款贴息…推动企业智能化改造和数字化转型: a loan for 智改数转 only
            f"{K1} 四（四）12.": CHECK,
            # 对顶尖科技人才（团队）给予量身定制、上不封顶的特殊支持: not said to be one
            f"{K1} 四（二）4.": UNMET,
            # 育林计划: 瞪羚企业、独角兽培育企业、创新创业领军人才企业、专精特新“小巨人”企业
            f"{K71} 四（二）4.": UNMET,
            # 围绕…科技型中小企业…等市场主体，增加信用贷、首贷投放: banks told to lend (a draft)
            f"{DRAFT} 二（五）": BANK,
            # 尽职免责、不良贷款容忍度: a bank's staff rules, never a company's
            f"{K65} 二（八）": None,
            # 上市培育: no listing need, not a 领军企业
            f"{K65} 三（十）": None,
        },
    ),
    "little giant": (
        Profile(
            industry="装备制造",
            stage="成长期",
            certifications=("专精特新“小巨人”", "高新技术企业"),
            needs=("设备更新", "担保", "上市"),
            location="苏州市吴江区",
            size="中型",
        ),  # fmt: skip
        {
            # 实施“设备担”担保费补贴政策，引导担保机构支持中小微企业设备更新 (中型 is among 中小微)
            f"{K65} 五（十四）": MET,
            # 育林计划 names 专精特新“小巨人”企业
            f"{K71} 四（二）4.": MET,
            # 信保贷/首贷/投贷联动: no loan asked for
            f"{K71} 四（三）8.": None,
        },
    ),
    "nanjing biotech": (
        Profile(
            industry="生物医药",
            stage="成熟期",
            certifications=("高新技术企业",),
            needs=("保险", "债券"),
            location="南京市",
        ),  # fmt: skip
        {
            # 对于试点支持对象投保“江苏科创保”…的保费予以财政资金补贴: is it a 试点支持对象?
            f"{K65} 四（十三）": CHECK,
            # 鼓励企业发行…科技创新债券产品…，省财政予以贴息支持 (a Jiangsu company)
            f"{K65} 三（十一）": MET,
            # 支持产业创新集群企业发行创新创业债券…: a 苏州市 policy, the company is in 南京
            f"{K71} 四（二）5.": UNMET,
        },
    ),
    "mature borrower": (
        Profile(
            industry="其他",
            stage="成熟期",
            needs=("贷款",),
            has_collateral=True,
            has_loan=True,
            size="大型",
            location="苏州市姑苏区",
        ),  # fmt: skip
        {
            # 信保贷 for 轻资产企业, 首贷 for 无贷企业: it has collateral and has borrowed
            f"{K71} 四（三）8.": UNMET,
            # 苏科贷 for 科技型企业; 贴息 for 科技创新企业首贷/科技服务业企业/领军企业: no such status said
            f"{K65} 二（九）": CHECK,
            # 发挥小微企业数字征信实验区优势…帮助更多企业实现“首贷”突破: a 大型 company that has borrowed
            f"{K1} 四（六）18.": UNMET,
        },
    ),
    "seed stage vc": (
        Profile(industry="电子信息", stage="初创期", needs=("股权投资",), location="苏州市", size="小微"),
        {
            # 发挥“投贷联动”政策作用，支持初创期企业优化融资结构
            f"{K71} 四（三）8.": MET,
            # 支持苏州天使母基金…加快布局一批…初创期产业创新集群企业 (电子信息 is one of the four)
            f"{K71} 四（一）2.": MET,
            # 引导更多社会资本投向种子期、初创期科技型企业: no 科技型 status said
            f"{K65} 一（二）": CHECK,
            # 苏南自创区…天使投资引导基金…重点投向种子期、初创期科技企业: in the zone? 科技型?
            f"{K65} 六（十七）": CHECK,
        },
    ),
    "grown borrower": (
        Profile(
            industry="先进材料",
            stage="成长期",
            certifications=("高新技术企业",),
            needs=("贷款",),
            size="中型",
            has_collateral=True,
            has_loan=True,
            location="昆山市",
        ),  # fmt: skip
        {
            f"{K71} 四（三）8.": UNMET,  # 信保贷 for 轻资产企业, 首贷 for 无贷企业
            # 扩大“苏科贷”…规模和惠及面…支持科技型企业开展研发 (a 高新技术企业 is a 科技型企业)
            f"{K65} 二（九）": MET,
        },
    ),
    "nanjing first loan": (
        Profile(
            industry="电子信息",
            certifications=("科技型中小企业",),
            needs=("贷款",),
            has_loan=False,
            location="南京市",
        ),  # fmt: skip
        {
            f"{K71} 四（三）8.": UNMET,  # 苏州市's 首贷 policy; the company is in 南京
            f"{K65} 二（九）": MET,  # 江苏省: 省财政对…科技创新企业首贷…予以贴息
            f"{K1} 四（六）18.": UNMET,  # 苏州市
        },
    ),
    "hangzhou": (
        Profile(certifications=("科技型中小企业",), needs=("贷款",), has_loan=False, location="杭州市"),
        {f"{K65} 二（九）": UNMET, f"{K71} 四（三）8.": UNMET},  # Jiangsu and Suzhou policies only
    ),
    "talent founder": (
        Profile(
            industry="生物医药",
            certifications=("领军人才企业",),
            needs=("人才",),
            location="苏州工业园区",
        ),
        {
            # 育林计划 names 创新创业领军人才企业
            f"{K71} 四（二）4.": MET,
            # 优化高层次人才“一站式”服务中心功能: open to it (first written as 需核实 from the
            # 专门保障 clause alone, which asks for a national task: see test_talent_founder_task)
            f"{K1} 四（二）5.": MET,
        },
    ),
    "pilot insurer": (
        Profile(
            industry="电子信息",
            certifications=("科技型中小企业",),
            needs=("保险",),
            location="苏州工业园区",
            text="人工智能企业，已入选省政策性科技保险试点支持对象",
        ),  # fmt: skip
        # 对于试点支持对象投保“江苏科创保”…予以财政资金补贴，重点支持人工智能…
        {f"{K65} 四（十三）": MET},
    ),
}


@pytest.mark.parametrize("name", SEED_CASES)
def test_seed_profiles(corpus, name):
    profile, expected = SEED_CASES[name]
    found = verdicts(checklist(profile, corpus))
    for k, verdict in expected.items():
        assert found.get(k) == verdict, f"{name}: {k} is {found.get(k)}, expected {verdict}"


def test_talent_founder_task(corpus):
    cl = checklist(SEED_CASES["talent founder"][0], corpus)
    task = [c for c in item(cl, f"{K1} 四（二）5.").conditions if c.label.endswith("前提：承担国家攻关任务")]
    assert [c.verdict for c in task] == [CHECK]  # 对承担国家攻关任务的科技领军人才…


# ----------------------------------------------------------------- other documents: 5 profiles

HENAN_SME = Profile(size="小微", needs=("贷款",), location="河南省郑州市")
LAW_CASES = {
    # 第十条 …安排扶持中小企业发展专项资金，用于…中小企业贴息… (a 小微 company in 河南)
    "henan sme": (HENAN_SME, {"河南省实施《 第十条": MET}),
    # the same measure for a company in 苏州工业园区: another province's
    "henan sme in suzhou": (
        Profile(size="小微", needs=("贷款",), location="苏州工业园区"),
        {"河南省实施《 第十条": UNMET},
    ),
    # 第二十条 …将民营企业引进的高层次、高学历、高技能以及紧缺人才纳入政府人才政策体系，为其提供…支持
    "zhejiang private firm": (
        Profile(needs=("人才",), location="浙江省杭州市", text="民营企业"),
        {"浙江省民营企 第二十条": MET},
    ),
    # 第十二条 …市、区县人民政府可以对投保企业给予保费补助 (has it taken the insurance?)
    "huzhou insurer": (
        Profile(needs=("保险",), location="浙江省湖州市"),
        {"湖州市绿色金 第十二条": CHECK},
    ),
    "huzhou insured": (
        Profile(needs=("保险",), location="浙江省湖州市", text="化工企业，已投保环境污染责任保险"),
        {"湖州市绿色金 第十二条": MET},
    ),
    # 第二十二条 对引进的符合条件的人才，由政府有关部门依照规定给予补助或者资助 (which talent qualifies?)
    "ningbo talent": (
        Profile(needs=("人才",), location="浙江省宁波市"),
        {"宁波市科技创 第二十二条": CHECK},
    ),
}


@pytest.mark.parametrize("name", LAW_CASES)
def test_other_documents(laws, name):
    profile, expected = LAW_CASES[name]
    found = verdicts(checklist(profile, laws))
    for k, verdict in expected.items():
        assert found.get(k) == verdict, f"{name}: {k} is {found.get(k)}, expected {verdict}"


# ----------------------------------------------------------------- what each item says


def test_newcomer_summary_and_order(corpus):
    cl = checklist(NEWCOMER, corpus)
    assert cl.summary.startswith("可能适用 ") and "需核实" in cl.summary and "金融机构配套举措" in cl.summary
    order = [i.verdict for i in cl.items]
    assert order == sorted(order, key=[MET, CHECK, UNMET].index), "满足, then 需核实, then 不满足"
    met = cl.with_verdict(MET)
    assert len(met) == int(cl.summary.split("可能适用 ")[1].split(" 条")[0])
    # 信用贷/首贷 are never a reason by themselves: only the ticked needs and held certifications are
    assert all(r in ("需求：贷款", "需求：人才", "资质：科技型中小企业") for i in cl.items for r in i.reasons)


def test_conditions_quote_their_clause(corpus):
    it = item(checklist(NEWCOMER, corpus), f"{K71} 四（三）8.")
    by_label = {c.label.split("〕")[-1]: c for c in it.conditions}
    assert by_label["对象：轻资产企业"].text == "发挥“信保贷”政策作用，支持轻资产企业获得信用贷款"
    assert by_label["对象：无贷企业"].verdict == MET
    assert all(c.text in it.article.text or c.label.startswith("地区") for c in it.conditions)


def test_terms_stated_or_said_to_be_missing(corpus):
    cl = checklist(NEWCOMER, corpus)
    loan = item(cl, f"{K65} 二（九）")
    assert any(a.startswith("最长可达到5年") for a in loan.amounts)  # 流动资金贷款期限，最长可达到5年
    first_loan = item(cl, f"{K71} 四（三）8.")
    assert first_loan.amounts == ["文件未规定具体金额（以申报指南为准）"]
    assert all("未" in x for x in first_loan.materials + first_loan.times)


def test_contacts_are_the_units_named(corpus):
    cl = checklist(NEWCOMER, corpus)
    assert item(cl, f"{K65} 二（九）").contact == "江苏省财政厅（条文点名）"  # 省财政…予以贴息
    units = item(cl, f"{K71} 四（三）8.").contact  # 责任单位：市金融监管局、市财政局…
    assert units.startswith("苏州市金融监管局、苏州市财政局") and units.endswith("（责任单位）")
    for i in cl.items:
        assert "等8家" not in i.contact and "中国人民银行江苏省分行、中共江苏省委" not in i.contact
    sichuang = item(cl, f"{K65} 六（十七）").contact
    assert sichuang == "江苏省科学技术厅（牵头发文单位；本条未写明责任单位）"


def test_contacts_in_other_documents(laws):
    cl = checklist(HENAN_SME, laws)
    assert item(cl, "河南省实施《 第十条").contact == "河南省县级以上人民政府（条文未指明具体部门）"


def test_location_marks_other_regions(corpus):
    cl = checklist(Profile(needs=("债券",), location="南京市"), corpus)
    reason = [c for c in item(cl, f"{K71} 四（二）5.").conditions if c.verdict == UNMET]
    assert reason[0].note == "本条为苏州市政策，所在地“南京市”不在其范围内"


def test_a_city_of_another_province(laws):
    """杭州市 under a 浙江省 regulation: the place table (ingest.places) knows every division."""
    cl = checklist(Profile(needs=("人才",), location="杭州市", text="民营企业"), laws)
    region = [c for c in item(cl, "浙江省民营企 第二十条").conditions if c.label == "地区：浙江省"]
    assert [c.verdict for c in region] == [MET]
    ningbo = checklist(Profile(needs=("人才",), location="杭州市"), laws)
    assert verdicts(ningbo)["宁波市科技创 第二十二条"] == UNMET  # another city


def test_draft_needs_checking(corpus):
    cl = checklist(Profile(industry="装备制造", size="中型", needs=("贷款",), location="苏州市"), corpus)
    drafts = [i for i in cl.items + cl.institution if i.article.doc.is_draft]
    assert drafts and all(
        any(c.label == "文件状态" and c.verdict == CHECK for c in i.conditions) for i in drafts
    )


def test_empty_profile_matches_nothing(corpus):
    cl = checklist(Profile(), corpus)
    assert cl.items == [] and cl.institution == [] and cl.summary == "没有找到与所选情况对应的条款"


def test_json_shape(corpus):
    data = checklist(NEWCOMER, corpus).to_json()
    assert set(data) >= {"summary", "items"}
    first = data["items"][0]
    assert set(first) >= {"chunk_id", "label", "verdict", "conditions", "offers", "amounts", "contact"}
    assert first["verdict"] in (MET, CHECK, UNMET)
    assert all(set(c) >= {"text", "verdict", "label"} for c in first["conditions"])


def test_profile_derivations():
    p = Profile(
        industry="电子信息", age_years=2, has_collateral=False, has_loan=False, size="小微", needs=("贷款",)
    )
    assert p.effective_stage == "初创期"
    assert {"轻资产企业", "无贷企业", "小微企业", "制造业中小企业"} <= p.targets
    assert Profile(age_years=12).effective_stage == ""
    assert Profile(stage="成熟期", age_years=1).effective_stage == "成熟期"
    q = Profile.from_dict(
        {"years": 3, "has_borrowed": True, "certifications": ["高新技术企业", "x"], "size": "巨"}
    )
    assert (q.age_years, q.has_loan, q.certifications, q.size) == (3.0, True, ("高新技术企业",), "")


@pytest.mark.parametrize(
    ("region", "location", "expected"),
    [
        ("江苏省", "南京市", True),
        ("江苏省", "苏州工业园区", True),
        ("苏州市", "苏州工业园区", True),
        ("苏州市", "昆山市花桥镇", True),
        ("苏州市", "南京市", False),
        ("苏州市", "上海市浦东新区", False),
        ("江苏省", "上海市", False),
        ("苏州市", "园区", None),
        ("苏州市", "", None),
        ("", "苏州", None),
    ],
)
def test_region_covers(region, location, expected):
    assert covers(region, location) is expected
