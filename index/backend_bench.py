"""Both index backends on the same corpus: build time, query latency, memory, disk, hit@1.

python -m index.backend_bench                                   # seed corpus, faiss and milvus (Lite)
python -m index.backend_bench --library-dirs ../shared/library/laws --data-dir /work/bigindex
    # the whole library; run `python -m ingest` with the same flags first so every vector is cached

Each backend runs in a child process (its own peak RSS) against a data dir of its own
inside --data-dir (the embedding cache is shared: a build embeds nothing new). Query
latency is end to end (query embedding + both searches + fusion), and again with the
query vectors computed beforehand ("no model step"); questions are eval/qa.jsonl's.
hit@1 / MRR: the product's ranking on eval/qa.jsonl and eval/qa_heldout.jsonl, as
`python -m eval` scores it. JSON goes to <data-dir>/bench/backends-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import settings as settings_mod
from index.bulk import peak_rss_mb

QA_SETS = ("eval/qa.jsonl", "eval/qa_heldout.jsonl")
LAW_SETS = (
    "eval/qa_laws_tune.jsonl",
    "eval/qa_laws_test.jsonl",
)  # their laws are in the library: asked there


class Precomputed:
    """The embedder with every benchmark question's vector computed beforehand (same name)."""

    def __init__(self, embedder, questions: list[str]) -> None:
        self.inner, self.name = embedder, embedder.name
        self.vectors = {q: embedder.embed_query(q) for q in dict.fromkeys(questions)}

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_passages(self, texts):
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.vectors[text] if text in self.vectors else self.inner.embed_query(text)


def eval_items(library: bool) -> dict[str, list[dict]]:
    from eval.run import load_items

    sets = QA_SETS + (LAW_SETS if library else ())
    return {Path(p).stem: [i for i in load_items(Path(p), 0) if i["evidence"]] for p in sets}


def quality(idx, items: list[dict], s: settings_mod.Settings) -> dict:
    """hit@1 and MRR of the product ranking, scored as `python -m eval` scores it (any SearchIndex)."""
    from eval.retrieval import rank
    from index.fusion import Fusion

    firsts = []
    for item in items:
        whole, _ = rank(idx, item, Fusion.from_settings(s), s)
        firsts.append(next((n for n, m in enumerate(whole, start=1) if m), None))
    return {
        "hit@1": round(sum(r == 1 for r in firsts) / len(firsts), 3),
        "mrr": round(sum(1 / r for r in firsts if r) / len(firsts), 3),
        "n": len(firsts),
    }


def latency(idx, questions: list[str]) -> dict:
    idx.search(questions[0])  # warm-up
    times = []
    for q in questions:
        cache = getattr(getattr(idx, "retriever", None), "query_vector", None)
        if cache is not None:
            cache.cache_clear()  # FAISS keeps recent query vectors; a new question has none
        started = time.perf_counter()
        idx.search(q)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
    }


def disk_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def spread(questions: list[str], n: int) -> list[str]:
    """`n` questions taken evenly from every set (all of them when n is 0).

    >>> spread(list("abcdefgh"), 3), spread(list("ab"), 0)
    (['a', 'c', 'e'], ['a', 'b'])
    """
    if not n or n >= len(questions):
        return questions
    return questions[:: max(1, len(questions) // n)][:n]


def child(backend: str, s: settings_mod.Settings, latency_n: int = 0) -> dict:
    from index.backend import open_index, refresh_index
    from index.embed import make_embedder

    items = eval_items(bool(s.library_dirs))
    questions = spread([i["question"] for group in items.values() for i in group], latency_n)
    embedder = make_embedder(s)
    started = time.perf_counter()
    report = refresh_index(s, embedder=embedder)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    idx = open_index(s)
    open_s = time.perf_counter() - started
    result = {
        "backend": backend,
        "articles": report.articles,
        "build_s": round(build_s, 1),
        "embedded": report.embedded,
        "open_s": round(open_s, 1),
        "query_with_model": latency(idx, questions),
    }
    pre = Precomputed(idx.embedder if hasattr(idx, "embedder") else idx.retriever.embedder, questions)
    _swap_embedder(idx, pre)
    result["query_no_model"] = latency(idx, questions)
    result["quality"] = {name: quality(idx, group, s) for name, group in items.items()}
    where = Path(s.data_dir) / ("index" if backend == "faiss" else "milvus.db")
    result["disk_mb"] = disk_mb(where)
    result["peak_rss_mb"] = round(peak_rss_mb())
    return result


def _swap_embedder(idx, embedder) -> None:
    if hasattr(idx, "retriever"):
        idx.retriever.embedder = embedder
        idx.retriever.query_vector.cache_clear()
    else:
        idx.embedder = embedder


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m index.backend_bench", description=__doc__.split("\n")[0])
    p.add_argument("--backends", default="faiss,milvus")
    p.add_argument("--child", default="", help=argparse.SUPPRESS)
    p.add_argument(
        "--latency-questions", type=int, default=0,
        help="time N questions spread over the sets (0 = all; hit@1 always uses every question)",
    )  # fmt: skip
    settings_mod.add_arguments(p, ("data_dir", "library_dirs", "embedder", "embed_threads"))
    args = p.parse_args(argv)
    s = settings_mod.from_args(args)
    if args.child:
        print(json.dumps(child(args.child, s, args.latency_questions)))
        return 0
    root = Path(s.data_dir).resolve()
    results = []
    for backend in args.backends.split(","):
        data = root / f"bench-{backend}"
        if backend == "milvus" and (data / "milvus.db").exists():
            shutil.rmtree(data / "milvus.db", ignore_errors=True)  # a cold build each time
        (data / "cache").mkdir(parents=True, exist_ok=True)
        shared = root / "cache" / "embeddings.sqlite"
        link = data / "cache" / "embeddings.sqlite"
        if shared.exists() and not link.exists():
            link.symlink_to(shared)  # the vectors are computed once, for every backend
        cmd = [sys.executable, "-m", "index.backend_bench", "--child", backend, "--data-dir", str(data)]
        cmd += ["--latency-questions", str(args.latency_questions)]
        cmd += [
            "--library-dirs",
            s.library_dirs,
            "--embedder",
            s.embedder,
            "--embed-threads",
            str(s.embed_threads),
        ]
        env = {**os.environ, "POLICYQA_INDEX_BACKEND": backend}
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, env=env).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    path = root / "bench" / f"backends-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"load": os.getloadavg(), "results": results}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
