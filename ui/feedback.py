"""👍/👎 on an answer, appended to a JSONL log with the question, answer and citations.

Later lines refer to a rating by its `id`: the reason given after a 👎
(`kind: "reason"`) and the Q&A line a reviewer made of it (`kind: "qa"`).
`items()` folds them into one record per rated answer for the 反馈 page.
"""

from __future__ import annotations

import errno
import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from ingest.record import sha1

_LOCK = threading.Lock()  # several sessions may rate at once; one line each, never interleaved
PENDING_MAX = 1000  # ratings kept in memory while the log cannot be written; the oldest go first
_PENDING: list[dict] = []  # ratings whose write failed, written before the next one


def rating_id(turn: dict) -> str:
    """The same answer rated twice (👎 then its reason) gets the same id."""
    return sha1(json.dumps([turn.get("question", ""), turn.get("answer", "")], ensure_ascii=False))[:12]


def _append(path: Path, line: dict) -> dict:
    """Write one line (after any that failed before); an OSError leaves it pending and is raised."""
    with _LOCK:
        _PENDING.append(line)
        del _PENDING[:-PENDING_MAX]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:  # OSError leaves the rating pending
            f.write("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in _PENDING))
        _PENDING.clear()
    return line


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(path: Path, liked: bool, turn: dict) -> dict:
    """Append one rating; returns the line written.

    `turn` is what the chat keeps per answer: question, answer, mode, citations.
    """
    line = {
        "time": _now(),
        "id": rating_id(turn),
        "rating": "up" if liked else "down",
        "question": turn.get("question", ""),
        "answer": turn.get("answer", ""),
        "mode": turn.get("mode", ""),
        "citations": turn.get("citations", []),
    }
    return _append(path, line)


def reason(path: Path, turn: dict, why: str, note: str = "", correct: str = "") -> dict:
    """Why an answer was rated 👎, and optionally the article that answers it (e.g. 71号文第8条)."""
    line = {"time": _now(), "kind": "reason", "id": rating_id(turn), "reason": why, "note": note}
    return _append(path, {**line, "correct": correct, "question": turn.get("question", "")})


def mark_added(path: Path, rating: str, qa_id: str) -> dict:
    return _append(path, {"time": _now(), "kind": "qa", "id": rating, "qa_id": qa_id})


def items(path: Path) -> list[dict]:
    """One record per rated answer, newest first, with its reason and Q&A line folded in."""
    if not path.exists():
        return []
    ratings: dict[str, dict] = {}
    extras: list[dict] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:  # a line cut by a crash: skip it, keep the rest
            continue
        if not isinstance(row, dict):
            continue
        if "rating" in row:
            row.setdefault("id", rating_id(row))
            ratings[row["id"]] = {**ratings.get(row["id"], {}), **row}
        elif row.get("kind") in ("reason", "qa"):
            extras.append(row)
    for row in extras:
        target = ratings.get(row["id"])
        if target is None:
            continue
        if row["kind"] == "reason":
            target.update({k: row.get(k, "") for k in ("reason", "note", "correct")})
        else:
            target["qa_id"] = row["qa_id"]
    return sorted(ratings.values(), key=lambda r: r.get("time", ""), reverse=True)


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
