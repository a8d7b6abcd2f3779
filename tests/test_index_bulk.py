"""The library-scale embedding pass: file by file, resumable through the cache, with a progress line."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import index.bulk as bulk
from index.cache import EmbeddingCache
from index.embed import FakeEmbedder
from tests.index_fakes import ROOT, fake_settings


class Killed(RuntimeError):
    pass


class DiesAfter(FakeEmbedder):
    """Embeds `batches` batches, then raises as a killed process would stop."""

    def __init__(self, batches: int) -> None:
        super().__init__()
        self.left = batches

    def embed_passages(self, texts):
        if self.left == 0:
            raise Killed
        self.left -= 1
        return super().embed_passages(texts)


@pytest.fixture
def library(tmp_path) -> Path:
    """The seed corpus as a library of two folders (ids come from the paths)."""
    root = tmp_path / "library"
    for i, f in enumerate(sorted((ROOT / "corpus").iterdir())):
        (root / ("a" if i % 2 else "b")).mkdir(parents=True, exist_ok=True)
        shutil.copy(f, root / ("a" if i % 2 else "b") / f.name)
    return root


def test_a_killed_run_keeps_its_batches_and_the_next_one_finishes(tmp_path, library, monkeypatch) -> None:
    monkeypatch.setattr(bulk, "BATCH", 16)
    (tmp_path / "empty").mkdir()
    s = fake_settings(tmp_path, corpus_dir=str(tmp_path / "empty"), library_dirs=str(library))
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    with pytest.raises(Killed):
        bulk.embed_library(s, DiesAfter(3), cache, show=False)
    again = FakeEmbedder()
    report = bulk.embed_library(s, again, cache, show=False)
    assert report.cached == 48  # three finished batches survived the kill
    assert again.calls == report.embedded == report.articles - 48 == 64
    assert (report.files, report.failed) == (5, 0)
    assert bulk.embed_library(s, FakeEmbedder(), cache, show=False).embedded == 0


def test_progress_line_counts_rate_and_time_left() -> None:
    out = io.StringIO()
    p = bulk.Progress(total_files=10, out=out)
    p.started -= 10  # ten seconds in
    p.show(bulk.BulkReport(files=5, articles=100, cached=0, embedded=50), final=True)
    line = out.getvalue()
    assert "files 5/10" in line and "articles 100 (50 embedded, 5.0/s)" in line and "left ~" in line


def test_time_left_after_a_resume_counts_only_the_files_past_the_cached_start() -> None:
    out = io.StringIO()
    p = bulk.Progress(total_files=100, out=out)
    p.started -= 30
    p.show(bulk.BulkReport(files=50, articles=1000, cached=1000), final=True)  # all cached so far
    p.first_miss -= 10  # the cached files took 20 s, embedding 10
    p.show(bulk.BulkReport(files=60, articles=1200, cached=1000, embedded=100), final=True)
    # 10 s for 100 vectors = 10/s; 20 misses a file over the 40 files left + 100 pending = 900 / 10 = 90 s
    assert "(100 embedded, 10.0/s)" in out.getvalue().splitlines()[-1]
    assert out.getvalue().splitlines()[-1].endswith("left ~1 min 30 s")
