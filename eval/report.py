"""Tables for the terminal, and the markdown + PNG report in eval/reports/.

Each run saves its part (`retrieval.json`, `answers-<mode>.json`) and the report
is rendered from all parts present, so a slow local-LLM run made once stays in
the report when retrieval is re-run.
"""

from __future__ import annotations

import json
from pathlib import Path

from eval.retrieval import PRODUCT

REPORT_DIR = Path(__file__).resolve().parent / "reports"
RETRIEVAL_METRICS = ("hit@1", "hit@3", "hit@5", "mrr", "recall@5", "hit@ctx", "recall@ctx")
ANSWER_METRICS = (
    ("fact_recall", "fact recall", "{:.3f}"),
    ("citation_hit", "citation hit", "{:.3f}"),
    ("first_citation_hit", "first quote hit", "{:.3f}"),
    ("invalid_citations", "invalid cit./answer", "{:.3f}"),
    ("unsupported_figures", "unsupported fig./answer", "{:.3f}"),
    ("lead_fact_recall", "lead fact recall", "{:.3f}"),
    ("refusal_rate", "refusal (unanswerable)", "{:.3f}"),
    ("false_refusal_rate", "false refusal (answerable)", "{:.3f}"),
    ("latency_ms", "latency p50 ms", "{:.0f}"),
)
RATIO_METRICS = ("hit@1", "mrr", "hit@ctx")
MAIN_SET = "qa"  # eval/qa.jsonl


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def retrieval_table(results: list[dict]) -> str:
    head = ["configuration", "chunks", *RETRIEVAL_METRICS]
    rows = [
        [r["config"], str(r["chunks"]), *(f"{r['overall'][m]:.3f}" for m in RETRIEVAL_METRICS)]
        for r in results
    ]
    return _table(head, rows)


def ratio_table(results: list[dict]) -> str:
    """The product's score divided by each alternative's: what its choices buy."""
    product = next(r for r in results if r["config"] == PRODUCT)
    rows = []
    for r in results:
        if r is product:
            continue
        rows.append([r["config"], *(_ratio(product["overall"][m], r["overall"][m]) for m in RATIO_METRICS)])
    return _table(["product ÷", *RATIO_METRICS], rows)


def _ratio(a: float, b: float) -> str:
    return f"×{a / b:.2f}" if b else "—"


def by_type_table(by_type: dict[str, dict[str, float]], metrics: tuple[str, ...]) -> str:
    types = sorted({t for m in metrics for t in by_type.get(m, {})})
    rows = [[t, *(_cell(by_type.get(m, {}).get(t)) for m in metrics)] for t in types]
    return _table(["type", *metrics], rows)


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def answers_table(modes: dict[str, dict]) -> str:
    head = ["mode", "n", *(label for _, label, _ in ANSWER_METRICS), "latency p95 ms"]
    rows = []
    for mode, res in modes.items():
        cells = [_formatted(fmt, res["overall"].get(key)) for key, _, fmt in ANSWER_METRICS]
        rows.append([mode, str(res["n"]), *cells, f"{res['latency_p95_ms']:.0f}"])
    return _table(head, rows)


def _formatted(fmt: str, value) -> str:
    return "—" if value is None else fmt.format(value)  # a part saved before the metric existed


def terminal(run: dict) -> str:
    """What `python -m eval` prints."""
    out = [f"{run['items']} questions {run['type_counts']}; {run['articles']} articles"]
    if run.get("retrieval"):
        out += ["", "Retrieval", retrieval_table(run["retrieval"]), "", ratio_table(run["retrieval"])]
        product = next(r for r in run["retrieval"] if r["config"] == PRODUCT)
        out += [
            "",
            f"{PRODUCT} per asker",
            by_type_table(product.get("by_group", {}), ("hit@1", "hit@5", "mrr")),
        ]
    if run.get("answers"):
        out += ["", "Answers", answers_table(run["answers"])]
    return "\n".join(out)


# --- saved parts and the report ------------------------------------------------------


def set_name(part: dict) -> str:
    """The Q&A file's stem: 'qa' for the main set, e.g. 'qa_heldout' for another."""
    return Path(part["qa"]).stem


def _suffix(part: dict) -> str:
    return "" if set_name(part) == MAIN_SET else f"--{set_name(part)}"


def save_parts(run: dict, folder: Path = REPORT_DIR) -> list[Path]:
    """Write this run's parts; parts it did not run are left as they were.

    Files: retrieval.json and answers-<mode>.json for the main set,
    retrieval--<set>.json and answers-<mode>--<set>.json for another set.
    """
    folder.mkdir(parents=True, exist_ok=True)
    head = {k: v for k, v in run.items() if k not in ("retrieval", "answers")}
    tail, written = _suffix(run), []
    if run.get("retrieval"):
        written.append(_dump(folder / f"retrieval{tail}.json", {**head, "retrieval": run["retrieval"]}))
    for mode, res in (run.get("answers") or {}).items():
        name = f"answers-{mode}{_variant(run, mode)[1]}{tail}.json"
        written.append(_dump(folder / name, {**head, "mode": mode, "answers": res}))
    return written


def _variant(run: dict, mode: str) -> tuple[str, str]:
    """(label, file-name tag) of an LLM run's variant: a free writer (settings.writer; runs from
    before the setting existed used it) and trusting the model's "not found" (settings.model_refusal;
    runs from before that setting existed behaved as "refuse"). The default lead writer has no tag.

    >>> _variant({"settings": {}}, "local")
    (' · writer=free · model_refusal=refuse', '+free+refuse')
    >>> _variant({"settings": {"model_refusal": "extract", "writer": "lead"}}, "local")
    ('', '')
    """
    if mode == "extractive":
        return "", ""
    label, tag = "", ""
    if run["settings"].get("writer", "free") != "lead":
        label, tag = label + " · writer=free", tag + "+free"
    if run["settings"].get("model_refusal", "refuse") == "refuse":
        label, tag = label + " · model_refusal=refuse", tag + "+refuse"
    return label, tag


def _dump(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_parts(folder: Path = REPORT_DIR) -> tuple[list[dict], dict[str, dict]]:
    """(retrieval parts, main set first; {"mode" or "mode (set)": answers part}, main set first)."""
    retrieval = sorted(
        (_read(p) for p in folder.glob("retrieval*.json")), key=lambda d: set_name(d) != MAIN_SET
    )
    answer_parts = sorted(
        (_read(p) for p in folder.glob("answers-*.json")), key=lambda d: set_name(d) != MAIN_SET
    )
    named = {}
    for part in answer_parts:
        label = part["mode"] + _variant(part, part["mode"])[0]
        named[label + ("" if set_name(part) == MAIN_SET else f" ({set_name(part)})")] = part
    return retrieval, named


def render(folder: Path = REPORT_DIR) -> Path:
    """report.md and report.png from the saved parts."""
    retrieval, answer_parts = load_parts(folder)
    from eval.chart import draw

    draw(retrieval[0] if retrieval else None, answer_parts, folder / "report.png")
    path = folder / "report.md"
    path.write_text(markdown(retrieval, answer_parts), encoding="utf-8")
    return path


def markdown(retrieval: list[dict], answer_parts: dict[str, dict]) -> str:
    out = ["# Evaluation report", "", "![configurations and answer modes](report.png)", ""]
    first = retrieval[0] if retrieval else next(iter(answer_parts.values()), None)
    for part in retrieval:
        out += _retrieval_section(part) + _differs(part, first)
    if answer_parts:
        out += _answers_section(answer_parts, first)
    if first:
        out += ["## Settings of the run", "", "```json", json.dumps(first["settings"], indent=1), "```", ""]
    return "\n".join(out)


def _about(part: dict) -> str:
    return (
        f"Run {part['started']} at commit `{part['commit'] or '?'}` on {part['items']} questions "
        f"({', '.join(f'{k} {v}' for k, v in part['type_counts'].items() if v)}), "
        f"{part['articles']} articles of {len(part['documents'])} documents."
    )


def _retrieval_section(part: dict) -> list[str]:
    results = part["retrieval"]
    product = next(r for r in results if r["config"] == PRODUCT)
    missed = [p for p in product["per_question"] if p["first_relevant"] is None]
    ctx = part["settings"].get("context_chars", "?")
    title = "Retrieval" + ("" if set_name(part) == MAIN_SET else f" on `{set_name(part)}`")
    return [
        f"## {title}",
        "",
        _about(part) + " Unanswerable questions have no evidence and are left out of these figures.",
        "",
        retrieval_table(results),
        "",
        f"`hit@ctx` / `recall@ctx`: gold evidence inside the first {ctx} characters of the ranked hits "
        "(what the answer stage sends the model), so chunkings with long chunks are compared at the "
        "same reading cost.",
        "",
        "### What article chunking and fusion buy (product ÷ alternative)",
        "",
        ratio_table(results),
        "",
        f"### {PRODUCT} per question type",
        "",
        by_type_table(product["by_type"], ("hit@1", "hit@5", "mrr", "recall@5")),
        "",
        f"### {PRODUCT} per asker (entrepreneur = everyday words, staff = article numbers, evaluator = figures)",
        "",
        by_type_table(product.get("by_group", {}), ("hit@1", "hit@5", "mrr")).replace(
            "| type |", "| group |", 1
        ),
        "",
        f"Missed in the top 5 ({len(missed)}): " + (", ".join(p["id"] for p in missed) or "none"),
        "",
    ]


def _differs(part: dict, reference: dict) -> list[str]:
    """Settings of a part that differ from the reference run's (parts are run at different times)."""
    mine, ref = part["settings"], reference["settings"]
    diff = [f"`{k}`={mine[k]!r} (vs {ref.get(k)!r})" for k in sorted(mine) if mine[k] != ref.get(k)]
    return [f"Settings differing from the run below: {', '.join(diff)}.", ""] if diff else []


def _answers_section(parts: dict[str, dict], reference: dict) -> list[str]:
    modes = {mode: part["answers"] for mode, part in parts.items()}
    out = ["## Answers", "", answers_table(modes), ""]
    for mode, part in parts.items():
        res = part["answers"]
        out += [f"### {mode}", "", _about(part), "", *_differs(part, reference)]
        out += [f"Totals: {json.dumps(res['totals'])}", ""]
        out += _who_answered(res.get("by_answering_mode", {}))
        out += [by_type_table(res["by_type"], ("fact_recall", "citation_hit", "false_refusal_rate")), ""]
        out += _worst(res["records"])
    return out


def _who_answered(split: dict[str, dict]) -> list[str]:
    """Only worth a table when fallbacks mixed answering modes into one run."""
    if len(split) < 2:
        return []
    head = ["answered by", "n", *(label for key, label, _ in ANSWER_METRICS)]
    rows = [
        [m, str(v["n"]), *(_formatted(fmt, v.get(key)) for key, _, fmt in ANSWER_METRICS)]
        for m, v in split.items()
    ]
    return ["Split by who wrote the answer (fallbacks answer by extraction):", "", _table(head, rows), ""]


def _worst(records: list[dict]) -> list[str]:
    """Answers with unsupported figures: the failure that matters most, listed for reading."""
    bad = [r for r in records if r["unsupported_figures"]]
    if not bad:
        return ["No answer states a figure missing from its cited articles.", ""]
    rows = [[r["id"], r["question"], ", ".join(r["unsupported_figures"])] for r in bad]
    return [
        "Answers stating figures their citations do not hold:",
        "",
        _table(["id", "question", "figures"], rows),
        "",
    ]
