"""The pipeline over a folder: bad files become one clear line each, good files still come in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import settings as settings_mod
from ingest.__main__ import main as ingest_main
from ingest.pipeline import ingest_paths, load_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED = next(p for p in CORPUS.iterdir() if "127号" in p.name)


@pytest.fixture
def messy_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "fake.pdf").write_bytes(bytes(range(256)) * 40)
    (folder / "huge.txt").write_bytes(("政策" * 10).encode() * (10 * 1024 * 1024 // 60))
    (folder / "table.xlsx").write_bytes(b"PK\x03\x04 not really")
    return folder


def test_bad_files_are_reported_and_good_ones_ingested(messy_corpus: Path):
    settings = settings_mod.load(corpus_dir=str(messy_corpus), max_file_mb=8.0)
    result = load_corpus(settings)
    assert {a.doc.source for a in result.articles} == {SEED.name}
    assert sum(a.kind == "article" for a in result.articles) == 17
    bad = {err.path.name: str(err) for err in result.errors}
    assert set(bad) == {"empty.txt", "fake.pdf", "huge.txt", "table.xlsx"}
    for name, line in bad.items():
        assert "\n" not in line and name in line


def test_unreadable_path_is_one_error(tmp_path: Path):
    result = ingest_paths([tmp_path / "missing.txt", SEED], settings_mod.load())
    assert len(result.errors) == 1 and "missing.txt" in str(result.errors[0])
    assert result.articles


def test_list_json_has_the_promised_fields(capsys, messy_corpus: Path):
    assert ingest_main(["--list", "--json", "--corpus-dir", str(messy_corpus)]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and {"chunk_id", "doc_title", "doc_number", "status", "label", "heading", "text"} <= set(
        rows[0]
    )
    assert "empty.txt" in err and "fake.pdf" in err


def test_cli_refresh_keeps_what_a_now_broken_file_had_indexed(capsys, tmp_path: Path):
    """`python -m ingest` twice: the second time the seed is truncated to garbage bytes."""
    from index import PolicyIndex

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    other = next(p for p in CORPUS.iterdir() if "71号" in p.name)
    shutil.copy(other, folder / other.name)  # a good file, so the second run does refresh
    flags = ["--corpus-dir", str(folder), "--data-dir", str(tmp_path / "data"), "--embedder", "fake"]
    assert ingest_main(flags) == 0
    settings = settings_mod.load(corpus_dir=str(folder), data_dir=str(tmp_path / "data"), embedder="fake")
    before = {a.chunk_id for a in PolicyIndex.open(settings).articles()}
    assert len(before) > 40

    (folder / SEED.name).write_bytes(b"\xff\xfe\x00\x01" * 50)  # a broken re-upload
    ingest_main(flags)
    out, err = capsys.readouterr()
    assert SEED.name in out + err
    after = {a.chunk_id for a in PolicyIndex.open(settings).articles()}
    assert after == before


def test_cli_reads_each_file_once_while_embedding_into_the_cache(capsys, tmp_path: Path, monkeypatch):
    """`python -m ingest` embeds file by file as it reads, then indexes from the same reading:
    every file is parsed once and every passage is in the cache before the index is built."""
    import ingest.pipeline as pipeline
    from index.passage import passage_text
    from index.retriever import embedding_cache
    from ingest.record import sha1

    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    reads: list[str] = []
    real = pipeline._ingest_or_error
    monkeypatch.setattr(pipeline, "_ingest_or_error", lambda p, *a: reads.append(p.name) or real(p, *a))
    flags = ["--corpus-dir", str(folder), "--data-dir", str(tmp_path / "data"), "--embedder", "fake"]
    assert ingest_main(flags) == 0
    assert sorted(reads) == sorted(p.name for p in folder.iterdir())  # once each
    assert "5 files (0 unreadable)" in capsys.readouterr().err
    settings = settings_mod.load(corpus_dir=str(folder), data_dir=str(tmp_path / "data"), embedder="fake")
    from index.embed import make_embedder

    texts = [passage_text(a) for a in load_corpus(settings).articles]
    fake = make_embedder(settings)
    cached = embedding_cache(settings).get(fake.name, [sha1(t) for t in texts], fake.dim)
    assert len(cached) == len({sha1(t) for t in texts})
