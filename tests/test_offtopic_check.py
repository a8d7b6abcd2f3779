"""Questions about anything but policy are refused, not answered with an article sharing one word.

`answer.refusal.off_topic` reads two signals of the hits: the best cosine of an article or of one
of its sentences, and how much the words the question shares with an article say in everyday
language (`index.topic`, from jieba's general dictionary)."""

from __future__ import annotations

import dataclasses
from collections import namedtuple

import pytest

import settings
from answer.refusal import off_topic
from eval import run
from index.topic import information, shared_information

H = namedtuple("H", "best_cosine shared_information named")
S = settings.load()  # the fitted floors: 0.87 and 14 nats


def test_everyday_words_carry_less_than_topic_words() -> None:
    assert information("给") < information("公司") < information("工伤") < information("路演")
    # a word the dictionary lacks carries the most
    assert information("苏创融") == max(information(w) for w in ("给", "路演", "苏创融"))


def test_shared_information_counts_words_of_two_characters_found_in_the_text_once() -> None:
    text = "用人单位应当为职工缴纳工伤保险费，工伤保险费由用人单位缴纳。"
    assert shared_information(["给", "用"], text) == 0  # single characters say nothing
    assert shared_information(["工伤", "工伤"], text) == pytest.approx(information("工伤"))
    assert shared_information(["工伤", "笑话"], text) == pytest.approx(information("工伤"))
    assert shared_information(["工 伤"], "工伤") == 0  # tokens are matched as given, the text normalised


def test_a_question_is_off_topic_only_when_both_signals_are_weak() -> None:
    assert off_topic([H(0.85, 6.8, False), H(0.86, 9.0, False)], S)
    assert not off_topic([H(0.85, 6.8, False), H(0.88, 0.0, False)], S)  # one close sentence
    assert not off_topic([H(0.85, 6.8, False), H(0.80, 15.0, False)], S)  # one telling shared word
    assert not off_topic([H(0.80, 0.0, True)], S)  # it names an article
    assert not off_topic([H(-1.0, -1.0, False)], S)  # a backend that does not measure them
    assert not off_topic([], S)
    assert not off_topic([H(0.5, 0.0, False)], dataclasses.replace(S, topic_min_cosine=0.0))  # off


def test_a_question_naming_a_document_by_its_number_is_never_off_topic() -> None:
    from answer.refusal import topic_signals
    from ingest.record import DocMeta

    docs = [
        DocMeta("d71", "a.txt", "苏州市金融支持产业创新集群发展的工作意见", doc_number="苏府办〔2022〕71号")
    ]
    weak = [H(0.80, 0.0, False)]
    assert topic_signals(weak, "71号文的日期是哪天？", docs) is None
    assert not off_topic(weak, S, "71号文的日期是哪天？", docs)
    assert topic_signals(weak, "今天天气怎么样", docs) == (0.80, 0.0) and off_topic(
        weak, S, "今天天气怎么样", docs
    )


@pytest.fixture(scope="module")
def seeds_engine(tmp_path_factory):
    from answer import Engine
    from index.embed import make_embedder
    from index.policy import PolicyIndex

    s = settings.load(data_dir=str(tmp_path_factory.mktemp("data")), answer_mode="extractive")
    return Engine(s, index=PolicyIndex.in_memory(run.load_articles(s), make_embedder(s), s))


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["给我讲个笑话", "股票明天会涨吗", "我想去旅游，推荐个地方", "2025年世界杯谁夺冠"],  # a year is no topic
)
def test_the_real_index_refuses_chatter_that_shares_one_word_with_an_article(seeds_engine, question) -> None:
    a = seeds_engine.ask(question, mode="extractive")
    assert a.refused and a.citations == () and a.possibly_related == (), a.text
    assert a.text.startswith("现有政策文件中未找到") and "可能相关" not in a.text
    assert "“文库”页列有全部文件" in a.text  # what the assistant does cover


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "我们公司刚成立两年，没有抵押物，能贷到款吗？",  # everyday words, close in meaning
        "我们是做新材料的，第一批产品给客户用，有没有保险兜底？",
        "苏创融是什么？",  # a programme name: rare in everyday language
        "71号文的日期是哪天？",  # a document named by its 文号
    ],
)
def test_the_real_index_still_answers_everyday_questions_about_policy(seeds_engine, question) -> None:
    a = seeds_engine.ask(question, mode="extractive")
    assert not a.refused and a.citations, a.text
