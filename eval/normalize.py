"""The one text normalisation every evidence match goes through.

Gold quotes are matched against article text after this, so the Q&A set
survives re-chunking and the PDF extractor's noise.
"""

from __future__ import annotations

import re
import unicodedata

# A page footer the PDF extractor left in the body: "— 8 —" anywhere (policy
# text never puts a bare number between em dashes), "- 12 -" only on its own
# line (inline it could be a date such as 2022-05-10).
_PAGE_MARKER = re.compile(r"(?m)—\s*\d{1,3}\s*—|^[ \t]*[-－][ \t]*\d{1,3}[ \t]*[-－][ \t]*$")
# Markdown emphasis and heading marks from the .md source; never policy text.
_MARKDOWN = re.compile(r"[*#]+")
_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """NFKC, then drop page markers, markdown marks and all whitespace.

    >>> norm("超 10000 户，\\n\\n— 8 —\\n\\n**全 市**")
    '超10000户,全市'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _PAGE_MARKER.sub("", text)
    text = _MARKDOWN.sub("", text)
    return _SPACE.sub("", text)


def alternatives(fact: str) -> list[str]:
    """A fact's accepted forms: "a|b" when versions of a text differ (one for each), normalised.

    >>> alternatives("1500元|1万元以上10万元以下")
    ['1500元', '1万元以上10万元以下']
    """
    return [norm(a) for a in fact.split("|") if norm(a)]


def fact_in(fact: str, normed_text: str) -> bool:
    """Whether an already normalised text states the fact in any of its accepted forms."""
    return any(a in normed_text for a in alternatives(fact))
