"""The one-method protocol every answer writer speaks, and its failures.

`messages` are OpenAI-style dicts ({"role": "system"|"user"|"assistant",
"content": str}); `stream` yields text pieces as the model writes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

Message = dict[str, str]


class LLMUnavailable(RuntimeError):
    """The writer cannot start (model file missing, API not configured); str() is user-facing Chinese."""


class LLMFailed(RuntimeError):
    """The writer started and broke; str() is safe to show (never carries a key)."""


class LLM(Protocol):
    name: str

    def generate(self, messages: Sequence[Message], max_tokens: int) -> str: ...

    def stream(self, messages: Sequence[Message], max_tokens: int) -> Iterator[str]: ...


def system(content: str) -> Message:
    return {"role": "system", "content": content}


def user(content: str) -> Message:
    return {"role": "user", "content": content}
