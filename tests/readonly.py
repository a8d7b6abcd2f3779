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


def run_read_only(folder: Path, cmd: list[str], timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    folder = Path(folder).resolve()
    if os.geteuid() == 0:
        script = (
            f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(folder))} && "
            f"mount -o remount,bind,ro {shlex.quote(str(folder))} && exec {shlex.join(cmd)}"
        )
        return subprocess.run(
            ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=timeout, **kw
        )
    subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(folder)], check=True)
