"""Profile -> the articles that apply to it, grouped by kind of support.

Only the tags read at ingest (ingest/tags.py) are used: nothing is guessed per query.
An article is applicable when a company can claim or use it (audience:enterprise) and
it speaks to the profile's needs or names what the company is. Instructions to banks
that still help such a company go to a separate group, presented as what they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.record import Article
from ingest.tags import SUPPORT
from matcher.profile import CERTIFICATIONS, Profile
from matcher.region import covers

INSTITUTION_GROUP = "金融机构配套举措"
OTHER_GROUP = "其他支持"
UNCLEAR = "条件未明确，请咨询责任单位"

# Score weights: a met need is what the user came for; a named target of theirs is the
# next best sign; stage and industry only say the article has them in view.
NEED_POINTS = 4  # a need the article offers a support for: what the user came for
MENTIONED_NEED_POINTS = 1  # a need it only mentions
TARGET_POINTS = 2
BROAD_TARGET_POINTS = 1  # 科技型企业: named so often it barely narrows
STAGE_POINTS = 2
INDUSTRY_POINTS = 1
CONCRETE_POINTS = 1  # stated figures beat a direction, other things equal
MISSED_TARGET_PENALTY = 2  # the article names targets and the company is none of them

BROAD_TARGETS = {"科技型企业", "制造业企业"}  # 制造业企业 is inferred from the industry, not certified
# `who:` values that are a kind of company (not banks, funds, universities, carriers).
COMPANY_TARGETS = {t for ts in CERTIFICATIONS.values() for t in ts} | {
    "制造业企业", "制造业中小企业", "小微企业", "轻资产企业", "无贷企业", "领军人才", "科技招商项目",
}  # fmt: skip
# Certification-like targets a company either is or is not: naming only these restricts the offer.
RESTRICTING_TARGETS = {t for ts in CERTIFICATIONS.values() for t in ts} - BROAD_TARGETS
MAX_ISSUERS_SHOWN = 3  # a joint document can have 8 issuers; the first ones lead it

# A need is met when the article offers a support of a matching kind, not when the need's
# word merely appears ("鼓励运用证券、保险等金融工具" offers no insurance).
NEED_SUPPORTS = {
    "贷款": ("贴息", "信贷产品", "风险补偿", "增信担保"),
    "信用贷": ("信贷产品", "增信担保"),
    "首贷": ("贴息", "信贷产品"),
    "股权投资": ("基金投资",),
    "上市": ("上市培育",),
    "债券": ("债券融资",),
    "保险": ("保费补贴", "科技保险"),
    "担保": ("担保费补贴", "增信担保", "风险补偿"),
    "设备更新": ("贴息", "担保费补贴", "信贷产品"),
    "数字化转型": ("贴息", "服务对接"),
    "人才": ("人才支持",),
    "用地": ("用地保障",),
    "知识产权质押": ("信贷产品", "增信担保", "风险补偿"),
    "跨境金融": ("跨境便利",),
    "并购": ("信贷产品", "基金投资"),
}


@dataclass
class MatchItem:
    article: Article
    score: int
    reasons: list[str]  # what of the profile it meets: 需求：首贷, 对象：专精特新企业 …
    unknowns: list[str]  # what the user must still check

    @property
    def label(self) -> str:
        return self.article.label

    @property
    def supports(self) -> list[str]:
        return values(self.article, "support")

    @property
    def who(self) -> list[str]:
        """Who it is for, as the text names them: kinds of company, then stages."""
        targets = [t for t in values(self.article, "who") if t in COMPANY_TARGETS]
        return targets + [s for s in values(self.article, "stage") if s != "全周期"]

    @property
    def responsible_units(self) -> tuple[str, ...]:
        return self.article.responsible_units


@dataclass
class Group:
    kind: str  # a support kind, OTHER_GROUP or INSTITUTION_GROUP
    items: list[MatchItem] = field(default_factory=list)


def values(article: Article, key: str) -> list[str]:
    """Tag values under `key`: values(a, "need") -> ['信用贷', '首贷']."""
    prefix = key + ":"
    return [t[len(prefix) :] for t in article.tags if t.startswith(prefix)]


def match(profile: Profile, articles: list[Article]) -> list[Group]:
    """Applicable articles grouped by support kind, best group first; bank measures last."""
    known_docs = {a.doc.doc_number for a in articles if a.doc.doc_number}
    applicable: dict[str, list[MatchItem]] = {}
    institution: list[MatchItem] = []
    for article in articles:
        if not article.doc.in_force_on():  # a superseded, repealed or expired text offers nothing today
            continue
        item = assess(profile, article, known_docs)
        if item is None:
            continue
        if "audience:enterprise" in article.tags:
            applicable.setdefault(primary_kind(article), []).append(item)
        else:
            institution.append(item)
    groups = [Group(kind, ranked(items)) for kind, items in applicable.items()]
    order = list(SUPPORT) + [OTHER_GROUP]
    groups.sort(key=lambda g: (-g.items[0].score, order.index(g.kind)))
    if institution:
        groups.append(Group(INSTITUTION_GROUP, ranked(institution)))
    return groups


def ranked(items: list[MatchItem]) -> list[MatchItem]:
    return sorted(items, key=lambda i: -i.score)  # stable: ties keep document order


def primary_kind(article: Article) -> str:
    """The group an article is shown in: its first support kind in SUPPORT order."""
    kinds = values(article, "support")
    return next((k for k in SUPPORT if k in kinds), OTHER_GROUP)


def assess(profile: Profile, article: Article, known_docs: set[str]) -> MatchItem | None:
    """A MatchItem when the article applies to the profile (or is a bank measure that helps it)."""
    tags = set(article.tags)
    if "audience:government" in tags or "topic:机构内部管理" in tags or not tags:
        return None
    met, mentioned = needs_of(profile, article)
    targets = [t for t in values(article, "who") if t in profile.targets]
    specific = [t for t in targets if t not in BROAD_TARGETS]
    stage_hit = profile.effective_stage in values(article, "stage")
    if "audience:enterprise" in tags:
        if not (met or specific or stage_hit):
            return None
    elif not (met and (specific or stage_hit)):  # a bank measure must be aimed at this company
        return None
    reasons = [f"需求：{n}" for n in met + mentioned] + [f"对象：{t}" for t in targets]
    score = NEED_POINTS * len(met) + MENTIONED_NEED_POINTS * len(mentioned) + target_points(profile, targets)
    if stage_hit:
        score += STAGE_POINTS
        reasons.append(f"阶段：{profile.effective_stage}" + ("" if profile.stage else "（按成立年限推定）"))
    if industry_hit(profile, article):
        score += INDUSTRY_POINTS
        reasons.append(f"行业：{profile.industry}")
    score += CONCRETE_POINTS if "concrete:yes" in tags else 0
    score -= MISSED_TARGET_PENALTY if restricted_to(profile, article) else 0
    return MatchItem(article, score, reasons, unknowns(profile, article, known_docs))


def target_points(profile: Profile, targets: list[str]) -> int:
    """Points for the kinds of company named that this company is: once per certification
    ("专精特新“小巨人”" also makes it a 专精特新企业; that is one fact, not two)."""
    specific = {t for t in targets if t not in BROAD_TARGETS}
    certs = [c for c in profile.certifications if specific & set(CERTIFICATIONS.get(c, ()))]
    from_certs = {t for c in certs for t in CERTIFICATIONS[c]}
    other = specific - from_certs
    broad = BROAD_TARGET_POINTS if set(targets) & BROAD_TARGETS else 0
    return TARGET_POINTS * (len(certs) + len(other)) + broad


def needs_of(profile: Profile, article: Article) -> tuple[list[str], list[str]]:
    """(needs the article offers a support for, needs it only mentions)."""
    supports = set(values(article, "support"))
    asked = [n for n in values(article, "need") if n in profile.wanted]
    met = [n for n in asked if supports & set(NEED_SUPPORTS.get(n, ()))]
    return met, [n for n in asked if n not in met]


def industry_hit(profile: Profile, article: Article) -> bool:
    industries = values(article, "industry")
    return bool(profile.industry) and (
        profile.industry in industries or ("制造业" in industries and "制造业企业" in profile.targets)
    )


def restricted_to(profile: Profile, article: Article) -> list[str]:
    """The certifications the article is limited to, when the company has none of them.

    Only when every kind of company it names is such a certification: an article for
    "科技型企业、专精特新企业" is open to any 科技型企业.
    """
    named = [t for t in values(article, "who") if t in COMPANY_TARGETS]
    if not named or any(t not in RESTRICTING_TARGETS for t in named):
        return []
    return [] if set(named) & profile.targets else named


def unknowns(profile: Profile, article: Article, known_docs: set[str]) -> list[str]:
    """What the text leaves open, or what the user should check, in plain words."""
    tags, doc = set(article.tags), article.doc
    out = []
    if "concrete:no" in tags:
        out.append(UNCLEAR)
    elif "condition:unstated" in tags:
        out.append("“符合条件”的具体条件本文未列明，请咨询责任单位")
    for ref in values(article, "ref"):
        out.append(f"具体标准见{ref}" + ("" if ref in known_docs else "（本库未收录）"))
    if doc.is_draft:
        out.append("征求意见稿：尚未正式施行，内容可能变化")
    out += _region_note(doc.region, profile.location)
    missed = restricted_to(profile, article)
    if missed:
        out.append(f"本条面向：{'、'.join(missed)}；资料未显示您属于其中")
    stages = [s for s in values(article, "stage") if s != "全周期"]
    stage = profile.effective_stage
    if stages and stage and stage not in stages:
        out.append(f"本条重点面向{'、'.join(stages)}企业")
    if not article.responsible_units:
        out.append(f"未列明责任单位，可咨询{_issuers(doc.issuers)}")
    return out


def _issuers(issuers: tuple[str, ...]) -> str:
    """'江苏省科学技术厅、中国人民银行江苏省分行、…等8家' for long joint lists."""
    if not issuers:
        return "发文单位"
    shown = "、".join(issuers[:MAX_ISSUERS_SHOWN])
    return shown + (f"等{len(issuers)}家发文单位" if len(issuers) > MAX_ISSUERS_SHOWN else "")


def _region_note(region: str, location: str) -> list[str]:
    covered = covers(region, location)
    if covered is False:
        return [f"本条为{region}政策，所在地“{location}”可能不适用"]
    if covered is None and region:
        return [f"本条适用于{region}，请确认所在地是否在此范围内"]
    return []
