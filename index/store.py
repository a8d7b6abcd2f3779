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
import errno
import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from index.errors import IndexMissing, IndexReadOnly
from index.keyword import KeywordIndex
from index.multivec import SentenceVectors
from index.vector import VectorIndex
from ingest.record import Article
from settings import Settings

FORMAT = 1  # bump when the files change shape: an older index is then rebuilt, not misread
log = logging.getLogger(__name__)
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


def _folder(path: Path) -> Path:
    """`path`, created when missing; a read-only data directory that lacks it is not an error here."""
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    return path


def root(settings: Settings) -> Path:
    return _folder(Path(settings.data_dir) / "index")


def generations(settings: Settings) -> Path:
    return _folder(root(settings) / "generations")


def read_only_reason(settings: Settings) -> str:
    """'' when the index folder can be written, else why not (for people)."""
    folder = root(settings)
    probe = folder / f".write-test.{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
        return ""
    except OSError as err:
        return f"{folder} is not writable ({errno.errorcode.get(err.errno, err.errno)}: {err.strerror})"


@contextlib.contextmanager
def write_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time; the kernel releases the lock if the writer dies."""
    try:
        fh = open(root(settings) / ".lock", "a+")  # noqa: SIM115 (closed below)
    except OSError as err:
        raise IndexReadOnly(
            f"cannot write the index in {root(settings)}: {err.strerror}"
            f" ({errno.errorcode.get(err.errno, err.errno)}). The data directory is read-only or not yours:"
            " the existing index can still be searched; to change it, run where the data directory is writable"
        ) from None
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_folder(settings: Settings) -> Path:
    """The generation CURRENT names; IndexMissing when there is none.

    A damaged pointer (not JSON, no name, a folder that is gone) falls back to the newest
    complete generation, with a warning; `repair_pointer` (under the write lock) rewrites it.
    """
    pointer = root(settings) / POINTER
    try:
        name = json.loads(pointer.read_text(encoding="utf-8"))["generation"]
        folder = generations(settings) / str(name)
        if (folder / "manifest.json").is_file() and "/" not in str(name):
            return folder
        problem = f"names {str(name)[:40]!r}, which is not a complete index"
    except FileNotFoundError:
        raise IndexMissing(f"no index in {root(settings)}: build it with `python -m index refresh`") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        problem = f"is damaged ({type(err).__name__})"
    newest = newest_complete(settings)
    if newest is None:
        raise IndexMissing(
            f"{pointer} {problem} and no complete index is left: rebuild it with `python -m index refresh`"
        )
    log.warning("%s %s: using the newest complete index %s", pointer, problem, newest.name)
    return newest


def newest_complete(settings: Settings) -> Path | None:
    """The newest generation folder with a manifest (what a finished build leaves)."""
    done = [
        p
        for p in generations(settings).iterdir()
        if not p.name.startswith(TMP_PREFIX) and (p / "manifest.json").is_file()
    ]
    return max(done, key=lambda p: p.name, default=None)


def repair_pointer(settings: Settings, name: str) -> bool:
    """Rewrite CURRENT when it does not cleanly name `name` (call under `write_lock`); True if rewritten."""
    pointer = root(settings) / POINTER
    try:
        if json.loads(pointer.read_text(encoding="utf-8")) == {"generation": name}:
            return False
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    _switch_pointer(settings, name)
    log.warning("%s repaired: it now names %s", pointer, name)
    return True


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
