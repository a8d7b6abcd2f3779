"""Questions generated per article (eval/doc2query.py): cached by content, appended to what is indexed."""

import dataclasses

import settings
from eval.doc2query import generate, with_questions
from tests.index_fakes import small_corpus


class CountingLLM:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def generate(self, messages, max_tokens):
        self.calls.append(messages[-1]["content"])
        return "1. 没有抵押能贷款吗？\n员工：没有抵押能贷款吗？\n这一条讲信用贷款。\n银行会给小公司放款吗？"


def test_questions_are_parsed_and_an_unchanged_article_is_never_asked_again(tmp_path):
    articles = small_corpus()[:3]
    s = settings.load()
    cache = tmp_path / "doc2query.jsonl"
    llm = CountingLLM()
    got, secs = generate(articles, s, cache, llm)
    assert len(llm.calls) == 3 and len(secs) == 3
    assert got[articles[0].chunk_id] == ["没有抵押能贷款吗？", "银行会给小公司放款吗？"]

    again = CountingLLM()
    assert generate(articles, s, cache, again)[0] == got and again.calls == []

    changed = [dataclasses.replace(articles[0], text=articles[0].text + "新增一句。"), *articles[1:]]
    third = CountingLLM()
    generate(changed, s, cache, third)
    assert len(third.calls) == 1 and "新增一句" in third.calls[0]


def test_questions_go_into_the_indexed_text_only_of_articles_that_have_them():
    a, b = small_corpus()[:2]
    out = with_questions([a, b], {a.chunk_id: ["没有抵押能贷款吗？"], b.chunk_id: []})
    assert out[0].text == a.text + "\n没有抵押能贷款吗？" and out[0].chunk_id == a.chunk_id
    assert out[1] is b
