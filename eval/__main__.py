"""`python -m eval`: score retrieval (and baselines) and answers on a Q&A set.

python -m eval                              # retrieval table + extractive answers
python -m eval --mode retrieval --json      # retrieval only, JSON
python -m eval --mode answer --answer-mode local --report   # local LLM; update eval/reports/
python -m eval --qa my_set.jsonl --weight-keyword 2          # any set, any setting
python -m eval --qa qa_laws_test --mode retrieval --report    # a named set runs on its own corpus
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from dataclasses import fields

import settings
from eval import report, run
from eval.qa_check import QA_PATH
from eval.sets import SETS, corpus_for, qa_path

MODES = ("retrieval", "answer", "all")
ANSWER_MODES = ("extractive", "local", "api")
# answer_mode has its own flag here: the eval default is extractive (minutes), not the app's local.
SETTING_FLAGS = tuple(f.name for f in fields(settings.Settings) if f.name != "answer_mode")


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m eval", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    p.add_argument(
        "--qa",
        type=qa_path,
        default=QA_PATH,
        help=f"Q&A file or set name ({', '.join(SETS)}); a named set brings its corpus. Default eval/qa.jsonl",
    )
    p.add_argument("--mode", choices=MODES, default="all", help="retrieval, answer, or all (default)")
    p.add_argument("--answer-mode", default="extractive", help="comma list of extractive,local,api")
    p.add_argument(
        "--chunkings",
        default="",
        help="comma list of article,window,sentence_splitter (default all): the baselines over other "
        "chunkings embed every window once, minutes on a large corpus",
    )
    p.add_argument(
        "--model-rerank",
        action="store_true",
        help="retrieval: also score the search local mode runs, the model reading the first "
        "rerank_depth hits with the question (0.65-1.7 s a hit on 2 cores; past the second, within rerank_budget_s)",
    )
    p.add_argument("--per-type", type=int, default=0, help="first N questions of each type (0 = all)")
    p.add_argument("--json", action="store_true", help="print the whole run record as JSON")
    p.add_argument(
        "--report", action="store_true", help="save this run in eval/reports/ and re-render the report"
    )
    p.add_argument("--quiet", action="store_true", help="no per-question progress on stderr")
    settings.add_arguments(p, SETTING_FLAGS)
    return p.parse_args(argv)


def answer_modes(value: str) -> list[str]:
    modes = [m.strip() for m in value.split(",") if m.strip()]
    bad = [m for m in modes if m not in ANSWER_MODES]
    if bad or not modes:
        raise SystemExit(f"--answer-mode: {', '.join(bad) or value!r} not in {', '.join(ANSWER_MODES)}")
    return modes


def with_corpus(s: settings.Settings, args: argparse.Namespace) -> settings.Settings:
    """A named set runs on its own corpus unless --corpus-dir (or POLICYQA_CORPUS_DIR) says otherwise."""
    corpus = corpus_for(args.qa)
    chosen = args.corpus_dir is not None or bool(os.environ.get(settings.ENV_PREFIX + "CORPUS_DIR"))
    return s if corpus is None or chosen else dataclasses.replace(s, corpus_dir=str(corpus))


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    modes = answer_modes(args.answer_mode)
    s = with_corpus(settings.from_args(args), args)
    items = run.load_items(args.qa, args.per_type)
    articles = run.load_articles(s)
    if not articles:
        print("no articles: nothing to evaluate (see the ingest errors above)", file=sys.stderr)
        return 1
    from index.embed import make_embedder

    embedder = make_embedder(s)
    record = run.header(args.qa, items, articles, s)
    if args.mode in ("retrieval", "all"):
        chunkings = tuple(c for c in args.chunkings.split(",") if c)
        record["retrieval"] = run.run_retrieval(items, articles, embedder, s, chunkings, args.model_rerank)
    if args.mode in ("answer", "all"):
        progress = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
        record["answers"] = run.run_answers(items, articles, embedder, s, modes, progress)
    print(json.dumps(record, ensure_ascii=False, indent=1) if args.json else report.terminal(record))
    if args.report:
        report.save_parts(record)
        print(f"report: {report.render()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
