"""Bring a Milvus collection up to date with the corpus: upsert what changed, delete what left.

The same contract as `index.refresh` for FAISS: unchanged articles cost nothing (the
embedding cache holds their vectors), articles of deleted files leave, and a file that
now fails to ingest keeps its previously indexed articles. The collection is rebuilt
only when its analyzer (the library's dictionary), the embedder or the schema changed.
Writes are not atomic across rows as FAISS generations are: a reader during a refresh
can see part of it (Milvus has no multi-row transactions).
"""

from __future__ import annotations

import time
from pathlib import Path

from index import milvus_store as ms
from index.cache import embed_cached
from index.embed import Embedder
from index.passage import passage_text
from index.refresh import RefreshReport
from index.retriever import embedding_cache
from index.tokens import domain_words
from ingest.record import Article
from settings import Settings

UPSERT_BATCH = 500  # rows per upsert call: ~1 MB of vectors and text


def _load_corpus(settings: Settings) -> tuple[list[Article], list]:
    from ingest.pipeline import load_corpus

    result = load_corpus(settings)
    return result.articles, result.errors


def _ensure(client, settings: Settings, embedder: Embedder, words: list[str]) -> tuple[str, list[str]]:
    """Create (or re-create) the collection when needed: (why, "" when kept; the analyzer's words).

    The analyzer is fixed when the collection is created. New programme names in the
    corpus (words the analyzer lacks) rebuild it; names that left do not (they match nothing).
    """
    name = settings.milvus_collection
    manifest = ms.read_manifest(client, name)
    want = {"format": ms.FORMAT, "embedder": embedder.name, "dim": embedder.dim}
    if manifest and all(manifest.get(k) == v for k, v in want.items()):
        new = set(words) - set(manifest.get("words", []))
        if not new:
            return "", manifest.get("words", [])
        why = f"{len(new)} new dictionary words (e.g. {sorted(new)[0]}): collection rebuilt"
    else:
        why = "first build" if manifest is None else "embedder or schema changed: collection rebuilt"
    for n in (name, name + "_meta"):
        if client.has_collection(n):
            client.drop_collection(n)
    ms.create(client, name, embedder.dim, words, ms.is_server(ms.uri(settings)))
    ms.write_manifest(client, name, {**want, "words": words, "generation": "", "count": 0})
    return why, words


def refresh_collection(
    settings: Settings, articles: list[Article] | None, embedder: Embedder, errors: list, client=None
) -> RefreshReport:
    if articles is None:
        articles, more = _load_corpus(settings)
        errors = errors + more
    client = client or ms.connect(settings)
    name = settings.milvus_collection
    if not articles:
        return RefreshReport(reason="nothing to index: the collection is kept as it is")
    before = _existing(client, name)
    reason, words = _ensure(client, settings, embedder, domain_words(a.text for a in articles))
    existing = _existing(client, name) if reason else before
    failed = {Path(getattr(e, "path", "")).name for e in errors} - {""}
    present = {a.doc.source for a in articles}
    keep = {i for i, (_, _, src) in existing.items() if src in failed - present}
    current = {a.chunk_id for a in articles}
    removed = sorted(set(existing) - current - keep)
    gone = len(set(before) - current - keep)
    rows = _changed_rows(articles, existing, embedder, settings)
    for start in range(0, len(rows[0]), UPSERT_BATCH):
        client.upsert(name, rows[0][start : start + UPSERT_BATCH])
    for start in range(0, len(removed), UPSERT_BATCH):
        client.delete(name, ids=removed[start : start + UPSERT_BATCH])
    changed = bool(rows[0] or removed)
    if changed:
        # Seal what was written: Milvus Lite searches unsealed rows by rebuilding a BM25 index
        # in Python on every query (~1 s at 8k rows; 12-25 ms once flushed); a server indexes them.
        client.flush(name)
    generation = (
        f"m{time.time_ns():020d}" if changed else (ms.read_manifest(client, name) or {}).get("generation", "")
    )
    manifest = {"format": ms.FORMAT, "embedder": embedder.name, "dim": embedder.dim, "words": words}
    ms.write_manifest(client, name, {**manifest, "generation": generation, "count": len(current | keep)})
    added = len(current - set(before))
    return RefreshReport(
        generation=generation, articles=len(current | keep), added=added, removed=gone,
        embedded=rows[1], changed=changed, reason=reason,
        kept=sorted({existing[i][2] for i in keep}),
    )  # fmt: skip


def _existing(client, name: str) -> dict[str, tuple[str, int, str]]:
    """chunk id -> (record hash, corpus position, source file) of every row; {} without a collection."""
    if not client.has_collection(name):
        return {}
    return {
        r["id"]: (r["hash"], r["row"], r["source"])
        for r in ms.iter_rows(client, name, ["hash", "row", "source"])
    }


def _changed_rows(articles: list[Article], existing: dict, embedder: Embedder, settings: Settings):
    """Rows for new articles and those whose record or corpus position changed; how many were embedded."""
    todo = []
    for position, a in enumerate(articles):
        old = existing.get(a.chunk_id)
        if old is None or old[0] != ms.record_hash(a) or old[1] != position:
            todo.append((position, a))
    if not todo:
        return [], 0
    texts = [passage_text(a) for _, a in todo]
    vectors, embedded = embed_cached(
        texts, embedder.name, embedder.dim, embedder.embed_passages, embedding_cache(settings)
    )
    return [ms.row(a, p, t, v) for (p, a), t, v in zip(todo, texts, vectors, strict=True)], embedded
