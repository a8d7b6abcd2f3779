"""👍/👎 on an answer, appended to a JSONL log with the question, answer and citations."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

_LOCK = threading.Lock()  # several sessions may rate at once; one line each, never interleaved


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
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return line
