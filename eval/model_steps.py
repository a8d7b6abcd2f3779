"""Model steps for retrieval, tried on a sample: what they buy and what they cost.

    python -m eval.model_steps [--n 6] [--qa qa_laws_test]

- **rerank**: the local model picks the best of the top 10 articles (each cut to
  `PASSAGE_CHARS`), which then goes first;
- **HyDE**: the local model writes a policy-style sentence answering the question, and the
  search runs on the question followed by that sentence;
- **terms**: the local model turns the everyday question into statute terms (few-shot examples
  from other fields, `prompts/terms_system.txt`, a fixed prefix llama.cpp keeps cached), and the
  search runs on the question followed by them.

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
from answer.llm import system, user
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


def rerank(
    llm: LocalLLM, question: str, hits: list, depth: int = RERANK_DEPTH, chars: int = PASSAGE_CHARS
) -> list:
    """The model's pick of the first `depth` hits goes first; the rest keep their order."""
    head, hits = hits[:depth], list(hits)
    passages = [h.article.label + "：" + h.article.text[:chars] for h in head]
    reply = llm.generate([user(render("rerank_user.j2", question=question, passages=passages))], 4)
    m = re.search(r"\d+", reply)
    pick = int(m.group()) - 1 if m else 0
    if not 0 <= pick < len(head):
        return hits
    return [hits[pick]] + [h for i, h in enumerate(hits) if i != pick]


def hyde(llm: LocalLLM, r: HybridRetriever, question: str) -> list:
    sentence = llm.generate([user(render("hyde_user.j2", question=question))], 60)
    return r.search(question + " " + sentence.strip(), k=RERANK_DEPTH)


def terms(llm: LocalLLM, r: HybridRetriever, question: str) -> list:
    reply = llm.generate([system(render("terms_system.txt")), user(f"问：{question}\n术语：")], 30)
    line = next((x.strip() for x in reply.splitlines() if x.strip()), "")
    return r.search(question + " " + line, k=RERANK_DEPTH)


STEPS = {"rerank": None, "hyde": hyde, "terms": terms}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.model_steps", description=__doc__)
    p.add_argument("--n", type=int, default=6)
    p.add_argument("--qa", default="qa_laws_test")
    p.add_argument("--steps", default="rerank,hyde", help="comma list of: " + ", ".join(STEPS))
    p.add_argument("--group", default="entrepreneur", help="askers whose questions run ('' = every one)")
    p.add_argument(
        "--depth", type=int, default=RERANK_DEPTH, help="rerank: how many of the top hits the model reads"
    )
    p.add_argument(
        "--chars", type=int, default=PASSAGE_CHARS, help="rerank: characters of each article it reads"
    )
    args = p.parse_args(argv)
    path, corpus = SETS[args.qa]
    s = dataclasses.replace(settings.load(), corpus_dir=str(corpus))
    from index.embed import make_embedder

    r = HybridRetriever(run.load_articles(s), make_embedder(s), s)
    items = [i for i in load_qa(path) if i["evidence"] and (not args.group or i.get("group") == args.group)]
    items = items[: args.n] if args.n > 0 else items
    steps = [x for x in args.steps.split(",") if x]
    llm = LocalLLM(s)
    rows = []
    for item in items:
        q = retrieval.query_text(item)
        t0 = time.perf_counter()
        hits = r.search(q, k=RERANK_DEPTH)
        row = {
            "id": item["id"],
            "plain": first_gold(hits, item),
            "search_s": round(time.perf_counter() - t0, 2),
        }
        for step in steps:
            t0 = time.perf_counter()
            got = rerank(llm, q, hits, args.depth, args.chars) if step == "rerank" else STEPS[step](llm, r, q)
            row[step], row[f"{step}_s"] = first_gold(got, item), round(time.perf_counter() - t0, 2)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    for step in ["plain", *steps]:
        at1 = sum(row[step] == 1 for row in rows) / max(len(rows), 1)
        secs = sorted(row.get(f"{step}_s", row["search_s"]) for row in rows)
        print(f"{step}: hit@1 {at1:.3f}, p50 {secs[len(secs) // 2] if secs else 0} s", file=sys.stderr)
    print(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
