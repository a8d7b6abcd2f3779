"""Whom a reader deals with, as the document itself says: its competent authority and the
bodies its articles make act.

A law or regulation names the department in charge in its own words, almost always in
its general provisions: "县级以上地方市场监督管理部门主管本行政区域的广告监督管理工作",
"各级人民政府财政部门是负责政府采购监督管理的部门", "市市场监督管理部门负责本市…". An
article that sanctions or decides names who does it: "由劳动行政部门责令改正",
"由登记机关责令改正". Policy documents list 责任单位 instead (`ingest.document`); a statute
has none, and its issuer (全国人民代表大会常务委员会, 国务院) is no one a business can ask.

Read from the text's grammar, not from a list of departments, so any library's laws give
theirs; the clause is kept verbatim so the answer can cite it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from typing import NamedTuple

from ingest.kinds import JUDICIAL
from ingest.record import Article

_UNIT = r"[\u4e00-\u9fff、]{2,30}?(?:部门|机关|机构|委员会|局|厅|署)"
_WHERE = r"全国|本行政区域|本市|本省|本自治区|本区|本县|本经济特区|本特区|本辖区|辖区"
_MANNER = r"(?:会同[^，。；]{0,12}?|按照职责(?:分工)?|在各自(?:的)?职责范围内|依照本\w{1,3}(?:的)?规定|依法)?"
# "X部门负责本行政区域内的Y工作" / "X部门主管全国的Y工作"
_IN_CHARGE = re.compile(
    rf"(?P<unit>{_UNIT}){_MANNER}(?:负责|主管|管理)(?:指导|统筹)?(?P<where>{_WHERE})(?:内)?[^，。；]{{0,40}}?"
    r"(?:工作|管理|监督|查处|实施)"
)
# "（县级以上地方人民政府）人力资源社会保障行政部门负责保障农民工工资支付工作的组织协调…":
# the unit is the sentence's subject, or has a level of government in front
_LEVEL_IN_CHARGE = re.compile(
    rf"(?:^|(?<=[。；])|(?P<level>县级以上|国务院))(?P<unit>{_UNIT}){_MANNER}(?:负责|主管|(?:应当)?依法(?:监督检查|监督管理))[^，。；]{{2,40}}?(?:工作|监督|管理|查处|情况)"
)
# "各级人民政府财政部门是负责政府采购监督管理的部门" / "…部门对不正当竞争行为进行查处"
_IS_THE_ONE = re.compile(rf"(?P<unit>{_UNIT})是负责[^，。；]{{2,30}}?的(?:部门|机关|机构)")
_ACTS_ON = re.compile(
    rf"(?P<unit>{_UNIT})(?:依法|(?:依照|按照|根据)[^。；]{{0,24}}?(?:职责|规定)，?)?对[^，。；由]{{2,30}}?(?:进行|实施|依法)?(?:查处|监督管理|监督检查)"
)
# A level of government in front of the unit: the reader's own level is meant.
_LEVEL = re.compile(
    r"^(?:国务院|中央|(?:县级以上|设区的市级以上|市级以上|省级)(?:地方)?(?:各级)?(?:人民政府)?|地方各级人民政府|"
    r"各级(?:地方)?人民政府|省、自治区、直辖市(?:人民政府)?|[\u4e00-\u9fff、]{0,12}?人民政府)"
)
_NOT_A_UNIT = re.compile(
    r"^(?:其他)?有关|有关部门$|等部门$|^其|^上级|^本级|人民政府$|人民代表大会|^该|^前款|^上述|^相关"
)
# "由劳动行政部门责令改正", "由登记机关依法责令…": the body the article makes act.
_ACTS = re.compile(
    rf"由(?P<unit>{_UNIT})(?:依法|依据职权|(?:依照|按照|根据)[^，。；]{{0,20}}?(?:规定|职责|职权))?"
    r"(?:责令|处以|处|给予|没收|吊销|撤销|予以|作出|决定|负责|受理|核准|审批|批准|组织|查处|认定|办理|进行|公布|收取|征收|追缴)"
)
_NUMBER = re.compile(r"^第[一二三四五六七八九十百零〇]+条")
# Only sentences with one of the verbs above are searched: the patterns backtrack over every
# run of characters: 5 MB of prose took 16 s, now 2 s.
_SENTENCE = re.compile(r"[^。；]+")
_TRIGGER = re.compile(r"负责|主管|管理|查处|监督检查")
MOST = 3
CLAUSE_CHARS = 80


@dataclasses.dataclass(frozen=True)
class Authority:
    units: tuple[str, ...]  # as the text names them, without the level of government
    locator: str  # the article that says so: 第六条
    clause: str  # its words, for the citation


class _Found(NamedTuple):
    order: int  # of the article in the document
    national: int  # 1 for 全国 / 国务院's level, 0 for the reader's own
    start: int  # in the article's plain text
    unit: str
    article: Article
    sentence: str


def _unit(raw: str) -> str:
    unit = _LEVEL.sub("", re.sub(r"^.*?(?:适用于|是指|(?<!自)由)", "", raw))
    unit = re.sub(r"^(?:地方|各级|的|确定的|设立的|指定的|、)+|、+$", "", unit)
    if len(unit) < 2 or _NOT_A_UNIT.search(unit) or len(unit) > 20:
        return ""
    return unit


def _units(raw: str) -> list[str]:
    """One unit per listed body.

    >>> _units("人力资源社会保障行政部门、其他有关部门"), _units("劳动保障行政部门或者税务机关")
    (['人力资源社会保障行政部门'], ['劳动保障行政部门', '税务机关'])
    """
    parts = re.split(r"(?<=部门|机关|机构|员会)(?:、|和|或者|或|及|以及|会同)", raw)
    return [u for u in map(_unit, parts) if u]


def _plain(text: str) -> str:
    """The article's text without its 第X条 and without line breaks (one inside a sentence is not its end)."""
    return _NUMBER.sub("", re.sub(r"\s+", "", text))


def _cited(sentence: str) -> str:
    return sentence if len(sentence) <= CLAUSE_CHARS else sentence[:CLAUSE_CHARS] + "…"


def in_charge(articles: list[Article]) -> Authority | None:
    """The competent authority the document names: in its earliest article that names one (the
    general provisions; else a 监督检查 chapter), the local level first ("本行政区域" over "全国").

    >>> from ingest.record import DocMeta
    >>> d = DocMeta("d", "s", "广告法")
    >>> a = Article("a", d, "article", ("第六条",), ("第六条",), "", "第六条 国务院市场监督管理部门主管全国的广告监督管理工作，"
    ...     "国务院有关部门在各自的职责范围内负责广告管理相关工作。县级以上地方市场监督管理部门主管本行政区域的广告监督管理工作。")
    >>> in_charge([a])
    Authority(units=('市场监督管理部门',), locator='第六条', clause='县级以上地方市场监督管理部门主管本行政区域的广告监督管理工作')
    """
    if articles and articles[0].doc.kind == JUDICIAL:
        return None  # a court's interpretation is addressed to courts: the bodies it names are parties
    found: list[_Found] = []
    for order, a in enumerate(x for x in articles if x.kind in ("article", "section")):
        text = _plain(a.text)
        sentences = [m for m in _SENTENCE.finditer(text) if _TRIGGER.search(m.group())]
        for sentence, rx in itertools.product(
            sentences, (_IN_CHARGE, _LEVEL_IN_CHARGE, _IS_THE_ONE, _ACTS_ON)
        ):
            for m in rx.finditer(text, *sentence.span()):
                raw = ((m.group("level") or "") if "level" in rx.groupindex else "") + m.group("unit")
                where = m.group("where") if "where" in rx.groupindex else ""
                national = int(where == "全国" or raw.startswith(("国务院", "国家", "中央")))
                found += [
                    _Found(order, national, m.start(), unit, a, sentence.group()) for unit in _units(raw)
                ]
    if not found:
        return most_acting(articles)
    found.sort(key=lambda f: (f.order, f.national, f.start))
    first = found[0]
    same = [f for f in found if f.article is first.article and f.national == first.national]
    units = tuple(dict.fromkeys(f.unit for f in same))[:MOST]
    return Authority(units, first.article.locator, _cited(first.sentence))


def most_acting(articles: list[Article]) -> Authority | None:
    """No article says who is in charge: the body the document most often makes act (twice at least),
    cited where it first does ("由公司登记机关责令改正").

    >>> from ingest.record import DocMeta
    >>> d = DocMeta("d", "s", "公司法")
    >>> arts = [Article(str(i), d, "article", (), (n,), "", t) for i, (n, t) in enumerate([
    ...     ("第一条", "为了规范公司的组织和行为，制定本法。"), ("第二百条", "由公司登记机关责令改正，处以罚款。"),
    ...     ("第二百零一条", "由公司登记机关责令改正。")])]
    >>> most_acting(arts)
    Authority(units=('公司登记机关',), locator='第二百条', clause='由公司登记机关责令改正，处以罚款')
    """
    counts: dict[str, int] = {}
    first: dict[str, Article] = {}
    for a in articles:
        for unit in acting_bodies(a.text):
            counts[unit] = counts.get(unit, 0) + 1
            first.setdefault(unit, a)
    if not counts or max(counts.values()) < 2:
        return None
    unit = max(counts, key=lambda u: counts[u])  # the first of equals: dicts keep document order
    sentence = next((x for x in _SENTENCE.findall(_plain(first[unit].text)) if unit in x), unit)
    return Authority((unit,), first[unit].locator, _cited(sentence))


def acting_bodies(text: str) -> list[str]:
    """The bodies an article makes act ("由劳动行政部门责令改正" -> 劳动行政部门), in order.

    >>> acting_bodies("由登记机关责令改正；拒不改正的，由县级以上人民政府市场监督管理部门处1万元以下的罚款。")
    ['登记机关', '市场监督管理部门']
    >>> acting_bodies("由有关部门依法处理。")
    []
    """
    compact = re.sub(r"\s+", "", text)
    return list(dict.fromkeys(u for m in _ACTS.finditer(compact) for u in _units(m.group("unit"))))


def with_authority(articles: list[Article], found: Authority | None) -> list[Article]:
    """One document's records, each carrying the document's competent authority `found`
    (`in_charge` of the records without flagged sentences)."""
    if found is None or not articles:
        return articles
    doc = dataclasses.replace(
        articles[0].doc,
        authorities=found.units,
        authority_article=found.locator,
        authority_clause=found.clause,
    )
    return [dataclasses.replace(a, doc=doc) for a in articles]
