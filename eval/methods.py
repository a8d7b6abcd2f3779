"""Retrieval methods side by side: quality on a set and what each costs.

A method is a set of settings changes on top of a base (what the product did before the
laws sets existed). Each is scored on the same questions through `eval.retrieval.evaluate`,
with its index build time (embedding excluded: every passage comes from the embedding cache;
the passages it needs are counted, so their one-off embedding cost can be stated) and its
query latency p50 / p95 with the query-vector caches emptied before every question.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from dataclasses import dataclass, field

from eval import retrieval
from index.fusion import Fusion
from index.retriever import HybridRetriever
from settings import Settings

# The product before this work: synonyms and expansion rules on, nothing learned from documents.
BEFORE = {"scope_by_title": False, "weight_doc": 0.0, "mined_words": False, "expand_queries": True}


@dataclass(frozen=True)
class Method:
    name: str
    changes: dict = field(default_factory=dict)  # settings fields, on top of BEFORE
    weights: tuple[str, ...] = ()  # Fusion fields fitted on the tuning sets (eval.tune fit)


def settings_for(base: Settings, m: Method, fitted: dict | None = None) -> Settings:
    return dataclasses.replace(base, **{**BEFORE, **m.changes, **(fitted or {})})


LATENCY_QUESTIONS = 40  # questions timed per corpus: enough for a p50 on a noisy shared machine
_SHARED: dict[tuple[str, str], object] = {}  # (embedder, query) -> vector, across methods' retrievers


def build(articles: list, embedder, s: Settings) -> tuple[HybridRetriever, float]:
    """A retriever for the method and its build time; scoring reuses query vectors across methods."""
    start = time.perf_counter()
    r = HybridRetriever(articles, embedder, s)
    seconds = time.perf_counter() - start
    r.query_vector = _shared(r._embed_query, embedder.name)
    if r.extras.second_embedder is not None:
        r.second_query = _shared(r._embed_second, r.extras.second_embedder.name)
    return r, seconds


def _shared(embed, name: str):
    def cached(query: str):
        key = (name, query)
        if key not in _SHARED:
            _SHARED[key] = embed(query)
        return _SHARED[key]

    return cached


def latency(r: HybridRetriever, items: list[dict], fusion: Fusion) -> tuple[float, float]:
    """p50 / p95 ms of `search`, every query embedded afresh (no cache), on the first questions."""
    saved = r.query_vector, r.second_query
    r.query_vector, r.second_query = r._embed_query, r._embed_second
    times = []
    try:
        for item in items[:LATENCY_QUESTIONS]:
            start = time.perf_counter()
            r.search(retrieval.query_text(item), k=retrieval.DEPTH, fusion=fusion)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        r.query_vector, r.second_query = saved
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def measure(r: HybridRetriever, build_s: float, sets: dict[str, list[dict]], s: Settings) -> dict:
    """Scores per set (overall and per asker group), build time and latency on the last set (untuned)."""
    fusion = Fusion.from_settings(s)
    out = {"build_s": build_s, "sets": {}}
    for name, items in sets.items():
        res = retrieval.evaluate(r, items, fusion, s)
        out["sets"][name] = {
            **{k: res["overall"][k] for k in ("hit@1", "hit@5", "mrr")},
            "everyday_hit@1": res["by_group"]["hit@1"].get("entrepreneur"),
            "missed@1": [p["id"] for p in res["per_question"] if p["first_relevant"] != 1],
        }
    timed = list(sets.values())[-1]
    out["p50_ms"], out["p95_ms"] = latency(r, [i for i in timed if i["evidence"]], fusion)
    return out
