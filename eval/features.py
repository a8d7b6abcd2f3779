"""A learned re-ranking of the fused candidates: eight features, weights fitted on the tuning sets.

    python -m eval.features [--depth 30]

The product's score fusion has three signals (article cosine, BM25, best sentence cosine).
This probe starts from its fused score, lets each of those three count again, and adds five more that need no model and no word list fitted to a set — how much of
the candidates' fused score the article's document gathers (several articles of one law
matching is evidence for that law), whether the article holds the kind of detail the
question asks (`answer.refusal.details_asked`: an amount, a date, …), whether a question
about punishment meets an article that punishes, the article's length, the share of the
question's character bigrams it contains — and fits a linear weight per feature by
coordinate ascent on the mean MRR of `eval.sets.TUNE_SETS`, then scores every set with the
weights found. It re-orders the top `--depth` fused candidates; named articles stay first.

Result (fourth session, README "Methods tried"): it learns the tuning sets and loses on the
untuned ones, so it is not part of the product.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import sys

import numpy as np

import settings as settings_mod
from answer.refusal import details_asked
from eval import retrieval, run, score
from eval.qa_check import load_qa
from eval.sets import SETS, TUNE_SETS
from index.filters import question_scope
from index.fusion import Fusion, fuse
from index.retriever import HybridRetriever

NAMES = ("fused", "cosine", "bm25", "sentence", "document", "detail", "penalty", "length", "bigrams")
GRID = (0.0, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
PASSES = 3
PRODUCT = np.array([1.0] + [0.0] * (len(NAMES) - 1))
_ASKS_PENALTY = re.compile(r"罚|处罚|怎么处理|什么后果|法律责任|追究")
_PUNISHES = re.compile(r"罚款|罚金|吊销|责令|追究")


def _min_max(x: list[float]) -> np.ndarray:
    a = np.asarray(x, float)
    lo, hi = a.min(), a.max()
    return (a - lo) / (hi - lo) if hi > lo else np.ones_like(a)


def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {han[i : i + 2] for i in range(len(han) - 1)}


def features(question: str, cands: list[dict]) -> np.ndarray:
    """One row per candidate, in NAMES order, each scaled over the candidates like fusion does."""
    bm = np.array([c["bm25"] for c in cands])
    per_doc: dict[str, list[float]] = {}
    for c in cands:
        per_doc.setdefault(c["doc"], []).append(c["fused"])
    gathered = np.array([sum(sorted(per_doc[c["doc"]], reverse=True)[:3]) for c in cands])
    asked = details_asked(question)
    penalty = bool(_ASKS_PENALTY.search(question))
    q = _bigrams(question)
    return np.stack(
        [
            [c["fused"] for c in cands],  # the product's own score: weight 1, the rest 0, is the product
            _min_max([c["cosine"] for c in cands]),
            bm / bm.max() if bm.max() > 0 else bm,
            _min_max([c["sentence"] for c in cands]),
            gathered / gathered.max(),
            [float(bool(asked) and any(w.search(c["text"]) for _, w in asked)) for c in cands],
            [float(penalty and bool(_PUNISHES.search(c["text"]))) for c in cands],
            _min_max([math.log(len(c["text"]) + 1) for c in cands]),
            [len(q & _bigrams(c["text"])) / max(len(q), 1) for c in cands],
        ],
        1,
    )


def candidates(r: HybridRetriever, item: dict, depth: int) -> dict:
    """The fused top `depth` of a question with each one's signals and relevance, and the named rows."""
    s = r.settings
    query = retrieval.query_text(item)[: s.max_question_chars].strip()
    filters = question_scope(query, None, r.by_doc.docs)
    allowed = r._scope(query, r._allowed_or_any(filters))
    rk = r._rankings(query, allowed, True)
    named = [r.row_of[a.chunk_id] for a in r.clauses.lookup(query, filters.as_of)]
    if allowed is not None:
        named = [row for row in named if row in set(allowed.tolist())]
    c = r.candidates(rk, named)
    at = {int(row): i for i, row in enumerate(c.rows)}
    out = []
    for row, fused in fuse(c, Fusion.from_settings(s))[:depth]:
        i, a = at[row], r.articles[row]
        names = score.doc_names(a.doc)
        out.append(
            {
                "row": row,
                "fused": fused,
                "cosine": float(c.cosine[i]),
                "bm25": float(c.bm25[i]),
                "sentence": float(c.sentence[i]) if c.sentence is not None else 0.0,
                "doc": a.doc.doc_id,
                "text": a.text,
                "relevant": bool(score.match_evidence(a.text, names, item["evidence"], s.eval_partial_quote)),
            }
        )
    return {"question": query, "named": named, "cands": out}


def scores(weights: np.ndarray, questions: list[dict]) -> dict:
    """hit@1 / hit@5 / MRR of the candidates re-ordered by weights · features (named rows first)."""
    h1 = h5 = mrr = 0.0
    for q in questions:
        cands = q["cands"]
        if not cands:
            continue
        order = np.argsort(-(q["features"] @ weights), kind="stable")
        named = set(q["named"])
        ranked = [c for c in cands if c["row"] in named] + [
            cands[i] for i in order if cands[i]["row"] not in named
        ]
        first = next((k for k, c in enumerate(ranked[:10], start=1) if c["relevant"]), None)
        if first:
            h1, h5, mrr = h1 + (first == 1), h5 + (first <= 5), mrr + 1 / first
    n = max(len(questions), 1)
    return {"hit@1": h1 / n, "hit@5": h5 / n, "mrr": mrr / n}


def fit(sets: dict[str, list[dict]]) -> np.ndarray:
    """Coordinate ascent on the tuning sets' mean MRR, from the product (the fused score alone)."""

    def objective(w: np.ndarray) -> float:
        return float(np.mean([scores(w, sets[name])["mrr"] for name in TUNE_SETS]))

    w = PRODUCT.copy()
    best = objective(w)
    for _ in range(PASSES):
        for j in range(len(NAMES)):
            for g in GRID:
                trial = w.copy()
                trial[j] = g
                if (got := objective(trial)) > best + 1e-9:
                    best, w = got, trial
    return w


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.features", description=__doc__)
    p.add_argument("--depth", type=int, default=30, help="fused candidates re-ordered per question")
    args = p.parse_args(argv)
    from index.embed import make_embedder

    base = settings_mod.load()
    embedder = make_embedder(base)
    sets: dict[str, list[dict]] = {}
    by_corpus: dict[str, list[str]] = {}
    for name, (_, corpus) in SETS.items():
        by_corpus.setdefault(str(corpus), []).append(name)
    for corpus, names in by_corpus.items():
        s = dataclasses.replace(base, corpus_dir=corpus)
        r = HybridRetriever(run.load_articles(s), embedder, s)
        for name in names:
            sets[name] = [
                candidates(r, item, args.depth) for item in load_qa(SETS[name][0]) if item["evidence"]
            ]
            for q in sets[name]:
                q["features"] = features(q["question"], q["cands"])
    fitted = fit(sets)
    print("weights fitted on", ", ".join(TUNE_SETS), dict(zip(NAMES, fitted.round(2).tolist(), strict=True)))
    for name, questions in sets.items():
        a, b = scores(PRODUCT, questions), scores(fitted, questions)
        line = " / ".join(f"{a[k]:.3f} → {b[k]:.3f}" for k in ("hit@1", "hit@5", "mrr"))
        print(f"{name}{' (tuned on)' if name in TUNE_SETS else ''}: hit@1 / hit@5 / MRR {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
