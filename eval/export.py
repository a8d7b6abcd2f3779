"""A live run (eval/live.py) as files an evaluator keeps: Markdown, XLSX and the chart PNG."""

from __future__ import annotations

from pathlib import Path

from eval import report
from eval.chart import draw

ROW_COLUMNS = (  # (row key, column title): the per-question table in the UI, the sheet and the Markdown
    ("id", "编号"),
    ("type", "类型"),
    ("question", "问题"),
    ("answer", "回答"),
    ("facts_found", "命中要点"),
    ("facts_missing", "缺失要点"),
    ("citation_hit", "引用命中"),
    ("refused", "拒答"),
    ("retrieval_rank", "检索名次"),
    ("latency_ms", "用时(ms)"),
    ("failure", "问题所在"),
)
RETRIEVAL_SHOWN = ("hit@1", "hit@3", "hit@5", "mrr")


def cell(value) -> str | int | float:
    """A row value as a table cell: lists joined, booleans as 是/否, None as —."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    return value


def summary(run: dict) -> dict[str, float]:
    """The headline figures: retrieval of the product configuration and the answer metrics."""
    mode, res = next(iter(run["answers"].items()))
    out = {k: run["retrieval"][0]["overall"][k] for k in RETRIEVAL_SHOWN}
    out.update(res["overall"])
    out["latency_p95_ms"] = res["latency_p95_ms"]
    out["answered"] = res["n"]
    out["failures"] = sum(bool(r["failure"]) for r in run["rows"])
    return out


def chart(run: dict, path: Path) -> Path:
    mode, res = next(iter(run["answers"].items()))
    return draw({"retrieval": run["retrieval"]}, {mode: {"answers": res}}, path)


def markdown(run: dict) -> str:
    mode, res = next(iter(run["answers"].items()))
    r = run["retrieval"][0]
    lines = [
        f"# 评测报告：{run['qa']}",
        "",
        f"{run['started']}；{run['items']} 道题，回答方式 `{mode}`；文库 {len(run['documents'])} 份文件、"
        f"{run['articles']} 条条文。"
        + ("（评测被中途停止，只统计已回答的题。）" if run.get("stopped") else ""),
        "",
        "![summary](report.png)",
        "",
        "## 回答",
        "",
        report.answers_table({mode: res}),
        "",
        "## 检索（可回答的题）",
        "",
        report._table(
            ["n", *RETRIEVAL_SHOWN], [[str(r["n"]), *(f"{r['overall'][m]:.3f}" for m in RETRIEVAL_SHOWN)]]
        ),
        "",
        "## 分类型",
        "",
        report.by_type_table(res["by_type"], ("fact_recall", "citation_hit", "false_refusal_rate")),
        "",
        "## 逐题",
        "",
        report._table(
            [title for _, title in ROW_COLUMNS],
            [[_md(cell(row[key])) for key, _ in ROW_COLUMNS] for row in run["rows"]],
        ),
        "",
    ]
    return "\n".join(lines)


def _md(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def xlsx(run: dict, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append(["题集", run["qa"]])
    sheet.append(["时间", run["started"]])
    sheet.append(["回答方式", next(iter(run["answers"]))])
    for key, value in summary(run).items():
        sheet.append([key, round(value, 4) if isinstance(value, float) else value])
    rows = book.create_sheet("逐题")
    rows.append([title for _, title in ROW_COLUMNS])
    for c in rows[1]:
        c.font = Font(bold=True)
    for row in run["rows"]:
        rows.append([cell(row[key]) for key, _ in ROW_COLUMNS])
    widths = {"C": 40, "D": 80, "E": 20, "F": 20, "K": 20}
    for col, width in widths.items():
        rows.column_dimensions[col].width = width
    for line in rows.iter_rows(min_row=2):
        for c in line:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)
    return path


def write_all(run: dict, folder: Path) -> dict[str, Path]:
    """report.md, report.xlsx and report.png in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / "report.md"
    md.write_text(markdown(run), encoding="utf-8")
    return {"md": md, "xlsx": xlsx(run, folder / "report.xlsx"), "png": chart(run, folder / "report.png")}
