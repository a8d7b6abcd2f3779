"""The one record type that flows through the pipeline: a policy article.

Every stage (clean -> split -> index -> retrieve -> answer) takes and returns
`Article`s; it becomes a llama-index `TextNode` only at the index boundary.
A search result is `(Article, score)`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

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

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    @property
    def cite_name(self) -> str:
        """《title》（文号） — or （征求意见稿） when a draft has no number.

        >>> DocMeta("d", "f", "某意见", "苏府办〔2022〕71号").cite_name
        '《某意见》（苏府办〔2022〕71号）'
        """
        tail = self.doc_number or (DRAFT if self.is_draft else "")
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
        out = "".join(self.numbers)
        return out + "." if self.numbers[-1].isdigit() else out

    @property
    def label(self) -> str:
        """Citable label: 《title》（文号）四（三）8."""
        return f"{self.doc.cite_name}{self.locator}"

    @property
    def content_hash(self) -> str:
        """Changes whenever anything shown or indexed about the record changes."""
        return sha1(json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True))

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
