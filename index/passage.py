"""What the retrievers see of an article: document name, section headings, then the text.

`Article.text` stays what users are shown; the headings above it give the retrievers
context (an item under "（三）畅通融资渠道" is about financing even when its own text
never says so), and the title / 文号 line lets "71号文 贷款" style queries lean on it.
"""

from __future__ import annotations

import re

from ingest.record import Article

# A path element that is only a number marker ("（一）", "1．", "一、") carries no words.
_BARE_MARKER = re.compile(r"^\s*[（(]?[一二三四五六七八九十百零〇\d]+[）)]?[、.．]?\s*$")


def context_headings(article: Article) -> list[str]:
    """Section headings above the article, without bare number markers or its own heading.

    >>> from ingest.record import DocMeta
    >>> a = Article("c", DocMeta("d", "f", "t"), "article", ("四、重点举措", "（三）畅通融资渠道", "8．"),
    ...             ("四", "（三）", "8"), "加强政策激励", "8．加强政策激励。")
    >>> context_headings(a)
    ['四、重点举措', '（三）畅通融资渠道']
    """
    return [h for h in article.section_path if not _BARE_MARKER.match(h) and h not in article.text[:80]]


def passage_text(article: Article, headings: bool = True) -> str:
    """The text embedded and keyword-indexed for an article (`headings`: with its chapter/section titles)."""
    doc = article.doc
    name = doc.title + (f"（{doc.doc_number}）" if doc.doc_number else "")
    return "\n".join([name, *(context_headings(article) if headings else []), article.text])
