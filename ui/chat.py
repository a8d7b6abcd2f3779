"""Tab 1: chat with sources. Streams the engine's answer, then shows its sources.

`respond` is a generator Gradio streams from; it yields the chat history, the
sources panel, the status line and the per-answer records the 👍/👎 log needs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from html import escape

import gradio as gr

from answer.deadline import Waiting
from ui import feedback, feedback_tab
from ui import format as F
from ui.services import Services

log = logging.getLogger(__name__)

EXAMPLES = [
    "首贷有什么支持政策？",
    "71号文第8条",
    "科技型企业发行债券有什么贴息支持？",
    "“江苏科创保”的保费补贴支持哪些领域？",
    "小微型科技型企业的不良贷款容忍度是多少？",
]
MODES = [("本地模型", "local"), ("API", "api"), ("摘录（无需模型）", "extractive")]
ERROR_TEXT = "抱歉，回答时出错（{kind}），已记录。请稍后重试，或改用“摘录”方式。"
THINKING = "正在检索条文…"
WRITING = "原文摘录已列出；{who}正在写一句话结论，可随时停止"
STOPPED = "已停止生成：上面是已列出的原文摘录。"
# the progress line adds the seconds waited so far
WAITING = "排队等待模型：前面还有 {n} 个问题。不需要模型的“摘录”方式无需排队"
FEEDBACK_FAILED = "反馈未能保存（{why}）。您的评价已暂存，恢复写入后会自动补记。"
EMPTY_TEXT = "问题为空。请输入要查询的政策问题，例如：“首贷有什么支持政策？”"
WHO = {"local": "本地模型", "api": "API 模型"}

FULL_TEXT = (
    "当前提问人数已满：正在处理 {n} 个问题（上限 {cap} 个）。您的问题已保留在输入框中，请稍后再点“提问”。"
    "也可先在“条款浏览”中检索。"
)

# (question box, history, sources panel, status, turns, progress line, stop button)
Outputs = tuple[str, list[dict], str, str, list[dict], str, dict]


class _Admission:
    """Chat requests being answered; beyond the cap a request is told so at once, its question kept."""

    def __init__(self) -> None:
        self.lock, self.busy = threading.Lock(), 0

    def enter(self, cap: int) -> int:
        """0 when admitted, else how many are in progress."""
        with self.lock:
            if self.busy >= cap:
                return self.busy
            self.busy += 1
            return 0

    def leave(self) -> None:
        with self.lock:
            self.busy -= 1


ADMISSION = _Admission()


def respond(
    services: Services, message: str, history: list[dict], mode: str, turns: list[dict]
) -> Iterator[Outputs]:
    """Stream one answer: the seven `Outputs` after each piece."""
    cap = services.settings.chat_concurrency
    busy = ADMISSION.enter(cap)
    if busy:
        log.warning("chat full: %d questions in progress (cap %d); asked to retry", busy, cap)
        full = FULL_TEXT.format(n=busy, cap=cap)
        yield message or "", history, panel(turns or []), full, turns, "", _stop(False)
        return
    try:
        yield from _respond(services, message, history, mode, turns)
    finally:
        ADMISSION.leave()


def _respond(
    services: Services, message: str, history: list[dict], mode: str, turns: list[dict]
) -> Iterator[Outputs]:
    message = message or ""
    if not history:  # a new conversation (cleared, or an API call without history)
        turns = []
    if not message.strip():
        yield "", history, panel(turns), EMPTY_TEXT, turns, "", _stop(False)
        return
    started = time.monotonic()
    shown = F.plain(_shown(message, services.settings.chat_display_chars))
    history = [*history, {"role": "user", "content": shown}, {"role": "assistant", "content": THINKING}]
    yield "", list(history), panel(turns), "", turns, progress(THINKING, started), _stop(True)
    turn = len(turns) + 1
    streamed, answer = "", None
    writing = WRITING.format(who=WHO.get(mode or services.settings.answer_mode, "模型"))
    stream = services.engine.stream(message, history[:-2], mode=mode or None, progress=True)
    try:
        for item in stream:
            if isinstance(item, Waiting):  # queued behind other model answers: say where it stands
                what = WAITING.format(n=item.position)
                yield "", list(history), panel(turns), "", turns, progress(what, started), _stop(True)
            elif isinstance(item, str):  # "" is a heartbeat: the model is writing, nothing to show yet
                streamed += item
                history[-1] = {
                    "role": "assistant",
                    "content": F.plain_lines(streamed) if streamed else THINKING,
                }
                what = writing if streamed else THINKING
                yield "", list(history), panel(turns), "", turns, progress(what, started), _stop(True)
            else:
                answer = item
        if answer is None:
            raise RuntimeError("engine returned no answer")
    except Exception as e:  # a user never sees a stack trace; the log keeps it
        log.exception("answer failed")
        history[-1] = {"role": "assistant", "content": ERROR_TEXT.format(kind=type(e).__name__)}
        yield "", history, panel(turns), "出错", turns, "", _stop(False)
        return
    finally:  # stopped by the user (Gradio drops this generator): stop the model too
        stream.close()
    history[-1] = {"role": "assistant", "content": answer_markdown(answer, turn)}
    turns = [*turns, turn_record(answer, turn, len(history) - 1)]
    yield "", history, panel(turns), F.status_markdown(answer), turns, "", _stop(False)


def progress(what: str, started: float) -> str:
    """'⏳ 正在检索条文… 已用 1.2 秒': app.js keeps the seconds ticking between server updates."""
    seconds = time.monotonic() - started
    return (
        f'<div class="progress">⏳ {escape(what)} · 已用 '
        f'<span class="elapsed" data-base="{seconds:.1f}">{seconds:.1f}</span> 秒</div>'
    )


def _stop(visible: bool) -> dict:
    return gr.update(visible=visible)


def stopped() -> tuple[str, dict, str]:
    """What the stop button leaves: no progress line, no stop button, a status saying so."""
    return "", _stop(False), STOPPED


def covered_html(documents) -> str:
    """The documents the assistant answers from: title, 文号, date, region, status."""
    rows = []
    for d in sorted(documents, key=lambda d: d.issue_date or "", reverse=True):
        meta = " · ".join(escape(x) for x in (d.doc_number, d.issue_date, d.region) if x)
        badge = " " + F.DRAFT_BADGE if d.is_draft else ""
        rows.append(f"<li>《{escape(d.title)}》<span class='muted'> {meta}</span>{badge}</li>")
    if not rows:
        return '<p class="muted">尚未收录文件。</p>'
    return f'<ul class="covered">{"".join(rows)}</ul>'


def _shown(message: str, cap: int) -> str:
    """The user's message for the chat bubble; a pasted page is cut, and says so."""
    if len(message) <= cap:
        return message
    return f"{message[:cap]}…（共{len(message)}字，此处只显示前{cap}字）"


def answer_markdown(answer, turn: int) -> str:
    """The final answer: [n] linked to its source card, sources listed under it."""
    return F.linked_markers(answer.text, turn) + F.footer_markdown(answer.citations, turn, answer.text)


def turn_record(answer, turn: int, message_index: int) -> dict:
    """What the panel and the 👍/👎 log keep of one answer."""
    return {
        "turn": turn,
        "message_index": message_index,
        "question": answer.question,
        "answer": answer.text,
        "mode": answer.mode,
        "citations": [
            {"n": c.n, "label": c.article.label, "chunk_id": c.article.chunk_id} for c in answer.citations
        ],
        "sources_html": F.sources_html(answer.citations, turn)
        + F.related_html(list(answer.possibly_related)),
    }


def panel(turns: list[dict]) -> str:
    """Sources of the latest answer; earlier answers' sources folded below (their [n] still lead there)."""
    if not turns:
        return '<p class="muted">回答引用的条文会显示在这里：文件、文号、日期、条款原文，引用句高亮。</p>'
    latest, earlier = turns[-1], turns[-2::-1]
    html = f'<div class="turn"><h4>第{latest["turn"]}问的来源</h4>{latest["sources_html"]}</div>'
    for t in earlier:
        html += (
            f'<details class="turn-old"><summary>第{t["turn"]}问的来源</summary>{t["sources_html"]}</details>'
        )
    return html


def rate(services: Services, turns: list[dict], data: gr.LikeData) -> None:
    """Append 👍/👎 for the rated answer to the feedback log."""
    index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
    turn = next((t for t in turns if t["message_index"] == index), None)
    if turn is None:  # a rating on a question, or on an answer that failed
        return
    try:
        feedback.record(services.feedback_path, bool(data.liked), turn)
    except OSError as e:  # read-only or full disk: say so, keep the rating for the next write
        log.error("feedback not written to %s: %s", services.feedback_path, e)
        gr.Warning(FEEDBACK_FAILED.format(why=feedback.why(e)))
        return
    gr.Info("感谢反馈，已记录。")


def clear() -> Outputs:
    return "", [], panel([]), "", [], "", _stop(False)


def build(services: Services) -> None:
    """The chat tab's components and events (inside a gr.Blocks / gr.Tab context)."""
    turns = gr.State([])
    with gr.Row(elem_id="chat-row"):
        with gr.Column(scale=3, elem_id="chat-col"):
            chatbot = gr.Chatbot(label="问答", height=520, elem_id="chatbot", buttons=["copy"])
            with gr.Row(elem_id="ask-row"):
                box = gr.Textbox(
                    placeholder="输入政策问题，如：首贷有什么支持政策？或“71号文第8条”",
                    show_label=False,
                    scale=5,
                    lines=1,
                    max_lines=6,
                    elem_id="question",
                )
                send = gr.Button("提问", variant="primary", scale=1, elem_id="ask")
            with gr.Row(elem_id="progress-row"):
                busy = gr.HTML("", elem_id="progress")
                stop = gr.Button("停止生成", variant="stop", visible=False, scale=0, elem_id="stop")
            with gr.Row(elem_id="mode-row"):
                mode = gr.Radio(MODES, value=services.settings.answer_mode, label="回答方式", scale=3)
                wipe = gr.Button("清空对话", scale=1, elem_id="clear")
            status = gr.Markdown(elem_id="status")
            gr.Examples(EXAMPLES, inputs=[box], label="示例问题")
            documents = services.documents()
            with gr.Accordion(f"本助手收录的文件（{len(documents)}份）", open=len(documents) <= 10):
                gr.HTML(covered_html(documents), elem_id="covered")
        with gr.Column(scale=2, elem_id="sources-col"):
            sources = gr.HTML(panel([]), label="来源", elem_id="sources")

    def ask(message, history, mode_value, records):
        yield from respond(services, message, history, mode_value, records)

    def on_like(records: list[dict], data: gr.LikeData) -> None:  # the hint makes Gradio pass LikeData
        rate(services, records, data)

    outputs = [box, chatbot, sources, status, turns, busy, stop]
    asking = gr.on(
        [box.submit, send.click],
        ask,
        [box, chatbot, mode, turns],
        outputs,
        api_name="ask",
        concurrency_limit=None,  # admission is ours (respond): a full chat says so in Chinese, question kept
    )
    stop.click(stopped, None, [busy, stop, status], cancels=[asking], queue=False, api_visibility="private")
    wipe.click(clear, None, outputs, queue=False, api_name="clear")
    chatbot.clear(clear, None, outputs, queue=False, api_visibility="private")  # its own 🗑 button
    chatbot.like(on_like, [turns], None, api_visibility="private")
    feedback_tab.attach_reason_form(services, chatbot, turns)  # 👎 asks why
