"""FAISS vector index over unit vectors (inner product = cosine).

Exact `IndexFlatIP` for corpora below `settings.hnsw_above` (a few ms per query even at
20k articles); `IndexHNSWFlat` above it. A filter that leaves few articles is searched
exactly over just their vectors: HNSW with a selective filter drops true neighbours.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from settings import Settings


class VectorIndex:
    def __init__(self, index: faiss.Index, vectors: np.ndarray, settings: Settings) -> None:
        self.index = index
        self.vectors = vectors  # row i = article i; memory-mapped when loaded from disk
        self.settings = settings

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self.index, faiss.IndexHNSW) else "flat"

    @classmethod
    def build(cls, vectors: np.ndarray, settings: Settings) -> VectorIndex:
        n, dim = vectors.shape
        if n >= settings.hnsw_above:
            index = faiss.IndexHNSWFlat(dim, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        else:
            index = faiss.IndexFlatIP(dim)
        index.add(np.ascontiguousarray(vectors, np.float32))
        return cls(index, vectors, settings)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(row, cosine) of the k nearest articles, best first, among `allowed` rows if given."""
        n = self.index.ntotal
        if n == 0 or k <= 0:
            return []
        if allowed is not None and len(allowed) < self.settings.exact_filter_below:
            return self._exact(query, k, allowed)
        # Per call: OpenMP thread counts are per calling thread, and the app searches from several.
        faiss.omp_set_num_threads(self.settings.faiss_threads)
        q = np.ascontiguousarray(query.reshape(1, -1), np.float32)
        sel = faiss.IDSelectorBatch(allowed) if allowed is not None else None  # alive through the search
        params = self._params(sel)
        scores, rows = self.index.search(q, min(k, n), params=params)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def _params(self, sel: faiss.IDSelector | None) -> faiss.SearchParameters | None:
        if self.kind == "hnsw":
            return faiss.SearchParametersHNSW(sel=sel, efSearch=self.settings.hnsw_ef_search)
        return faiss.SearchParameters(sel=sel) if sel is not None else None

    def _exact(self, query: np.ndarray, k: int, allowed: np.ndarray) -> list[tuple[int, float]]:
        if len(allowed) == 0:
            return []
        scores = self.vectors[allowed] @ query
        top = np.argsort(-scores, kind="stable")[:k]
        return [(int(allowed[i]), float(scores[i])) for i in top]

    def cosine(self, query: np.ndarray, rows: list[int]) -> np.ndarray:
        """Cosine of the query with given articles (for hits the vector side did not rank)."""
        return self.vectors[np.asarray(rows, np.int64)] @ query if rows else np.zeros(0, np.float32)

    def save(self, folder: Path) -> None:
        np.save(folder / "vectors.npy", np.ascontiguousarray(self.vectors, np.float32))
        faiss.write_index(self.index, str(folder / "faiss.index"))

    @classmethod
    def load(cls, folder: Path, settings: Settings) -> VectorIndex:
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")  # shared page cache across readers
        return cls(faiss.read_index(str(folder / "faiss.index")), vectors, settings)
