"""The one record type that flows through the pipeline: a policy article.

Every stage (clean -> split -> index -> retrieve -> answer) takes and returns
`Article`s; it becomes a llama-index `TextNode` only at the index boundary.
A search result is `(Article, score)`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date

# Kinds of record. "article" is the lowest numbered unit; the others keep
# every sentence of a document somewhere citable.
KINDS = (
    "article",  # lowest numbered unit, e.g. 四（三）8．
    "section",  # a numbered section with no numbered children, e.g. 一、指导思想
    "preamble",  # text between the title and the first numbered section
    "notice",  # the covering notice (印发通知), kept apart from the body
    "colophon",  # print line / distribution list (版记)
    "paragraph",  # fallback: a document with no numbered structure
)

DRAFT = "征求意见稿"
IN_FORCE = "正式"
# Validity (效力) of a document on a given day, computed from its dates and the library's versions.
CURRENT = "现行有效"
SUPERSEDED = "已被修订"  # a newer version of the same title is in force
REPEALED = "已废止"  # another text says "…《this》同时废止"
NOT_YET = "尚未施行"  # its 施行 date is still ahead
EXPIRED = "已失效"  # its stated validity period is over
UNKNOWN_VALIDITY = ""  # no date at all: nothing to say it is in force
NOT_IN_FORCE = (SUPERSEDED, REPEALED, EXPIRED)  # left out of search and lookup unless asked for


@dataclass(frozen=True)
class DocMeta:
    """What is known about one policy document, read from its own text."""

    doc_id: str  # stable: hash of the source file's bytes
    source: str  # file name inside the corpus folder
    title: str  # policy title, e.g. 苏州市金融支持产业创新集群发展的工作意见
    doc_number: str = ""  # 文号, e.g. 苏府办〔2022〕71号; "" when the text has none
    issuers: tuple[str, ...] = ()
    issue_date: str = ""  # ISO yyyy-mm-dd; "" when unknown
    status: str = IN_FORCE  # IN_FORCE or DRAFT
    region: str = ""  # 江苏省 / 苏州市 ...: who the policy covers, for filters
    level: str = ""  # province / city / "" : issuer level, for filters
    notice_title: str = ""  # 关于印发…的通知, when the file carries one
    # --- read from the document's own text (ingest.header, ingest.kinds), then its path ---
    kind: str = (
        ""  # 法律 / 行政法规 / 部门规章 / 地方性法规 / 地方政府规章 / 司法解释 / 规范性文件 / 征求意见稿
    )
    order_number: str = ""  # 令号 of this version: 国务院令第683号
    adopted_date: str = ""  # 通过 (first adoption), ISO
    promulgated_date: str = ""  # 公布/发布 of this version
    amended: tuple[str, ...] = ()  # each revision: "2020-09-25 修订", "2021-11-25 修正", oldest first
    effective_date: str = (
        ""  # 施行 as the text states it ("自2025年6月1日起施行"; an amended text may keep its first)
    )
    expiry_date: str = ""  # end of a stated validity period (有效期至…, 有效期X年)
    version_date: str = (
        ""  # when this version was made: latest 通过/修订/修正/公布, else the file name's date
    )
    history: tuple[str, ...] = ()  # the history lines as printed under the title
    repeals: tuple[str, ...] = ()  # titles it says it repeals (…《X》同时废止)
    # --- set across the library (ingest.versions): versions of one title and what replaced what ---
    version_label: str = ""  # 2025年修订: only when the library holds several versions of the title
    versions: tuple[str, ...] = ()  # doc_ids of all versions of this title, oldest first (() = just one)
    version_labels: tuple[str, ...] = ()  # their labels, same order: ("2020年版", "2025年修订")
    superseded_by: str = ""  # doc_id of the next version
    superseded_on: str = ""  # the day the next version came into force
    repealed_by: str = ""  # doc_id of the text that repeals this one
    repealed_on: str = ""  # the day that text came into force
    # --- read from the text (ingest.authorities): the department in charge, in the document's words ---
    authorities: tuple[str, ...] = ()  # 市场监督管理部门: whom a reader deals with
    authority_article: str = ""  # the article that says so: 第六条
    authority_clause: str = ""  # its words, cited with the units

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    def validity_on(self, as_of: str) -> str:
        """现行有效 / 已被修订 / 已废止 / 尚未施行 / 已失效 / 征求意见稿 on `as_of` (ISO date); '' unknown.

        >>> d = DocMeta("d", "f", "某条例", version_date="2020-07-05", superseded_on="2025-05-01")
        >>> d.validity_on("2024-01-01"), d.validity_on("2025-05-01"), d.validity_on("2019-01-01")
        ('现行有效', '已被修订', '尚未施行')
        """
        if self.is_draft:
            return DRAFT
        if self.repealed_on and as_of >= self.repealed_on:
            return REPEALED
        if self.superseded_on and as_of >= self.superseded_on:
            return SUPERSEDED
        if self.expiry_date and as_of > self.expiry_date:
            return EXPIRED
        start = self.effective_date or self.version_date or self.issue_date
        if start and as_of < start:
            return NOT_YET
        return CURRENT if start or self.superseded_on else UNKNOWN_VALIDITY

    @property
    def validity(self) -> str:
        """Validity today (see `validity_on`)."""
        return self.validity_on(today())

    def in_force_on(self, as_of: str = "") -> bool:
        """Not superseded, repealed or expired on `as_of` (today when ''): the text to cite."""
        return self.validity_on(as_of or today()) not in NOT_IN_FORCE

    @property
    def cite_name(self) -> str:
        """《title》（文号） — or （征求意见稿） when a draft has no number.

        >>> DocMeta("d", "f", "某意见", "苏府办〔2022〕71号").cite_name
        '《某意见》（苏府办〔2022〕71号）'
        """
        tail = "，".join(
            x for x in (self.doc_number or (DRAFT if self.is_draft else ""), self.version_label) if x
        )
        return f"《{self.title}》" + (f"（{tail}）" if tail else "")


@dataclass(frozen=True)
class Article:
    """One citable record: an article, or a preamble/notice/closing section."""

    chunk_id: str  # stable: hash of doc_id + section path + text
    doc: DocMeta
    kind: str  # one of KINDS
    section_path: tuple[str, ...]  # headings above this record, outermost first
    numbers: tuple[str, ...]  # number tokens of the path, e.g. ("四", "（三）", "8")
    heading: str  # lead sentence, e.g. 加强政策激励，扩大创新企业首贷、信用贷覆盖面
    text: str  # full cleaned text, heading included, as users are shown it
    responsible_units: tuple[str, ...] = ()
    start: int = 0  # offsets into the cleaned document text
    end: int = 0
    flags: tuple[str, ...] = field(default=())  # e.g. ("no_numbered_structure",)
    tags: tuple[str, ...] = ()  # "key:value" facts extracted at ingest, e.g. "support:贴息"

    @property
    def number(self) -> str:
        """The article's own number token, '' for unnumbered records."""
        return self.numbers[-1] if self.numbers else ""

    @property
    def locator(self) -> str:
        """Number path as people cite it: 四（三）8. / 二（九） / 前言."""
        if self.kind == "colophon":  # 版记, or a 落款 (signers and date)
            return self.heading or _UNNUMBERED["colophon"]
        if not self.numbers:
            return _UNNUMBERED.get(self.kind, self.heading[:12])
        if self.numbers[-1].startswith("第") and self.numbers[-1].endswith("条"):
            return self.numbers[-1]  # statutes number 条 through all chapters: 第十五条, not 第二章第十五条
        out = "".join(self.numbers)
        return out + "." if self.numbers[-1].isdigit() else out

    @property
    def label(self) -> str:
        """Citable label: 《title》（文号）四（三）8."""
        return f"{self.doc.cite_name}{self.locator}"

    @property
    def content_hash(self) -> str:
        """Changes whenever anything shown or indexed about the record changes."""
        d = self.to_json()
        d.pop("validity")  # computed for the day; the index needs no rebuild when a date passes
        return sha1(json.dumps(d, ensure_ascii=False, sort_keys=True))

    def to_json(self) -> dict:
        """Flat JSON for `--list --json`, the index's store and the CLIs."""
        d = asdict(self)
        doc = d.pop("doc")
        return {
            "chunk_id": self.chunk_id,
            "doc_id": doc["doc_id"],
            "doc_title": doc["title"],
            "doc_number": doc["doc_number"],
            "status": doc["status"],
            "label": self.label,
            "locator": self.locator,
            "heading": self.heading,
            "text": self.text,
            "kind": self.kind,
            "section_path": list(self.section_path),
            "numbers": list(self.numbers),
            "responsible_units": list(self.responsible_units),
            "issuers": list(doc["issuers"]),
            "issue_date": doc["issue_date"],
            "region": doc["region"],
            "level": doc["level"],
            "source": doc["source"],
            "notice_title": doc["notice_title"],
            **{_json_key(k): (list(doc[k]) if isinstance(doc[k], tuple) else doc[k]) for k in DOC_EXTRA},
            "validity": self.doc.validity,
            "start": self.start,
            "end": self.end,
            "flags": list(self.flags),
            "tags": list(self.tags),
        }

    @classmethod
    def from_json(cls, d: dict) -> Article:
        doc = DocMeta(
            doc_id=d["doc_id"],
            source=d["source"],
            title=d["doc_title"],
            doc_number=d["doc_number"],
            issuers=tuple(d["issuers"]),
            issue_date=d["issue_date"],
            status=d["status"],
            region=d["region"],
            level=d["level"],
            notice_title=d.get("notice_title", ""),
            **{k: _from_json_value(d[_json_key(k)]) for k in DOC_EXTRA if _json_key(k) in d},
        )
        return cls(
            chunk_id=d["chunk_id"],
            doc=doc,
            kind=d["kind"],
            section_path=tuple(d["section_path"]),
            numbers=tuple(d["numbers"]),
            heading=d["heading"],
            text=d["text"],
            responsible_units=tuple(d["responsible_units"]),
            start=d["start"],
            end=d["end"],
            flags=tuple(d["flags"]),
            tags=tuple(d.get("tags", ())),
        )


# DocMeta fields added for a real library, carried through to_json/from_json under their own names.
DOC_EXTRA = (
    "kind", "order_number", "adopted_date", "promulgated_date", "amended", "effective_date", "expiry_date",
    "version_date", "history", "repeals", "version_label", "versions", "version_labels", "superseded_by", "superseded_on",
    "repealed_by", "repealed_on", "authorities", "authority_article", "authority_clause",
)  # fmt: skip


def _json_key(field: str) -> str:
    """The flat JSON key of a DocMeta field: the article's own `kind` keeps its key."""
    return "doc_kind" if field == "kind" else field


def _from_json_value(value):
    return tuple(value) if isinstance(value, list) else value


def today() -> str:
    """Today as ISO yyyy-mm-dd: the default `as_of` of every validity."""
    return date.today().isoformat()


_UNNUMBERED = {
    "preamble": "前言",
    "notice": "印发通知",
    "colophon": "版记",
}


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def make_chunk_id(doc_id: str, section_path: tuple[str, ...], text: str) -> str:
    """Stable id: the same document, place and text give the same id on every run."""
    return sha1("\x1f".join((doc_id, *section_path, text)))[:16]
