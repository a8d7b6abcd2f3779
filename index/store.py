"""The index on disk: immutable generation folders and an atomically replaced pointer.

    data/index/CURRENT                      {"generation": "g…"}  (written to a temp name, then os.replace)
    data/index/generations/g…/              manifest.json, articles.jsonl, keyword.*, vectors.npy, faiss.index
    data/index/generations/.tmp-g…/         a build in progress (or killed): never read
    data/index/.lock                        held by the one writer (fcntl); readers take no lock

A build writes a complete new folder, fsyncs it, renames it into place and only then
switches CURRENT, so a build killed at any point leaves the previous index in use.
Readers open whatever CURRENT names; the previous generation is kept so a reader that
read the pointer just before a switch still finds its files.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from index.errors import IndexMissing
from index.keyword import KeywordIndex
from index.multivec import SentenceVectors
from index.vector import VectorIndex
from ingest.record import Article
from settings import Settings

FORMAT = 1  # bump when the files change shape: an older index is then rebuilt, not misread
POINTER = "CURRENT"
TMP_PREFIX = ".tmp-"
SENTENCES = "sentences.npz"  # sentence vectors and their articles, when settings.sentence_vectors


@dataclass(frozen=True)
class Manifest:
    format: int
    generation: str
    embedder: str  # Embedder.name the vectors came from
    dim: int
    count: int  # articles
    fingerprint: str  # of everything the build depends on (see refresh.fingerprint)
    vector_index: str  # flat | hnsw
    created: str  # ISO time, for people
    chunk_ids: tuple[str, ...] = ()  # to report added / removed articles on the next refresh

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        d = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        d["chunk_ids"] = tuple(d.get("chunk_ids", ()))
        return cls(**d)


def root(settings: Settings) -> Path:
    path = Path(settings.data_dir) / "index"
    path.mkdir(parents=True, exist_ok=True)
    return path


def generations(settings: Settings) -> Path:
    path = root(settings) / "generations"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def write_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time; the kernel releases the lock if the writer dies."""
    with open(root(settings) / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_folder(settings: Settings) -> Path:
    """The generation CURRENT names; IndexMissing when there is none."""
    pointer = root(settings) / POINTER
    try:
        name = json.loads(pointer.read_text(encoding="utf-8"))["generation"]
    except FileNotFoundError:
        raise IndexMissing(f"no index in {root(settings)}: build it with `python -m index refresh`") from None
    return generations(settings) / name


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_generation(
    settings: Settings,
    articles: list[Article],
    keyword: KeywordIndex,
    vector: VectorIndex,
    manifest: Manifest,
    sentences: SentenceVectors | None = None,
) -> Path:
    """Write a complete generation and switch CURRENT to it (call under `write_lock`)."""
    final = generations(settings) / manifest.generation
    tmp = final.with_name(TMP_PREFIX + manifest.generation)
    tmp.mkdir()
    with open(tmp / "articles.jsonl", "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a.to_json(), ensure_ascii=False) + "\n")
    keyword.save(tmp)
    vector.save(tmp)
    if sentences is not None:
        sentences.save(tmp / SENTENCES)
    (tmp / "manifest.json").write_text(json.dumps(asdict(manifest), ensure_ascii=False), encoding="utf-8")
    for f in tmp.iterdir():
        _fsync(f)
    os.rename(tmp, final)
    _fsync(final.parent)
    _switch_pointer(settings, manifest.generation)
    return final


def _switch_pointer(settings: Settings, name: str) -> None:
    pointer = root(settings) / POINTER
    tmp = pointer.with_name(f"{POINTER}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"generation": name}), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, pointer)
    _fsync(pointer.parent)


def new_generation_name() -> str:
    """Sortable by creation time: g<nanoseconds>-<pid>."""
    return f"g{time.time_ns():020d}-{os.getpid()}"


def prune(settings: Settings, keep: int) -> list[str]:
    """Remove builds that were killed and all but the `keep` newest generations (under `write_lock`)."""
    folder = generations(settings)
    try:
        current = current_folder(settings).name
    except IndexMissing:
        current = ""
    removed = []
    done = sorted((p for p in folder.iterdir() if not p.name.startswith(TMP_PREFIX)), reverse=True)
    stale = [p for p in folder.iterdir() if p.name.startswith(TMP_PREFIX)]
    for path in stale + [p for p in done[max(keep, 1) :] if p.name != current]:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    return removed


def read_articles(folder: Path) -> list[Article]:
    with open(folder / "articles.jsonl", encoding="utf-8") as fh:
        return [Article.from_json(json.loads(line)) for line in fh]


def read_generation(
    folder: Path, settings: Settings
) -> tuple[Manifest, list[Article], KeywordIndex, VectorIndex]:
    manifest = Manifest.read(folder)
    return manifest, read_articles(folder), KeywordIndex.load(folder), VectorIndex.load(folder, settings)


def read_sentences(folder: Path) -> SentenceVectors | None:
    """The generation's sentence vectors, None when it was built without them."""
    path = folder / SENTENCES
    return SentenceVectors.load(path) if path.exists() else None
