"""Tab 文库 (staff): what the library holds; add, replace or remove files.

A change runs in the background (library.Library): this tab starts it and polls its
progress and per-file report until it ends. Closing the page does not stop it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from html import escape

import gradio as gr

from library import LibraryLocked
from library.listing import COLUMNS, table_cells
from ui.services import Services

FILE_TYPES = [".txt", ".md", ".pdf", ".docx", ".html", ".htm"]
POLL_S = 0.5
IDLE = '<p class="muted">上传、替换或删除后，进度和逐个文件的结果显示在这里。</p>'


def table(services: Services) -> list[list]:
    counts: dict[str, int] = {}
    for a in services.articles():
        counts[a.doc.doc_id] = counts.get(a.doc.doc_id, 0) + 1
    docs = sorted(services.documents(), key=lambda d: (d.title, d.issue_date, d.source))
    names = {d.doc_id: d for d in docs}
    return [table_cells(d, counts.get(d.doc_id, 0), names) for d in docs]


def doc_choices(services: Services) -> list[tuple[str, str]]:
    docs = sorted(services.documents(), key=lambda d: (d.title, d.issue_date))
    return [(f"{d.cite_name} {d.issue_date}（{d.source}）", d.source) for d in docs]


def summary(services: Services) -> str:
    docs = services.documents()
    return f"文库共 **{len(docs)}** 份文件、**{len(services.articles())}** 条条文。"


def progress_html(snap: dict) -> str:
    pct = int(round(snap["fraction"] * 100))
    if not snap["finished"]:
        state = f"{escape(snap['stage'])}…（已用 {snap['seconds']:.0f} 秒）"
    elif snap["ok"]:
        state = f"✓ {escape(snap['action'])}完成，索引已更新（用时 {snap['seconds']:.0f} 秒）"
    else:
        state = f"✗ {escape(snap['action'])}未完成：{escape(snap['stage'])}。文库和索引保持原样"
    return (
        f'<div id="library-job" data-job="{snap["id"]}" data-finished="{str(snap["finished"]).lower()}" data-ok="{str(snap["ok"]).lower()}">'
        f'<progress max="100" value="{pct}"></progress> {pct}% · {state}</div>'
    )


def who(services: Services, request: gr.Request | None) -> tuple[str, str]:
    """(user, why not allowed): changes need a login when auth is on, and never in read-only mode."""
    user = getattr(request, "username", None) or ""
    if services.settings.auth and not user:
        return "", "请先登录再修改文库"
    return user, services.library.read_only_reason() if services.library else "文库管理未启用"


Outputs = tuple[str, str, object, object, str]


def follow(services: Services, start) -> Iterator[Outputs]:
    """Start a change and yield (progress, report, table, picker, summary) until it ends."""
    try:
        job = start()
    except LibraryLocked as e:
        yield f'<p class="warn">{escape(str(e))}</p>', "", gr.update(), gr.update(), gr.update()
        return
    while True:
        snap = job.snapshot()
        yield progress_html(snap), "\n".join(snap["lines"]), gr.update(), gr.update(), gr.update()
        if snap["finished"]:
            break
        time.sleep(POLL_S)
    yield (
        progress_html(job.snapshot()),
        "\n".join(job.lines),
        table(services),
        gr.update(choices=doc_choices(services), value=None),
        summary(services),
    )


def refused(why: str) -> Iterator[Outputs]:
    yield f'<p class="warn">{escape(why)}</p>', "", gr.update(), gr.update(), gr.update()


def upload(services: Services, files, request: gr.Request) -> Iterator[Outputs]:
    user, why = who(services, request)
    if why or not files:
        yield from refused(why or "请先选择要上传的文件（可多选）")
        return
    paths = [getattr(f, "name", f) for f in files]
    yield from follow(services, lambda: services.library.upload(paths, user=user))


def replace(
    services: Services, source: str, new_file, keep_old: bool, request: gr.Request
) -> Iterator[Outputs]:
    user, why = who(services, request)
    if why or not source or not new_file:
        yield from refused(why or "请选择要替换的文件，并上传新版本")
        return
    path = getattr(new_file, "name", new_file)
    yield from follow(services, lambda: services.library.replace(source, path, keep_old, user=user))


def remove(services: Services, source: str, confirm: bool, request: gr.Request) -> Iterator[Outputs]:
    user, why = who(services, request)
    if why or not source or not confirm:
        yield from refused(why or ("请选择要删除的文件" if not source else "请勾选“确认删除”"))
        return
    yield from follow(services, lambda: services.library.remove(source, user=user))


def build(services: Services) -> None:
    user_note = "" if not services.library else services.library.read_only_reason()
    head = gr.Markdown(
        lambda: summary(services), elem_id="library-summary"
    )  # a callable: read at each page load
    if user_note:
        gr.Markdown(f"⚠️ {user_note}", elem_id="library-readonly")
    docs = gr.Dataframe(
        value=lambda: table(services),
        headers=list(COLUMNS),
        interactive=False,
        wrap=True,
        column_widths=["24%", "13%", "16%", "7%", "13%", "9%", "6%", "12%"],
        elem_id="library-table",
        label="文库中的文件",
    )
    with gr.Row():
        with gr.Column():
            gr.Markdown("#### 上传文件（可多选：txt / md / pdf / docx / html）")
            files = gr.File(
                file_count="multiple", file_types=FILE_TYPES, elem_id="library-upload", label="新文件"
            )
            add = gr.Button(
                "上传并更新索引", variant="primary", elem_id="library-add", interactive=not user_note
            )
        with gr.Column():
            gr.Markdown("#### 替换为新版本 / 删除")
            picked = gr.Dropdown(
                doc_choices(services), value=None, label="文库中的文件", elem_id="library-doc"
            )
            new = gr.File(file_types=FILE_TYPES, elem_id="library-new-version", label="新版本文件")
            keep = gr.Checkbox(
                value=True, label="保留旧版本（作为历史版本，状态按版本关系显示）", elem_id="library-keep"
            )
            swap = gr.Button("替换为新版本", elem_id="library-replace", interactive=not user_note)
            confirm = gr.Checkbox(value=False, label="确认删除所选文件", elem_id="library-confirm")
            drop = gr.Button(
                "删除所选文件", variant="stop", elem_id="library-remove", interactive=not user_note
            )
    progress = gr.HTML(IDLE, elem_id="library-progress")
    report = gr.Textbox(label="逐个文件的结果", lines=6, interactive=False, elem_id="library-report")
    reload = gr.Button("刷新列表", size="sm", elem_id="library-reload")

    outputs = [progress, report, docs, picked, head]
    common = {"concurrency_limit": None, "api_visibility": "private"}

    def on_add(f, request: gr.Request):  # the hint makes Gradio pass the request (its login)
        yield from upload(services, f, request)

    def on_replace(source, f, keep_old, request: gr.Request):
        yield from replace(services, source, f, keep_old, request)

    def on_remove(source, sure, request: gr.Request):
        yield from remove(services, source, sure, request)

    add.click(on_add, [files], outputs, **common)
    swap.click(on_replace, [picked, new, keep], outputs, **common)
    drop.click(on_remove, [picked, confirm], outputs, **common)
    picked.focus(
        lambda: gr.update(choices=doc_choices(services)),
        None,
        [picked],
        queue=False,
        api_visibility="private",
    )
    reload.click(
        lambda: (table(services), gr.update(choices=doc_choices(services)), summary(services)),
        None,
        [docs, picked, head],
        queue=False,
        api_visibility="private",
    )
