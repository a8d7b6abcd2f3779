"""Article numbering as Chinese policy documents write it.

Levels, outermost first: 第X章 > 第X节 > 一、 > 第X条 > （一）/(一) > 1．/1./1、 > （1）/(1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUM = "零〇一二三四五六七八九十百千两"

# kind -> rank (smaller = outer). 第X条 sits below 一、 because documents that use
# both write 一、 for parts and 第X条 for articles.
# 第X节 divides a chapter of a code or law (公司法 第二章 第一节 设立): without its own level its heading
# was read as the last words of the article before it.
RANK = {"chapter": 0, "jie": 1, "cn": 2, "tiao": 3, "paren_cn": 4, "arabic": 5, "paren_arabic": 6}

_PATTERNS = (
    # "第一百二十八 条": a space inside the marker is a typesetting slip, not another kind of line
    ("chapter", re.compile(rf"^第\s?([{CN_NUM}\d]+)\s?[章部分]+\s*")),
    ("jie", re.compile(rf"^第\s?([{CN_NUM}\d]+)\s?节\s*")),
    ("tiao", re.compile(rf"^第\s?([{CN_NUM}\d]+)\s?条\s*")),
    ("cn", re.compile(rf"^([{CN_NUM}]+)\s*、\s*")),
    ("paren_cn", re.compile(rf"^[（(]\s*([{CN_NUM}]+)\s*[）)]\s*")),
    ("paren_arabic", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
    # "1．" "1." "1、" — but not "1.5倍" or "2025." years
    ("arabic", re.compile(r"^(\d{1,2})\s*[．.、](?!\d)\s*")),
)


def cn_to_int(text: str) -> int:
    """Chinese or Arabic numeral to int.

    >>> [cn_to_int(x) for x in ("八", "十", "十三", "二十一", "一百零五", "12", "一百一十", "一千零四十")]
    [8, 10, 13, 21, 105, 12, 110, 1040]
    """
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "千":
            total += (current or 1) * 1000
            current = 0
    return total + current


def parse_number(text: str) -> int | None:
    """Like cn_to_int, but None for anything that is not a numeral (user input).

    >>> [parse_number(t) for t in ("十三", " 8 ", "１２", "甲", "", "十a")]
    [13, 8, 12, None, None, None]
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_NUM for c in text):
        return None
    return cn_to_int(text)


def int_to_cn(n: int) -> str:
    """Int to Chinese numeral, as documents number their sections: after 百 or 千 a ten is 一十
    (第一百一十条, 第二百一十五条), a gap is 零 (第一百零五条, 第一千零四十条).

    >>> [int_to_cn(x) for x in (1, 10, 13, 21, 105, 110, 215, 1010, 1040, 1164, 1200)]
    ['一', '十', '十三', '二十一', '一百零五', '一百一十', '二百一十五', '一千零一十', '一千零四十', '一千一百六十四', '一千二百']
    """
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    unit, size = ("千", 1000) if n >= 1000 else ("百", 100)
    rest = n % size
    if rest == 0:
        tail = ""
    elif rest < size // 10:  # a skipped place: 一百零五, 一千零四十
        tail = "零" + _after_unit(rest)
    else:
        tail = _after_unit(rest)
    return digits[n // size] + unit + tail


def _after_unit(n: int) -> str:
    """A number written after 百/千: its ten is 一十, not 十."""
    return "一" + int_to_cn(n) if 10 <= n < 20 else int_to_cn(n)


@dataclass(frozen=True)
class Marker:
    kind: str  # a key of RANK
    value: int
    token: str  # canonical token used in labels: 四 / （三） / 8 / 第一章 / 第三条 / （1）
    rest: str  # the line after the marker

    @property
    def rank(self) -> int:
        return RANK[self.kind]


def canonical_token(kind: str, value: int) -> str:
    return {
        "chapter": f"第{int_to_cn(value)}章",
        "jie": f"第{int_to_cn(value)}节",
        "tiao": f"第{int_to_cn(value)}条",
        "cn": int_to_cn(value),
        "paren_cn": f"（{int_to_cn(value)}）",
        "arabic": str(value),
        "paren_arabic": f"（{value}）",
    }[kind]


def parse_marker(line: str) -> Marker | None:
    """The numbering at the start of a line, if any.

    >>> parse_marker("（十三）探索科技保险产品和服务创新。").token
    '（十三）'
    >>> parse_marker("8．加强政策激励").rest
    '加强政策激励'
    >>> parse_marker("2025年末") is None
    True
    """
    for kind, pattern in _PATTERNS:
        m = pattern.match(line)
        if m:
            value = cn_to_int(m.group(1))
            if value <= 0:
                return None
            return Marker(kind, value, canonical_token(kind, value), line[m.end() :])
    return None
