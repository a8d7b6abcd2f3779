"""Tab 评测 (evaluators): run a Q&A set against the library as it is served, read and download
the report; a retrieval test shows the ranked articles of one question with both scores.

Loading (eval/loader.py), running and scoring (eval/live.py) and the report files
(eval/export.py) live in eval/; this tab only starts a run and shows what it returns.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from html import escape
from pathlib import Path

import gradio as gr

from eval import export, live
from eval.loader import LoadedSet, SetError, load_set
from eval.qa_check import QA_PATH
from ui.services import Services

log = logging.getLogger(__name__)
MODES = [("本地模型", "local"), ("API", "api"), ("摘录（无需模型）", "extractive")]
BUILT_IN = {"eval/qa.jsonl": QA_PATH, "eval/qa_heldout.jsonl": QA_PATH.with_name("qa_heldout.jsonl")}
FEEDBACK_SET = "反馈生成的题集"
UPLOADED = "上传的文件"
POLL_S = 0.5
SUMMARY_LABELS = (
    ("fact_recall", "要点召回"),
    ("citation_hit", "引用命中"),
    ("refusal_rate", "应拒答的拒答率"),
    ("false_refusal_rate", "误拒答率"),
    ("unsupported_figures", "无出处数字/答"),
    ("hit@1", "检索 hit@1"),
    ("hit@5", "检索 hit@5"),
    ("mrr", "检索 MRR"),
)
RETRIEVAL_COLUMNS = ["名次", "条文", "融合分", "关键词分(BM25)", "向量分(余弦)", "首句"]


class Runner:
    """One evaluation at a time (it holds the answer model for minutes); the last run is kept."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.done = 0
        self.total = 0
        self.last = ""
        self.result: dict | None = None
        self.error = ""
        self.running = False


def feedback_set_path(services: Services) -> Path:
    return services.settings.path("feedback_qa.jsonl")


def load(services: Services, choice: str, upload) -> tuple[str, LoadedSet]:
    """(set name, items) for the picked set; raises SetError with a message for the evaluator."""
    if choice == FEEDBACK_SET:
        path = feedback_set_path(services)
        if not path.exists():
            raise SetError("还没有由反馈生成的题目：在“反馈”页把已审核的反馈加入题集")
    elif choice in BUILT_IN:
        path = BUILT_IN[choice]
    else:
        if not upload:
            raise SetError("请上传题集文件（.jsonl / .csv / .xlsx），或选择内置题集")
        path = Path(getattr(upload, "name", upload))
    loaded = load_set(path)
    if not loaded.items:
        raise SetError(
            "题集中没有可用的题目" + ("：" + "；".join(loaded.problems[:5]) if loaded.problems else "")
        )
    return path.name, loaded


def summary_markdown(run: dict, problems: list[str]) -> str:
    figures = export.summary(run)
    head = "| " + " | ".join(label for _, label in SUMMARY_LABELS) + " |"
    line = "|" + "---|" * len(SUMMARY_LABELS)
    cells = "| " + " | ".join(f"{figures.get(k, 0):.3f}" for k, _ in SUMMARY_LABELS) + " |"
    mode = next(iter(run["answers"]))
    lines = [
        f"**{escape(run['qa'])}**：已答 {figures['answered']} / {run['items']} 题（{mode}），"
        f"未通过 **{figures['failures']}** 题；延迟 p50 {figures['latency_ms']:.0f} ms，p95 "
        f"{figures['latency_p95_ms']:.0f} ms。" + ("评测被停止。" if run.get("stopped") else ""),
        "",
        head,
        line,
        cells,
    ]
    if problems:
        lines += ["", f"跳过 {len(problems)} 行：" + "；".join(escape(p) for p in problems[:10])]
    return "\n".join(lines)


def table_rows(run: dict | None, failures_only: bool) -> list[list]:
    if not run:
        return []
    rows = [r for r in run["rows"] if r["failure"] or not failures_only]
    return [[export.cell(r[key]) for key, _ in export.ROW_COLUMNS] for r in rows]


def progress_html(runner: Runner) -> str:
    pct = int(100 * runner.done / runner.total) if runner.total else 0
    return (
        f'<div id="eval-job"><progress max="100" value="{pct}"></progress> '
        f"{runner.done}/{runner.total} · {escape(runner.last)}</div>"
    )


def start(services: Services, runner: Runner, choice: str, upload, mode: str, limit: float):
    """Load the set and start the run in a thread; returns (problems, None) or ([], error message)."""
    name, loaded = load(services, choice, upload)
    items = loaded.items[: int(limit)] if limit and limit > 0 else loaded.items
    runner.stop.clear()
    runner.done, runner.total, runner.last, runner.result, runner.error = 0, len(items), "检索评测…", None, ""
    runner.running = True

    def ask(question, history=(), mode=None):
        return services.engine.ask(question, history, mode=mode)

    def step(done, total, record):
        runner.done = done
        runner.last = f"{record['id']} {record['latency_ms'] / 1000:.1f} 秒"

    def work():
        try:
            run = live.run_set(
                name, items, services.index, ask, mode, services.settings, step, runner.stop.is_set
            )
            folder = Path(services.settings.data_dir) / "eval_runs" / datetime.now().strftime("%Y%m%d-%H%M%S")
            run["files"] = {k: str(v) for k, v in export.write_all(run, folder).items()}
            run["problems"] = loaded.problems
            runner.result = run
        except Exception as e:  # shown to the evaluator; the log keeps the trace
            log.exception("evaluation failed")
            runner.error = f"评测出错：{type(e).__name__}: {e}"
        finally:
            runner.running = False
            runner.lock.release()

    threading.Thread(target=work, daemon=True, name="eval-run").start()
    return loaded.problems


def run_events(
    services: Services, runner: Runner, choice, upload, mode, limit, failures_only
) -> Iterator[tuple]:
    """Yields (progress, summary, chart, table, files) while the run goes on, then the results."""
    keep = gr.update()
    if not runner.lock.acquire(blocking=False):
        yield '<p class="warn">另一个评测正在进行，请等它结束或停止它。</p>', keep, keep, keep, keep
        return
    try:
        start(services, runner, choice, upload, mode or "local", limit)
    except (SetError, OSError) as e:  # not a set, or unreadable: say so, and let the next run start
        runner.lock.release()
        yield f'<p class="warn">{escape(str(e))}</p>', keep, keep, keep, keep
        return
    while runner.running:
        yield progress_html(runner), keep, keep, keep, keep
        time.sleep(POLL_S)
    if runner.error or runner.result is None:
        yield f'<p class="warn">{escape(runner.error or "评测没有结果")}</p>', keep, keep, keep, keep
        return
    run = runner.result
    files = run["files"]
    yield (
        progress_html(runner) + ' <span id="eval-done">完成</span>',
        summary_markdown(run, run.get("problems", [])),
        files["png"],
        table_rows(run, failures_only),
        [files["md"], files["xlsx"]],
    )


def retrieval_test(services: Services, query: str) -> tuple[list[list], str]:
    query = (query or "").strip()[: services.settings.max_question_chars]
    if not query:
        return [], "请输入问题。"
    hits = services.index.search(query, k=services.settings.search_results)
    rows = [
        [
            rank,
            h.article.label,
            round(h.score, 3),
            round(h.keyword_score, 3),
            round(h.vector_score, 3),
            h.article.heading[:60],
        ]
        for rank, h in enumerate(hits, 1)
    ]
    note = "融合分 2.0 = 问题按编号点名的条文。" if any(h.score >= 2.0 for h in hits) else ""
    return rows, note or f"共 {len(rows)} 条；关键词分为 BM25，向量分为余弦相似度。"


def build(services: Services) -> None:
    runner = Runner()
    with gr.Row():
        with gr.Column(scale=2):
            choice = gr.Dropdown(
                [UPLOADED, *BUILT_IN, FEEDBACK_SET], value=UPLOADED, label="题集", elem_id="eval-choice"
            )
            upload = gr.File(file_types=[".jsonl", ".csv", ".xlsx"], label="上传题集", elem_id="eval-set")
            gr.Markdown(
                "CSV / XLSX 的列：**问题 / 依据文件 / 依据原文 / 要点**（可选 编号、类型）。"
                "依据文件写文号或标题；依据原文是条文中的一句原话；要点用“；”分隔。没有依据的题视为应拒答。"
            )
        with gr.Column(scale=1):
            mode = gr.Radio(MODES, value="local", label="回答方式", elem_id="eval-mode")
            limit = gr.Number(
                value=0, precision=0, minimum=0, label="只跑前 N 题（0 = 全部）", elem_id="eval-limit"
            )
            with gr.Row():
                go = gr.Button("开始评测", variant="primary", elem_id="eval-run")
                stop = gr.Button("停止", elem_id="eval-stop")
    progress = gr.HTML(
        '<p class="muted">本地模型每题约 10–30 秒；摘录模式每题不到 1 秒。</p>', elem_id="eval-progress"
    )
    summary = gr.Markdown(elem_id="eval-summary")
    chart = gr.Image(label="指标图", type="filepath", elem_id="eval-chart", interactive=False)
    failures = gr.Checkbox(value=False, label="只看未通过的题", elem_id="eval-failures")
    rows = gr.Dataframe(
        headers=[title for _, title in export.ROW_COLUMNS], interactive=False, wrap=True, elem_id="eval-table"
    )
    files = gr.File(
        label="下载报告（Markdown / XLSX）", file_count="multiple", interactive=False, elem_id="eval-files"
    )
    gr.Markdown("#### 检索测试")
    with gr.Row():
        query = gr.Textbox(label="问题", placeholder="如：首贷贴息", scale=4, elem_id="retrieval-query")
        test = gr.Button("检索", scale=1, elem_id="retrieval-run")
    ranked = gr.Dataframe(headers=RETRIEVAL_COLUMNS, interactive=False, wrap=True, elem_id="retrieval-table")
    note = gr.Markdown(elem_id="retrieval-note")

    def on_run(c, u, m, n, f):
        yield from run_events(services, runner, c, u, m, n, f)

    go.click(
        on_run,
        [choice, upload, mode, limit, failures],
        [progress, summary, chart, rows, files],
        concurrency_limit=None,
        api_visibility="private",
    )
    stop.click(lambda: runner.stop.set(), None, None, queue=False, api_visibility="private")
    failures.change(
        lambda f: table_rows(runner.result, f), [failures], [rows], queue=False, api_visibility="private"
    )
    gr.on(
        [query.submit, test.click],
        lambda q: retrieval_test(services, q),
        [query],
        [ranked, note],
        api_visibility="private",
    )
