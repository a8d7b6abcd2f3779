"""Profile -> a checklist ranked by fit: what the company meets, what it must check, what it does not meet.

Only what was read at ingest is used (tags from ingest/tags.py and ingest/conditions.py).
An article is on the list when one of its measures answers a need the user ticked, or names
a certification the user holds. Its verdict is that of its best measure (several measures
in one article are alternatives: 信保贷 for 轻资产企业, 首贷 for 无贷企业 …). Instructions to
banks that help such a company are listed apart (金融机构配套举措), without a verdict.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ingest.record import Article
from ingest.tags import SUPPORT
from matcher.contact import contact
from matcher.measures import Measure, measures_of, terms_of
from matcher.profile import CERTIFICATIONS, Profile
from matcher.verdict import CHECK, MET, ORDER, UNMET, Condition, document_conditions, judge, overall

INSTITUTION_GROUP = "金融机构配套举措"
NO_AMOUNT = "文件未规定具体金额（以申报指南为准）"
NO_MATERIAL = "文件未列明申报材料（以申报指南为准）"
NO_TIME = "文件未规定申报时间"
NO_CHANNEL = "文件未写明申报渠道，请咨询联系单位"

# Ranking inside a verdict: a ticked need answered is what the user came for; a
# certification of theirs named is the next sign; stated terms beat a direction.
NEED_POINTS = 4
CERT_POINTS = 2
MET_CONDITION_POINTS = 1
TERM_POINTS = 1
DRAFT_PENALTY = 2
# The kinds of support that answer a need (a 贴息 answers a loan need, a fund does not).
KINDS_FOR_NEED = {
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
    "人才": ("人才支持", "奖补"),
    "用地": ("用地保障",),
    "知识产权质押": ("信贷产品", "增信担保", "风险补偿"),
    "跨境金融": ("跨境便利",),
    "并购": ("信贷产品", "基金投资"),
}
BROAD = {"科技型企业", "中小企业", "小微企业", "制造业企业"}  # named too often to count as a certification


@dataclass
class Item:
    article: Article
    bank_side: bool
    verdict: str
    measures: list[Measure]  # the relevant ones, best first
    conditions: list[Condition]  # document-level first, then each measure's
    reasons: list[str]  # what of the profile made it relevant: 需求：贷款, 资质：瞪羚企业
    score: int = 0
    contact: str = ""
    offers: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.article.label

    @property
    def kind(self) -> str:
        """What the summary counts it as: the kind that answers a ticked need, else its first in SUPPORT order."""
        kinds = {k for m in self.measures for k in m.offers}
        needed = {k for r in self.reasons if r.startswith("需求：") for k in KINDS_FOR_NEED.get(r[3:], ())}
        return next((k for k in SUPPORT if k in kinds & needed), "") or next(
            (k for k in SUPPORT if k in kinds), "其他支持"
        )

    @property
    def to_check(self) -> list[Condition]:
        return [c for c in self.conditions if c.verdict == CHECK]

    @property
    def unmet(self) -> list[Condition]:
        return [c for c in self.conditions if c.verdict == UNMET]

    def to_json(self) -> dict:
        return {
            "chunk_id": self.article.chunk_id,
            "label": self.label,
            "verdict": self.verdict,
            "kind": self.kind,
            "reasons": self.reasons,
            "conditions": [c.to_json() for c in self.conditions],
            "offers": self.offers,
            "amounts": self.amounts,
            "materials": self.materials,
            "time": self.times,
            "channels": self.channels,
            "contact": self.contact,
            "draft": self.article.doc.is_draft,
        }


@dataclass
class Checklist:
    profile: Profile
    items: list[Item]  # 满足, then 需核实, then 不满足; best first inside each
    institution: list[Item]  # bank-side measures

    def with_verdict(self, verdict: str) -> list[Item]:
        return [i for i in self.items if i.verdict == verdict]

    @property
    def summary(self) -> str:
        """'可能适用 3 条：贴息 1、信贷产品 2；需核实 4 条；不适用 2 条（已折叠）；另有金融机构配套举措 1 条'."""
        met, check, unmet = (self.with_verdict(v) for v in (MET, CHECK, UNMET))
        if not self.items and not self.institution:
            return "没有找到与所选情况对应的条款"
        counts = Counter(i.kind for i in met)
        kinds = "、".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kv: _kind_order(kv[0])))
        parts = [f"可能适用 {len(met)} 条" + (f"：{kinds}" if kinds else "")]
        parts.append(f"需核实 {len(check)} 条")
        if unmet:
            parts.append(f"不适用 {len(unmet)} 条（已折叠）")
        if self.institution:
            parts.append(f"另有{INSTITUTION_GROUP} {len(self.institution)} 条")
        return "；".join(parts)

    def to_json(self) -> dict:
        return {
            "summary": self.summary,
            "items": [i.to_json() for i in self.items],
            "institution": [i.to_json() for i in self.institution],
        }


def _kind_order(kind: str) -> int:
    kinds = list(SUPPORT)
    return kinds.index(kind) if kind in kinds else len(kinds)


def checklist(profile: Profile, articles: list[Article]) -> Checklist:
    items, institution = [], []
    for article in articles:
        if not article.doc.in_force_on():
            continue  # a superseded, repealed or expired text offers nothing today
        item = assess(profile, article)
        if item is None:
            continue
        if item.bank_side and item.verdict == UNMET:
            continue  # a bank measure for a company it does not fit helps no one
        (institution if item.bank_side else items).append(item)
    items.sort(key=lambda i: (-ORDER[i.verdict], -i.score))  # stable: ties keep document order
    institution.sort(key=lambda i: (-ORDER[i.verdict], -i.score))
    return Checklist(profile, items, institution)


def assess(profile: Profile, article: Article) -> Item | None:
    """The article as a checklist item when one of its measures is relevant to the profile."""
    if "topic:机构内部管理" in article.tags:
        return None
    relevant = [(m, why) for m in measures_of(article) if (why := relevance(profile, m))]
    own = [(m, why) for m, why in relevant if "institution" not in m.get("by")]
    bank_side = "audience:institution" in article.tags or not own
    relevant = relevant if bank_side else own  # a bank's part of a company's article is not its offer
    if not relevant:
        return None
    if "audience:government" in article.tags and not any(m.get("who") for m, _ in relevant):
        return None  # a department's own task, unless it plainly gives a named kind of company something
    doc_conditions = document_conditions(profile, article)
    judged = [(m, why, judge(profile, article, m)) for m, why in relevant]
    judged.sort(key=lambda t: (-ORDER[overall(doc_conditions + t[2])], -len(t[1])))  # best fit first
    best = overall(doc_conditions + judged[0][2])
    measures = [m for m, _, _ in judged]
    conditions = doc_conditions + [
        _prefixed(c, m, n, len(judged)) for n, (m, _, cs) in enumerate(judged, 1) for c in cs
    ]
    reasons = list(dict.fromkeys(r for _, why, _ in judged for r in why))
    item = Item(
        article,
        bank_side,
        best,
        measures,
        conditions,
        reasons,
        contact=contact(article, measures, profile.location),
    )
    _fill_terms(item)
    item.score = _score(item, judged)
    return item


def relevance(profile: Profile, measure: Measure) -> list[str]:
    """Why a measure concerns this profile: a ticked need it answers, a certification it names.

    Needs only count when ticked (信用贷 and 首贷 count under 贷款, which they are), so an
    untouched box never becomes a reason. With no need ticked, the stage can make it relevant.
    """
    needs = {n for n in measure.alternatives("need") if answers(measure, n)}
    wanted = set(profile.needs) | ({"贷款"} if set(profile.needs) & {"信用贷", "首贷"} else set())
    out = [f"需求：{n}" for n in profile.needs if n in needs]
    if "贷款" in wanted and "贷款" not in profile.needs and "贷款" in needs:
        out.append("需求：贷款")
    held = {t for c in profile.certifications for t in CERTIFICATIONS.get(c, ())} - BROAD
    out += [f"资质：{t}" for t in measure.alternatives("who") if t in held]
    stage = profile.effective_stage
    if not profile.needs and stage and stage in measure.alternatives("stage"):
        out.append(f"阶段：{stage}")
    return out


def answers(measure: Measure, need: str) -> bool:
    """Does the measure offer a kind of support for the need, not merely name it?
    ("招引人才" names talent; a fund for such companies offers no talent support.)"""
    return not measure.offers or bool(set(measure.offers) & set(KINDS_FOR_NEED.get(need, measure.offers)))


def _prefixed(c: Condition, m: Measure, n: int, n_measures: int) -> Condition:
    """With several measures in one article, say which one a condition is of: 〔2 “首贷”〕对象：无贷企业."""
    if n_measures == 1:
        return c
    return Condition(f"〔{n} {m.name}〕{c.label}", c.verdict, c.note, c.text, c.decisive)


def _fill_terms(item: Item) -> None:
    """Offers, and every amount, material, time and channel the text states — or that it states none."""
    numbered = len(item.measures) > 1
    item.offers = [
        f"{f'{n} ' if numbered else ''}{m.name}：{m.clause}" for n, m in enumerate(item.measures, 1)
    ]
    terms = terms_of(item.article)
    for kind, attr, none in (
        ("amount", "amounts", NO_AMOUNT),
        ("material", "materials", NO_MATERIAL),
        ("time", "times", NO_TIME),
        ("channel", "channels", NO_CHANNEL),
    ):
        found = [f"{t.value}（原文：{t.clause}）" for t in terms if t.kind == kind]
        setattr(item, attr, list(dict.fromkeys(found)) or [none])


def _score(item: Item, judged) -> int:
    needs = sum(1 for r in item.reasons if r.startswith("需求"))
    certs = sum(1 for r in item.reasons if r.startswith("资质"))
    met = sum(1 for c in item.conditions if c.verdict == MET and c.decisive)
    stated = any(t.kind == "amount" for t in terms_of(item.article))
    score = NEED_POINTS * needs + CERT_POINTS * certs + MET_CONDITION_POINTS * met + TERM_POINTS * stated
    return score - (DRAFT_PENALTY if item.article.doc.is_draft else 0)
