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


def articles_asked_about(s, items: list[dict]) -> list:
    """The articles of the documents the items' evidence names (`s.corpus_dir`'s articles)."""
    refs = {e["doc"] for i in items for e in i["evidence"]}
    return [
        a for a in run.load_articles(s) if any(score.doc_matches(d, score.doc_names(a.doc)) for d in refs)
    ]


def scores(r: HybridRetriever, items: list[dict], s) -> dict:
    """hit@1 / hit@5 / MRR and everyday-wording hit@1 by the eval's own scorer (`eval.retrieval`)."""
    found = retrieval.evaluate(r, items, retrieval.configurations(s)[0].fusion, s)
    return {k: round(v, 3) for k, v in found["overall"].items() if k in ("hit@1", "hit@5", "mrr")} | {
        "everyday hit@1": round(found["by_group"]["hit@1"].get("entrepreneur", 0.0), 3),
        "per_question": {q["id"]: q["first_relevant"] for q in found["per_question"]},
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.doc2query", description=__doc__)
    p.add_argument("--qa", default="qa_laws_tune")
    p.add_argument("--generate-only", action="store_true")
    args = p.parse_args(argv)
    path, corpus = SETS[args.qa]
    s = dataclasses.replace(settings.load(), corpus_dir=str(corpus))
    items = [i for i in load_qa(path) if i["evidence"]]
    articles = articles_asked_about(s, items)
    print(f"{len(items)} questions: {len(articles)} articles", file=sys.stderr)
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
    result = {name: scores(HybridRetriever(arts, embedder, s), items, s) for name, arts in arms.items()}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
