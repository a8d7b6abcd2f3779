"""Chinese numerals <-> integers, for article numbers (一 … 九十九, and a little beyond)."""

from __future__ import annotations

DIGITS = {
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
UNITS = {"十": 10, "百": 100}
CN_CHARS = "".join(DIGITS) + "".join(UNITS)


def cn_to_int(text: str) -> int | None:
    """'十三' -> 13, '二十' -> 20, '一百零五' -> 105, '8' -> 8; None if not a number.

    >>> [cn_to_int(t) for t in ("十", "十三", "二十一", "一百零五", "12", "甲")]
    [10, 13, 21, 105, 12, None]
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_CHARS for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c in DIGITS:
            current = DIGITS[c]
        else:
            total += (current or 1) * UNITS[c]  # a bare 十 means 一十
            current = 0
    return total + current


def int_to_cn(n: int) -> str:
    """13 -> '十三', 20 -> '二十', 105 -> '一百零五' (the way documents number their parts).

    >>> [int_to_cn(n) for n in (1, 10, 13, 20, 21, 105, 110)]
    ['一', '十', '十三', '二十', '二十一', '一百零五', '一百一十']
    """
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    if n < 20:
        return "十" + (names[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return names[tens] + "十" + (names[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + names[rest]
    else:
        tail = names[rest // 10] + "十" + (names[rest % 10] if rest % 10 else "")
    return names[hundreds] + "百" + tail
