"""Tokens, BM25, query expansion and fusion: the parts of ranking that need no model."""

from __future__ import annotations

import numpy as np
import pytest
from index_fakes import seed_articles

from index.expand import expand
from index.fusion import Candidates, Fusion, fuse
from index.keyword import KeywordIndex
from index.tokens import Tokenizer, domain_words, normalise


@pytest.fixture(scope="module")
def seed_tokenizer():
    return Tokenizer(domain_words(a.text for a in seed_articles()))


@pytest.mark.parametrize(
    "word", ["苏科贷", "科创指数贷", "信保贷", "专精特新", "首贷", "瞪羚企业", "江苏科创保"]
)
def test_domain_words_stay_whole(seed_tokenizer, word):
    assert word in seed_tokenizer(f"关于{word}的政策")


def test_programme_names_are_read_from_the_corpus_quotes():
    words = domain_words(["推出“苏创积分贷”产品", "no quotes here"])
    assert "苏创积分贷" in words


def test_stopwords_and_punctuation_are_dropped(seed_tokenizer):
    assert seed_tokenizer("请问，我们的企业怎么申请？") == ["企业", "申请"]


@pytest.mark.parametrize(
    "raw,clean",
    [("市政 府 第 3 次", "市政府第 3 次"), ("ＡＩ芯片１２", "ai芯片12"), ("信用\n贷款", "信用贷款")],
)
def test_normalise_undoes_pdf_spacing_and_full_width(raw, clean):
    assert normalise(raw) == clean


def test_a_user_phrase_meets_the_policy_words_through_search_mode(seed_tokenizer):
    assert {"信用", "贷款"} <= set(seed_tokenizer("支持企业获得信用贷款"))


TEXTS = [
    "科技保险产品创新，研发失败风险",
    "信用贷款支持轻资产企业",
    "科技企业上市培育",
    "保险 保险 保险 补偿",
]


@pytest.fixture(scope="module")
def bm25():
    return KeywordIndex.build(TEXTS, Tokenizer(), k1=1.2, b=0.75)


def test_bm25_ranks_the_article_with_the_terms_first(bm25):
    scores = bm25.scores("信用贷款")
    assert int(np.argmax(scores)) == 1
    assert scores[[0, 2, 3]].tolist() == [0.0, 0.0, 0.0]


def test_bm25_rare_terms_weigh_more_than_common_ones(bm25):
    # 科技 is in two texts, 研发 in one: one occurrence of the rarer term scores higher.
    assert bm25.scores("研发")[0] > bm25.scores("科技")[0] > 0


def test_bm25_term_frequency_saturates(bm25):
    s = bm25.scores("保险")
    assert s[3] > s[0] and s[3] < 3 * s[0]


def test_bm25_with_no_known_term_scores_zero(bm25):
    assert not bm25.scores("量子计算").any()
    assert not bm25.scores("").any()


def test_bm25_round_trips_through_disk(bm25, tmp_path):
    bm25.save(tmp_path)
    again = KeywordIndex.load(tmp_path)
    for q in ("科技保险", "信用贷款 企业", "上市"):
        np.testing.assert_allclose(again.scores(q), bm25.scores(q))


def test_expansion_adds_policy_words_for_everyday_ones():
    assert "信用贷款" in expand("刚成立两年，没有抵押物，能贷到款吗")
    assert "首贷" in expand("第一次贷款有什么支持")
    assert expand("科技保险") == "科技保险"


# --- fusion -------------------------------------------------------------------------


def candidates(cos, bm25, vrank, krank):
    return Candidates(np.arange(len(cos)), np.array(cos), np.array(bm25), np.array(vrank), np.array(krank))


def test_score_fusion_combines_both_signals():
    # Row 0: best cosine, no keyword; row 1: second on both; row 2: best keyword, worst cosine.
    c = candidates([0.90, 0.88, 0.80], [0.0, 8.0, 10.0], [1, 2, 3], [0, 2, 1])
    ranked = fuse(c, Fusion(1.0, 1.0, 60, "score"))
    # cosine min-max: 1, .8, 0; BM25 / max: 0, .8, 1 -> row 1 leads with .8, rows 0 and 2 tie at .5
    assert ranked == [(1, pytest.approx(0.8)), (0, pytest.approx(0.5)), (2, pytest.approx(0.5))]


def test_zero_vector_weight_is_keyword_order_and_vice_versa():
    c = candidates([0.90, 0.88, 0.80], [0.0, 8.0, 10.0], [1, 2, 3], [0, 2, 1])
    for method in ("score", "rrf"):
        assert [r for r, _ in fuse(c, Fusion(1.0, 0.0, 60, method))][:2] == [2, 1]
        assert [r for r, _ in fuse(c, Fusion(0.0, 1.0, 60, method))] == [0, 1, 2]


def test_rrf_first_on_both_lists_scores_one():
    c = candidates([0.9, 0.5], [3.0, 1.0], [1, 2], [1, 2])
    assert fuse(c, Fusion(2.0, 1.0, 60, "rrf"))[0] == (0, pytest.approx(1.0))


def test_unknown_fusion_method_is_refused():
    with pytest.raises(ValueError, match="unknown fusion"):
        Fusion(method="max")
