"""The UI's own logic, without a browser: formatting, streaming, bad input, feedback.

The engine is the real one in extractive mode over an in-memory index of the seed
corpus (fake embedder: retrieval quality is not under test here, the UI is).
"""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr
import pytest

import settings as settings_mod
from answer import Engine
from app import parse_auth
from index.embed import FakeEmbedder
from index.retriever import HybridRetriever
from ingest.pipeline import load_corpus
from ingest.record import DRAFT, Article, DocMeta
from ui import browser, chat, feedback, matcher_tab
from ui import format as F
from ui.services import Services


class InMemoryIndex:
    """The PolicyIndex interface over an in-memory HybridRetriever."""

    def __init__(self, articles: list[Article], settings) -> None:
        self.retriever = HybridRetriever(articles, FakeEmbedder(), settings)

    def search(self, query, k=None, filters=None):
        return self.retriever.search(query, k=k, filters=filters)

    def lookup(self, ref):
        return self.retriever.lookup(ref)

    def closest_sentences(self, query, articles):
        return self.retriever.closest_sentences(query, articles)

    def articles(self, filters=None):
        return self.retriever.articles_matching(filters)

    def documents(self):
        return self.retriever.documents()


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Services:
    s = settings_mod.load(
        answer_mode="extractive", feedback_file=str(tmp_path_factory.mktemp("fb") / "fb.jsonl")
    )
    index = InMemoryIndex(load_corpus(s).articles, s)
    return Services(s, index, Engine(s, index=index))


def run(services, message, history=(), turns=()):
    """All yields of one chat turn."""
    return list(chat.respond(services, message, list(history), "extractive", list(turns)))


def test_answer_streams_then_links_each_citation_to_its_source(services):
    steps = run(services, "首贷有什么支持政策？")
    assert steps[0][1][-1]["content"] == chat.THINKING  # the user sees something at once
    box, history, panel, status, turns, *_ = steps[-1]
    assert box == "" and history[0] == {"role": "user", "content": "首贷有什么支持政策？"}
    answer = history[-1]["content"]
    assert "[\\[1\\]](#src-1-1)" in answer  # [1] leads to source card src-1-1
    assert 'id="src-1-1"' in panel and "<mark>" in panel
    cited = turns[0]["citations"]
    assert cited and all(c["label"] in panel for c in cited)
    assert "摘录模式" in status


def test_second_question_keeps_first_sources_folded(services):
    first = run(services, "首贷有什么支持政策？")[-1]
    second = run(services, "担保费补贴", history=first[1], turns=first[4])[-1]
    _, history, panel, _, turns, *_ = second
    assert [t["turn"] for t in turns] == [1, 2] and len(history) == 4
    assert "第2问的来源" in panel and 'class="turn-old"' in panel and 'id="src-1-1"' in panel


@pytest.mark.parametrize("message", ["", "   ", None])
def test_empty_message_gets_a_message_not_a_turn(services, message):
    steps = run(services, message)
    assert len(steps) == 1
    _, history, _, status, turns, *_ = steps[0]
    assert history == [] and turns == [] and status == chat.EMPTY_TEXT


def test_huge_paste_is_cut_in_the_bubble_and_the_user_is_told(services):
    _, history, _, status, *_ = run(services, "首贷" + "政" * 20000)[-1]
    bubble = history[0]["content"]
    assert len(bubble) < 600 and "共20002字" in bubble
    assert "问题过长" in status


def test_engine_failure_is_a_message_not_a_stack_trace(services):
    class Broken:
        def stream(self, *a, **k):
            yield "半句"
            raise ValueError("boom at line 3")

    broken = Services(services.settings, services.index, Broken())
    _, history, _, status, turns, *_ = run(broken, "首贷？")[-1]
    text = history[-1]["content"]
    assert (
        text == chat.ERROR_TEXT.format(kind="ValueError") and "Traceback" not in text and "boom" not in text
    )
    assert turns == [] and status == "出错"


def test_feedback_is_appended_with_question_answer_and_citations(services):
    _, history, _, _, turns, *_ = run(services, "首贷有什么支持政策？")[-1]
    path = services.feedback_path
    before = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    data = gr.LikeData(None, {"index": len(history) - 1, "value": history[-1]["content"], "liked": False})
    chat.rate(services, turns, data)
    chat.rate(
        services, turns, gr.LikeData(None, {"index": 0, "value": "q", "liked": True})
    )  # a question: ignored
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(before) + 1
    row = json.loads(lines[-1])
    assert row["rating"] == "down" and row["question"] == "首贷有什么支持政策？"
    assert row["answer"] == turns[0]["answer"] and row["citations"] == turns[0]["citations"]


def test_document_text_is_escaped_and_drafts_badged():
    doc = DocMeta("d", "f.txt", "某<b>意见</b>", status=DRAFT)
    a = Article("c", doc, "article", (), ("1",), "h", "支持<script>alert(1)</script>企业。首贷贴息。")
    html = F.article_card(a, marks=("首贷贴息。",), n=2, element_id="src-1-2")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>意见" not in html
    assert "<mark>首贷贴息。</mark>" in html and 'id="src-1-2"' in html and F.DRAFT_BADGE in html


def test_markers_link_to_their_turns_cards():
    assert F.linked_markers("贴息[1]，担保[2][3]。", 4) == (
        "贴息[\\[1\\]](#src-4-1)，担保[\\[2\\]](#src-4-2)[\\[3\\]](#src-4-3)。"
    )


def test_lookup_and_search(services):
    doc_id, toc, card, label = browser.look_up(services, "71号文第8条")
    assert label.endswith("（苏府办〔2022〕71号）四（三）8.") and "信保贷" in card
    assert toc["value"] and any(v == toc["value"] for _, v in toc["choices"])
    for bad in ("", "x" * 500, "不存在的文件第99条"):
        assert browser.look_up(services, bad)[3] == ""
    assert "担保费补贴" in browser.search(services, "担保费补贴", "", False)
    assert "请输入检索词" in browser.search(services, "  ", "", False)


def test_table_of_contents_lists_a_documents_articles(services):
    doc = next(d for d in services.documents() if d.doc_number == "苏府办〔2022〕71号")
    toc, card, label = browser.open_document(services, doc.doc_id)
    locators = [name.split(" ")[0] for name, _ in toc["choices"]]
    assert "四（三）8." in locators and label.startswith("《苏州市金融支持产业创新集群发展的工作意见》")


def test_matcher_form():
    p = matcher_tab.profile_from_form(
        "电子信息",
        "不确定",
        2,
        ["科技型中小企业", "伪造资质"],
        ["贷款"],
        "小微",
        "无",
        "不确定",
        " 苏州工业园区 ",
    )
    assert (p.stage, p.effective_stage, p.certifications) == ("", "初创期", ("科技型中小企业",))
    assert (p.has_collateral, p.has_loan, p.location) == (False, None, "苏州工业园区")
    unfilled = matcher_tab.profile_from_form(None, "不确定", 0, [], ["贷款"], "不确定", "有", "有", "")
    assert unfilled.age_years is None and unfilled.effective_stage == ""  # an empty number field sends 0


def test_matcher_tab_asks_for_something_to_match(services):
    empty, files = matcher_tab.run(services, None, "不确定", None, [], [], "不确定", "不确定", "不确定", "")
    assert "请至少选择" in empty and files == []
    html, files = matcher_tab.run(
        services, "电子信息", "初创期", 2, [], ["贷款"], "小微", "无", "无", "苏州", ""
    )
    assert "苏府办〔2022〕71号）四（三）8." in html and "可能适用" in html
    assert html.index("可能适用") < html.index("苏府办〔2022〕71号）四（三）8.")  # the summary comes first
    assert len(files) == 4 and all(Path(f).stat().st_size > 0 for f in files)


@pytest.mark.parametrize(("value", "expected"), [("a:b", ("a", "b")), ("a:b:c", ("a", "b:c")), ("", None)])
def test_parse_auth(value, expected):
    assert parse_auth(value) == expected


@pytest.mark.parametrize("value", ["nopassword", ":pw", "user:"])
def test_parse_auth_rejects(value):
    with pytest.raises(SystemExit):
        parse_auth(value)


def test_feedback_record_creates_the_log(tmp_path):
    line = feedback.record(tmp_path / "sub" / "f.jsonl", True, {"question": "q", "answer": "a"})
    assert (
        line["rating"] == "up" and (tmp_path / "sub" / "f.jsonl").read_text(encoding="utf-8").count("\n") == 1
    )


def test_progress_line_and_stop_button_while_answering_then_gone(services):
    steps = run(services, "首贷有什么支持政策？")
    *_, busy, stop = steps[0]
    assert "正在检索条文" in busy and 'class="elapsed"' in busy and "秒" in busy
    assert stop["visible"] is True
    *_, busy, stop = steps[-1]
    assert busy == "" and stop["visible"] is False
    assert chat.stopped()[2] == chat.STOPPED


def test_documents_covered_are_listed(services):
    html = chat.covered_html(services.documents())
    for d in services.documents():
        assert d.title in html
    assert "征求意见稿" in html  # the seed draft is badged
