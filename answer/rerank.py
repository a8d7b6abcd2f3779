"""Local mode: the model reads the first articles with the question, and the likeliest goes first.

Everyday wording lands on the right law's wrong article: e5-small and BM25 each read the question
and the article apart. `answer.likelihood` scores log P(question | article) under the local model,
which reads them together; the likeliest of the first `depth` goes first when the model is surer
of it than of the index's first by `rerank_margin` nats, and the rest keep their order. The caller
leaves alone articles the question named by number (the index found them by reference), and
extractive mode never runs a model. How many it reads past the first two depends on the machine:
each further one only while its expected reading time fits `rerank_budget_s` (`read_within`).
Measured in README "Methods tried".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

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


def heads(articles, chars: int) -> list[str]:
    """Each article's reading when the head holds what was matched (what is saved ahead, once each).

    >>> from types import SimpleNamespace as NS
    >>> heads([NS(text="第一条 甲乙"), NS(text="第一条 甲丙"), NS(text="第二条")], 5)
    ['第一条 甲', '第二条']
    """
    return list(dict.fromkeys(reading(a.text, "", chars) for a in articles))


def read_within(
    scorer, texts: Sequence[str], question: str, budget_s: float, clock: Callable[[], float] = time.monotonic
) -> list[float]:
    """The scorer's log-probabilities for the first texts: the first two always, then each further one
    while the time spent plus the mean time a text has taken so far fits `budget_s` (0: every text).

    >>> class Ticking:  # a stand-in scorer: every text takes 1 s of its clock
    ...     now = 0.0
    ...     def clock(self): return self.now
    ...     def scores(self, texts, question):
    ...         self.now += len(texts)
    ...         return [-float(len(t)) for t in texts]
    >>> texts = ["a", "bb", "ccc", "dddd"]
    >>> [len(read_within(t, texts, "?", budget, t.clock)) for budget in (2.5, 3.0, 0.0) for t in [Ticking()]]
    [2, 3, 4]
    """
    start = clock()
    got = list(scorer.scores(list(texts[:2]), question))
    for text in texts[2:]:
        spent = clock() - start
        if budget_s and spent + spent / len(got) > budget_s:
            break
        got += scorer.scores([text], question)
    return got


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
    budget_s: float = 0.0,
    margin_two: float | None = None,
) -> int:
    """Which of the first `depth` articles goes first (`likeliest` of the scorer's log-probabilities;
    0 when the index's order stands); past the second, only those read within `budget_s` seconds
    (`read_within`) compete, and when only two were read `margin_two` (fitted for depth 2) stands for
    `margin`. `closest` ({chunk_id: sentence}, the index's closest sentences) picks
    what of a long article is read; `to_front` then puts it there.

    >>> class Longest:  # a stand-in scorer: the longer text is likelier
    ...     def scores(self, texts, question): return [len(t) for t in texts]
    >>> from types import SimpleNamespace as NS
    >>> arts = [NS(text=t, chunk_id=t) for t in ("a", "bbb", "cc", "dddd")]
    >>> [a.text for a in to_front(arts, promoted(arts, "?", Longest(), 3, 80))]
    ['bbb', 'a', 'cc', 'dddd']
    >>> promoted(arts, "?", Longest(), 3, 80, margin=2)  # surer by 2, not more: the index's order
    0
    >>> promoted(arts, "?", Longest(), 2, 80, margin=1, margin_two=2)  # two read: their margin
    0
    """
    if depth < 2 or len(articles) < 2:
        return 0
    head = articles[:depth]
    texts = [reading(a.text, (closest or {}).get(a.chunk_id, ""), chars) for a in head]
    try:
        scores = read_within(scorer, texts, question, budget_s)
        return likeliest(scores, margin if margin_two is None or len(scores) > 2 else margin_two)
    except (LLMFailed, LLMUnavailable) as e:  # the index's order stands; the answer goes on
        log.warning("rerank skipped: %s", e)
        return 0


def promoted_by(
    s, articles: Sequence[Article], question: str, scorer, closest: dict[str, str], depth: int | None = None
) -> int:
    """`promoted` with local mode's `rerank_*` settings `s` (depth: `rerank_depth` unless given): what the
    engine runs and what `python -m eval --model-rerank` scores, so a setting reaches both."""
    return promoted(
        articles,
        question,
        scorer,
        s.rerank_depth if depth is None else depth,
        s.rerank_chars,
        closest,
        margin=s.rerank_margin,
        budget_s=s.rerank_budget_s,
        margin_two=s.rerank_margin_two,
    )
