"""One evaluation run: load the set and the corpus, run retrieval and answer modes, collect a record.

The record is plain JSON: settings, set composition, each configuration's
scores and each answer mode's scores with per-question records.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

from eval import answers, retrieval
from eval.qa_check import load_qa, type_counts
from ingest.pipeline import load_articles  # noqa: F401  (eval's callers: run.load_articles)
from settings import ROOT, Settings


def select(items: list[dict], per_type: int = 0) -> list[dict]:
    """The first `per_type` items of each type (0 = all), in file order: a fixed, stratified subset."""
    if per_type <= 0:
        return items
    seen: dict[str, int] = {}
    out = []
    for item in items:
        seen[item["type"]] = seen.get(item["type"], 0) + 1
        if seen[item["type"]] <= per_type:
            out.append(item)
    return out


def header(qa_path: Path, items: list[dict], articles: list, s: Settings) -> dict:
    docs = list({a.doc.doc_id: a.doc.cite_name for a in articles}.values())
    return {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": _commit(),
        "qa": str(qa_path),
        "items": len(items),
        "type_counts": type_counts(items),
        "documents": docs,
        "articles": len(articles),
        "settings": s.public(),
    }


def run_retrieval(
    items: list[dict],
    articles: list,
    embedder,
    s: Settings,
    chunkings: tuple[str, ...] = (),
    model_rerank: bool = False,
) -> list[dict]:
    return retrieval.run(articles, items, embedder, s, chunkings, model_rerank)


def run_answers(
    items: list[dict],
    articles: list,
    embedder,
    s: Settings,
    modes: list[str],
    progress: Callable | None = None,
) -> dict[str, dict]:
    """Each answer mode over the same in-memory index of the corpus articles."""
    from answer import Engine
    from index.policy import PolicyIndex

    engine = Engine(s, index=PolicyIndex.in_memory(articles, embedder, s))
    out = {}
    for mode in modes:
        if mode != "extractive":  # the app loads the model at start; time answers, not the load
            engine.warm(mode)
        records = answers.run(items, engine.ask, mode, progress)
        out[mode] = {**answers.summarise(items, records), "records": records}
    return out


def load_items(qa_path: Path, per_type: int) -> list[dict]:
    return select(load_qa(qa_path), per_type)


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return ""
    return out.stdout.strip()
