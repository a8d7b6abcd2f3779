"""The rerank's readings saved as llama.cpp states (answer/reading_states.py, answer/likelihood.py).

The store is tested on its own with bytes; the reuse is tested with the real local model on real
articles of the laws library (slow): a restored reading must score as a cold one, a long article's
sentence reading must reuse its head's state, and a damaged file must only cost a cold reading.
"""

from __future__ import annotations

import dataclasses

import pytest

import settings
from answer.reading_states import ReadingStates, shared, state_key

# Verbatim from ../shared/library/laws (企业职工带薪年休假实施办法, the tuning half's laws).
LEAVE = "第十条用人单位经职工同意不安排年休假或者安排职工年休假天数少于应休年休假天数，应当在本年度内对职工应休未休年休假天数，按照其日工资收入的300%支付未休年休假工资报酬，其中包含用人单位支付职工正常工作期间的工资收入。"
YEAR_MEANS = "第十八条本办法中的“年度”是指公历年度。"
QUESTION = "员工今年的假没休，公司要多给多少钱？"


def test_a_saved_state_comes_back_as_it_was_written(tmp_path) -> None:
    store = ReadingStates(tmp_path, 10_000)
    store.put("k", [5, 6, 7], b"\x00state\xff")
    assert store.get("k") == ([5, 6, 7], b"\x00state\xff")
    assert store.get("other") is None
    assert not list(tmp_path.glob("*.tmp"))  # written under a temporary name, then renamed


@pytest.mark.parametrize("blob", [b"", b"PQKV1", b"PQKV1\x05\x00\x00\x00\x01", b"garbage" * 10])
def test_a_damaged_or_foreign_file_is_a_miss_not_an_error(tmp_path, blob) -> None:
    (tmp_path / "k.kv").write_bytes(blob)
    assert ReadingStates(tmp_path, 10_000).get("k") is None


def test_the_folder_stays_within_its_bound_oldest_first(tmp_path) -> None:
    import os

    store = ReadingStates(tmp_path, 1_000)
    for i in range(8):
        store.put(f"k{i}", [1], b"x" * 200)
        os.utime(tmp_path / f"k{i}.kv", (i, i))  # distinct ages, whatever the clock's resolution
    sizes = sum(p.stat().st_size for p in tmp_path.glob("*.kv"))
    assert sizes <= 1_000
    assert store.get("k7") is not None and store.get("k0") is None


def test_a_folder_that_cannot_be_written_loses_only_the_saving(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = ReadingStates(blocker / "states", 10_000)
    store.put("k", [1], b"s")  # logged, not raised: the reading was scored anyway
    assert store.get("k") is None


def test_keys_and_shared_prefixes() -> None:
    assert state_key("m:1", "w", "第一条") != state_key("m:1", "w2", "第一条")  # another template
    assert shared([1, 2, 3], [1, 2, 3, 4]) == 3 and shared([1], [2]) == 0


@pytest.fixture(scope="module")
def base():
    from answer.model_files import model_path

    s = settings.load()
    return dataclasses.replace(s, llm_model_path=str(model_path(s)))


@pytest.mark.slow
def test_a_restored_reading_scores_as_a_cold_one_and_reads_only_the_question(
    tmp_path, base, monkeypatch
) -> None:
    from answer import likelihood

    cold = likelihood.Likelihood(
        dataclasses.replace(base, data_dir=str(tmp_path / "off"), rerank_states_gb=0)
    )
    want = cold.scores([LEAVE[:120], YEAR_MEANS], QUESTION)
    on = dataclasses.replace(base, data_dir=str(tmp_path / "on"))
    first = likelihood.Likelihood(on).scores([LEAVE[:120], YEAR_MEANS], QUESTION)  # read and saved
    assert len(list((tmp_path / "on" / "rerank_states").glob("*.kv"))) == 2
    reads = []
    real_read = likelihood._read
    monkeypatch.setattr(
        likelihood, "_read", lambda llama, tokens: reads.append(len(tokens)) or real_read(llama, tokens)
    )
    again = likelihood.Likelihood(on).scores(
        [LEAVE[:120], YEAR_MEANS], QUESTION
    )  # a new reader: from the files
    assert reads == []  # nothing read from the start: each prompt came back from its state
    for got in (first, again):
        assert got == pytest.approx(want, abs=1.0)  # nats; the kept margins are 4 and 10
    assert again[0] > again[1] + 3  # and the order the model gives is kept


@pytest.mark.slow
def test_a_long_articles_sentence_reading_reuses_its_heads_state(tmp_path, base, monkeypatch) -> None:
    from answer import likelihood
    from answer.rerank import reading

    text = YEAR_MEANS[:-1] + "。" + "其他说明。" * 30 + LEAVE  # the sentence asked lies past the head
    sentence_reading = reading(text, LEAVE, 120)
    assert sentence_reading != text[:120] and sentence_reading.startswith(text[:60])
    cold = likelihood.Likelihood(
        dataclasses.replace(base, data_dir=str(tmp_path / "off"), rerank_states_gb=0)
    )
    want = cold.scores([sentence_reading], QUESTION)
    on = likelihood.Likelihood(dataclasses.replace(base, data_dir=str(tmp_path / "on")))
    assert on.prefill([reading(text, "", 120)]) == 1 and on.prefill([reading(text, "", 120)]) == 0
    reads = []
    real_read = likelihood._read
    monkeypatch.setattr(
        likelihood, "_read", lambda llama, tokens: reads.append(len(tokens)) or real_read(llama, tokens)
    )
    assert on.scores([sentence_reading], QUESTION) == pytest.approx(want, abs=1.0)
    assert reads == []  # the head came back; only the sentence and the question were read


@pytest.mark.slow
def test_a_damaged_state_costs_a_cold_reading_not_a_wrong_score(tmp_path, base) -> None:
    from answer import likelihood

    on = dataclasses.replace(base, data_dir=str(tmp_path))
    want = likelihood.Likelihood(on).scores([LEAVE[:120]], QUESTION)
    (saved,) = (tmp_path / "rerank_states").glob("*.kv")
    blob = saved.read_bytes()
    saved.write_bytes(blob[: len(blob) // 2])  # cut in half: tokens intact, the state not
    assert likelihood.Likelihood(on).scores([LEAVE[:120]], QUESTION) == pytest.approx(want, abs=1.0)
    saved.write_bytes(b"PQKV1" + blob[5:40])  # tokens cut: a miss
    assert likelihood.Likelihood(on).scores([LEAVE[:120]], QUESTION) == pytest.approx(want, abs=1.0)
