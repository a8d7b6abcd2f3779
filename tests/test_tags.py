"""Tags read at ingest, checked on the real seed articles (expectations read by hand)."""

from __future__ import annotations

import pytest

import settings
from ingest.audience import audience_of
from ingest.conditions import conditions_for
from ingest.pipeline import load_corpus
from ingest.record import Article, DocMeta
from ingest.tags import is_concrete, support_kinds, tags_for

KEYS = {
    "support",
    "who",
    "need",
    "industry",
    "stage",
    "audience",
    "concrete",
    "condition",
    "ref",
    "topic",
    "cl",
}


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    result = load_corpus(settings.load())
    assert not result.errors
    return result.articles


def find(articles: list[Article], source_prefix: str, locator: str) -> Article:
    hits = [a for a in articles if a.doc.source.startswith(source_prefix) and a.locator == locator]
    assert len(hits) == 1, f"{source_prefix} {locator}: {len(hits)} records"
    return hits[0]


K65, K71, K127 = "苏科区成发〔2026〕65号", "苏府办〔2022〕71号", "苏府办〔2022〕127号"
K1, DRAFT = "苏委发〔2022〕1号", "征求意见稿"

# (document, locator, tags it must have, tags it must not have) — each read off the text.
SEED_CASES = [
    # 省财政对…科技创新企业首贷…予以贴息; 提升省普惠金融发展风险补偿基金效能; 贷款期限最长可达到5年
    (
        K65,
        "二（九）",
        "support:贴息 support:风险补偿 need:首贷 need:信用贷 audience:enterprise concrete:yes",
        "",
    ),
    # 信保贷 -> 轻资产企业信用贷款; 首贷 -> 无贷企业; 投贷联动 -> 初创期; rewards per 苏府〔2021〕53号
    (
        K71,
        "四（三）8.",
        "need:信用贷 need:首贷 who:轻资产企业 who:无贷企业 stage:初创期 need:知识产权质押",
        "",
    ),
    (K71, "四（三）8.", "audience:enterprise ref:苏府〔2021〕53号 concrete:no condition:unstated", ""),
    # 尽职免责, 不良贷款容忍度, 绩效考核: bank staff rules, never a company's benefit
    (K65, "二（八）", "audience:institution topic:机构内部管理", "audience:enterprise"),
    # "设备担"担保费补贴 for 中小微企业设备更新; the 奖补 goes to guarantee institutions, so not listed
    (
        K65,
        "五（十四）",
        "support:担保费补贴 support:风险补偿 need:设备更新 audience:enterprise",
        "support:保费补贴 support:奖补",
    ),
    # 江苏科创保: 保费予以财政资金补贴, 重点支持人工智能、量子科技…
    (
        K65,
        "四（十三）",
        "support:保费补贴 need:保险 audience:enterprise industry:未来产业 industry:电子信息",
        "",
    ),
    # 省财政对投资江苏企业成效显著的AIC给予奖补: money to an investor, not to a company
    (K65, "一（四）", "audience:institution", "support:奖补 audience:enterprise"),
    # 各金融机构要…围绕高新技术企业、“专精特新”中小企业…增加信用贷、首贷投放: banks told to lend
    (
        DRAFT,
        "二（五）",
        "audience:institution who:专精特新企业 who:高新技术企业 need:首贷 need:信用贷",
        "audience:enterprise",
    ),
    # 育林计划: 瞪羚、独角兽培育、专精特新“小巨人” -> 上市后备企业; rewards per 苏府〔2020〕28号
    (K71, "四（二）4.", "who:瞪羚企业 who:独角兽培育企业 who:专精特新“小巨人”企业 who:上市后备企业", ""),
    (K71, "四（二）4.", "support:上市培育 need:上市 audience:enterprise ref:苏府〔2020〕28号", ""),
    # 加强组织领导: a coordination duty of the government
    (K71, "五（一）", "audience:government concrete:no", "audience:enterprise"),
    # 强化用地保障…优先保障符合条件的科技创新主体用地需求
    (K127, "五（四）", "support:用地保障 need:用地 support:人才支持 audience:enterprise", ""),
    # 总体目标: 10000户, 7000亿元 are targets, not conditions of a support
    (K71, "二", "concrete:no audience:government", "audience:enterprise concrete:yes"),
    # 科创债 issuers: 省财政予以贴息支持; 集合债 for 科技型中小企业
    (K65, "三（十一）", "support:债券融资 support:贴息 need:债券 who:科技型中小企业 audience:enterprise", ""),
    # 智改数转: 专项贷款贴息、免费诊断服务
    (K1, "四（四）12.", "support:贴息 need:数字化转型 audience:enterprise", ""),
    # 制造业小微企业不良容忍度可…提高不超过3个百分点: concrete, but a bank rule
    (DRAFT, "四（十四）", "topic:机构内部管理 audience:institution concrete:yes", "audience:enterprise"),
    # 对获得“苏科贷”支持的优质科技型企业进行股权投资; 重点投向种子期、初创期科技企业
    (K65, "六（十七）", "support:基金投资 need:股权投资 stage:种子期 stage:初创期 audience:enterprise", ""),
    # 对投资…初创期科技型企业的创业投资机构…: cultivating investors
    (K65, "一（一）", "audience:institution who:投资机构", "audience:enterprise"),
]


@pytest.mark.parametrize(("doc", "locator", "present", "absent"), SEED_CASES)
def test_seed_article_tags(corpus, doc, locator, present, absent):
    tags = set(find(corpus, doc, locator).tags)
    assert set(present.split()) <= tags, f"missing {set(present.split()) - tags}"
    assert not (set(absent.split()) & tags), f"unexpected {set(absent.split()) & tags}"


def test_pipeline_stores_exactly_what_tags_for_returns(corpus):
    assert all(a.tags == tags_for(a) + conditions_for(a) for a in corpus)


def test_every_record_has_one_audience_and_known_keys(corpus):
    for a in corpus:
        keys = [t.split(":", 1)[0] for t in a.tags]
        assert set(keys) <= KEYS, a.label
        if a.kind in ("notice", "colophon"):
            assert a.tags == ()
        else:
            assert keys.count("audience") == 1 and keys.count("concrete") == 1, a.label


def test_no_article_of_the_draft_is_for_companies_directly(corpus):
    """The draft tells banks what to do throughout; none of it is a company's to claim."""
    draft = [a for a in corpus if a.doc.is_draft]
    assert draft and not [a.label for a in draft if "audience:enterprise" in a.tags]


def make(text: str, kind: str = "article", doc_number: str = "") -> Article:
    return Article("c", DocMeta("d", "f.txt", "某意见", doc_number), kind, (), ("1",), "", text)


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("", "government"),
        ("（一）加强组织领导。统筹推进各项工作。", "government"),
        ("（二）支持轻资产企业获得信用贷款。", "enterprise"),
        ("（三）省财政对投资江苏企业成效显著的AIC给予奖补。", "government"),
        ("（四）优化服务。各金融机构要优化定价。降低企业融资成本。规范收费。", "institution"),
        ("（五）服务。鼓励银行机构持续提升结算水平，为“走出去”企业提供多元化服务。", "institution"),
        ("（六）人才。对顶尖科技人才（团队）给予量身定制、上不封顶的特殊支持。", "enterprise"),
    ],
)
def test_audience(text, audience):
    assert audience_of(text) == audience


def test_empty_and_notice_records():
    assert tags_for(make("印发给你们，请认真贯彻实施。", kind="notice")) == ()
    assert tags_for(make("")) == ("audience:government", "concrete:no")


def test_own_doc_number_is_not_a_reference():
    tags = tags_for(
        make(
            "按照《某措施》（苏府〔2021〕53号）及本意见（苏府办〔2022〕71号）执行。",
            doc_number="苏府办〔2022〕71号",
        )
    )
    assert "ref:苏府〔2021〕53号" in tags and "ref:苏府办〔2022〕71号" not in tags


@pytest.mark.parametrize(
    ("text", "concrete"),
    [
        ("不良贷款容忍度可提高不超过3个百分点。", True),
        ("贷款期限最长可达到5年。", True),
        ("给予贷款额度1%的贴息。", True),
        ("到2025年，新增科技上市企业100家以上。", False),
        ("获得融资户数超10000户。", False),
        ("鼓励、支持、探索建立机制。", False),
    ],
)
def test_concrete(text, concrete):
    assert is_concrete(text) is concrete


def test_guarantee_fee_is_not_an_insurance_premium():
    assert support_kinds("实施“设备担”担保费补贴政策。") == ["担保费补贴"]
    assert support_kinds("投保产生的保费予以财政资金补贴。") == ["保费补贴"]
