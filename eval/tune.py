"""`python -m eval.tune`: pick the fusion weights and the refusal floors on the Q&A set.

1. Fusion: a grid over the fusion method (score / rrf), weight_keyword (weight_vector fixed
   at 1: rankings depend only on the ratio) and, for rrf, rrf_k, on the article index; best MRR, ties by hit@1 then closeness to
   the defaults. Each half of the set (odd / even items) is also tuned alone: when
   the halves pick far-apart values, the choice is noise.
2. Refusal: for floors on the best hit's cosine and BM25 score (answer/refusal.py refuses
   when no top-k hit reaches either), the refusal rate on unanswerable questions and the
   false-refusal rate on answerable ones.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from dataclasses import fields

import settings
from eval import retrieval, run, score
from eval.qa_check import QA_PATH
from index.fusion import METHODS, Fusion
from index.retriever import HybridRetriever

GRID_KEYWORD = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0)
GRID_RRF_K = (5, 10, 20, 30, 60, 100)
FALSE_REFUSAL_BUDGET = 0.05  # refusing 1 answerable question in 20 is the most users will put up with
GRID_COSINE = (0.0, 0.80, 0.82, 0.84, 0.85, 0.86, 0.87, 0.88, 0.90)  # e5 cosines sit in ~0.7-0.95
GRID_BM25 = (0.0, 5.0, 8.0, 10.0, 12.0, 15.0, 20.0, 1e9)  # 1e9 = the keyword signal never suffices


def fusions(s: settings.Settings) -> list[Fusion]:
    """Score fusion ignores rrf_k, so it is tried once per weight."""
    out = []
    for method in METHODS:
        for w_kw, k in itertools.product(GRID_KEYWORD, GRID_RRF_K if method == "rrf" else (s.rrf_k,)):
            out.append(Fusion(w_kw, 1.0, k, method))
    return out


def fusion_grid(retriever: HybridRetriever, items: list[dict], s: settings.Settings) -> list[dict]:
    rows = []
    for f in fusions(s):
        found = retrieval.evaluate(retriever, items, f, s)["overall"]
        rows.append({"fusion": f.method, "weight_keyword": f.weight_keyword, "rrf_k": f.rrf_k, **found})
    return rows


def best(rows: list[dict], s: settings.Settings) -> dict:
    def key(r: dict) -> tuple:
        distance = abs(r["weight_keyword"] - s.weight_keyword) + abs(r["rrf_k"] - s.rrf_k) / 60
        return (-round(r["mrr"], 4), -round(r["hit@1"], 4), r["fusion"] != s.fusion, distance)

    return min(rows, key=key)


def top_signals(
    retriever: HybridRetriever, items: list[dict], s: settings.Settings
) -> list[tuple[float, float]]:
    """(best cosine, best BM25) among each question's top-k hits."""
    out = []
    for item in items:
        hits = retriever.search(retrieval.query_text(item), k=s.top_k)
        out.append(
            (
                max((h.vector_score for h in hits), default=0.0),
                max((h.keyword_score for h in hits), default=0.0),
            )
        )
    return out


def refusal_grid(signals: list[tuple[float, float]], items: list[dict]) -> list[dict]:
    rows = []
    answerable = [bool(i["evidence"]) for i in items]
    for cos, bm25 in itertools.product(GRID_COSINE, GRID_BM25):
        refused = [not (v >= cos or k >= bm25) for v, k in signals]
        rows.append(
            {
                "refuse_min_vector": cos,
                "refuse_min_keyword": bm25,
                "refusal": score.refusal_rate([r for r, a in zip(refused, answerable, strict=True) if not a])[
                    "score"
                ],
                "false_refusal": score.refusal_rate(
                    [r for r, a in zip(refused, answerable, strict=True) if a]
                )["score"],
            }
        )
    return rows


def best_refusal(rows: list[dict]) -> dict:
    ok = [r for r in rows if r["false_refusal"] <= FALSE_REFUSAL_BUDGET]
    return max(ok, key=lambda r: (r["refusal"], -r["false_refusal"]))


def _fmt(row: dict, keys: tuple[str, ...]) -> str:
    return (
        "| " + " | ".join(f"{row[k]:.3f}" if isinstance(row[k], float) else str(row[k]) for k in keys) + " |"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.tune", description=__doc__)
    p.add_argument("--qa", default=QA_PATH)
    settings.add_arguments(p, tuple(f.name for f in fields(settings.Settings)))
    args = p.parse_args(argv)
    s = settings.from_args(args)
    items = run.load_items(args.qa, 0)
    from index.embed import make_embedder

    retriever = HybridRetriever(run.load_articles(s), make_embedder(s), s)
    rows = fusion_grid(retriever, items, s)
    keys = ("fusion", "weight_keyword", "rrf_k", "hit@1", "hit@5", "mrr", "recall@5")
    print("| " + " | ".join(keys) + " |\n" + "|---" * len(keys) + "|")
    print("\n".join(_fmt(r, keys) for r in sorted(rows, key=lambda r: -r["mrr"])[:12]))
    chosen = best(rows, s)
    print(f"\nbest on all: {_fmt(chosen, keys)}")
    for name, half in (("odd", items[0::2]), ("even", items[1::2])):
        print(f"best on {name} half: {_fmt(best(fusion_grid(retriever, half, s), s), keys)}")
    tuned = dataclasses.replace(
        s, fusion=chosen["fusion"], weight_keyword=chosen["weight_keyword"], rrf_k=chosen["rrf_k"]
    )
    refusals = refusal_grid(top_signals(retriever, items, tuned), items)
    rkeys = ("refuse_min_vector", "refuse_min_keyword", "refusal", "false_refusal")
    print("\n| " + " | ".join(rkeys) + " |\n" + "|---" * len(rkeys) + "|")
    print(
        "\n".join(
            _fmt(r, rkeys) for r in sorted(refusals, key=lambda r: (-r["refusal"], r["false_refusal"]))[:12]
        )
    )
    print(
        f"\nbest refusal floors (false refusal <= {FALSE_REFUSAL_BUDGET}): {_fmt(best_refusal(refusals), rkeys)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
