"""The rerank's readings kept as llama.cpp states, so a question reads only what is new to the model.

`answer.likelihood` scores log P(question | article) by reading a prompt (template + the article's
head) and then the question. The prompt is the same for every question that meets the article, and
reading it is most of the cost (~100 of ~115 tokens, ~1 s on 2 cores). Its llama.cpp sequence
state (the KV cells, ~29 KB a token for the 1.5B model in f16) is saved here once, keyed by the
article's head; a later reading restores it, drops whatever its own prompt does not share (a long
article's reading swaps its second half for the matched sentence, `answer.rerank.reading`), and reads
only the rest and the question: ~0.3 s instead of ~1 s. The tokens are the prompt's own, so a score
read from a state equals a cold one (up to float rounding in the batch split).

A file holds the token count, the tokens and the state; it is written to a temporary name and
renamed, so a crash leaves no half file, and a file that does not parse is a miss. The folder is
bounded by `rerank_states_gb`: past it the least recently written go first.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import tempfile
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_MAGIC = b"PQKV1"


def state_key(*parts: str) -> str:
    """The file name for a reading, from what decides its state (`Likelihood._key`: the model, the
    prompt's wrapper, the reading length, the article's head), so a new model or template never meets
    an old state.

    >>> state_key("m.gguf:1", "<t>", "第一条") == state_key("m.gguf:1", "<t>", "第一条")
    True
    >>> state_key("m.gguf:1", "<t>", "第一条") == state_key("m.gguf:2", "<t>", "第一条")
    False
    """
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def shared(a: list[int], b: list[int]) -> int:
    """How many leading tokens two token lists share.

    >>> shared([1, 2, 3, 4], [1, 2, 5]), shared([], [1]), shared([7], [7])
    (2, 0, 1)
    """
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


class ReadingStates:
    """Saved states in `root` (files `<key>.kv`), at most `max_bytes` of them."""

    def __init__(self, root: str | Path, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._size: int | None = None

    def get(self, key: str) -> tuple[list[int], bytes] | None:
        """(tokens, state) saved under `key`, or None (missing, or a file that does not parse)."""
        try:
            blob = (self.root / f"{key}.kv").read_bytes()
        except OSError:
            return None
        head = len(_MAGIC) + 4
        if len(blob) < head or not blob.startswith(_MAGIC):
            return None
        (n,) = struct.unpack("<I", blob[len(_MAGIC) : head])
        end = head + 4 * n
        if n == 0 or len(blob) <= end:
            return None
        return np.frombuffer(blob[head:end], dtype="<i4").tolist(), blob[end:]

    def has(self, key: str) -> bool:
        return (self.root / f"{key}.kv").is_file()

    def put(self, key: str, tokens: list[int], state: bytes) -> None:
        """Save a state (a failed write is logged: the reading was scored anyway)."""
        blob = _MAGIC + struct.pack("<I", len(tokens)) + np.asarray(tokens, dtype="<i4").tobytes() + state
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, self.root / f"{key}.kv")
        except OSError as e:
            log.warning("reading state not saved: %s", e)
            return
        with self._lock:
            self._size = (self._size if self._size is not None else self._measure()) + len(blob)
            if self._size > self.max_bytes:
                self._evict()

    def full(self) -> bool:
        """Whether the folder holds 80% of its bound: ahead-of-time saving stops there, so it never
        evicts what it saved a moment before (a library larger than the bound keeps its first articles'
        states; the rest are saved as questions meet them)."""
        with self._lock:
            if self._size is None:
                self._size = self._measure()
            return self._size >= 0.8 * self.max_bytes

    def _measure(self) -> int:
        return sum(p.stat().st_size for p in self.root.glob("*.kv")) if self.root.is_dir() else 0

    def _evict(self) -> None:
        """Remove the oldest files until the folder is under 90% of its bound."""
        files = sorted(self.root.glob("*.kv"), key=lambda p: p.stat().st_mtime)
        size = sum(p.stat().st_size for p in files)
        for p in files:
            if size <= 0.9 * self.max_bytes:
                break
            size -= p.stat().st_size
            p.unlink(missing_ok=True)
        self._size = size
