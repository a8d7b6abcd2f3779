"""`MilvusIndex`: the `SearchIndex` protocol over a Milvus collection (Lite file or server).

Milvus returns the two candidate lists — dense (inner product on e5 vectors) and its
own BM25 over jieba tokens — and the product ranks them with the same code as the FAISS
backend: `index.fusion.fuse`, then `named_first` for an article named by number. A
candidate only one side found gets the other side's score from Milvus too (its vector,
a BM25 search restricted to it), so the fused scores mean what they mean on FAISS.

Filters become a `doc_id in [...]` expression: which documents pass is decided by the
same `doc_matches` as on FAISS, so both backends filter identically.

The article records are read once at open (clause lookup, browsing and citations need
them; 146k articles: see README "Index backends").
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from index import milvus_store as ms
from index.embed import Embedder, make_embedder
from index.errors import IndexMismatch, IndexMissing
from index.expand import expand
from index.filters import Filters, doc_matches, question_scope
from index.fusion import Candidates, Fusion, fuse, named_first
from index.hit import Hit
from index.lookup import ClauseIndex, documents_named
from index.passage import passage_text
from index.refresh import RefreshReport
from index.tokens import Tokenizer
from index.topic import shared_information
from ingest.record import Article, DocMeta
from settings import Settings


@dataclass(frozen=True)
class _Side:
    ids: list[str]
    scores: dict[str, float]
    vectors: dict[str, np.ndarray] = field(default_factory=dict)  # dense vectors, when asked for


class MilvusIndex:
    def __init__(self, client, settings: Settings, embedder: Embedder, manifest: dict) -> None:
        self.client, self.settings, self.embedder, self.manifest = client, settings, embedder, manifest
        self.name = settings.milvus_collection
        rows = sorted(ms.iter_rows(client, self.name, ["row", "record"]), key=lambda r: r["row"])
        self._articles = [ms.unpack(r["record"]) for r in rows]
        self.by_id = {a.chunk_id: a for a in self._articles}
        self._docs = list({a.doc.doc_id: a.doc for a in self._articles}.values())
        self.clauses = ClauseIndex(self._articles)

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None, build: bool = False) -> MilvusIndex:
        embedder = embedder or make_embedder(settings)
        client = ms.connect(settings)
        manifest = ms.read_manifest(client, settings.milvus_collection)
        problem = _problem(manifest, embedder, settings)
        if problem and build:
            print(f"{problem}\nbuilding the Milvus index now…", file=sys.stderr)
            print(refresh_milvus(settings, embedder=embedder, client=client), file=sys.stderr)
            manifest, problem = ms.read_manifest(client, settings.milvus_collection), ""
        if problem:
            raise (IndexMissing if manifest is None else IndexMismatch)(problem)
        return cls(client, settings, embedder, manifest)

    # --- the SearchIndex protocol ---------------------------------------------------
    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None, fusion: Fusion | None = None
    ) -> list[Hit]:
        k = k or self.settings.top_k
        query = query[: self.settings.max_question_chars].strip()
        if not query or not self._articles:
            return []
        fusion = fusion or Fusion.from_settings(self.settings)
        chosen = filters is not None  # the caller's filters bind cited articles too; the defaults do not
        filters = question_scope(query, filters, self._docs)  # texts in force; a place, a version asked
        allowed = self._allowed(filters)
        if filters.place and allowed is not None and not allowed:  # no document of that place: as FAISS
            allowed = self._allowed(replace(filters, place=""))
        scope = self._scope(query, allowed)
        expr = _doc_expr(scope, len(self._docs))
        qvec = self._query_vector(query) if fusion.weight_vector > 0 else None
        vector = self._dense(qvec, expr) if qvec is not None else _Side([], {})
        keyword = self._bm25(
            expand(query) if self.settings.expand_queries else query, expr, vectors=qvec is not None
        )
        # An article cited by number comes back even from a text no longer in force (as FAISS does).
        wider = (
            allowed
            if chosen
            else self._scope(query, self._allowed(replace(filters, include_superseded=True)))
        )
        named = [
            a.chunk_id
            for a in self.clauses.lookup(query, filters.as_of)
            if wider is None or a.doc.doc_id in wider
        ]
        ids = list(dict.fromkeys(vector.ids + keyword.ids))
        cos, bm25 = self._scores(ids, vector, keyword, qvec, query)
        fused = [
            (ids[row], score) for row, score in fuse(_candidates(ids, cos, bm25, vector, keyword), fusion)
        ]
        ranked = named_first(named, fused, k)
        extra = [i for i, _ in ranked if i not in cos]  # named articles neither side found
        if extra:
            more_cos, more_bm25 = self._scores(extra, _Side([], {}), _Side(keyword.ids[:1], {}), qvec, query)
            cos, bm25 = {**cos, **more_cos}, {**bm25, **more_bm25}
        words = self.tokenizer(query)
        return [
            Hit(
                self.by_id[i],
                float(s),
                cos.get(i, 0.0),
                bm25.get(i, 0.0),
                cos[i] if i in cos and qvec is not None else -1.0,  # no sentence vectors here
                shared_information(words, passage_text(self.by_id[i], self.settings.passage_headings)),
            )
            for i, s in ranked
            if i in self.by_id
        ]

    @cached_property
    def tokenizer(self) -> Tokenizer:
        """The question's words cut with the collection analyzer's own dictionary (the manifest's
        "words"), here, since the analyzer runs server-side."""
        return Tokenizer(self.manifest.get("words", []))

    def lookup(self, ref: str, as_of: str = "") -> list[Article]:
        return self.clauses.lookup(ref, as_of)

    def closest_sentences(self, query: str, articles: list[Article]) -> dict[str, str]:
        return {}  # no sentence vectors in the collection: answers choose sentences by words

    def articles(self, filters: Filters | None = None) -> list[Article]:
        allowed = self._allowed(filters)
        return (
            list(self._articles)
            if allowed is None
            else [a for a in self._articles if a.doc.doc_id in allowed]
        )

    def documents(self) -> list[DocMeta]:
        return list(self._docs)

    @property
    def generation(self) -> str:
        return self.manifest.get("generation", "")

    # --- steps -------------------------------------------------------------------------
    def _allowed(self, f: Filters | None) -> set[str] | None:
        """Documents passing the filters (the same `doc_matches` as FAISS); None when all pass."""
        if f is None:
            return None
        keep = {d.doc_id for d in self._docs if doc_matches(d, f)}
        return None if len(keep) == len(self._docs) else keep

    def _scope(self, query: str, allowed: set[str] | None) -> set[str] | None:
        """The documents a question names by 文号, as `HybridRetriever._scope` (ignored against the filters)."""
        named = {d.doc_id for d in documents_named(query, self._docs)}
        if allowed is not None:
            named &= allowed
        return named or allowed

    def _query_vector(self, query: str) -> np.ndarray:
        vec = np.asarray(self.embedder.embed_query(query), np.float32)
        if vec.shape != (self.manifest["dim"],):
            raise IndexMismatch(
                f"embedder {self.embedder.name} gives {vec.shape[-1]}-dim vectors, the index holds {self.manifest['dim']}"
            )
        return vec

    def _dense(self, qvec: np.ndarray, expr: str, limit: int | None = None) -> _Side:
        res = self.client.search(
            self.name, data=[qvec.tolist()], anns_field="dense", limit=limit or self.settings.candidates,
            filter=expr, search_params={"metric_type": "IP"}, output_fields=["id"],
        )  # fmt: skip
        return _side(res, negate=False)

    def _bm25(self, text: str, expr: str, limit: int | None = None, vectors: bool = False) -> _Side:
        """BM25 hits; with `vectors`, their dense vectors too (the cosine of keyword-only hits, no extra call)."""
        text = ms.bm25_text(text)
        try:
            res = self.client.search(
                self.name, data=[text], anns_field="sparse", limit=limit or self.settings.candidates,
                filter=expr, search_params={"metric_type": "BM25"},
                output_fields=["id", "dense"] if vectors else ["id"],
            )  # fmt: skip
        except Exception as err:  # a query of stopwords only analyses to nothing: no keyword side
            if "empty" in str(err).lower():
                return _Side([], {})
            raise
        return _side(res, negate=True)

    def _scores(self, ids: list[str], vector: _Side, keyword: _Side, qvec, query: str):
        """Both scores for every id: what each side returned, the rest asked of Milvus."""
        cos = dict(vector.scores)
        if qvec is not None:
            cos.update({i: float(v @ qvec) for i, v in keyword.vectors.items() if i not in cos})
        if qvec is not None and (missing := [i for i in ids if i not in cos]):
            for r in self.client.get(self.name, ids=missing, output_fields=["dense"]):
                cos[r["id"]] = float(np.asarray(r["dense"], np.float32) @ qvec)
        bm25 = dict(keyword.scores)
        if keyword.ids and (missing := [i for i in ids if i not in bm25]):
            text = expand(query) if self.settings.expand_queries else query
            bm25.update(
                self._bm25(text, "id in " + json.dumps(missing, ensure_ascii=False), len(missing)).scores
            )
        return cos, bm25


def _candidates(ids: list[str], cos: dict, bm25: dict, vector: _Side, keyword: _Side) -> Candidates:
    """The fusion's input; rows are positions in `ids`."""
    vrank = {i: n for n, i in enumerate(vector.ids, start=1)}
    krank = {i: n for n, i in enumerate(keyword.ids, start=1)}
    return Candidates(
        rows=np.arange(len(ids), dtype=np.int64),
        cosine=np.array([cos.get(i, 0.0) for i in ids], np.float32),
        bm25=np.array([bm25.get(i, 0.0) for i in ids], np.float32),
        vector_rank=np.array([vrank.get(i, 0) for i in ids], np.int64),
        keyword_rank=np.array([krank.get(i, 0) for i in ids], np.int64),
    )


def _side(res, negate: bool) -> _Side:
    """(ids, scores) of one search; Milvus Lite 3.x returns BM25 scores as negative distances."""
    hits = list(res[0]) if res else []
    scores = {h["id"]: float(h["distance"]) for h in hits}
    if negate and scores and max(scores.values()) <= 0:
        scores = {i: -s for i, s in scores.items()}
    ids = sorted(scores, key=lambda i: -scores[i])
    vectors = {
        h["id"]: np.asarray(h["entity"]["dense"], np.float32) for h in hits if "dense" in h.get("entity", {})
    }
    return _Side(ids, scores, vectors)


def _doc_expr(doc_ids: set[str] | None, total: int) -> str:
    if doc_ids is None:
        return ""
    if not doc_ids:
        return 'doc_id == ""'  # nothing passes
    return "doc_id in " + json.dumps(sorted(doc_ids))


def _problem(manifest: dict | None, embedder: Embedder, settings: Settings) -> str:
    where = f"{ms.uri(settings)} collection {settings.milvus_collection}"
    if manifest is None:
        return f"no Milvus index at {where}: build it with `python -m index refresh --index-backend milvus`"
    if manifest.get("format") != ms.FORMAT:
        return f"the Milvus index at {where} has format {manifest.get('format')}, this code reads {ms.FORMAT}: rebuild it"
    if manifest.get("embedder") != embedder.name:
        return (
            f"the Milvus index at {where} was built with {manifest.get('embedder')} but the settings ask for "
            f"{embedder.name}: rebuild it with `python -m index refresh --index-backend milvus`"
        )
    return ""


def refresh_milvus(settings: Settings, articles=None, embedder=None, errors=(), client=None) -> RefreshReport:
    from index.milvus_refresh import refresh_collection

    started = time.perf_counter()
    report = refresh_collection(settings, articles, embedder or make_embedder(settings), list(errors), client)
    report.seconds = time.perf_counter() - started
    return report
