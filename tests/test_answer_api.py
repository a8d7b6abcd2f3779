"""The OpenAI-compatible writer against a tiny local server (answer_fakes.openai_server): no external network."""

from __future__ import annotations

import json
import logging

import pytest
from answer_fakes import SEED, KeywordIndex, openai_server

import settings
from answer import Engine

KEY = "sk-test-SECRET-5f2a9c"


@pytest.fixture
def server():
    with openai_server() as srv:
        yield srv


@pytest.fixture
def conf(server, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYQA_API_KEY", KEY)  # the documented way to pass the key
    return settings.load(
        data_dir=str(tmp_path),
        api_base=f"http://127.0.0.1:{server.server_port}/v1",
        api_model="test-model",
        refuse_min_vector=1.0,
        refuse_min_keyword=1.0,
        llm_timeout_s=60.0,  # the first call imports llama-index: >10 s on a loaded 2-core machine
    )


def test_api_mode_answers_with_valid_citations(server, conf) -> None:
    a = Engine(conf, index=KeywordIndex(SEED)).ask("首贷有什么支持政策？", mode="api")
    assert (a.mode, a.fallback_reason, a.invalid_citations) == ("api", "", 0)
    assert a.text.startswith("答：发挥“首贷”政策作用，支持无贷企业获得首次贷款[1]。")
    assert a.citations[0].article.doc.doc_number == "苏府办〔2022〕71号"
    [req] = server.seen
    assert req["path"] == "/v1/chat/completions" and req["body"]["model"] == "test-model"
    assert req["body"]["stream"] is True
    assert [m["role"] for m in req["body"]["messages"]] == ["system", "user"]


def test_api_streams_pieces(server, conf) -> None:
    *pieces, final = list(Engine(conf, index=KeywordIndex(SEED)).stream("首贷有什么支持政策？", mode="api"))
    assert len(pieces) > 1 and final.text.endswith("".join(pieces))  # the checked lead goes on top
    assert final.text.startswith("答：") and final.mode == "api"


def test_key_reaches_the_server_and_nothing_else(server, conf, caplog) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, including openai's and httpx's
    engine = Engine(conf, index=KeywordIndex(SEED))
    answer = engine.ask("首贷有什么支持政策？", mode="api")
    assert server.seen[0]["auth"] == f"Bearer {KEY}"
    assert KEY not in caplog.text
    assert KEY not in json.dumps(answer.to_json(), ensure_ascii=False)
    assert KEY not in repr(engine._writers["api"]) and KEY not in repr(conf)
    assert conf.public()["api_key"] == "***"


def test_server_error_falls_back_without_leaking_the_key(server, conf, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server.fail = True
    a = Engine(conf, index=KeywordIndex(SEED)).ask("首贷有什么支持政策？", mode="api")
    assert a.mode == "extractive" and a.citations
    assert a.fallback_reason == "API 调用失败：InternalServerError，已改用摘录模式"
    assert KEY not in caplog.text and KEY not in a.fallback_reason


def test_unreachable_endpoint_falls_back(tmp_path) -> None:
    conf = settings.load(
        data_dir=str(tmp_path),
        api_base="http://127.0.0.1:9/v1",  # discard port: nothing listens
        api_model="m",
        refuse_min_vector=1.0,
        refuse_min_keyword=1.0,
        llm_timeout_s=5.0,
    )
    a = Engine(conf, index=KeywordIndex(SEED)).ask("首贷有什么支持政策？", mode="api")
    assert a.mode == "extractive" and a.fallback_reason.startswith("API 调用失败：")
