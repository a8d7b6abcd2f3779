"""Bytes of a text file -> str, deciding the encoding without guessing wrong.

Chinese policy files arrive as UTF-8, UTF-8 with a BOM (Windows Notepad),
UTF-16 with a BOM ("Unicode" in Notepad/Word) or GBK/GB18030 (older Windows
tools). The order of the cascade is what keeps them apart:

1. a byte-order mark decides outright;
2. NUL bytes without a BOM mean binary data;
3. strict UTF-8 next: real GBK text is essentially never valid UTF-8, while
   UTF-8 text often *is* valid GB18030 (b'\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd' is
   你好 in UTF-8 and 浣犲ソ in GB18030), so UTF-8 must be tried first;
4. a file that is almost all valid UTF-8 is damaged UTF-8, not GBK;
5. then the charset the file declares (HTML), then GB18030 (a superset of GBK
   and GB2312) - accepted only if the result reads as Chinese, because Big5
   and Shift-JIS bytes also decode as GB18030 without error.

A decode that needs replacement characters is refused rather than patched: a
policy text with a silently mangled figure is worse than a clear error.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

import charset_normalizer

# UTF-32 first: its little-endian BOM begins with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# GB2312 and GBK pages routinely contain characters only GB18030 has; it is a superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
# Share of valid non-ASCII characters above which a non-UTF-8 file is damaged UTF-8.
# GBK text decoded as UTF-8 keeps ~15% by chance (lead bytes C2-DF), so 90% is far apart.
MOSTLY_UTF8 = 0.9
# Control characters (not tab/newline/form feed) allowed before text counts as binary:
# old files carry a stray \x1a or \x07; random bytes decoded as GB18030 give ~10%.
MAX_CONTROL_SHARE = 0.01
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls except \t\n\v\f\r
# Share of GB2312 ideographs + CJK punctuation a GB18030 guess needs: real simplified text
# is >99% (names with rare characters included), Big5 read as GB18030 ~16%.
MIN_COMMON_CHINESE = 0.8
# CJK symbols and punctuation, full-width forms, general punctuation (“” — …).
_CJK_PUNCTUATION = ((0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2000, 0x206F))
GUESS_BYTES = 65536  # enough for charset-normalizer's guess; it is only used for the error message


class NotText(ValueError):
    """The bytes are not text in an encoding we can trust; str() says why."""


def decode_text(data: bytes, declared: str = "") -> str:
    """Decode `data`, using `declared` (an HTML meta charset) only after UTF-8.

    >>> decode_text("你好".encode("utf-8")), decode_text("联通".encode("gbk"))
    ('你好', '联通')
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _check_controls(_strict(data, codec, f"{name} (it starts with a {name} byte-order mark)"))
    if b"\x00" in data:
        raise NotText("contains NUL bytes: binary data, not text (or UTF-16 without a byte-order mark)")
    try:
        return _check_controls(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        if _mostly_utf8(data):
            raise NotText(f"is damaged UTF-8: invalid bytes {_where(data, err.start)}") from None
    declared_codec = _codec(declared)
    if declared_codec:
        try:
            return _check_controls(data.decode(declared_codec))
        except UnicodeDecodeError:
            pass  # pages often declare the wrong charset; carry on guessing
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise NotText(_undecodable(data, declared)) from None
    return _check_chinese(_check_controls(text), data)


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise NotText(f"is not valid {name}: invalid bytes at byte {err.start}") from None


def _codec(declared: str) -> str:
    """Python's codec for a declared charset; '' when none or unknown (browsers ignore those too)."""
    name = _SUPERSETS.get(declared.lower(), declared.lower())
    try:
        return codecs.lookup(name).name if name else ""
    except LookupError:
        return ""


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 127) - bad
    return good > 0 and good / (good + bad) >= MOSTLY_UTF8


def _check_chinese(text: str, data: bytes) -> str:
    """Refuse a GB18030 guess that reads as garbage.

    Big5, Shift-JIS and most double-byte encodings also decode as GB18030
    without error. Real simplified-Chinese text is >99% GB2312 ideographs and
    CJK punctuation; Big5 read as GB18030 is ~16% (kana, Greek, rare ideographs).
    """
    chars = [c for c in text if ord(c) > 127 and not c.isspace()]
    common = sum(1 for c in chars if _is_common_chinese(c))
    if chars and common / len(chars) < MIN_COMMON_CHINESE:
        share = f"only {common / len(chars):.0%} common Chinese characters"
        raise NotText(f"reads as garbage when decoded as GB18030 ({share}){_guess(data)}: save it as UTF-8")
    return text


@functools.cache  # a document repeats a few thousand distinct characters
def _is_common_chinese(c: str) -> bool:
    if any(lo <= ord(c) <= hi for lo, hi in _CJK_PUNCTUATION):
        return True
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return unicodedata.name(c, "").startswith("CJK UNIFIED")


def _check_controls(text: str) -> str:
    controls = len(_CONTROLS.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise NotText(f"contains {controls} control characters: binary data, not text")
    return text


def _where(data: bytes, offset: int) -> str:
    """Line and byte offset, so a person can find the bad spot: 'at line 3 (byte 57)'."""
    line = data.count(b"\n", 0, offset) + 1
    return f"at line {line} (byte {offset})"


def _undecodable(data: bytes, declared: str) -> str:
    tried = f"UTF-8, the declared {declared} or GB18030/GBK" if declared else "UTF-8 or GB18030/GBK"
    return f"is not {tried} text{_guess(data)}: save it as UTF-8"


def _guess(data: bytes) -> str:
    """charset-normalizer's guess, worded as a hint; only for encodings not already ruled out."""
    best = charset_normalizer.from_bytes(data[:GUESS_BYTES]).best()
    if best is None or best.encoding in ("ascii", "utf_8", "gb18030", "gbk", "gb2312"):
        return ""
    return f"; it may be {best.encoding}"
