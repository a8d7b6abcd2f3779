"""What the UI talks to: the index (browse, look up, search) and the answer engine.

The UI only formats what these return; no retrieval or prompting happens in ui/.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from ingest.record import Article, DocMeta
from settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    index: object  # index.PolicyIndex (or anything with its search/lookup/articles/documents)
    engine: object  # answer.Engine
    embedder: object = None  # the one embedding model: searches and library refreshes share it
    library: object = None  # library.Library: staff changes to the corpus (None in UI unit tests)

    def __post_init__(self) -> None:
        # One model answers at a time (local llama.cpp is not re-entrant; an API has rate limits).
        # The chat, the HTTP API and the 评测 tab all reach the engine through this wrapper.
        if not isinstance(self.engine, OneAtATime):
            self.engine = OneAtATime(self.engine, self.settings)

    @classmethod
    def start(cls, settings: Settings) -> Services:
        """Bring the index up to date with the corpus (embeds only what changed), open it,
        and start loading the local model in the background so the page serves at once."""
        from answer import Engine
        from index import PolicyIndex, refresh
        from index.embed import make_embedder

        embedder = make_embedder(settings)  # one model for the refresh and the searches
        log.info("index: %s", refresh(settings, embedder=embedder))
        index = PolicyIndex.open(settings, embedder=embedder)
        engine = Engine(settings, index=index)
        if settings.answer_mode == "local":
            threading.Thread(target=_warm, args=(engine,), daemon=True).start()
        services = cls(settings, index, engine, embedder)
        services.library = _library(services)
        return services

    def reload_index(self) -> None:
        """Open the generation a library change just wrote and answer from it (questions in
        flight finish on the old one: both objects stay valid, files are immutable)."""
        from index import PolicyIndex

        index = PolicyIndex.open(self.settings, embedder=self.embedder)
        self.index = index
        self.engine.use_index(index)
        log.info("index reloaded: %s", index.generation)

    def articles(self) -> list[Article]:
        return list(self.index.articles())

    def documents(self) -> list[DocMeta]:
        return list(self.index.documents())

    def document_articles(self, doc_id: str) -> list[Article]:
        """A document's records in reading order (its table of contents)."""
        return [a for a in self.articles() if a.doc.doc_id == doc_id]

    def article(self, chunk_id: str) -> Article | None:
        return next((a for a in self.articles() if a.chunk_id == chunk_id), None)

    @property
    def feedback_path(self) -> Path:
        return self.settings.path(self.settings.feedback_file)


class OneAtATime:
    """The engine, with answers that need a model (local / api) taking a slot; extractive ones never wait."""

    def __init__(self, engine, settings: Settings) -> None:
        self.inner = engine
        self.default_mode = settings.answer_mode
        self.slot = threading.Semaphore(max(1, settings.chat_concurrency))

    def stream(self, question, history=(), mode=None, filters=None):
        needs_model = (mode or self.default_mode) != "extractive"
        if needs_model:
            self.slot.acquire()
        try:
            yield from self.inner.stream(question, history, mode=mode, filters=filters)
        finally:
            if needs_model:
                self.slot.release()

    def ask(self, question, history=(), mode=None, filters=None):
        final = None
        for item in self.stream(question, history, mode, filters):
            final = item
        return final

    def __getattr__(self, name):  # warm, use_index, evidence, settings …
        return getattr(self.inner, name)


def _library(services: Services):
    from index import refresh
    from library import Library

    def run_refresh():
        return refresh(services.settings, embedder=services.embedder)

    return Library(services.settings, run_refresh, on_change=services.reload_index)


def _warm(engine) -> None:
    try:
        engine.warm()
    except Exception as e:  # the first question will say why and fall back to extraction
        log.warning("local model not warmed: %s", e)
