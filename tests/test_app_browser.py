"""A real browser (Debian's chromium, driven by Selenium) against the running app.

Asks a question, sees an answer with a citation, opens its source; looks up a clause;
matches a profile. Screenshots go to artifacts/ (git-ignored; CI keeps them).
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.app_server import ROOT, running_app
from tests.browser import chromium

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "artifacts"
WAIT_S = 60  # a first search loads the embedding model


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    with running_app(tmp) as address:
        yield address, tmp / "feedback.jsonl"


@pytest.fixture(scope="module")
def url(app):
    return app[0]


@pytest.fixture(scope="module")
def driver():
    d = chromium()
    yield d
    d.quit()


def shot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    return path


def open_tab(driver, wait, title: str) -> None:
    tab = wait.until(EC.element_to_be_clickable((By.XPATH, f"//button[@role='tab'][contains(., '{title}')]")))
    tab.click()


def test_ask_see_citation_open_source(driver, url):
    wait = WebDriverWait(driver, WAIT_S)
    driver.get(url)
    box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    box.send_keys("首贷有什么支持政策？")
    driver.find_element(By.CSS_SELECTOR, "#ask").click()
    link = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, '#chatbot a[href="#src-1-1"]')))
    assert link.text == "[1]"
    card = driver.find_element(By.ID, "src-1-1")
    # centre it: the chat's "scroll to bottom" arrow can sit over a link at the panel's edge
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    wait.until(lambda d: card.get_attribute("open") is not None)
    assert card.is_displayed()
    assert card.find_elements(By.TAG_NAME, "mark"), "the cited sentence is highlighted"
    assert "《" in card.find_element(By.TAG_NAME, "summary").text
    assert "摘录模式" in driver.find_element(By.ID, "status").text
    assert shot(driver, "app_chat.png").stat().st_size > 10_000


def test_rating_an_answer_is_logged(driver, app):
    """Runs after the question above, on the same page: 👎 writes one line to the feedback log."""
    log = app[1]
    driver.find_element(By.CSS_SELECTOR, "#chatbot button[aria-label='Dislike']").click()
    WebDriverWait(driver, WAIT_S).until(lambda d: log.exists() and log.read_text(encoding="utf-8").strip())
    row = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert row["rating"] == "down" and row["question"] == "首贷有什么支持政策？"
    assert row["citations"] and row["citations"][0]["n"] == 1


def test_clear_conversation(driver):
    driver.find_element(By.ID, "clear").click()
    WebDriverWait(driver, WAIT_S).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "#chatbot a[href^='#src-']")
    )
    assert "回答引用的条文会显示在这里" in driver.find_element(By.ID, "sources").text


def test_clause_lookup(driver, url):
    wait = WebDriverWait(driver, WAIT_S)
    driver.get(url)
    open_tab(driver, wait, "条款浏览")
    ref = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#ref textarea, #ref input")))
    ref.send_keys("71号文第8条", Keys.ENTER)
    wait.until(lambda d: "信保贷" in d.find_element(By.ID, "article").text)
    label = driver.find_element(By.CSS_SELECTOR, "#label textarea, #label input").get_attribute("value")
    assert label.endswith("（苏府办〔2022〕71号）四（三）8.")
    shot(driver, "app_browser.png")


def choose(driver, wait, group: str, choice: str) -> None:
    option = wait.until(
        EC.element_to_be_clickable((By.XPATH, f"//*[@id='{group}']//label[contains(., '{choice}')]"))
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", option)
    option.click()


def test_policy_matcher_newcomer(driver, url):
    """The issue's newcomer: a one-screen summary, the checklist with contacts, exportable files."""
    wait = WebDriverWait(driver, WAIT_S)
    driver.get(url)
    open_tab(driver, wait, "政策匹配")
    for group, choice in (
        ("industry", "电子信息"),
        ("stage", "初创期"),
        ("certs", "科技型中小企业"),
        ("needs", "贷款"),
        ("needs", "人才"),
        ("size", "小微"),
        ("collateral", "无"),
        ("loan", "无"),
    ):
        choose(driver, wait, group, choice)
    location = driver.find_element(By.CSS_SELECTOR, "#location textarea, #location input")
    location.clear()
    location.send_keys("苏州工业园区")
    driver.find_element(By.ID, "match").click()
    wait.until(lambda d: d.find_elements(By.ID, "cl-summary"))
    summary = driver.find_element(By.ID, "cl-summary")
    assert summary.text.startswith("可能适用") and "需核实" in summary.text and "苏州工业园区" in summary.text
    result = driver.find_element(By.ID, "match-result")
    text = result.text
    # contacts named for the measure, not the issuer list
    assert "江苏省财政厅（条文点名）" in text and "苏州市金融监管局、苏州市财政局" in text
    assert "等8家发文单位" not in text
    # one screen: the summary and every measure met fit in one window height, folded lists after
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", summary)
    met = driver.find_elements(By.CSS_SELECTOR, "#match-result details.cl-item.v-met")
    window_h = driver.execute_script("return window.innerHeight")
    assert met and all(m.is_displayed() for m in met)
    assert met[-1].rect["y"] + met[-1].rect["height"] - summary.rect["y"] < window_h
    shot(driver, "app_matcher.png")
    # exports: Markdown, Word, PDF and the printable page, each downloadable with the summary inside
    links = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#match-export a[href]") or None)
    hrefs = [a.get_attribute("href") for a in links]
    assert {h.rsplit(".", 1)[-1] for h in hrefs} >= {"md", "docx", "pdf", "html"}
    md = next(h for h in hrefs if h.endswith(".md"))
    with urllib.request.urlopen(md, timeout=30) as response:
        body = response.read().decode("utf-8")
    assert summary.text.splitlines()[0] in body and "生成时间：" in body and "引用" in body
    # unfold one item: its conditions, each with its verdict
    first = met[0]
    first.find_element(By.TAG_NAME, "summary").click()
    wait.until(lambda d: first.get_attribute("open") is not None)
    assert "[满足]" in first.text and "联系单位" in first.text
    driver.execute_script("document.getElementById('match-export').scrollIntoView({block: 'end'})")
    shot(driver, "app_matcher_export.png")


# --- the chat as a user meets it (issue 12) --------------------------------------------------------

RECORD_CHAT = """
window.__seen = [];
const chat = document.getElementById('chatbot');
new MutationObserver(() => window.__seen.push(chat.innerText)).observe(
  chat, {subtree: true, childList: true, characterData: true});
"""


@pytest.fixture(scope="module")
def local_url(tmp_path_factory):
    """The app with the real local model (the default answer mode)."""
    with running_app(tmp_path_factory.mktemp("local"), "--answer-mode", "local") as address:
        yield address


def ask(driver, question: str) -> None:
    box = WebDriverWait(driver, WAIT_S).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea"))
    )
    box.send_keys(question)
    driver.find_element(By.CSS_SELECTOR, "#ask").click()


def status_text(driver) -> str:
    return driver.find_element(By.ID, "status").text


def answered(driver, turn: int) -> None:
    """Wait until the status of answer `turn` is in (the status line is filled at the end)."""
    WebDriverWait(driver, 300).until(
        lambda d: (
            "回答方式" in status_text(d)
            and len(d.find_elements(By.CSS_SELECTOR, f"[id^='src-{turn}-']"))
            + ("未调用模型" in status_text(d))
        )
    )


def test_local_answer_quotes_first_shows_progress_and_stop_never_a_replaced_refusal(driver, local_url):
    wait = WebDriverWait(driver, 300)
    driver.get(local_url)
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    driver.execute_script(RECORD_CHAT)
    ask(driver, "首贷有什么支持政策？")
    # while the model writes its lead: the quotes are already there, a ticking status, a stop button
    wait.until(lambda d: "以下是现有政策文件中与问题最相关的原文" in d.find_element(By.ID, "chatbot").text)
    progress = driver.find_element(By.ID, "progress")
    if "回答方式" not in status_text(driver):  # the model is still running
        assert "秒" in progress.text and "正在写一句话结论" in progress.text
        assert driver.find_element(By.ID, "stop").is_displayed()
        shot(driver, "app_chat_local_running.png")
    answered(driver, 1)
    assert not any(b.is_displayed() for b in driver.find_elements(By.ID, "stop"))
    seen = driver.execute_script("return window.__seen")
    assert seen and not any("未找到" in t for t in seen)  # nothing streamed that the final replaces
    final = driver.find_element(By.ID, "chatbot").text
    assert "可咨询" in final  # a next step in every answer
    shot(driver, "app_chat_local.png")


def test_follow_up_whom_to_ask_names_the_units_without_the_model(driver, local_url):
    ask(driver, "那找谁申请？")
    WebDriverWait(driver, 120).until(
        lambda d: "可向以下单位咨询或申请" in d.find_element(By.ID, "chatbot").text
    )
    answered(driver, 2)
    chat = driver.find_element(By.ID, "chatbot").get_attribute("textContent")
    reply = chat[chat.rindex("可向以下单位咨询或申请") :]
    assert "市金融监管局" in reply and "（条文所列责任单位）" in reply  # 71号文四（三）8.'s units
    assert "摘录模式" in status_text(driver)  # read from the articles: no model ran


def test_refusal_is_not_labelled_as_the_local_model(driver, local_url):
    driver.find_element(By.ID, "clear").click()
    ask(driver, "科技企业首贷贴息的比例是多少？")
    WebDriverWait(driver, 120).until(lambda d: "未调用模型" in status_text(d))
    assert "本地模型" not in status_text(driver)
    assert "但没有规定具体比例" in driver.find_element(By.ID, "chatbot").text


def test_stop_button_stops_the_model_and_keeps_the_quotes(driver, local_url):
    driver.find_element(By.ID, "clear").click()
    ask(driver, "科技型企业发行债券有什么贴息支持？")
    wait = WebDriverWait(driver, 120)
    stop = wait.until(EC.element_to_be_clickable((By.ID, "stop")))
    wait.until(lambda d: "[1]" in d.find_element(By.ID, "chatbot").text)
    stop.click()
    wait.until(lambda d: "已停止生成" in status_text(d))
    assert "[1]" in driver.find_element(By.ID, "chatbot").get_attribute("textContent")
    assert not any(b.is_displayed() for b in driver.find_elements(By.ID, "stop"))


def test_first_bank_loan_question_ranks_the_first_loan_clauses_first(driver, url):
    driver.get(url)
    ask(driver, "公司第一次向银行贷款有没有补贴？")
    card = WebDriverWait(driver, WAIT_S).until(EC.presence_of_element_located((By.ID, "src-1-1")))
    text = card.get_attribute("textContent")
    assert "首贷" in text or "首次贷款" in text, text[:200]


def test_the_documents_covered_are_listed(driver, url):
    driver.get(url)
    covered = WebDriverWait(driver, WAIT_S).until(EC.presence_of_element_located((By.ID, "covered")))
    items = covered.find_elements(By.TAG_NAME, "li")
    assert len(items) == 5 and all("《" in i.text for i in items)
    assert covered.is_displayed()


def test_on_a_phone_the_sources_sit_right_under_the_answer(driver, url):
    driver.set_window_size(390, 844)
    try:
        driver.get(url)
        ask(driver, "首贷有什么支持政策？")
        WebDriverWait(driver, WAIT_S).until(EC.presence_of_element_located((By.ID, "src-1-1")))
        chat_box = driver.find_element(By.ID, "chatbot").rect
        sources = driver.find_element(By.ID, "sources").rect
        gap = sources["y"] - (chat_box["y"] + chat_box["height"])
        assert 0 <= gap <= 250, gap  # only the question box between them
        shot(driver, "app_chat_phone.png")
    finally:
        driver.set_window_size(1400, 1000)
