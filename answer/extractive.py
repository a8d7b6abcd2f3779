"""The answer without a language model: the most relevant sentences of the top articles.

Instant, and every sentence is the article's own text with its citation, so
nothing can be misquoted. Also the fallback whenever a model is missing,
fails, times out or writes an answer without usable citations.
"""

from __future__ import annotations

from answer import sentences as S
from answer.context import Block, build_blocks
from answer.prompts import render
from ingest.record import Article

MIN_SHARE = 0.35  # of the best article's sentence score; below it an article matched on a common word


def extract(
    articles: list[Article], question: str, settings, exact: int = 0, closest: dict[str, str] | None = None
) -> tuple[str, list[Block]]:
    """(answer text, blocks), grouped by article, each sentence followed by its [n]; `closest`: each
    article's sentence closest in meaning to the question, quoted too."""
    articles = articles[:exact] + matching(articles[exact:], question)
    boost = S.FIGURE if S.ASKS_FIGURE.search(question) else None  # "多少": the sentences with figures
    blocks = build_blocks(
        articles,
        question,
        settings.extract_chars,
        exact=exact,
        most=settings.extract_sentences,
        lead=False,
        boost=boost,
        closest=closest,
    )
    return render("extractive.j2", blocks=blocks), blocks


def matching(articles: list[Article], question: str) -> list[Article]:
    """Retrieval's first article, then those whose best sentence scores at least MIN_SHARE of the best's.

    Retrieval ranks whole articles; an article that made the list on one
    common word would show the user sentences that do not answer anything.
    The first article stays whatever its words: retrieval put it first on meaning
    too, and an everyday question shares few words with the article that answers
    it ("加收餐具费，菜单上没写" ↔ "不得收取任何未予标明的费用") while another shares
    one exact word ("按日加收滞纳金"). Dropping it lost the answer to that word.

    >>> from ingest.record import DocMeta
    >>> a = Article("a", DocMeta("d", "s", "t"), "article", (), (), "", "不得收取任何未予标明的费用。")
    >>> b = Article("b", DocMeta("e", "s", "u"), "article", (), (), "", "逾期仍不缴纳的，按日加收滞纳金。")
    >>> [x.chunk_id for x in matching([a, b], "饭店结账时加收餐具费，可以吗？")]
    ['a', 'b']
    >>> [x.chunk_id for x in matching([b, a], "饭店结账时加收餐具费，可以吗？")]
    ['b']
    """
    pool = [S.split_sentences(a.text) for a in articles]
    weights = S.idf(s for ss in pool for s in ss)
    query = S.terms(question)
    scores = [S.best(ss, query, weights) for ss in pool]
    top = max(scores, default=0.0)
    if top <= 0:
        return articles  # nothing matches by words (e.g. a reference); keep retrieval's choice
    rest = zip(articles[1:], scores[1:], strict=True)
    return articles[:1] + [a for a, sc in rest if sc >= MIN_SHARE * top]
