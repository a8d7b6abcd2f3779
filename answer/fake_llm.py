"""A deterministic stand-in for a language model, for tests and offline demos.

By default it behaves like a careful model: it copies the first sentence of
block [1] and cites it. Tests pass `reply` (a string or a function of the
messages) to play a careless or hostile one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from answer.llm import LLMFailed, Message

Reply = str | Callable[[Sequence[Message]], str]


def copy_first_block(messages: Sequence[Message]) -> str:
    """'…[1] 标签\\n<<<\\n甲。乙。\\n>>>…' -> '甲。[1]'; for the lead writer's numbered
    sentences ('<<<\\n[1] 甲，乙。') the lead 'answer: 甲，乙[1]。' in its format."""
    content = messages[-1]["content"]
    lead = re.search(r"<<<\n\[1\] ([^\n]+?)[。；]?\n", content)
    if lead:
        return f"依据：1\n答：{lead.group(1)[:60]}[1]。"
    m = re.search(r"<<<\n([^\n]*?[。；]|[^\n]+)", content)
    return f"{m.group(1)}[1]" if m else "现有政策文件中未找到相关规定。"


class FakeLLM:
    name = "fake"

    def __init__(self, reply: Reply = copy_first_block, fail: bool = False, pieces: int = 4) -> None:
        self.reply = reply
        self.fail = fail
        self.pieces = pieces  # how many chunks `stream` cuts the reply into
        self.calls: list[list[Message]] = []

    def generate(self, messages: Sequence[Message], max_tokens: int) -> str:
        return "".join(self.stream(messages, max_tokens))

    def stream(self, messages: Sequence[Message], max_tokens: int) -> Iterator[str]:
        self.calls.append(list(messages))
        if self.fail:
            raise LLMFailed("fake failure")
        text = self.reply if isinstance(self.reply, str) else self.reply(messages)
        step = max(1, -(-len(text) // self.pieces))
        for i in range(0, len(text), step):
            yield text[i : i + step]
