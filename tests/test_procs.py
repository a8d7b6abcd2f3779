"""eval.procs: the one way tests and the load suite run a server process."""

from __future__ import annotations

import http.server
import sys
import threading

import pytest

from eval.procs import free_port, http_up, port_open, serving


def test_a_server_that_exits_before_it_is_up_fails_at_once_with_its_log(tmp_path):
    cmd = [sys.executable, "-c", "print('boom: no such index'); raise SystemExit(3)"]
    with (
        pytest.raises(RuntimeError, match=r"(?s)exited with 3.*boom: no such index"),
        serving(cmd, lambda: False, tmp_path / "s.log", timeout_s=30, name="s"),
    ):
        pass


def test_a_server_never_up_is_stopped_after_the_timeout(tmp_path):
    cmd = [sys.executable, "-c", "import time; time.sleep(600)"]
    seen = []
    with (
        pytest.raises(RuntimeError, match="not up after 1 s"),
        serving(cmd, lambda: False, timeout_s=1, name="s") as proc,
    ):
        seen.append(proc)  # never reached
    assert not seen


def test_a_server_is_stopped_when_the_block_ends(tmp_path):
    port = free_port()
    cmd = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    with serving(cmd, port_open(port), tmp_path / "h.log", timeout_s=30, cwd=tmp_path) as proc:
        assert http_up(f"http://127.0.0.1:{port}/")()
    assert proc.poll() is not None and not port_open(port)()


def test_http_up_counts_an_error_status_as_up():
    class Deny(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            self.send_error(401)

        def log_message(self, *args):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Deny)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        assert http_up(f"http://127.0.0.1:{srv.server_port}/config")()
    finally:
        srv.shutdown()
    assert not http_up(f"http://127.0.0.1:{free_port()}/")()
