"""eval.offtopic: probes no policy answers, counted when the engine answers them anyway."""

from __future__ import annotations

from answer_fakes import SEED, KeywordIndex

import settings
from answer import Engine
from answer.fake_llm import FakeLLM
from eval.offtopic import answered, probes


def test_the_probes_are_questions_about_anything_but_policy() -> None:
    found = probes()
    assert len(found) >= 20 and len(set(found)) == len(found)
    assert not any(w in q for q in found for w in ("政策", "补贴", "贷款", "条例"))


def test_answered_lists_what_the_engine_did_not_refuse_with_its_quotes(tmp_path) -> None:
    s = settings.load(data_dir=str(tmp_path), refuse_min_vector=1.0, refuse_min_keyword=1.0)
    engine = Engine(s, index=KeywordIndex(SEED), llm=FakeLLM())
    found = answered(engine, ["今天天气怎么样？", "首贷有什么支持？"])
    assert [f["question"] for f in found] == ["首贷有什么支持？"]  # the fake index matches words only
    assert found[0]["quoted"] and all("《" in label for label in found[0]["quoted"])
