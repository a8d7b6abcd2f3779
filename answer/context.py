"""Numbered context blocks [1]..[n]: the only material an answer may use.

Each block is one article, cut down to the sentences most relevant to the
question so the local model's prompt stays small (time to first token is
prompt length / ~100 tokens per second on 2 cores).
"""

from __future__ import annotations

from dataclasses import dataclass

from answer import sentences as S
from answer.guard import safe_text
from answer.sanitize import fence_text
from ingest.record import NOT_IN_FORCE, NOT_YET, Article, DocMeta


@dataclass(frozen=True)
class Block:
    n: int
    article: Article
    sentences: tuple[str, ...]
    gaps: tuple[int, ...] = ()  # positions in `sentences` where article text was left out

    @property
    def text(self) -> str:
        """Sentences joined, with … where text was skipped (so the model does not read across a gap)."""
        return "".join(("…" if i in self.gaps else "") + s for i, s in enumerate(self.sentences))

    @property
    def header(self) -> str:
        """[n]'s heading line, short (it is prompt time): 苏府办〔2022〕71号 四（三）8.｜2022-05-10

        The 文号 names a document in a few tokens; a document without one is
        named by its title. Drafts say so.
        """
        d = self.article.doc
        name = (d.doc_number or f"《{d.title}》") + (f"（{d.version_label}）" if d.version_label else "")
        status = status_note(d)
        return "｜".join(x for x in (f"{name} {self.article.locator}", d.issue_date, status) if x)

    @property
    def fenced(self) -> str:
        return fence_text(self.text)

    @property
    def fenced_sentences(self) -> tuple[str, ...]:
        """Sentences safe to show after a [n] marker: a document's own "[9]" cannot pose as a citation."""
        return tuple(fence_text(s) for s in self.sentences)


def status_note(d: DocMeta) -> str:
    """What a reader must know before relying on the text: a draft, or not the text in force ('' if neither)."""
    return "征求意见稿，尚未正式生效" if d.is_draft else not_in_force_note(d)


def not_in_force_note(d: DocMeta) -> str:
    """'已被修订，非现行文本' for a text that is not the one in force today ('' when it is)."""
    v = d.validity
    if v in NOT_IN_FORCE:
        return f"{v}，非现行文本"
    return f"{v}，施行日期{d.effective_date}" if v == NOT_YET else ""


def build_blocks(
    articles: list[Article],
    question: str,
    budget: int,
    exact: int = 0,
    most: int = 99,
    lead: bool = True,
    piece: int = 0,
    boost=None,
    closest: dict[str, str] | None = None,
) -> list[Block]:
    """One block per article, sharing `budget` characters; unused share passes down the list.

    The first `exact` articles were named by reference ("71号文第8条"): they
    are given from the top, as the user asked for the article itself. `piece`
    > 0 cuts long sentences into comma-bounded pieces of about that size. `closest` maps an
    article to its sentence closest in meaning to the question (`SearchIndex.closest_sentences`).
    """
    # text planted for a model (flagged at ingest) never reaches a writer or an extract
    pool = {a.chunk_id: S.split_sentences(safe_text(a), piece) for a in articles}
    weights = S.idf(s for ss in pool.values() for s in ss)
    query = S.terms(question)
    blocks: list[Block] = []
    left = budget
    for i, a in enumerate(articles):
        named = i < exact
        share = left // (len(articles) - i)
        sentences = pool[a.chunk_id]
        chosen = S.choose(
            sentences,
            set() if named else query,
            weights,
            share,
            most=99 if named else most,
            lead=lead,
            boost=boost,
            closest="" if named else (closest or {}).get(a.chunk_id, ""),
        )
        picked = [_fit(sentences[k], share) for k in chosen]
        left -= sum(len(s) for s in picked)
        gaps = tuple(j for j, k in enumerate(chosen) if k > (chosen[j - 1] + 1 if j else 0))
        blocks.append(Block(i + 1, a, tuple(picked), gaps))
    return blocks


def _fit(sentence: str, budget: int) -> str:
    """A sentence longer than the whole budget is cut (and says so) rather than dropped."""
    return sentence if len(sentence) <= budget else sentence[: max(budget - 1, 1)] + "…"
