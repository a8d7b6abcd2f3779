"""Child servers for the load suite and the tests: a free loopback port, start, wait until up, stop.

One way to run a server process, whatever it is (the app, a milvus-lite server): it must
answer `ready()` before `timeout_s`, and a process that exits first fails at once with the
tail of its log; on the way out it gets SIGTERM, then SIGKILL after `STOP_GRACE_S`.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

STOP_GRACE_S = 20  # seconds between SIGTERM and SIGKILL
LOG_TAIL = 3000  # characters of the log shown when a server fails to come up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_up(url: str) -> Callable[[], bool]:
    """Ready once `url` answers at all: any HTTP status counts (a 401 behind a login is up)."""

    def ready() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    return ready


def port_open(port: int, host: str = "127.0.0.1") -> Callable[[], bool]:
    def ready() -> bool:
        with socket.socket() as s:
            return s.connect_ex((host, port)) == 0

    return ready


@contextmanager
def serving(
    cmd: list[str],
    ready: Callable[[], bool],
    log: Path | None = None,
    timeout_s: float = 600,
    name: str = "server",
    **popen,
) -> Iterator[subprocess.Popen]:
    """The running process, its output in `log` (or discarded), stopped however the block ends."""
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, **popen)
    try:
        _wait(proc, ready, log, timeout_s, name)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def _wait(
    proc: subprocess.Popen, ready: Callable[[], bool], log: Path | None, timeout_s: float, name: str
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}{_tail(log)}")
        if ready():
            return
        time.sleep(0.3)
    raise RuntimeError(f"{name} not up after {timeout_s:.0f} s{_tail(log)}")


def _tail(log: Path | None) -> str:
    return ":\n" + log.read_text(errors="replace")[-LOG_TAIL:] if log and log.exists() else ""
