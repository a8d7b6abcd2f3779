"""The OpenAI-compatible stream carries the answer's final text, whose [n] match the citations sent.

A model's answer re-makes what was streamed first (the lead goes on top; the quotes follow the local
model's order, answer/rerank.py), and a delta cannot be taken back: with a model the record goes out
whole at the end. The engine is real; its writer and rerank scorer are fakes, since what is under
test is what the endpoint sends.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

from answer_fakes import SEED, KeywordIndex

import settings
from answer import Engine
from answer.fake_llm import FakeLLM
from api.models import ChatBody
from api.openai_compat import chunks, sources_text

QUESTION = "首贷有什么支持政策？"


class LocalFake(FakeLLM):
    name = "local"


class PrefersSecond:
    """Finds the question likeliest after the article the index put second."""

    def __init__(self, text: str) -> None:
        self.text = text

    def scores(self, texts, question):
        return [20.0 * (t == self.text) for t in texts]


def services(tmp_path, **kw):
    conf = settings.load(data_dir=str(tmp_path), refuse_min_vector=1.0, refuse_min_keyword=1.0, **kw)
    plain = Engine(conf, index=KeywordIndex(SEED)).evidence(QUESTION).articles
    engine = Engine(conf, index=KeywordIndex(SEED), llm=LocalFake(), scorer=PrefersSecond(plain[1].text))
    return SimpleNamespace(settings=conf, engine=engine), plain


def content_of(lines: list[str]) -> tuple[str, list[dict]]:
    data = [json.loads(x[6:]) for x in lines if x.startswith("data: {")]
    text = "".join(d["choices"][0]["delta"].get("content", "") for d in data)
    return text, data[-1]["citations"]


def test_a_local_answer_streams_its_final_text_and_its_numbers_match_the_citations(tmp_path) -> None:
    svc, plain = services(tmp_path, rerank_chars=10_000)
    lines = list(
        chunks(svc, ChatBody(model="policyqa-local", messages=[{"role": "user", "content": QUESTION}]))
    )
    text, citations = content_of(lines)
    record = svc.engine.ask(QUESTION, mode="local")
    assert text == record.text + sources_text(record)  # the record, once: not the quotes streamed first
    first = citations[0]
    assert first["n"] == 1 and plain[1].text.startswith(first["text"][:20])  # the model's order, numbered so
    assert text.count("来源：") == 1 and re.search(r"\[1\]", text)
    assert any(x.startswith(": ") for x in lines)  # kept alive while the model worked


def test_quotes_alone_still_stream_piece_by_piece(tmp_path) -> None:
    svc, _ = services(tmp_path)
    body = ChatBody(model="policyqa-extractive", messages=[{"role": "user", "content": QUESTION}])
    lines = list(chunks(svc, body))
    text, citations = content_of(lines)
    record = svc.engine.ask(QUESTION, mode="extractive")
    assert text == record.text + sources_text(record) and citations
    assert not any(x.startswith(": ") for x in lines)
