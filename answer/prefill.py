"""Save the rerank's reading of every article ahead of time: `python -m answer.prefill [--corpus DIR]`.

Local mode's rerank reads a candidate's head with the question (`answer.likelihood`); with the
head's state saved (`answer.reading_states`) a question costs ~0.3 s a candidate instead of ~1 s,
so `rerank_budget_s` lets it read deeper. This reads each article's head once (~1 s an article on 2
cores, ~3 MB saved each) and skips those saved already, so a rerun after a refresh reads only new or
changed articles. Without it the states are saved as questions meet the articles.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

import settings as settings_module
from answer.likelihood import Likelihood
from answer.rerank import heads
from ingest.pipeline import load_articles


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m answer.prefill", description=__doc__.splitlines()[0])
    p.add_argument("--corpus", action="append", default=[], help="a corpus folder (default: the settings')")
    p.add_argument("--limit", type=int, default=0, help="at most this many articles (0: all)")
    args = p.parse_args(argv)
    base = settings_module.load()
    if base.rerank_states_gb <= 0:
        print("rerank_states_gb is 0: nothing is saved", file=sys.stderr)
        return 1
    report = []
    for corpus in args.corpus or [base.corpus_dir]:
        s = dataclasses.replace(base, corpus_dir=corpus)
        texts = heads(load_articles(s), s.rerank_chars)
        if args.limit:
            texts = texts[: args.limit]
        started = time.monotonic()
        read = Likelihood(s).prefill(texts)
        report.append(
            {
                "corpus": corpus,
                "articles": len(texts),
                "read": read,
                "seconds": round(time.monotonic() - started, 1),
            }
        )
        print(json.dumps(report[-1], ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
