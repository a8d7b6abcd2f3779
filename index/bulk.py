"""Embed a whole library into the embedding cache, one file at a time, with a progress line.

The first step of `python -m ingest` at library scale (3,412 laws, 146,519 articles):
documents are read and cut one file at a time and only their passage texts wait for the
next batch, so memory stays flat; every batch is written to the cache as soon as it is
embedded, so a killed run loses at most one batch and the next run starts where it
stopped (cached passages are skipped). The index is then built from the cache.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.cache import EmbeddingCache
from index.embed import Embedder
from index.passage import passage_text
from ingest.errors import IngestError
from ingest.record import Article, sha1
from settings import Settings

BATCH = 2048  # passages per embed call and cache write: ~2 min of work, the most a kill loses; sorted by
#   length inside the batch, 2,048 law articles pad 19% fewer tokens than 256 (waste 26% -> ~8%)
REPORT_EVERY_S = 5.0  # progress line period when stderr is a file (a background build's log)


@dataclass
class BulkReport:
    files: int = 0
    failed: int = 0
    articles: int = 0
    cached: int = 0  # already in the cache when met
    embedded: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    def __str__(self) -> str:
        rate = self.embedded / self.seconds if self.seconds else 0.0
        return (
            f"{self.files} files ({self.failed} unreadable), {self.articles} articles: "
            f"{self.cached} cached, {self.embedded} embedded in {self.seconds:.0f} s "
            f"({rate:.1f} passages/s), peak RSS {self.peak_rss_mb:.0f} MB"
        )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


class Progress:
    """`files 812/3412  articles 40,120 (31,002 embedded, 12.4/s)  left ~2 h 10 min` on stderr."""

    def __init__(self, total_files: int, out=None) -> None:
        self.total, self.out = total_files, out or sys.stderr  # looked up now: stderr may have been replaced
        self.started = self.last = time.monotonic()
        self.tty = self.out.isatty()
        self.resumed_at = 0  # files read before the first miss: a resumed run's cached start
        self.first_miss: float | None = None  # when embedding began (a resume): the rate counts from there

    def show(self, r: BulkReport, final: bool = False) -> None:
        now = time.monotonic()
        if r.articles == r.cached:
            self.resumed_at, self.first_miss = r.files, now
        if not final and not self.tty and now - self.last < REPORT_EVERY_S:
            return
        self.last = now
        elapsed = now - self.started
        embedding = now - (self.first_miss or self.started)
        rate = r.embedded / embedding if embedding > 0 else 0.0
        line = (
            f"files {r.files}/{self.total}  articles {r.articles:,} ({r.embedded:,} embedded, "
            f"{rate:.1f}/s)  elapsed {_duration(elapsed)}  left ~{_duration(self._left(r, rate)) if rate else '?'}"
        )
        end = "\n" if final or not self.tty else ""
        print(("\r" if self.tty else "") + line, end=end, file=self.out, flush=True)

    def _left(self, r: BulkReport, rate: float) -> float:
        """Files still to read x the misses per file since the first miss / the embedding rate.

        Counting from the first miss: a resumed run meets hundreds of fully cached files first,
        which would make the rest look almost done.
        """
        if r.files <= self.resumed_at or not rate:
            return 0.0
        misses_per_file = (r.articles - r.cached) / (r.files - self.resumed_at)
        return (self.total - r.files) * misses_per_file / rate + (r.articles - r.cached - r.embedded) / rate


def _duration(s: float) -> str:
    h, m = divmod(int(s) // 60, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min {int(s) % 60:02d} s"


def embed_library(
    settings: Settings, embedder: Embedder, cache: EmbeddingCache, show: bool = True
) -> BulkReport:
    """Make sure every article of the corpus folders has a cached vector from `embedder`."""
    from ingest.pipeline import iter_documents  # the index package searches without ingest

    report = BulkReport()
    for _ in embed_through(iter_documents(settings), settings, embedder, cache, report, show):
        pass
    return report


def embed_through(
    documents: Iterable[tuple[Path, list[Article] | IngestError]],
    settings: Settings,
    embedder: Embedder,
    cache: EmbeddingCache,
    report: BulkReport,
    show: bool = True,
) -> Iterator[tuple[Path, list[Article] | IngestError]]:
    """Pass each (file, articles) on after queueing its uncached passages; batches are embedded and
    cached as they fill, the rest when the documents run out. `python -m ingest` reads the library
    once through this into the index build (it read it twice, ~90 s more at 148k articles)."""
    from ingest.pipeline import count_files

    started = time.perf_counter()
    progress = Progress(count_files(settings)) if show else None
    pending: dict[str, str] = {}  # key -> text, misses waiting for a full batch
    for path, got in documents:
        report.files += 1
        if isinstance(got, IngestError):
            report.failed += 1
            yield path, got
            continue
        texts = {sha1(t): t for t in (passage_text(a) for a in got)}
        report.articles += len(got)
        known = cache.get(embedder.name, list(texts), embedder.dim)
        report.cached += len(known)
        pending.update({k: t for k, t in texts.items() if k not in known})
        while len(pending) >= BATCH:
            _flush(pending, BATCH, embedder, cache, report)
        if progress:
            progress.show(report)
        yield path, got
    while pending:
        _flush(pending, BATCH, embedder, cache, report)
    report.seconds = time.perf_counter() - started
    report.peak_rss_mb = peak_rss_mb()
    if progress:
        progress.show(report, final=True)


def _flush(
    pending: dict[str, str], n: int, embedder: Embedder, cache: EmbeddingCache, report: BulkReport
) -> None:
    keys = list(pending)[:n]
    vecs = embedder.embed_passages([pending[k] for k in keys])
    cache.put(embedder.name, dict(zip(keys, vecs, strict=True)))
    for k in keys:
        del pending[k]
    report.embedded += len(keys)
