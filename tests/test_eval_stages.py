"""eval.stages: the first stage at which a question's gold article is lost (index faked: the
stages after retrieval are what is under test)."""

from __future__ import annotations

from answer_fakes import SEED, KeywordIndex

import settings
from answer import Engine
from answer.fake_llm import FakeLLM
from eval.stages import STAGES, stages


def item(i: str, question: str, quote: str) -> dict:
    return {"id": i, "question": question, "evidence": [{"doc": "苏府办〔2022〕71号", "quote": quote}]}


def test_each_question_lands_in_the_stage_that_lost_its_gold(tmp_path) -> None:
    s = settings.load(data_dir=str(tmp_path), refuse_min_vector=1.0, refuse_min_keyword=1.0)
    engine = Engine(s, index=KeywordIndex(SEED), llm=FakeLLM())
    items = [
        item("cited", "首贷信用贷有什么支持？", "支持无贷企业获得首次贷款"),
        item("absent", "首贷信用贷有什么支持？", "这句话不在任何条文里"),
        {"id": "unanswerable", "question": "个税怎么算？", "evidence": []},
    ]
    found = stages(engine, items, s)
    assert found == {STAGES[0]: ["absent"], STAGES[5]: ["cited"]}
    floors = settings.load(data_dir=str(tmp_path), refuse_min_vector=1.0, refuse_min_keyword=99.0)
    strict = Engine(floors, index=KeywordIndex(SEED), llm=FakeLLM())
    assert stages(strict, items[:1], floors) == {STAGES[1]: ["cited"]}
