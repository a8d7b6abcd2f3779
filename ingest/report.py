"""A library at a glance: one row per document, and how much of its metadata is known.

    python -m ingest --report                          # the corpus folder, a table per document
    python -m ingest --report --folder ../shared/library/laws --summary   # shares only, any folder

The files are streamed: each is parsed, its metadata and article count kept, its
articles dropped; versions are linked at the end (they need every title). No index,
no embedding: the 3,412 files of the law library take about a minute.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import iter_corpus_files
from ingest.pipeline import ingest_file
from ingest.record import DocMeta, today
from ingest.versions import link_versions
from settings import Settings

# The fields the coverage summary counts, and how each is "known".
FIELDS = {
    "issuer": lambda d: bool(d.issuers),
    "kind": lambda d: bool(d.kind),
    "level": lambda d: bool(d.level),
    "region": lambda d: bool(d.region),
    "version date": lambda d: bool(d.version_date),
    "status": lambda d: bool(d.validity),
    "in charge": lambda d: bool(d.authorities),  # the department the text puts in charge (ingest.authorities)
}


@dataclass
class Library:
    docs: list[DocMeta]
    articles: dict[str, int]  # doc_id -> number of records
    errors: list[IngestError]


def scan(paths: Iterable[Path], settings: Settings, root: Path) -> Library:
    """Metadata of every file, versions linked; articles counted, not kept."""
    docs: list[DocMeta] = []
    counts: dict[str, int] = {}
    errors: list[IngestError] = []
    for path in paths:
        try:
            records = ingest_file(path, settings, root)
        except IngestError as err:
            errors.append(err)
            continue
        docs.append(records[0].doc)
        counts[records[0].doc.doc_id] = sum(r.kind == "article" for r in records)
    linked = link_versions(docs)
    return Library([linked[d.doc_id] for d in docs], counts, errors)


def scan_folder(folder: Path, settings: Settings) -> Library:
    return scan(iter_corpus_files(folder), settings, folder)


def coverage(docs: list[DocMeta]) -> dict[str, float]:
    """Share of documents with each field known."""
    n = len(docs) or 1
    return {name: sum(map(known, docs)) / n for name, known in FIELDS.items()}


def summary_lines(lib: Library, as_of: str) -> list[str]:
    docs = lib.docs
    lines = [f"{len(docs)} documents, {sum(lib.articles.values())} articles, {len(lib.errors)} unreadable"]
    lines += [f"  {name:<13}{share:7.1%} known" for name, share in coverage(docs).items()]
    for title, counter in (
        ("kind", Counter(d.kind or "未知" for d in docs)),
        ("level", Counter(d.level or "未知" for d in docs)),
        (f"status on {as_of}", Counter(d.validity_on(as_of) or "未知" for d in docs)),
    ):
        lines.append(f"{title}: " + "  ".join(f"{k} {v}" for k, v in counter.most_common()))
    chains = {d.versions for d in docs if d.versions}
    lines.append(f"version chains: {len(chains)} titles with {sum(map(len, chains))} versions")
    return lines


def row(d: DocMeta, articles: int, as_of: str) -> dict:
    """One document as the report prints it."""
    return {
        "title": d.title,
        "version": d.version_label,
        "kind": d.kind,
        "issuers": "、".join(d.issuers),
        "region": d.region,
        "level": d.level,
        "number": d.doc_number or d.order_number,
        "adopted": d.adopted_date,
        "amended": "；".join(d.amended),
        "effective": d.effective_date,
        "expires": d.expiry_date,
        "version_date": d.version_date,
        "status": d.validity_on(as_of) or "未知",
        "superseded_by": d.superseded_by,
        "repealed_by": d.repealed_by,
        "in_charge": "、".join(d.authorities),
        "in_charge_article": d.authority_article,
        "articles": articles,
        "source": d.source,
    }


def print_report(lib: Library, as_of: str = "", summary: bool = False, as_json: bool = False) -> None:
    as_of = as_of or today()
    if not summary:
        rows = [row(d, lib.articles.get(d.doc_id, 0), as_of) for d in lib.docs]
        if as_json:
            for r in rows:
                print(json.dumps(r, ensure_ascii=False))
        else:
            _print_table(rows)
    for err in lib.errors:
        print(f"skipped: {err}", file=sys.stderr)
    if not as_json:
        print("\n".join(summary_lines(lib, as_of)))


_COLUMNS = (
    "title",
    "version",
    "kind",
    "issuers",
    "region",
    "version_date",
    "effective",
    "status",
    "in_charge",
    "articles",
)


def _print_table(rows: list[dict]) -> None:
    print("\t".join(_COLUMNS))
    for r in rows:
        print("\t".join(str(r[c]) if r[c] or r[c] == 0 else "—" for c in _COLUMNS))
