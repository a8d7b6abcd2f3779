"""Questions no policy answers: how many the product answers anyway, and the floors that refuse them.

    python -m eval.offtopic            # every set: probes answered, answerable questions judged off topic
    python -m eval.offtopic --fit      # the off-topic floors fitted on the tuning sets (`eval.tune topic`)

`offtopic_probes.txt` (22, tuning) and `offtopic_probes_heldout.txt` (60, written by a helper that
never ran the system: chatter, homework, questions reusing business words, requests to the model)
hold everyday questions about anything but policy; each should be refused. Retrieval always
returns something, and a probe sharing one word with an article ("股票", "价格", "给") passes the
BM25 floor, so before `answer.refusal.off_topic` the extractive answer quoted unrelated articles.

The check asks two things of the hits (`index.Hit`): is any article or sentence close in meaning
(`topic_min_cosine`), and do the words the question shares with any hit say much in everyday
language (`topic_min_information`, `index.topic`)? `--fit` chooses both on the tuning sets
(`eval.sets.TUNE_SETS`) and the tuning probes only: the most probes refused while every answerable
tuning question still clears the cosine floor by `MARGIN` or the information floor.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from pathlib import Path

import settings
from eval import retrieval, run
from eval.qa_check import load_qa
from eval.sets import FRESH_CORPUS, LAWS_CORPUS, SEED_CORPUS, SETS, TUNE_SETS

HERE = Path(__file__).resolve().parent
PROBES = HERE / "offtopic_probes.txt"
HELDOUT_PROBES = HERE / "offtopic_probes_heldout.txt"
CORPUS_NAMES = {SEED_CORPUS: "seeds", LAWS_CORPUS: "laws", FRESH_CORPUS: "fresh"}
GRID_COSINE = tuple(round(0.85 + 0.005 * i, 3) for i in range(11))  # 0.85 … 0.90
GRID_INFORMATION = tuple(float(n) for n in range(8, 26, 2))  # nats
# Room every answerable tuning question keeps above the cosine floor. Not fitted: set after the fit
# without it (0.89) judged 3 of 109 answerable untuned questions off topic, and widened from 0.015
# (floor 0.875) when the new qa_plain set held a question at 0.877 (README "Refusal").
MARGIN = 0.02


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


def signals(index, questions: list[str], top_k: int) -> list[tuple[float, float] | None]:
    """What the engine's check reads of each question (`answer.refusal.topic_signals`)."""
    from answer.refusal import topic_signals

    docs = index.documents()
    return [topic_signals(index.search(q, k=top_k), q, docs) for q in questions]


def judged_off(sig: list, cos: float, info: float) -> int:
    return sum(1 for x in sig if x is not None and x[0] < cos and x[1] < info)


def fit(answerable: list, offtopic: list) -> dict:
    """Floors refusing the most probes while every answerable question clears them with room."""
    best = None
    for cos, info in itertools.product(GRID_COSINE, GRID_INFORMATION):
        if judged_off(answerable, cos + MARGIN, info):
            continue
        key = (judged_off(offtopic, cos, info), -cos, -info)  # ties: the lower floors
        if best is None or key > best[0]:
            best = (key, {"topic_min_cosine": cos, "topic_min_information": info})
    floors = best[1] if best else {"topic_min_cosine": 0.0, "topic_min_information": 0.0}
    return {
        **floors,
        "probes_refused": judged_off(offtopic, floors["topic_min_cosine"], floors["topic_min_information"]),
        "probes": len(offtopic),
        "answerable": sum(x is not None for x in answerable),
    }


def _index(base: settings.Settings, corpus: Path):
    from index.embed import make_embedder
    from index.policy import PolicyIndex

    s = dataclasses.replace(base, corpus_dir=str(corpus))
    return s, PolicyIndex.in_memory(run.load_articles(s), make_embedder(s), s)


def run_fit(base: settings.Settings) -> dict:
    answerable, offtopic = [], []
    for corpus in dict.fromkeys(SETS[name][1] for name in TUNE_SETS):
        s, index = _index(base, corpus)
        items = [i for name in TUNE_SETS if SETS[name][1] == corpus for i in load_qa(SETS[name][0])]
        answerable += signals(index, [retrieval.query_text(i) for i in items if i.get("evidence")], s.top_k)
        offtopic += signals(index, probes(PROBES), s.top_k)
    return fit(answerable, offtopic)


def run_check(base: settings.Settings) -> dict:
    """Per corpus: probes the engine answers (tuning / held-out) and, per set, answerable
    questions the off-topic check alone would refuse."""
    from answer import Engine

    out = {}
    for corpus in dict.fromkeys(c for _, c in SETS.values()):
        s, index = _index(base, corpus)
        engine = Engine(s, index=index)
        row = {}
        for name, path in (("probes", PROBES), ("heldout_probes", HELDOUT_PROBES)):
            qs = probes(path)
            row[name] = {"n": len(qs), "answered": answered(engine, qs)}
        for name in (n for n, (_, c) in SETS.items() if c == corpus):
            items = [i for i in load_qa(SETS[name][0]) if i.get("evidence")]
            # the engine's own judgement: off topic = no evidence and nothing even possibly related
            off = [i["id"] for i in items if not engine.evidence(retrieval.query_text(i)).related]
            row[name] = {"answerable": len(items), "judged_off_topic": off}
        out[CORPUS_NAMES.get(corpus, str(corpus))] = row
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.offtopic", description=__doc__)
    p.add_argument("--fit", action="store_true", help="fit the off-topic floors on the tuning sets")
    settings.add_arguments(p, ("topic_min_cosine", "topic_min_information"))
    args = p.parse_args(argv)
    base = settings.from_args(args)
    out = run_fit(base) if args.fit else run_check(base)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
