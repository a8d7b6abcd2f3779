"""HTML and Markdown for what the engine, the index and the matcher return.

Everything taken from a document or a user is escaped: a policy file is data,
never markup. Element ids follow one scheme so an answer's `[n]` can lead to its
source card: `src-<turn>-<n>` (see ui/static/app.js).
"""

from __future__ import annotations

import re
from html import escape

from ingest.record import Article
from library.listing import in_charge_text

MARKER = re.compile(r"\[(\d{1,3})\]")
DRAFT_BADGE = '<span class="badge draft">征求意见稿·未生效</span>'
STALE = ("已被修订", "已废止", "已失效", "尚未施行")  # validity values that get a warning badge
MODE_NAMES = {
    "local": "本地模型（结论已逐句核对）",
    "api": "API 模型",
    "extractive": "摘录模式（未使用语言模型，句子均为原文）",
    "none": "未调用模型（按规则判断，没有生成回答）",
}


def source_id(turn: int, n: int) -> str:
    return f"src-{turn}-{n}"


# Markdown and HTML syntax characters: in text from a document or a user they are characters,
# never markup (an <img> would be fetched, an <a href> or [x](url) would become a link).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")
_HTML_SPECIAL = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}
_LIST_ITEM = re.compile(r"^(\s*(?:[-*]|\d{1,2}[.、])\s)")  # the answer's own list structure survives


def plain(text: str) -> str:
    r"""Text shown literally inside Markdown: every markup character escaped.

    >>> plain('<img src="http://x/a.png">见[链接](http://x)')
    '&lt;img src=&quot;http\\://x/a\\.png&quot;&gt;见\\[链接\\]\\(http\\://x\\)'
    """
    out = "".join(_HTML_SPECIAL.get(ch, ch) for ch in text)
    return _MD_SPECIAL.sub(r"\\\1", out)


def plain_lines(text: str) -> str:
    """`plain` line by line, keeping a leading list marker ("- ", "1. ") as the answer's structure."""
    out = []
    for line in text.split("\n"):
        m = _LIST_ITEM.match(line)
        head = m.group(1) if m else ""
        out.append(head + plain(line[len(head) :]))
    return "\n".join(out)


def linked_markers(text: str, turn: int) -> str:
    """'贴息[1]。' -> '贴息[\\[1\\]](#src-3-1)。' — Markdown links to the turn's source cards;
    everything else in `text` is escaped (it quotes documents: characters, never markup)."""
    out, pos = [], 0
    for m in MARKER.finditer(text):
        out += [
            plain_lines(text[pos : m.start()]),
            f"[\\[{m.group(1)}\\]](#{source_id(turn, int(m.group(1)))})",
        ]
        pos = m.end()
    return "".join(out) + plain_lines(text[pos:])


def highlight(text: str, sentences: tuple[str, ...] | list[str]) -> str:
    """Escaped `text` with each of `sentences` found in it wrapped in <mark>.

    >>> highlight("甲。乙<丙>。", ["乙<丙>。"])
    '甲。<mark>乙&lt;丙&gt;。</mark>'
    """
    spans = []
    for s in sentences:
        s = s.strip().rstrip("…")
        at = text.find(s) if len(s) >= 2 else -1
        if at >= 0:
            spans.append((at, at + len(s)))
    out, pos = [], 0
    for start, end in _merged(spans):
        out += [escape(text[pos:start]), "<mark>", escape(text[start:end]), "</mark>"]
        pos = end
    return "".join(out) + escape(text[pos:])


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def status_badge(doc) -> str:
    """The draft badge, or a badge for a text not in force today (已被修订 / 已废止 …); '' when current."""
    if doc.is_draft:
        return DRAFT_BADGE
    v = doc.validity
    return f'<span class="badge draft">{escape(v)}</span>' if v in STALE else ""


def version_history(doc) -> str:
    """'版本：2020年版 → <b>2025年修订</b>' with this document's version in bold; '' for a single text."""
    if len(doc.version_labels) < 2:
        return ""
    items = [
        f"<b>{escape(label)}</b>" if vid == doc.doc_id else escape(label)
        for vid, label in zip(doc.versions, doc.version_labels, strict=False)
    ]
    return '<div class="versions">版本：' + " → ".join(items) + "</div>"


def doc_line(article: Article) -> str:
    """'《title》 · 苏府办〔2022〕71号 · 行政法规 · 国务院 · 2022-05-10 · 现行有效 [badge]', escaped,
    and the version history when the title has several versions."""
    d = article.doc
    issuers = "、".join(d.issuers[:2])
    parts = [
        f"《{escape(d.title)}》",
        escape(d.doc_number or d.order_number),
        escape(d.kind),
        escape(issuers),
    ]
    parts += [escape(d.version_label or d.issue_date), escape(d.validity if d.validity not in STALE else "")]
    if d.effective_date:
        parts.append(f"施行 {escape(d.effective_date)}")
    if d.authorities:
        parts.append(f"负责部门 {escape(in_charge_text(d))}")
    line = " · ".join(p for p in parts if p)
    badge = status_badge(d)
    return line + (" " + badge if badge else "") + version_history(d)


def article_card(
    article: Article, marks: tuple[str, ...] = (), n: int = 0, element_id: str = "", open_: bool = False
) -> str:
    """A <details> card: [n] label in the summary; document line, text and copyable label inside."""
    number = f'<span class="num">[{n}]</span> ' if n else ""
    units = "、".join(article.responsible_units)
    shown = units and "责任单位" not in article.text  # 71号文 keeps them inside the text already
    units_html = f'<div class="units">责任单位：{escape(units)}</div>' if shown else ""
    badge = (" " + status_badge(article.doc) if status_badge(article.doc) else "") + flag_badges(article)
    attrs = (f' id="{element_id}"' if element_id else "") + (" open" if open_ else "")
    return (
        f'<details class="card"{attrs}><summary>{number}{escape(article.label)}{badge}</summary>'
        f'<div class="doc">{doc_line(article)}</div>'
        f'<div class="text">{highlight(article.text, marks)}</div>{units_html}'
        f'<div class="cite">引用：<code>{escape(article.label)}</code></div></details>'
    )


def flag_badges(article: Article) -> str:
    """A warning badge per kind of planted text the article carries (flagged at ingest)."""
    from ingest.injection import FLAG_NOTES, flag_kinds

    return "".join(
        f' <span class="badge flagged" title="{escape(FLAG_NOTES[k])}">⚠ {escape(FLAG_NOTES[k])}</span>'
        for k in sorted(flag_kinds(article))
    )


def sources_html(citations, turn: int) -> str:
    """Source cards for one answer's citations (answer.Citation: n, article, sentences)."""
    if not citations:
        return '<p class="muted">本次回答没有引用条文。</p>'
    cards = [article_card(c.article, c.sentences, c.n, source_id(turn, c.n)) for c in citations]
    return "".join(cards)


def related_html(articles: list[Article]) -> str:
    if not articles:
        return ""
    cards = "".join(article_card(a) for a in articles)
    return f'<p class="muted">可能相关（未用于回答）：</p>{cards}'


def status_markdown(answer) -> str:
    """Which mode answered, why another did not, and the engine's warnings, for the user."""
    lines = [f"**回答方式**：{MODE_NAMES.get(answer.mode, answer.mode)}"]
    if answer.fallback_reason:
        lines.append(f"**改用原因**：{plain(answer.fallback_reason)}")
    if answer.invalid_citations:
        lines.append(f"已移除 {answer.invalid_citations} 处无效引用。")
    lines += [f"⚠️ {plain(w)}" for w in answer.warnings]
    if answer.latency_ms:
        lines.append(f"用时 {answer.latency_ms / 1000:.1f} 秒")
    return "  \n".join(lines)


def footer_markdown(citations, turn: int, text: str = "") -> str:
    """Under each answer in the chat: its sources by label, each linked to its card."""
    if not citations or all(c.article.label in text for c in citations):
        return ""  # the extractive answer already heads each excerpt with its label
    items = [f"[\\[{c.n}\\]](#{source_id(turn, c.n)}) {plain(c.article.label)}" for c in citations]
    return "\n\n**来源**：  \n" + "  \n".join(items)
