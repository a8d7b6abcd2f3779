"""Cleaning that keeps meaning: undo what PDF extraction did to the text.

PDF extractors put spaces inside Chinese words ("市政 府", "10000 户"), page markers
("— 8 —", "- 2 -") between lines, break lines mid-sentence, and markdown converters
add "#"/"**" marks. We remove exactly those artefacts and nothing of the wording.
"""

from __future__ import annotations

import re
import unicodedata

# A line that is only a page number, as PDF extractors leave them: — 8 —, - 2 -, 第 3 页, 3/12
PAGE_MARKER = re.compile(
    r"^\s*(?:[—–\-－─]{1,2}\s*\d{1,4}\s*[—–\-－─]{1,2}|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
MD_COMMENT = re.compile(r"^<!--.*-->$")  # <!-- INFO END --> in the law library's files
MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
MD_LONE_STARS = re.compile(r"\*\*")

# Characters between which a space is an extraction artefact: CJK ideographs, CJK and
# full-width punctuation, and digits (a space between "10000" and "户" is never meant).
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’《》〈〉「」『』【】〔〕…—·"
_CJK_SPACE = re.compile(
    rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}0-9])|(?<=[{_CJK}0-9])[ \t\u00a0\u3000]+(?=[{_CJK}])"
)

# Sentence-final punctuation: a line ending in one of these may end a paragraph.
TERMINAL = "。！？；：!?;:」』）)】"


def compact(text: str) -> str:
    """NFKC and no whitespace: the form in which references, figures and quotes are compared.

    >>> compact("到 2025 年末，超 １０000 亿元（十三） ８．")
    '到2025年末,超10000亿元(十三)8.'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def to_halfwidth_alnum(text: str) -> str:
    """Full-width digits and Latin letters to ASCII; punctuation stays full-width.

    >>> to_halfwidth_alnum("第１２条 ＡＩＣ，")
    '第12条 AIC，'
    """
    return "".join(
        unicodedata.normalize("NFKC", ch) if ("０" <= ch <= "９" or "Ａ" <= ch <= "ｚ") else ch for ch in text
    )


def strip_markdown(line: str) -> str:
    """'#### **四、重点举措**' -> '四、重点举措'; '**1. 培育。**坚持' -> '1. 培育。坚持'."""
    line = MD_HEADING.sub("", line)
    line = MD_EMPHASIS.sub(r"\2", line)
    return MD_LONE_STARS.sub("", line)


def remove_cjk_spaces(text: str) -> str:
    """Drop spaces the extractor put inside Chinese text; keep those between Latin words.

    >>> remove_cjk_spaces("已经市政 府第 3 次会议，超 10000 户，S 基金，企业 and 人才")
    '已经市政府第3次会议，超10000户，S 基金，企业 and 人才'
    """
    return _CJK_SPACE.sub("", text)


# Invisible characters some library files carry (a line of only U+200B became a 前言 record, and one
# inside a word splits it for keyword search and quote matching).
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def physical_lines(raw: str) -> list[str]:
    r"""Non-empty, stripped lines with page markers, rules, markdown marks and zero-width characters removed.

    >>> physical_lines("第一条\u200b公司\u200b法\n\u200b\n第二条")
    ['第一条公司法', '第二条']
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    out = []
    for line in _ZERO_WIDTH.sub("", raw).split("\n"):
        line = to_halfwidth_alnum(line).strip()
        if not line or PAGE_MARKER.match(line) or MD_RULE.match(line) or MD_COMMENT.match(line):
            continue
        line = strip_markdown(line).strip()
        if line:
            out.append(line)
    return out


def typical_width(lines: list[str]) -> int:
    """Width of a full line in this file: the 75th percentile of line lengths.

    Wrapped PDF text has lines of ~26-35 characters; files with one paragraph per
    line have a large width, so every line ending in 。 ends a paragraph there.
    """
    lengths = sorted(len(x) for x in lines if len(x) >= 10)
    if not lengths:
        return 40
    return lengths[int(0.75 * (len(lengths) - 1))]


def ends_paragraph(line: str, width: int) -> bool:
    """A line ends its paragraph when it ends a sentence well before the right margin."""
    return line.endswith(tuple(TERMINAL)) and len(line) < 0.85 * width


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph: no separator (Chinese needs none)."""
    return remove_cjk_spaces("".join(lines))
