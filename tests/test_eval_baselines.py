"""The generic-RAG chunkings the product is compared with."""

import pytest

import settings
from eval import baselines, qa_check
from eval.normalize import norm
from ingest.pipeline import load_corpus
from ingest.record import Article, DocMeta

DOC = DocMeta("d1", "f.txt", "某工作意见", "苏府办〔2022〕71号")


def _article(i: int, text: str) -> Article:
    return Article(f"c{i}", DOC, "article", (), (str(i),), text[:6], text)


@pytest.fixture(scope="module")
def corpus_articles():
    return load_corpus(settings.load()).articles


@pytest.mark.parametrize(
    ("length", "size", "overlap"), [(0, 5, 1), (5, 5, 1), (6, 5, 1), (23, 5, 2), (100, 10, 0)]
)
def test_fixed_windows_cover_the_text_and_overlap(length, size, overlap):
    spans = baselines.fixed_windows("x" * length, size, overlap)
    assert spans[0][0] == 0 and spans[-1][1] == length
    assert all(e - s <= size for s, e in spans)
    assert all(b[0] == a[1] - overlap for a, b in zip(spans, spans[1:], strict=False))


def test_overlap_must_be_smaller_than_the_window():
    with pytest.raises(ValueError):
        baselines.fixed_windows("abc", 3, 3)


def test_document_bodies_join_articles_in_order_per_document():
    other = DocMeta("d2", "g.txt", "另一意见")
    arts = [_article(1, "一、甲"), Article("c9", other, "article", (), (), "", "乙"), _article(2, "二、丙")]
    bodies = baselines.document_bodies(arts)
    assert [(d.doc_id, body) for d, body in bodies] == [("d1", "一、甲\n二、丙"), ("d2", "乙")]


def test_windows_keep_the_document_and_are_searchable_records():
    windows = baselines.window_chunks([_article(1, "甲" * 700)], 500, 100)
    assert [len(w.text) for w in windows] == [500, 300]
    assert all(w.kind == baselines.WINDOW_KIND and w.doc == DOC for w in windows)
    assert len({w.chunk_id for w in windows}) == 2
    assert windows[0].label.startswith("《某工作意见》（苏府办〔2022〕71号）")


def test_every_gold_quote_lies_whole_in_some_500_char_window(corpus_articles):
    # The overlap (100) is longer than any quote, so no quote is lost to a cut.
    windows = baselines.window_chunks(corpus_articles, 500, 100)
    texts = [norm(w.text) for w in windows]
    for item in qa_check.load_qa():
        for e in item["evidence"]:
            assert any(norm(e["quote"]) in t for t in texts), (item["id"], e["quote"])


def test_sentence_splitter_chunks_cover_every_document(corpus_articles):
    chunks = baselines.sentence_splitter_chunks(corpus_articles)
    bodies = baselines.document_bodies(corpus_articles)
    assert {c.doc.doc_id for c in chunks} == {d.doc_id for d, _ in bodies}
    for doc, body in bodies:
        joined = norm("".join(c.text for c in chunks if c.doc.doc_id == doc.doc_id))
        # Overlapping chunks: every character of the body is in some chunk.
        assert set(norm(body)) <= set(joined)
        assert len(joined) >= len(norm(body))
    # llama-index's default is 1024 tokens: far longer than an article.
    assert sum(len(c.text) for c in chunks) / len(chunks) > 400


def test_split_with_records_offsets_into_the_body():
    chunks = baselines.split_with(
        [_article(1, "第一句。第二句。第三句。")], lambda t: ["第一句。", "第三句。"]
    )
    assert [(c.start, c.end) for c in chunks] == [(0, 4), (8, 12)]
