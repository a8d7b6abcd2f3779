"""The query adapter (eval/adapter.py) learns a map from question vectors to article vectors."""

import numpy as np

from eval.adapter import AdaptedEmbedder, pair_mrr, train
from index.embed import FakeEmbedder, normalise


def _rotated_pairs(seed: int, n_articles: int = 40, per: int = 4, dim: int = 16):
    rng = np.random.default_rng(seed)
    p = normalise(rng.normal(size=(n_articles, dim)))
    rotation, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    owners = np.repeat(np.arange(n_articles), per)
    q = normalise(p[owners] @ rotation.T + 0.3 * rng.normal(size=(len(owners), dim)))
    return q.astype(np.float32), owners, p.astype(np.float32)


def test_train_learns_a_map_that_generalises_to_unseen_questions():
    q, owners, p = _rotated_pairs(0)
    train_rows = np.arange(len(owners)) % 4 != 0  # a quarter of the questions never trained on
    before = pair_mrr(q[~train_rows], owners[~train_rows], p, np.eye(q.shape[1]))
    w = train(q[train_rows], owners[train_rows], p, tau=0.05, pull=0.0, epochs=200, lr=0.05)
    after = pair_mrr(q[~train_rows], owners[~train_rows], p, w)
    assert before < 0.3 < 0.8 < after


def test_pull_keeps_the_map_near_the_identity():
    q, owners, p = _rotated_pairs(1)
    free = train(q, owners, p, tau=0.05, pull=0.0, epochs=100, lr=0.05)
    pulled = train(q, owners, p, tau=0.05, pull=5.0, epochs=100, lr=0.05)
    eye = np.eye(q.shape[1])
    assert np.linalg.norm(pulled - eye) < np.linalg.norm(free - eye)


def test_adapted_embedder_maps_queries_and_leaves_passages_alone():
    inner = FakeEmbedder(dim=8)
    flip = -np.eye(8, dtype=np.float32)
    e = AdaptedEmbedder(inner, flip)
    assert e.name == inner.name and e.dim == 8
    np.testing.assert_allclose(e.embed_query("首贷贴息"), -inner.embed_query("首贷贴息"), atol=1e-6)
    np.testing.assert_allclose(e.embed_passages(["首贷贴息"]), inner.embed_passages(["首贷贴息"]), atol=1e-6)
