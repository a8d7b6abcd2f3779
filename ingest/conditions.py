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
from ingest.condition_words import (
    AIMS,
    AMOUNT,
    BANK_SUBJECT,
    BENEFIT,
    CHANNEL,
    DEPT,
    DOC_REF,
    FIRST_LOAN,
    FOCUS,
    FUND_ADMIN,
    FUNDS,
    GIVES,
    INDIVIDUALS,
    INSTITUTION_NAMES,
    LENDING,
    MATERIAL,
    NOT_A_BENEFIT,
    OWN_STAFF,
    PENALTY,
    PREREQS,
    PRODUCT,
    RECIPIENT,
    SECTORS,
    SERVICE_DESK,
    STAGES,
    TARGETS,
    TIME,
    UNSTATED,
    ZONES,
)
from ingest.record import Article
from ingest.tags import NEED, NO_TAGS_KINDS, SUPPORT, TARGET, matching


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
