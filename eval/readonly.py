"""Run a command with a directory made really read-only (EROFS), as a read-only deployment has it.

As root (CI containers) `chmod` does not stop writes, so the directory is bind-mounted
read-only in a private mount namespace (`unshare -m`: nothing outside the command sees
it). Otherwise `chmod -R a-w` does the job for an ordinary user.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path


def read_only_command(folder: Path, cmd: list[str]) -> list[str]:
    """`cmd` wrapped so that `folder` is read-only for it (root only: a private mount namespace)."""
    f = shlex.quote(str(Path(folder).resolve()))
    script = f"mount --bind {f} {f} && mount -o remount,bind,ro {f} && exec {shlex.join(cmd)}"
    return ["unshare", "-m", "sh", "-c", script]


def run_read_only(folder: Path, cmd: list[str], timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    folder = Path(folder).resolve()
    if os.geteuid() == 0:
        return subprocess.run(
            read_only_command(folder, cmd), capture_output=True, text=True, timeout=timeout, **kw
        )
    subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(folder)], check=True)


def popen_read_only(folder: Path, cmd: list[str], **kw) -> subprocess.Popen:
    """Start `cmd` (a server) with `folder` read-only; the caller stops it (and, if not root, restores)."""
    if os.geteuid() == 0:
        return subprocess.Popen(read_only_command(folder, cmd), **kw)
    subprocess.run(["chmod", "-R", "a-w", str(Path(folder).resolve())], check=True)
    return subprocess.Popen(cmd, **kw)
