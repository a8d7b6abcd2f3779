"""The index as the rest of the product sees it: one typed protocol, two backends.

- `faiss` (default): `PolicyIndex` — FAISS vectors + BM25 arrays in generation folders
  under data_dir, loaded into each process (index/policy.py);
- `milvus`: `MilvusIndex` — one Milvus collection with dense vectors and Milvus's own
  BM25 (jieba analyzer), Milvus Lite in a file or any server by URI, so several app
  replicas share one index (index/milvus_backend.py).

Both rank with the same code: each backend returns its two candidate lists and
`index.fusion` fuses them; an article the question names by number ("71号文第8条")
comes first, decided in `index.ranking.named_first` for both. A hit placed there has
`Hit.named` set, so the answer stage reads the decision instead of making it again.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from index.filters import Filters
from index.fusion import Fusion
from index.hit import Hit
from ingest.record import Article, DocMeta
from settings import Settings

BACKENDS = ("faiss", "milvus")


@runtime_checkable
class SearchIndex(Protocol):
    """What the answer engine, the app and the CLI use of an index."""

    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None, fusion: Fusion | None = None
    ) -> list[Hit]:
        """Best `k` articles within the filters: articles the query names by number first (`Hit.named`)."""
        ...

    def lookup(self, ref: str, as_of: str = "") -> list[Article]:
        """Articles a reference like "71号文第8条" names (the version in force on `as_of`); [] for none."""
        ...

    def articles(self, filters: Filters | None = None) -> list[Article]:
        """Every article passing the filters, in corpus order."""
        ...

    def documents(self) -> list[DocMeta]:
        """Each document once, in corpus order."""
        ...

    def closest_sentences(self, query: str, articles: list[Article]) -> dict[str, str]:
        """{chunk_id: the article's sentence closest in meaning to the query}; {} for an index that
        keeps no sentence vectors (the answer then chooses sentences by words alone)."""
        ...


class BackendError(RuntimeError):
    """The configured backend cannot be used; the message says what to change."""


def backend_name(settings: Settings) -> str:
    """`index_backend`, or when it is empty: milvus if a Milvus URI is set, else faiss."""
    name = settings.index_backend or ("milvus" if settings.milvus_uri else "faiss")
    if name not in BACKENDS:
        raise BackendError(f"unknown index_backend {name!r}: use one of {', '.join(BACKENDS)}")
    return name


def open_index(settings: Settings, build: bool = False, embedder=None) -> SearchIndex:
    """The configured backend's index, opened for searching (`build`: build it if missing)."""
    if backend_name(settings) == "milvus":
        from index.milvus_backend import MilvusIndex

        return MilvusIndex.open(settings, embedder=embedder, build=build)
    from index.policy import PolicyIndex

    return PolicyIndex.open(settings, embedder=embedder, build=build)


def refresh_index(settings: Settings, articles=None, embedder=None, errors=(), notes=()):
    """Bring the configured backend's index up to date (ingesting the corpus when `articles` is None).

    `notes` (ingest remarks for the report) are shown by the FAISS report; Milvus has no report field for them.
    """
    if backend_name(settings) == "milvus":
        from index.milvus_backend import refresh_milvus

        return refresh_milvus(settings, articles, embedder, errors)
    from index.refresh import refresh

    return refresh(settings, articles, embedder, errors, notes)
