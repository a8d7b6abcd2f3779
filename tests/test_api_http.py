"""The HTTP API served by `python app.py`, through a real HTTP client (httpx): every endpoint,
server-sent events, the OpenAI-compatible chat, auth, and bad input (a clear 4xx, never a 500)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.app_server import running_app

pytestmark = pytest.mark.slow
K71 = "（苏府办〔2022〕71号）"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    with (
        running_app(tmp_path_factory.mktemp("api")) as url,
        httpx.Client(base_url=url, timeout=120) as client,
    ):
        yield client


def events(response: httpx.Response) -> list[tuple[str, dict]]:
    """(event, data) pairs of a text/event-stream body."""
    out, event = [], "message"
    for line in response.iter_lines():
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            out.append((event, json.loads(line[6:]) if line[6:] != "[DONE]" else "[DONE]"))
            event = "message"
    return out


def test_ask_returns_the_answer_json_with_citations(api):
    r = api.post("/api/ask", json={"question": "首贷有什么支持政策？", "mode": "extractive"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mode"] == "extractive" and not body["refused"]
    assert body["citations"] and body["citations"][0]["label"].startswith("《")
    assert any(K71 in c["label"] for c in body["citations"])
    assert "[1]" in body["answer"]


def test_ask_with_history_and_filters(api):
    history = [
        {"role": "user", "content": "71号文第8条讲了什么"},
        {"role": "assistant", "content": "信保贷…[1]"},
    ]
    r = api.post(
        "/api/ask",
        json={
            "question": "那贴息呢？",
            "history": history,
            "mode": "extractive",
            "filters": {"docs": ["71号"]},
        },
    )
    assert r.status_code == 200, r.text
    assert all(K71 in c["label"] for c in r.json()["citations"])


def test_ask_streams_server_sent_events(api):
    with api.stream(
        "POST", "/api/ask", json={"question": "担保费补贴", "mode": "extractive", "stream": True}
    ) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        got = events(r)
    kinds = [e for e, _ in got]
    assert kinds[-1] == "answer" and "delta" in kinds
    streamed = "".join(d["text"] for e, d in got if e == "delta")
    assert streamed and got[-1][1]["citations"]


def test_search_articles_documents(api):
    r = api.post("/api/search", json={"query": "担保费补贴", "k": 3})
    hits = r.json()["hits"]
    assert r.status_code == 200 and len(hits) == 3 and [h["rank"] for h in hits] == [1, 2, 3]
    assert {"keyword_score", "vector_score", "score", "label"} <= set(hits[0])
    one = api.get(f"/api/articles/{hits[0]['chunk_id']}")
    assert one.status_code == 200 and one.json()["label"] == hits[0]["label"] and one.json()["text"]
    docs = api.get("/api/documents").json()
    assert docs["count"] == 5 and sum(d["articles"] for d in docs["documents"]) > 50
    assert any(d["doc_number"] == "苏府办〔2022〕71号" for d in docs["documents"])
    assert api.get("/api/articles/nope").status_code == 404


def test_openai_chat_completion(api):
    body = {"model": "policyqa-extractive", "messages": [{"role": "user", "content": "首贷有什么支持政策？"}]}
    r = api.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    reply = r.json()
    content = reply["choices"][0]["message"]["content"]
    assert reply["object"] == "chat.completion" and reply["choices"][0]["finish_reason"] == "stop"
    assert "来源：" in content and K71 in content and reply["citations"]
    assert api.get("/v1/models").json()["data"][0]["id"] == "policyqa"


def test_openai_chat_completion_stream(api):
    body = {
        "model": "policyqa-extractive",
        "stream": True,
        "messages": [{"role": "user", "content": "71号文第8条"}],
    }
    with api.stream("POST", "/v1/chat/completions", json=body) as r:
        assert r.status_code == 200
        got = events(r)
    assert got[-1][1] == "[DONE]"
    chunks = [d for _, d in got[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "信保贷" in text and "来源：" in text
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["citations"]


@pytest.mark.parametrize(
    ("path", "content", "status", "words"),
    [
        ("/api/ask", b"{not json", 400, "JSON 格式错误"),
        ("/api/ask", b"", 400, "请求体为空"),
        ("/api/ask", b"[1, 2]", 400, "JSON 对象"),
        ("/api/ask", b"\xff\xfe", 400, "UTF-8"),
        ("/api/ask", json.dumps({"question": "首贷", "mode": "gpt"}).encode(), 400, "未知的回答方式"),
        ("/api/ask", json.dumps({"question": 3}).encode(), 422, "question"),
        ("/api/ask", json.dumps({"q": "首贷"}).encode(), 422, "question"),
        (
            "/api/ask",
            json.dumps({"question": "首贷", "filters": {"city": "x"}}).encode(),
            400,
            "未知的筛选条件",
        ),
        ("/api/search", json.dumps({"query": "  "}).encode(), 400, "query 为空"),
        ("/api/search", json.dumps({"query": "贴息", "k": 1000}).encode(), 422, "k"),
        (
            "/v1/chat/completions",
            json.dumps({"model": "policyqa-gpt", "messages": [{"role": "user", "content": "x"}]}).encode(),
            400,
            "未知的模型",
        ),
        ("/v1/chat/completions", json.dumps({"messages": []}).encode(), 422, "messages"),
        (
            "/v1/chat/completions",
            json.dumps({"messages": [{"role": "assistant", "content": "x"}]}).encode(),
            400,
            "user",
        ),
    ],
)
def test_bad_input_gets_a_clear_4xx(api, path, content, status, words):
    r = api.post(path, content=content, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert words in r.json()["error"]["message"]


def test_a_10_mb_body_is_refused_before_parsing(api):
    big = b'{"question": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    r = api.post("/api/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "请求体过大" in r.json()["error"]["message"]

    def chunked():  # no content-length: counted while it is read
        for _ in range(10):
            yield b"x" * (1024 * 1024)

    r = api.post("/api/ask", content=chunked(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_a_20000_character_question_is_answered_not_refused(api):
    r = api.post("/api/ask", json={"question": "首贷" + "啊" * 20000, "mode": "extractive"})
    assert r.status_code == 200 and any("问题过长" in w for w in r.json()["warnings"])


def test_auth_basic_and_bearer(tmp_path):
    app = running_app(tmp_path, "--auth", "staff:s3cret", env={"POLICYQA_API_TOKEN": "tok-123"})
    with app as url, httpx.Client(base_url=url, timeout=120) as client:
        body = {"query": "贴息"}
        denied = client.post("/api/search", json=body)
        assert denied.status_code == 401 and "需要登录" in denied.json()["error"]["message"]
        assert denied.headers["www-authenticate"].startswith("Basic")
        assert client.post("/api/search", json=body, auth=("staff", "wrong")).status_code == 401
        assert client.post("/api/search", json=body, auth=("staff", "s3cret")).status_code == 200
        bearer = {"Authorization": "Bearer tok-123"}
        assert client.post("/api/search", json=body, headers=bearer).status_code == 200
        assert client.get("/api/documents", headers={"Authorization": "Bearer s3cret"}).status_code == 401
        assert client.get("/v1/models").status_code == 401
        chat = {"model": "policyqa-extractive", "messages": [{"role": "user", "content": "首贷"}]}
        assert client.post("/v1/chat/completions", json=chat, headers=bearer).status_code == 200
