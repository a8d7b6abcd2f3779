"""Library changes from the app: add, replace or remove policy files, then ingest and refresh.

Each change is a `Job` run in a background thread, one at a time (a second upload
waits for the first: `_serial`), so two staff members never interleave half of one
change with half of another. Every new file is ingested *before* it enters the
corpus folder: a bad file gets one line in the job's report and never reaches the
library. Files a change overwrites or removes are moved aside first and put back if
the refresh fails, so the corpus folder and the index always agree. The index
itself switches atomically (index/store.py): questions asked meanwhile are answered
from the previous generation until `on_change` swaps the new one in.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import ingest_file
from settings import Settings

log = logging.getLogger(__name__)
MAX_NAME = 120  # characters of a file name: long enough for 《…》(2023-12-11).md titles


class LibraryLocked(Exception):
    """Changes are switched off (read-only deployment); str() says why, in Chinese."""


@dataclass
class Job:
    """One library change and what happened; the UI polls `snapshot()`."""

    id: str
    action: str  # 上传 | 替换 | 删除
    user: str = ""
    stage: str = "排队中"
    fraction: float = 0.0
    lines: list[str] = field(default_factory=list)  # one line per file, then the index line
    finished: bool = False
    ok: bool = False
    started: float = field(default_factory=time.monotonic)
    ended: float = 0.0

    def step(self, stage: str, fraction: float) -> None:
        self.stage, self.fraction = stage, fraction

    @property
    def seconds(self) -> float:
        return (self.ended or time.monotonic()) - self.started

    def snapshot(self) -> dict:
        return {
            "id": self.id,
            "action": self.action,
            "stage": self.stage,
            "fraction": self.fraction,
            "lines": list(self.lines),
            "finished": self.finished,
            "ok": self.ok,
            "seconds": round(self.seconds, 1),
        }


@dataclass
class _Plan:
    add: list[tuple[Path, str]] = field(default_factory=list)  # (staged file, name in the corpus)
    drop: list[Path] = field(default_factory=list)  # corpus files to take out


class Library:
    def __init__(
        self,
        settings: Settings,
        refresh: Callable[[], object],
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        """`refresh()` ingests the corpus and updates the index (returns a RefreshReport);
        `on_change()` reopens the index for the app after a refresh that changed it."""
        self.settings = settings
        self._refresh = refresh
        self._on_change = on_change
        self._serial = threading.Lock()
        self.jobs: dict[str, Job] = {}

    # --- what staff can do -------------------------------------------------------------
    @property
    def corpus(self) -> Path:
        return Path(self.settings.corpus_dir)

    def read_only_reason(self) -> str:
        if self.settings.library_read_only:
            return "本站为只读部署（library_read_only）：文库不能在此修改"
        if not os.access(self.corpus, os.W_OK):
            return f"文库文件夹不可写（{self.corpus}）：文库不能在此修改"
        from index.store import read_only_reason  # the index must be writable too

        why = read_only_reason(self.settings)
        return f"数据目录只读（{why}）：文库不能在此修改" if why else ""

    def upload(self, files: list[Path], user: str = "") -> Job:
        """Add files (a file with the name of one in the library replaces it)."""
        return self._start("上传", user, lambda job: self._plan_add(job, files))

    def replace(self, source: str, new_file: Path, keep_old: bool = True, user: str = "") -> Job:
        """A new version of a document: the new file goes in; the old one stays as the earlier
        version (its status then comes from the version chain) unless `keep_old` is False."""

        def plan(job: Job) -> _Plan:
            old = self.locate(source)
            if old is None:
                raise IngestError(source, "文库中没有这个文件")
            p = self._plan_add(job, [new_file])
            if p.add and not keep_old and old.name != p.add[0][1]:
                p.drop.append(old)
                job.lines.append(f"删除旧版本：{old.name}")
            return p

        return self._start("替换", user, plan)

    def remove(self, source: str, user: str = "") -> Job:
        def plan(job: Job) -> _Plan:
            old = self.locate(source)
            if old is None:
                raise IngestError(source, "文库中没有这个文件")
            if len(self.files()) <= 1:
                raise IngestError(source, "文库只剩这一份文件，不能删除（问答需要至少一份）")
            job.lines.append(f"删除：{old.name}")
            return _Plan(drop=[old])

        return self._start("删除", user, plan)

    def files(self) -> list[Path]:
        from ingest.loaders import iter_corpus_files

        return iter_corpus_files(self.corpus) if self.corpus.is_dir() else []

    def locate(self, source: str) -> Path | None:
        """The corpus file a document came from (`DocMeta.source`: its name, or its path inside)."""
        direct = self.corpus / source
        if source and direct.is_file() and self.corpus in direct.resolve().parents:
            return direct
        return next((p for p in self.files() if p.name == Path(source).name), None)

    def wait(self, job: Job, timeout: float = 600.0) -> Job:
        deadline = time.monotonic() + timeout
        while not job.finished and time.monotonic() < deadline:
            time.sleep(0.2)
        return job

    # --- the job -----------------------------------------------------------------------
    def _start(self, action: str, user: str, plan: Callable[[Job], _Plan]) -> Job:
        why = self.read_only_reason()
        if why:
            raise LibraryLocked(why)
        job = Job(uuid.uuid4().hex[:10], action, user)
        self.jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, plan), daemon=True, name=f"library-{job.id}").start()
        return job

    def _run(self, job: Job, plan: Callable[[Job], _Plan]) -> None:
        staging = Path(self.settings.data_dir) / "library" / "staging" / job.id
        try:
            with self._serial:
                job.step("检查文件", 0.05)
                staging.mkdir(parents=True, exist_ok=True)
                self._apply(job, plan(job), staging)
        except IngestError as e:
            job.lines.append(f"✗ {e.path.name}：{e.reason}")
            job.step("未修改文库", 1.0)
        except Exception as e:  # the report says what failed; the log keeps the trace
            log.exception("library change %s failed", job.id)
            job.lines.append(f"✗ 出错（{type(e).__name__}: {e}），文库和索引保持原样")
            job.step("出错", 1.0)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            job.ended, job.finished = time.monotonic(), True
            self._log(job)

    def _apply(self, job: Job, p: _Plan, staging: Path) -> None:
        if not (p.add or p.drop):
            job.step("未修改文库：没有可用的文件", 1.0)
            return
        backup = staging / "previous"
        backup.mkdir(exist_ok=True)
        moved = self._swap_files(p, backup)
        job.step("更新索引（新条文需要嵌入，每条约 0.2 秒）", 0.4)
        try:
            report = self._refresh()
        except BaseException:
            self._restore(moved, p)
            raise
        job.lines += [f"索引：{line}" for line in str(report).splitlines()]
        job.step("切换到新索引", 0.95)
        self._on_change()
        job.ok = True
        job.step("完成", 1.0)

    def _plan_add(self, job: Job, files: list[Path]) -> _Plan:
        """Ingest each upload from a staging copy under its final name; bad ones get a line."""
        staging = Path(self.settings.data_dir) / "library" / "staging" / job.id
        staging.mkdir(parents=True, exist_ok=True)
        plan, seen = _Plan(), set()
        for n, f in enumerate(files, 1):
            job.step(f"检查文件 {n}/{len(files)}", 0.05 + 0.3 * n / max(len(files), 1))
            name = Path(str(f)).name
            why = _bad_name(name) or ("同一批中重复的文件名" if name in seen else "")
            if why:
                job.lines.append(f"✗ {name}：{why}")
                continue
            staged = staging / name
            shutil.copyfile(f, staged)
            try:
                articles = ingest_file(staged, self.settings)
            except IngestError as e:
                job.lines.append(f"✗ {name}：{e.reason}")
                continue
            seen.add(name)
            old = self.locate(name)
            verb = "替换同名文件" if old else "新增"
            job.lines.append(f"✓ {name}：{verb}，{len(articles)} 条（《{articles[0].doc.title}》）")
            plan.add.append((staged, name))
            if old is not None:
                plan.drop.append(old)
        return plan

    def _swap_files(self, p: _Plan, backup: Path) -> list[tuple[Path, Path]]:
        """Move dropped files aside, put new ones in place (each write atomic); returns the moves."""
        moved = []
        for old in p.drop:
            target = backup / f"{len(moved)}-{old.name}"
            shutil.move(old, target)
            moved.append((old, target))
        self.corpus.mkdir(parents=True, exist_ok=True)
        for staged, name in p.add:
            tmp = self.corpus / f".upload-{uuid.uuid4().hex[:8]}-{name}"  # hidden: ingest skips it
            shutil.copyfile(staged, tmp)
            os.replace(tmp, self.corpus / name)
        return moved

    def _restore(self, moved: list[tuple[Path, Path]], p: _Plan) -> None:
        for _, name in p.add:
            (self.corpus / name).unlink(missing_ok=True)
        for original, target in moved:
            shutil.move(target, original)

    def _log(self, job: Job) -> None:
        """One line per change in data/library/changes.jsonl: who changed what, and how it went."""
        line = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "user": job.user,
            "action": job.action,
            "ok": job.ok,
            "lines": job.lines,
            "seconds": round(job.seconds, 1),
        }
        path = Path(self.settings.data_dir) / "library" / "changes.jsonl"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as e:
            log.warning("library change log not written: %s", e)


def _bad_name(name: str) -> str:
    """Why a file name cannot enter the library ('' = fine).

    >>> _bad_name("专利法实施细则(2023-12-11).md"), _bad_name(".x.md"), _bad_name("a.exe")[:8]
    ('', '文件名不能以“.”开头', '不支持的文件类型')
    """
    if not name or name.startswith("."):
        return "文件名不能以“.”开头"
    if len(name) > MAX_NAME:
        return f"文件名过长（{len(name)} 字符，最多 {MAX_NAME}）"
    if name.upper().startswith("README"):
        return "README 文件不作为政策文件"
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return f"不支持的文件类型“{suffix or '无扩展名'}”（支持 {'、'.join(SUPPORTED_SUFFIXES)}）"
    return ""
