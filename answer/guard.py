"""Document text planted for a model never reaches a writer and is never the answer.

Ingest flags what in an article speaks to a model, and unconditional money promises
no other document makes (`ingest/injection.py`). Here:

* `safe_text(article)` is the article without those sentences: what context blocks
  and extractive answers are cut from. The same test runs again on every sentence,
  so an index built before the flags existed is covered too.
* `vetted(answer, articles)` replaces an answer whose content comes from such a
  sentence — copied by a model, or a universal claim no evidence states — with a
  refusal that says why.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Generator, Iterator

from answer import sentences as S
from answer.record import Answer
from ingest.injection import addressed_kind, suspect_spans, universal_claim
from ingest.record import Article

log = logging.getLogger(__name__)
COPIED = 0.6  # share of an answer sentence's bigrams found in one planted sentence: it was copied from it
MIN_TERMS = 4  # shorter answer sentences ("见[1]。") are too small to judge
REFUSAL = "无法据此回答：{why}。为避免误导，本次不作回答。请查阅下列条文原文，或咨询文件的责任单位核实。"
WHY_PLANTED = "回答内容来自政策文件中疑似写给AI模型的指令文字（不是政策规定）"
WHY_CLAIM = "回答中出现“所有企业均可获得某金额”式的无条件承诺，现有政策文件均未作此规定"


def safe_text(article: Article) -> str:
    """The article's text without flagged sentences and without sentences addressed to a model."""
    text = article.text
    spans = sorted(suspect_spans(article))
    spans += [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if addressed_kind(m.group())]
    if not spans:
        return text
    out, pos = [], 0
    for s, e in sorted(spans):
        if s > pos:
            out.append(text[pos:s])
        pos = max(pos, e)
    out.append(text[pos:])
    return "".join(out)


_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")


def planted_sentences(article: Article) -> list[str]:
    """What of the article must never become an answer."""
    text = article.text
    out = [text[s:e] for s, e in suspect_spans(article)]
    return out + [m.group() for m in _SENTENCE.finditer(text) if addressed_kind(m.group())]


def problem(text: str, articles: list[Article]) -> str:
    """Why `text` (an answer) must not be stated, or ''."""
    planted = [S.terms(p) for a in articles for p in planted_sentences(a)]
    stated = "".join(S.normalize(safe_text(a)) for a in articles)
    for sentence in S.split_sentences(re.sub(r"\[\d+\]", "", text)):
        terms = S.terms(sentence)
        if len(terms) >= MIN_TERMS and any(len(terms & p) >= COPIED * len(terms) for p in planted):
            return WHY_PLANTED
        if universal_claim(sentence) and S.normalize(sentence).rstrip("。；;") not in stated:
            return WHY_CLAIM
    return ""


def recorded(pieces: Iterator, into: list[str]) -> Generator:
    """Pass `pieces` through, keeping the text ones in `into`; returns what the generator returns."""
    while True:
        try:
            item = next(pieces)
        except StopIteration as stop:
            return stop.value
        if isinstance(item, str):
            into.append(item)
        yield item


def vetted(answer: Answer, articles: list[Article], related: int = 3, streamed: str = "") -> Answer:
    """`answer`, or a refusal saying why when its content — or what was streamed while the
    writer wrote, though validation replaced it — comes from planted text."""
    if (answer.refused and not answer.citations) or not articles:  # a refusal may quote a sentence too
        return answer
    why = problem(answer.text, articles) or problem(streamed, articles)
    if not why:
        return answer
    log.warning("answer withheld (%s): %r", why, answer.text[:200])
    shown = tuple(articles[:related])
    lines = [REFUSAL.format(why=why), ""] + [f"- {a.label}" for a in shown]
    return dataclasses.replace(
        answer,
        text="\n".join(lines),
        refused=True,
        citations=(),
        possibly_related=shown,
        unsupported=(),
        warnings=(*answer.warnings, why),
    )
