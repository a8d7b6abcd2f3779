"""Where the gold article is lost between retrieval and the extractive answer.

    python -m eval.stages --qa qa_laws_tune

For each answerable question, the first stage that no longer holds a gold article:
not in the top `top_k` hits; dropped by the relevance floors (`answer.refusal.is_relevant`);
ranked beyond `answer_articles`; dropped by the sentence-overlap filter
(`answer.extractive.matching`); cut by the character budget; else cited. Tells whether a
citation-hit gap is retrieval's or the answer stage's. Tuning sets only: reading where an
untuned set fails is tuning on it.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import sys

import settings
from answer.extractive import extract, matching
from answer.refusal import is_relevant
from eval import run, score
from eval.qa_check import load_qa
from eval.sets import SETS

STAGES = (
    "not in the top hits",
    "below the relevance floors",
    "beyond answer_articles",
    "dropped by sentence overlap",
    "cut by the character budget",
    "cited",
)


def _gold(article, item: dict, s) -> bool:
    names = score.doc_names(article.doc)
    return bool(score.match_evidence(article.text, names, item["evidence"], s.eval_partial_quote))


def stage(engine, item: dict, s) -> str:
    """The first stage at which no gold article of `item` is left (`cited` when one is quoted)."""
    q = item["question"]
    hits = [h for h in engine.index.search(q, k=s.top_k) if _gold(h.article, item, s)]
    if not hits:
        return STAGES[0]
    ev = engine.evidence(q)
    if not any(_gold(a, item, s) for a in ev.articles):
        return STAGES[1] if not any(is_relevant(h, s) for h in hits) else STAGES[2]
    kept = ev.articles[: ev.exact] + matching(ev.articles[ev.exact :], q)
    if not any(_gold(a, item, s) for a in kept):
        return STAGES[3]
    _, blocks = extract(ev.articles, q, s, ev.exact)
    return STAGES[5] if any(_gold(b.article, item, s) for b in blocks) else STAGES[4]


def stages(engine, items: list[dict], s) -> dict[str, list[str]]:
    """{stage: [ids]} over the answerable items, in STAGES order."""
    out: dict[str, list[str]] = collections.defaultdict(list)
    for item in items:
        if item["evidence"]:
            out[stage(engine, item, s)].append(item["id"])
    return {k: out[k] for k in STAGES if k in out}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.stages", description=__doc__)
    p.add_argument("--qa", default="qa_laws_tune", choices=sorted(SETS))
    args = p.parse_args(argv)
    path, corpus = SETS[args.qa]
    s = dataclasses.replace(settings.load(), corpus_dir=str(corpus))
    from answer import Engine
    from index.embed import make_embedder
    from index.policy import PolicyIndex

    articles = run.load_articles(s)
    engine = Engine(s, index=PolicyIndex.in_memory(articles, make_embedder(s), s))
    found = stages(engine, load_qa(path), s)
    print(json.dumps({k: {"n": len(v), "ids": v} for k, v in found.items()}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
