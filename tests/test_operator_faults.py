"""Findings 5 and 6: what operators see when things go wrong, and the library's bookkeeping.

Login brake, queue-full message, feedback that cannot be written, document ids from the
path inside the corpus, duplicate files, a damaged CURRENT pointer, a corrupt model
file, and a punctuation-only question.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from answer_fakes import SEED, KeywordIndex

import settings
from answer import Engine
from answer.fake_llm import FakeLLM
from index import store
from index.__main__ import main as index_main
from ingest.pipeline import doc_id_for, load_corpus
from ingest.record import sha1
from ui import chat, feedback
from ui.login import LoginGuard

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "首贷有什么支持政策？"


# --- login -------------------------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_repeated_wrong_passwords_lock_the_account_then_it_reopens() -> None:
    clock = Clock()
    guard = LoginGuard("staff", "s3cret", max_failures=5, lockout_s=30, clock=clock)
    accepted = [guard("staff", f"guess{i}") for i in range(40)]
    assert accepted == [False] * 40
    assert guard("staff", "s3cret") is False  # locked: even the right password waits
    clock.now += 31
    for i in range(5):
        guard("staff", f"again{i}")
    clock.now += 31
    assert guard("staff", "s3cret") is False  # the second lockout is twice as long
    clock.now += 30
    assert guard("staff", "s3cret") is True
    for i in range(5):
        guard("staff", f"later{i}")
    clock.now += 31
    assert guard("staff", "s3cret") is True  # a success resets the doubling


def test_guessing_many_names_is_capped_too() -> None:
    clock = Clock()
    guard = LoginGuard("staff", "s3cret", global_per_min=10, clock=clock)
    for i in range(10):
        guard(f"user{i}", "x")
    assert guard("staff", "s3cret") is False
    clock.now += 61
    assert guard("staff", "s3cret") is True


def test_app_wires_the_login_brake() -> None:
    from app import login_guard

    guard = login_guard(settings.load(auth="staff:s3cret", login_max_failures=3))
    assert [guard("staff", "no") for _ in range(3)] == [False] * 3
    assert guard("staff", "s3cret") is False


# --- queue full, feedback ---------------------------------------------------------------------
def test_a_full_model_queue_answers_by_extraction_and_says_so_in_chinese(tmp_path) -> None:
    s = settings.load(
        data_dir=str(tmp_path), refuse_min_keyword=1.0, refuse_min_vector=1.0, queue_max=0, llm_timeout_s=5
    )
    release = threading.Event()

    class Busy(FakeLLM):
        def stream(self, messages, max_tokens):
            release.wait(10)
            yield from super().stream(messages, max_tokens)

    llm = Busy()
    first = threading.Thread(target=lambda: Engine(s, index=KeywordIndex(SEED), llm=llm).ask(QUESTION))
    first.start()
    time.sleep(0.3)
    services = SimpleNamespace(settings=s, engine=Engine(s, index=KeywordIndex(SEED), llm=llm))
    box, history, _, status, *_ = list(chat.respond(services, QUESTION, [], "local", []))[-1]
    release.set()
    first.join(5)
    assert "排队已满" in status and "摘录" in status
    assert "首贷" in history[-1]["content"]  # answered, not lost


def test_a_failed_feedback_write_keeps_the_rating_and_says_so(tmp_path, monkeypatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(chat.gr, "Warning", lambda msg, *a, **k: warned.append(msg))
    monkeypatch.setattr(chat.gr, "Info", lambda *a, **k: None)
    blocked = tmp_path / "feedback.jsonl"
    blocked.mkdir()  # a directory where the log should be: every write fails
    turn = {"message_index": 1, "question": "q", "answer": "a", "mode": "extractive", "citations": []}
    services = SimpleNamespace(feedback_path=blocked)
    chat.rate(services, [turn], SimpleNamespace(index=1, liked=True))
    assert warned and "反馈未能保存" in warned[0] and "暂存" in warned[0]
    assert feedback.pending() == 1
    good = SimpleNamespace(feedback_path=tmp_path / "ok.jsonl")
    chat.rate(good, [turn], SimpleNamespace(index=1, liked=False))
    lines = [json.loads(x) for x in (tmp_path / "ok.jsonl").read_text().splitlines()]
    assert [x["rating"] for x in lines] == ["up", "down"] and feedback.pending() == 0


# --- document ids, duplicates ---------------------------------------------------------------------
def _write(path: Path, title: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n一、措施\n1．{body}\n", "utf-8")


def test_same_file_name_in_two_folders_gives_two_documents(tmp_path) -> None:
    _write(tmp_path / "苏州" / "通知.txt", "苏州市关于贴息的通知", "对首贷企业给予贴息。")
    _write(tmp_path / "无锡" / "通知.txt", "无锡市关于担保的通知", "对担保机构给予补贴。")
    _write(tmp_path / "顶层.txt", "顶层文件", "对企业给予奖励。")
    result = load_corpus(settings.load(corpus_dir=str(tmp_path)))
    docs = {a.doc.source: a.doc.doc_id for a in result.articles}
    assert set(docs) == {"苏州/通知.txt", "无锡/通知.txt", "顶层.txt"}
    assert len(set(docs.values())) == 3
    assert docs["顶层.txt"] == sha1("顶层.txt")[:12]  # a top-level file keeps the id it always had
    assert doc_id_for(tmp_path / "苏州" / "通知.txt", tmp_path) == docs["苏州/通知.txt"]


def test_a_duplicated_file_is_indexed_once_and_reported(tmp_path) -> None:
    _write(tmp_path / "a.txt", "关于贴息的通知", "对首贷企业给予贴息。")
    (tmp_path / "副本").mkdir()
    (tmp_path / "副本" / "b.md").write_text(
        (tmp_path / "a.txt").read_text("utf-8").replace("\n", "\r\n"), "utf-8"
    )
    result = load_corpus(settings.load(corpus_dir=str(tmp_path)))
    assert {a.doc.source for a in result.articles} == {"a.txt"}
    assert result.duplicates == [("副本/b.md", "a.txt")]
    assert any("duplicate" in n and "副本/b.md" in n for n in result.notes)


# --- damaged pointer ---------------------------------------------------------------------------------
@pytest.fixture
def built(tmp_path):
    args = ["--corpus-dir", str(ROOT / "corpus"), "--data-dir", str(tmp_path), "--embedder", "fake"]
    assert index_main(["refresh", *args]) == 0
    return tmp_path, args


@pytest.mark.parametrize("damage", ['{"generation": "g-gone"}', "{not json", "", '["x"]'])
def test_a_damaged_pointer_is_reported_and_repaired_never_a_traceback(built, damage, capsys) -> None:
    data, args = built
    pointer = data / "index" / store.POINTER
    good = json.loads(pointer.read_text())
    pointer.write_text(damage)
    assert index_main(["search", "首贷", "--json", *args]) == 0
    assert json.loads(capsys.readouterr().out)["hits"]
    assert index_main(["refresh", *args]) == 0
    assert json.loads(pointer.read_text()) == good


def test_a_damaged_pointer_with_no_index_left_says_what_to_run(built) -> None:
    data, args = built
    (data / "index" / store.POINTER).write_text("{garbage")
    for g in (data / "index" / "generations").iterdir():
        (g / "manifest.json").unlink()
    done = subprocess.run(
        [sys.executable, "-m", "index", "lookup", "71号文第8条", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in done.stderr and "python -m index refresh" in done.stderr


# --- corrupt model, punctuation-only question -----------------------------------------------------------
def test_a_corrupt_model_file_is_named_as_such(tmp_path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 4096)
    s = settings.load(
        data_dir=str(tmp_path), llm_model_path=str(bad), refuse_min_keyword=1.0, refuse_min_vector=1.0
    )
    a = Engine(s, index=KeywordIndex(SEED)).ask(QUESTION, mode="local")
    assert a.mode == "extractive" and a.citations
    assert "模型文件损坏" in a.fallback_reason and "ValueError" not in a.fallback_reason


def test_punctuation_only_is_not_taken_for_an_injection(tmp_path) -> None:
    s = settings.load(data_dir=str(tmp_path))
    a = Engine(s, index=KeywordIndex(SEED)).ask("？？？！！！")
    assert a.refused and "没有文字" in a.text and "改变规则" not in a.text


def test_a_full_chat_says_so_in_chinese_and_keeps_the_question(tmp_path) -> None:
    s = settings.load(data_dir=str(tmp_path), chat_concurrency=2)
    services = SimpleNamespace(settings=s, engine=Engine(s, index=KeywordIndex(SEED)))
    chat.ADMISSION.enter(99)
    chat.ADMISSION.enter(99)  # two questions in progress: the cap
    try:
        [(box, history, _, status, *_)] = list(chat.respond(services, QUESTION, [], "extractive", []))
    finally:
        chat.ADMISSION.leave()
        chat.ADMISSION.leave()
    assert box == QUESTION and history == []
    assert "已满" in status and "2 个" in status and "保留在输入框" in status
    *_, (box, history, _, status, *_) = chat.respond(services, QUESTION, [], "extractive", [])
    assert box == "" and "首贷" in str(history[-1]["content"])  # admitted again once one finished
