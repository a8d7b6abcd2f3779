"""Profile -> applicable articles, on the real seed corpus; expectations checked by hand."""

from __future__ import annotations

import pytest

import settings
from ingest.pipeline import load_corpus
from ingest.record import Article
from matcher import INSTITUTION_GROUP, UNCLEAR, Group, Profile, match
from matcher.region import covers

K65, K71, K1, DRAFT = "苏科区成发〔2026〕65号", "苏府办〔2022〕71号", "苏委发〔2022〕1号", "征求意见稿"

# A 2-year-old chip start-up in the SIP, no collateral, never borrowed, wants a loan and VC.
CHIP_STARTUP = Profile(
    industry="电子信息",
    certifications=("科技型中小企业",),
    needs=("贷款", "股权投资"),
    location="苏州工业园区",
    age_years=2,
    has_collateral=False,
    has_loan=False,
    size="小微",
)
# A growing 专精特新“小巨人” equipment maker in Wujiang: new machines, guarantees, an IPO.
LITTLE_GIANT = Profile(
    industry="装备制造",
    stage="成长期",
    certifications=("专精特新“小巨人”", "高新技术企业"),
    needs=("设备更新", "担保", "上市"),
    location="苏州市吴江区",
    size="中型",
)
# A mature biotech in Nanjing: R&D insurance and a bond issue. Suzhou-only policies may not apply.
NANJING_BIOTECH = Profile(
    industry="生物医药",
    stage="成熟期",
    certifications=("高新技术企业",),
    needs=("保险", "债券"),
    location="南京市",
)


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return load_corpus(settings.load()).articles


def key(article: Article) -> str:
    """'苏府办〔2022〕71号 四（三）8.' — document (or 征求意见稿) and locator."""
    return f"{article.doc.doc_number or article.doc.status} {article.locator}"


def applicable(groups: list[Group]) -> dict[str, tuple[str, list[str]]]:
    """key -> (group kind, unknowns) for the articles a company can use itself."""
    return {
        key(i.article): (g.kind, i.unknowns) for g in groups if g.kind != INSTITUTION_GROUP for i in g.items
    }


def institution_keys(groups: list[Group]) -> list[str]:
    return [key(i.article) for g in groups if g.kind == INSTITUTION_GROUP for i in g.items]


def test_chip_startup(corpus):
    groups = match(CHIP_STARTUP, corpus)
    found = applicable(groups)
    # 信保贷 for 轻资产, 首贷 for 无贷企业, 投贷联动 for 初创期: the closest fit of the corpus
    assert (
        groups[0].items[0].article.locator == "四（三）8."
        and groups[0].items[0].article.doc.doc_number == K71
    )
    for expected in (
        f"{K71} 四（三）8.",
        f"{K65} 二（九）",
        f"{K65} 六（十七）",
        f"{K65} 五（十五）",
        f"{K1} 四（六）18.",
    ):
        assert expected in found, expected
    assert found[f"{K65} 二（九）"][0] == "贴息"
    kind, unknowns = found[f"{K71} 四（三）8."]
    assert UNCLEAR in unknowns and "具体标准见苏府〔2021〕53号（本库未收录）" in unknowns
    # banks told to lend to 科技型中小企业 and 制造业中小企业: shown, but as bank measures
    assert f"{DRAFT} 二（五）" in institution_keys(groups)
    assert f"{DRAFT} 二（五）" not in found
    # bank staff rules (尽职免责, 不良容忍度) never reach a company
    assert f"{K65} 二（八）" not in found and f"{K65} 二（八）" not in institution_keys(groups)


def test_little_giant(corpus):
    groups = match(LITTLE_GIANT, corpus)
    found = applicable(groups)
    assert found[f"{K65} 五（十四）"][0] == "担保费补贴"  # “设备担”担保费补贴 for 设备更新
    assert f"{K71} 四（二）4." in found  # 育林计划 names 专精特新“小巨人”
    assert found[f"{K65} 三（十）"][0] == "上市培育"
    draft = [i for g in groups if g.kind == INSTITUTION_GROUP for i in g.items if i.article.doc.is_draft]
    assert draft and all(any("征求意见稿" in u for u in i.unknowns) for i in draft)
    # the 初创期 article is shown with what does not fit
    assert "本条重点面向初创期企业" in found[f"{K71} 四（三）8."][1]


def test_nanjing_biotech(corpus):
    groups = match(NANJING_BIOTECH, corpus)
    found = applicable(groups)
    assert groups[0].kind == "保费补贴" and key(groups[0].items[0].article) == f"{K65} 四（十三）"
    assert f"{K65} 三（十一）" in found  # 科创债 贴息
    # a Suzhou policy for a Nanjing company: shown with the warning, not silently
    assert "本条为苏州市政策，所在地“南京市”可能不适用" in found[f"{K71} 四（二）5."][1]
    assert not any("江苏省政策" in u for u in found[f"{K65} 四（十三）"][1])


def test_only_company_articles_are_applicable(corpus):
    for profile in (CHIP_STARTUP, LITTLE_GIANT, NANJING_BIOTECH):
        for group in match(profile, corpus):
            for item in group.items:
                tags = item.article.tags
                assert "audience:government" not in tags and "topic:机构内部管理" not in tags
                audience = (
                    "audience:institution" if group.kind == INSTITUTION_GROUP else "audience:enterprise"
                )
                assert audience in tags, item.label
                assert ("concrete:no" in tags) == (UNCLEAR in item.unknowns)
            assert [i.score for i in group.items] == sorted((i.score for i in group.items), reverse=True)


def test_empty_profile_matches_nothing(corpus):
    assert match(Profile(), corpus) == []


def test_certification_alone_finds_its_article(corpus):
    found = applicable(match(Profile(certifications=("瞪羚企业",)), corpus))
    assert f"{K71} 四（二）4." in found


def test_profile_derivations():
    p = Profile(
        industry="电子信息", age_years=2, has_collateral=False, has_loan=False, size="小微", needs=("贷款",)
    )
    assert p.effective_stage == "初创期"
    assert {"轻资产企业", "无贷企业", "小微企业", "制造业中小企业"} <= p.targets
    assert p.wanted == {"贷款", "信用贷", "首贷"}
    assert Profile(age_years=12).effective_stage == ""
    assert Profile(stage="成熟期", age_years=1).effective_stage == "成熟期"


@pytest.mark.parametrize(
    ("region", "location", "expected"),
    [
        ("江苏省", "南京市", True),
        ("江苏省", "苏州工业园区", True),
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
