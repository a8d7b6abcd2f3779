"""How generic RAG stacks cut documents, as `Article`s the same retriever can serve.

Both baselines cut the same cleaned document bodies the article splitter cut
(the articles joined back in document order), so the comparison measures the
chunking, not the PDF clean-up. Each chunk keeps its document's `DocMeta`, so
evidence matching, filters and labels work unchanged; its kind is "window".
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.record import Article, DocMeta, make_chunk_id

WINDOW_KIND = "window"
HEADING_CHARS = 24  # a window has no heading; its opening words stand in for one in listings


def document_bodies(articles: list[Article]) -> list[tuple[DocMeta, str]]:
    """Each document's records joined back in document order, one per line.

    >>> from ingest.record import DocMeta
    >>> d = DocMeta("d", "f", "某意见")
    >>> a = [Article("1", d, "article", (), ("一",), "甲", "一、甲"), Article("2", d, "article", (), ("二",), "乙", "二、乙")]
    >>> document_bodies(a)[0][1]
    '一、甲\\n二、乙'
    """
    bodies: dict[str, tuple[DocMeta, list[str]]] = {}
    for a in articles:
        bodies.setdefault(a.doc.doc_id, (a.doc, []))[1].append(a.text)
    return [(doc, "\n".join(texts)) for doc, texts in bodies.values()]


def fixed_windows(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """(start, end) of `size`-character windows, each starting `size - overlap` after the last.

    >>> fixed_windows("x" * 10, 4, 1)
    [(0, 4), (3, 7), (6, 10)]
    """
    if not 0 <= overlap < size:
        raise ValueError(f"overlap {overlap} must be >= 0 and < size {size}")
    step, spans, start = size - overlap, [], 0
    while True:
        spans.append((start, min(start + size, len(text))))
        if start + size >= len(text):
            return spans
        start += step


def window_chunks(articles: list[Article], size: int, overlap: int) -> list[Article]:
    """Fixed character windows with overlap over every document body."""
    out = []
    for doc, body in document_bodies(articles):
        out += [
            _chunk(doc, i, body[s:e], s, e) for i, (s, e) in enumerate(fixed_windows(body, size, overlap))
        ]
    return out


def sentence_splitter_chunks(articles: list[Article]) -> list[Article]:
    """llama-index's `SentenceSplitter()` with its default settings, as a RAG stack ships it."""
    from llama_index.core.node_parser import SentenceSplitter

    return split_with(articles, SentenceSplitter().split_text)


def split_with(articles: list[Article], split: Callable[[str], list[str]]) -> list[Article]:
    """Chunks of any text splitter; offsets found by searching the body in order."""
    out = []
    for doc, body in document_bodies(articles):
        cursor = 0
        for i, piece in enumerate(p for p in split(body) if p.strip()):
            start = body.find(piece, cursor)
            start = cursor if start < 0 else start  # a splitter that rewrote whitespace: keep order
            out.append(_chunk(doc, i, piece, start, start + len(piece)))
            cursor = start + 1
    return out


def _chunk(doc: DocMeta, i: int, text: str, start: int, end: int) -> Article:
    # No section path: the retrievers index headings from it, and a window has none.
    return Article(
        chunk_id=make_chunk_id(doc.doc_id, (WINDOW_KIND, str(i)), text),
        doc=doc,
        kind=WINDOW_KIND,
        section_path=(),
        numbers=(),
        heading=" ".join(text.split())[:HEADING_CHARS],
        text=text,
        start=start,
        end=end,
    )
