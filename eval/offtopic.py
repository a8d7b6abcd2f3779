"""Questions no policy answers, and how many the product answers anyway.

    python -m eval.offtopic [--qa qa_laws_tune]

`offtopic_probes.txt` holds everyday questions about anything but policy (weather, jokes,
stock prices, code); each should be refused. Retrieval always returns something, and a
probe sharing one word with an article ("股票", "价格", "旅游") passes the BM25 floor
(`refuse_min_keyword`), so the extractive answer quotes unrelated articles. Printed: the
probes answered and the articles quoted. The set's corpus is used (`eval/sets.py`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import settings
from eval import run
from eval.sets import SETS

PROBES = Path(__file__).resolve().parent / "offtopic_probes.txt"


def probes(path: Path = PROBES) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def answered(engine, questions: list[str]) -> list[dict]:
    """The questions the engine answers instead of refusing, each with the articles it quotes."""
    out = []
    for q in questions:
        a = engine.ask(q, mode="extractive")
        if not a.refused:
            out.append({"question": q, "quoted": [c.article.label for c in a.citations]})
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.offtopic", description=__doc__)
    p.add_argument("--qa", default="qa", choices=sorted(SETS), help="the set whose corpus is searched")
    args = p.parse_args(argv)
    s = dataclasses.replace(settings.load(), corpus_dir=str(SETS[args.qa][1]))
    from answer import Engine
    from index.embed import make_embedder
    from index.policy import PolicyIndex

    engine = Engine(s, index=PolicyIndex.in_memory(run.load_articles(s), make_embedder(s), s))
    questions = probes()
    found = answered(engine, questions)
    print(
        json.dumps(
            {"probes": len(questions), "answered": len(found), "which": found}, ensure_ascii=False, indent=1
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
