"""`POST /v1/chat/completions` in OpenAI's shape, so existing chat front ends can use the service.

The last user message is the question, earlier turns the history. The reply's
content ends with the sources (`[n] 《title》（文号）article`) so a plain front end
shows them; `citations` (and the whole Answer under `policyqa`) carry them as data.
Models: `policyqa` (the server's answer mode) or `policyqa-local|api|extractive`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

from answer.record import MODES, Answer
from api import answers
from api.errors import ApiError
from api.models import ChatBody, history_of

PREFIX = "policyqa"
MODELS = (PREFIX, *(f"{PREFIX}-{m}" for m in MODES))


def model_mode(model: str) -> str | None:
    """'policyqa-local' -> 'local'; 'policyqa' / '' -> None (server default); else 400.

    >>> model_mode("policyqa-extractive"), model_mode("")
    ('extractive', None)
    """
    if model in ("", PREFIX):
        return None
    mode = model.removeprefix(PREFIX + "-")
    if mode in MODES:
        return mode
    raise ApiError(400, f"未知的模型 {model!r}：可选 {', '.join(MODELS)}")


def question_and_history(body: ChatBody) -> tuple[str, list[dict]]:
    turns = history_of(body.messages)
    if not turns or turns[-1]["role"] != "user":
        raise ApiError(400, "messages 的最后一条应为 user 消息（要回答的问题）")
    return turns[-1]["content"], turns[:-1]


def sources_text(answer: Answer) -> str:
    if not answer.citations:
        return ""
    lines = [f"[{c.n}] {c.article.label}" for c in answer.citations]
    return "\n\n来源：\n" + "\n".join(lines)


def completion(answer: Answer, model: str) -> dict:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model or PREFIX,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.text + sources_text(answer)},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},  # not counted
        "citations": [c.to_json() for c in answer.citations],
        "policyqa": answer.to_json(),
    }


def chunks(services, body: ChatBody) -> Iterator[str]:
    """`data: {chat.completion.chunk}` lines; the last chunk carries the sources and citations."""
    mode = model_mode(body.model)
    question, history = question_and_history(body)
    cid, created, model = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time()), body.model or PREFIX

    def chunk(delta: dict, finish: str | None = None, **extra) -> str:
        data = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant"})
    # A model's answer re-makes what was streamed (the lead goes on top, the quotes follow the model's
    # order, answer/rerank.py) and a delta cannot be taken back: with a model, the record's text goes
    # out whole at the end, with keep-alive comments meanwhile; quotes alone stream as they come.
    whole = (mode or services.settings.answer_mode) != "extractive"
    streamed = []
    try:
        for item in answers.stream(services, question, history, mode, None):
            if isinstance(item, Answer):
                shown = "".join(streamed)
                rest = item.text[len(shown) :] if item.text.startswith(shown) else "\n\n" + item.text
                content = rest + sources_text(item)
                yield chunk(
                    {"content": content} if content else {},
                    "stop",
                    citations=[c.to_json() for c in item.citations],
                )
            elif isinstance(item, str) and whole:
                yield ": …\n\n"  # an SSE comment: the connection stays open while the model works
            elif isinstance(item, str) and item:
                streamed.append(item)
                yield chunk({"content": item})
    except Exception as e:  # headers are sent: say it in the text, end the stream properly
        yield chunk({"content": f"\n\n（回答时出错：{type(e).__name__}）"}, "stop")
    yield "data: [DONE]\n\n"


def models_list() -> dict:
    return {
        "object": "list",
        "data": [{"id": m, "object": "model", "created": 0, "owned_by": "policyqa"} for m in MODELS],
    }
