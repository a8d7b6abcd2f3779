"""Pure scoring functions on plain data; each metric returns
`{"score": float, "individual_scores": [...]}` (haystack's evaluator shape).

Retrieval metrics take, per question, the ranked hits already matched against
the gold evidence: a list (rank order) of frozensets of the evidence indices
each hit holds, e.g. `[frozenset(), frozenset({0})]` = the second hit holds
evidence 0. `match_evidence` builds those sets from hit texts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import PurePath

from eval.normalize import fact_in, norm

Ranked = Sequence[frozenset[int]]  # per rank: indices of the gold evidence the hit holds


def _result(values: list[float]) -> dict:
    return {"score": sum(values) / len(values) if values else 0.0, "individual_scores": values}


# --- matching a hit against the gold evidence --------------------------------------


def doc_names(doc) -> tuple[str, str, str]:
    """What an evidence `doc` may name a document by: 文号, title, or source file name.

    The file name tells two versions of one title apart (`会计法(2017-11-04)` vs `会计法(2024-06-28)`).
    """
    return (doc.doc_number, doc.title, PurePath(doc.source).stem)


def doc_matches(ref: str, names: Sequence[str]) -> bool:
    """An evidence `doc` names a document by its 文号 or a distinctive part of its title.

    >>> doc_matches("苏府办〔2022〕71号", ["苏府办〔2022〕71 号", "苏州市金融支持…工作意见"])
    True
    """
    key = norm(ref)
    return bool(key) and any(key in norm(name) for name in names if name)


def quote_in(text: str, quote: str, partial: float = 0.0) -> bool:
    """Whether a chunk holds a gold quote (both normalised).

    With `partial` > 0 a chunk also counts when its own boundary cut the quote
    and it keeps at least that share of it: it ends with the quote's head or
    starts with its tail. A 500-character window cuts quotes that an article
    never does; this keeps the baselines from being punished for the cut itself.

    >>> quote_in("甲乙丙丁", "丙丁戊己", partial=0.5), quote_in("甲乙丙丁", "丙丁戊己")
    (True, False)
    """
    text, quote = norm(text), norm(quote)
    if not quote:
        return False
    if quote in text:
        return True
    need = max(1, math.ceil(len(quote) * partial)) if partial > 0 else len(quote) + 1
    heads = (quote[:n] for n in range(need, len(quote)))
    tails = (quote[-n:] for n in range(need, len(quote)))
    return any(text.endswith(h) for h in heads) or any(text.startswith(t) for t in tails)


def match_evidence(
    text: str, doc_names: Sequence[str], evidence: Sequence[dict], partial: float = 0.0
) -> frozenset[int]:
    """Indices of the evidence items (`{"doc", "quote"}`) this chunk holds."""
    return frozenset(
        i
        for i, e in enumerate(evidence)
        if doc_matches(e["doc"], doc_names) and quote_in(text, e["quote"], partial)
    )


# --- retrieval ----------------------------------------------------------------------


def hit_at_k(ranked: Sequence[Ranked], k: int) -> dict:
    """1 when any of the first k hits holds any gold evidence."""
    return _result([float(any(r[:k])) for r in ranked])


def reciprocal_rank(ranked: Sequence[Ranked]) -> dict:
    """1/rank of the first hit holding gold evidence, 0 when none does (MRR)."""
    return _result([next((1.0 / (i + 1) for i, m in enumerate(r) if m), 0.0) for r in ranked])


def evidence_recall_at_k(ranked: Sequence[Ranked], n_evidence: Sequence[int], k: int) -> dict:
    """Share of ALL a question's evidence found in the first k hits.

    A multi-document question found in one document only scores 1/2.
    """
    values = []
    for r, n in zip(ranked, n_evidence, strict=True):
        found = frozenset().union(*r[:k]) if r[:k] else frozenset()
        values.append(len(found) / n if n else 0.0)
    return _result(values)


# --- answers ----------------------------------------------------------------------------


def fact_recall(answers: Sequence[str], facts: Sequence[Sequence[str]]) -> dict:
    """Share of each question's facts that the answer text contains (normalised; "a|b": either form)."""
    values = []
    for text, wanted in zip(answers, facts, strict=True):
        t = norm(text)
        values.append(sum(fact_in(f, t) for f in wanted) / len(wanted) if wanted else 0.0)
    return _result(values)


def citation_hit(cited: Sequence[Sequence[frozenset[int]]]) -> dict:
    """1 when any cited article holds a gold quote (per answer: matches per citation)."""
    return _result([float(any(c)) for c in cited])


def first_citation_hit(cited: Sequence[Sequence[frozenset[int]]]) -> dict:
    """1 when the first cited article ([1], the quote read first) holds a gold quote.

    >>> first_citation_hit([[frozenset({0}), frozenset()], [frozenset(), frozenset({0})], []])["score"]
    0.3333333333333333
    """
    return _result([float(bool(c) and bool(c[0])) for c in cited])


def invalid_citations(counts: Sequence[int]) -> dict:
    """Citations that pointed nowhere, per answer; score = mean per answer."""
    return _result([float(c) for c in counts])


def refusal_rate(refused: Sequence[bool]) -> dict:
    """Share refused. On unanswerable questions higher is better; on answerable ones
    the same function gives the false-refusal rate, where lower is better."""
    return _result([float(r) for r in refused])


def latency(latencies_ms: Sequence[float]) -> dict:
    """p50 as the score, p95 alongside (nearest-rank percentiles)."""
    values = sorted(float(x) for x in latencies_ms)
    return {
        "score": percentile(values, 50),
        "p95": percentile(values, 95),
        "individual_scores": list(latencies_ms),
    }


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: [1, 2, 3, 4] at 50 -> 2.0, at 95 -> 4.0."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return float(sorted_values[rank - 1])


# --- figures an answer states that its sources do not ----------------------------------

# A figure is a number with a unit people check, or any number of 3+ digits;
# bare "1." list markers and [n] citation marks are not figures.
_UNITS = "个百分点|万平方米|平方米|亿元|万元|元|%|户|家|只|人|名|个|项|次|倍|年|月|日|天"
_FIGURE = re.compile(rf"(?<![\d.\[])(\d+(?:\.\d+)?)(?:({_UNITS})|(?=\D|$))")


def figures(text: str) -> list[str]:
    """Figures stated in a text, normalised.

    >>> figures("融资户数超 10000 户，不良率提高 3 个百分点[1]；1. 见下")
    ['10000户', '3个百分点']
    """
    out = []
    for m in _FIGURE.finditer(norm(text)):
        number, unit = m.group(1), m.group(2) or ""
        if unit or len(number.replace(".", "")) >= 3:
            out.append(number + unit)
    return out


def unsupported_figures(answer: str, sources: Sequence[str]) -> list[str]:
    """Figures of the answer found in none of its sources (cited texts, labels, question)."""
    pool = norm("".join(sources))
    return [f for f in figures(answer) if f not in pool]


def by_type(individual: Sequence[float], types: Sequence[str]) -> dict[str, float]:
    """Mean of a metric's individual scores per question type."""
    groups: dict[str, list[float]] = {}
    for value, kind in zip(individual, types, strict=True):
        groups.setdefault(kind, []).append(value)
    return {k: sum(v) / len(v) for k, v in groups.items()}
