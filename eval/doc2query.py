"""Questions written per article by the local model (doc2query), measured inside the documents asked about.

    python -m eval.doc2query --qa qa_laws_tune      # generates (cached), then scores both arms

The local model reads each article of the documents a set's questions are about and writes the
everyday questions it answers (`prompts/doc2query_system.txt`, one few-shot example from a field no
set covers). They are appended to the article's indexed text, so BM25, the article vector and the
sentence vectors all see them; what users are shown is unchanged. Both arms search only those
documents' articles, so the figure is "right law, wrong article" — the failure the issue names —
and no document is favoured over another by having questions when its neighbours have none.

Generated questions are cached by the hash of prompt + article text (`data/cache/doc2query.jsonl`):
an unchanged article is never asked again.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import settings
from answer.llm import system, user
from answer.prompts import render
from eval import retrieval, run, score
from eval.qa_check import load_qa
from eval.sets import SETS
from index.retriever import HybridRetriever

ARTICLE_CHARS = 240  # of each article in the prompt: the first clauses carry its subject
MAX_TOKENS = 48  # two short questions
MAX_QUESTIONS = 3
_QUESTION = re.compile(r"^[^\n]{6,40}[？?]$")


def cache_key(prompt: str, text: str) -> str:
    return hashlib.sha256((prompt + "\x00" + text).encode()).hexdigest()[:24]


def parse(reply: str) -> list[str]:
    """The question lines of a reply, without numbering, duplicates or echoes of the example.

    >>> parse("1. 喝酒开车罚多少？\\n喝酒开车罚多少？\\n这是一条规定。\\n员工：没签合同怎么办？")
    ['喝酒开车罚多少？', '没签合同怎么办？']
    """
    out: list[str] = []
    for line in reply.splitlines():
        line = re.sub(r"^\s*(?:\d+[.、．)]|[-•]|[^：:\s]{1,4}[：:])\s*", "", line).strip()
        if _QUESTION.match(line) and line not in out:
            out.append(line)
    return out[:MAX_QUESTIONS]


def load_cache(path: Path) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    rows = (json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip())
    return {r["key"]: r["questions"] for r in rows}


def generate(articles, s, cache_path: Path, llm=None) -> tuple[dict[str, list[str]], list[float]]:
    """chunk_id -> questions; seconds per article generated now (cached ones cost nothing).

    `llm`: anything with `generate(messages, max_tokens)`; the local model when None."""
    prompt = render("doc2query_system.txt")
    cache = load_cache(cache_path)
    out, secs = {}, []
    with cache_path.open("a", encoding="utf-8") as f:
        for i, a in enumerate(articles):
            text = a.text[:ARTICLE_CHARS]
            key = cache_key(prompt, text)
            if key not in cache:
                if llm is None:
                    from answer.local_llm import LocalLLM

                    llm = LocalLLM(s)
                t0 = time.perf_counter()
                reply = llm.generate([system(prompt), user("条文：" + text + "\n问题：")], MAX_TOKENS)
                secs.append(time.perf_counter() - t0)
                cache[key] = parse(reply)
                f.write(
                    json.dumps({"key": key, "label": a.label, "questions": cache[key]}, ensure_ascii=False)
                    + "\n"
                )
                f.flush()
                print(
                    f"{i + 1}/{len(articles)} {secs[-1]:.1f}s {a.label} {cache[key]}",
                    file=sys.stderr,
                    flush=True,
                )
            out[a.chunk_id] = cache[key]
    return out, secs


def with_questions(articles, questions: dict[str, list[str]]):
    return [
        dataclasses.replace(a, text=a.text + "\n" + "\n".join(questions[a.chunk_id]))
        if questions.get(a.chunk_id)
        else a
        for a in articles
    ]


def rank_of_gold(r: HybridRetriever, item: dict, k: int = 20) -> int | None:
    hits = r.search(retrieval.query_text(item), k=k)
    for n, h in enumerate(hits, start=1):
        if score.match_evidence(h.article.text, score.doc_names(h.article.doc), item["evidence"]):
            return n
    return None


def summary(ranks: list[int | None]) -> dict:
    n = max(len(ranks), 1)
    return {
        "hit@1": round(sum(r == 1 for r in ranks) / n, 3),
        "hit@5": round(sum(r is not None and r <= 5 for r in ranks) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
        "n": len(ranks),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.doc2query", description=__doc__)
    p.add_argument("--qa", default="qa_laws_tune")
    p.add_argument("--generate-only", action="store_true")
    args = p.parse_args(argv)
    path, corpus = SETS[args.qa]
    s = dataclasses.replace(settings.load(), corpus_dir=str(corpus))
    items = [i for i in load_qa(path) if i["evidence"]]
    refs = {e["doc"] for i in items for e in i["evidence"]}
    articles = [
        a for a in run.load_articles(s) if any(score.doc_matches(d, score.doc_names(a.doc)) for d in refs)
    ]
    print(f"{len(items)} questions over {len(refs)} documents: {len(articles)} articles", file=sys.stderr)
    questions, secs = generate(articles, s, Path(s.path("cache", "doc2query.jsonl")))
    if secs:
        secs.sort()
        print(
            f"generated {len(secs)}: p50 {secs[len(secs) // 2]:.1f} s, total {sum(secs):.0f} s",
            file=sys.stderr,
        )
    if args.generate_only:
        return 0
    from index.embed import make_embedder

    embedder = make_embedder(s)
    arms = {"plain": articles, "doc2query": with_questions(articles, questions)}
    result = {}
    for name, arts in arms.items():
        r = HybridRetriever(arts, embedder, s)
        ranks = [rank_of_gold(r, i) for i in items]
        result[name] = summary(ranks)
        everyday = [rk for rk, i in zip(ranks, items, strict=True) if i.get("group") == "entrepreneur"]
        result[name]["everyday hit@1"] = summary(everyday)["hit@1"]
        result[name]["per_question"] = dict(zip([i["id"] for i in items], ranks, strict=True))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
