"""Request bodies of the HTTP API (pydantic), and how they become engine arguments."""

from __future__ import annotations

import dataclasses
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from answer.record import MODES
from api.errors import ApiError
from index.filters import Filters

MAX_HISTORY = 40  # turns: a follow-up needs the last few; a longer list is a client bug


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class AskBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str
    history: list[Message] = Field(default_factory=list, max_length=MAX_HISTORY)
    mode: str | None = None  # local | api | extractive; None = the server's answer_mode
    filters: dict | None = (
        None  # index.filters.Filters fields, e.g. {"docs": ["71号"], "exclude_drafts": true}
    )
    stream: bool = False  # server-sent events: `delta` pieces, then the `answer`


class SearchBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str
    k: int = Field(default=5, ge=1, le=50)
    filters: dict | None = None


class ChatBody(BaseModel):
    """OpenAI's chat completion request; fields we do not use (temperature …) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = ""
    messages: list[Message] = Field(min_length=1, max_length=MAX_HISTORY + 1)
    stream: bool = False


def mode_of(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value not in MODES:
        raise ApiError(400, f"未知的回答方式 mode={value!r}：可选 {', '.join(MODES)}")
    return value


def filters_of(value: dict | None) -> Filters | None:
    """A JSON object -> Filters; unknown keys are a 400, not silently ignored."""
    if not value:
        return None
    known = {f.name: f for f in dataclasses.fields(Filters)}
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ApiError(400, f"未知的筛选条件 {', '.join(unknown)}：可选 {', '.join(known)}")
    kwargs = {}
    for name, v in value.items():
        default = known[name].default
        if isinstance(default, tuple):
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ApiError(400, f"筛选条件 {name} 应为字符串列表")
            v = tuple(v)
        elif not isinstance(v, type(default)) or (isinstance(v, bool) != isinstance(default, bool)):
            raise ApiError(400, f"筛选条件 {name} 应为 {type(default).__name__}")
        kwargs[name] = v
    try:
        return Filters(**kwargs)
    except (TypeError, ValueError) as e:
        raise ApiError(400, f"筛选条件有误：{e}") from None


def history_of(messages: list[Message]) -> list[dict]:
    return [{"role": m.role, "content": m.content} for m in messages if m.role in ("user", "assistant")]
