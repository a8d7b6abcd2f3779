"""Search filters: which documents, issuer level, date range, drafts, versions in force, place.

By default a search sees only texts in force today: 已被修订 / 已废止 / 已失效 ones come
back when a filter (`include_superseded`, an `as_of` date) or the question asks for them
("2020年版", "修订前"). A question naming a place is answered from that place's documents,
those of places inside it, and national ones (`question_scope`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ingest.places import locate, places_named, related
from ingest.record import NOT_YET, Article, DocMeta, today
from ingest.references import SHORT_NUMBER

_SHORT = SHORT_NUMBER
_LEVEL_ALIASES = {
    "国家": "national", "国家级": "national", "全国": "national", "省": "province", "省级": "province",
    "市": "city", "市级": "city", "区": "district", "县": "district", "区县级": "district",
}  # fmt: skip
_ALLOWED_CACHE = 256  # distinct filters remembered per index (a day's questions reuse a few)


@dataclass(frozen=True)
class Filters:
    docs: tuple[str, ...] = ()  # doc_id, 文号, file name or title; () = every document
    level: str = ""  # province | city (省 / 市 accepted); "" = any issuer
    date_from: str = ""  # ISO yyyy-mm-dd, inclusive; an undated document fails any date bound
    date_to: str = ""  # ISO yyyy-mm-dd, inclusive
    exclude_drafts: bool = False  # drop 征求意见稿: not in force, not to be cited as policy
    include_superseded: bool = False  # also 已被修订 / 已废止 / 已失效 texts (asked for by name or version)
    as_of: str = ""  # ISO date on which "in force" is judged; "" = today
    place: str = ""  # a place asked about: its documents, those inside it and national ones ("" = any)
    version: str = ""  # of titles in several versions keep only: "2020" (that year's) / "previous"; "" = all

    @property
    def active(self) -> bool:
        return True  # texts no longer in force are left out unless include_superseded


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
    if not f.include_superseded and not doc.in_force_on(f.as_of):
        return False
    if f.as_of and doc.validity_on(f.as_of) == NOT_YET:  # on a past day, a text made later did not exist
        return False
    if f.place and related(doc.region, f.place) is False:
        return False
    if f.version and doc.versions and not is_version(doc, f.version):
        return False
    return not (f.exclude_drafts and doc.is_draft)


def is_version(doc: DocMeta, version: str) -> bool:
    """Is `doc` the version asked for among its title's versions? A year that no version of the
    title has asks nothing of it (then the one in force stands); "previous" is the one before the newest.

    >>> d = DocMeta("a", "a", "t", versions=("a", "b"), version_labels=("2020年版", "2024年修订"))
    >>> is_version(d, "2020"), is_version(d, "2024"), is_version(d, "2019"), is_version(d, "previous")
    (True, False, True, True)
    """
    if version == "previous":
        return len(doc.versions) > 1 and doc.doc_id == doc.versions[-2]
    years = [label[:4] for label in doc.version_labels]
    if version not in years:
        return doc.in_force_on()
    mine = doc.version_labels[doc.versions.index(doc.doc_id)]
    return mine.startswith(version)


def question_scope(question: str, f: Filters | None, docs: list[DocMeta]) -> Filters:
    """The filters a question adds to the user's: a version asked for, a place named.

    >>> d = [DocMeta("n", "a", "某法", region="全国"), DocMeta("b", "b", "北京市某条例", region="北京市")]
    >>> question_scope("北京市对此有何规定", None, d).place, question_scope("2020年版第五条", None, d).include_superseded
    ('北京市', True)
    """
    from index.lookup import version_asked

    f = f or Filters()
    version = version_asked(question)[0]
    if version and not f.version:  # "2020年版", "修订前": that version of the titles that have one
        f = replace(f, include_superseded=True, version=version)
    if not f.place:
        named = [p for p in places_named(question) if locate(p)]
        local = named and any(d.region and related(d.region, named[0]) and d.region != "全国" for d in docs)
        if local:  # a place with documents of its own: those and the national ones
            f = replace(f, place=named[0])
    return f


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
        self._allowed = lru_cache(maxsize=_ALLOWED_CACHE)(self._allowed_rows)

    def rows_of(self, doc_ids: set[str]) -> np.ndarray:
        wanted = [i for i, d in enumerate(self.docs) if d.doc_id in doc_ids]
        return np.flatnonzero(np.isin(self.doc_of_row, wanted))

    def allowed(self, f: Filters | None) -> np.ndarray | None:
        """Rows passing the filters; None when nothing is filtered out (no filters, or all pass)."""
        if f is None:
            return None
        return self._allowed(f, today())

    def _allowed_rows(self, f: Filters, day: str) -> np.ndarray | None:
        keep = {d.doc_id for d in self.docs if doc_matches(d, f)}
        return None if len(keep) == len(self.docs) else self.rows_of(keep)
