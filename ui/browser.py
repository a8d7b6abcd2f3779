"""Tab 2: clause browser for staff — document -> table of contents -> article text,
a "71号文第8条" lookup, search within the documents, and the label ready to copy."""

from __future__ import annotations

from html import escape

import gradio as gr

from index.filters import Filters
from ingest.record import Article, DocMeta
from ui import format as F
from ui.services import Services

LOOKUP_HINT = "写法示例：71号文第8条；苏科区成发〔2026〕65号（十三）；科技招商意见 二（一）"
MAX_REF_CHARS = 200  # a reference is a short phrase; anything longer is a pasted paragraph


def doc_choice(doc: DocMeta) -> tuple[str, str]:
    """('《title》（文号）', doc_id) for the document picker; drafts and texts not in force say so."""
    tail = "，".join(x for x in (doc.doc_number or doc.status, doc.version_label) if x)
    stale = doc.validity if doc.validity in F.STALE else ""
    return (
        f"《{doc.title}》（{tail}）"
        + ("【征求意见稿】" if doc.is_draft and doc.doc_number else "")
        + (f"【{stale}】" if stale else ""),
        doc.doc_id,
    )


def toc_choice(article: Article) -> tuple[str, str]:
    """('四（三）8. 加强政策激励，扩大创新企业首贷、信用贷覆盖面', chunk_id)."""
    return (f"{article.locator} {article.heading}".strip(), article.chunk_id)


def open_document(services: Services, doc_id: str):
    """Table of contents of a document, with its first article shown."""
    articles = services.document_articles(doc_id) if doc_id else []
    if not articles:
        return gr.update(choices=[], value=None), "", ""
    first = next((a for a in articles if a.kind == "article"), articles[0])
    return (gr.update(choices=[toc_choice(a) for a in articles], value=first.chunk_id), *show(first))


def open_article(services: Services, chunk_id: str) -> tuple[str, str]:
    article = services.article(chunk_id) if chunk_id else None
    return show(article) if article else ("", "")


def show(article: Article) -> tuple[str, str]:
    """(card HTML, copyable label)."""
    return F.article_card(article, open_=True), article.label


def look_up(services: Services, ref: str):
    """Resolve a reference; also move the document picker and contents to the first match."""
    ref = (ref or "").strip()
    if not ref:
        return gr.update(), gr.update(), f'<p class="muted">请输入条款引用。{LOOKUP_HINT}</p>', ""
    if len(ref) > MAX_REF_CHARS:
        return gr.update(), gr.update(), f'<p class="warn">引用过长（{len(ref)}字）。{LOOKUP_HINT}</p>', ""
    found = services.index.lookup(ref)
    if not found:
        return gr.update(), gr.update(), f'<p class="warn">未找到“{escape(ref)}”。{LOOKUP_HINT}</p>', ""
    first = found[0]
    toc = [toc_choice(a) for a in services.document_articles(first.doc.doc_id)]
    cards = "".join(F.article_card(a, open_=(i == 0)) for i, a in enumerate(found))
    note = f'<p class="muted">找到 {len(found)} 条。</p>' if len(found) > 1 else ""
    return first.doc.doc_id, gr.update(choices=toc, value=first.chunk_id), note + cards, first.label


def search(services: Services, query: str, doc_id: str, only_this: bool) -> str:
    """Search hits as collapsed cards, best first; within the picked document if asked."""
    query = (query or "").strip()[: services.settings.max_question_chars]
    if not query:
        return '<p class="muted">请输入检索词，例如：贴息、首贷、担保费补贴。</p>'
    # the picked document even if no longer in force; otherwise the texts in force
    filters = Filters(docs=(doc_id,), include_superseded=True) if only_this and doc_id else None
    hits = services.index.search(query, k=services.settings.search_results, filters=filters)
    if not hits:
        return f'<p class="warn">没有找到与“{escape(query)}”相关的条文。</p>'
    return "".join(F.article_card(h.article, open_=(i == 0)) for i, h in enumerate(hits))


def build(services: Services) -> None:
    docs = [doc_choice(d) for d in services.documents()]
    with gr.Row():
        with gr.Column(scale=2):
            doc = gr.Dropdown(docs, value=None, label="政策文件", elem_id="doc-picker")
            toc = gr.Dropdown([], label="目录（条款）", elem_id="toc")
            with gr.Row():
                ref = gr.Textbox(label="条款定位", placeholder="71号文第8条", scale=4, elem_id="ref")
                go = gr.Button("定位", scale=1)
            with gr.Row():
                query = gr.Textbox(label="全文检索", placeholder="如：担保费补贴", scale=4, elem_id="search")
                find = gr.Button("检索", scale=1)
            only_this = gr.Checkbox(label="仅在所选文件内检索", value=False)
        with gr.Column(scale=3):
            label = gr.Textbox(
                label="引用标注（可复制）", buttons=["copy"], interactive=False, elem_id="label"
            )
            view = gr.HTML(
                '<p class="muted">选择文件和条款，或输入“71号文第8条”定位。</p>', elem_id="article"
            )
            hits = gr.HTML(elem_id="hits")

    doc.input(lambda d: open_document(services, d), [doc], [toc, view, label], api_name="open_document")
    toc.input(lambda c: open_article(services, c), [toc], [view, label], api_name="open_article")
    gr.on(
        [ref.submit, go.click],
        lambda r: look_up(services, r),
        [ref],
        [doc, toc, view, label],
        api_name="lookup",
    )
    gr.on(
        [query.submit, find.click],
        lambda q, d, o: search(services, q, d, o),
        [query, doc, only_this],
        [hits],
        api_name="search",
    )
