"""Hybrid retrieval over a list of articles: exact references first, then BM25 + vectors fused.

`HybridRetriever(articles, embedder, settings)` builds everything in memory (the
evaluation uses it for baselines over other chunkings); `PolicyIndex` loads the same
parts from disk.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from index.cache import EmbeddingCache, embed_cached
from index.docnames import favoured, named_titles, names_of
from index.embed import Embedder
from index.errors import IndexMismatch
from index.expand import expand
from index.filters import DocumentRows, Filters, question_scope
from index.fusion import Candidates, Fusion, fuse, named_first
from index.hit import Hit
from index.keyword import KeywordIndex
from index.lookup import ClauseIndex, documents_named
from index.multivec import SentenceVectors
from index.neighbors import TermNeighbors
from index.passage import passage_text
from index.prf import expanded_scores
from index.tokens import Tokenizer, domain_words
from index.topic import shared_information
from index.vector import VectorIndex
from index.vocab import mined_words
from ingest.record import Article, DocMeta
from settings import Settings

_QUERY_CACHE = 512  # query vectors kept: weight tuning re-asks the same questions many times


@dataclass(frozen=True)
class Rankings:
    """Each retriever's own ranking for one query, before fusion (rows into `articles`)."""

    vector: list[tuple[int, float]]  # (row, cosine), best first
    keyword: list[tuple[int, float]]  # (row, BM25), best first, score > 0 only
    query_vector: np.ndarray | None
    keyword_scores: np.ndarray  # BM25 of every article
    sentence_scores: np.ndarray | None = None  # best sentence cosine of every article (max-sim)
    second_vector: np.ndarray | None = None  # the query in the second embedding
    favoured: frozenset[int] = frozenset()  # rows of documents the question names by place or year
    more: tuple[int, ...] = ()  # rows the extra signals rank high, added to the candidates


@dataclass
class Extras:
    """Optional signals built next to the two indexes (settings.sentence_vectors / second_embedder)."""

    sentences: SentenceVectors | None = None
    second: VectorIndex | None = None
    second_embedder: Embedder | None = None
    embedded: int = 0  # passages embedded now for these


def build_extras(articles: list[Article], settings: Settings, embedder: Embedder) -> Extras:
    """Sentence vectors and the second embedding's article vectors, as the settings ask (cached)."""
    out = Extras()
    cache = embedding_cache(settings)
    if settings.sentence_vectors:
        out.sentences, n = SentenceVectors.build(articles, embedder, cache)
        out.embedded += n
    if settings.second_embedder:
        from index.use_embed import UseEmbedder

        if settings.second_embedder != "use":
            raise ValueError(f"unknown second_embedder {settings.second_embedder!r}: use 'use' or ''")
        second = out.second_embedder = UseEmbedder()
        texts = [passage_text(a) for a in articles]
        vectors, n = embed_cached(texts, second.name, second.dim, second.embed_passages, cache)
        out.second, out.embedded = VectorIndex.build(vectors, settings), out.embedded + n
    return out


def embedding_cache(settings: Settings) -> EmbeddingCache:
    return EmbeddingCache(settings.path("cache", "embeddings.sqlite"))


def build_parts(
    articles: list[Article], embedder: Embedder, settings: Settings, vectors: np.ndarray | None = None
) -> tuple[KeywordIndex, VectorIndex, int]:
    """Keyword and vector indexes for the articles, and how many passages had to be embedded."""
    texts = [passage_text(a, settings.passage_headings) for a in articles]
    words = domain_words(a.text for a in articles)
    if settings.mined_words:
        words += mined_words(articles)
    tokenizer = Tokenizer(words)
    keyword = KeywordIndex.build(texts, tokenizer, settings.bm25_k1, settings.bm25_b)
    embedded = 0
    if vectors is None:
        cache = embedding_cache(settings)
        vectors, embedded = embed_cached(texts, embedder.name, embedder.dim, embedder.embed_passages, cache)
    return keyword, VectorIndex.build(vectors, settings), embedded


class HybridRetriever:
    def __init__(
        self,
        articles: list[Article],
        embedder: Embedder,
        settings: Settings,
        vectors: np.ndarray | None = None,
    ) -> None:
        """Index the articles; `vectors` (one row per article) skips embedding (benchmarks)."""
        keyword, vector, self.embedded = build_parts(articles, embedder, settings, vectors)
        extras = build_extras(articles, settings, embedder) if vectors is None else Extras()
        self.embedded += extras.embedded
        self._setup(articles, embedder, settings, keyword, vector, extras)

    @classmethod
    def from_parts(
        cls,
        articles: list[Article],
        embedder: Embedder,
        settings: Settings,
        keyword: KeywordIndex,
        vector: VectorIndex,
        extras: Extras | None = None,
    ) -> HybridRetriever:
        self = cls.__new__(cls)
        self.embedded = 0
        self._setup(articles, embedder, settings, keyword, vector, extras or Extras())
        return self

    def _setup(self, articles, embedder, settings, keyword, vector, extras: Extras) -> None:
        self.articles: list[Article] = list(articles)
        self.embedder, self.settings = embedder, settings
        self.keyword, self.vector = keyword, vector
        self.row_of = {a.chunk_id: i for i, a in enumerate(self.articles)}
        self.by_doc = DocumentRows(self.articles)
        self.clauses = ClauseIndex(self.articles)
        self.query_vector = lru_cache(maxsize=_QUERY_CACHE)(self._embed_query)
        self.extras = extras
        self.second_query = lru_cache(maxsize=_QUERY_CACHE)(self._embed_second)
        self.doc_names = [names_of(d) for d in self.by_doc.docs]
        self._neighbors: TermNeighbors | None = None  # built on first use (off by default)

    def _embed_query(self, query: str) -> np.ndarray:
        vec = np.asarray(self.embedder.embed_query(query), np.float32)
        if vec.shape != (self.vector.vectors.shape[1],):
            raise IndexMismatch(
                f"embedder {self.embedder.name} gives {vec.shape[-1]}-dim vectors; "
                f"the index holds {self.vector.vectors.shape[1]}-dim ones: rebuild the index"
            )
        return vec

    def _embed_second(self, query: str) -> np.ndarray:
        return np.asarray(self.extras.second_embedder.embed_query(query), np.float32)

    # --- retrieval -----------------------------------------------------------------
    def rankings(self, query: str, filters: Filters | None = None, with_vector: bool = True) -> Rankings:
        """Both rankings for a query, `settings.candidates` deep, within the filters."""
        return self._rankings(query, self.by_doc.allowed(filters), with_vector)

    def _rankings(self, query: str, allowed: np.ndarray | None, with_vector: bool) -> Rankings:
        depth = self.settings.candidates
        scores = self.keyword.scores(expand(query) if self.settings.expand_queries else query)
        qvec = self.query_vector(query) if with_vector else None
        vector = self.vector.search(qvec, depth, allowed) if qvec is not None else []
        if self.settings.prf_terms and vector:
            texts = [self.articles[row].text for row, _ in vector[: self.settings.prf_docs]]
            s = self.settings
            scores = expanded_scores(self.keyword, scores, texts, query, s.prf_terms, s.prf_weight)
        if self.settings.neighbor_terms and with_vector:
            s = self.settings
            near = self.neighbors().expansion(query, s.neighbor_terms, s.neighbor_min_cos)
            if near:
                scores = scores + s.neighbor_weight * self.keyword.scores(" ".join(near))
        scores = _masked(scores, allowed).astype(np.float32)
        keyword = _top_positive(scores, depth)
        sentence = second = None
        more: list[int] = []  # rows only the extra signals rank: candidates too
        if qvec is not None and self.extras.sentences is not None:
            sentence = self._max_sim(qvec)
            more += [row for row, _ in _top_positive(_masked(sentence + 1.0, allowed), depth)]
        if self.extras.second is not None:
            second = self.second_query(query)
            more += [row for row, _ in self.extras.second.search(second, depth, allowed)]
        favoured_rows = self._favoured(query)
        return Rankings(vector, keyword, qvec, scores, sentence, second, favoured_rows, tuple(more))

    def neighbors(self) -> TermNeighbors:
        """The vocabulary's vectors, embedded (or read from the cache) on first use."""
        if self._neighbors is None:
            self._neighbors = TermNeighbors(self.keyword, self.embedder, embedding_cache(self.settings))
        return self._neighbors

    def _max_sim(self, qvec: np.ndarray) -> np.ndarray:
        """Max-sim over each article's own vector and its sentence vectors."""
        return np.maximum(self.extras.sentences.best(qvec), self.vector.vectors @ qvec)

    def _favoured(self, query: str) -> frozenset[int]:
        docs = favoured(query, self.doc_names)
        if not docs:
            return frozenset()
        ids = np.array([d.doc_id in docs for d in self.by_doc.docs])
        return frozenset(np.flatnonzero(ids[self.by_doc.doc_of_row]).tolist())

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None, fusion: Fusion | None = None
    ) -> list[Hit]:
        """Best `k` articles: those the query names by number first, then the fused ranking.

        `fusion` overrides the settings' weights (the evaluation tunes them with it).
        """
        k = k or self.settings.top_k
        query = query[: self.settings.max_question_chars].strip()
        if not query or not self.articles:
            return []
        fusion = fusion or Fusion.from_settings(self.settings)
        chosen = filters is not None  # the caller's filters bind cited articles too; the defaults do not
        filters = question_scope(query, filters, self.by_doc.docs)  # texts in force; a place, a version
        allowed = self._scope(query, self._allowed_or_any(filters))
        r = self._rankings(query, allowed, with_vector=fusion.weight_vector > 0)
        named = [self.row_of[a.chunk_id] for a in self.clauses.lookup(query, filters.as_of)]
        if allowed is not None:
            # An article cited by number comes back even from a text no longer in force (the answer
            # says so): "上海市实施《气象法》办法第一条" must not turn into another law's article.
            any_validity = self._allowed_or_any(replace(filters, include_superseded=True))
            wider = allowed if chosen else self._scope(query, any_validity)
            ok = None if wider is None else set(wider.tolist())
            named = [row for row in named if ok is None or row in ok]
        ranked = named_first(named, fuse(self.candidates(r, []), fusion), k)
        return self._hits(ranked, r, query)

    def _allowed_or_any(self, filters: Filters) -> np.ndarray | None:
        """Rows the filters allow; a place scope that leaves nothing is dropped (the refusal rule
        then says the documents do not cover that place)."""
        allowed = self.by_doc.allowed(filters)
        if filters.place and allowed is not None and not len(allowed):
            return self.by_doc.allowed(replace(filters, place=""))
        return allowed

    def _scope(self, query: str, allowed: np.ndarray | None) -> np.ndarray | None:
        """Narrow the search to the documents a question names by 文号 ("71号文是哪次会议通过的").

        Ignored when the filters already exclude those documents: the filter is the user's choice.
        """
        named = {d.doc_id for d in documents_named(query, self.by_doc.docs)}
        if self.settings.scope_by_title:
            named |= named_titles(query, self.doc_names)
        if not named:
            return allowed
        rows = self.by_doc.rows_of(named)
        if allowed is not None:
            rows = np.intersect1d(rows, allowed)
        return rows if len(rows) else allowed

    def candidates(self, r: Rankings, extra: list[int]) -> Candidates:
        """Union of both rankings (plus `extra` rows) with both raw scores and both ranks."""
        rows = [row for row, _ in r.vector] + [row for row, _ in r.keyword] + list(r.more) + extra
        rows = list(dict.fromkeys(rows))
        cos = dict(r.vector)
        missing = [row for row in rows if row not in cos]
        if missing and r.query_vector is not None:
            cos.update(zip(missing, self.vector.cosine(r.query_vector, missing).tolist(), strict=True))
        vrank = {row: i for i, (row, _) in enumerate(r.vector, start=1)}
        krank = {row: i for i, (row, _) in enumerate(r.keyword, start=1)}
        at = np.array(rows, np.int64)
        return Candidates(
            rows=at,
            cosine=np.array([cos.get(row, 0.0) for row in rows], np.float32),
            bm25=r.keyword_scores[at] if rows else np.zeros(0, np.float32),
            vector_rank=np.array([vrank.get(row, 0) for row in rows], np.int64),
            keyword_rank=np.array([krank.get(row, 0) for row in rows], np.int64),
            sentence=None if r.sentence_scores is None else r.sentence_scores[at],
            second=None if r.second_vector is None else self.extras.second.cosine(r.second_vector, rows),
            favoured=np.array([row in r.favoured for row in rows], np.float32) if r.favoured else None,
        )

    def _hits(self, ranked: list[tuple[int, float]], r: Rankings, query: str) -> list[Hit]:
        c = self.candidates(r, [row for row, _ in ranked])
        at = {int(row): i for i, row in enumerate(c.rows)}
        best = c.cosine if c.sentence is None else np.maximum(c.cosine, c.sentence)
        words = self.keyword.tokenizer(query)
        return [
            Hit(
                self.articles[row],
                float(score),
                float(c.cosine[at[row]]),
                float(c.bm25[at[row]]),
                float(best[at[row]]) if r.query_vector is not None else -1.0,
                shared_information(words, passage_text(self.articles[row], self.settings.passage_headings)),
            )
            for row, score in ranked
        ]

    def closest_sentences(self, query: str, articles: list[Article]) -> dict[str, str]:
        """{chunk_id: the article's sentence closest in meaning to the query} ({} without sentence
        vectors): what an answer quotes when the question's words are not the article's."""
        sv = self.extras.sentences
        if sv is None or not len(sv.owners):
            return {}
        qvec = self.query_vector(query)
        found = {
            a.chunk_id: sv.closest(qvec, self.row_of[a.chunk_id], a)
            for a in articles
            if a.chunk_id in self.row_of
        }
        return {k: v for k, v in found.items() if v}

    # --- browsing ------------------------------------------------------------------
    def lookup(self, ref: str, as_of: str = "") -> list[Article]:
        """Articles a reference like "71号文第8条" names, from the version in force on `as_of`; []."""
        return self.clauses.lookup(ref, as_of)

    def articles_matching(self, filters: Filters | None = None) -> list[Article]:
        rows = self.by_doc.allowed(filters)
        return list(self.articles) if rows is None else [self.articles[i] for i in rows]

    def documents(self) -> list[DocMeta]:
        """Each document once, in corpus order."""
        return list(self.by_doc.docs)


def _masked(scores: np.ndarray, allowed: np.ndarray | None) -> np.ndarray:
    if allowed is None:
        return scores
    out = np.zeros_like(scores)
    out[allowed] = scores[allowed]
    return out


def _top_positive(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(row, score) of the k best positive scores, best first (ties: lower row first)."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
    order = positive[np.lexsort((positive, -scores[positive]))]
    return [(int(i), float(scores[i])) for i in order]
