"""`python -m eval.tune rerank`: fit local mode's model rerank (depth, margin) on the tuning sets.

The model reads the first `--max-depth` hits of every tuning question once (answer/likelihood.py,
what each reads chosen as local mode chooses it, answer/rerank.py: `reading`); then every depth up
to it and every margin are scored from those log-probabilities, with no model run. The objective is
the mean hit@1 over the tuning sets (mean MRR breaks ties): what a lead and the first quote rest on.
The chosen pair goes in `settings.rerank_depth` / `rerank_margin`; the untuned sets are scored with
`python -m eval --qa X --mode retrieval --chunkings article --model-rerank`.
"""

from __future__ import annotations

import dataclasses
import sys
import time

import settings
from answer.likelihood import Likelihood
from answer.rerank import likeliest, reading, to_front
from eval import retrieval, run, score
from eval.qa_check import load_qa
from eval.sets import SETS, TUNE_SETS
from index.embed import make_embedder
from index.retriever import HybridRetriever

MARGINS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)  # nats


def read(base: settings.Settings, names: tuple[str, ...], depth: int) -> list[dict]:
    """Per answerable question: which of the first `depth` hits hold its evidence, whether the
    question named an article, and the model's log P(question | hit) for each."""
    rows = []
    for name in names:
        path, corpus = SETS[name]
        s = dataclasses.replace(base, corpus_dir=str(corpus))
        r = HybridRetriever(run.load_articles(s), make_embedder(s), s)
        scorer = Likelihood(s)
        for item in (i for i in load_qa(path) if i["evidence"]):
            q = retrieval.query_text(item)
            hits = r.search(q, k=depth)
            named = any(h.named for h in hits)  # local mode leaves these alone: nothing to read
            closest = r.closest_sentences(q, [h.article for h in hits])
            started = time.perf_counter()
            texts = [
                reading(h.article.text, closest.get(h.article.chunk_id, ""), s.rerank_chars) for h in hits
            ]
            rows.append(
                {
                    "set": name,
                    "id": item["id"],
                    "group": item.get("group", ""),
                    "named": named,
                    "gold": [
                        bool(
                            score.match_evidence(
                                h.article.text, score.doc_names(h.article.doc), item["evidence"]
                            )
                        )
                        for h in hits
                    ],
                    "scores": [] if named else scorer.scores(texts, q),
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
            print(rows[-1]["id"], rows[-1]["seconds"], file=sys.stderr, flush=True)
    return rows


def first_relevant(row: dict, depth: int, margin: float) -> int | None:
    """1-based rank of the first hit holding the evidence after local mode's rerank."""
    gold = to_front(row["gold"], likeliest(row["scores"][:depth], margin))
    return next((k + 1 for k, g in enumerate(gold) if g), None)


def grid(rows: list[dict], depths: range) -> list[dict]:
    """hit@1 and MRR (over the hits read) per set for every (depth, margin); depth 1 = no rerank."""
    out = []
    for depth in depths:
        for margin in MARGINS if depth > 1 else (0.0,):
            cell = {"depth": depth, "margin": margin}
            for name in dict.fromkeys(r["set"] for r in rows):
                ranks = [first_relevant(r, depth, margin) for r in rows if r["set"] == name]
                cell[name] = {
                    "hit@1": round(sum(k == 1 for k in ranks) / len(ranks), 3),
                    "mrr": round(sum(1 / k for k in ranks if k) / len(ranks), 3),
                }
            out.append(cell)
    return out


def best(cells: list[dict], names: tuple[str, ...]) -> dict:
    """Highest mean hit@1, then MRR; ties go to the shallower depth and the larger margin (less model)."""

    def key(c: dict) -> tuple:
        hit = sum(c[n]["hit@1"] for n in names) / len(names)
        mrr = sum(c[n]["mrr"] for n in names) / len(names)
        return (round(hit, 6), round(mrr, 6), -c["depth"], c["margin"])

    return max(cells, key=key)


def run_rerank(base: settings.Settings, max_depth: int) -> dict:
    rows = read(base, TUNE_SETS, max_depth)
    cells = grid(rows, range(1, max_depth + 1))
    seconds = sorted(r["seconds"] for r in rows if r["scores"])
    return {
        "chosen": best(cells, TUNE_SETS),
        "read_p50_s": seconds[len(seconds) // 2] if seconds else 0.0,
        "grid": cells,
        "questions": rows,
    }
