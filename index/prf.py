"""Pseudo-relevance feedback from the vector side: the policy's own words for the user's.

"员工今年的假没休" shares no word with 未休年休假工资报酬, but e5 puts that article near the top.
The most distinctive words of the best few vector hits (tf x idf, words the question does not
have) are searched with BM25 as a second, lighter query (`settings.prf_terms`, `prf_weight`):
the corpus supplies the vocabulary that `index/synonyms.txt` had to list by hand.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from index.keyword import KeywordIndex

MIN_CHARS = 2  # one-character tokens (的, 个) say nothing about the topic


def feedback_terms(keyword: KeywordIndex, texts: list[str], query: str, n: int) -> list[str]:
    """The n words with the highest tf x idf over `texts` that the query does not contain."""
    asked = set(keyword.tokenizer(query))
    tf: Counter[str] = Counter()
    for text in texts:
        tf.update(t for t in keyword.tokenizer(text) if len(t) >= MIN_CHARS and t not in asked)
    weight = {t: c * _idf(keyword, t) for t, c in tf.items()}
    return [t for t, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _idf(keyword: KeywordIndex, term: str) -> float:
    df = keyword.df(term)
    if not df:
        return 0.0
    return math.log1p((keyword.n_docs - df + 0.5) / (df + 0.5))


def expanded_scores(
    keyword: KeywordIndex, scores: np.ndarray, texts: list[str], query: str, n: int, weight: float
) -> np.ndarray:
    """BM25 of the question plus `weight` x BM25 of the feedback words."""
    terms = feedback_terms(keyword, texts, query, n)
    if not terms:
        return scores
    return (scores + weight * keyword.scores(" ".join(terms))).astype(np.float32)
