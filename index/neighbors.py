"""The library's own words for the user's, found by the embedder: a second, lighter BM25 query.

"投标押金" never occurs in a law; "保证金" does, and e5 puts the two words close. Every word
of the keyword index's vocabulary (two or more characters, in at least `MIN_DF` articles) is
embedded once, cached by content like passages; a question's words the library does not use are
embedded at query time and each brings its nearest library words above `min_cos`
(`settings.neighbor_terms` per word), searched as a second BM25 query weighted `settings.neighbor_weight` — as PRF (`index/prf.py`)
does with the words of the best vector hits. Nothing here is a hand-written list: the vocabulary
grows with the library.
"""

from __future__ import annotations

import re

import numpy as np

from index.cache import EmbeddingCache, embed_cached
from index.embed import Embedder
from index.keyword import KeywordIndex
from index.tokens import STOPWORDS

MIN_DF = 2  # a word in one article is a name or a typo more often than a term
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


class TermNeighbors:
    def __init__(self, keyword: KeywordIndex, embedder: Embedder, cache: EmbeddingCache | None) -> None:
        self.keyword, self.embedder = keyword, embedder
        self.words = [
            w for w in keyword.vocab if _CJK_WORD.match(w) and w not in STOPWORDS and keyword.df(w) >= MIN_DF
        ]
        vectors, self.embedded = embed_cached(
            self.words, embedder.name, embedder.dim, embedder.embed_passages, cache, batch=512
        )
        self.vectors = vectors
        self._asked: dict[str, np.ndarray] = {}  # question word -> its query vector (words recur)

    def expansion(self, query: str, per_word: int, min_cos: float) -> list[str]:
        """Library words near the question's words (not the question's own), nearest first."""
        asked = [w for w in dict.fromkeys(self.keyword.tokenizer(query)) if _CJK_WORD.match(w)]
        # only the user's words the library does not use: those it uses, BM25 already matches
        asked = [w for w in asked if w not in STOPWORDS and self.keyword.df(w) < MIN_DF]
        if not asked or not self.words:
            return []
        q = np.stack([self._vector(w) for w in asked])
        sims = q @ self.vectors.T
        out: dict[str, float] = {}
        for row, word in enumerate(asked):
            for j in np.argsort(-sims[row])[: per_word + 1]:
                cand = self.words[j]
                if sims[row, j] >= min_cos and cand not in asked and cand not in word and word not in cand:
                    out[cand] = max(out.get(cand, 0.0), float(sims[row, j]))
        return sorted(out, key=lambda w: -out[w])

    def _vector(self, word: str) -> np.ndarray:
        if word not in self._asked:
            if len(self._asked) > 50_000:
                self._asked.clear()
            self._asked[word] = np.asarray(self.embedder.embed_query(word), np.float32)
        return self._asked[word]
