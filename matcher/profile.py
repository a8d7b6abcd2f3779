"""A company's short profile, and which `who:` / `stage:` / `need:` tags it satisfies."""

from __future__ import annotations

from dataclasses import dataclass

INDUSTRIES = ("电子信息", "装备制造", "生物医药", "先进材料", "其他")
# Suzhou's 四大主导产业 are all manufacturing: articles about 制造业 speak to them.
MANUFACTURING = ("电子信息", "装备制造", "生物医药", "先进材料")
STAGES = ("种子期", "初创期", "成长期", "成熟期")
SIZES = ("小微", "中型", "大型")

# Certification as the form offers it -> the `who:` tags (ingest/tags.py) it satisfies.
CERTIFICATIONS = {
    "高新技术企业": ("高新技术企业", "科技型企业"),
    "科技型中小企业": ("科技型中小企业", "科技型企业"),
    "专精特新中小企业": ("专精特新企业",),
    "专精特新“小巨人”": ("专精特新企业", "专精特新“小巨人”企业"),
    "瞪羚企业": ("瞪羚企业", "科技型企业"),
    "独角兽培育企业": ("独角兽培育企业", "科技型企业"),
    "上市后备企业": ("上市后备企业",),
    "上市公司": ("上市公司",),
    "领军企业": ("领军企业",),
    "领军人才企业": ("领军人才",),  # 创新创业领军人才企业: founded by a certified 领军人才
}

NEEDS = (
    "贷款", "信用贷", "首贷", "股权投资", "上市", "债券", "保险", "担保", "设备更新",
    "数字化转型", "人才", "用地", "知识产权质押", "跨境金融", "并购",
)  # fmt: skip

MAX_TEXT = 500  # a description, not an essay

# 初创科技型企业 are those set up no more than 5 years before (财税〔2018〕55号): the
# stage we assume when the form gives an age but no stage.
STARTUP_MAX_YEARS = 5.0


@dataclass(frozen=True)
class Profile:
    industry: str = ""  # one of INDUSTRIES, or ""
    stage: str = ""  # one of STAGES, or "" (then inferred from age_years)
    certifications: tuple[str, ...] = ()  # keys of CERTIFICATIONS
    needs: tuple[str, ...] = ()  # values of NEEDS
    location: str = ""  # free text: 苏州工业园区, 南京市 …
    age_years: float | None = None  # years since registration
    has_collateral: bool | None = None  # False: 轻资产, a 信用贷 is what helps
    has_loan: bool | None = None  # False: never borrowed from a bank, a 首贷 is what helps
    size: str = ""  # one of SIZES, or ""
    text: str = ""  # free description: 民营、已获得“苏科贷”… (read for what the form has no field for)

    @classmethod
    def from_dict(cls, d: dict) -> Profile:
        """A profile from the CLI's JSON: every field optional, unknown values dropped.

        >>> Profile.from_dict({"years": 2, "has_borrowed": False, "needs": ["贷款", "飞行"]}).needs
        ('贷款',)
        """
        years = d.get("years")
        return cls(
            industry=d.get("industry") if d.get("industry") in INDUSTRIES else "",
            stage=d.get("stage") if d.get("stage") in STAGES else "",
            certifications=tuple(c for c in d.get("certifications") or () if c in CERTIFICATIONS),
            needs=tuple(n for n in d.get("needs") or () if n in NEEDS),
            location=str(d.get("location") or "").strip()[:MAX_TEXT],
            age_years=float(years) if isinstance(years, int | float) and years > 0 else None,
            has_collateral=_bool(d.get("has_collateral")),
            has_loan=_bool(d.get("has_borrowed", d.get("has_loan"))),
            size=d.get("size") if d.get("size") in SIZES else "",
            text=str(d.get("text") or "")[:MAX_TEXT],
        )

    @property
    def effective_stage(self) -> str:
        """The stage given, else 初创期 for a company younger than STARTUP_MAX_YEARS."""
        if self.stage:
            return self.stage
        if self.age_years is not None and self.age_years <= STARTUP_MAX_YEARS:
            return "初创期"
        return ""

    @property
    def targets(self) -> set[str]:
        """`who:` values this company is.

        >>> sorted(Profile(certifications=("专精特新“小巨人”",), has_collateral=False).targets)
        ['专精特新“小巨人”企业', '专精特新企业', '轻资产企业']
        """
        out = {t for c in self.certifications for t in CERTIFICATIONS.get(c, ())}
        if self.industry in MANUFACTURING:
            out.add("制造业企业")
            if self.size in ("小微", "中型"):
                out.add("制造业中小企业")
        if self.size == "小微":
            out.add("小微企业")
        if self.has_collateral is False:
            out.add("轻资产企业")
        if self.has_loan is False:
            out.add("无贷企业")
        return out

    @property
    def wanted(self) -> set[str]:
        """Needs, plus what they imply: a loan without collateral is a 信用贷, a first loan a 首贷.

        >>> sorted(Profile(needs=("贷款",), has_collateral=False, has_loan=False).wanted)
        ['信用贷', '贷款', '首贷']
        """
        out = set(self.needs)
        if out & {"贷款", "信用贷", "首贷"}:
            out.add("贷款")
            if self.has_collateral is False:
                out.add("信用贷")
            if self.has_loan is False:
                out.add("首贷")
        return out


def _bool(value) -> bool | None:
    return value if isinstance(value, bool) else None
