"""Chinese tokens for BM25: jieba in search mode, with a domain dictionary built from the corpus.

jieba's general dictionary cuts programme names apart (苏科贷 -> 苏/科贷), so quoted
names found in the corpus (“苏科贷”“科创指数贷”“信保贷”) and a short list of finance
terms (`domain_terms.txt`: 专精特新, 首贷, 瞪羚企业…) are added as words. Search mode
also emits the parts of long words (信用贷款 -> 信用, 贷款, 信用贷款), so a user's
"贷款" still meets the policy's "信用贷款".
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import jieba

HERE = Path(__file__).resolve().parent
_QUOTED = re.compile(r"[“\"「]([\u4e00-\u9fff\w·+\-]{2,12})[”\"」]")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_WORDLIKE = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]")

jieba.setLogLevel(logging.WARNING)  # it logs "Building prefix dict..." on every start


def _word_file(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]


STOPWORDS = frozenset(_word_file("stopwords.txt"))


def domain_words(texts: Iterable[str]) -> list[str]:
    """The fixed finance terms plus every quoted name in the texts, sorted.

    >>> "信保贷" in domain_words(["发挥“信保贷”作用"])
    True
    """
    words = set(_word_file("domain_terms.txt"))
    for text in texts:
        words.update(m.group(1) for m in _QUOTED.finditer(normalise(text)))
    return sorted(words)


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, no spaces inside Chinese (PDF extraction adds them).

    >>> normalise("市政 府 ＡＢ１２")
    '市政府 ab12'
    """
    return _CJK_GAP.sub("", unicodedata.normalize("NFKC", text)).lower()


@cache
def general_dictionary() -> tuple[dict[str, int], int]:
    """jieba's general dictionary: word -> frequency in its general corpus, and their total."""
    base = jieba.Tokenizer()
    base.initialize()
    return base.FREQ, base.total


class Tokenizer:
    """A private jieba tokenizer (the global one is shared with other code) with the domain words."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = sorted(set(words))
        self._jieba = jieba.Tokenizer()
        # Start from a copy of the general dictionary loaded once per process (~50 ms) instead
        # of re-reading it (~0.7 s): every index open builds a tokenizer. jieba is pinned (0.42.1).
        freq, total = general_dictionary()
        self._jieba.FREQ, self._jieba.total, self._jieba.initialized = dict(freq), total, True
        for w in self.words:
            self._jieba.add_word(w)  # no frequency: jieba picks one high enough to keep it whole

    def __call__(self, text: str) -> list[str]:
        """Search-mode tokens without stopwords, punctuation or spaces.

        >>> Tokenizer(["信保贷"])("发挥“信保贷”政策作用")
        ['发挥', '信保贷', '政策', '作用']
        """
        tokens = self._jieba.cut_for_search(normalise(text))
        return [t for t in tokens if t not in STOPWORDS and _WORDLIKE.search(t)]
