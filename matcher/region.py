"""Does a document's region cover the company's location? True, False, or None (can't tell)."""

from __future__ import annotations

import re

from ingest.meta import CITIES

# County-level cities and districts of Suzhou, as people write their address.
SUZHOU_PLACES = ("苏州", "昆山", "张家港", "常熟", "太仓", "吴江", "吴中", "相城", "姑苏", "虎丘", "工业园区")
JIANGSU_PLACES = ("江苏", *CITIES, *SUZHOU_PLACES)


# Provinces and large cities outside Jiangsu, as questions name them ("杭州的企业…", "上海有什么补贴").
ELSEWHERE = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃",
    "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "杭州", "宁波", "温州",
    "绍兴", "嘉兴", "湖州", "金华", "台州", "合肥", "芜湖", "福州", "厦门", "泉州", "南昌", "济南",
    "青岛", "烟台", "郑州", "武汉", "长沙", "广州", "深圳", "珠海", "佛山", "东莞", "成都", "贵阳",
    "昆明", "西安", "兰州", "西宁", "银川", "乌鲁木齐", "拉萨", "南宁", "海口", "三亚", "石家庄", "太原",
    "沈阳", "大连", "长春", "哈尔滨", "呼和浩特",
)  # fmt: skip
# A place name inside the name of an exchange or a university is not where the asker is.
_NOT_A_LOCATION = re.compile(r"^[市省]?(证券|交易所|证交所|联交所|上市|挂牌|[^，。？?]{0,4}大学)")


def places_named(text: str) -> list[str]:
    """Places a question names as a location, Jiangsu's and others', each with 市/省 when written.

    >>> places_named("杭州市的科技企业有贴息吗？"), places_named("我们在昆山，想去上海证券交易所上市")
    (['杭州市'], ['昆山'])
    """
    out = []
    for place in (*ELSEWHERE, *JIANGSU_PLACES):
        for m in re.finditer(place, text):
            if _NOT_A_LOCATION.match(text[m.end() :]):
                continue
            suffix = text[m.end() : m.end() + 1]
            out.append(place + (suffix if suffix in "市省" and suffix else ""))
    return out


def covers(region: str, location: str) -> bool | None:
    """Whether a policy for `region` (江苏省 / 苏州市 …) reaches a company in `location`.

    >>> covers("江苏省", "苏州工业园区"), covers("苏州市", "昆山市"), covers("苏州市", "南京市")
    (True, True, False)
    >>> covers("苏州市", "上海市浦东新区"), covers("苏州市", "园区"), covers("", "苏州")
    (False, None, None)
    >>> covers("江苏省", "上海"), covers("江苏省", "浙江")
    (False, False)
    """
    location = location.strip()
    if not region or not location:
        return None
    places = SUZHOU_PLACES if region == "苏州市" else _places_of(region)
    if any(p in location for p in places):
        return True
    names_a_place = any(p in location for p in (*JIANGSU_PLACES, *ELSEWHERE)) or any(
        s in location for s in "省市县"
    )
    return False if names_a_place else None


def _places_of(region: str) -> tuple[str, ...]:
    if region == "江苏省":
        return JIANGSU_PLACES
    return (region.removesuffix("市"),)
