"""Conditions and terms of each support measure, read clause by clause from the text at ingest.

An article can hold several measures ("支持轻资产企业获得信用贷款。…支持无贷企业获得首次贷款。"):
each clause that offers something to a company is one measure, with the conditions
written in that clause. What the article says about amounts, materials, time windows,
channels and the department that acts is kept at article level, each with its clause.

`conditions_for(article)` returns tags, so the facts travel with the Article:

  cl:<start>-<end>:<kind>:<value>

`start`-`end` is the clause's span in `article.text` (shown to the user as the source of
the fact). Kinds:

  measure   the clause offers something to a company; value: what (贴息、信贷产品 …) or 支持
  by        institution: a bank, insurer or investor is told to act (a 金融机构配套举措)
  who       kinds of company the clause names; value: alternatives joined by | (any one will do)
  stage     life-cycle stages it is limited to: 种子期|初创期
  industry  fields it names as its focus: 电子信息|生物医药
  sector    trades listed as those meant: 铅蓄电池|电镀|化工
  zone      a zone narrower than the document's region: 苏南自创区
  prereq    something the company must already have: 获得“苏科贷”支持 / 试点支持对象 …
  unstated  符合条件的 / 按规定: conditions the text does not spell out
  ref       another document holding the details: 苏府〔2021〕53号
  need      company needs the measure answers: 贷款|首贷
  product   a named product: 信保贷
  amount / material / time / channel   terms the text states
  dept      the department the clause names as acting: 省财政 / 财政部门 / 县级以上人民政府

Rules are regular expressions over one clause, tested on the seeds and on regulations of
other places and kinds (tests/test_conditions.py, fixtures in tests/fixtures/matcher/laws/).
"""

from __future__ import annotations

import re

from ingest.audience import (
    INSTITUTION,
    INTERNAL,
    MONEY_TO_COMPANY,
    SERVICE_TO_COMPANY,
    _company_acts,
)
from ingest.record import Article
from ingest.tags import NEED, NO_TAGS_KINDS, SUPPORT, TARGET, matching

# Kinds of company a clause can name, most specific wording first; each match is blanked
# out so "科技型中小企业" is not also read as 中小企业.
TARGETS = {
    "科技型中小企业": r"科技型中小企业|小微型科技型企业",
    "高新技术企业": r"高新技术企业",
    "专精特新“小巨人”企业": r"专精特新[“\"]?小巨人[”\"]?企业|[“\"]小巨人[”\"]企业",
    "专精特新企业": r"[“\"]?专精特新[”\"]?(中小)?企业",
    "瞪羚企业": r"瞪羚企业",
    "独角兽培育企业": r"独角兽(培育)?企业",
    "领军人才": r"领军人才|战略科学家|顶尖[^。；，]{0,4}人才|创新团队|高层次[^。；，]{0,6}人才",
    "上市后备企业": r"上市后备企业|后备企业|纳入[^。；，]{0,6}培育库",
    "上市公司": r"上市公司",
    "领军企业": r"领军企业|龙头企业|链主企业|单项冠军",
    "科技服务业企业": r"科技服务业企业",
    "制造业中小企业": r"制造业(中小|小微)企业",
    "制造业企业": r"制造业[^。；，、]{0,4}企业",
    "科技型企业": r"科技型[^。；，、]{0,4}企业|科技企业|科技创新企业|科创企业|硬科技企业|创新型[^。；，、]{0,4}企业",
    "中小企业": r"中小微?企业",
    "小微企业": r"小微企业|小型微型企业|小企业",
    "轻资产企业": r"轻资产企业",
    "无贷企业": r"无贷企业|首贷户",
    "民营企业": r"民营企业|民营经济",
    "产业创新集群企业": r"产业创新集群企业",
    "科技招商项目": r"招商项目",
}
FIRST_LOAN = re.compile(r"(的)?(首贷|首次贷款)")
INDIVIDUALS = re.compile(r"人才|团队")  # a clause naming no company but people: they are the beneficiary
STAGES = ("种子期", "初创期", "成长期", "成熟期")
STAGE_WORDS = r"(种子期|初创期|成长期|成熟期|初创企业)"
# Fields a clause names as its focus, mapped to the form's industries (ingest/tags.py INDUSTRY).
FOCUS = re.compile(r"重点支持|聚焦|重点投向|重点发展|围绕|领域")
# Trades listed as the only ones meant: "支持铅蓄电池、电镀、化工…等行业企业".
SECTORS = re.compile(r"(?P<list>[\u4e00-\u9fff]{1,8}(、[\u4e00-\u9fff]{1,8}){1,9})等行业(企业)?")
ZONES = {"苏南自创区": r"苏南自创区|苏南国家自主创新示范区"}
PREREQS = {
    "已获得“苏科贷”等贷款支持": r"获得[“\"][^”\"]{1,8}贷[”\"]支持",
    "属于试点支持对象": r"试点支持对象",
    "已投保相关保险": r"对投保企业|投保[^。；，]{0,12}保险[^。；，]{0,6}的",
    "列入相关清单或名录": r"清单内企业|列入[^。；，]{0,10}(清单|名录)",
    "承担国家攻关任务": r"承担国家攻关任务",
    "与高校、科研机构合作研发": r"与(高等院校|高校)[^。；]{0,12}合作(研究)?开发",
    "引进的人才符合条件": r"引进的符合条件的人才",
    "由劳动者自主创业开办": r"自主开办|自主创业|首次创业",
}
UNSTATED = re.compile(r"符合(政策)?条件的?|按(照)?(有关|国家|相关)?规定|依照(有关|相关)?规定|按程序")
DOC_REF = re.compile(
    r"《[^》]{2,40}》（?[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号）?|[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号"
)
PRODUCT = re.compile(r"[“\"]([^”\"]{1,10}(贷|担|保|投|债))[”\"]")

INSTITUTION_NAMES = re.compile(r"(股权投资|创业投资|天使投资|投资|担保|保险|融资租赁)(机构|公司)")
AIMS = re.compile(r"目标|原则|思想|思路|总体要求|适用范围|名词解释|立法目的")
# A bank's or a department's own staff: "引进培养既懂制造业又懂金融的复合型人才".
OWN_STAFF = re.compile(
    r"(引进|培养|引育)[^。；]{0,20}(复合型|专业化?|金融)[^。；]{0,6}人才|人才队伍|人才培养机制"
)
# A bank told to act ("金融机构应当…", "鼓励银行机构…"): it helps a company, but the bank acts.
BANK_SUBJECT = re.compile(
    rf"^[^，。；]{{0,12}}?{INSTITUTION}[^，。；]{{0,6}}?(应当|要|可)|^(鼓励|引导|支持|推动|督促)[^，。；]{{0,6}}{INSTITUTION}"
)
# What makes "支持/鼓励企业…" a benefit rather than an exhortation.
BENEFIT = re.compile(r"融资|贷款|上市|挂牌|债券|投资|资金|补贴|补助|奖励|服务|获得|用地|场地|便利|资本市场")
# Verbs after 给予/予以 that are no benefit: checks, sanctions, publication.
NOT_A_BENEFIT = re.compile(
    r"(给予|予以)(查验|处罚|警告|罚款|通报|取缔|撤销|吊销|公告|公布|查处|处理|验收)|不得|不再予以|不予"
)
FUNDS = re.compile(r"专项资金|资助|补助|奖补")
RECIPIENT = re.compile(r"企业|项目|单位|人才|经营者|创业者|组织|农民")  # money must reach someone
FUND_ADMIN = re.compile(r"监督|评估|管理办法|使用过程|审计")  # how a fund is run, not who gets it
SERVICE_DESK = re.compile(r"一站式|服务中心|服务专员|服务平台")  # a desk serving a named kind of company
LENDING = re.compile(r"投放|信贷|贷款|授信|融资服务|融资需求|金融支持|金融服务")
PENALTY = re.compile(r"罚款|骗取|责令|追究|处分|截留|挪用|违反本")
CN_NUM = "零〇一二两三四五六七八九十百千万"
AMOUNT = re.compile(
    rf"(最高|最长|不超过|不低于|上限|上浮|下浮|以上|以下)?[^。；，,]{{0,8}}?"
    rf"(\d+(\.\d+)?\s*(%|％|个百分点|倍|万元|亿元|元|年|个月)|百分之[{CN_NUM}]+|[{CN_NUM}]+(万元|亿元|元|个百分点|倍))"
    rf"([^。；，]{{0,6}}(以上|以下|以内))?"
)
MATERIAL = re.compile(r"(申报|申请)材料|提交[^。；]{0,30}(材料|证明|资料|报告)|提供[^。；]{0,20}(证明|材料)")
TIME = re.compile(
    rf"每年\d{{1,2}}月|\d{{1,2}}月\d{{1,2}}日前|截止|申报期|有效期|之日起[^。；]{{0,12}}[{CN_NUM}\d]+个?(工作)?日内"
    rf"|[{CN_NUM}\d]+个?(工作)?日内|期限[^。；，]{{0,8}}\d"
)
CHANNEL = re.compile(
    r"通过[^。；，]{0,20}(平台|系统|网站|窗口|专区)|线上服务专区|一站式|服务专员|服务中心|服务平台|直通车"
    r"|向[^。；，]{0,20}(申请|申报|提出|备案)"
)
# The department that acts in a clause: "省财政对…予以贴息", "由政府有关部门依照规定给予资助".
DEPT = re.compile(
    r"(省|市|县|区)(财政|科技厅|科技局|工信|工业和信息化|发展改革委|人社|商务|金融监管局|地方金融|自然资源|市场监管|知识产权局)"
    r"(厅|局|委|部门)?"
    r"|(财政|科技|工信|经济和信息化|人力资源社会保障|商务|自然资源|市场监督管理|中小企业工作|知识产权|金融工作)(主管)?部门"
    r"|(县级以上|设区的市、县（市、区）|市、区县|市和县（市）区|各级)?人民政府(及其)?(有关部门)?|政府有关部门"
)
GIVES = re.compile(r"给予|予以|提供|安排|资助|补助|奖励|贴息")


def conditions_for(article: Article) -> tuple[str, ...]:
    """`cl:` tags for one article (none for notices and colophons).

    >>> from ingest.record import DocMeta
    >>> a = Article("c", DocMeta("d", "f", "某意见"), "article", (), ("1",), "h",
    ...             "加强激励。发挥“首贷”政策作用，支持无贷企业获得首次贷款。")
    >>> [t for t in conditions_for(a) if ":who:" in t or ":measure:" in t]
    ['cl:5-28:measure:信贷产品', 'cl:5-28:who:无贷企业']
    """
    if article.kind in NO_TAGS_KINDS:
        return ()
    aims = bool(AIMS.search(article.heading))  # 总体目标, 基本原则: no measure, whatever they name
    tags: list[str] = []
    for start, end in spans(article.text):
        clause = article.text[start:end]
        facts = clause_facts(clause, first=start == 0)
        if aims:
            facts = [(k, v) for k, v in facts if k in ("amount", "material", "time", "channel", "dept")]
        tags += [f"cl:{start}-{end}:{k}:{v}" for k, v in facts]
    return tuple(dict.fromkeys(tags))


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or semicolon clause, without its end mark.

    >>> spans("甲乙。丙；丁")
    [(0, 2), (3, 4), (5, 6)]
    """
    out, start = [], 0
    for m in re.finditer(r"[。；;！？\n]|$", text):
        piece = text[start : m.start()]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((start + lead, start + lead + len(piece.strip())))
        start = m.end()
    return out


def clause_facts(clause: str, first: bool = False) -> list[tuple[str, str]]:
    """(kind, value) pairs for one clause: its measure and conditions, then its terms."""
    if PENALTY.search(clause):  # fines and sanctions offer nothing
        return []
    facts = terms(clause)
    offered = offers(clause)
    if offered is not None and not (
        first and len(clause) < 40 and not _acts(clause)
    ):  # a short heading offers nothing
        parts = re.split(r"[，,]", clause)  # "支持金融机构发行债券…，支持科技型中小企业通过集合债形式融资"
        own_offer = any(_company_acts(p) for p in parts) or MONEY_TO_COMPANY.search(clause)
        by_bank = [("by", "institution")] if BANK_SUBJECT.search(clause) and not own_offer else []
        facts = [("measure", "、".join(offered) or "支持"), *by_bank, *conditions(clause), *facts]
    return facts


def offers(clause: str) -> list[str] | None:
    """Support kinds a clause gives a company ([] = it helps, kind unnamed), None when it gives none.

    >>> offers("省财政对投资江苏企业成效显著的AIC给予奖补")
    >>> offers("实施“设备担”担保费补贴政策，引导担保机构支持中小微企业设备更新")
    ['担保费补贴']
    """
    if INTERNAL.search(clause) or OWN_STAFF.search(clause):
        return None
    if _acts(clause):
        return matching(SUPPORT, INSTITUTION_NAMES.sub("□", clause))
    if _directs_to_companies(clause):
        return matching(SUPPORT, INSTITUTION_NAMES.sub("□", clause))
    return None


def _directs_to_companies(clause: str) -> bool:
    """Banks told to lend to a named kind of company: "围绕科技型中小企业…增加信用贷、首贷投放"."""
    named = [t for t in targets(clause) if t != "人才（个人）"]
    aim = TARGET.search(clause)  # 力争、到2025年: a goal, not an instruction about whom to serve
    finance = re.search(INSTITUTION, clause) or LENDING.search(
        clause
    )  # "集聚…企业" is recruiting, not serving
    return bool(
        named and finance and not aim and matching(NEED, clause) and not _gives_to_institution(clause)
    )


def _acts(clause: str) -> bool:
    """A company receives money, a product, a service or a right in this clause.

    >>> _acts("支持中小企业通过发行债券、境内外上市等方式筹集资金"), _acts("鼓励企业制定并实施企业清洁生产标准")
    (True, False)
    >>> _acts("公安机关交通管理部门应当对申请登记的快递经营企业主体资格予以查验")
    False
    """
    if _gives_to_institution(clause) or NOT_A_BENEFIT.search(clause):
        return False
    company = r"企业|人才|团队|项目|对象|首贷|经营者|创业人员|投保"
    gives = re.search(
        rf"对[^。；]{{0,60}}?({company})[^。；]{{0,30}}?(给予|予以|提供|进行股权投资|落实)", clause
    )
    return bool(
        MONEY_TO_COMPANY.search(clause)
        or gives
        or (_company_acts(clause) and BENEFIT.search(clause))  # "鼓励企业实施标准" gives nothing
        or SERVICE_TO_COMPANY.search(clause)
        or re.search(
            r"为其提供[^。；]{0,30}(支持|保障|服务|便利)|为[^。；]{0,20}(企业|人才)[^。；]{0,20}提供", clause
        )
        or (SERVICE_DESK.search(clause) and any(t != "人才（个人）" for t in targets(clause)))
        or re.search(
            rf"(支持|帮助|扶持|鼓励)[^。；]{{0,30}}({company})[^。；]{{0,20}}(获得|融资|申报)", clause
        )
        or re.search(r"(贷”|贷”“)[^。；]{0,10}(规模|惠及)", clause)
        or (FUNDS.search(clause) and RECIPIENT.search(clause) and not FUND_ADMIN.search(clause))
    )


def _gives_to_institution(clause: str) -> bool:
    """'对<bank/fund>给予…': money to a bank or investor, not to a company."""
    m = re.search(r"对(?P<obj>[^。；]{1,40}?)(开展的[^。；]{0,30})?(给予|予以)", clause)
    return bool(m and re.search(rf"({INSTITUTION}|机构|投资公司)$", m.group("obj")))


def conditions(clause: str) -> list[tuple[str, str]]:
    """Who, stage, field, zone and prerequisites a measure's clause names."""
    out = []
    who = targets(clause)
    if who:
        out.append(("who", "|".join(who)))
    stages = stages_of(clause)
    if stages:
        out.append(("stage", "|".join(stages)))
    if FOCUS.search(clause):
        from ingest.tags import INDUSTRY  # the form's fields and their wording

        fields = [k for k in matching(INDUSTRY, clause) if k != "制造业"]
        if fields:
            out.append(("industry", "|".join(fields)))
    sectors = SECTORS.search(clause)
    if sectors:
        listed = re.sub(r"^(支持|鼓励|引导|推动|帮助|对)", "", sectors.group("list"))
        out.append(("sector", "|".join(re.split(r"[、，,]", listed))))
    out += [("zone", z) for z, p in ZONES.items() if re.search(p, clause)]
    out += [("prereq", p) for p, pat in PREREQS.items() if re.search(pat, clause)]
    if UNSTATED.search(clause):
        out.append(("unstated", UNSTATED.search(clause).group(0)))
    out += [("ref", r) for r in dict.fromkeys(DOC_REF.findall(clause))]
    needs = matching(NEED, clause.replace("人才贷", "□"))  # a loan's name is no talent need
    if "贴息" in clause and "债" not in clause and "贷款" not in needs:
        needs.insert(0, "贷款")  # an interest subsidy is on a loan (bonds aside)
    if needs:
        out.append(("need", "|".join(needs)))
    out += [("product", p) for p in dict.fromkeys(m.group(1) for m in PRODUCT.finditer(clause))]
    return out


def targets(clause: str) -> list[str]:
    """Kinds of company a clause names, each once, longest wording first.

    >>> targets("省财政对符合条件的科技创新企业首贷、科技服务业企业贷款和领军企业贷款予以贴息")
    ['领军企业', '科技服务业企业', '科技型企业·首贷']
    >>> targets("围绕高新技术企业、“专精特新”中小企业、科技型中小企业、制造业单项冠军企业等市场主体")
    ['科技型中小企业', '高新技术企业', '专精特新企业', '领军企业']
    """
    found = []
    for name, pattern in TARGETS.items():
        m = re.search(pattern, clause)
        if m:
            first_loan = FIRST_LOAN.match(clause, m.end())  # 科技创新企业首贷: their first loan only
            found.append(name + ("·首贷" if first_loan else ""))
            clause = re.sub(pattern, "、", clause)  # a list mark: no pattern spans it
    if not found and INDIVIDUALS.search(clause):
        found.append("人才（个人）")
    return found


def stages_of(clause: str) -> list[str]:
    """Stages a clause limits itself to; none when it names the whole life cycle.

    >>> stages_of("重点投向种子期、初创期科技企业"), stages_of("覆盖种子期、初创期、成长期、成熟期等全生命周期")
    (['种子期', '初创期'], [])
    """
    named = [s for s in STAGES if s in clause] + (["初创期"] if "初创企业" in clause else [])
    named = list(dict.fromkeys(named))
    return [] if len(named) == len(STAGES) or "全生命周期" in clause else named


def terms(clause: str) -> list[tuple[str, str]]:
    """Amounts, materials, time windows, channels and the acting department a clause states."""
    out = []
    if not TARGET.search(clause) and not INTERNAL.search(clause):
        out += [("amount", m.group(0).strip("，")) for m in AMOUNT.finditer(clause) if _is_term(m.group(0))]
    out += [("material", m.group(0)) for m in MATERIAL.finditer(clause)]
    out += [("time", m.group(0)) for m in TIME.finditer(clause)]
    out += [("channel", m.group(0)) for m in CHANNEL.finditer(clause)]
    dept = department(clause)
    if dept:
        out.append(("dept", dept))
    return out


def _is_term(text: str) -> bool:
    """A figure that is a term (5年 as a loan period), not a date or a count (2025年, 30家)."""
    return not re.search(r"\d{4}\s*年|第[^。；]{0,3}\d", text)


def department(clause: str) -> str:
    """The department a clause names as the one that gives, or ''.

    >>> department("省财政对符合条件的科技创新企业首贷予以贴息"), department("由政府有关部门依照规定给予资助")
    ('省财政', '政府有关部门')
    >>> department("支持银行机构延长贷款期限")
    ''
    """
    if not GIVES.search(clause):
        return ""
    m = DEPT.search(clause)
    return m.group(0) if m else ""
