"""`python -m ingest` refreshes the index; `--list [--json]` prints every record to check the cut;
`--report [--summary] [--folder DIR] [--as-of DATE]` prints one row per document and how much
of the library's metadata is known (parsing only: no index, no model)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import settings as settings_mod
from ingest.injection import describe
from ingest.pipeline import IngestResult, collect, iter_documents
from ingest.record import Article


def print_listing(articles: list[Article], as_json: bool) -> None:
    if as_json:
        for a in articles:
            print(json.dumps(a.to_json(), ensure_ascii=False))
        return
    current = None
    for a in articles:
        if a.doc.doc_id != current:
            current = a.doc.doc_id
            d = a.doc
            facts = (
                d.kind,
                d.region,
                d.issue_date or "日期未知",
                d.validity or "效力未知",
                "、".join(d.issuers),
                f"负责部门：{'、'.join(d.authorities)}（{d.authority_article}）" if d.authorities else "",
            )
            print(f"\n# {d.cite_name}  " + "  ".join(x for x in facts if x))
        units = f"  责任单位：{'、'.join(a.responsible_units)}" if a.responsible_units else ""
        print(f"  [{a.kind}] {a.label}  — {a.heading}{units}")
        for line in describe(a):
            print(f"    ⚠ {line}")


def report_errors(result: IngestResult) -> None:
    for err in result.errors:
        print(f"skipped: {err}", file=sys.stderr)
    for note in result.notes:
        print(note, file=sys.stderr)


def read_library(settings: settings_mod.Settings, embed: bool) -> IngestResult:
    """Every document, read once; with `embed`, each file's passages are embedded into the cache as
    it is read, with a progress line (resumable: a kill keeps finished batches)."""
    documents = iter_documents(settings)
    if not embed:
        return collect(documents)
    from index.bulk import BulkReport, embed_through
    from index.embed import make_embedder
    from index.retriever import embedding_cache
    from index.store import read_only_reason

    if read_only_reason(settings):  # nothing can be cached: the refresh below says why it cannot write
        return collect(documents)
    report = BulkReport()
    cache = embedding_cache(settings)
    result = collect(embed_through(documents, settings, make_embedder(settings), cache, report))
    print(report, file=sys.stderr)
    return result


def refresh_index(settings: settings_mod.Settings, result: IngestResult) -> int:
    from index.backend import refresh_index as refresh  # imported here: --list needs no embedding model
    from index.errors import IndexReadOnly

    # The errors go along so a file that failed to read keeps its previously indexed articles.
    try:
        report = refresh(settings, articles=result.articles, errors=result.errors, notes=result.notes)
    except IndexReadOnly as err:
        print(f"无法写入索引，未做任何改动（数据目录只读）：{err}", file=sys.stderr)
        return 3
    print(report)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    parser.add_argument("--list", action="store_true", help="print every record instead of indexing")
    parser.add_argument(
        "--json", action="store_true", help="with --list or --report: one JSON object per line"
    )
    parser.add_argument(
        "--report", action="store_true", help="one row per document: kind, issuers, dates, status"
    )
    parser.add_argument(
        "--summary", action="store_true", help="with --report: only the share of each field known"
    )
    parser.add_argument(
        "--folder", help="with --report: any folder instead of the corpus (nothing is indexed)"
    )
    parser.add_argument("--as-of", default="", help="with --report: status on this ISO date instead of today")
    parser.add_argument("--no-progress", action="store_true", help="skip the file-by-file embedding pass")
    settings_mod.add_arguments(
        parser,
        (
            "corpus_dir",
            "library_dirs",
            "data_dir",
            "index_backend",
            "milvus_uri",
            "embedder",
            "st_model",
            "max_file_mb",
            "embed_threads",
        ),
    )
    args = parser.parse_args(argv)
    settings = settings_mod.from_args(args)
    if args.report:
        from ingest.report import print_report, scan_folder

        print_report(
            scan_folder(Path(args.folder or settings.corpus_dir), settings),
            args.as_of,
            args.summary,
            args.json,
        )
        return 0
    result = read_library(settings, embed=not args.list and not args.no_progress)
    if args.list or not result.articles:
        report_errors(result)  # otherwise the refresh report lists them
    if args.list:
        print_listing(result.articles, args.json)
        return 0
    if not result.articles:
        print("nothing to index: no readable policy file in", settings.corpus_dir, file=sys.stderr)
        return 1
    return refresh_index(settings, result)


if __name__ == "__main__":
    sys.exit(main())
