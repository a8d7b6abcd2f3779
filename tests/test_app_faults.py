"""The running app under faults: a hung API blocks no model-free answer; the login brake is wired."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client
from test_deadlines import hung_server

from tests.app_server import running_app

pytestmark = pytest.mark.slow
TIMEOUT_S = 15.0


def _ask(url: str, question: str, mode: str) -> tuple[float, str]:
    client = Client(url, verbose=False)  # connecting (config, API info) is not the answer's time
    started = time.monotonic()
    _, _, _, status, *_progress = client.predict(question, [], mode, api_name="/ask")
    return time.monotonic() - started, status


def test_a_hung_api_blocks_no_model_free_answer(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("POLICYQA_LLM_TIMEOUT_S", str(TIMEOUT_S))
    with hung_server() as base:
        args = ("--answer-mode", "api", "--api-base", base, "--api-model", "m")
        with running_app(tmp_path, *args) as url, ThreadPoolExecutor(4) as pool:
            _ask(url, "首贷有什么支持政策？", "extractive")  # warm the embedder
            api = pool.submit(_ask, url, "首贷有什么支持政策？", "api")
            time.sleep(1.0)
            quick = [pool.submit(_ask, url, q, "extractive") for q in ("71号文第8条", "贴息", "人才公寓")]
            quick_times = [f.result()[0] for f in quick]
            api_time, api_status = api.result()
    # they finish while the API still hangs (they used to wait ~2 x timeout in the one answer slot);
    # seconds each on a loaded 2-core machine, ~0.1 s on a quiet one
    assert max(quick_times) < TIMEOUT_S - 3, quick_times
    assert "超过15秒未完成" in api_status
    engine_s = float(re.search(r"用时 ([\d.]+) 秒", api_status).group(1))  # the real time, not 0.0
    assert TIMEOUT_S <= engine_s <= TIMEOUT_S + 2.0, api_status  # what the answer itself cost
    # end to end, through the web queue and the client, on a 2-core machine shared with other jobs
    assert api_time <= TIMEOUT_S + 8.0, (api_time, api_status)


def test_the_login_route_is_braked(tmp_path) -> None:
    with running_app(tmp_path, "--auth", "staff:s3cret") as url:

        def login(password: str) -> int:
            body = urllib.parse.urlencode({"username": "staff", "password": password}).encode()
            try:
                with urllib.request.urlopen(url + "login", data=body, timeout=10) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code

        assert login("s3cret") == 200
        codes = [login(f"guess{i}") for i in range(8)]
        assert all(c >= 400 for c in codes)
        assert login("s3cret") >= 400  # locked after 5 failures, right password included
