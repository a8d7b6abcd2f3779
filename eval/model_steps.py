"""Model steps for retrieval, tried on a sample: what they buy and what they cost.

    python -m eval.model_steps [--n 6] [--qa qa_laws_test]

- **rerank**: the local model picks the best of the top 10 articles (each cut to
  `PASSAGE_CHARS`), which then goes first;
- **HyDE**: the local model writes a policy-style sentence answering the question, and the
  search runs on the question followed by that sentence.

Each is timed per question on the first `--n` everyday-wording questions of the set, next to
the plain search on the same questions. Not part of the product: at ~10 tokens/s generation
and ~60 tokens/s prompt reading on 2 cores, neither fits the 3 s a model step may add
(README "Methods tried").
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time

import settings
from answer.llm import user
from answer.local_llm import LocalLLM
from answer.prompts import render
from eval import retrieval, run, score
from eval.qa_check import load_qa
from eval.sets import SETS
from index.retriever import HybridRetriever

PASSAGE_CHARS = 80  # per article in the rerank prompt: 10 x 80 chars is ~600 prompt tokens already
RERANK_DEPTH = 10


def first_gold(hits: list, item: dict) -> int | None:
    for rank, h in enumerate(hits, start=1):
        if score.match_evidence(h.article.text, score.doc_names(h.article.doc), item["evidence"]):
            return rank
    return None


def rerank(llm: LocalLLM, question: str, hits: list) -> list:
    passages = [h.article.label + "：" + h.article.text[:PASSAGE_CHARS] for h in hits]
    reply = llm.generate([user(render("rerank_user.j2", question=question, passages=passages))], 4)
    m = re.search(r"\d+", reply)
    pick = int(m.group()) - 1 if m else 0
    if not 0 <= pick < len(hits):
        return hits
    return [hits[pick]] + [h for i, h in enumerate(hits) if i != pick]


def hyde(llm: LocalLLM, r: HybridRetriever, question: str) -> list:
    sentence = llm.generate([user(render("hyde_user.j2", question=question))], 60)
    return r.search(question + " " + sentence.strip(), k=RERANK_DEPTH)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.model_steps", description=__doc__)
    p.add_argument("--n", type=int, default=6)
    p.add_argument("--qa", default="qa_laws_test")
    args = p.parse_args(argv)
    path, corpus = SETS[args.qa]
    s = dataclasses.replace(settings.load(), corpus_dir=str(corpus))
    from index.embed import make_embedder

    r = HybridRetriever(run.load_articles(s), make_embedder(s), s)
    items = [i for i in load_qa(path) if i["evidence"] and i.get("group") == "entrepreneur"][: args.n]
    llm = LocalLLM(s)
    rows = []
    for item in items:
        q = retrieval.query_text(item)
        t0 = time.perf_counter()
        hits = r.search(q, k=RERANK_DEPTH)
        t1 = time.perf_counter()
        reranked = rerank(llm, q, hits)
        t2 = time.perf_counter()
        hy = hyde(llm, r, q)
        t3 = time.perf_counter()
        rows.append(
            {
                "id": item["id"],
                "plain": first_gold(hits, item),
                "rerank": first_gold(reranked, item),
                "hyde": first_gold(hy, item),
                "search_s": round(t1 - t0, 2),
                "rerank_s": round(t2 - t1, 2),
                "hyde_s": round(t3 - t2, 2),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
