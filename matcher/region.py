"""Does a document's region cover the company's location? True, False, or None (can't tell)."""

from __future__ import annotations

from ingest.meta import CITIES

# County-level cities and districts of Suzhou, as people write their address.
SUZHOU_PLACES = ("苏州", "昆山", "张家港", "常熟", "太仓", "吴江", "吴中", "相城", "姑苏", "虎丘", "工业园区")
JIANGSU_PLACES = ("江苏", *CITIES, *SUZHOU_PLACES)


def covers(region: str, location: str) -> bool | None:
    """Whether a policy for `region` (江苏省 / 苏州市 …) reaches a company in `location`.

    >>> covers("江苏省", "苏州工业园区"), covers("苏州市", "昆山市"), covers("苏州市", "南京市")
    (True, True, False)
    >>> covers("苏州市", "上海市浦东新区"), covers("苏州市", "园区"), covers("", "苏州")
    (False, None, None)
    """
    location = location.strip()
    if not region or not location:
        return None
    places = SUZHOU_PLACES if region == "苏州市" else _places_of(region)
    if any(p in location for p in places):
        return True
    names_a_place = any(p in location for p in JIANGSU_PLACES) or any(s in location for s in "省市县")
    return False if names_a_place else None


def _places_of(region: str) -> tuple[str, ...]:
    if region == "江苏省":
        return JIANGSU_PLACES
    return (region.removesuffix("市"),)
