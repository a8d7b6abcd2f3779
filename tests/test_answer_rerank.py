"""Local mode's rerank: the model reads the first hits with the question (answer/rerank.py).

The likelihood itself is the real local model on real articles of the laws library (slow); the
engine's wiring uses a recording scorer, because what is under test there is which hits it reads
and in which modes, not the model.
"""

from __future__ import annotations

import time

import pytest
from answer_fakes import SEED, KeywordIndex

import settings
from answer import Engine
from answer.fake_llm import FakeLLM
from answer.llm import LLMFailed

# Verbatim from ../shared/library/laws (the tuning half's laws, eval/qa_laws_tune.jsonl lt-25, lt-16).
PRIZE = "第十条经营者进行有奖销售不得存在下列情形：\n（一）所设奖的种类、兑奖条件、奖金金额或者奖品等有奖销售信息不明确，影响兑奖；\n（二）采用谎称有奖或者故意让内定人员中奖的欺骗方式进行有奖销售；\n（三）抽奖式的有奖销售，最高奖的金额超过五万元。"
ONLINE_PRICES = "第二十条网络交易经营者不得实施下列行为：\n（一）在首页或者其他显著位置标示的商品或者服务价格低于在详情页面标示的价格；\n（二）公布的促销活动范围、规则与实际促销活动范围、规则不一致；\n（三）其他虚假的或者使人误解的价格标示和价格促销行为。"
LEAVE_PAID_OUT = "第十二条用人单位与职工解除或者终止劳动合同时，当年度未安排职工休满应休年休假的，应当按照职工当年已工作时间折算应休未休年休假天数并支付未休年休假工资报酬，但折算后不足1整天的部分不支付未休年休假工资报酬。"
YEAR_MEANS = "第十八条本办法中的“年度”是指公历年度。"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "answering", "other"),
    [
        ("搞抽奖促销，一等奖能不能送一辆十万块的车？", PRIZE, ONLINE_PRICES),  # plain search: rank 2
        ("员工年中辞职走了，他没休的假要不要折成钱给他？", LEAVE_PAID_OUT, YEAR_MEANS),  # rank 2
    ],
)
def test_the_local_model_finds_the_everyday_question_likelier_after_the_article_that_answers_it(
    question, answering, other
) -> None:
    from answer.likelihood import Likelihood

    s = settings.load()
    got = Likelihood(s).scores([other[: s.rerank_chars], answering[: s.rerank_chars]], question)
    assert got[1] > got[0] + 3, got  # nats: measured margins 17 and 11
    assert all(x < 0 for x in got)  # log-probabilities of a whole question


@pytest.mark.slow
def test_a_pasted_page_as_question_is_scored_on_its_start_not_refused_by_llama_cpp() -> None:
    from answer.likelihood import Likelihood

    s = settings.load()
    page = "员工年中辞职走了，他没休的假要不要折成钱给他？" * 90  # 2,070 characters: over the context
    got = Likelihood(s).scores([YEAR_MEANS, LEAVE_PAID_OUT], page)
    assert len(got) == 2 and all(-1e6 < x < 0 for x in got)


class Recording:
    """A scorer that prefers the text holding `word` and records what it was asked."""

    def __init__(self, word: str, fail: bool = False) -> None:
        self.word, self.fail, self.asked = word, fail, []

    def scores(self, texts, question):
        self.asked.append((list(texts), question))
        if self.fail:
            raise LLMFailed("fake failure")
        return [float(self.word in t) for t in texts]


class LocalFake(FakeLLM):
    name = "local"  # the engine reranks only for the local model


def engine(tmp_path, scorer, llm=None, refs=None, **kw) -> Engine:
    conf = settings.load(data_dir=str(tmp_path), refuse_min_vector=1.0, refuse_min_keyword=1.0, **kw)
    return Engine(conf, index=KeywordIndex(SEED, refs), llm=llm or LocalFake(), scorer=scorer)


QUESTION = "首贷有什么支持政策？"


def test_local_mode_streams_the_quotes_then_reads_the_first_articles_and_answers_in_its_order(
    tmp_path,
) -> None:
    plain = engine(tmp_path, Recording("")).evidence(QUESTION).articles
    scorer = Recording(plain[1].text[-12:])  # a phrase only the second article holds
    items = list(
        engine(
            tmp_path, scorer, rerank_depth=3, rerank_chars=10_000, rerank_margin=0.5, rerank_margin_two=0.5
        ).stream(QUESTION, mode="local")
    )
    first, answer = items[0], items[-1]
    texts = [t for read, asked in scorer.asked for t in read]
    assert {asked for _, asked in scorer.asked} == {QUESTION}
    assert texts == [a.text for a in plain[:3]]  # short articles: read whole, in the index's order
    assert plain[0].heading in first.split("[2]")[0]  # shown at once, in the index's order
    assert answer.citations[0].article == plain[1]  # the record: in the model's order
    assert plain[0] in [c.article for c in answer.citations]


class Slow(Recording):
    """Each text takes `seconds` to score."""

    def __init__(self, word: str, seconds: float) -> None:
        super().__init__(word)
        self.seconds = seconds

    def scores(self, texts, question):
        time.sleep(self.seconds * len(texts))
        return super().scores(texts, question)


def test_past_the_second_article_the_model_reads_only_within_the_time_budget(tmp_path) -> None:
    question = "科技企业融资支持"  # three evidence articles in the fake index
    plain = engine(tmp_path, Recording("")).evidence(question).articles
    assert len(plain) == 3
    third = plain[2].text[-12:]  # only the third article holds it: read, it would go first
    kw = {"rerank_depth": 3, "rerank_chars": 10_000, "rerank_margin": 0.5, "rerank_margin_two": 0.5}
    slow = Slow(third, 0.05)  # two texts take 0.1 s: a third would end past the 0.12 s budget
    a = engine(tmp_path, slow, rerank_budget_s=0.12, **kw).ask(question, mode="local")
    assert [len(read) for read, _ in slow.asked] == [2] and a.citations[0].article == plain[0]
    fast = Slow(third, 0.0)
    b = engine(tmp_path, fast, rerank_budget_s=0.12, **kw).ask(question, mode="local")
    assert [len(read) for read, _ in fast.asked] == [2, 1] and b.citations[0].article == plain[2]


def test_when_only_two_are_read_their_own_margin_decides(tmp_path) -> None:
    plain = engine(tmp_path, Recording("")).evidence(QUESTION).articles
    second = Recording(plain[1].text[-12:])  # prefers the second by 1 nat
    kw = {"rerank_depth": 2, "rerank_chars": 10_000, "rerank_margin": 0.5}
    moved = engine(tmp_path, second, rerank_margin_two=0.5, **kw).ask(QUESTION, mode="local")
    kept = engine(tmp_path, second, rerank_margin_two=2.0, **kw).ask(QUESTION, mode="local")
    assert moved.citations[0].article == plain[1] and kept.citations[0].article == plain[0]


def test_extractive_mode_and_other_writers_never_run_the_model(tmp_path) -> None:
    scorer = Recording("首贷")
    engine(tmp_path, scorer).ask(QUESTION, mode="extractive")
    engine(tmp_path, scorer, llm=FakeLLM()).ask(QUESTION, mode="local")  # a writer that is not local
    assert scorer.asked == []


def test_articles_named_by_number_are_not_reordered(tmp_path) -> None:
    scorer = Recording("首贷")
    a = engine(tmp_path, scorer, refs={"第8条": [SEED[-1]]}).ask("71号文第8条的条件是什么", mode="local")
    assert a.citations[0].article == SEED[-1] and scorer.asked == []


class Broken:
    def scores(self, texts, question):
        raise RuntimeError("a bug in the scorer")


@pytest.mark.parametrize("scorer", [Recording("首贷", fail=True), Broken()])
def test_a_failing_scorer_leaves_the_index_order(tmp_path, scorer) -> None:
    plain = engine(tmp_path, Recording("")).ask(QUESTION, mode="extractive")
    got = engine(tmp_path, scorer).ask(QUESTION, mode="local")
    assert [c.article for c in got.citations] == [c.article for c in plain.citations]


def test_rerank_depth_one_is_off(tmp_path) -> None:
    scorer = Recording("首贷")
    engine(tmp_path, scorer, rerank_depth=1).ask(QUESTION, mode="local")
    assert scorer.asked == []


def test_the_rerank_waits_in_the_models_queue_and_is_skipped_when_it_is_full(tmp_path) -> None:
    from answer.deadline import slots_for

    scorer = Recording("首贷")
    e = engine(tmp_path, scorer, queue_max=0, rerank_margin=0.5)
    slots = slots_for("local", e.settings.model_concurrency, 0)
    for _ in slots.acquire(float("inf"), "本地模型"):  # another answer holds the model
        pass
    try:
        a = e.ask(QUESTION, mode="local")
    finally:
        slots.release()
    assert scorer.asked == [] and a.citations  # no slot: the index's order, the quotes still answer
    e.ask(QUESTION, mode="local")
    assert len(scorer.asked) == 1  # the slot free again: the model reads


class Prefilling(Recording):
    """A scorer that records what it is asked to save ahead."""

    def __init__(self) -> None:
        super().__init__("")
        self.saved: list[str] = []

    def prefill(self, texts):
        self.saved += texts
        return len(texts)


def test_the_engine_saves_each_indexed_articles_reading_ahead_once(tmp_path) -> None:
    scorer = Prefilling()
    e = engine(tmp_path, scorer, rerank_chars=40)
    assert e.prefill_readings() == len(scorer.saved)
    heads = {a.text[:40] for a in e.index.articles()}
    assert set(scorer.saved) == heads and len(scorer.saved) == len(heads)  # each head once, whole head
    assert engine(tmp_path, Prefilling(), rerank_depth=1).prefill_readings() == 0  # rerank off: nothing


def test_the_apps_warm_up_saves_readings_only_in_local_mode(tmp_path) -> None:
    from ui.services import _warm

    for mode, want in (("local", True), ("extractive", False)):
        scorer = Prefilling()
        e = engine(tmp_path, scorer, answer_mode=mode)
        _warm(e)
        assert bool(scorer.saved) is want, mode
