"""The Q&A sets `python -m eval` knows, each with the corpus its quotes come from.

| set | corpus | what it is for |
|---|---|---|
| `qa` | `corpus/` (5 seed policies) | the main seed set; retrieval was tuned on it |
| `qa_heldout` | `corpus/` | seed questions written after that tuning; never tune on it |
| `qa_laws_tune` | `eval/laws/corpus/` (30 real laws) | questions over 15 of the 30 laws: tune on these |
| `qa_laws_test` | `eval/laws/corpus/` | questions over the other 15 laws: report, never tune |
| `qa_fresh` | `eval/fresh/corpus/` (22 other real laws) | written in the seventh session by a helper that never ran the system on them: report only, run once per change |
| `qa_plain` | `eval/fresh/corpus/` | 30 everyday-wording questions, eighth session, by a helper that read only the documents and no other set: report only |
| `qa_plain_seeds` | `corpus/` | 20 such questions over the seeds, same helper: report only |
| `qa_unanswerable` | `eval/fresh/corpus/` | 30 questions the fresh laws do not answer (24 near misses, 6 other topics), eighth session, a helper that read only the documents: report only |

Both laws sets run over all 30 documents (the other half's laws are distractors), but
no question of `qa_laws_test` is about a document any `qa_laws_tune` question is about.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED_CORPUS = HERE.parent / "corpus"
LAWS_CORPUS = HERE / "laws" / "corpus"
FRESH_CORPUS = HERE / "fresh" / "corpus"
SETS: dict[str, tuple[Path, Path]] = {
    "qa": (HERE / "qa.jsonl", SEED_CORPUS),
    "qa_heldout": (HERE / "qa_heldout.jsonl", SEED_CORPUS),
    "qa_laws_tune": (HERE / "qa_laws_tune.jsonl", LAWS_CORPUS),
    "qa_laws_test": (HERE / "qa_laws_test.jsonl", LAWS_CORPUS),
    "qa_fresh": (HERE / "qa_fresh.jsonl", FRESH_CORPUS),
    "qa_plain": (HERE / "qa_plain.jsonl", FRESH_CORPUS),
    "qa_plain_seeds": (HERE / "qa_plain_seeds.jsonl", SEED_CORPUS),
    "qa_unanswerable": (HERE / "qa_unanswerable.jsonl", FRESH_CORPUS),
}
TUNE_SETS = ("qa", "qa_laws_tune")  # what tuning may look at; the others are for reporting only


def qa_path(name_or_path: str | Path) -> Path:
    """A set name (`qa_laws_test`) or a file path -> the file."""
    if str(name_or_path) in SETS:
        return SETS[str(name_or_path)][0]
    return Path(name_or_path)


def corpus_for(qa: str | Path) -> Path | None:
    """The corpus a set's quotes come from, None for a file no set names (then settings decide).

    >>> corpus_for("eval/qa_laws_test.jsonl").name, corpus_for("elsewhere.jsonl")
    ('corpus', None)
    """
    name = Path(qa_path(qa)).stem
    return SETS[name][1] if name in SETS else None
