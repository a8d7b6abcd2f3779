"""A search result: the article and its scores."""

from __future__ import annotations

from typing import NamedTuple

from index.fusion import EXACT_SCORE
from ingest.record import Article


class Hit(NamedTuple):
    """(Article, fused score) first, so a Hit reads as the pipeline's `(chunk, score)` pair.

    `vector_score` (cosine) and `keyword_score` (BM25) are the raw signals, kept so the
    answer stage can calibrate when to refuse; fused `score` is rank-based and in [0, 1],
    or `fusion.EXACT_SCORE` for an article the query named by number. `best_cosine` (the
    article's or its closest sentence's) and `shared_information` (`index.topic`) tell whether
    the question is about anything the documents cover at all; -1 where a backend does not
    measure them.
    """

    article: Article
    score: float
    vector_score: float
    keyword_score: float
    best_cosine: float = -1.0
    shared_information: float = -1.0

    @property
    def named(self) -> bool:
        """The query named this article by number: it is first by that rule, not by its scores."""
        return self.score >= EXACT_SCORE

    def to_json(self, rank: int) -> dict:
        a = self.article
        return {
            "rank": rank,
            "score": round(self.score, 6),
            "vector_score": round(self.vector_score, 6),
            "keyword_score": round(self.keyword_score, 6),
            "best_cosine": round(self.best_cosine, 6),
            "shared_information": round(self.shared_information, 3),
            "chunk_id": a.chunk_id,
            "doc_title": a.doc.title,
            "doc_number": a.doc.doc_number,
            "label": a.label,
            "heading": a.heading,
            "text": a.text,
        }
