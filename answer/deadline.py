"""A writer's pieces within a hard deadline, the model's prompt reading included.

llama.cpp cannot be interrupted while it reads a prompt, and on two shared
cores that alone can take a minute. So the writer runs in a worker thread and
the answer waits for it at most `seconds`: then the worker is told to stop (it
does so at its next token, or before it starts if it is still waiting for the
model) and the engine answers without it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator

from answer.llm import LLMFailed

_DONE = object()


def within(make: Callable[[threading.Event], Iterator[str]], seconds: float) -> Iterator[str]:
    """Yield the pieces of `make(stop)`; raise LLMFailed once `seconds` have passed.

    >>> list(within(lambda stop: iter(["甲", "乙"]), 5))
    ['甲', '乙']
    >>> def slow(stop):
    ...     time.sleep(0.5)
    ...     yield "迟到"
    >>> list(within(slow, 0.05))
    Traceback (most recent call last):
    answer.llm.LLMFailed: 模型超过0.05秒未完成
    """
    pieces: queue.Queue = queue.Queue()
    stop = threading.Event()
    threading.Thread(target=_work, args=(make, stop, pieces), daemon=True).start()
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                item = pieces.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                raise LLMFailed(f"模型超过{seconds:g}秒未完成") from None
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:  # finished, timed out, or the reader went away (the user pressed stop)
        stop.set()


def _work(make, stop: threading.Event, pieces: queue.Queue) -> None:
    stream = None
    try:
        stream = make(stop)
        for piece in stream:
            if stop.is_set():
                break
            pieces.put(piece)
    except Exception as e:  # handed to the reader, who decides what the user sees
        pieces.put(e)
    finally:
        if stream is not None and hasattr(stream, "close"):
            stream.close()
        pieces.put(_DONE)
