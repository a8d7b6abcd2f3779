"""Exact clause lookup: reference forms, numbering styles, ambiguity, unknown references."""

from __future__ import annotations

import pytest
from index_fakes import seed_articles, small_corpus

from index.lookup import (
    ARTICLE,
    EITHER,
    ITEM,
    PAREN,
    PITEM,
    TOP,
    NumberToken,
    documents_named,
    lookup,
    parse_reference,
    token_of,
)
from ingest.numbering import int_to_cn
from ingest.numbering import parse_number as cn_to_int


@pytest.mark.parametrize(
    "cn,n",
    [
        ("一", 1),
        ("十", 10),
        ("十三", 13),
        ("二十", 20),
        ("二十一", 21),
        ("九十九", 99),
        ("一百零五", 105),
        ("两", 2),
    ],
)
def test_chinese_numerals_both_ways(cn, n):
    assert cn_to_int(cn) == n
    assert cn_to_int(int_to_cn(n)) == n


def test_int_to_cn_writes_numbers_as_documents_do():
    assert [int_to_cn(n) for n in (8, 10, 13, 20, 21)] == ["八", "十", "十三", "二十", "二十一"]


@pytest.mark.parametrize("text", ["甲", "", "十a", "第"])
def test_non_numerals_are_none(text):
    assert cn_to_int(text) is None


@pytest.mark.parametrize(
    "number,token",
    [
        ("四", NumberToken(TOP, 4)),
        ("（十三）", NumberToken(PAREN, 13)),
        ("(三)", NumberToken(PAREN, 3)),
        ("8", NumberToken(ITEM, 8)),
        ("8．", NumberToken(ITEM, 8)),
        ("１２", NumberToken(ITEM, 12)),  # full-width digits, as some PDFs give them
        ("（1）", NumberToken(PITEM, 1)),
    ],
)
def test_article_numbers_become_tokens(number, token):
    assert token_of(number) == token


@pytest.mark.parametrize(
    "ref,path,doc",
    [
        ("71号文第8条", (NumberToken(ARTICLE, 8),), ("", "", "", "71")),
        ("71号文第八条", (NumberToken(ARTICLE, 8),), ("", "", "", "71")),
        ("苏府办〔2022〕71号 8．", (NumberToken(ITEM, 8),), ("苏府办", "2022", "71", "")),
        ("苏府办[2022]71号第8条", (NumberToken(ARTICLE, 8),), ("苏府办", "2022", "71", "")),
        ("苏府办（2022）71 号 第 8 条", (NumberToken(ARTICLE, 8),), ("苏府办", "2022", "71", "")),
        ("苏科区成发〔2026〕65号 （十三）", (NumberToken(PAREN, 13),), ("苏科区成发", "2026", "65", "")),
        ("65号文 十三", (NumberToken(EITHER, 13),), ("", "", "", "65")),
        (
            "1号文 四（三）8",
            (NumberToken(TOP, 4), NumberToken(PAREN, 3), NumberToken(ITEM, 8)),
            ("", "", "", "1"),
        ),
        ("127号文第二部分第一条", (NumberToken(TOP, 2), NumberToken(ARTICLE, 1)), ("", "", "", "127")),
    ],
)
def test_reference_forms_parse(ref, path, doc):
    r = parse_reference(ref)
    assert r is not None and r.path == path
    number = r.doc_number or ("", "", "")
    assert (*number, r.short_number) == doc


@pytest.mark.parametrize(
    "question",
    ["没有抵押物的科技企业怎么贷款", "十三五期间的目标是什么", "一家企业能申请几次", "71号文讲了什么", ""],
)
def test_questions_without_an_article_number_are_not_references(question):
    assert parse_reference(question) is None


def test_title_part_and_draft_are_kept_for_document_matching():
    r = parse_reference("科技招商意见 二（一）")
    assert r.title_part == "科技招商意见" and r.path == (NumberToken(TOP, 2), NumberToken(PAREN, 1))
    assert parse_reference("征求意见稿 第13条").draft


# --- resolving against articles -------------------------------------------------------


def locators(found):
    return [(a.doc.doc_id, a.locator) for a in found]


@pytest.mark.parametrize(
    "ref,expected",
    [
        ("71号文第8条", [("d71", "四（三）8.")]),
        ("苏府办〔2022〕71号 第八条", [("d71", "四（三）8.")]),
        ("71号文 四（三）8", [("d71", "四（三）8.")]),
        ("65号文第十三条", [("d65", "四（十三）")]),  # 第N条 = （N） where （N） is the lowest level
        ("65号文第13条", [("d65", "四（十三）")]),
        ("苏科区成发〔2026〕65号 （十三）", [("d65", "四（十三）")]),
        ("征求意见稿 第七条", [("ddraft", "三（七）")]),
        (
            "71号文 四（三）",
            [("d71", "四（三）7."), ("d71", "四（三）8.")],
        ),  # a section: its articles in order
    ],
)
def test_references_resolve_to_their_article(ref, expected):
    assert locators(lookup(ref, small_corpus())) == expected


def test_ambiguous_reference_returns_every_candidate_in_corpus_order():
    # No document named: item 8 of 71号文 and （八） of 65号文 both answer "第8条".
    assert locators(lookup("第8条", small_corpus())) == [("d71", "四（三）8."), ("d65", "二（八）")]


@pytest.mark.parametrize(
    "ref",
    ["71号文第99条", "99号文第8条", "苏府办〔2021〕71号 第8条", "某某管理办法第3条", "65号文 （九十）"],
)
def test_unknown_references_return_nothing(ref):
    assert lookup(ref, small_corpus()) == []


def test_documents_named_in_a_question_by_number():
    docs = [a.doc for a in small_corpus()]
    assert [d.doc_id for d in documents_named("71号文是哪次会议通过的", docs)] == ["d71"]
    assert [d.doc_id for d in documents_named("苏科区成发〔2026〕65号和71号文", docs)] == ["d65", "d71"]
    assert documents_named("没有抵押物怎么贷款", docs) == []


# --- on the real seed corpus, as the ingest cuts it ---------------------------------------


@pytest.mark.parametrize(
    "ref,label_end,number",
    [
        ("71号文第8条", "四（三）8.", "苏府办〔2022〕71号"),
        ("苏科区成发〔2026〕65号 （十三）", "四（十三）", "苏科区成发〔2026〕65号"),
        ("科技招商意见 二（一）", "二（一）", "苏府办〔2022〕127号"),
        ("127号文第二部分第一条", "二（一）", "苏府办〔2022〕127号"),
        ("1号文第8条", "四（三）8.", "苏委发〔2022〕1号"),
        ("65号文 十三", "四（十三）", "苏科区成发〔2026〕65号"),
        ("制造业实施意见 第十三条", "四（十三）", ""),
        ("苏府办(2022)71号 四（一）3", "四（一）3.", "苏府办〔2022〕71号"),
    ],
)
def test_seed_references(ref, label_end, number):
    found = lookup(ref, list(seed_articles()))
    assert len(found) == 1, [a.label for a in found]
    assert found[0].label.endswith(label_end) and found[0].doc.doc_number == number


def test_a_bare_part_number_means_the_part_before_a_bracketed_article():
    found = lookup("127号文 二", list(seed_articles()))
    assert [a.locator for a in found] == ["二（一）", "二（二）", "二（三）"]


def test_title_matching_prunes_by_shared_characters_without_changing_the_answer():
    """`_docs_by_title` visits titles by an upper bound on their LCS; it must pick exactly what
    scoring every title picks (all ties, corpus order), on the real laws corpus's titles; a title
    written out whole (优化营商环境条例) names that document, not the 上海市… ones that contain it."""
    import random
    from pathlib import Path

    from index import lookup as L
    from ingest.record import DocMeta

    corpus = Path(__file__).resolve().parent.parent / "eval" / "laws" / "corpus"
    titles = [
        next(line.strip("# \n") for line in f.read_text(encoding="utf-8").splitlines() if line.strip())
        for f in sorted(corpus.rglob("*.md"))
    ]
    docs = [DocMeta(f"d{i}", f"f{i}.md", t) for i, t in enumerate(titles)]
    rng = random.Random(7)
    parts = ["政府采购法", "优化营商环境条例", "会计法", "关于适用若干问题的解释", "科技招商意见", "无关的词"]
    parts += [t[rng.randint(0, 3) :][: rng.randint(3, 12)] for t in rng.sample(titles, 20)]
    for part in parts:
        own = [d for d in docs if part in (d.title, d.title.removeprefix("中华人民共和国"))]
        if own:  # a document's own name names it, whatever other titles share
            assert L._docs_by_title(part, docs) == own, part
            continue
        scores = [L._lcs(part, L.normalise(d.title)) for d in docs]
        best = max(scores)
        want = (
            [d for d, s in zip(docs, scores, strict=True) if s == best]
            if best >= L.MIN_TITLE_OVERLAP
            else None
        )
        got = L._docs_by_title(part, docs)
        if want is None:
            assert not got, part  # None, or [] for something shaped like a document name
        else:
            assert got == want, part
    assert len(L._docs_by_title("政府采购法", docs)) >= 1
