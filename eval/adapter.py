"""A query adapter learned from the library: questions the local model wrote for articles, no hand lists.

    python -m eval.adapter          # trains on the tuning half's articles, scores every set

`python -m eval.doc2query` has the local model write everyday questions for each article of the
documents the tuning half asks about (cached). Those (question, article) pairs teach a linear map W
(384 x 384, starting at the identity, pulled back towards it) that moves an e5 query vector towards
the vector of the article that answers it, trained with every other article as a negative
(softmax over cosines). At query time the cost is one 384 x 384 product; no article is re-embedded,
and a document added later needs no generated questions: the map is of the language, not of the
articles it was trained on.

Its settings (temperature, pull to the identity, epochs) are chosen on documents held out of the
training pairs (pairs split by document); then the adapted query is scored on every set by the
product's own retriever — the untuned laws half was never used for training or choosing.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

import settings
from answer.prompts import render
from eval import run
from eval.doc2query import ARTICLE_CHARS, articles_asked_about, cache_key, load_cache, scores
from eval.qa_check import load_qa
from eval.sets import SETS, TUNE_SETS
from index.cache import embed_cached
from index.embed import make_embedder, normalise
from index.passage import passage_text
from index.retriever import HybridRetriever, embedding_cache


class AdaptedEmbedder:
    """The product's embedder with queries mapped by W (passages untouched)."""

    def __init__(self, inner, w: np.ndarray) -> None:
        self.inner, self.w = inner, w.astype(np.float32)
        self.name = inner.name  # passages are the same vectors: the cache and index stay valid

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self.inner.embed_query(text) @ self.w)


def pairs(s, embedder) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Question vectors, their article's row, article vectors, and each article's document."""
    path, corpus = SETS["qa_laws_tune"]
    s = dataclasses.replace(s, corpus_dir=str(corpus))
    articles = articles_asked_about(s, [i for i in load_qa(path) if i["evidence"]])
    cache = load_cache(Path(s.path("cache", "doc2query.jsonl")))
    prompt = render("doc2query_system.txt")
    questions, owners = [], []
    for row, a in enumerate(articles):
        for q in cache.get(cache_key(prompt, a.text[:ARTICLE_CHARS]), []):
            questions.append(q)
            owners.append(row)
    ecache = embedding_cache(s)
    texts = [passage_text(a, s.passage_headings) for a in articles]
    p, _ = embed_cached(texts, embedder.name, embedder.dim, embedder.embed_passages, ecache)
    q, _ = embed_cached(
        questions,
        embedder.name + ":query",
        embedder.dim,
        lambda t: np.vstack([embedder.embed_query(x) for x in t]),
        ecache,
    )
    return q, np.array(owners), p, [a.doc.source for a in articles]


def train(q, owners, p, tau: float, pull: float, epochs: int, lr: float = 0.5) -> np.ndarray:
    """W minimising softmax cross-entropy of (qW)·p / tau over all articles, plus pull·|W - I|²."""
    d = q.shape[1]
    w = np.eye(d, dtype=np.float32)
    for _ in range(epochs):
        s = (q @ w) @ p.T / tau
        s -= s.max(axis=1, keepdims=True)
        prob = np.exp(s)
        prob /= prob.sum(axis=1, keepdims=True)
        prob[np.arange(len(owners)), owners] -= 1.0
        grad = q.T @ (prob / len(owners)) @ p / tau + 2 * pull * (w - np.eye(d, dtype=np.float32))
        w -= lr * grad
    return w


def pair_mrr(q, owners, p, w) -> float:
    s = normalise(q @ w) @ p.T
    right = s[np.arange(len(owners)), owners][:, None]
    ranks = (s > right).sum(axis=1) + 1
    return float(np.mean(1.0 / ranks))


def choose(q, owners, p, docs: list[str]) -> dict:
    """Settings with the best pair MRR on held-out documents (every third document)."""
    names = sorted(set(docs))
    held = {n for i, n in enumerate(names) if i % 3 == 0}
    is_held = np.array([docs[o] in held for o in owners])
    # negatives stay every article; only the questions are split
    best = {
        "mrr": pair_mrr(q[is_held], owners[is_held], p, np.eye(q.shape[1])),
        "tau": 0,
        "pull": 0,
        "epochs": 0,
    }
    print(f"identity: held-out pair MRR {best['mrr']:.3f}", file=sys.stderr)
    for tau in (0.02, 0.05):
        for pull in (0.0, 0.01, 0.1):
            for epochs in (20, 50, 100):
                w = train(q[~is_held], owners[~is_held], p, tau, pull, epochs)
                m = pair_mrr(q[is_held], owners[is_held], p, w)
                print(f"tau {tau} pull {pull} epochs {epochs}: {m:.3f}", file=sys.stderr)
                if m > best["mrr"]:
                    best = {"mrr": m, "tau": tau, "pull": pull, "epochs": epochs}
    return best


def scored(qa: str, embedder, s) -> dict:
    path, corpus = SETS[qa]
    s2 = dataclasses.replace(s, corpus_dir=str(corpus))
    found = scores(HybridRetriever(run.load_articles(s2), embedder, s2), load_qa(path), s2)
    return {k: v for k, v in found.items() if k != "per_question"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.adapter", description=__doc__)
    p.add_argument("--sets", default="qa,qa_heldout,qa_laws_tune,qa_laws_test")
    args = p.parse_args(argv)
    s = settings.load()
    base = make_embedder(s)
    q, owners, vecs, docs = pairs(s, base)
    print(f"{len(q)} generated questions for {len(vecs)} articles", file=sys.stderr)
    best = choose(q, owners, vecs, docs)
    print(f"chosen: {best}", file=sys.stderr)
    w = (
        train(q, owners, vecs, best["tau"], best["pull"], best["epochs"])
        if best["epochs"]
        else np.eye(q.shape[1])
    )
    out = {"chosen": best, "tune_sets": TUNE_SETS}
    for name in [x for x in args.sets.split(",") if x]:
        out[name] = {"plain": scored(name, base, s), "adapter": scored(name, AdaptedEmbedder(base, w), s)}
        print(name, json.dumps(out[name], ensure_ascii=False), file=sys.stderr)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
