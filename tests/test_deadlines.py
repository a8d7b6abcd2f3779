"""Finding 2: one wall-clock deadline per answer, and model-free answers never wait behind a model.

A local HTTP server that accepts connections and never replies stands in for a hung
API (the real llama-index client talks to it); a writer that blocks before its first
piece stands in for a stuck local model.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

import pytest
from answer_fakes import SEED, KeywordIndex

import settings
from answer import Engine
from answer.deadline import QueueFull, Slots, Waiting
from answer.fake_llm import FakeLLM
from answer.llm import LLMFailed

QUESTION = "首贷有什么支持政策？"


@contextmanager
def hung_server():
    """127.0.0.1:<port> accepts every connection and never sends a byte."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held, stop = [], threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        stop.set()
        t.join(2)
        for c in held:
            c.close()
        sock.close()


def conf(tmp_path, **kw):
    return settings.load(data_dir=str(tmp_path), refuse_min_vector=1.0, refuse_min_keyword=1.0, **kw)


class Stuck(FakeLLM):
    """Blocks before its first piece until released (a model reading a huge prompt, a dead socket)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def stream(self, messages, max_tokens):
        self.release.wait(60)
        yield from super().stream(messages, max_tokens)


def test_a_hung_api_costs_at_most_the_timeout(tmp_path) -> None:
    with hung_server() as base:
        s = conf(tmp_path, api_base=base, api_model="m", llm_timeout_s=3.0)
        engine = Engine(s, index=KeywordIndex(SEED))
        engine.warm("api")  # the client library is imported once, before any deadline
        started = time.monotonic()
        a = engine.ask(QUESTION, mode="api")
        took = time.monotonic() - started
    assert took <= 3.0 + 1.5, f"{took:.1f} s"  # was 2 x timeout + backoff: the client retried once
    assert a.mode == "extractive" and "超过3秒" in a.fallback_reason and a.citations


def test_a_writer_stuck_before_its_first_piece_is_abandoned_at_the_deadline(tmp_path) -> None:
    llm = Stuck()
    started = time.monotonic()
    a = Engine(conf(tmp_path, llm_timeout_s=1.0), index=KeywordIndex(SEED), llm=llm).ask(
        QUESTION, mode="local"
    )
    took = time.monotonic() - started
    llm.release.set()
    assert took <= 2.0, f"{took:.1f} s"  # the deadline used to be checked only between pieces
    assert a.mode == "extractive" and a.fallback_reason.startswith("模型超过1秒未完成")


def test_a_queued_answer_reports_its_position_and_the_deadline_covers_the_wait(tmp_path) -> None:
    # queue_max 7: a queue of its own, with no pace measured by other tests (no early fallback)
    s = conf(tmp_path, llm_timeout_s=1.5, model_concurrency=1, queue_max=7)
    llm = Stuck()
    patient = conf(
        tmp_path, llm_timeout_s=10.0, model_concurrency=1, queue_max=7
    )  # holds the slot throughout
    first = threading.Thread(
        target=lambda: Engine(patient, index=KeywordIndex(SEED), llm=llm).ask(QUESTION, mode="local")
    )
    first.start()
    time.sleep(0.3)
    started = time.monotonic()
    items = list(Engine(s, index=KeywordIndex(SEED), llm=llm).stream(QUESTION, mode="local", progress=True))
    took = time.monotonic() - started
    llm.release.set()
    first.join(5)
    waits = [i for i in items if isinstance(i, Waiting)]
    assert waits and waits[0].position == 1
    answer = items[-1]
    assert answer.mode == "extractive" and "繁忙" in answer.fallback_reason
    assert took <= 1.5 + 0.7 and answer.latency_ms >= 1000  # latency counts the wait: the real time


def test_slots_are_first_come_first_served_and_refuse_beyond_the_cap() -> None:
    slots = Slots(limit=1, max_waiting=1)
    far = time.monotonic() + 5
    list(slots.acquire(far, "模型"))  # holds the only slot
    second = slots.acquire(far, "模型")
    assert next(second) == Waiting(1, pytest.approx(0, abs=0.2))
    with pytest.raises(QueueFull, match="排队已满"):
        list(slots.acquire(far, "模型"))
    slots.release()
    assert list(second) == []  # its turn came
    slots.release()


def test_model_free_answers_do_not_wait_for_a_busy_model(tmp_path) -> None:
    s = conf(tmp_path, llm_timeout_s=5.0)
    llm = Stuck()
    busy = threading.Thread(target=lambda: Engine(s, index=KeywordIndex(SEED), llm=llm).ask(QUESTION))
    busy.start()
    time.sleep(0.2)
    started = time.monotonic()
    a = Engine(s, index=KeywordIndex(SEED), llm=llm).ask(QUESTION, mode="extractive")
    assert time.monotonic() - started < 1.0 and a.mode == "extractive" and a.citations
    llm.release.set()
    busy.join(5)


def test_a_turn_that_cannot_come_in_time_falls_back_at_once() -> None:
    slots = Slots(limit=1, max_waiting=10)
    list(slots.acquire(time.monotonic() + 60, "本地模型"))
    slots.release(40.0)  # one generation took 40 s
    list(slots.acquire(time.monotonic() + 60, "本地模型"))  # busy again
    started = time.monotonic()
    with pytest.raises(LLMFailed, match="前面还有1个问题，预计需等40秒"):
        list(slots.acquire(time.monotonic() + 30, "本地模型"))  # 30 s left < 40 s expected
    assert time.monotonic() - started < 1.0
    slots.release()
