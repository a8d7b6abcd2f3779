"""eval.offtopic: probes no policy answers, counted when the engine answers them anyway."""

from __future__ import annotations

from answer_fakes import SEED, KeywordIndex

import settings
from answer import Engine
from answer.fake_llm import FakeLLM
from eval.offtopic import HELDOUT_PROBES, answered, fit, probes
from eval.qa_check import load_qa


def test_the_probes_are_questions_about_anything_but_policy() -> None:
    for found in (probes(), probes(HELDOUT_PROBES)):
        assert len(found) >= 20 and len(set(found)) == len(found)
        assert not any(w in q for q in found for w in ("政策", "补贴", "贷款", "条例"))
    assert not set(probes()) & set(probes(HELDOUT_PROBES))


def test_fit_refuses_the_most_probes_while_answerable_questions_keep_their_margin() -> None:
    answerable = [(0.893, 12.0), (0.86, 21.0), None]  # None: a question naming an article
    offtopic = [(0.80, 10.0), (0.87, 11.0), (0.874, 20.0), (0.89, 5.0)]
    got = fit(answerable, offtopic)
    # An information floor above 12 nats would need a cosine floor of at most 0.893 - MARGIN (2
    # probes refused); at 12 nats the cosine floor may rise above 0.89 (3 refused). 20 nats never:
    # the 0.86 question shares only 21.
    assert (got["topic_min_cosine"], got["topic_min_information"]) == (0.895, 12.0)
    assert got["probes_refused"] == 3 and got["answerable"] == 2
    assert fit([(0.80, 0.0)], offtopic)["topic_min_cosine"] == 0.0  # nothing admissible: off


def test_answered_lists_what_the_engine_did_not_refuse_with_its_quotes(tmp_path) -> None:
    s = settings.load(data_dir=str(tmp_path), refuse_min_vector=1.0, refuse_min_keyword=1.0)
    engine = Engine(s, index=KeywordIndex(SEED), llm=FakeLLM())
    found = answered(engine, ["今天天气怎么样？", "首贷有什么支持？"])
    assert [f["question"] for f in found] == ["首贷有什么支持？"]  # the fake index matches words only
    assert found[0]["quoted"] and all("《" in label for label in found[0]["quoted"])


def test_the_check_reports_every_corpus_its_probes_and_each_sets_answerable_questions(tmp_path) -> None:
    from eval.offtopic import run_check
    from eval.sets import SETS

    # the fake embedder: the report's shape is under test here, the floors are fitted on the real one
    out = run_check(settings.load(data_dir=str(tmp_path), embedder="fake"))
    assert set(out) == {"seeds", "laws", "fresh"}
    for row in out.values():
        assert (row["probes"]["n"], row["heldout_probes"]["n"]) == (22, 60)
    sets_reported = {name for row in out.values() for name in row if name in SETS}
    assert sets_reported == set(SETS)
    assert out["seeds"]["qa"]["answerable"] == 112 and out["fresh"]["qa_unanswerable"]["answerable"] == 0
    for row in out.values():
        for name in sets_reported & set(row):
            assert set(row[name]["judged_off_topic"]) <= {i["id"] for i in load_qa(SETS[name][0])}
