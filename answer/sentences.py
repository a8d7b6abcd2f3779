"""Sentences and the words that make them relevant to a question.

Chinese has no spaces, so relevance is measured on character bigrams (plus
whole numbers / Latin words), weighted by how rare they are among the
candidate sentences: "企业" appears everywhere, "贴息" is the point.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from ingest.clean import compact

# Sentence ends; "；" too, because policy articles chain whole clauses with it.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_RUNS = re.compile(r"[0-9]+(?:\.[0-9]+)?|[a-z]+|[\u4e00-\u9fff]+")
# Question words carry no topic; they must not make a sentence look relevant.
STOP_TERMS = frozenset(
    ("什么", "哪些", "多少", "如何", "怎么", "怎样", "是否", "有没", "没有", "可以", "能否", "请问", "一下")
    + ("我们", "哪个", "几个", "有哪", "规定", "讲了", "说了", "相关", "关于", "政策", "文件", "支持")
    + ("有什", "么支", "么政", "些支", "有多", "少钱", "是什", "什么")
)


normalize = compact  # NFKC, no whitespace: figures compared across PDF-extracted text


def split_sentences(text: str, longest: int = 0) -> list[str]:
    """'一、目标。到2025年；完成\\n（一）' -> ['一、目标。', '到2025年；', '完成', '（一）']

    With `longest`, sentences longer than that are cut at commas into pieces
    of about that size: policy sentences run to 300 characters, and sending a
    whole one for the one clause that answers costs seconds of prompt time.
    """
    out = [m.group().strip() for m in _SENTENCE.finditer(text)]
    out = [s for s in out if re.search(r"\w", s)]
    if longest:
        out = [piece for s in out for piece in _cut(s, longest)]
    return out


def _cut(sentence: str, longest: int) -> list[str]:
    """Greedy pieces of at most ~`longest` chars, cut after '，' or '、'."""
    if len(sentence) <= longest:
        return [sentence]
    pieces, current = [], ""
    for clause in re.findall(r"[^，,、]+[，,、]*", sentence):
        if current and len(current) + len(clause) > longest:
            pieces.append(current)
            current = ""
        current += clause
    return [*pieces, current] if current else pieces


def terms(text: str) -> set[str]:
    """Bigrams of Chinese runs, whole numbers and Latin words, minus question words.

    >>> sorted(terms("首贷贴息有多少？"))
    ['息有', '贴息', '贷贴', '首贷']
    """
    out: set[str] = set()
    for run in _RUNS.findall(normalize(text).lower()):
        if not "\u4e00" <= run[0] <= "\u9fff" or len(run) == 1:
            out.add(run)
        else:
            out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out - STOP_TERMS


def idf(sentences: Iterable[str]) -> dict[str, float]:
    """Inverse document frequency of each term over a pool of sentences."""
    pool = [terms(s) for s in sentences]
    df: dict[str, int] = {}
    for ts in pool:
        for t in ts:
            df[t] = df.get(t, 0) + 1
    n = len(pool)
    return {t: math.log(1 + n / c) for t, c in df.items()}


def score(sentence: str, query: set[str], weights: dict[str, float]) -> float:
    """Weighted share of the question's terms found in the sentence; long sentences pay a little."""
    hit = query & terms(sentence)
    return sum(weights.get(t, 1.0) for t in hit) / (1 + len(sentence) / 400)


def choose(
    sentences: list[str],
    query: set[str],
    weights: dict[str, float],
    budget: int,
    most: int = 99,
    lead: bool = True,
    boost: re.Pattern | None = None,
    closest: str = "",
) -> list[int]:
    """Indices of the best-scoring sentences (at most `most`) that fit in `budget` characters, sorted.

    With `lead`, the first sentence (the article's lead, usually its heading) is
    kept when short: it says what the article is about, which small models
    need. When nothing matches (e.g. "第8条讲了什么") the article is read from the top.
    `closest` is the sentence retrieval found closest in meaning: it comes right after the best
    match by words ("上班路上出车祸" shares no word with "（六）在上下班途中，受到…交通事故").
    """
    if not sentences:
        return []
    scores = [score(s, query, weights) * (BOOST if boost and boost.search(s) else 1) for s in sentences]
    ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
    ranked = [i for i in ranked if scores[i] > 0] or list(range(len(sentences)))
    near = _holding(sentences, closest)
    if near is not None:
        ranked = [*ranked[:1], near, *(i for i in ranked[1:] if i != near)]
    chosen: list[int] = [0] if lead and len(sentences[0]) <= budget // 3 else []
    used = sum(len(sentences[i]) for i in chosen)
    for i in ranked:
        if len(chosen) >= most:
            break
        if i not in chosen and used + len(sentences[i]) <= budget:
            chosen.append(i)
            used += len(sentences[i])
    return sorted(chosen) or [ranked[0]]


def _holding(sentences: list[str], closest: str) -> int | None:
    """Index of the sentence that is, holds or lies inside `closest` (compared without spaces)."""
    want = normalize(closest).strip("。；;，, ")
    if len(want) < 4:
        return None
    for i, s in enumerate(sentences):
        have = normalize(s).strip("。；;，, ")
        if have and (want in have or have in want):
            return i
    return None


BOOST = 2.0  # a sentence holding what the question asks for (a figure when it asks 多少) outranks one
#   that only repeats its words: "（二）加大人才招引。" vs "引进领军人才（团队）10000人左右"
ASKS_FIGURE = re.compile(
    r"多少|几[个家项名人年月天次倍]|数量|数目|目标|规模|比例|金额|额度|期限|最长|最高|最多|上限|哪天|何时|日期|什么时候"
)
FIGURE = re.compile(r"\d")


def best(sentences: list[str], query: set[str], weights: dict[str, float]) -> float:
    """Score of the best-matching sentence (0 when none shares a term with the question)."""
    return max((score(s, query, weights) for s in sentences), default=0.0)
