"""Evaluate a Q&A set against the running library: the index the app serves and its engine.

`python -m eval` rebuilds an index from corpus/ to compare configurations; the app's
评测 tab instead asks what users get now: the live index (with every uploaded file)
and the answer mode chosen. Scoring is eval/'s own (`answers.answer_record`,
`answers.summarise`, `retrieval.evaluate`), so the figures mean the same thing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from eval import answers, retrieval
from eval.normalize import fact_in, norm
from eval.qa_check import type_counts
from index.fusion import Fusion
from settings import Settings

Progress = Callable[[int, int, dict], None]  # (done, total, last record)


def header(name: str, items: list[dict], index, s: Settings, mode: str) -> dict:
    docs = list(index.documents())
    return {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": "",
        "qa": name,
        "items": len(items),
        "type_counts": type_counts(items),
        "documents": [d.cite_name for d in docs],
        "articles": len(list(index.articles())),
        "settings": s.public(),
        "mode": mode,
    }


def run_set(
    name: str,
    items: list[dict],
    index,
    ask: Callable,
    mode: str,
    s: Settings,
    progress: Progress | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> dict:
    """Retrieval of the product configuration, then one answer per question, scored.

    `stop()` is checked between questions: a stopped run scores what it answered.
    """
    run = header(name, items, index, s, mode)
    result = retrieval.evaluate(index, items, Fusion.from_settings(s), s)
    run["retrieval"] = [
        {"config": retrieval.PRODUCT, "chunking": "article", "chunks": run["articles"], **result}
    ]
    records = []
    for n, item in enumerate(items, 1):
        if stop():
            break
        t0 = time.perf_counter()
        answer = ask(item["question"], history=item.get("history", []), mode=mode)
        records.append(answers.answer_record(item, answer, time.perf_counter() - t0))
        if progress:
            progress(n, len(items), records[-1])
    done = [i for i in items if i["id"] in {r["id"] for r in records}]
    run["answers"] = {mode: {**answers.summarise(done, records), "records": records}}
    run["rows"] = rows(items, records, result["per_question"])
    run["stopped"] = len(records) < len(items)
    return run


def rows(items: list[dict], records: list[dict], ranks: list[dict]) -> list[dict]:
    """One row per answered question: what the evaluator reads and filters."""
    by_id = {r["id"]: r for r in records}
    rank_of = {p["id"]: p["first_relevant"] for p in ranks}
    out = []
    for item in items:
        r = by_id.get(item["id"])
        if r is None:
            continue
        text = norm(r["answer"])
        found = [f for f in item["facts"] if fact_in(f, text)]
        missing = [f for f in item["facts"] if not fact_in(f, text)]
        answerable = bool(item["evidence"])
        hit = any(bool(c) for c in r["cited_evidence"]) if answerable else None
        row = {
            "id": item["id"],
            "type": item["type"],
            "question": item["question"],
            "answer": r["answer"],
            "mode": r["mode"],
            "facts_found": found,
            "facts_missing": missing,
            "citation_hit": hit,
            "refused": r["refused"],
            "retrieval_rank": rank_of.get(item["id"]) if answerable else None,
            "unsupported_figures": r["unsupported_figures"],
            "cited": r["cited"],
            "latency_ms": round(r["latency_ms"]),
        }
        row["failure"] = failure(row, answerable)
        out.append(row)
    return out


def failure(row: dict, answerable: bool) -> str:
    """Why a question failed, in words ('' = passed).

    >>> failure({"refused": False, "facts_missing": [], "citation_hit": True, "unsupported_figures": []}, True)
    ''
    >>> failure({"refused": False, "facts_missing": [], "citation_hit": None, "unsupported_figures": []}, False)
    '应拒答却作答'
    """
    why = []
    if not answerable:
        return "" if row["refused"] else "应拒答却作答"
    if row["refused"]:
        why.append("误拒答")
    if row["facts_missing"]:
        why.append("缺要点")
    if not row["citation_hit"]:
        why.append("引用未命中")
    if row["unsupported_figures"]:
        why.append("数字无出处")
    return "、".join(why)
