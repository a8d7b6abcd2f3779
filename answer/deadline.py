"""One wall-clock deadline per answer, and a queue for the model that only model answers join.

A writer runs in its own thread; the answer reads its pieces from a queue and
stops waiting when the deadline passes, whatever the writer is doing (connecting,
reading the prompt, a server that never replies). The abandoned writer is told to
stop and ends at its next piece (an API read times out after `llm_timeout_s`, with
no retry); the model slot is freed at the deadline. llama.cpp cannot be interrupted
while it reads a prompt, so the local model also gets the stop signal itself and skips
a generation that was abandoned while it waited for the model.

Model slots are per writer kind (one local model on 2 cores; a few API calls at
once). Only answers that call a model take one: extraction, lookups, refusals,
browsing and matching never wait behind a model. While waiting, the answer yields
`Waiting(position, waited_s)` so the UI can say where it stands.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from answer.llm import LLM, LLMFailed, Message

log = logging.getLogger(__name__)
POLL_S = 0.5  # how often a waiting answer re-reports its queue position
_END = object()


@dataclass(frozen=True)
class Waiting:
    """Yielded (never as text) while an answer waits for a model slot."""

    position: int  # 1 = next in line
    waited_s: float


class QueueFull(LLMFailed):
    """Too many answers already wait for this model."""


class Slots:
    """A FIFO queue in front of `limit` concurrent uses of one model."""

    def __init__(self, limit: int, max_waiting: int) -> None:
        self.limit, self.max_waiting = max(limit, 1), max_waiting
        self._cond = threading.Condition()
        self._line: deque[int] = deque()
        self._active = 0
        self._tickets = itertools.count()
        self.typical_s = 0.0  # running mean of how long one use held a slot (0 = not measured yet)

    @property
    def waiting(self) -> int:
        return len(self._line)

    def acquire(self, deadline: float, what: str) -> Iterator[Waiting]:
        """Wait for a slot (yielding positions); LLMFailed when the deadline passes first."""
        started = time.monotonic()
        with self._cond:
            if self._active >= self.limit and len(self._line) >= self.max_waiting:
                raise QueueFull(f"{what}排队已满（已有{len(self._line)}个问题在等待）")
            ticket = next(self._tickets)
            self._line.append(ticket)
        try:
            while True:
                with self._cond:
                    if self._line[0] == ticket and self._active < self.limit:
                        self._line.popleft()
                        self._active += 1
                        self._cond.notify_all()
                        return
                    position = self._line.index(ticket) + 1
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LLMFailed(f"{what}繁忙，排队{time.monotonic() - started:.0f}秒仍未轮到")
                expected = (position / self.limit) * self.typical_s  # before our turn, at the usual pace
                if expected > left:  # the turn cannot come in time: say so now, not at the deadline
                    raise LLMFailed(
                        f"{what}繁忙，前面还有{position}个问题，预计需等{expected:.0f}秒，超过时限"
                    )
                yield Waiting(position, time.monotonic() - started)
                with self._cond:
                    self._cond.wait(min(POLL_S, left))
        except BaseException:
            with self._cond:
                if ticket in self._line:
                    self._line.remove(ticket)
                    self._cond.notify_all()
            raise

    def release(self, held_s: float | None = None) -> None:
        with self._cond:
            self._active -= 1
            if held_s is not None:
                self.typical_s = held_s if not self.typical_s else 0.7 * self.typical_s + 0.3 * held_s
            self._cond.notify_all()


class Bounded:
    """`writer` under one deadline and one slot queue: what the engine calls instead of the writer."""

    def __init__(self, writer: LLM, deadline: float, slots: Slots, seconds: float) -> None:
        self.writer, self.deadline, self.slots, self.seconds = writer, deadline, slots, seconds
        self.name = writer.name

    @property
    def supports_grammar(self) -> bool:
        return getattr(self.writer, "supports_grammar", False)

    def stream(
        self, messages: Sequence[Message], max_tokens: int, seconds: float | None = None, **extra
    ) -> Iterator[str | Waiting]:
        """The writer's pieces; `seconds` caps this call (queue included) inside the answer's deadline
        (the lead writer's own budget); `extra` (grammar=) goes to the writer."""
        deadline, limit = self.deadline, self.seconds
        if seconds is not None and time.monotonic() + seconds < deadline:
            deadline, limit = time.monotonic() + seconds, seconds
        what = "本地模型" if self.name == "local" else "API"
        yield from self.slots.acquire(deadline, what)
        started = time.monotonic()
        try:
            yield from _pieces_until(self.writer, messages, max_tokens, deadline, limit, extra)
        finally:
            self.slots.release(time.monotonic() - started)

    def generate(self, messages: Sequence[Message], max_tokens: int) -> str:
        return "".join(p for p in self.stream(messages, max_tokens) if isinstance(p, str))


def _pieces_until(
    writer: LLM, messages: Sequence[Message], max_tokens: int, deadline: float, seconds: float, extra=None
) -> Iterator[str]:
    """The writer's pieces, read from its thread until `deadline`; then it is abandoned.

    A writer that takes `stop=` (the local model) gets the abandon signal itself: it then ends at its
    next token, or before reading the prompt if it is still waiting for the model."""
    out: queue.Queue = queue.Queue()
    stop = threading.Event()
    extra = dict(extra or {})
    if getattr(writer, "supports_grammar", False):
        extra["stop"] = stop

    def run() -> None:
        pieces = None
        try:
            pieces = writer.stream(messages, max_tokens, **extra)
            for piece in pieces:
                if stop.is_set():
                    break
                out.put(piece)
            out.put(_END)
        except BaseException as e:  # handed to the reader, which raises it in the answer's thread
            out.put(e)
        finally:
            close = getattr(pieces, "close", None)
            if close:
                close()

    worker = threading.Thread(target=run, name=f"writer-{writer.name}", daemon=True)
    worker.start()
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                log.warning("writer %s abandoned at the deadline (%g s)", writer.name, seconds)
                raise LLMFailed(f"模型超过{seconds:g}秒未完成")
            try:
                item = out.get(timeout=left)
            except queue.Empty:
                continue
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:  # finished, timed out, or the reader went away (the user pressed stop)
        stop.set()  # an abandoned writer stops at its next piece


_SLOTS: dict[str, Slots] = {}
_SLOTS_LOCK = threading.Lock()


def slots_for(kind: str, limit: int, max_waiting: int) -> Slots:
    """The process-wide queue for one model kind (every Engine shares it: one model, one queue)."""
    with _SLOTS_LOCK:
        key = f"{kind}:{limit}:{max_waiting}"
        if key not in _SLOTS:
            _SLOTS[key] = Slots(limit, max_waiting)
        return _SLOTS[key]
