"""Search filters: which documents, issuer level, date range, drafts."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ingest.record import Article, DocMeta

_SHORT = re.compile(r"(\d{1,4})\s*号文?")
_LEVEL_ALIASES = {"省": "province", "省级": "province", "市": "city", "市级": "city"}


@dataclass(frozen=True)
class Filters:
    docs: tuple[str, ...] = ()  # doc_id, 文号, file name or title; () = every document
    level: str = ""  # province | city (省 / 市 accepted); "" = any issuer
    date_from: str = ""  # ISO yyyy-mm-dd, inclusive; an undated document fails any date bound
    date_to: str = ""  # ISO yyyy-mm-dd, inclusive
    exclude_drafts: bool = False  # drop 征求意见稿: not in force, not to be cited as policy

    @property
    def active(self) -> bool:
        return bool(self.docs or self.level or self.date_from or self.date_to or self.exclude_drafts)


def doc_matches(doc: DocMeta, f: Filters) -> bool:
    """Whether a document passes the filters.

    >>> d = DocMeta("d1", "a.txt", "某意见", "苏府办〔2022〕71号", issue_date="2022-05-10", level="city")
    >>> doc_matches(d, Filters(docs=("71号",), level="市", date_from="2022-01-01"))
    True
    >>> doc_matches(d, Filters(date_to="2021-12-31"))
    False
    """
    if f.docs and not any(_names(doc, ref) for ref in f.docs):
        return False
    if f.level and _LEVEL_ALIASES.get(f.level, f.level) != doc.level:
        return False
    if (f.date_from or f.date_to) and not doc.issue_date:
        return False
    if f.date_from and doc.issue_date < f.date_from:
        return False
    if f.date_to and doc.issue_date > f.date_to:
        return False
    return not (f.exclude_drafts and doc.is_draft)


def _names(doc: DocMeta, ref: str) -> bool:
    """A document is named by its id, file name, exactly by 文号 or title, or by a part of them."""
    ref = ref.strip()
    if not ref:
        return False
    if ref in (doc.doc_id, doc.source, doc.doc_number, doc.title):
        return True
    if short := _SHORT.fullmatch(ref):  # "71号" must not pick 苏府办〔2022〕171号
        return bool(re.search(rf"(?<!\d){short.group(1)}\s*号$", doc.doc_number))
    return ref in doc.doc_number or ref in doc.title


class DocumentRows:
    """Rows grouped by document, so filtering 100k articles is a numpy mask, not a Python loop."""

    def __init__(self, articles: list[Article]) -> None:
        self.docs = list({a.doc.doc_id: a.doc for a in articles}.values())
        position = {d.doc_id: i for i, d in enumerate(self.docs)}
        self.doc_of_row = np.array([position[a.doc.doc_id] for a in articles], np.int64)

    def rows_of(self, doc_ids: set[str]) -> np.ndarray:
        wanted = [i for i, d in enumerate(self.docs) if d.doc_id in doc_ids]
        return np.flatnonzero(np.isin(self.doc_of_row, wanted))

    def allowed(self, f: Filters | None) -> np.ndarray | None:
        """Rows passing the filters; None when nothing is filtered."""
        if f is None or not f.active:
            return None
        return self.rows_of({d.doc_id for d in self.docs if doc_matches(d, f)})
