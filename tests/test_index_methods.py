"""Retrieval methods that learn from the documents: names, place and year, mined words, sentence vectors."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from index_fakes import fake_settings

from index import HybridRetriever
from index.docnames import favoured, named_titles, names_of
from index.embed import FakeEmbedder
from index.fusion import Candidates, Fusion, fuse
from index.multivec import SentenceVectors, sentences
from index.vocab import book_names, defined_terms, phrases
from ingest.record import Article, DocMeta

ACC17 = DocMeta("k17", "会计法(2017-11-04).md", "中华人民共和国会计法")
ACC24 = DocMeta("k24", "会计法(2024-06-28).md", "中华人民共和国会计法")
SH = DocMeta("sh", "上海市优化营商环境条例(2020-04-10).md", "上海市优化营商环境条例")
NATION = DocMeta("yh", "优化营商环境条例(2019-10-22).md", "优化营商环境条例")
GP = DocMeta("gp", "政府采购法(2014-08-31).md", "中华人民共和国政府采购法")
JS = DocMeta("js", "x.md", "最高人民法院关于适用《中华人民共和国反不正当竞争法》若干问题的解释")
DOCS = [names_of(d) for d in (ACC17, ACC24, SH, NATION, GP, JS)]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("《政府采购法》第四十二条规定采购文件保存多久？", {"gp"}),
        ("政府采购法第四十二条", {"gp"}),
        ("2017年版会计法第四十二条对单位的罚款幅度", {"k17", "k24"}),  # both versions: the year picks later
        ("上海市优化营商环境条例（2020年）第三十八条", {"sh"}),  # not the national title inside it
        ("优化营商环境条例第三十二条", {"yh"}),
        ("反不正当竞争法司法解释第二十六条", {"js"}),  # the law it interprets, named with 司法解释
        ("公司要做账，会计怎么请", set()),  # 会计 alone names nothing
        ("政府采购的钱多久到账", set()),
    ],
)
def test_a_title_or_short_name_in_the_question_names_the_document(query, named):
    assert named_titles(query, DOCS) == named


@pytest.mark.parametrize(
    ("query", "docs"),
    [
        ("我给上海的区政府部门供货，他们一直拖着不付钱", {"sh"}),
        ("2024年修改后的会计法，对私设账簿罚多少", {"k24"}),
        ("2019年以来营商环境有什么变化", set()),  # a year picks only among versions of one title
        ("供货后对方一直拖着不付钱", set()),
    ],
)
def test_a_place_or_a_version_year_favours_documents(query, docs):
    assert favoured(query, DOCS) == docs


def test_names_come_from_the_document_itself():
    d = names_of(SH)
    assert (d.place, d.year) == ("上海", "2020")
    assert names_of(DocMeta("x", "no-date.md", "某办法", issue_date="2021-03-04")).year == "2021"
    assert names_of(JS).names[-1] == "反不正当竞争法"


def test_words_are_learned_from_the_texts():
    assert defined_terms(["本法所称个人独资企业，是指依照本法设立的经营实体。"]) == {"个人独资企业"}
    assert book_names(["依照《中华人民共和国劳动合同法》和《会计法》"]) == {"劳动合同法", "会计法"}
    texts = [f"{x}工资支付台账{y}" for x, y in zip("甲乙丙丁戊己", "子丑寅卯辰巳", strict=True)]
    assert "工资支付台账" in phrases(texts)
    assert "资支付台" not in phrases(texts)  # a fragment: always the same neighbours
    assert phrases(texts[:2]) == []  # seen in too few articles


def test_sentences_carry_the_title_and_skip_one_sentence_articles():
    one = Article("a", GP, "article", (), ("第一条",), "", "第一条 为了规范政府采购行为，制定本法。")
    two = Article("b", GP, "article", (), ("第二条",), "", "第二条 采购人应当及时付款。供应商应当履约。")
    assert sentences(one) == []
    assert sentences(two) == [
        "中华人民共和国政府采购法：第二条 采购人应当及时付款。",
        "中华人民共和国政府采购法：供应商应当履约。",
    ]


def test_max_sim_takes_each_articles_best_sentence():
    vecs = np.array([[1, 0], [0, 1], [0.6, 0.8]], np.float32)
    sv = SentenceVectors(vecs, np.array([0, 0, 2]), 3)
    best = sv.best(np.array([0, 1], np.float32))
    assert best.tolist() == pytest.approx([1.0, -1.0, 0.8])


def test_extra_signals_enter_score_fusion_only_with_weight():
    c = Candidates(
        np.array([1, 2]),
        np.array([0.9, 0.8]),
        np.array([1.0, 1.0]),
        np.array([1, 2]),
        np.array([1, 2]),
        sentence=np.array([0.1, 0.9]),
        favoured=np.array([0.0, 1.0]),
    )
    assert fuse(c, Fusion())[0][0] == 1
    assert fuse(c, Fusion(weight_sentence=2.0))[0][0] == 2
    assert fuse(c, Fusion(weight_doc=0.6))[0][0] == 2


def _law(doc, n, text):
    return Article(f"{doc.doc_id}-{n}", doc, "article", (n,), (n,), "", f"{n} {text}")


def test_the_retriever_scopes_by_title_and_boosts_by_year(tmp_path):
    arts = [
        _law(ACC17, "第四十二条", "私设会计帐簿的，可以对单位并处三千元以上五万元以下的罚款。"),
        _law(ACC24, "第四十条", "私设会计账簿的，对单位可以并处二十万元以下的罚款。"),
        _law(GP, "第四十二条", "采购文件的保存期限为从采购结束之日起至少保存十五年。"),
    ]
    s = fake_settings(tmp_path, weight_doc=0.5, mined_words=True)
    r = HybridRetriever(arts, FakeEmbedder(), s)
    assert {h.article.doc.doc_id for h in r.search("会计法第四十条 罚款", k=3)} == {"k17", "k24"}
    assert r.search("2024年修改后的会计法对私设账簿罚多少", k=1)[0].article.doc.doc_id == "k24"
    assert r.search("2017年会计法私设账簿罚多少", k=1)[0].article.doc.doc_id == "k17"
    off = HybridRetriever(arts, FakeEmbedder(), fake_settings(tmp_path, scope_by_title=False))
    assert len({h.article.doc.doc_id for h in off.search("会计法第四十条 罚款", k=3)}) == 3


def test_sentence_vectors_are_built_and_used(tmp_path):
    arts = [
        _law(GP, "第一条", "为了规范政府采购行为，提高资金使用效益。维护国家利益和社会公共利益。"),
        _law(GP, "第二条", "采购人应当按照合同约定及时付款。供应商应当按照合同履约。"),
    ]
    s = fake_settings(tmp_path, sentence_vectors=True, weight_sentence=1.0)
    r = HybridRetriever(arts, FakeEmbedder(), s)
    assert r.extras.sentences is not None and len(r.extras.sentences.owners) == 4
    assert r.embedded == 2 + 4
    assert r.search("采购人应当按照合同约定及时付款", k=1)[0].article.chunk_id == "gp-第二条"


def test_feedback_words_come_from_the_best_vector_hits(tmp_path):
    from index.prf import feedback_terms

    arts = [
        _law(GP, "第一条", "用人单位应当支付未休年休假工资报酬。"),
        _law(GP, "第二条", "采购文件的保存期限为十五年。"),
    ]
    r = HybridRetriever(arts, FakeEmbedder(), fake_settings(tmp_path))
    terms = feedback_terms(r.keyword, [arts[0].text], "员工的假没休要给钱吗", 3)
    assert "休假" in terms
    assert all(t not in r.keyword.tokenizer("员工的假没休要给钱吗") for t in terms)
    on = HybridRetriever(arts, FakeEmbedder(), fake_settings(tmp_path, prf_terms=4, prf_docs=1))
    scores = on.rankings("保存期限").keyword_scores
    assert scores[1] > 0


def test_neighbours_bring_the_librarys_word_for_the_users_word(tmp_path):
    """The real e5 embedder: 押金 (never in the library) brings 保证金 (in two articles), not 培训."""
    from index.embed import make_embedder

    texts = [
        "投标人应当按照招标文件的要求提交投标保证金。",
        "不得以现金以外的方式收取保证金的，应当说明理由。",
        "劳动者应当按时参加培训，培训费用由用人单位承担。",
        "用人单位应当向劳动者支付劳动报酬，培训期间照常发放。",
    ]
    articles = [Article(f"a{i}", NATION, "article", (), (), "", t) for i, t in enumerate(texts)]
    s = dataclasses.replace(fake_settings(tmp_path), embedder="e5torch")
    r = HybridRetriever(articles, make_embedder(s), s)
    near = r.neighbors()
    assert "保证金" in near.words and "投标" not in near.words  # 投标 is in one article only
    assert near.expansion("押金能退吗", 1, 0.85) == ["保证金"]
    assert near.expansion("保证金能退吗", 2, 0.85) == []  # the library's own word: BM25 has it already
