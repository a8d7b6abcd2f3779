"""Answer benchmark: time to first token and total time, per mode, on the seed corpus.

    python -m answer.bench [--modes local,extractive] [--llm-threads 2] [--qa eval/qa_heldout.jsonl]

Writes data/bench/answer-<time>.json and prints a Markdown table for the README.
The machine's load average is recorded with the figures: on a shared 2-core
box a busy neighbour doubles prompt time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import time
from pathlib import Path

import settings
from answer.engine import Engine
from answer.record import Answer

WARM_UP = "科技金融"  # not one of QUESTIONS: their query vectors must not be cached before timing
QUESTIONS = (
    "首贷有什么支持政策？",
    "71号文第8条对没有贷款过的企业有什么支持？",
    "科技型中小企业每年评价入库的目标是多少家？",
    "小微型科技型企业的不良贷款容忍度可以提高多少？",
    "流动资金贷款期限最长可以到几年？",
    "公司第一次向银行贷款有没有补贴？",
    "科技企业发债有什么贴息？",
    "“江苏科创保”的保费补贴支持哪些领域？",
)


def prompt_tokens(engine: Engine, question: str, mode: str) -> int:
    """Tokens of the user message the local model must read before its first token (0 for other modes)."""
    writer = engine._writers.get(mode)
    if not hasattr(writer, "count_tokens"):
        return 0
    evidence = engine.evidence(question)
    if engine.settings.writer == "lead":  # what the lead writer reads: the numbered best sentences
        from answer import lead as L
        from answer.extractive import extract
        from answer.llm import system, user

        _, blocks = extract(evidence.articles, question, engine.settings, exact=evidence.exact)
        numbered = L.numbered(blocks, question, engine.settings.lead_context_chars)
        messages = [system(engine.lead_prompt), user(L.prompt(numbered, question))]
    else:
        _, messages = engine.messages(question, evidence)
    return writer.count_tokens(messages) - writer.count_tokens(messages[:1])


def run_one(engine: Engine, question: str, mode: str) -> dict:
    """Time one question through `engine.stream`: first piece, and the final answer."""
    t0 = time.perf_counter()
    first = None
    pieces = 0
    for item in engine.stream(question, mode=mode):
        if isinstance(item, Answer):
            answer = item
        elif item:  # "" is the engine's heartbeat while the model writes unseen: nothing visible yet
            first = first if first is not None else time.perf_counter() - t0
            pieces += 1
    total = time.perf_counter() - t0
    return {
        "question": question,
        "mode": mode,
        "answered_by": answer.mode,
        "fallback_reason": answer.fallback_reason,
        "refused": answer.refused,
        "ttft_s": round(first or total, 2),
        "total_s": round(total, 2),
        "pieces": pieces,
        "prompt_tokens": prompt_tokens(engine, question, mode),
        "citations": [c.article.label for c in answer.citations],
        "invalid_citations": answer.invalid_citations,
        "unsupported": len(answer.unsupported),
        "answer": answer.text,
    }


def bench(conf, modes: list[str], questions: tuple[str, ...]) -> dict:
    engine = Engine(conf)
    t0 = time.perf_counter()
    engine.ask(WARM_UP, mode="extractive")  # opens the index and loads the embedder
    out: dict = {"index_open_s": round(time.perf_counter() - t0, 2), "runs": []}
    for mode in modes:
        if mode != "extractive":
            t0 = time.perf_counter()
            engine.warm(mode)
            out[f"{mode}_warm_s"] = round(time.perf_counter() - t0, 2)
        out["runs"] += [run_one(engine, q, mode) for q in questions]
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: p50 of [1, 2, 3, 4] is 2, p95 is 4."""
    ordered = sorted(values)
    rank = math.ceil(len(ordered) * q)  # 1-based
    return ordered[max(0, min(len(ordered), rank) - 1)] if ordered else 0.0


def summary(result: dict) -> dict[str, dict]:
    """Per mode: p50 / p95 of first visible text and of the whole answer, in seconds."""
    out = {}
    for mode in dict.fromkeys(r["mode"] for r in result["runs"]):
        runs = [r for r in result["runs"] if r["mode"] == mode]
        first, total = [r["ttft_s"] for r in runs], [r["total_s"] for r in runs]
        out[mode] = {
            "n": len(runs),
            "first_text_p50_s": percentile(first, 0.5),
            "first_text_p95_s": percentile(first, 0.95),
            "total_p50_s": percentile(total, 0.5),
            "total_p95_s": percentile(total, 0.95),
        }
    return out


def table(result: dict) -> str:
    rows = [
        "| mode | question | prompt tokens | TTFT s | total s | answered by | citations |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    for r in result["runs"]:
        by = r["answered_by"] + (" (refused)" if r["refused"] else "")
        rows.append(
            f"| {r['mode']} | {r['question']} | {r['prompt_tokens'] or ''} | {r['ttft_s']} | {r['total_s']} "
            f"| {by} | {len(r['citations'])} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m answer.bench", description=__doc__.splitlines()[0])
    p.add_argument("--modes", default="extractive,local", help="comma-separated: local,api,extractive")
    p.add_argument("--qa", default="", help="a Q&A set (JSONL with 'question'): its single-turn questions")
    settings.add_arguments(p)
    args = p.parse_args(argv)
    conf = settings.from_args(args)
    load_before = os.getloadavg()
    result = bench(conf, args.modes.split(","), _questions(args.qa))
    result["summary"] = summary(result)
    result.update(
        when=time.strftime("%Y-%m-%d %H:%M:%S"),
        machine={"cpus": os.cpu_count(), "platform": platform.platform()},
        load_average_before=[round(x, 2) for x in load_before],
        load_average_after=[round(x, 2) for x in os.getloadavg()],
        settings=conf.public(),
    )
    path = conf.path("bench", time.strftime("answer-%Y%m%d-%H%M%S.json"))
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(result))
    for mode, s in result["summary"].items():
        print(
            f"{mode}: n={s['n']} first text p50 {s['first_text_p50_s']} s / p95 {s['first_text_p95_s']} s; "
            f"whole answer p50 {s['total_p50_s']} s / p95 {s['total_p95_s']} s"
        )
    print(f"\nload average before/after: {result['load_average_before']} / {result['load_average_after']}")
    print(f"written: {path}")
    return 0


def _questions(qa: str) -> tuple[str, ...]:
    if not qa:
        return QUESTIONS
    lines = Path(qa).read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    return tuple(i["question"] for i in items if not i.get("history"))


if __name__ == "__main__":
    raise SystemExit(main())
