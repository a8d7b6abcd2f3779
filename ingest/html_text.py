"""An HTML page -> the text a reader sees, one block (paragraph, heading, row) per line.

Policy pages saved from government sites carry menus, scripts and search boxes
around the document; those are dropped. Whitespace follows HTML rendering
(runs of spaces/newlines inside a paragraph show as one space), so the
page's source line breaks do not become fake paragraph breaks.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString

from ingest.decode import decode_text

# Never part of the document a reader sees.
DROP_TAGS = ("script", "style", "nav", "noscript", "template", "head", "iframe", "svg", "select", "button")
# Each starts a new line (HTML block-level elements, plus table rows).
BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "tr", "hr", "center", "address", "figure", "figcaption",
)  # fmt: skip
CELL_TAGS = ("td", "th")  # cells of a row stay on its line, tab-separated
# The declared charset is in the first bytes of any real page (HTML spec: first 1024).
SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def html_to_text(data: bytes) -> str:
    """Decode (BOM, UTF-8, meta charset, GB18030) and extract the visible text.

    >>> html_to_text(b"<p>first\\n line</p><script>x()</script><p>second<br>third</p>")
    'first line\\nsecond\\nthird'
    """
    soup = BeautifulSoup(decode_text(data, declared_charset(data)), "html.parser")
    for tag in soup(DROP_TAGS):
        tag.decompose()
    _collapse_spaces(soup)
    _mark_breaks(soup)
    lines = (line.strip(" \t") for line in soup.get_text().split("\n"))
    return "\n".join(line for line in lines if line.strip())


def declared_charset(data: bytes) -> str:
    """The `<meta charset>` / `http-equiv` charset in the page head, or ''."""
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else ""


def _collapse_spaces(soup: BeautifulSoup) -> None:
    for node in list(soup.find_all(string=True)):
        if type(node) is NavigableString and not node.find_parent(("pre", "textarea")):
            node.replace_with(_HTML_SPACE.sub(" ", node))


def _mark_breaks(soup: BeautifulSoup) -> None:
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for tag in soup.find_all(CELL_TAGS):
        tag.insert_after("\t")
