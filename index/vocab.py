"""Words learned from the corpus itself, added to the BM25 tokenizer (settings.mined_words).

Three sources, none a hand list:
- defined terms: 本条例所称农民工，是指… -> 农民工; 本法所称个人独资企业 -> 个人独资企业;
- names in 《》: 《中华人民共和国劳动合同法》 -> 劳动合同法;
- phrases the texts keep together: character n-grams (3-6) that occur in several articles,
  are seen after and before many different characters (a word's edges are free; the middle of
  a longer word is not) and are not in jieba's dictionary yet (工资支付台账, 市场主体登记).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ingest.record import Article

_DEFINED = re.compile(
    r"本(?:法|条例|规定|办法|细则|解释)所称(?:的)?[“\"「]?([\u4e00-\u9fff]{2,12}?)[”\"」]?[，,]?(?:是指|包括|指)"
)
_BOOK = re.compile(r"《(?:中华人民共和国)?([\u4e00-\u9fff]{2,20})》")
_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")
MIN_ARTICLES = 4  # a phrase must recur: once is a sentence, not a term
MIN_ENTROPY = 1.5  # nats of the neighbour distribution on each side; a fragment has one neighbour
MAX_PHRASES = 3000  # most frequent first; the tokenizer slows with a huge user dictionary
LENGTHS = range(3, 7)


def defined_terms(texts: Iterable[str]) -> set[str]:
    """Terms a text defines for itself.

    >>> sorted(defined_terms(["本条例所称农民工，是指为用人单位提供劳动的农村居民。"]))
    ['农民工']
    """
    return {m.group(1) for t in texts for m in _DEFINED.finditer(t)}


def book_names(texts: Iterable[str]) -> set[str]:
    """Names of other texts, cited in 《》.

    >>> sorted(book_names(["依照《中华人民共和国劳动合同法》第四十七条"]))
    ['劳动合同法']
    """
    return {m.group(1) for t in texts for m in _BOOK.finditer(t)}


def phrases(texts: list[str], known: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Recurring n-grams with free edges on both sides, most frequent first."""
    seen_in: Counter[str] = Counter()
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        grams = set()
        for run in _RUN.findall(text):
            for n in LENGTHS:
                for i in range(len(run) - n + 1):
                    g = run[i : i + n]
                    grams.add(g)
                    left[g][run[i - 1] if i else "^"] += 1
                    right[g][run[i + n] if i + n < len(run) else "$"] += 1
        seen_in.update(grams)
    ok = [
        g
        for g, n in seen_in.items()
        if n >= MIN_ARTICLES
        and g not in known
        and _entropy(left[g]) >= MIN_ENTROPY
        and _entropy(right[g]) >= MIN_ENTROPY
    ]
    return sorted(ok, key=lambda g: (-seen_in[g], g))[:MAX_PHRASES]


def _entropy(counts: Counter[str]) -> float:
    total = sum(counts.values())
    return -sum(c / total * math.log(c / total) for c in counts.values())


def mined_words(articles: list[Article]) -> list[str]:
    """Every word the three sources give for these articles, sorted."""
    from index.tokens import general_dictionary

    texts = [a.text for a in articles]
    known = set(general_dictionary()[0])
    return sorted(defined_terms(texts) | book_names(texts) | set(phrases(texts, known)))
