"""Library changes: real ingest, refresh and index generations (fake embedder, so no model)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import settings as settings_mod
from index import PolicyIndex, refresh
from index.embed import make_embedder
from library import Library, LibraryLocked, document_rows

ROOT = Path(__file__).resolve().parent.parent
LAWS = Path(__file__).resolve().parents[2].joinpath("shared/library/laws/行政法规")
OLD = "国务院关于经营者集中申报标准的规定(2018-09-18).md"
NEW = "国务院关于经营者集中申报标准的规定(2024-01-22).md"
SHORT = "第一条 为了规范测试，制定本规定。\n\n第二条 本规定自公布之日起施行。\n"


@pytest.fixture
def lib(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    s = settings_mod.load(corpus_dir=str(corpus), data_dir=str(tmp_path / "data"), embedder="fake")
    embedder = make_embedder(s)
    refresh(s, embedder=embedder)
    state = {"index": PolicyIndex.open(s, embedder=embedder)}

    def reopen():
        state["index"] = PolicyIndex.open(s, embedder=embedder)

    library = Library(s, lambda: refresh(s, embedder=embedder), on_change=reopen)
    return library, state, tmp_path


def law(tmp_path: Path, name: str, text: str | None = None) -> Path:
    """A file to upload: a real law from the shared library, or given text."""
    path = tmp_path / "uploads" / name
    path.parent.mkdir(exist_ok=True)
    if text is None:
        source = LAWS / name
        if not source.exists():
            pytest.fail(f"{source} missing: the shared law library is needed")
        shutil.copyfile(source, path)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def titles(state) -> list[str]:
    return [d.source for d in state["index"].documents()]


def test_upload_a_real_law_then_search_it(lib):
    library, state, tmp = lib
    before = len(state["index"].articles())
    job = library.wait(library.upload([law(tmp, OLD)], user="staff"))
    assert job.ok, job.lines
    assert job.lines[0].startswith(f"✓ {OLD}：新增") and "index" in job.lines[-1]
    assert OLD in titles(state) and (library.corpus / OLD).exists()
    assert len(state["index"].articles()) > before
    hits = state["index"].search("经营者集中 申报标准 营业额", k=3)
    assert hits[0].article.doc.source == OLD and "100亿元" in "".join(h.article.text for h in hits)
    changes = (tmp / "data" / "library" / "changes.jsonl").read_text(encoding="utf-8")
    assert '"user": "staff"' in changes


def test_bad_files_get_one_line_each_and_never_enter_the_library(lib):
    library, state, tmp = lib
    files = [
        law(tmp, "好文件.md", "# 测试规定\n\n" + SHORT),
        law(tmp, "空.txt", ""),
        law(tmp, "程序.exe", "MZ"),
        law(tmp, "乱码.pdf", "not a pdf at all"),
    ]
    before = state["index"].manifest.generation
    job = library.wait(library.upload(files))
    assert job.ok
    bad = [line for line in job.lines if line.startswith("✗")]
    assert [line.split("：")[0] for line in bad] == ["✗ 空.txt", "✗ 程序.exe", "✗ 乱码.pdf"]
    assert not any((library.corpus / n).exists() for n in ("空.txt", "程序.exe", "乱码.pdf"))
    assert "好文件.md" in titles(state) and state["index"].manifest.generation != before


def test_only_bad_files_change_nothing(lib):
    library, state, tmp = lib
    before = state["index"].manifest.generation
    job = library.wait(library.upload([law(tmp, "空.md", "   ")]))
    assert not job.ok and job.finished and state["index"].manifest.generation == before


def test_replace_with_new_version_keeps_or_drops_the_old(lib):
    library, state, tmp = lib
    library.wait(library.upload([law(tmp, OLD)]))
    job = library.wait(library.replace(OLD, law(tmp, NEW), keep_old=True))
    assert job.ok and {OLD, NEW} <= set(titles(state))
    job = library.wait(library.replace(NEW, law(tmp, "新规定.md", "# 新规定\n\n" + SHORT), keep_old=False))
    assert job.ok and NEW not in titles(state) and not (library.corpus / NEW).exists()


def test_remove_and_the_last_file_cannot_go(lib):
    library, state, tmp = lib
    library.wait(library.upload([law(tmp, OLD)]))
    job = library.wait(library.remove(OLD))
    assert job.ok and OLD not in titles(state) and not (library.corpus / OLD).exists()
    for f in library.files()[1:]:
        f.unlink()
    job = library.wait(library.remove(library.files()[0].name))
    assert not job.ok and "不能删除" in job.lines[-1]


def test_a_failed_refresh_puts_the_files_back(lib, monkeypatch):
    library, state, tmp = lib
    library.wait(library.upload([law(tmp, OLD)]))
    before = state["index"].manifest.generation

    def broken():
        raise OSError("disk full")

    library._refresh = broken
    job = library.wait(library.replace(OLD, law(tmp, NEW), keep_old=False))
    assert not job.ok and "disk full" in job.lines[-1]
    assert (library.corpus / OLD).exists() and not (library.corpus / NEW).exists()
    assert state["index"].manifest.generation == before


def test_concurrent_changes_are_serialised_and_searches_keep_working(lib):
    library, state, tmp = lib
    jobs = [
        library.upload([law(tmp, f"规定{i}.md", f"# 测试规定{i}\n\n第一条 第{i}号测试。\n\n" + SHORT)])
        for i in range(3)
    ]
    errors = []

    def ask():
        for _ in range(20):
            try:
                state["index"].search("规定 施行", k=3)
            except Exception as e:  # noqa: BLE001 - any failure of a reader is the bug
                errors.append(e)

    reader = threading.Thread(target=ask)
    reader.start()
    for job in jobs:
        assert library.wait(job).ok, job.lines
    reader.join()
    assert not errors
    assert {f"规定{i}.md" for i in range(3)} <= set(titles(state))


def test_read_only_setting_refuses_changes(tmp_path):
    s = settings_mod.load(corpus_dir=str(ROOT / "corpus"), data_dir=str(tmp_path), library_read_only=True)
    library = Library(s, lambda: None)
    with pytest.raises(LibraryLocked, match="只读"):
        library.upload([])


def test_document_rows_count_articles(lib):
    _, state, _ = lib
    rows = document_rows(state["index"].documents(), state["index"].articles())
    assert len(rows) == 5 and sum(r["articles"] for r in rows) == len(state["index"].articles())
    row71 = next(r for r in rows if r["doc_number"] == "苏府办〔2022〕71号")
    assert row71["dates"]["issue_date"] == "2022-05-10" and row71["region"]
