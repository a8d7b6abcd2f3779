"""Retrieval runs: each configuration (chunking x fusion weights) on the same questions.

Every configuration goes through the same `HybridRetriever` and embedder (its
embedding cache means windows are embedded once, ever), the same query text,
and the same relevance rule: a hit is relevant to an evidence item when it
comes from that document and holds its quote (`eval.score.match_evidence`,
with `settings.eval_partial_quote` for quotes a chunk edge cut).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

from answer.likelihood import Likelihood
from answer.rerank import promoted_by, to_front
from eval import score
from eval.baselines import sentence_splitter_chunks, window_chunks
from index.fusion import Fusion
from index.retriever import HybridRetriever
from ingest.record import Article
from settings import Settings

DEPTH = 5  # hits scored per question: hit@5 and evidence recall@5 need no more
PRODUCT = "article · hybrid"


@dataclass(frozen=True)
class Config:
    name: str
    chunking: str  # a key of CHUNKINGS
    fusion: Fusion
    rerank: int = 0  # local mode's model rerank of the first N hits (answer/rerank.py); 0 = none


CHUNKINGS: dict[str, Callable[[list[Article], Settings], list[Article]]] = {
    "article": lambda articles, s: articles,
    "window": lambda articles, s: window_chunks(articles, s.eval_window_chars, s.eval_window_overlap),
    "sentence_splitter": lambda articles, s: sentence_splitter_chunks(articles),
}


def configurations(s: Settings, model_rerank: bool = False) -> list[Config]:
    """The product first, then what each of its two choices (chunking, fusion) is compared with;
    with `model_rerank`, the product as local mode searches too (the model reads the first hits)."""
    hybrid = Fusion.from_settings(s)
    keyword = dataclasses.replace(hybrid, weight_keyword=1.0, weight_vector=0.0)
    vector = dataclasses.replace(hybrid, weight_keyword=0.0, weight_vector=1.0)
    win = f"window{s.eval_window_chars}"
    reranked = [
        Config(f"{PRODUCT} · local-model rerank of {s.rerank_depth}", "article", hybrid, s.rerank_depth)
    ]
    return [
        Config(PRODUCT, "article", hybrid),
        *(reranked if model_rerank and s.rerank_depth > 1 else []),
        Config("article · keyword only", "article", keyword),
        Config("article · vector only", "article", vector),
        Config(f"{win} · hybrid", "window", hybrid),
        Config(f"{win} · vector only", "window", vector),
        Config("SentenceSplitter · hybrid", "sentence_splitter", hybrid),
        Config("SentenceSplitter · vector only", "sentence_splitter", vector),
    ]


def query_text(item: dict) -> str:
    """What retrieval is asked. A follow-up gets its previous user turn in front:
    the simplest contextualisation, the same for every configuration."""
    earlier = [t["content"] for t in item.get("history", []) if t["role"] == "user"]
    return " ".join([*earlier[-1:], item["question"]])


def rank(
    retriever: HybridRetriever, item: dict, fusion: Fusion, s: Settings, rerank: int = 0
) -> tuple[list, list, float | None]:
    """Per rank, the evidence indices the hit holds: in the whole hit, and in the part of it
    that fits the answer stage's `context_chars` budget (hits read in rank order); and the seconds
    the model's rerank took (None: it did not run)."""
    question = query_text(item)
    hits = retriever.search(question, k=max(DEPTH, rerank), fusion=fusion)
    seconds = None
    if rerank > 1 and not any(h.named for h in hits):  # as local mode: named articles stay first
        first = [h.article for h in hits[:rerank]]
        closest = retriever.closest_sentences(question, first)
        started = time.perf_counter()
        pick = promoted_by(s, first, question, Likelihood(s), closest, depth=rerank)
        seconds = time.perf_counter() - started
        hits = to_front(hits, pick)[:DEPTH]
    whole, within, left = [], [], s.context_chars
    for h in hits:
        names, text = score.doc_names(h.article.doc), h.article.text
        whole.append(score.match_evidence(text, names, item["evidence"], s.eval_partial_quote))
        within.append(
            score.match_evidence(text[: max(left, 0)], names, item["evidence"], s.eval_partial_quote)
        )
        left -= len(text)
    return whole, within, seconds


def metrics(
    ranked: list[list[frozenset[int]]], within: list[list[frozenset[int]]], items: list[dict]
) -> dict:
    """The retrieval metrics, each in the scorer's {score, individual_scores} shape."""
    n_evidence = [len(i["evidence"]) for i in items]
    return {
        "hit@1": score.hit_at_k(ranked, 1),
        "hit@3": score.hit_at_k(ranked, 3),
        "hit@5": score.hit_at_k(ranked, 5),
        "mrr": score.reciprocal_rank(ranked),
        "recall@5": score.evidence_recall_at_k(ranked, n_evidence, 5),
        "hit@ctx": score.hit_at_k(within, DEPTH),
        "recall@ctx": score.evidence_recall_at_k(within, n_evidence, DEPTH),
    }


def summarise(found: dict[str, dict], items: list[dict]) -> dict:
    """Overall, per question type and per asker group (entrepreneur = everyday words)."""
    types = [i["type"] for i in items]
    groups = [i.get("group", "") for i in items]
    return {
        "overall": {m: r["score"] for m, r in found.items()},
        "by_type": {m: score.by_type(r["individual_scores"], types) for m, r in found.items()},
        "by_group": {m: score.by_type(r["individual_scores"], groups) for m, r in found.items()},
    }


def evaluate(
    retriever: HybridRetriever, items: list[dict], fusion: Fusion, s: Settings, rerank: int = 0
) -> dict:
    """Scores of one configuration on the answerable items, with per-question ranks."""
    answerable = [i for i in items if i["evidence"]]
    ranked, within, read_s = [], [], []
    for item in answerable:
        whole, visible, seconds = rank(retriever, item, fusion, s, rerank)
        ranked.append(whole)
        within.append(visible)
        if seconds is not None:
            read_s.append(seconds)
    per_question = [
        {
            "id": i["id"],
            "type": i["type"],
            "first_relevant": _first(r),
            "evidence_found": sorted(set().union(*r)),
        }
        for i, r in zip(answerable, ranked, strict=True)
    ]
    return {
        **summarise(metrics(ranked, within, answerable), answerable),
        "n": len(answerable),
        "per_question": per_question,
        **({"rerank_s": _percentiles(read_s)} if read_s else {}),
    }


def _percentiles(seconds: list[float]) -> dict:
    """p50 / p95 / max of the model rerank's seconds per question (what it adds to a local answer),
    nearest-rank as the answer latencies (`score.percentile`).

    >>> _percentiles([4.0, 1.0, 3.0, 2.0])
    {'n': 4, 'p50': 2.0, 'p95': 4.0, 'max': 4.0}
    """
    ordered = sorted(seconds)
    return {
        "n": len(ordered),
        "p50": round(score.percentile(ordered, 50), 2),
        "p95": round(score.percentile(ordered, 95), 2),
        "max": round(ordered[-1], 2),
    }


def _first(ranked: list[frozenset[int]]) -> int | None:
    """1-based rank of the first relevant hit."""
    return next((i + 1 for i, m in enumerate(ranked) if m), None)


def build_retrievers(articles: list[Article], embedder, s: Settings, chunkings: set[str]) -> dict:
    """{chunking: (retriever, n_chunks, passages embedded now)} for the chunkings asked."""
    out = {}
    for name in sorted(chunkings):
        chunks = CHUNKINGS[name](articles, s)
        retriever = HybridRetriever(chunks, embedder, s)
        out[name] = (retriever, len(chunks), retriever.embedded)
    return out


def run(
    articles: list[Article],
    items: list[dict],
    embedder,
    s: Settings,
    chunkings: tuple[str, ...] = (),
    model_rerank: bool = False,
) -> list[dict]:
    """Every configuration (of the given chunkings; () = all) on the same items: one result dict each."""
    configs = [c for c in configurations(s, model_rerank) if not chunkings or c.chunking in chunkings]
    retrievers = build_retrievers(articles, embedder, s, {c.chunking for c in configs})
    results = []
    for c in configs:
        retriever, n_chunks, embedded = retrievers[c.chunking]
        result = evaluate(retriever, items, c.fusion, s, c.rerank)
        results.append({"config": c.name, "chunking": c.chunking, "chunks": n_chunks, **_fusion(c), **result})
        results[-1]["embedded_now"] = embedded
    return results


def _fusion(c: Config) -> dict:
    return {"fusion": dataclasses.asdict(c.fusion)}
