"""Validate a generated answer against its context blocks.

1. `[n]` markers in any of the forms models write ([1][2], [1,2], [1-3], 【1】)
   are rewritten as [1][2]; markers that point at no block are removed and counted.
2. Every figure (number, amount, percentage, date) and every quoted programme
   name in a sentence must occur in an article the sentence cites (or, for a
   sentence without markers, in any article the answer cites). Otherwise the
   sentence is flagged: a wrong figure with a confident citation is the worst
   failure this product can have.
"""

from __future__ import annotations

import re

from answer.context import Block
from answer.record import Unsupported
from answer.sentences import normalize

_MARK = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、\-–~～]\s*\d{1,3})*)\s*[\]】］]")
ONE_MARK = re.compile(r"\[(\d+)\]")
# A sentence, then any markers placed after its full stop: "…贴息。[1][2]"
ANSWER_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*(?:[ \t]*\[\d+\])*|[。！？!?]+(?:[ \t]*\[\d+\])*")
_LIST_MARK = re.compile(r"^\s*(?:[-*•·]|\(?\d{1,2}[.、)]|（\d{1,2}）)\s*")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(%|个百分点|亿元|万元|千元|元|倍)?")
# Quoted names: “苏科贷”, "苏科贷", 「苏科贷」, 《某某办法》
_QUOTED = re.compile(r"“([^”]{1,40})”|\"([^\"]{1,40})\"|「([^」]{1,40})」|《([^》]{1,80})》")
UNVERIFIED_MARK = "〔未核实：{what}〕"
MIN_CONTEXT = 2  # word bigrams a figure's clause must share with the sentence (e.g. 评价+入库)
_YEAR = re.compile(r"(?:19|20)\d\d")
_CLAUSE_ENDS = "，,。；;、\n"


def _expand(group: str) -> list[int]:
    """'1, 3-5' -> [1, 3, 4, 5]"""
    out: list[int] = []
    for part in re.split(r"\s*[,，、]\s*", group):
        ends = re.split(r"\s*[\-–~～]\s*", part)
        lo, hi = int(ends[0]), int(ends[-1])
        out.extend(range(lo, hi + 1) if 0 <= hi - lo <= 10 else [lo, hi])
    return out


def normalize_markers(text: str, n_blocks: int) -> tuple[str, int]:
    """Rewrite markers as [n][m]; drop (and count) those outside 1..n_blocks.

    >>> normalize_markers("首贷[1,2]【3】[9]。", 3)
    ('首贷[1][2][3]。', 1)
    """
    invalid = 0

    def repl(m: re.Match) -> str:
        nonlocal invalid
        keep: list[int] = []
        for n in _expand(m.group(1)):
            if not 1 <= n <= n_blocks:
                invalid += 1
            elif n not in keep:
                keep.append(n)
        return "".join(f"[{n}]" for n in keep)

    text = _MARK.sub(repl, text)
    text = re.sub(r"(\[\d+\])\1+", r"\1", text)  # "[1][1]" -> "[1]"
    return text, invalid


def cited(text: str) -> list[int]:
    """Block numbers cited in a normalised answer, in first-use order.

    >>> cited("甲[2]。乙[1][2]。")
    [2, 1]
    """
    return list(dict.fromkeys(int(n) for n in ONE_MARK.findall(text)))


def answer_sentences(text: str) -> list[str]:
    """'甲10亿元[1]。乙。[2]\\n- 丙' -> ['甲10亿元[1]。', '乙。[2]', '- 丙']"""
    return [m.group().strip() for m in ANSWER_SENTENCE.finditer(text) if m.group().strip()]


def figures(sentence: str) -> list[str]:
    """Numbers (with money/percent units), dates' parts and quoted names, normalised.

    >>> figures("1. 到 2025 年，贷款超 １0,000 亿元，占55％，“苏科贷”[2]")
    ['2025', '10000亿元', '55%', '苏科贷']
    """
    s = normalize(_LIST_MARK.sub("", sentence))
    s = ONE_MARK.sub("", s)
    s = re.sub(r"(?<=\d),(?=\d{3})", "", s)
    out = [m.group(1) + (m.group(2) or "") for m in _NUMBER.finditer(s)]
    out += [next(g for g in m.groups() if g) for m in _QUOTED.finditer(s)]
    return out


def _digits_joined(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", normalize(text))


def haystack(block: Block) -> tuple[str, str]:
    """(article text, metadata: label, 文号, date in ISO and 年月日), normalised."""
    d = block.article.doc
    cn_date = ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.issue_date):
        y, m, day = d.issue_date.split("-")
        cn_date = f"{y}年{int(m)}月{int(day)}日"
    meta = "\n".join((block.article.label, d.title, d.doc_number, d.issue_date, cn_date))
    return _digits_joined(block.article.text), _digits_joined(meta)


def _context(sentence: str) -> set[str]:
    """Bigrams of the sentence's words (no digits): what a figure must be said about."""
    s = _digits_joined(ONE_MARK.sub("", sentence))
    return {s[i : i + 2] for i in range(len(s) - 1) if not re.search(r"[\d\W]", s[i : i + 2])}


def _found(figure: str, hay: tuple[str, str], context: set[str]) -> bool:
    """The figure is in the article *about the same thing*, or in its label/date.

    A number must sit in a clause sharing MIN_CONTEXT word bigrams with the
    sentence: "15000家" in "“科贷通”贷款累计惠及企业15000家" does not support
    "科技型中小企业每年评价入库15000家".
    """
    text, meta = hay
    if not figure[0].isdigit() or _YEAR.fullmatch(figure):  # names and years: presence is enough
        return figure in text or figure in meta
    pattern = re.compile(r"(?<![\d.])" + re.escape(figure) + r"(?!\d|\.\d)")
    if pattern.search(meta):
        return True
    for m in pattern.finditer(text):
        clause = _clause(text, m.start(), m.end())
        if len(context) < MIN_CONTEXT or len(_context(clause) & context) >= MIN_CONTEXT:
            return True
    return False


def _clause(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], bounded by ，。；、 and line ends."""
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_ENDS) + 1
    rights = [k for k in (text.find(c, end) for c in _CLAUSE_ENDS) if k >= 0]
    return text[left : min(rights, default=len(text))]


def missing_figures(sentence: str, hays: list[tuple[str, str]]) -> tuple[str, ...]:
    """Figures of the sentence found in none of the given blocks' haystacks."""
    context = _context(sentence)
    return tuple(f for f in figures(sentence) if not any(_found(f, h, context) for h in hays))


def check_figures(text: str, blocks: list[Block]) -> list[Unsupported]:
    """Sentences whose figures are not all in the articles they cite."""
    by_n = {b.n: haystack(b) for b in blocks}
    everything = [by_n[n] for n in cited(text) if n in by_n]
    out: list[Unsupported] = []
    for sentence in answer_sentences(text):
        own = [by_n[n] for n in cited(sentence) if n in by_n]
        missing = missing_figures(sentence, own or everything)
        if missing:
            out.append(Unsupported(sentence, missing))
    return out


def drop_unsupported(text: str, flags: list[Unsupported]) -> str:
    """Remove each flagged sentence: what its cited article does not say is not shown at all.

    >>> drop_unsupported("甲10亿元[1]。乙[1]。", [Unsupported("甲10亿元[1]。", ("10亿元",))])
    '乙[1]。'
    """
    for f in flags:
        text = text.replace(f.sentence, "", 1)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def mark_unsupported(text: str, flags: list[Unsupported]) -> str:
    """Put a visible 〔未核实：…〕 after each flagged sentence."""
    for f in flags:
        note = UNVERIFIED_MARK.format(what="、".join(f.missing))
        text = text.replace(f.sentence, f.sentence + note, 1)
    return text
