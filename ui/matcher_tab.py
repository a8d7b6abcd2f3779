"""Tab 3: "which policies apply to my company" — a short profile -> a checklist ranked by fit, with exports.

One screen on top: the summary (可能适用 N 条…；需核实 M 条), then the measures met, those to
check, the folded list of those not met and why, the bank-side measures apart; below, the
checklist as Markdown, DOCX, PDF and a printable page, each with the date it was made.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from matcher import CERTIFICATIONS, INDUSTRIES, NEEDS, SIZES, STAGES, Profile, checklist
from matcher.export import FORMATS, export
from matcher.report import made_at, to_html
from ui.services import Services

UNSURE = "不确定"
YES_NO = ("有", "无", UNSURE)
MAX_LOCATION_CHARS = 60  # an address, not an essay
MAX_TEXT_CHARS = 500  # a few sentences about the company
ASK_FOR_INPUT = '<p class="warn">请至少选择一项融资需求、资质或发展阶段。</p>'


def profile_from_form(
    industry: str,
    stage: str,
    age: float | None,
    certifications: list[str],
    needs: list[str],
    size: str,
    collateral: str,
    loan: str,
    location: str,
    text: str = "",
) -> Profile:
    """The form's answers as a Profile; 不确定 and blanks become 'unknown'."""
    return Profile(
        industry=industry if industry in INDUSTRIES else "",
        stage=stage if stage in STAGES else "",
        certifications=tuple(c for c in certifications or () if c in CERTIFICATIONS),
        needs=tuple(n for n in needs or () if n in NEEDS),
        location=(location or "").strip()[:MAX_LOCATION_CHARS],
        age_years=float(age) if age and float(age) > 0 else None,  # an empty field arrives as 0
        has_collateral=_yes_no(collateral),
        has_loan=_yes_no(loan),
        size=size if size in SIZES else "",
        text=(text or "").strip()[:MAX_TEXT_CHARS],
    )


def _yes_no(answer: str) -> bool | None:
    return {"有": True, "无": False}.get(answer)


def run(services: Services, *form) -> tuple[str, list[str]]:
    """(the checklist as HTML, the exported files) for one filled form."""
    profile = profile_from_form(*form)
    if not (profile.needs or profile.certifications or profile.effective_stage):
        return ASK_FOR_INPUT, []
    cl = checklist(profile, services.articles())
    when = made_at()
    folder = Path(tempfile.mkdtemp(prefix="policyqa-checklist-"))
    files = [str(export(cl, fmt, folder, when)) for fmt in FORMATS]
    return to_html(cl, when), files


def build(services: Services) -> None:
    with gr.Row():
        with gr.Column(scale=2):
            industry = gr.Radio(list(INDUSTRIES), label="所属行业", elem_id="industry")
            stage = gr.Radio([*STAGES, UNSURE], value=UNSURE, label="发展阶段", elem_id="stage")
            age = gr.Number(
                None, label="成立年限（年）", placeholder="可不填", minimum=0, maximum=200, elem_id="age"
            )
            certs = gr.CheckboxGroup(list(CERTIFICATIONS), label="已获资质 / 认定", elem_id="certs")
            needs = gr.CheckboxGroup(list(NEEDS), label="需求", elem_id="needs")
            size = gr.Radio([*SIZES, UNSURE], value=UNSURE, label="企业规模", elem_id="size")
            collateral = gr.Radio(
                list(YES_NO), value=UNSURE, label="有无抵押物（房产、设备等）", elem_id="collateral"
            )
            loan = gr.Radio(list(YES_NO), value=UNSURE, label="是否有过银行贷款", elem_id="loan")
            location = gr.Textbox(label="所在地", value="苏州市", elem_id="location")
            text = gr.Textbox(
                label="补充说明（可不填）",
                placeholder="如：民营企业；已获得“苏科贷”支持；已投保科技保险",
                lines=2,
                max_length=MAX_TEXT_CHARS,
                elem_id="profile-text",
            )
            go = gr.Button("查找适用政策", variant="primary", elem_id="match")
        with gr.Column(scale=3):
            result = gr.HTML(
                '<p class="muted">填写左侧情况后点击“查找适用政策”。</p>', elem_id="match-result"
            )
            files = gr.File(
                label="导出清单（Markdown / Word / PDF / 可打印网页）",
                file_count="multiple",
                interactive=False,
                elem_id="match-export",
            )
    form = [industry, stage, age, certs, needs, size, collateral, loan, location, text]
    go.click(lambda *f: run(services, *f), form, [result, files], api_name="match")
