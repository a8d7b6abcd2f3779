"""Bring the on-disk index up to date with the corpus: embed only what changed, switch atomically.

Every refresh that changes anything writes a complete new generation from the current
article list, so articles of deleted or edited files leave the index with their
vectors (no orphans); the embedding cache makes the unchanged ones free. Nothing
changed (same articles, model and index settings) -> nothing is written.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from index import store
from index.embed import Embedder, make_embedder
from index.errors import IndexMissing
from index.retriever import build_extras, build_parts
from index.tokens import HERE as WORD_LISTS
from ingest.record import Article, sha1
from settings import Settings

# Settings that change what is built (not how it is searched): a change means a rebuild.
BUILD_SETTINGS = (
    "bm25_k1",
    "bm25_b",
    "hnsw_above",
    "hnsw_m",
    "sentence_vectors",
    "mined_words",
    "passage_headings",
)
WORD_FILES = ("domain_terms.txt", "stopwords.txt")


@dataclass
class RefreshReport:
    generation: str = ""  # the generation in use afterwards ("" = no index)
    articles: int = 0
    added: int = 0
    removed: int = 0
    embedded: int = 0  # passages sent to the model (cache misses)
    changed: bool = False  # a new generation was written
    reason: str = ""
    kept: list[str] = field(default_factory=list)  # files that failed to ingest, kept from the last index
    errors: list[str] = field(default_factory=list)  # one line per file that could not be read
    notes: list[str] = field(default_factory=list)  # duplicates skipped, articles flagged (ingest's notes)
    seconds: float = 0.0

    def __str__(self) -> str:
        head = (
            f"index {self.generation}: {self.articles} articles"
            f" (+{self.added} -{self.removed}, {self.embedded} embedded) in {self.seconds:.1f} s"
            if self.changed
            else f"index unchanged ({self.articles} articles, {self.seconds:.1f} s)"
        )
        lines = [head + (f" — {self.reason}" if self.reason else "")]
        lines += [f"kept from the previous index: {k}" for k in self.kept]
        lines += [f"skipped: {e}" for e in self.errors]
        lines += self.notes
        return "\n".join(lines)


def fingerprint(articles: Sequence[Article], embedder_name: str, settings: Settings) -> str:
    """Changes whenever a rebuild would give a different index."""
    words = [sha1((WORD_LISTS / f).read_text(encoding="utf-8")) for f in WORD_FILES]
    build = {k: getattr(settings, k) for k in BUILD_SETTINGS}
    head = json.dumps([store.FORMAT, embedder_name, build, words], ensure_ascii=False)
    return sha1(head + "".join(a.content_hash for a in articles))


def _previous(settings: Settings) -> tuple[store.Manifest | None, Path | None, str]:
    """The current generation's manifest and folder, or why there is none to compare with."""
    try:
        folder = store.current_folder(settings)
        return store.Manifest.read(folder), folder, ""
    except IndexMissing:
        return None, None, "first build"
    except (OSError, ValueError, TypeError, KeyError) as err:  # a damaged index is rebuilt, not trusted
        return None, None, f"previous index unreadable ({type(err).__name__}: {err}): rebuilding"


def _load_corpus(settings: Settings) -> tuple[list[Article], list, list[str]]:
    from ingest.pipeline import load_corpus  # here: the index package must not need ingest to search

    result = load_corpus(settings)
    return result.articles, result.errors, result.notes


def _keep_failed(
    articles: list[Article], errors: Sequence, folder: Path | None, corpus_dir: str = ""
) -> tuple[list[Article], list[str]]:
    """Articles of files that now fail to ingest, taken from the previous index.

    A file that became unreadable (truncated upload, wrong encoding) must not silently
    erase what was indexed from it; a deleted file is not an error and does leave.
    """
    from ingest.pipeline import source_name

    failed = {source_name(Path(e.path), corpus_dir) for e in errors if getattr(e, "path", "")}
    if not failed or folder is None:
        return articles, []
    present = {a.doc.source for a in articles}
    old = [a for a in store.read_articles(folder) if a.doc.source in failed - present]
    return articles + old, sorted({a.doc.source for a in old})


def refresh(
    settings: Settings,
    articles: list[Article] | None = None,
    embedder: Embedder | None = None,
    errors: Sequence = (),
    notes: Sequence[str] = (),
) -> RefreshReport:
    """Ingest the corpus when `articles` is None, then update the index if anything changed.

    `errors` are ingest errors of a caller that ingested itself (their files' previous
    articles are kept). Safe to run from several processes: writers queue on a lock.
    """
    started = time.perf_counter()
    errors, notes = list(errors), list(notes)
    if articles is None:
        articles, ingest_errors, ingest_notes = _load_corpus(settings)
        errors += ingest_errors
        notes += ingest_notes
    embedder = embedder or make_embedder(settings)
    with store.write_lock(settings):
        report = _refresh_locked(settings, list(articles), embedder, errors)
    report.errors = [str(e) for e in errors]
    report.notes = notes
    report.seconds = time.perf_counter() - started
    return report


def _refresh_locked(
    settings: Settings, articles: list[Article], embedder: Embedder, errors: list
) -> RefreshReport:
    previous, folder, why = _previous(settings)
    articles, kept = _keep_failed(articles, errors, folder, settings.corpus_dir)
    if not articles:
        return RefreshReport(
            generation=previous.generation if previous else "",
            articles=previous.count if previous else 0,
            reason="nothing to index: " + ("the previous index is kept" if previous else "no index built"),
        )
    fp = fingerprint(articles, embedder.name, settings)
    if previous and previous.fingerprint == fp:
        repaired = store.repair_pointer(settings, previous.generation)  # a damaged CURRENT is rewritten
        store.prune(settings, settings.keep_generations)  # clears builds killed since the last refresh
        why = "damaged CURRENT pointer repaired" if repaired else ""
        return RefreshReport(previous.generation, len(articles), kept=kept, reason=why)
    keyword, vector, embedded = build_parts(articles, embedder, settings)
    extras = build_extras(articles, settings, embedder)
    embedded += extras.embedded
    old_ids = set(previous.chunk_ids) if previous else set()
    new_ids = [a.chunk_id for a in articles]
    manifest = store.Manifest(
        format=store.FORMAT,
        generation=store.new_generation_name(),
        embedder=embedder.name,
        dim=int(vector.vectors.shape[1]),
        count=len(articles),
        fingerprint=fp,
        vector_index=vector.kind,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        chunk_ids=tuple(new_ids),
    )
    store.write_generation(settings, articles, keyword, vector, manifest, extras.sentences)
    store.prune(settings, settings.keep_generations)
    return RefreshReport(
        generation=manifest.generation,
        articles=len(articles),
        added=len(set(new_ids) - old_ids),
        removed=len(old_ids - set(new_ids)),
        embedded=embedded,
        changed=True,
        reason=why or _what_changed(previous, embedder),
        kept=kept,
    )


def _what_changed(previous: store.Manifest | None, embedder: Embedder) -> str:
    if previous is None:
        return "first build"
    if previous.embedder != embedder.name:
        return f"embedding model changed from {previous.embedder} to {embedder.name}: vectors rebuilt with it"
    if previous.format != store.FORMAT:
        return f"index format {previous.format} -> {store.FORMAT}"
    return "articles or index settings changed"
