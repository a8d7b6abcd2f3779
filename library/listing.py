"""One row per document for the 文库 table and `GET /api/documents`: what the library covers.

Every field comes from `DocMeta`; date fields are found by name (`*_date`), so dates
DocMeta gains later (施行, 修订 …) show without a change here.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from ingest.record import Article, DocMeta

DATE_NAMES = {  # DocMeta field -> how staff call it; unknown *_date / *_on fields keep their own name
    "issue_date": "发布",
    "adopted_date": "通过",
    "promulgated_date": "公布",
    "version_date": "版本",
    "effective_date": "施行",
    "expiry_date": "失效",
    "superseded_on": "被修订",
    "repealed_on": "被废止",
}
COLUMNS = ("标题", "文号", "发文机关", "负责部门", "地区", "日期", "状态", "条文数", "文件")


def dates(doc: DocMeta) -> dict[str, str]:
    """{field: yyyy-mm-dd} of every known date of the document."""
    out = {}
    for f in dataclasses.fields(doc):
        value = getattr(doc, f.name)
        if f.name.endswith(("_date", "_on")) and isinstance(value, str) and value:
            out[f.name] = value
    return out


def dates_text(doc: DocMeta) -> str:
    """'发布/施行 2022-05-10；公布 2008-08-03': fields with the same day share it.

    >>> dates_text(DocMeta("d", "f", "t", issue_date="2022-05-10"))
    '发布 2022-05-10'
    """
    by_day: dict[str, list[str]] = {}
    for k, v in dates(doc).items():
        by_day.setdefault(v, []).append(DATE_NAMES.get(k, k))
    return "；".join(f"{'/'.join(names)} {day}" for day, names in by_day.items())


def status(doc: DocMeta) -> str:
    """Validity today (现行有效 / 已被修订 / 已废止 …) when DocMeta computes it, else its draft status."""
    return getattr(doc, "validity", "") or doc.status


def status_text(doc: DocMeta, names: dict[str, DocMeta] | None = None) -> str:
    """The status, with the version label and what replaced it when DocMeta knows them.

    >>> status_text(DocMeta("d", "f", "t"))
    '正式'
    """
    parts = [status(doc)]
    label = getattr(doc, "version_label", "")
    if label:
        parts.append(f"（{label}）")
    for name, word in (("superseded_by", "新版本"), ("repealed_by", "废止它的文件")):
        value = getattr(doc, name, "")
        if value:
            other = (names or {}).get(value)
            parts.append(f"；{word}：{other.source if other else value}")
    return "".join(parts)


def document_row(doc: DocMeta, count: int) -> dict:
    row = {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "doc_number": doc.doc_number,
        "issuers": list(doc.issuers),
        "region": doc.region,
        "level": doc.level,
        "dates": dates(doc),
        "status": status(doc),
        "articles": count,
        "source": doc.source,
    }
    for name in (
        "kind", "version_label", "versions", "superseded_by", "repealed_by",
        "authorities", "authority_article", "authority_clause",
    ):  # fmt: skip
        if hasattr(doc, name):  # fields another part of the product may add to DocMeta
            value = getattr(doc, name)
            row[name] = list(value) if isinstance(value, tuple) else value
    return row


def document_rows(documents: Iterable[DocMeta], articles: Iterable[Article]) -> list[dict]:
    """Documents with their article counts, sorted by title then date."""
    counts = Counter(a.doc.doc_id for a in articles)
    docs = sorted(documents, key=lambda d: (d.title, d.issue_date, d.source))
    return [document_row(d, counts[d.doc_id]) for d in docs]


def in_charge_text(doc: DocMeta) -> str:
    """'财政部门（第十三条）': the department the document puts in charge and where it says so ('' if none)."""
    units = "、".join(doc.authorities)
    return units + (f"（{doc.authority_article}）" if units and doc.authority_article else "")


def table_cells(doc: DocMeta, count: int, names: dict[str, DocMeta] | None = None) -> list:
    """The 文库 table's cells, in COLUMNS order; `names` maps doc_id -> DocMeta for version links."""
    kind = getattr(doc, "kind", "")
    title = doc.title + (f"（{kind}）" if kind else "")
    return [
        title,
        doc.doc_number or "—",
        "、".join(doc.issuers) or "—",
        in_charge_text(doc) or "—",
        doc.region or "—",
        dates_text(doc) or "—",
        status_text(doc, names) or "—",
        count,
        doc.source,
    ]
