"""A checklist as Markdown and as HTML (the app's panel and the printable page). Everything
taken from a document or a user is escaped: a policy file is data, never markup."""

from __future__ import annotations

from datetime import datetime
from html import escape

from matcher.checklist import INSTITUTION_GROUP, Checklist, Item
from matcher.profile import Profile
from matcher.verdict import CHECK, MET, UNMET

TITLE = "政策匹配清单"
SECTIONS = (
    (MET, "符合已列明条件的措施", "文件写明的条件您都满足；“符合条件的”等未列明部分以申报指南为准。"),
    (CHECK, "需要核实的措施", "请逐条核实标为“需核实”的条件。"),
)
UNMET_TITLE = "不适用的措施及原因"
NOTE = "本清单按文件原文规则提取，不构成审批意见；是否符合条件以责任单位解释和申报指南为准。"
BADGE = {MET: "满足", CHECK: "需核实", UNMET: "不满足"}


def made_at() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M")


def profile_line(p: Profile) -> str:
    """'电子信息 · 初创期 · 小微 · 科技型中小企业 · 无抵押物 · 从未贷款 · 需求：贷款、人才 · 苏州工业园区'."""
    parts = [p.industry, p.stage or (f"成立{p.age_years:g}年" if p.age_years else ""), p.size]
    parts += list(p.certifications)
    parts.append({True: "有抵押物", False: "无抵押物"}.get(p.has_collateral, ""))
    parts.append({True: "有过银行贷款", False: "从未贷款"}.get(p.has_loan, ""))
    parts.append("需求：" + "、".join(p.needs) if p.needs else "")
    parts += [p.location, p.text[:60]]
    return " · ".join(x for x in parts if x)


def why_not(item: Item) -> str:
    """'资料未显示您是领军人才（对象：领军人才）' — each reason once."""
    return "；".join(dict.fromkeys(f"{c.note}（{c.label.split('〕')[-1]}）" for c in item.unmet))


# ---------------------------------------------------------------- Markdown


def to_markdown(cl: Checklist, when: str = "") -> str:
    lines = [
        f"# {TITLE}",
        "",
        f"生成时间：{when or made_at()}  ",
        f"企业情况：{profile_line(cl.profile)}",
        "",
    ]
    lines += [f"**{cl.summary}**", "", f"> {NOTE}", ""]
    for verdict, title, hint in SECTIONS:
        items = cl.with_verdict(verdict)
        if items:
            lines += [f"## {title}（{len(items)}条）", "", hint, ""]
            lines += [line for n, i in enumerate(items, 1) for line in _md_item(i, n)]
    unmet = cl.with_verdict(UNMET)
    if unmet:
        lines += [f"## {UNMET_TITLE}（{len(unmet)}条）", ""]
        lines += [f"- {i.label}：{why_not(i)}" for i in unmet] + [""]
    if cl.institution:
        lines += [f"## {INSTITUTION_GROUP}（{len(cl.institution)}条，银行等机构执行，可向开户行咨询）", ""]
        lines += [f"- {i.label}：{i.measures[0].clause}" for i in cl.institution] + [""]
    return "\n".join(lines)


def _md_item(i: Item, n: int) -> list[str]:
    draft = " 〔征求意见稿·未生效〕" if i.article.doc.is_draft else ""
    out = [f"### {n}. {i.label}{draft}", "", f"- **结论**：{i.verdict}（{'；'.join(i.reasons)}）"]
    out += [f"- **支持内容**：{o}" for o in i.offers]
    out.append("- **条件**：")
    out += [f"  - [{c.verdict}] {c.label} — {c.note}" for c in i.conditions]
    out += [f"- **金额/比例/上限**：{'；'.join(i.amounts)}", f"- **申报材料**：{'；'.join(i.materials)}"]
    out += [f"- **时间**：{'；'.join(i.times)}", f"- **渠道**：{'；'.join(i.channels)}"]
    out += [f"- **联系单位**：{i.contact}", f"- **引用**：{i.label}", ""]
    return out


# ---------------------------------------------------------------- HTML


def to_html(cl: Checklist, when: str = "") -> str:
    """The panel shown in the app: summary, then the checklist, the unmet ones folded."""
    e = escape
    parts = [
        f'<div class="checklist"><div class="cl-summary" id="cl-summary"><b>{e(cl.summary)}</b>'
        f'<div class="muted">企业情况：{e(profile_line(cl.profile))} · 生成时间：{e(when or made_at())}</div>'
        f'<div class="muted">{e(NOTE)}</div></div>'
    ]
    for verdict, title, hint in SECTIONS:
        items = cl.with_verdict(verdict)
        if items:
            parts.append(f'<h3>{e(title)}（{len(items)}条）</h3><p class="muted">{e(hint)}</p>')
            parts += [_html_item(i) for i in items]
    unmet = cl.with_verdict(UNMET)
    if unmet:
        rows = "".join(f"<li>{e(i.label)}：{e(why_not(i))}</li>" for i in unmet)
        parts.append(
            f'<details class="cl-unmet"><summary>{UNMET_TITLE}（{len(unmet)}条）</summary><ul>{rows}</ul></details>'
        )
    if cl.institution:
        rows = "".join(f"<li>{e(i.label)}：{e(i.measures[0].clause)}</li>" for i in cl.institution)
        parts.append(
            f'<details class="cl-bank"><summary>{INSTITUTION_GROUP}（{len(cl.institution)}条，'
            f"银行等机构执行，可向开户行咨询）</summary><ul>{rows}</ul></details>"
        )
    return "".join(parts) + "</div>"


def _html_item(i: Item) -> str:
    e = escape
    draft = ' <span class="badge draft">征求意见稿·未生效</span>' if i.article.doc.is_draft else ""
    conds = "".join(
        f'<li class="v-{_cls(c.verdict)}"><b>[{e(c.verdict)}]</b> {e(c.label)} — {e(c.note)}</li>'
        for c in i.conditions
    )
    rows = [
        ("支持内容", "<br>".join(e(o) for o in i.offers)),
        ("金额/比例/上限", e("；".join(i.amounts))),
        ("申报材料", e("；".join(i.materials))),
        ("时间", e("；".join(i.times))),
        ("渠道", e("；".join(i.channels))),
        ("联系单位", e(i.contact)),
    ]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<details class="cl-item v-{_cls(i.verdict)}"><summary><span class="verdict">{e(i.verdict)}</span> '
        f'{e(i.label)}{draft} <span class="muted">{e(i.kind)} · {e("；".join(i.reasons))} · 联系：{e(i.contact)}</span></summary>'
        f'<ul class="conds">{conds}</ul><table class="facts">{table}</table>'
        f'<div class="text">{e(i.article.text)}</div><div class="cite">引用：<code>{e(i.label)}</code></div></details>'
    )


def _cls(verdict: str) -> str:
    return {MET: "met", CHECK: "check", UNMET: "unmet"}[verdict]


PRINT_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;max-width:960px;margin:2em auto;
line-height:1.6;color:#222}h1{font-size:1.5em}.muted{color:#666;font-size:.9em}.cl-summary{border:2px solid #2a6;
padding:.6em 1em;margin:1em 0}details{margin:.4em 0}details.cl-item{border:1px solid #ccc;padding:.3em .8em}
.verdict{font-weight:bold}.v-met .verdict{color:#1a7f37}.v-check .verdict{color:#9a6700}.v-unmet .verdict{color:#c00}
li.v-met b{color:#1a7f37}li.v-check b{color:#9a6700}li.v-unmet b{color:#c00}table.facts th{text-align:left;
white-space:nowrap;padding-right:1em;vertical-align:top}.text{font-size:.9em;color:#444;margin:.5em 0}
@media print{details>summary{list-style:none}details{break-inside:avoid}}
"""


def printable_page(cl: Checklist, when: str = "") -> str:
    """A standalone page that prints whole: every fold opened."""
    body = to_html(cl, when).replace("<details ", "<details open ").replace("<details>", "<details open>")
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE}</title>'
        f"<style>{PRINT_CSS}</style></head><body><h1>{TITLE}</h1>{body}</body></html>"
    )
