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
    index: object  # an index.backend.SearchIndex: search / lookup / articles / documents
    engine: object  # answer.Engine
    read_only: str = ""  # why the data directory cannot be written ("" = it can): changes are disabled
    embedder: object = None  # the one embedding model: searches and library refreshes share it
    library: object = None  # library.Library: staff changes to the corpus (None in UI unit tests)

    @classmethod
    def start(cls, settings: Settings) -> Services:
        """Bring the index up to date with the corpus (embeds only what changed), open it,
        and start loading the local model in the background so the page serves at once."""
        from answer import Engine
        from index.backend import open_index, refresh_index
        from index.embed import make_embedder
        from index.store import read_only_reason

        embedder = make_embedder(settings)  # one model for the refresh and the searches
        read_only = read_only_reason(settings)
        if read_only:  # a common deployment: built once, served read-only. Reading needs no lock.
            log.warning(
                "data directory read-only (%s): serving the existing index, changes disabled", read_only
            )
        else:
            log.info("index: %s", refresh_index(settings, embedder=embedder))
        index = open_index(settings, embedder=embedder)
        engine = Engine(settings, index=index)
        if settings.answer_mode == "api":  # import the client now (seconds): no answer waits for it
            _warm(engine)
        elif settings.answer_mode == "local":  # loading the model takes longer: the page serves meanwhile
            threading.Thread(target=_warm, args=(engine,), daemon=True).start()
        services = cls(settings, index, engine, read_only, embedder)
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
        return
    if engine.settings.answer_mode == "local" and engine.settings.rerank_prefill:
        try:  # in the background thread: each article takes the model for ~1 s, between questions
            log.info("rerank readings saved ahead: %d", engine.prefill_readings())
        except Exception as e:  # only the saving is lost: readings are then saved as questions meet them
            log.warning("rerank readings not saved ahead: %s", e)
