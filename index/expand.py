"""Keyword-query expansion: the words users say -> the words the policies use.

"没有抵押物" never occurs in a policy; "信用贷款" and "轻资产" do. Rules live in
`synonyms.txt`; only the BM25 query is expanded (the embedding reads the user's words).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@cache
def rules() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """((user phrasings), (policy terms)) per line of synonyms.txt."""
    out = []
    for line in (HERE / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        if "=>" not in line or line.lstrip().startswith("#"):
            continue
        said, meant = line.split("=>", 1)
        out.append((_items(said, "|"), _items(meant, ",")))
    return tuple(out)


def _items(text: str, sep: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(sep) if w.strip())


def expand(query: str) -> str:
    """The query followed by the policy terms its everyday words stand for.

    >>> expand("我们没有抵押物，能贷款吗")
    '我们没有抵押物，能贷款吗 信用贷款 信用贷 轻资产'
    """
    extra = [t for said, meant in rules() if any(_says(query, s) for s in said) for t in meant]
    return " ".join([query, *dict.fromkeys(extra)])


GAP = 3  # characters people put inside a phrase: 第一次「向银行」贷款, 没「跟人」借过钱


@cache
def _pattern(phrase: str) -> re.Pattern:
    """The phrase, or its two halves with up to GAP characters between (halves of >= 2 characters)."""
    cuts = [
        re.escape(phrase[:i]) + f".{{0,{GAP}}}" + re.escape(phrase[i:]) for i in range(2, len(phrase) - 1)
    ]
    return re.compile("|".join([re.escape(phrase), *cuts]))


def _says(query: str, phrase: str) -> bool:
    """The query says the phrase, allowing a short insertion.

    >>> _says("公司第一次向银行贷款有没有补贴", "第一次贷款"), _says("第一次参加展会之后再贷款", "第一次贷款")
    (True, False)
    """
    return bool(_pattern(phrase).search(query))
