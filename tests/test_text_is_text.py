"""Finding 3: corpus and question text are characters, never markup, wherever they are shown.

A corpus `<img src>` must not be fetched and an `<a href>` must not become a link in
the chat (Markdown) or the cards (HTML); quoted text keeps its characters (`<b>` shows
as `<b>`); markup in a question does not steer retrieval.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from answer_fakes import FINANCE, SEED, KeywordIndex, article

import settings
from answer import Engine
from answer.sanitize import clean_question
from ui import chat
from ui import format as F

HOSTILE = article(
    FINANCE,
    ("九",),
    '九、首贷奖励<img src="http://127.0.0.1:9/pixel.png">详见<a href="http://evil.example/x">申报入口</a>，'
    "标记<b>加粗</b>与[链接](http://evil.example/y)、![图](http://evil.example/z.png)照原样显示。",
)


def _markup(md: str) -> list[str]:
    """What would become an element or a link when `md` is rendered as Markdown + HTML."""
    raw_tags = re.findall(r"<(?:img|a|b|script)\b[^>]*>", md)
    links = [m for m in re.findall(r"(?<!\\)\[[^\]]*\]\(([^)]*)\)", md) if not m.startswith("#src-")]
    return raw_tags + links


def test_chat_markdown_shows_document_markup_as_characters() -> None:
    text = f"{HOSTILE.text}[1]"
    md = F.linked_markers(text, turn=2)
    assert _markup(md) == []
    assert "[\\[1\\]](#src-2-1)" in md  # our own citation link survives
    assert "&lt;b&gt;加粗&lt;/b&gt;" in md  # shown as <b>, not bold and not dropped


def test_streamed_and_final_chat_content_are_escaped() -> None:
    conf = settings.load(refuse_min_vector=1.0, refuse_min_keyword=1.0, answer_mode="extractive")
    engine = Engine(conf, index=KeywordIndex([*SEED, HOSTILE]))
    services = SimpleNamespace(settings=conf, engine=engine)
    question = '<img src="http://127.0.0.1:9/q.png">首贷奖励申报入口在哪？'
    outputs = list(chat.respond(services, question, [], "extractive", []))
    for _, history, *_ in outputs:
        for message in history:
            assert _markup(str(message["content"])) == [], message["content"]
    final = outputs[-1][1][-1]["content"]
    assert "申报入口" in final


def test_cards_escape_document_text() -> None:
    html = F.article_card(HOSTILE, marks=("首贷奖励",))
    assert "<img" not in html and "<a href" not in html and "&lt;b&gt;" in html


def test_markup_in_a_question_is_stripped_before_retrieval() -> None:
    q = clean_question('<img src="http://x/img.png" onerror="alert(1)"><b>首贷</b>有什么支持？', 2000)
    assert q.text == "首贷有什么支持？"
    idx = KeywordIndex(SEED)
    engine = Engine(settings.load(refuse_min_vector=1.0, refuse_min_keyword=1.0), index=idx)
    engine.ask('<a href="http://x/src/img">首贷</a>有什么支持？', mode="extractive")
    assert all("href" not in s and "img" not in s for s in idx.queries)


def test_a_less_than_sign_in_a_question_is_kept() -> None:
    assert clean_question("贷款额度<100万元的企业有贴息吗？", 2000).text == "贷款额度<100万元的企业有贴息吗？"
