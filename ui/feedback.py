"""👍/👎 on an answer, appended to a JSONL log with the question, answer and citations."""

from __future__ import annotations

import errno
import json
import threading
from datetime import UTC, datetime
from pathlib import Path

_LOCK = threading.Lock()  # several sessions may rate at once; one line each, never interleaved
PENDING_MAX = 1000  # ratings kept in memory while the log cannot be written; the oldest go first
_PENDING: list[dict] = []  # ratings whose write failed, written before the next one


def record(path: Path, liked: bool, turn: dict) -> dict:
    """Append one rating; returns the line written.

    `turn` is what the chat keeps per answer: question, answer, mode, citations.
    """
    line = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "rating": "up" if liked else "down",
        "question": turn.get("question", ""),
        "answer": turn.get("answer", ""),
        "mode": turn.get("mode", ""),
        "citations": turn.get("citations", []),
    }
    with _LOCK:
        _PENDING.append(line)
        del _PENDING[:-PENDING_MAX]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:  # OSError leaves the rating pending
            f.write("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in _PENDING))
        _PENDING.clear()
    return line


def pending() -> int:
    """Ratings not yet written (the log could not be written)."""
    return len(_PENDING)


def why(err: OSError) -> str:
    """An OSError in words for the person who clicked."""
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "数据目录只读或无写入权限"
    if err.errno == errno.ENOSPC:
        return "磁盘已满"
    return f"写入失败：{err.strerror or type(err).__name__}"
