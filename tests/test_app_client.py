"""The running app through gradio_client: chat answers carry citations, the matcher
returns the hand-checked articles for three profiles with its exports, bad input gets a message."""

from __future__ import annotations

import re
from concurrent.futures import wait
from pathlib import Path

import pytest
from gradio_client import Client

from tests.app_server import running_app

pytestmark = pytest.mark.slow

K65, K71 = "（苏科区成发〔2026〕65号）", "（苏府办〔2022〕71号）"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    with running_app(tmp) as url:
        yield Client(url, verbose=False), tmp


def text_of(message: dict) -> str:
    """Chatbot content: a string, or Gradio 6's list of {'type': 'text', 'text': …} parts."""
    content = message["content"]
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


def ask(client: Client, question: str, history=()):
    box, history, sources, status, *_progress = client.predict(
        question, list(history), "extractive", api_name="/ask"
    )  # then the progress line and the stop button
    return history, sources, status


def test_chat_answer_carries_citations(app):
    client, _ = app
    history, sources, status = ask(client, "首贷有什么支持政策？")
    answer = text_of(history[-1])
    cited = sorted(set(re.findall(r"#src-1-(\d+)", answer)))
    assert cited, answer
    for n in cited:  # every [n] in the answer has its source card
        assert f'id="src-1-{n}"' in sources
    assert f"{K71}四（三）8." in sources and "<mark>" in sources
    assert "摘录模式" in status


def test_reference_question_and_follow_up(app):
    client, _ = app
    history, sources, _ = ask(client, "71号文第8条")
    assert "信保贷" in sources
    history, sources, _ = ask(client, "那贴息呢？", history)
    assert len(history) == 4 and "第2问的来源" in sources


def test_empty_and_huge_input_get_a_message(app):
    client, _ = app
    history, _, status = ask(client, "   ")
    assert history == [] and "问题为空" in status
    history, _, status = ask(client, "首贷" + "啊" * 20000)
    assert "问题过长" in status and "共20002字" in text_of(history[0])


def test_concurrent_questions_are_queued_and_all_answered(app):
    client, _ = app
    jobs = [client.submit(q, [], "extractive", api_name="/ask") for q in ("首贷", "担保费补贴", "保费补贴")]
    wait(jobs, timeout=120)
    for job in jobs:
        history = job.result()[1]
        assert "#src-1-1" in text_of(history[-1])


PROFILES = {
    # 2-year-old chip start-up in the SIP, no collateral, never borrowed: a loan and VC
    "chip": (
        (
            "电子信息",
            "不确定",
            2,
            ["科技型中小企业"],
            ["贷款", "股权投资"],
            "小微",
            "无",
            "无",
            "苏州工业园区",
        ),
        [f"{K71}四（三）8.", f"{K65}二（九）", f"{K65}六（十七）"],
        [f"{K65}二（八）"],  # 尽职免责 rules for bank staff
    ),
    # 专精特新“小巨人” equipment maker: new machines with a guarantee, then an IPO
    "little giant": (
        (
            "装备制造",
            "成长期",
            None,
            ["专精特新“小巨人”"],
            ["设备更新", "担保", "上市"],
            "中型",
            "有",
            "有",
            "吴江区",
        ),
        [f"{K65}五（十四）", f"{K71}四（二）4.", f"{K65}三（十）"],
        [f"{K65}二（八）"],
    ),
    # mature biotech in Nanjing: R&D insurance and a bond
    "nanjing biotech": (
        (
            "生物医药",
            "成熟期",
            15,
            ["高新技术企业"],
            ["保险", "债券"],
            "不确定",
            "不确定",
            "不确定",
            "南京市",
        ),
        [f"{K65}四（十三）", f"{K65}三（十一）"],
        [f"{K71}四（三）8."],  # 信保贷/首贷: no loan asked for
    ),
}


@pytest.mark.parametrize("name", PROFILES)
def test_matcher_returns_the_expected_articles(app, name):
    client, _ = app
    form, expected, unexpected = PROFILES[name]
    html, files = client.predict(*form, "", api_name="/match")
    for label in expected:
        assert label in html, label
    for label in unexpected:
        assert label not in html, label
    assert "可能适用" in html and "联系单位" in html
    assert sorted(Path(f).suffix for f in files) == [".docx", ".html", ".md", ".pdf"]


def test_matcher_marks_another_region(app):
    client, _ = app
    html, _ = client.predict(*PROFILES["nanjing biotech"][0], "", api_name="/match")
    assert "本条为苏州市政策，所在地“南京市”不在其范围内" in html


def test_lookup_gives_the_label_ready_to_copy(app):
    client, _ = app
    doc, toc, card, label = client.predict("71号文第8条", api_name="/lookup")
    assert label == f"《苏州市金融支持产业创新集群发展的工作意见》{K71}四（三）8."
    assert "未找到" in client.predict("第999条", api_name="/lookup")[2]


def test_login_when_auth_is_set(tmp_path):
    with running_app(tmp_path, "--auth", "staff:s3cret") as url:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own errors for a 401
            Client(url, verbose=False)
        client = Client(url, auth=("staff", "s3cret"), verbose=False)
        assert client.predict("71号文第8条", api_name="/lookup")[3].endswith("四（三）8.")
