"""Answer runs: the engine answers every question; the answers are scored by evidence.

The figures an answer states are checked here, independently of the engine's
own check: a figure is unsupported when it is in none of the cited articles,
the labels and dates of the articles shown, the question or the conversation
before it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from answer.lead import RESTATED as _RESTATED
from answer.prompts import cn_date
from eval import score

RESTATED = _RESTATED.split("{")[0]  # what a restated lead's record in `dropped` opens with

Ask = Callable[..., object]  # Engine.ask(question, history=..., mode=...) -> Answer


def answer_record(item: dict, answer, seconds: float) -> dict:
    """The plain data the scorer needs from one `Answer` (and what the report lists)."""
    cited = [c.article for c in answer.citations]
    shown = cited + list(answer.possibly_related)  # a refusal lists related articles by label
    sources = [a.text for a in cited] + [item["question"]]
    sources += [
        f"{a.label}{a.doc.issue_date}{cn_date(a.doc.issue_date)}" for a in shown
    ]  # as the answer dates it
    sources += [t["content"] for t in item.get("history", [])]
    return {
        "id": item["id"],
        "type": item["type"],
        "question": item["question"],
        "answer": answer.text,
        "mode": answer.mode,
        "fallback_reason": answer.fallback_reason,
        "refused": bool(answer.refused),
        "cited": [a.label for a in cited],
        "cited_evidence": [
            sorted(score.match_evidence(a.text, score.doc_names(a.doc), item["evidence"])) for a in cited
        ],
        "invalid_citations": int(answer.invalid_citations),
        "engine_unsupported": len(answer.unsupported),
        "dropped": len(getattr(answer, "dropped", ())),  # model sentences the engine removed before showing
        "dropped_text": [
            u.sentence for u in getattr(answer, "dropped", ())
        ],  # what they said, to audit the checks
        "lead": bool(lead_of(answer.text)),  # the lead writer's checked sentence went on top
        # its wording failed the check and the cited sentence's own clauses went on top in its place
        "lead_restated": any(
            r.startswith(RESTATED) for u in getattr(answer, "dropped", ()) for r in u.missing
        ),
        "unsupported_figures": score.unsupported_figures(answer.text, sources),
        "latency_ms": float(answer.latency_ms or seconds * 1000),
    }


def lead_of(text: str) -> str:
    """The lead sentence on top of an answer ('' when it has none).

    >>> lead_of("答：最长可达到5年[1]。\\n\\n以下是…"), lead_of("以下是…")
    ('答：最长可达到5年[1]。', '')
    """
    return text.split("\n\n", 1)[0] if text.startswith("答：") else ""


def run(items: list[dict], ask: Ask, mode: str, progress: Callable[[str], None] | None = None) -> list[dict]:
    """Ask every question in `mode`; one record per item."""
    records = []
    for n, item in enumerate(items, 1):
        t0 = time.perf_counter()
        answer = ask(item["question"], history=item.get("history", []), mode=mode)
        records.append(answer_record(item, answer, time.perf_counter() - t0))
        if progress:
            progress(f"[{mode} {n}/{len(items)}] {item['id']} {records[-1]['latency_ms']:.0f} ms")
    return records


def metrics(items: list[dict], records: list[dict]) -> dict[str, dict]:
    """Each answer metric in the scorer's {score, individual_scores} shape."""
    by_id = {r["id"]: r for r in records}
    answerable = [i for i in items if i["evidence"] and i["id"] in by_id]
    unanswerable = [i for i in items if not i["evidence"] and i["id"] in by_id]
    ans = [by_id[i["id"]] for i in answerable]
    everything = [by_id[i["id"]] for i in items if i["id"] in by_id]
    led = [(by_id[i["id"]], i) for i in answerable if by_id[i["id"]].get("lead")]
    return {
        "fact_recall": score.fact_recall([r["answer"] for r in ans], [i["facts"] for i in answerable]),
        # the lead is read first: the share of the gold facts it states itself, over the answers with one
        "lead_fact_recall": score.fact_recall(
            [lead_of(r["answer"]) for r, _ in led], [i["facts"] for _, i in led]
        )
        if led
        else {"score": None, "individual_scores": []},  # no lead shown (extractive): not 0, not applicable
        "citation_hit": score.citation_hit([[frozenset(c) for c in r["cited_evidence"]] for r in ans]),
        # what is read first: the article quoted as [1] (the index's first; local mode: the model's pick)
        "first_citation_hit": score.first_citation_hit(
            [[frozenset(c) for c in r["cited_evidence"]] for r in ans]
        ),
        "invalid_citations": score.invalid_citations([r["invalid_citations"] for r in everything]),
        "unsupported_figures": score.invalid_citations([len(r["unsupported_figures"]) for r in everything]),
        "refusal_rate": score.refusal_rate([by_id[i["id"]]["refused"] for i in unanswerable]),
        "false_refusal_rate": score.refusal_rate([r["refused"] for r in ans]),
        "latency_ms": score.latency([r["latency_ms"] for r in everything]),
    }


def summarise(items: list[dict], records: list[dict]) -> dict:
    """Overall figures, per-type figures, and counts the report shows."""
    found = metrics(items, records)
    by_id = {r["id"]: r for r in records}
    answerable = [i["type"] for i in items if i["evidence"] and i["id"] in by_id]
    everything = [by_id[i["id"]] for i in items if i["id"] in by_id]
    per_type = {
        m: score.by_type(found[m]["individual_scores"], answerable)
        for m in ("fact_recall", "citation_hit", "false_refusal_rate")
    }
    return {
        "overall": {m: r["score"] for m, r in found.items()},
        "by_answering_mode": by_answering_mode(items, records),
        "latency_p95_ms": found["latency_ms"]["p95"],
        "by_type": per_type,
        "n": len(everything),
        "totals": {
            "invalid_citations": sum(r["invalid_citations"] for r in everything),
            "unsupported_figures": sum(len(r["unsupported_figures"]) for r in everything),
            "answers_with_unsupported_figures": sum(bool(r["unsupported_figures"]) for r in everything),
            "fallbacks": sum(bool(r["fallback_reason"]) for r in everything),
            "shown_unsupported_sentences": sum(r["engine_unsupported"] for r in everything),
            "dropped_sentences": sum(r.get("dropped", 0) for r in everything),
            "answers_with_lead": sum(bool(r.get("lead")) for r in everything),
            "leads_restated": sum(bool(r.get("lead_restated")) for r in everything),
        },
    }


def by_answering_mode(items: list[dict], records: list[dict]) -> dict[str, dict]:
    """The figures split by who really wrote each answer: a local run whose model timed out
    answers by extraction, and mixing the two would credit the model with extraction's scores."""
    out = {}
    for mode in sorted({r["mode"] for r in records}):
        subset = [r for r in records if r["mode"] == mode]
        found = metrics(items, subset)
        out[mode] = {"n": len(subset), **{m: r["score"] for m, r in found.items()}}
    return out
