"""The staff and evaluator tabs in a real browser (chromium + Selenium) against the running app,
with a library of its own: upload a real law -> it is searchable and answerable; replace it with
its next version (the old one stays, its status turns 已被修订); run a CSV Q&A set and download the report;
retrieval test; 👎 with a reason -> feedback page -> a Q&A line. Screenshots go to artifacts/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import settings as settings_mod
from ingest.pipeline import ingest_file
from tests.app_server import running_app
from tests.browser import chromium
from tests.test_app_browser import open_tab, shot

pytestmark = pytest.mark.slow

LAWS = Path(__file__).resolve().parents[2].joinpath("shared/library/laws/行政法规")
OLD = "国务院关于经营者集中申报标准的规定(2018-09-18).md"
NEW = "国务院关于经营者集中申报标准的规定(2024-01-22).md"
TITLE = "国务院关于经营者集中申报标准的规定"
WAIT_S = 180  # a library change embeds the new articles on 2 shared cores (~0.2 s each, more under load)
CSV = (
    "问题,依据文件,依据原文,要点\n"
    "经营者集中的申报标准是什么？,国务院关于经营者集中申报标准的规定,经营者集中达到下列标准之一的,营业额\n"
    "首贷有什么支持政策？,苏府办〔2022〕71号,扩大创新企业首贷、信用贷覆盖面,首贷\n"
    "杭州市的人才公寓怎么申请？,,,\n"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tabs")
    for name in (OLD, NEW):
        if not (LAWS / name).exists():
            pytest.fail(f"{LAWS / name} missing: the shared law library is needed")
        shutil.copyfile(LAWS / name, tmp / name)
    (tmp / "set.csv").write_text(CSV, encoding="utf-8")
    with running_app(tmp, library=True) as url:
        yield url, tmp


def records(path: Path) -> int:
    """How many records ingest makes of a file: the 条文数 the table must show."""
    return len(ingest_file(path, settings_mod.load()))


def waiter(driver) -> WebDriverWait:
    """Gradio re-renders tables and forms while we read them: a stale element means "look again"."""
    return WebDriverWait(driver, WAIT_S, ignored_exceptions=[StaleElementReferenceException])


@pytest.fixture(scope="module")
def driver():
    d = chromium()
    yield d
    d.quit()


def upload(driver, elem_id: str, path: Path) -> None:
    wait = waiter(driver)
    field = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"#{elem_id} input[type=file]")))
    field.send_keys(str(path))
    wait.until(lambda d: path.stem in (d.find_element(By.ID, elem_id).get_attribute("textContent") or ""))


def last_job(driver) -> str:
    jobs = driver.find_elements(By.ID, "library-job")
    return jobs[0].get_attribute("data-job") if jobs else ""


# the job card's id, state and text read in one step: read one by one, the previous job's "finished" and the
# next job's id could be seen together while the card was replaced (a job reported mid-way, 35% · 检查文件)
_JOB = """const j = document.getElementById('library-job');
return j ? [j.dataset.job, j.dataset.finished, j.dataset.ok, j.innerText] : null;"""


def change(driver, wait, button: str) -> dict:
    """Click a library button and wait for that change (not the previous one) to finish."""
    before = last_job(driver)
    driver.find_element(By.ID, button).click()

    def finished(d):
        job = d.execute_script(_JOB)
        return job if job and job[0] != before and job[1] == "true" and report_text(d) else None

    _, _, ok, text = wait.until(finished)
    return {"ok": ok == "true", "report": text + "\n" + report_text(driver)}


def report_text(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "#library-report textarea").get_attribute("value")


def table_rows(driver, elem_id: str) -> list[str]:
    """The data rows of a gr.Dataframe (a virtual grid of div rows), cells joined by spaces."""
    rows = driver.find_elements(By.CSS_SELECTOR, f"#{elem_id} [role=row].virtual-row")
    out = []
    for row in rows:
        cells = row.find_elements(By.CSS_SELECTOR, "[role=gridcell]")
        out.append(" ".join((c.get_attribute("textContent") or "").strip() for c in cells))
    return [r for r in out if r.strip()]


def pick(driver, wait, elem_id: str, text: str) -> None:
    box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#{elem_id} input")))
    box.click()
    option = wait.until(
        EC.element_to_be_clickable((By.XPATH, f"//ul[@role='listbox']/li[contains(., '{text}')]"))
    )
    option.click()


def ask(driver, wait, question: str) -> str:
    open_tab(driver, wait, "问答")
    wait.until(EC.element_to_be_clickable((By.ID, "clear"))).click()  # a new conversation: a new status line
    wait.until(lambda d: "摘录模式" not in d.find_element(By.ID, "status").text)
    box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    box.clear()
    box.send_keys(question)
    for _ in range(3):  # a click before the page has bound its events does nothing: click again
        driver.find_element(By.CSS_SELECTOR, "#ask").click()
        try:
            WebDriverWait(driver, 20).until(lambda d: question in d.find_element(By.ID, "chatbot").text)
            break
        except TimeoutException:
            continue
    wait.until(lambda d: "摘录模式" in d.find_element(By.ID, "status").text)
    return driver.find_element(By.ID, "sources").get_attribute("textContent")


def test_upload_a_real_law_then_it_is_listed_searchable_and_answerable(driver, app):
    url, tmp = app
    wait = waiter(driver)
    driver.get(url)
    open_tab(driver, wait, "文库")
    wait.until(lambda d: len(table_rows(d, "library-table")) == 5)
    upload(driver, "library-upload", tmp / OLD)
    job = change(driver, wait, "library-add")
    assert job["ok"], job["report"]
    assert f"✓ {OLD}：新增" in job["report"]
    wait.until(lambda d: any(TITLE in r for r in table_rows(d, "library-table")))
    row = next(r for r in table_rows(driver, "library-table") if TITLE in r)
    assert OLD in row and str(records(tmp / OLD)) in row.split()
    shot(driver, "app_library.png")
    sources = ask(driver, wait, "营业额达到多少的经营者集中应当事先申报？")
    assert f"《{TITLE}》第三条" in sources and "100亿元" in sources
    open_tab(driver, wait, "条款浏览")
    query = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#search textarea, #search input")))
    query.send_keys("经营者集中 申报标准", Keys.ENTER)
    wait.until(lambda d: TITLE in d.find_element(By.ID, "hits").text)


def test_replace_with_the_next_version(driver, app):
    """The 2024 text uploaded as the new version of the 2018 one, which stays as history: the 2018
    row's status changes to 已被修订 (linking the new file), the new one is 现行有效, answers follow it."""
    url, tmp = app
    wait = waiter(driver)
    open_tab(driver, wait, "文库")
    before = next(r for r in table_rows(driver, "library-table") if TITLE in r)
    assert "现行有效" in before
    pick(driver, wait, "library-doc", OLD)
    upload(driver, "library-new-version", tmp / NEW)
    job = change(driver, wait, "library-replace")  # "保留旧版本" stays ticked
    assert job["ok"], job["report"]
    assert f"✓ {NEW}：新增" in job["report"] and "删除旧版本" not in job["report"]
    wait.until(lambda d: sum(TITLE in r for r in table_rows(d, "library-table")) == 2)
    rows = [r for r in table_rows(driver, "library-table") if TITLE in r]
    old_row = next(r for r in rows if r.endswith(OLD))
    new_row = next(r for r in rows if r.endswith(NEW))
    assert "已被修订" in old_row and f"新版本：{NEW}" in old_row and "现行有效" not in old_row
    assert "现行有效" in new_row and str(records(tmp / NEW)) in new_row.split()
    driver.execute_script(  # the two versions are near the end of the table: show them
        "const t = document.querySelector('#library-table .virtual-table-viewport'); t.scrollTop = t.scrollHeight;"
        "document.getElementById('library-table').scrollIntoView();"
    )
    shot(driver, "app_library_versions.png")
    sources = ask(driver, wait, "营业额达到多少的经营者集中应当事先申报？")
    assert "120亿元" in sources and "100亿元" not in sources


def test_run_a_csv_set_and_download_the_report(driver, app):
    url, tmp = app
    wait = waiter(driver)
    open_tab(driver, wait, "评测")
    upload(driver, "eval-set", tmp / "set.csv")
    driver.find_element(By.XPATH, "//*[@id='eval-mode']//label[contains(., '摘录')]").click()
    driver.find_element(By.ID, "eval-run").click()
    wait.until(lambda d: d.find_elements(By.ID, "eval-done"))
    summary = driver.find_element(By.ID, "eval-summary").text
    assert "已答 3 / 3" in summary and "要点召回" in summary
    rows = table_rows(driver, "eval-table")
    assert len(rows) == 3 and any("杭州市" in r for r in rows)
    assert driver.find_element(By.CSS_SELECTOR, "#eval-chart img").get_attribute("src")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#eval-files a")]
    md = next(h for h in links if h.split("?")[0].endswith("report.md"))
    xlsx = next(h for h in links if h.split("?")[0].endswith("report.xlsx"))
    report = httpx.get(md, timeout=30)
    assert report.status_code == 200 and "评测报告" in report.text and "经营者集中" in report.text
    sheet = httpx.get(xlsx, timeout=30)
    (tmp / "report.xlsx").write_bytes(sheet.content)
    book = load_workbook(tmp / "report.xlsx")
    assert book["逐题"].max_row == 4 and book["逐题"]["C2"].value
    failing = int(re.search(r"未通过 (\d+) 题", summary).group(1))
    driver.find_element(By.XPATH, "//*[@id='eval-failures']//label").click()
    wait.until(
        lambda d: (
            len(table_rows(d, "eval-table")) == failing or (failing == 0 and not table_rows(d, "eval-table"))
        )
    )
    shot(driver, "app_eval.png")
    query = driver.find_element(By.CSS_SELECTOR, "#retrieval-query textarea, #retrieval-query input")
    query.send_keys("经营者集中 营业额")
    driver.find_element(By.ID, "retrieval-run").click()
    wait.until(lambda d: table_rows(d, "retrieval-table"))
    first = table_rows(driver, "retrieval-table")[0]
    assert TITLE in first
    driver.execute_script("document.getElementById('retrieval-table').scrollIntoView()")
    shot(driver, "app_retrieval_test.png")


def test_thumbs_down_with_reason_becomes_a_qa_line(driver, app):
    url, tmp = app
    wait = waiter(driver)
    driver.get(url)
    ask(driver, wait, "首贷有什么支持政策？")
    driver.find_element(By.CSS_SELECTOR, "#chatbot button[aria-label='Dislike']").click()
    form = wait.until(EC.visibility_of_element_located((By.ID, "feedback-form")))
    form.find_element(By.XPATH, ".//label[contains(., '回答不完整')]").click()
    form.find_element(By.CSS_SELECTOR, "#feedback-correct textarea, #feedback-correct input").send_keys(
        "71号文第8条"
    )
    driver.find_element(By.ID, "feedback-submit").click()
    wait.until(lambda d: "原因已记录" in d.find_element(By.ID, "feedback-done").text)
    open_tab(driver, wait, "反馈")
    driver.find_element(By.ID, "feedback-reload").click()
    wait.until(lambda d: any("回答不完整" in r for r in table_rows(d, "feedback-table")))
    pick(driver, wait, "feedback-pick", "首贷有什么支持政策")
    ref = driver.find_element(By.CSS_SELECTOR, "#feedback-ref textarea, #feedback-ref input")
    wait.until(lambda d: ref.get_attribute("value"))
    assert "（苏府办〔2022〕71号）四（三）8." in ref.get_attribute("value")
    driver.find_element(By.CSS_SELECTOR, "#feedback-facts textarea, #feedback-facts input").send_keys(
        "首贷；信用贷"
    )
    driver.find_element(By.ID, "feedback-to-qa").click()
    wait.until(lambda d: d.find_elements(By.ID, "feedback-added"))
    shot(driver, "app_feedback.png")
    line = json.loads((tmp / "data" / "feedback_qa.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert line["question"] == "首贷有什么支持政策？" and line["facts"] == ["首贷", "信用贷"]
    assert line["evidence"][0]["doc"] == "苏府办〔2022〕71号"
