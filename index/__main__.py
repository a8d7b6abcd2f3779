"""`python -m index search "问题" [--k 5] [--json]`, `lookup "71号文第8条"`, `refresh`.

`search` with no question reads one question per line from stdin and writes one JSON
line per question: {"question", "hits": [{"rank", "score", "chunk_id", "doc_title",
"doc_number", "label", "heading", "text", ...}], "warnings": [...]}.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable

import settings as settings_mod
from index.embed import EmbedderError
from index.errors import IndexMismatch, IndexMissing, IndexReadOnly
from index.filters import Filters
from index.lookup import parse_reference
from index.policy import PolicyIndex
from index.refresh import refresh

SETTINGS_FLAGS = ("data_dir", "corpus_dir", "embedder", "st_model", "top_k", "fusion", "max_question_chars")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    search = sub.add_parser("search", help="hybrid search; no question = read questions from stdin")
    search.add_argument("question", nargs="?", help="omit to read one question per line from stdin")
    search.add_argument("--k", type=int, default=None, help="hits per question (default: settings top_k)")
    search.add_argument("--json", action="store_true", help="one JSON object per question")
    search.add_argument(
        "--doc", action="append", default=[], help="only this document (文号/title part); repeatable"
    )
    search.add_argument("--level", default="", help="national | province | city | district")
    search.add_argument("--date-from", default="", help="issued on or after (yyyy-mm-dd)")
    search.add_argument("--date-to", default="", help="issued on or before (yyyy-mm-dd)")
    search.add_argument("--exclude-drafts", action="store_true", help="leave out 征求意见稿")
    search.add_argument(
        "--include-superseded",
        action="store_true",
        help="also texts no longer in force (已被修订/已废止/已失效)",
    )
    search.add_argument("--as-of", default="", help="judge what is in force on this date (yyyy-mm-dd)")
    search.add_argument("--place", default="", help="only this place's documents and national ones")
    lookup = sub.add_parser("lookup", help='exact clause: "71号文第8条", "科技招商意见 二（一）"')
    lookup.add_argument("ref")
    lookup.add_argument("--as-of", default="", help="the version in force on this date (yyyy-mm-dd)")
    lookup.add_argument("--json", action="store_true")
    sub.add_parser("refresh", help="ingest the corpus and update the index (embeds only what changed)")
    for p in sub.choices.values():
        settings_mod.add_arguments(p, SETTINGS_FLAGS)
    return parser


def reference_warning(question: str, idx: PolicyIndex) -> str:
    """A message when the question cites an article that does not exist, else ""."""
    if parse_reference(question) is None or idx.lookup(question):
        return ""
    return f"未找到所引用的条款：{question.strip()[:60]}（文号或条款号不在已索引的文件中）"


def _search_one(idx: PolicyIndex, question: str, k: int | None, filters: Filters) -> dict:
    hits = idx.search(question, k=k, filters=filters)
    warning = reference_warning(question, idx)
    return {
        "question": question,
        "hits": [h.to_json(rank) for rank, h in enumerate(hits, start=1)],
        "warnings": [warning] if warning else [],
    }


def _print_human(result: dict) -> None:
    for w in result["warnings"]:
        print(w, file=sys.stderr)
    if not result["hits"]:
        print("没有找到相关条款。")
    for h in result["hits"]:
        print(
            f"{h['rank']}. [{h['score']:.3f}] {h['label']}  (cos {h['vector_score']:.3f}, bm25 {h['keyword_score']:.2f})"
        )
        print("   " + h["text"][:200].replace("\n", " ") + ("…" if len(h["text"]) > 200 else ""))


def _questions(stdin: Iterable[str]) -> Iterable[str]:
    return (line.strip() for line in stdin if line.strip())


def cmd_search(args: argparse.Namespace, idx: PolicyIndex) -> int:
    filters = Filters(
        tuple(args.doc),
        args.level,
        args.date_from,
        args.date_to,
        args.exclude_drafts,
        args.include_superseded,
        args.as_of,
        args.place,
    )
    if args.question is None:
        for q in _questions(sys.stdin):
            print(json.dumps(_search_one(idx, q, args.k, filters), ensure_ascii=False), flush=True)
        return 0
    result = _search_one(idx, args.question, args.k, filters)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_human(result)
    return 0


def cmd_lookup(args: argparse.Namespace, idx: PolicyIndex) -> int:
    found = idx.lookup(args.ref, args.as_of)
    if not found:
        what = "不是条款引用" if parse_reference(args.ref) is None else "文号或条款号不在已索引的文件中"
        print(f"未找到条款：{args.ref}（{what}）", file=sys.stderr)
        return 1
    for a in found:
        status = a.doc.validity_on(args.as_of) if args.as_of else a.doc.validity
        note = f"（{status}）" if status and status != "现行有效" else ""
        print(json.dumps(a.to_json(), ensure_ascii=False) if args.json else f"{a.label}{note}\n{a.text}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings_mod.from_args(args)
    if args.command == "refresh":
        try:
            report = refresh(settings)
        except IndexReadOnly as err:
            print(f"无法更新索引（数据目录只读）：{err}", file=sys.stderr)
            return 3
        print(report)
        return 0 if report.generation else 1
    try:
        idx = PolicyIndex.open(settings, build=True)
        return cmd_search(args, idx) if args.command == "search" else cmd_lookup(args, idx)
    except (IndexMissing, IndexMismatch, EmbedderError) as err:
        print(err, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
