"""Several vectors per article: one per sentence (or item), scored by the best one (max-sim).

An article's single vector averages everything it says; a question usually matches one of
its sentences ("给工人发钱的流水账本要留几年" is one clause of a five-clause article about
工资支付台账). Each sentence of a multi-sentence article is embedded with its document's
title in front (the sentence alone often never names its subject); an article's sentence
score is the best cosine among its sentences, and fusion adds it as one more signal
(`Fusion.weight_sentence`). Embeddings go through the same cache as articles, so a rebuild
embeds only new sentences.
"""

from __future__ import annotations

import re

import numpy as np

from index.cache import EmbeddingCache, embed_cached
from index.embed import Embedder
from ingest.record import Article

_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
MIN_CHARS = 8  # shorter pieces ("（一）", "第三条") carry no meaning of their own


def sentences(article: Article) -> list[str]:
    """The article's sentences and items, each with the document title in front; [] for one-sentence articles.

    >>> from ingest.record import DocMeta
    >>> a = Article("c", DocMeta("d", "f", "某条例"), "article", (), ("第一条",), "", "第一条 甲乙丙丁戊己庚。子丑寅卯辰巳午；短。")
    >>> sentences(a)
    ['某条例：第一条 甲乙丙丁戊己庚。', '某条例：子丑寅卯辰巳午；']
    """
    pieces = [m.group().strip() for m in _SENTENCE.finditer(article.text)]
    pieces = [p for p in pieces if len(p) >= MIN_CHARS]
    if len(pieces) <= 1:
        return []  # the article vector already is this sentence's vector
    return [f"{article.doc.title}：{p}" for p in pieces]


class SentenceVectors:
    """Sentence vectors and the article row each belongs to."""

    def __init__(self, vectors: np.ndarray, owners: np.ndarray, n_articles: int) -> None:
        self.vectors = np.ascontiguousarray(vectors, np.float32)
        self.owners = owners.astype(np.int64)
        self.n_articles = n_articles

    @classmethod
    def build(
        cls, articles: list[Article], embedder: Embedder, cache: EmbeddingCache | None
    ) -> tuple[SentenceVectors, int]:
        texts, owners = [], []
        for row, a in enumerate(articles):
            for s in sentences(a):
                texts.append(s)
                owners.append(row)
        if not texts:
            return cls(np.zeros((0, embedder.dim), np.float32), np.zeros(0, np.int64), len(articles)), 0
        vectors, embedded = embed_cached(texts, embedder.name, embedder.dim, embedder.embed_passages, cache)
        return cls(vectors, np.array(owners, np.int64), len(articles)), embedded

    def best(self, query: np.ndarray) -> np.ndarray:
        """Per article, the best sentence cosine (-1 for articles without sentence vectors)."""
        out = np.full(self.n_articles, -1.0, np.float32)
        if len(self.owners):
            np.maximum.at(out, self.owners, self.vectors @ query)
        return out

    def closest(self, query: np.ndarray, row: int, article: Article) -> str:
        """The article's sentence closest in meaning to the query ('' when it has no sentence vectors)."""
        idx = np.flatnonzero(self.owners == row)
        texts = sentences(article)
        if not len(idx) or len(idx) != len(texts):  # none, or vectors of another text of this row
            return ""
        best = texts[int(np.argmax(self.vectors[idx] @ query))]
        return best[len(article.doc.title) + 1 :]

    def save(self, path) -> None:
        np.savez(path, vectors=self.vectors, owners=self.owners, n=np.array([self.n_articles]))

    @classmethod
    def load(cls, path) -> SentenceVectors:
        with np.load(path) as z:
            return cls(z["vectors"], z["owners"], int(z["n"][0]))
