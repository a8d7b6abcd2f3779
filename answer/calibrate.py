"""Refusal calibration on eval/qa.jsonl: how often each question type is refused.

    python -m answer.calibrate [--refuse-min-keyword 2.0] [--refuse-min-vector 0.93]

Runs every question (follow-ups with their history) in extractive mode, which
applies the same refusal gates as the LLM modes but needs no model, and prints
refused / total per question type. A good setting refuses no answerable
question and as many "unanswerable" ones as the gates can see.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import settings
from answer.engine import Engine

QA = Path(__file__).resolve().parent.parent / "eval" / "qa.jsonl"


def calibrate(conf, path: Path = QA) -> dict[str, tuple[int, int]]:
    engine = Engine(conf)
    refused, total = Counter(), Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        a = engine.ask(q["question"], history=q.get("history", ()), mode="extractive")
        total[q["type"]] += 1
        refused[q["type"]] += a.refused
    return {t: (refused[t], total[t]) for t in sorted(total)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m answer.calibrate", description=__doc__.splitlines()[0])
    settings.add_arguments(p, ("refuse_min_keyword", "refuse_min_vector", "data_dir", "embedder"))
    conf = settings.from_args(p.parse_args(argv))
    for kind, (n, total) in calibrate(conf).items():
        print(f"{kind:14} refused {n:3d} / {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
