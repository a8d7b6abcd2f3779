"""The learned re-ranking probe: its starting point is exactly the product's order, and what it adds is scored."""

from __future__ import annotations

import numpy as np

from eval import features as F


def _question(question: str, cands: list[dict], named: list[int] = ()) -> dict:
    q = {"question": question, "named": list(named), "cands": cands}
    q["features"] = F.features(question, cands)
    return q


def _cand(row, fused, text, relevant=False, doc="d", bm25=1.0):
    return {
        "row": row,
        "fused": fused,
        "cosine": fused,
        "bm25": bm25,
        "sentence": fused,
        "doc": doc,
        "text": text,
        "relevant": relevant,
    }


def test_the_product_weights_keep_the_fused_order_and_named_rows_come_first():
    cands = [_cand(1, 0.9, "甲"), _cand(2, 0.8, "乙", relevant=True), _cand(3, 0.1, "丙")]
    assert F.scores(F.PRODUCT, [_question("问题", cands)]) == {"hit@1": 0.0, "hit@5": 1.0, "mrr": 0.5}
    named = _question("问题", cands, named=[2])
    assert F.scores(F.PRODUCT, [named])["hit@1"] == 1.0


def test_the_detail_feature_marks_articles_holding_the_kind_of_detail_asked():
    cands = [
        _cand(1, 0.9, "经营者应当明码标价。"),
        _cand(2, 0.8, "处十万元以上五十万元以下的罚款。", relevant=True),
    ]
    q = _question("罚款是多少钱？", cands)
    detail, penalty = F.NAMES.index("detail"), F.NAMES.index("penalty")
    assert q["features"][:, detail].tolist() == [0.0, 1.0]
    assert q["features"][:, penalty].tolist() == [0.0, 1.0]
    w = F.PRODUCT.copy()
    w[detail] = 1.0
    assert F.scores(w, [q])["hit@1"] == 1.0 > F.scores(F.PRODUCT, [q])["hit@1"]


def test_fitting_never_scores_the_tuning_sets_below_the_product(monkeypatch):
    monkeypatch.setattr(F, "PASSES", 1)
    cands = [_cand(1, 0.9, "经营者应当明码标价。"), _cand(2, 0.8, "处三万元以下的罚款。", relevant=True)]
    sets = {name: [_question("不改正罚多少？", cands)] for name in F.TUNE_SETS}
    w = F.fit(sets)
    assert all(F.scores(w, s)["mrr"] >= F.scores(F.PRODUCT, s)["mrr"] for s in sets.values())
    assert F.scores(w, sets[F.TUNE_SETS[0]])["hit@1"] == 1.0 and not np.array_equal(w, F.PRODUCT)
