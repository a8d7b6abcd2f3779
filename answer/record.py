"""What the answer stage returns: an `Answer` with its `Citation`s.

Everything is frozen so the app, the CLI and the evaluation can pass answers
around without copying; `to_json()` is the one serialisation they all use.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.record import Article

MODES = ("local", "api", "extractive")


def article_json(a: Article) -> dict:
    """The facts a reader needs to check a cited article."""
    return {
        "chunk_id": a.chunk_id,
        "label": a.label,
        "doc_title": a.doc.title,
        "doc_number": a.doc.doc_number,
        "issue_date": a.doc.issue_date,
        "status": a.doc.status,
        "is_draft": a.doc.is_draft,
        "validity": a.doc.validity,  # 现行有效 / 已被修订 / 已废止 / 尚未施行 / 已失效 / 征求意见稿 today
        "version_label": a.doc.version_label,
        "text": a.text,
    }


@dataclass(frozen=True)
class Citation:
    """Context block [n] that the answer cites; `sentences` are the ones the writer saw."""

    n: int
    article: Article
    sentences: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"n": self.n, **article_json(self.article), "sentences": list(self.sentences)}


@dataclass(frozen=True)
class Unsupported:
    """A sentence of a generated answer whose figures or names are in no cited article."""

    sentence: str
    missing: tuple[str, ...]  # e.g. ("1000亿元",)

    def to_json(self) -> dict:
        return {"sentence": self.sentence, "missing": list(self.missing)}


@dataclass(frozen=True)
class ConflictItem:
    figure: str  # e.g. 15000家
    clause: str  # the clause it was read from, e.g. 科技型中小企业每年评价入库15000家
    article: Article
    n: int  # the context block it came from


@dataclass(frozen=True)
class Conflict:
    """Two or more documents giving different figures for the same thing."""

    metric: str  # normalised phrase, e.g. 科技型中小企业评价入库
    items: tuple[ConflictItem, ...]

    def to_json(self) -> dict:
        return {
            "metric": self.metric,
            "items": [
                {
                    "figure": i.figure,
                    "clause": i.clause,
                    "n": i.n,
                    "label": i.article.label,
                    "doc_number": i.article.doc.doc_number,
                    "issue_date": i.article.doc.issue_date,
                }
                for i in self.items
            ],
        }


@dataclass(frozen=True)
class Answer:
    question: str  # as the user typed it (after sanitising)
    standalone_question: str  # after follow-up rewriting; what retrieval saw
    text: str
    refused: bool
    mode: str  # local | api | extractive | none (empty question)
    fallback_reason: str = ""  # why another mode answered, in words for the user
    citations: tuple[Citation, ...] = ()
    possibly_related: tuple[Article, ...] = ()  # shown with a refusal
    invalid_citations: int = 0  # [n] markers that pointed nowhere, removed
    unsupported: tuple[Unsupported, ...] = ()  # sentences shown with unverified figures (should stay empty)
    dropped: tuple[
        Unsupported, ...
    ] = ()  # model sentences removed before showing: unsupported by their source
    latency_ms: int = 0
    warnings: tuple[str, ...] = ()  # user-facing notes: truncated question, drafts, ...
    conflicts: tuple[Conflict, ...] = ()

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.text,
            "refused": self.refused,
            "mode": self.mode,
            "fallback_reason": self.fallback_reason,
            "citations": [c.to_json() for c in self.citations],
            "possibly_related": [article_json(a) for a in self.possibly_related],
            "invalid_citations": self.invalid_citations,
            "unsupported": [u.to_json() for u in self.unsupported],
            "dropped": [u.to_json() for u in self.dropped],
            "conflicts": [c.to_json() for c in self.conflicts],
            "warnings": list(self.warnings),
            "latency_ms": self.latency_ms,
        }
