"""Finding 4: a read-only data directory serves the existing index; writers say why they cannot write."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eval.readonly import run_read_only

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A corpus and a data directory holding a built index (fake embedder: fast, same files)."""
    tmp = tmp_path_factory.mktemp("ro")
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    data = tmp / "data"
    args = ["--corpus-dir", str(corpus), "--data-dir", str(data), "--embedder", "fake"]
    done = subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return corpus, data, args


def test_ingest_says_why_it_cannot_write(built) -> None:
    corpus, data, args = built
    (corpus / "新增.txt").write_text("关于新增政策的通知\n一、措施\n1．对企业给予贴息。\n", "utf-8")
    try:
        done = run_read_only(data, [sys.executable, "-m", "ingest", *args], cwd=ROOT)
    finally:
        (corpus / "新增.txt").unlink()
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "无法写入索引" in done.stderr and "只读" in done.stderr


def test_the_app_serves_the_existing_index_read_only(built) -> None:
    corpus, data, _ = built
    script = (
        "import settings\n"
        "from ui.services import Services\n"
        f"s = settings.load(corpus_dir={str(corpus)!r}, data_dir={str(data)!r}, embedder='fake',"
        " answer_mode='extractive')\n"
        "svc = Services.start(s)\n"
        "print('READ_ONLY', bool(svc.read_only))\n"
        "a = svc.engine.ask('71号文第8条讲了什么？')\n"
        "print('ANSWER', a.citations[0].article.label)\n"
    )
    done = run_read_only(data, [sys.executable, "-c", script], cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "READ_ONLY True" in done.stdout
    assert (
        "ANSWER 《苏州市金融支持产业创新集群发展的工作意见》（苏府办〔2022〕71号）四（三）8." in done.stdout
    )


def test_index_refresh_says_why_it_cannot_write(built) -> None:
    corpus, data, args = built
    done = run_read_only(data, [sys.executable, "-m", "index", "refresh", *args], cwd=ROOT)
    assert "Traceback" not in done.stderr
    assert done.returncode == 3 and "只读" in done.stderr
