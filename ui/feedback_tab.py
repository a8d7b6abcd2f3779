"""Feedback that feeds evaluation: 👎 asks why (and optionally the right article); the 反馈 page
lists ratings; one click turns a reviewed one into a line of the feedback Q&A set (data/feedback_qa.jsonl),
which the 评测 tab can run."""

from __future__ import annotations

import json
from html import escape

import gradio as gr

from eval.loader import SetError, from_feedback
from ui import feedback
from ui.eval_tab import feedback_set_path
from ui.services import Services

REASONS = ["答案错误", "引用的条文不对", "文件里有但没找到", "不该回答（文件中没有）", "回答不完整", "其他"]
REFUSE = REASONS[3]
COLUMNS = ["时间", "评价", "问题", "原因", "说明", "正确条文", "已加入题集"]


# --- the 👎 form under the chat --------------------------------------------------------------
def attach_reason_form(services: Services, chatbot: gr.Chatbot, turns: gr.State) -> None:
    """Under the chat: a 👎 opens a short form (why, and the right article if known)."""
    rated = gr.State({})
    with gr.Group(visible=False, elem_id="feedback-form") as form:
        gr.Markdown("**这条回答哪里不对？**（可选填正确的条文，如“71号文第8条”，它会进入评测题集）")
        why = gr.Radio(REASONS, label="原因", elem_id="feedback-reason")
        note = gr.Textbox(label="说明（可选）", lines=1, elem_id="feedback-note")
        correct = gr.Textbox(
            label="正确的条文（可选）", placeholder="71号文第8条", elem_id="feedback-correct"
        )
        with gr.Row():
            send = gr.Button("提交原因", variant="primary", elem_id="feedback-submit")
            skip = gr.Button("不填了", elem_id="feedback-skip")
    done = gr.Markdown(elem_id="feedback-done")

    def on_like(records: list[dict], data: gr.LikeData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = next((t for t in records if t["message_index"] == index), None)
        if turn is None or data.liked:
            return gr.update(visible=False), {}, ""
        return gr.update(visible=True), turn, ""

    def on_send(turn: dict, reason: str, text: str, ref: str):
        if not turn:
            return gr.update(visible=False), "", gr.update(), gr.update(), gr.update()
        if not reason:
            return gr.update(), "请选择一个原因。", gr.update(), gr.update(), gr.update()
        ref = (ref or "").strip()[:200]
        found = services.index.lookup(ref) if ref else []
        label = found[0].label if found else ref
        feedback.reason(services.feedback_path, turn, reason, (text or "")[:2000], label)
        hint = "" if found or not ref else f"（未能定位“{escape(ref)}”，已按原文记录）"
        return gr.update(visible=False), "感谢，原因已记录。" + hint, None, "", ""

    chatbot.like(on_like, [turns], [form, rated, done], api_visibility="private")
    send.click(
        on_send, [rated, why, note, correct], [form, done, why, note, correct], api_visibility="private"
    )
    skip.click(lambda: gr.update(visible=False), None, [form], queue=False, api_visibility="private")


# --- the 反馈 page ------------------------------------------------------------------------------
def rows(services: Services, only_down: bool = True) -> list[list]:
    out = []
    for r in feedback.items(services.feedback_path):
        if only_down and r["rating"] != "down":
            continue
        out.append(
            [
                r.get("time", ""),
                "👎" if r["rating"] == "down" else "👍",
                r.get("question", ""),
                r.get("reason", ""),
                r.get("note", ""),
                r.get("correct", ""),
                r.get("qa_id", ""),
            ]
        )
    return out


def choices(services: Services, only_down: bool = True) -> list[tuple[str, str]]:
    return [
        (f"{r.get('time', '')[:16]} {r['question'][:40]}", r["id"])
        for r in feedback.items(services.feedback_path)
        if r["rating"] == "down" or not only_down
    ]


def detail(services: Services, rating_id: str) -> tuple[str, str, str, bool]:
    """(answer card, correct article, facts, refuse) for the picked rating."""
    r = next((x for x in feedback.items(services.feedback_path) if x["id"] == rating_id), None)
    if r is None:
        return "", "", "", False
    cited = "".join(f"<li>{escape(c.get('label', ''))}</li>" for c in r.get("citations", []))
    html = (
        f'<div class="card"><b>问题</b>：{escape(r["question"])}<br><b>回答</b>（{escape(r.get("mode", ""))}）：'
        f'<div class="text">{escape(r.get("answer", ""))}</div><b>引用</b><ul>{cited}</ul></div>'
    )
    return html, r.get("correct", ""), "", r.get("reason", "") == REFUSE


def to_qa(services: Services, rating_id: str, ref: str, facts: str, refuse: bool, only_down: bool):
    """Append the reviewed rating to the feedback Q&A set; returns (message, table)."""
    r = next((x for x in feedback.items(services.feedback_path) if x["id"] == rating_id), None)
    if r is None:
        return '<p class="warn">请先选择一条反馈。</p>', gr.update()
    article = None
    if not refuse:
        found = services.index.lookup((ref or "").strip()[:200]) if (ref or "").strip() else []
        by_label = [a for a in services.articles() if a.label == (ref or "").strip()]
        article = (by_label or found or [None])[0]
    try:
        line = from_feedback(r, article, facts, refuse)
    except SetError as e:
        return f'<p class="warn">{escape(str(e))}（未能定位“{escape(ref or "")}”）</p>', gr.update()
    path = feedback_set_path(services)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
    feedback.mark_added(services.feedback_path, r["id"], line["id"])
    shown = escape(json.dumps(line, ensure_ascii=False))
    return f'<p id="feedback-added">已加入题集 {escape(path.name)}：</p><pre>{shown}</pre>', rows(
        services, only_down
    )


def build(services: Services) -> None:
    only_down = gr.Checkbox(value=True, label="只看 👎", elem_id="feedback-only-down")
    table = gr.Dataframe(
        value=rows(services), headers=COLUMNS, interactive=False, wrap=True, elem_id="feedback-table"
    )
    reload = gr.Button("刷新", size="sm", elem_id="feedback-reload")
    gr.Markdown("#### 审核后加入评测题集")
    pick = gr.Dropdown(choices(services), label="选择一条反馈", elem_id="feedback-pick")
    card = gr.HTML(elem_id="feedback-card")
    with gr.Row():
        ref = gr.Textbox(label="正确的条文（引用或标签，如 71号文第8条）", elem_id="feedback-ref")
        facts = gr.Textbox(label="要点（用“；”分隔，如 贴息；50%）", elem_id="feedback-facts")
        refuse = gr.Checkbox(label="文件中没有答案（应拒答）", elem_id="feedback-refuse")
    add = gr.Button("加入题集", variant="primary", elem_id="feedback-to-qa")
    result = gr.HTML(elem_id="feedback-result")
    download = gr.File(label="反馈生成的题集", interactive=False, elem_id="feedback-set")

    def refresh(down):
        path = feedback_set_path(services)
        return (
            rows(services, down),
            gr.update(choices=choices(services, down)),
            str(path) if path.exists() else None,
        )

    gr.on(
        [reload.click, only_down.change],
        refresh,
        [only_down],
        [table, pick, download],
        api_visibility="private",
    )
    pick.focus(
        lambda d: gr.update(choices=choices(services, d)),
        [only_down],
        [pick],
        queue=False,
        api_visibility="private",
    )
    pick.input(lambda i: detail(services, i), [pick], [card, ref, facts, refuse], api_visibility="private")

    def on_add(i, r, f, x, down):
        message, new_rows = to_qa(services, i, r, f, x, down)
        path = feedback_set_path(services)
        return message, new_rows, str(path) if path.exists() else None

    add.click(
        on_add, [pick, ref, facts, refuse, only_down], [result, table, download], api_visibility="private"
    )
