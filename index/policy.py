"""`PolicyIndex`: the persisted index, opened read-only by the app, the answer stage and the CLI."""

from __future__ import annotations

import sys
import time

from index import store
from index.embed import Embedder, make_embedder
from index.errors import IndexMismatch, IndexMissing
from index.filters import Filters
from index.fusion import Fusion
from index.hit import Hit
from index.retriever import Extras, HybridRetriever
from ingest.record import Article, DocMeta
from settings import Settings

_OPEN_RETRIES = 3  # a writer may prune the generation we were about to read; re-read the pointer


class PolicyIndex:
    def __init__(self, retriever: HybridRetriever, manifest: store.Manifest | None = None) -> None:
        self.retriever = retriever
        self.manifest = manifest  # None: held in memory only (`in_memory`)

    @classmethod
    def in_memory(cls, articles: list[Article], embedder: Embedder, settings: Settings) -> PolicyIndex:
        """The same index over `articles`, built in memory and never written (the eval harness, tests)."""
        return cls(HybridRetriever(articles, embedder, settings))

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None, build: bool = False) -> PolicyIndex:
        """Open the current generation. The model loads lazily, at the first search.

        Raises IndexMissing / IndexMismatch with what to run; with `build=True` it
        builds (or rebuilds) the index instead, saying so on stderr.
        """
        embedder = embedder or make_embedder(settings)
        try:
            return cls._open(settings, embedder)
        except (IndexMissing, IndexMismatch) as err:
            if not build:
                raise
            from index.refresh import refresh

            print(f"{err}\nbuilding the index now…", file=sys.stderr)
            print(refresh(settings, embedder=embedder), file=sys.stderr)
            return cls._open(settings, embedder)

    @classmethod
    def _open(cls, settings: Settings, embedder: Embedder) -> PolicyIndex:
        for attempt in range(_OPEN_RETRIES):
            folder = store.current_folder(settings)
            try:
                manifest, articles, keyword, vector = store.read_generation(folder, settings)
                break
            except FileNotFoundError:
                if attempt == _OPEN_RETRIES - 1:
                    raise
                time.sleep(0.1)
        _check(manifest, embedder, folder)
        extras = Extras(sentences=store.read_sentences(folder))
        return cls(
            HybridRetriever.from_parts(articles, embedder, settings, keyword, vector, extras), manifest
        )

    # --- the interface the answer stage and the app use -------------------------------
    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None, fusion: Fusion | None = None
    ) -> list[Hit]:
        return self.retriever.search(query, k, filters, fusion)

    def closest_sentences(self, query: str, articles: list[Article]) -> dict[str, str]:
        return self.retriever.closest_sentences(query, articles)

    def lookup(self, ref: str, as_of: str = "") -> list[Article]:
        return self.retriever.lookup(ref, as_of)

    def articles(self, filters: Filters | None = None) -> list[Article]:
        return self.retriever.articles_matching(filters)

    def documents(self) -> list[DocMeta]:
        return self.retriever.documents()

    @property
    def generation(self) -> str:
        return self.manifest.generation if self.manifest else "memory"


def _check(manifest: store.Manifest, embedder: Embedder, folder) -> None:
    if manifest.format != store.FORMAT:
        raise IndexMismatch(
            f"the index in {folder} has format {manifest.format}, this code reads {store.FORMAT}: "
            "rebuild it with `python -m index refresh`"
        )
    if manifest.embedder != embedder.name:
        raise IndexMismatch(
            f"the index in {folder} was built with {manifest.embedder} ({manifest.dim}-dim vectors) "
            f"but the settings ask for {embedder.name}: rebuild it with `python -m index refresh` "
            "(re-embeds every article) or set the embedder back"
        )
