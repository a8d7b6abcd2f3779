"""Calling the engine for the API: streamed pieces, then the final Answer; engine faults as clear errors."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from answer.record import Answer
from api.errors import ApiError

log = logging.getLogger(__name__)


def stream(services, question: str, history: list[dict], mode: str | None, filters) -> Iterator[str | Answer]:
    """The engine's stream (answers that need a model wait for the shared slot: ui.services.OneAtATime)."""
    return services.engine.stream(question, history, mode=mode, filters=filters)


def ask(services, question: str, history: list[dict], mode: str | None, filters) -> Answer:
    final = None
    try:
        for item in stream(services, question, history, mode, filters):
            if isinstance(item, Answer):
                final = item
    except ValueError as e:  # the engine's own argument checks (an unknown mode …)
        raise ApiError(400, str(e)) from None
    except Exception as e:
        log.exception("API answer failed")
        raise ApiError(
            503, f"回答时出错（{type(e).__name__}），已记录；可改用 mode=extractive 重试"
        ) from None
    if final is None:
        raise ApiError(503, "引擎没有给出回答")
    return final


def sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def events(services, question: str, history: list[dict], mode: str | None, filters) -> Iterator[str]:
    """Server-sent events: `delta` {"text"} per piece, then `answer` (the Answer JSON), or `error`."""
    try:
        for item in stream(services, question, history, mode, filters):
            if isinstance(item, Answer):
                yield sse("answer", item.to_json())
            else:
                yield sse("delta", {"text": item})
    except Exception as e:  # headers are sent: the error travels as an event
        log.exception("API stream failed")
        yield sse("error", {"message": f"回答时出错（{type(e).__name__}）"})
