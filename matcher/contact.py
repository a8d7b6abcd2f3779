"""Who to contact about one measure: the unit the text names for it, never the whole issuer list.

In order: the department the measure's clause names ("省财政…予以贴息" -> 江苏省财政厅, the
issuer whose name holds 财政), the article's 责任单位 (71号文 lists them per article), else
the lead issuer, said to be that. A department named in another clause of the article is
not used: it acts on a different measure.
"""

from __future__ import annotations

import re

from ingest.places import NATIONAL, covers
from ingest.record import Article
from matcher.measures import Measure

# A short department word -> how an issuer's full name spells it.
DEPT_WORDS = {
    "财政": "财政",
    "科技": "科学技术|科技",
    "工信": "工业和信息化|经济和信息化|工信",
    "工业和信息化": "工业和信息化",
    "经济和信息化": "经济和信息化",
    "发展改革": "发展和改革|发展改革",
    "金融监管": "金融监督管理|金融监管",
    "地方金融": "地方金融|金融工作|金融委员会",
    "金融工作": "金融工作|金融委员会",
    "人社": "人力资源和社会保障|人社",
    "人力资源社会保障": "人力资源和社会保障",
    "商务": "商务",
    "自然资源": "自然资源",
    "市场监管": "市场监督管理|市场监管",
    "市场监督管理": "市场监督管理",
    "知识产权": "知识产权",
    "中小企业工作": "中小企业",
}
UNIT_SUFFIX = {"财政": "财政厅", "科技厅": "科学技术厅"}  # 省财政 -> 江苏省财政厅 when no issuer says it
ALL_DISTRICTS = re.compile(
    r"各县级市[〈<（(]区[〉>）)]政府[〈<（(]管委会[〉>）)]|相关县级市[〈<（(]区[〉>）)]政府[〈<（(]管委会[〉>）)]"
)
DISTRICT_BODIES = {"工业园区": "苏州工业园区管委会", "高新区": "苏州高新区管委会"}


def contact(article: Article, measures: list[Measure], location: str = "") -> str:
    """The unit to contact for these measures of `article`, with how it was found."""
    depts = [d for m in measures for d in m.get("dept")]
    if depts:
        unit = expand(depts[0], article)
        return unit if "（" in unit else unit + "（条文点名）"
    if article.responsible_units:
        units = [local_unit(u, article, location) for u in article.responsible_units]
        return "、".join(dict.fromkeys(units)) + "（责任单位）"
    issuers = article.doc.issuers
    if issuers:
        return f"{issuers[0]}（牵头发文单位；本条未写明责任单位）"
    region = _region(article)
    return f"本条未写明责任单位，请咨询{region or '当地'}相关主管部门"


def expand(dept: str, article: Article) -> str:
    """'省财政' -> '江苏省财政厅' (the issuer that holds 财政); '县级以上人民政府' -> '河南省县级以上人民政府'.

    >>> from ingest.record import DocMeta
    >>> doc = DocMeta("d", "f", "t", issuers=("江苏省科学技术厅", "江苏省财政厅"), region="江苏省")
    >>> a = Article("c", doc, "article", (), (), "h", "x")
    >>> expand("省财政", a), expand("财政部门", a), expand("市财政局", a)
    ('江苏省财政厅', '江苏省财政厅', '所在市财政局')
    """
    doc = article.doc
    region = doc.region or _region(article)
    city_dept_in_province = dept.startswith("市") and region.endswith("省")
    for word, spelled in DEPT_WORDS.items():
        hit = next((i for i in doc.issuers if re.search(spelled, i)), "") if word in dept else ""
        if hit and not city_dept_in_province:
            return hit
    if city_dept_in_province:
        return "所在市" + dept[1:]
    if dept[:1] in ("省", "市") and region.endswith(dept[0]):
        tail = UNIT_SUFFIX.get(dept[1:], dept[1:])
        return region + tail
    if "政府" in dept or "部门" in dept:
        local = "" if region in ("", NATIONAL) else region  # a national law's 县级以上人民政府 is everyone's
        return f"{local}{dept}（条文未指明具体部门）"
    return dept


def local_unit(unit: str, article: Article, location: str) -> str:
    """'市财政局' -> '苏州市财政局'; '各县级市〈区〉政府〈管委会〉' -> the company's own, when known."""
    region = article.doc.region
    if ALL_DISTRICTS.search(unit):
        if region and location and covers(region, location):
            body = next((b for k, b in DISTRICT_BODIES.items() if k in location), "")
            return body or f"{location}政府（管委会）"
        return "所在县级市（区）政府（管委会）"
    if unit.startswith("市") and region.endswith("市"):
        return region + unit[1:]
    return unit


def _region(article: Article) -> str:
    from matcher.verdict import region_of  # verdict imports measures; keep this module light

    return region_of(article)
