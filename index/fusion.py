"""Fusing the vector and keyword rankings into one, two ways (`settings.fusion`).

- "score": a weighted sum of each side's scores scaled to [0, 1] over the candidates
  (BM25 / its maximum; cosine min-max, since e5 cosines crowd into 0.8-0.9);
- "rrf": reciprocal rank fusion (Cormack, Clarke & Büttcher 2009),
  sum of w / (rrf_k + rank), a missing rank contributing 0.
Either way the fused score is divided by its maximum, so 1.0 means "best on both sides".

Score fusion takes optional signals too, each 0 unless its weight is set: the best cosine
of the article's sentences (`weight_sentence`, index/sentences.py), a second embedding's
cosine (`weight_second`), and a bonus for documents the question names by place or year
(`weight_doc`, index/docnames.py). Weights are fitted with `python -m eval.tune`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from settings import Settings

EXACT_SCORE = 2.0  # score of an article named by reference ("71号文第8条"): above any fused score
METHODS = ("score", "rrf")


@dataclass(frozen=True)
class Fusion:
    weight_keyword: float = 1.0
    weight_vector: float = 1.0
    rrf_k: int = 60
    method: str = "score"
    weight_sentence: float = 0.0  # best sentence cosine (score fusion only)
    weight_second: float = 0.0  # second embedding's cosine (score fusion only)
    weight_doc: float = 0.0  # bonus for a document the question names by place or year

    @classmethod
    def from_settings(cls, s: Settings) -> Fusion:
        return cls(
            s.weight_keyword,
            s.weight_vector,
            s.rrf_k,
            s.fusion,
            s.weight_sentence,
            s.weight_second,
            s.weight_doc,
        )

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown fusion {self.method!r}: use one of {METHODS}")


@dataclass(frozen=True)
class Candidates:
    """Every article either side ranked, with both raw scores and both ranks (1-based, 0 = unranked)."""

    rows: np.ndarray
    cosine: np.ndarray
    bm25: np.ndarray
    vector_rank: np.ndarray
    keyword_rank: np.ndarray
    sentence: np.ndarray | None = None  # best sentence cosine per candidate
    second: np.ndarray | None = None  # second embedding's cosine per candidate
    favoured: np.ndarray | None = None  # 1.0 where the question names the candidate's document


def fuse(c: Candidates, f: Fusion) -> list[tuple[int, float]]:
    """(row, fused score in [0, 1]) best first; ties go to the better single rank, then the lower row.

    >>> c = Candidates(np.array([7, 8]), np.array([0.9, 0.8]), np.array([0.0, 5.0]), np.array([1, 2]), np.array([0, 1]))
    >>> [(row, round(s, 3)) for row, s in fuse(c, Fusion(1.0, 1.0, 60, "rrf"))]
    [(8, 0.992), (7, 0.5)]
    >>> [(row, round(s, 3)) for row, s in fuse(c, Fusion(1.0, 0.5, 60, "score"))]
    [(8, 0.667), (7, 0.333)]
    """
    if len(c.rows) == 0:
        return []
    wv, wk = max(f.weight_vector, 0.0), max(f.weight_keyword, 0.0)
    total = wv + wk or 1.0
    if f.method == "rrf":
        scores = wv * _rrf(c.vector_rank, f.rrf_k) + wk * _rrf(c.keyword_rank, f.rrf_k)
        scores = scores * (f.rrf_k + 1) / total
    else:
        scores = _score_fusion(c, f, wv, wk)
    ranks = np.where(c.vector_rank > 0, c.vector_rank, 10**9)
    ranks = np.minimum(ranks, np.where(c.keyword_rank > 0, c.keyword_rank, 10**9))
    order = np.lexsort((c.rows, ranks, -scores))
    return [(int(c.rows[i]), float(scores[i])) for i in order]


def _score_fusion(c: Candidates, f: Fusion, wv: float, wk: float) -> np.ndarray:
    parts = [(wv, _min_max(c.cosine)), (wk, _by_max(c.bm25))]
    parts += [
        (max(w, 0.0), _min_max(x))
        for w, x in ((f.weight_sentence, c.sentence), (f.weight_second, c.second))
        if x is not None and w > 0
    ]
    total = sum(w for w, _ in parts) or 1.0
    scores = sum(w * x for w, x in parts) / total
    if c.favoured is not None and f.weight_doc > 0:
        scores = scores + f.weight_doc * c.favoured
    return scores


def _rrf(ranks: np.ndarray, k: int) -> np.ndarray:
    return np.where(ranks > 0, 1.0 / (k + np.maximum(ranks, 1)), 0.0)


def _by_max(x: np.ndarray) -> np.ndarray:
    top = float(x.max())
    return x / top if top > 0 else np.zeros_like(x)


def _min_max(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.ones_like(x)
