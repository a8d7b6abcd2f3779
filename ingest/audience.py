"""Who an article addresses: a company that can claim or use it, banks and investors told
what to do, or government departments. Read clause by clause (ingest/tags.py uses it).

A clause's subject decides: "省财政对…企业…予以贴息" gives a company money; "鼓励银行机构…"
instructs banks; a clause without a subject of its own keeps the article's ("各金融机构要…。
加大…。" tells banks both things).
"""

from __future__ import annotations

import re

# Financial / investment institutions as the subject of a sentence.
INSTITUTION = (
    r"(银行|金融机构|保险机构|保险公司|保险法人|担保机构|投资机构|金融资产投资公司|AIC|保险资金"
    r"|社保基金|信托公司|金融租赁公司|基金管理人)"
)

# A company receives money, a product or a service: the article is for companies.
# Strong: public money or investment reaches a company, its staff or its project.
MONEY_TO_COMPANY = re.compile(
    r"贴息|担保费(用)?补贴|(?<!担)保费[^。；]{0,12}补贴|免费诊断|落实[^。；]{0,6}奖励政策"
)
FOR_OBJECT = re.compile(r"对(?:于)?(?P<obj>[^。；]{1,60}?)(给予|予以|进行股权投资|提供增量)")
BENEFICIARY = re.compile(r"企业|人才|团队|项目|对象|保费|主体|首贷")
# Weak: "支持/鼓励…企业 获得/通过/发行…", services "为…企业提供", early-stage investment.
COMPANY_ACTS = re.compile(
    r"(支持|允许|鼓励|帮助|助力|推动|优先支持)(?P<obj>[^。；]{0,50}?)(企业|公司)[^。；，]{0,6}?"
    r"(获得|通过|发行|开展[^。；，]{0,8}(融资|业务)|登陆|利用|运用|实施|直接纳入|在全国|挂牌|上市|实现|"
    r"优化融资|规范)"
)
SERVICE_TO_COMPANY = re.compile(
    r"为[^。；]{0,30}企业[^。；]{0,20}提供|银企对接|融资路演|纳入[^。；]{0,12}后备企业|"
    r"(投向|布局|投资)[^。；]{0,30}(种子期|初创期|早期)[^。；]{0,20}企业(?![^，。；]{0,10}机构)|用地需求"
)
INSTITUTION_SUBJECT = re.compile(rf"^[^，,、。；]{{0,8}}?{INSTITUTION}|^对[^，,。；]{{0,30}}(机构|银行)[，,]")
# '鼓励/引导 银行…' addresses banks in one clause; '银行机构要…' makes them the subject.
LEADING_VERB = re.compile(r"^(鼓励|引导|支持|推动|指导|督促|要求|允许|发挥)")
# Departments as the subject: checked first, since 人民银行 is a regulator, not a lender.
GOVERNMENT_SUBJECT = re.compile(
    r"^[^，,、。；]{0,8}?(各相关部门|相关部门|监管部门|主管部门|管理部门|工信部门|财政部门|政府|各县级市|各地"
    r"|省财政|市财政|人民银行|人行|省科技厅|市相关部门)"
)
INTERNAL = re.compile(r"尽职免责|不良(贷款)?容忍度|考核|绩效|薪酬|审批权限|风险防控|风控")


def clauses(text: str) -> list[str]:
    """Sentences and semicolon clauses, the unit whose subject we classify."""
    return [c.strip() for c in re.split(r"[。；;！？]", text) if c.strip()]


def audience_of(text: str) -> str:
    """enterprise | institution | government, from who each clause addresses.

    Public money, investment or a named benefit reaching a company (its staff, its
    project) makes the article a company's. Otherwise a company-facing clause must
    hold its own against the clauses telling banks or departments what to do.
    """
    parts = clauses(text)
    if any(MONEY_TO_COMPANY.search(c) or _object_is_company(c) for c in parts):
        return "enterprise"
    roles = clause_roles(parts[1:] or parts)  # the first clause is the heading
    company, institution = roles.count("company"), roles.count("institution")
    government = roles.count("government")
    if company and company >= institution and 3 * company >= government:
        return "enterprise"
    return "institution" if institution and institution >= government else "government"


def clause_roles(parts: list[str]) -> list[str]:
    """Who each clause addresses. A clause with no subject of its own keeps the
    article's subject: the one named as '<X>要…', else the first clause's.

    >>> clause_roles(["各金融机构要优化定价", "降低企业融资成本", "各相关部门要加强协同", "规范收费"])
    ['institution', 'institution', 'government', 'government']
    >>> clause_roles(["设立产业基金", "引导金融机构做优信贷服务", "鼓励发展产业链金融"])
    ['government', 'institution', 'government']
    """
    out: list[str] = []
    role = ""
    for clause in parts:
        if GOVERNMENT_SUBJECT.search(clause):
            this, persists = "government", True
        elif INSTITUTION_SUBJECT.search(clause):
            this, persists = "institution", not LEADING_VERB.match(clause)
        elif _company_acts(clause) or SERVICE_TO_COMPANY.search(clause):
            this, persists = "company", False
        elif INTERNAL.search(clause):
            this, persists = "institution", False
        else:
            this, persists = role or "government", False
        if persists or not role:
            role = "government" if this == "company" else this
        out.append(this)
    return out


def _object_is_company(clause: str) -> bool:
    """'对<obj>给予/予以…' where <obj> is a company, its staff or project — not a bank or fund.

    >>> _object_is_company("省财政对投资江苏企业成效显著的AIC给予奖补")
    False
    >>> _object_is_company("对顶尖科技人才（团队）给予量身定制的特殊支持")
    True
    """
    return any(BENEFICIARY.search(obj) and not _is_institution(obj) for obj in _objects(clause))


def object_is_institution(clause: str) -> bool:
    return any(_is_institution(obj) for obj in _objects(clause))


def _objects(clause: str) -> list[str]:
    return [m.group("obj") for m in FOR_OBJECT.finditer(clause)]


def _is_institution(words: str) -> bool:
    return bool(re.search(INSTITUTION + "|机构|投资公司", words))


def _company_acts(clause: str) -> bool:
    """'支持<companies>获得/通过/发行…' where the supported party is not a bank or fund."""
    return any(not _is_institution(m.group("obj")) for m in COMPANY_ACTS.finditer(clause))
