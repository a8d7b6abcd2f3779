"""The Gradio app: chat with sources, clause browser, policy matcher.

`build_app(services)` lays out the three tabs; app.py launches it.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ui import browser, chat, matcher_tab
from ui.services import Services

STATIC = Path(__file__).parent / "static"
TITLE = "政策问答 · 科技金融政策助手"
INTRO = (
    f"## {TITLE}\n"
    "答案均引用原文条款（文件、文号、条款号）；文件中没有的，助手会直说不知道。"
    "征求意见稿尚未生效，会单独标注。"
)


READ_ONLY_NOTE = (
    "⚠️ **只读模式**：数据目录不可写入，正在使用已建好的索引提供检索和问答；索引更新、反馈记录等修改已停用。"
)


def build_app(services: Services) -> gr.Blocks:
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(INTRO)
        if services.read_only:
            gr.Markdown(READ_ONLY_NOTE, elem_id="read-only")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                chat.build(services)
            with gr.Tab("条款浏览", id="browser"):
                browser.build(services)
            with gr.Tab("政策匹配", id="matcher"):
                matcher_tab.build(services)
    return demo


def css() -> str:
    return (STATIC / "style.css").read_text(encoding="utf-8")


def js() -> str:
    return (STATIC / "app.js").read_text(encoding="utf-8")


__all__ = ["Services", "build_app", "css", "js"]
