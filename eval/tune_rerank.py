"""`python -m eval.tune rerank`: fit local mode's model rerank (how much of each article it reads,
depth, margin) on the tuning sets.

For each reading length (`--chars 80,120`: characters of each article, `settings.rerank_chars`) the
model reads the first `--max-depth` hits of every tuning question once (answer/likelihood.py, what
each reads chosen as local mode chooses it, answer/rerank.py: `reading`); then every depth up to it
and every margin are scored from those log-probabilities, with no model run. The objective is the
mean hit@1 over the tuning sets (mean MRR breaks ties): what a lead and the first quote rest on;
ties go to less reading. Its cost is the reading time measured per length (`read_p50_s`, for
`--max-depth` articles) scaled to each depth; cells over `--budget-s` (3 s: what a model step may
add to a local answer) are not chosen; the product holds the same budget at run time too, reading past the
second article only while it fits (`settings.rerank_budget_s`, answer/rerank.py: `read_within`), so a
slower machine reads fewer. The chosen values are then scored on the untuned sets
(`POLICYQA_RERANK_CHARS=… python -m eval --qa X --mode retrieval --chunkings article --model-rerank`)
and go in `settings.rerank_chars` / `rerank_depth` / `rerank_margin` only if they hold there (README
"Methods tried": 60 characters fit the tuning sets best within 3 s and lost one untuned question; on
the fifteenth session's faster machine 120 characters at depth 4 fit and gained six).
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
# What the reading may cost a local answer, p50 seconds (issue 11: a model step adds <= 3 s): a cell's
# is its length's measured p50 for `max_depth` articles, scaled to its depth (the time is per token read)
BUDGET_S = 3.0


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
    """Highest mean hit@1, then MRR; ties go to the shallower depth, the shorter reading and the larger
    margin (less model).

    >>> cell = lambda d, m, h, c=0: {"depth": d, "margin": m, "chars": c, "a": {"hit@1": h, "mrr": h}}
    >>> best([cell(3, 4.0, 0.8), cell(2, 4.0, 0.8), cell(2, 6.0, 0.8), cell(3, 6.0, 0.9)], ("a",))["depth"]
    3
    >>> cells = [cell(3, 6.0, 0.8, 80), cell(2, 4.0, 0.8, 80), cell(2, 6.0, 0.8, 120), cell(2, 6.0, 0.8, 80)]
    >>> [best(cells, ("a",))[k] for k in ("depth", "chars", "margin")]
    [2, 80, 6.0]
    """

    def key(c: dict) -> tuple:
        hit = sum(c[n]["hit@1"] for n in names) / len(names)
        mrr = sum(c[n]["mrr"] for n in names) / len(names)
        return (round(hit, 6), round(mrr, 6), -c["depth"], -c.get("chars", 0), c["margin"])

    return max(cells, key=key)


def run_rerank(
    base: settings.Settings, max_depth: int, chars: tuple[int, ...] = (), budget_s: float = BUDGET_S
) -> dict:
    """The grid for each reading length in `chars` (the setting's own when empty), and the best cell
    whose reading fits `budget_s` (`chosen`)."""
    by_chars = {}
    for n in chars or (base.rerank_chars,):
        rows = read(dataclasses.replace(base, rerank_chars=n), TUNE_SETS, max_depth)
        by_chars[n] = scored(rows, n, max_depth)
    return {"chosen": chosen(by_chars, max_depth, budget_s), "budget_s": budget_s, "by_chars": by_chars}


def scored(rows: list[dict], chars: int, max_depth: int) -> dict:
    """One reading length's grid, from the model's log-probabilities `rows` (`read`)."""
    cells = [{**c, "chars": chars} for c in grid(rows, range(1, max_depth + 1))]
    seconds = sorted(r["seconds"] for r in rows if r["scores"])
    return {
        "chosen": best(cells, TUNE_SETS),
        "read_p50_s": seconds[len(seconds) // 2] if seconds else 0.0,
        "grid": cells,
        "questions": rows,
    }


def chosen(by_chars: dict[int, dict], max_depth: int, budget_s: float) -> dict:
    """The best cell of every length's grid among those whose estimated reading time (`read_s`, the
    length's measured p50 scaled to the cell's depth; none at depth 1) fits `budget_s`."""
    cells = [
        {**c, "read_s": round(v["read_p50_s"] * (c["depth"] if c["depth"] > 1 else 0) / max_depth, 2)}
        for v in by_chars.values()
        for c in v["grid"]
    ]
    return best([c for c in cells if c["read_s"] <= budget_s], TUNE_SETS)
