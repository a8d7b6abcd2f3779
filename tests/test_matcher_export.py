"""The checklist leaves the app: `python -m matcher` (text and --json) and the exported files
(Markdown, DOCX, PDF, printable page), each read back to check the summary, citations and date."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pypdf
import pytest

import matcher.export
import settings
from ingest.pipeline import load_corpus
from matcher import checklist
from matcher.export import FORMATS, export
from matcher.report import printable_page, to_html
from tests.test_matcher import NEWCOMER

ROOT = Path(__file__).resolve().parent.parent
WHEN = "2026-05-30 10:00"
LABEL = "《苏州市金融支持产业创新集群发展的工作意见》（苏府办〔2022〕71号）四（三）8."


@pytest.fixture(scope="module")
def newcomer_checklist():
    return checklist(NEWCOMER, load_corpus(settings.load()).articles)


@pytest.fixture(scope="module")
def files(newcomer_checklist, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    return {fmt: export(newcomer_checklist, fmt, folder, WHEN) for fmt in FORMATS}


def test_markdown(files, newcomer_checklist):
    text = files["md"].read_text(encoding="utf-8")
    assert f"生成时间：{WHEN}" in text and newcomer_checklist.summary in text
    assert f"引用**：{LABEL}" in text and "联系单位**：江苏省财政厅（条文点名）" in text
    assert (
        text.index("## 符合已列明条件的措施")
        < text.index("## 需要核实的措施")
        < text.index("## 不适用的措施及原因")
    )


def test_docx(files, newcomer_checklist):
    paragraphs = [p.text for p in docx.Document(str(files["docx"])).paragraphs]
    assert paragraphs[0] == "政策匹配清单" and f"生成时间：{WHEN}" in paragraphs
    assert newcomer_checklist.summary in paragraphs and f"引用：{LABEL}" in paragraphs


def test_pdf(files, newcomer_checklist):
    reader = pypdf.PdfReader(str(files["pdf"]))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert reader.metadata.title == "政策匹配清单"
    assert WHEN in text and "苏府办〔2022〕71号" in text and "可能适用" in text


def test_pdf_without_a_font_file(newcomer_checklist, tmp_path, monkeypatch):
    """No TrueType CJK font on the machine: reportlab's CID font still gives readable Chinese."""
    monkeypatch.setattr(matcher.export, "CJK_TTF", tmp_path / "missing.ttc")
    path = export(newcomer_checklist, "pdf", tmp_path, WHEN)
    text = pypdf.PdfReader(str(path)).pages[0].extract_text().replace("\n", "")
    assert "政策匹配清单" in text and "可能适用" in text


def test_printable_page_opens_every_fold(newcomer_checklist):
    page = printable_page(newcomer_checklist, WHEN)
    assert (
        page.startswith("<!doctype html>")
        and "<details open" in page
        and "<details " not in page.replace("<details open", "")
    )
    assert WHEN in page


def test_html_escapes_what_it_shows(newcomer_checklist):
    html = to_html(newcomer_checklist, WHEN)
    assert (
        html.index('id="cl-summary"') < html.index("cl-item") < html.index("cl-unmet") < html.index("cl-bank")
    )
    assert "<script" not in html


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "matcher", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_json(tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {
                "industry": "电子信息",
                "stage": "初创期",
                "certifications": ["科技型中小企业"],
                "size": "小微",
                "has_collateral": False,
                "has_borrowed": False,
                "needs": ["贷款", "人才"],
                "location": "苏州工业园区",
            },  # fmt: skip
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    out = run_cli("--profile", str(profile), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["summary"].startswith("可能适用")
    first = data["items"][0]
    assert first["verdict"] == "满足" and first["conditions"] and first["contact"]
    assert {"chunk_id", "label", "offers", "amounts"} <= set(first)


def test_cli_text_and_export(tmp_path):
    out = run_cli(
        "--profile",
        "-",
        "--export",
        "docx",
        "--out",
        str(tmp_path),
        stdin='{"needs": ["担保"], "size": "中型"}',
    )
    assert out.returncode == 0 and out.stdout.startswith("# 政策匹配清单")
    assert list(tmp_path.glob("*.docx"))


@pytest.mark.parametrize("stdin", ["[1, 2]", "not json", ""])
def test_cli_rejects_a_bad_profile(stdin):
    out = run_cli("--profile", "-", stdin=stdin)
    assert out.returncode == 2 and "cannot read the profile" in out.stderr
