"""Local mode: the model reads the first articles with the question, and the likeliest goes first.

Everyday wording lands on the right law's wrong article: e5-small and BM25 each read the question
and the article apart. `answer.likelihood` scores log P(question | article) under the local model,
which reads them together; the likeliest of the first `depth` goes first when the model is surer
of it than of the index's first by `rerank_margin` nats, and the rest keep their order. The caller
leaves alone articles the question named by number (the index found them by reference), and
extractive mode never runs a model. Measured in README "Methods tried".
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from answer.llm import LLMFailed, LLMUnavailable
from ingest.record import Article

log = logging.getLogger(__name__)


def reading(text: str, sentence: str, chars: int) -> str:
    """What the model reads of an article: its head, which says what the article is about, and the
    sentence the search matched when the head does not hold it, within `chars` characters.

    >>> reading("第一条 总则。甲乙丙丁。补贴最高50万元。", "补贴最高50万元。", 12)
    '第一条 总则……补贴最高'
    >>> reading("第一条 补贴最高50万元。", "补贴最高50万元。", 12)
    '第一条 补贴最高50万元'
    """
    if not sentence or sentence[: chars // 2] in text[:chars]:
        return text[:chars]
    head = text[: chars // 2]
    return head + "……" + sentence[: chars - len(head) - 2]


def likeliest(scores: Sequence[float], margin: float) -> int:
    """Which text goes first: the likeliest, when it beats the first by more than `margin` (nats);
    else 0, the index's order.

    >>> likeliest([-20.0, -15.0, -30.0], 4.0), likeliest([-20.0, -15.0, -30.0], 5.0), likeliest([], 0.0)
    (1, 0, 0)
    """
    if not scores:
        return 0
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return best if scores[best] - scores[0] > margin else 0


def to_front(items: Sequence, i: int) -> list:
    """`items` with item `i` first, the others in their order."""
    items = list(items)
    return [items[i], *items[:i], *items[i + 1 :]]


def promoted(
    articles: Sequence[Article],
    question: str,
    scorer,
    depth: int,
    chars: int,
    closest: dict[str, str] | None = None,
    margin: float = 0.0,
) -> int:
    """Which of the first `depth` articles goes first (`likeliest` of the scorer's log-probabilities;
    0 when the index's order stands). `closest` ({chunk_id: sentence}, the index's closest sentences)
    picks what of a long article is read; `to_front` then puts it there.

    >>> class Longest:  # a stand-in scorer: the longer text is likelier
    ...     def scores(self, texts, question): return [len(t) for t in texts]
    >>> from types import SimpleNamespace as NS
    >>> arts = [NS(text=t, chunk_id=t) for t in ("a", "bbb", "cc", "dddd")]
    >>> [a.text for a in to_front(arts, promoted(arts, "?", Longest(), 3, 80))]
    ['bbb', 'a', 'cc', 'dddd']
    >>> promoted(arts, "?", Longest(), 3, 80, margin=2)  # surer by 2, not more: the index's order
    0
    """
    if depth < 2 or len(articles) < 2:
        return 0
    head = articles[:depth]
    texts = [reading(a.text, (closest or {}).get(a.chunk_id, ""), chars) for a in head]
    try:
        return likeliest(scorer.scores(texts, question), margin)
    except (LLMFailed, LLMUnavailable) as e:  # the index's order stands; the answer goes on
        log.warning("rerank skipped: %s", e)
        return 0
