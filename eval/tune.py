"""`python -m eval.tune`: the one place settings are tuned; every tuned setting's comment points here.

    python -m eval.tune methods [--only NAME,…]   # every retrieval method: fitted on the tuning sets,
                                                  # scored on the untuned ones, with its cost
    python -m eval.tune fusion                    # fit the product's fusion weights the same way
    python -m eval.tune refusal                   # refusal floors (cosine / BM25) and refusals per type
    python -m eval.tune topic                     # off-topic floors (cosine / shared information), eval.offtopic
    python -m eval.tune rerank [--max-depth 3] [--chars 80,120]  # local mode's model rerank: reading, depth, margin

Tuning looks only at `eval.sets.TUNE_SETS` (qa, qa_laws_tune); the figures that count are on
the untuned sets (qa_heldout, qa_laws_test), which no weight was ever chosen on. Weights are fitted
by coordinate ascent on the mean MRR over the tuning sets (each weight in turn over its grid, two
passes; ties go to the value nearer the default), so a method with several weights costs tens of
evaluations, not a full grid.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from collections import Counter

import settings
from eval import methods, retrieval, run, score
from eval.qa_check import load_qa
from eval.sets import SETS, TUNE_SETS
from index.fusion import Fusion

UNTUNED = ("qa_heldout", "qa_laws_test")
GRIDS = {  # candidate values per fitted weight (weight_vector stays 1: rankings depend on ratios)
    "weight_keyword": (0.25, 0.35, 0.5, 0.75, 1.0, 1.5),
    "weight_doc": (0.0, 0.05, 0.1, 0.2, 0.3),
    "weight_sentence": (0.0, 0.5, 1.0, 2.0),
    "weight_second": (0.0, 0.25, 0.5, 1.0),
    "prf_weight": (0.25, 0.5, 1.0),
    "neighbor_weight": (0.1, 0.25, 0.5, 1.0),
    "neighbor_min_cos": (0.88, 0.9, 0.92, 0.94),
}
PASSES = 2
METHODS = (
    methods.Method("before (synonyms + rules, hand-set 1:1 weights)"),
    methods.Method("− synonyms / expansion rules", {"expand_queries": False}),
    methods.Method("+ words mined from the corpus", {"expand_queries": False, "mined_words": True}),
    methods.Method(
        "+ title / short name scopes the search", {"expand_queries": False, "scope_by_title": True}
    ),
    methods.Method(
        "+ place / year named boosts", {"expand_queries": False, "scope_by_title": True}, ("weight_doc",)
    ),
    methods.Method("fusion weights fitted", {"expand_queries": False}, ("weight_keyword",)),
    methods.Method(
        "+ feedback words from vector hits (PRF)", {"expand_queries": False, "prf_terms": 8}, ("prf_weight",)
    ),
    methods.Method(
        "+ sentence vectors (max-sim)",
        {"expand_queries": False, "sentence_vectors": True},
        ("weight_sentence",),
    ),
    methods.Method(
        "combined: synonyms kept, title scope, sentence vectors, weights fitted",
        {"scope_by_title": True, "sentence_vectors": True},
        ("weight_keyword", "weight_sentence"),
    ),
    methods.Method(
        "+ neighbours: library words e5 puts near the question's (on the combined method)",
        {"scope_by_title": True, "sentence_vectors": True, "neighbor_terms": 2},
        ("neighbor_weight", "neighbor_min_cos"),
    ),
    methods.Method(
        "+ second embedding, USE v3 (on the combined method)",
        {"scope_by_title": True, "sentence_vectors": True, "second_embedder": "use"},
        ("weight_second",),
    ),
)
FALSE_REFUSAL_BUDGET = 0.05  # refusing 1 answerable question in 20 is the most users will put up with
GRID_COSINE = (0.0, 0.80, 0.82, 0.84, 0.85, 0.86, 0.87, 0.88, 0.90)  # e5 cosines sit in ~0.7-0.95
GRID_BM25 = (0.0, 2.0, 5.0, 8.0, 10.0, 15.0, 1e9)  # 1e9 = the keyword signal never suffices


# --- the sets, one retriever per corpus ----------------------------------------------


def load_sets(names: tuple[str, ...]) -> dict[str, dict[str, list[dict]]]:
    """{corpus dir: {set name: items}} so each corpus is indexed once."""
    out: dict[str, dict[str, list[dict]]] = {}
    for name in names:
        path, corpus = SETS[name]
        out.setdefault(str(corpus), {})[name] = load_qa(path)
    return out


def retrievers(base: settings.Settings, m: methods.Method, grouped: dict, embedder) -> dict:
    """{corpus: (retriever, build seconds)} for one method."""
    out = {}
    for corpus in grouped:
        s = methods.settings_for(dataclasses.replace(base, corpus_dir=corpus), m)
        out[corpus] = methods.build(run.load_articles(s), embedder, s)
    return out


def mean_mrr(built: dict, grouped: dict, names: tuple[str, ...], changes: dict) -> float:
    """Mean MRR over the named sets with some settings changed (query-time ones: weights, PRF)."""
    values = []
    for corpus, sets in grouped.items():
        r = built[corpus][0]
        saved, r.settings = r.settings, dataclasses.replace(r.settings, **changes)
        try:
            fusion = Fusion.from_settings(r.settings)
            for name, items in sets.items():
                if name in names:
                    values.append(retrieval.evaluate(r, items, fusion, r.settings)["overall"]["mrr"])
        finally:
            r.settings = saved
    return sum(values) / len(values)


def fit(built: dict, grouped: dict, weights: tuple[str, ...], start: dict) -> dict:
    """Coordinate ascent on the tuning sets' mean MRR."""
    chosen = {w: start[w] for w in weights}
    for _, w in itertools.product(range(PASSES), weights):
        scored = [
            (mean_mrr(built, grouped, TUNE_SETS, {**chosen, w: v}), -abs(v - start[w]), v) for v in GRIDS[w]
        ]
        chosen[w] = max(scored)[2]
    return chosen


# --- subcommands ------------------------------------------------------------------------


def run_methods(base: settings.Settings, only: list[str]) -> list[dict]:
    from index.embed import make_embedder

    embedder = make_embedder(base)
    grouped = load_sets((*TUNE_SETS, *UNTUNED))
    rows = []
    for m in METHODS:
        if only and not any(o in m.name for o in only):
            continue
        built = retrievers(base, m, grouped, embedder)
        start = {w: getattr(methods.settings_for(base, m), w) for w in m.weights}
        fitted = fit(built, grouped, m.weights, start) if m.weights else {}
        row = {"method": m.name, "fitted": fitted, "sets": {}, "build_s": {}, "embedded_now": 0}
        for corpus, sets in grouped.items():
            r, seconds = built[corpus]
            r.settings = dataclasses.replace(r.settings, **fitted)
            got = methods.measure(r, seconds, {k: v for k, v in sets.items()}, r.settings)
            row["sets"].update(got["sets"])
            row["build_s"][corpus] = round(seconds, 2)
            row["embedded_now"] += r.embedded
            row.setdefault("latency", {})[corpus] = (round(got["p50_ms"]), round(got["p95_ms"]))
        rows.append(row)
        print(methods_line(row), file=sys.stderr, flush=True)
    return rows


def methods_line(row: dict) -> str:
    t = row["sets"].get("qa_laws_test", {})
    return (
        f"{row['method']}: laws-test hit@1 {t.get('hit@1', 0):.3f} hit@5 {t.get('hit@5', 0):.3f} "
        f"MRR {t.get('mrr', 0):.3f} everyday {t.get('everyday_hit@1') or 0:.3f} {row['fitted']} {row['latency']}"
    )


def methods_table(rows: list[dict]) -> str:
    head = (
        "| method | fitted | laws test hit@1 / hit@5 / MRR | everyday hit@1 | held-out hit@1 / MRR "
        "| qa hit@1 / MRR | laws tune MRR | build s (seed / laws) | query p50 ms (seed / laws) |"
    )
    lines = [head, "|---" * 9 + "|"]
    for r in rows:
        t, h, q, lt = (r["sets"].get(n, {}) for n in ("qa_laws_test", "qa_heldout", "qa", "qa_laws_tune"))
        lat = " / ".join(str(v[0]) for v in r["latency"].values())
        build = " / ".join(str(v) for v in r["build_s"].values())
        lines.append(
            f"| {r['method']} | {_weights(r['fitted'])} | {t['hit@1']:.3f} / {t['hit@5']:.3f} / {t['mrr']:.3f} "
            f"| {t['everyday_hit@1']:.3f} | {h['hit@1']:.3f} / {h['mrr']:.3f} | {q['hit@1']:.3f} / {q['mrr']:.3f} "
            f"| {lt['mrr']:.3f} | {build} | {lat} |"
        )
    return "\n".join(lines)


def _weights(fitted: dict) -> str:
    return ", ".join(f"{k.removeprefix('weight_')} {v}" for k, v in fitted.items()) or "—"


def run_fusion(base: settings.Settings) -> dict:
    """Fit the product's own fusion weights (the settings as they are) and score the untuned sets."""
    from index.embed import make_embedder

    product = methods.Method("product", {k: getattr(base, k) for k in methods.BEFORE})
    weights = ("weight_keyword", "weight_doc", "weight_sentence", "weight_second")
    active = tuple(w for w in weights if w in ("weight_keyword", "weight_doc") or _uses(base, w))
    grouped = load_sets((*TUNE_SETS, *UNTUNED))
    built = retrievers(base, product, grouped, make_embedder(base))
    start = {w: getattr(base, w) for w in active}
    fitted = fit(built, grouped, active, start)
    return {
        "start": start,
        "fitted": fitted,
        "tuning": mean_mrr(built, grouped, TUNE_SETS, fitted),
        "untuned": mean_mrr(built, grouped, UNTUNED, fitted),
        "untuned_at_start": mean_mrr(built, grouped, UNTUNED, start),
    }


def _uses(s: settings.Settings, weight: str) -> bool:
    return (weight == "weight_sentence" and s.sentence_vectors) or (
        weight == "weight_second" and bool(s.second_embedder)
    )


def top_signals(retriever, items: list[dict], s: settings.Settings) -> list[tuple[float, float]]:
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


def refusals_by_type(
    s: settings.Settings, items: list[dict], articles: list, embedder
) -> dict[str, tuple[int, int]]:
    """The engine's own refusals (extractive mode: the same gates as the model modes, no model) per type."""
    from answer.engine import Engine
    from index.policy import PolicyIndex

    engine = Engine(s, index=PolicyIndex.in_memory(articles, embedder, s))
    refused, total = Counter(), Counter()
    for q in items:
        a = engine.ask(q["question"], history=q.get("history", ()), mode="extractive")
        total[q["type"]] += 1
        refused[q["type"]] += a.refused
    return {t: (refused[t], total[t]) for t in sorted(total)}


def run_refusal(base: settings.Settings, qa: str) -> dict:
    from index.embed import make_embedder
    from index.retriever import HybridRetriever

    path, corpus = SETS[qa]
    s = dataclasses.replace(base, corpus_dir=str(corpus))
    items, articles, embedder = load_qa(path), run.load_articles(s), make_embedder(s)
    rows = refusal_grid(top_signals(HybridRetriever(articles, embedder, s), items, s), items)
    return {
        "best": best_refusal(rows),
        "grid": rows,
        "by_type": refusals_by_type(s, items, articles, embedder),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m eval.tune", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    p.add_argument("what", choices=("methods", "fusion", "refusal", "topic", "rerank"))
    p.add_argument("--max-depth", type=int, default=3, help="rerank: hits the model reads per question")
    p.add_argument("--chars", default="", help="rerank: comma list of reading lengths (default: the setting)")
    p.add_argument("--budget-s", type=float, default=3.0, help="rerank: p50 seconds the reading may add")
    p.add_argument("--only", default="", help="methods: comma list of name parts to run")
    p.add_argument("--qa", default="qa", help="refusal: the set to calibrate on (a tuning set)")
    p.add_argument("--json", action="store_true")
    settings.add_arguments(p, tuple(f.name for f in dataclasses.fields(settings.Settings)))
    args = p.parse_args(argv)
    base = settings.from_args(args)
    if args.what == "methods":
        rows = run_methods(base, [o for o in args.only.split(",") if o])
        print(json.dumps(rows, ensure_ascii=False, indent=1) if args.json else methods_table(rows))
    elif args.what == "fusion":
        print(json.dumps(run_fusion(base), ensure_ascii=False, indent=1))
    elif args.what == "rerank":
        from eval import tune_rerank

        chars = tuple(int(c) for c in args.chars.split(",") if c)
        out = tune_rerank.run_rerank(base, args.max_depth, chars, args.budget_s)
        if not args.json:
            for part in out["by_chars"].values():
                part.pop("questions")
        print(json.dumps(out, ensure_ascii=False, indent=1))
    elif args.what == "topic":
        from eval import offtopic

        print(json.dumps(offtopic.run_fit(base), ensure_ascii=False, indent=1))
    else:
        out = run_refusal(base, args.qa)
        if not args.json:
            out.pop("grid")
        print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
