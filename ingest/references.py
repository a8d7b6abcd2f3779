"""Document references: 文号 (苏府办〔2022〕71号), 令号 (国务院令第802号), short forms (71号文),
and a title's normal form, which names one text across its versions.

The one home of these patterns: ingest (a document's own number, the numbers it
cites), lookup ("71号文第8条") and the search scope use them.
"""

from __future__ import annotations

import re
import unicodedata

_OPEN, _CLOSE = "〔\\[［(（【", "〕\\]］)）】"
# 苏府办〔2022〕71号 in any bracket style a PDF or a typist produces; the issuer code is up to 12
# characters of the text before the bracket (callers needing the bare code trim it with `issuer_code`).
DOC_NUMBER = re.compile(rf"([\u4e00-\u9fff]{{1,12}})\s*[{_OPEN}]\s*(\d{{4}})\s*[{_CLOSE}]\s*(\d{{1,4}})\s*号")
# 中华人民共和国国务院令第802号 / 国家市场监督管理总局令第11号 / 上海市人民政府令第12号
ORDER_NUMBER = re.compile(r"([\u4e00-\u9fff]{2,24}?令)\s*第\s*(\d{1,4})\s*号")
# "71号文", "71号" not preceded by a digit or a closing bracket (so not the tail of a full 文号)
SHORT_NUMBER = re.compile(rf"(?<![\d{_CLOSE}])(\d{{1,4}})号文?")
SHORT_NUMBER_STRICT = re.compile(rf"(?<![\d{_CLOSE}])(\d{{1,4}})号文")  # in a question: "号文" is needed
_CODE_LEAD = re.compile(r"^.*?(?:根据|按照|依据|参照|执行|对照|落实|印发|贯彻|关于|和|及|与|、)")


def split_doc_number(text: str) -> tuple[str, str, str] | None:
    """(issuer code, year, number) of the first 文号 in `text`.

    >>> split_doc_number("苏府办[2022] 71 号"), split_doc_number("没有")
    (('苏府办', '2022', '71'), None)
    """
    m = DOC_NUMBER.search(text)
    return (m.group(1), m.group(2), str(int(m.group(3)))) if m else None


def normalize_doc_number(text: str) -> str:
    """'苏府办[2022] 71 号' -> '苏府办〔2022〕71号' ('' when there is none)."""
    parts = split_doc_number(text)
    return f"{parts[0]}〔{parts[1]}〕{parts[2]}号" if parts else ""


def issuer_code(code: str) -> str:
    """The code without the words before it: '根据苏府' -> '苏府'."""
    return _CODE_LEAD.sub("", code) or code


def doc_numbers_in(text: str) -> list[str]:
    """Every 文号 a text cites, normalised, in order.

    >>> doc_numbers_in("按照《…》（苏府〔2021〕53号）和苏府办〔2022〕71号执行")
    ['苏府〔2021〕53号', '苏府办〔2022〕71号']
    """
    out = []
    for m in DOC_NUMBER.finditer(text):
        out.append(f"{issuer_code(m.group(1))}〔{m.group(2)}〕{int(m.group(3))}号")
    return list(dict.fromkeys(out))


def order_number(text: str) -> str:
    """'中华人民共和国国务院令第683号公布' -> '国务院令第683号' ('' when none)."""
    m = ORDER_NUMBER.search(text)
    if not m:
        return ""
    return f"{m.group(1).removeprefix('中华人民共和国')}第{int(m.group(2))}号"


_TITLE_NOISE = re.compile(r"[\s《》〈〉“”\"'·・]")


def title_key(title: str) -> str:
    """The normal form that names one text across its versions.

    A leading 中华人民共和国 aside (the 2005 and 2020 files of one law may differ in it),
    NFKC, no spaces or quotes.

    >>> title_key("中华人民共和国 公司法") == title_key("公司法")
    True
    """
    t = _TITLE_NOISE.sub("", unicodedata.normalize("NFKC", title))
    return t.removeprefix("中华人民共和国")
