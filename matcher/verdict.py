"""Each condition of a measure against a profile: 满足 / 不满足 / 需核实, with the clause it came from.

A condition is *decisive* when it decides whether the company may use the measure (who,
stage, size, region, a prerequisite, a draft); the others (a field the text names as its
focus, "符合条件的" without the conditions, a document holding the details) are shown as
需核实 but do not lower the verdict: the text does not say they exclude anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.places import covers, places_named
from ingest.record import Article
from matcher.measures import Measure
from matcher.profile import MANUFACTURING, Profile

MET, CHECK, UNMET = "满足", "需核实", "不满足"
FIRST_LOAN = "·首贷"  # ingest/conditions.py: the kind of company, for its first loan
ORDER = {UNMET: 0, CHECK: 1, MET: 2}

# Certifications a company either holds or not: unticked means 不满足 (it did not say it is one).
CERTIFIED = {
    "科技型中小企业", "高新技术企业", "专精特新企业", "专精特新“小巨人”企业", "瞪羚企业",
    "独角兽培育企业", "上市后备企业", "上市公司", "领军企业", "领军人才",
}  # fmt: skip
TECH_CERTS = {"高新技术企业", "科技型中小企业", "瞪羚企业", "独角兽培育企业", "专精特新“小巨人”"}
FOUR_INDUSTRIES = ("电子信息", "装备制造", "生物医药", "先进材料")  # 苏州 产业创新集群
ZONE_CITIES = {"苏南自创区": ("南京", "无锡", "常州", "苏州", "镇江")}
ZONE_INSIDE = {"苏南自创区": ("工业园区", "高新区", "园区")}  # SIP and the national high-tech zones
PREREQ_WORDS = {  # the profile's free text saying it already has it
    "已获得“苏科贷”等贷款支持": ("苏科贷",),
    "属于试点支持对象": ("试点",),
    "已投保相关保险": ("投保", "已保"),
    "列入相关清单或名录": ("清单", "名录"),
    "承担国家攻关任务": ("国家攻关", "国家重大", "攻关任务"),
    "与高校、科研机构合作研发": ("高校", "大学", "科研机构", "产学研"),
    "引进的人才符合条件": ("引进人才", "引进的人才"),
    "由劳动者自主创业开办": ("自主创业", "自主开办", "自己创办", "个人创办"),
}


# Needs that are what the money is for: a measure naming one is for that use only.
PURPOSES = ("设备更新", "数字化转型", "并购", "跨境金融", "知识产权质押", "用地")


@dataclass(frozen=True)
class Condition:
    label: str  # 对象：轻资产企业 / 地区：江苏省 / 阶段：初创期 …
    verdict: str  # MET / CHECK / UNMET
    note: str  # why, in the profile's terms: 您选择了无抵押物 …
    text: str  # the clause it came from
    decisive: bool = True

    def to_json(self) -> dict:
        return {"label": self.label, "verdict": self.verdict, "note": self.note, "text": self.text}


def overall(conditions: list[Condition]) -> str:
    """The lowest verdict among decisive conditions; 满足 when there are none."""
    return min((c.verdict for c in conditions if c.decisive), key=ORDER.get, default=MET)


def judge(profile: Profile, article: Article, measure: Measure) -> list[Condition]:
    """Every condition of one measure, in the order a reader meets them."""
    clause = measure.clause
    out = []
    who = measure.alternatives("who")
    if who:
        out.append(_any_of(who, profile, clause))
    stages = measure.alternatives("stage")
    if stages:
        out.append(_stage(stages, profile, clause))
    purposes = [n for n in measure.alternatives("need") if n in PURPOSES]
    if purposes:
        out.append(_purpose(purposes, profile, clause))
    sectors = measure.alternatives("sector")
    if sectors:
        out.append(_sector(sectors, profile, clause))
    for zone in measure.get("zone"):
        out.append(_zone(zone, profile, clause))
    out += [_prereq(p, profile, clause) for p in measure.get("prereq")]
    fields = measure.alternatives("industry")
    if fields:
        out.append(_focus(fields, profile, clause))
    for words in measure.get("unstated"):
        note = f"原文写“{words}”，具体条件未列明（以申报指南或责任单位解释为准）"
        out.append(Condition("其他条件", CHECK, note, clause, decisive=False))
    for ref in measure.get("ref"):
        out.append(Condition("具体标准", CHECK, f"见{ref}", clause, decisive=False))
    return out


def document_conditions(profile: Profile, article: Article) -> list[Condition]:
    """What holds for every measure of the document: where it applies, whether it is in force."""
    doc = article.doc
    source = f"{doc.cite_name}（发文：{'、'.join(doc.issuers[:3]) or '未列明'}）"
    out = [_region(region_of(article), profile, source)]
    if doc.is_draft:
        out.append(Condition("文件状态", CHECK, "征求意见稿：尚未施行，内容可能变化", source))
    return out


def region_of(article: Article) -> str:
    """The region a document covers, as ingest read it (ingest.places): 江苏省, 湖州市, 全国 …"""
    return article.doc.region


def _region(region: str, profile: Profile, source: str) -> Condition:
    label = f"地区：{region or '未写明'}"
    covered = covers(region, profile.location) if region else None
    if covered:
        return Condition(label, MET, f"所在地“{profile.location}”在{region}范围内", source)
    if covered is False:
        return Condition(label, UNMET, f"本条为{region}政策，所在地“{profile.location}”不在其范围内", source)
    where = f"所在地“{profile.location}”" if profile.location else "未填写所在地"
    note = f"{where}，请确认是否在{region or '本文件适用地区'}范围内"
    return Condition(label, CHECK, note, source, decisive=bool(profile.location))


def _any_of(targets: list[str], profile: Profile, clause: str) -> Condition:
    """Kinds of company named together are alternatives: the best one decides."""
    verdicts = [(t, *_target(t, profile)) for t in targets]
    best = max(verdicts, key=lambda v: ORDER[v[1]])
    names = [t.replace(FIRST_LOAN, "（首贷）") for t in targets]
    label = "对象：" + "、".join(names) + ("（任一）" if len(targets) > 1 else "")
    if best[1] == UNMET and len(targets) > 1:
        return Condition(label, UNMET, "资料未显示您属于其中任何一类", clause)
    return Condition(label, best[1], best[2], clause)


def _target(target: str, p: Profile) -> tuple[str, str]:
    """(verdict, note) for one kind of company; '科技型企业·首贷' needs both."""
    if target.endswith(FIRST_LOAN):
        parts = [_one_target(target.removesuffix(FIRST_LOAN), p), _one_target("无贷企业", p)]
        worst = min(parts, key=lambda v: ORDER[v[0]])
        return worst[0], "；".join(note for _, note in parts)
    return _one_target(target, p)


def _one_target(target: str, p: Profile) -> tuple[str, str]:
    if target in CERTIFIED:
        if target in p.targets:
            return MET, f"您已勾选：{target}"
        return UNMET, f"资料未显示您是{target}"
    if target == "科技型企业":
        if set(p.certifications) & TECH_CERTS:
            return MET, "您已有科技类资质：" + "、".join(sorted(set(p.certifications) & TECH_CERTS))
        return CHECK, "请核实是否属于科技型企业（如先完成科技型中小企业评价入库）"
    if target in ("小微企业", "中小企业"):
        return _size(target, p)
    if target in ("制造业企业", "制造业中小企业"):
        return _manufacturing(target, p)
    if target == "轻资产企业":
        return _yes_no(p.has_collateral is False, p.has_collateral, "您选择了无抵押物", "您选择了有抵押物")
    if target == "无贷企业":
        return _yes_no(
            p.has_loan is False, p.has_loan, "您选择了从未获得银行贷款（首贷户）", "您已有过银行贷款"
        )
    if target == "民营企业":
        return _text(p, ("民营", "私营"), ("国有", "国企"), target)
    if target == "人才（个人）":
        return CHECK, "本项面向人才个人（团队），入选或引进条件以人才政策为准，请核实"
    if target == "产业创新集群企业":
        if p.industry in FOUR_INDUSTRIES:
            return MET, f"{p.industry}属于四大主导产业（产业创新集群）"
        return CHECK, "请核实是否属于电子信息、装备制造、生物医药、先进材料产业创新集群企业"
    return _text(p, (target.removesuffix("企业"),), (), target)


def _size(target: str, p: Profile) -> tuple[str, str]:
    allowed = ("小微",) if target == "小微企业" else ("小微", "中型")
    if p.size in allowed or (
        target == "中小企业" and {"科技型中小企业", "专精特新中小企业"} & set(p.certifications)
    ):
        return MET, f"企业规模：{p.size or '中小企业资质'}"
    if p.size:
        return UNMET, f"本项面向{target}，您选择的规模为{p.size}"
    return CHECK, f"请确认是否属于{target}（按工信部等部门划型标准）"


def _manufacturing(target: str, p: Profile) -> tuple[str, str]:
    if p.industry in MANUFACTURING:
        if target == "制造业中小企业":
            return _size("中小企业", p)
        return MET, f"{p.industry}属于制造业"
    return CHECK, "请确认是否属于制造业企业"


def _yes_no(met: bool, known: bool | None, yes: str, no: str) -> tuple[str, str]:
    if met:
        return MET, yes
    return (UNMET, no) if known is not None else (CHECK, "表单未填写，请确认")


def _text(p: Profile, yes: tuple[str, ...], no: tuple[str, ...], target: str) -> tuple[str, str]:
    if any(w in p.text for w in yes):
        return MET, f"您的描述提到：{next(w for w in yes if w in p.text)}"
    if any(w in p.text for w in no):
        return UNMET, f"您的描述提到：{next(w for w in no if w in p.text)}"
    return CHECK, f"请确认是否属于{target}"


def _stage(stages: list[str], p: Profile, clause: str) -> Condition:
    label = "阶段：" + "、".join(stages)
    stage = p.effective_stage
    if stage in stages:
        how = "" if p.stage else "（按成立年限推定）"
        return Condition(label, MET, f"您处于{stage}{how}", clause)
    if stage:
        return Condition(label, UNMET, f"本项面向{'、'.join(stages)}企业，您处于{stage}", clause)
    return Condition(label, CHECK, "未填写发展阶段，请确认", clause)


def _zone(zone: str, p: Profile, clause: str) -> Condition:
    label = f"区域：{zone}"
    cities = ZONE_CITIES.get(zone, ())
    if any(w in p.location for w in ZONE_INSIDE.get(zone, ())) and any(c in p.location for c in cities):
        return Condition(label, MET, f"“{p.location}”在{zone}内", clause)
    if p.location and not any(c in p.location for c in cities) and places_named(p.location):
        return Condition(label, UNMET, f"“{p.location}”不在{zone}范围内", clause)
    return Condition(label, CHECK, f"请确认所在地是否在{zone}范围内", clause)


def _prereq(prereq: str, p: Profile, clause: str) -> Condition:
    words = PREREQ_WORDS.get(prereq, ())
    if any(w in p.text for w in words):
        return Condition(f"前提：{prereq}", MET, "您的描述提到此项", clause)
    return Condition(f"前提：{prereq}", CHECK, f"请确认：{prereq}", clause)


def _focus(fields: list[str], p: Profile, clause: str) -> Condition:
    label = "重点领域：" + "、".join(fields)
    if p.industry and p.industry in fields:
        return Condition(label, MET, f"{p.industry}在本项重点支持的领域内", clause, decisive=False)
    note = f"本项重点支持{'、'.join(fields)}，请确认您的领域是否在内"
    return Condition(label, CHECK, note, clause, decisive=False)


def _purpose(purposes: list[str], p: Profile, clause: str) -> Condition:
    label = "用途：" + "、".join(purposes)
    ticked = [n for n in purposes if n in p.needs]
    if ticked:
        return Condition(label, MET, f"您的需求包括{'、'.join(ticked)}", clause)
    return Condition(label, CHECK, f"本项用于{'、'.join(purposes)}，请确认您有此需要", clause)


def _sector(sectors: list[str], p: Profile, clause: str) -> Condition:
    label = "行业：" + "、".join(sectors)
    said = [s for s in sectors if s in p.text or s in p.industry]
    if said:
        return Condition(label, MET, f"您的描述提到：{'、'.join(said)}", clause)
    return Condition(label, CHECK, f"本项面向{'、'.join(sectors)}等行业企业，请确认您是否属于", clause)
