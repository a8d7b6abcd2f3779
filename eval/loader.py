"""Q&A sets the way people write them -> eval records (the `qa.jsonl` shape).

JSONL in the eval/ format is read as it is; a CSV or XLSX sheet needs the columns
问题 / 依据文件 / 依据原文 / 要点 (English names question / doc / quote / facts also work;
编号 / 类型 are optional). One cell may hold several evidence pieces, one per line
(依据文件 and 依据原文 paired line by line; one 依据文件 for several quotes is repeated).
要点 are split at ；/;/、/，/newlines. A row with no evidence is an unanswerable question.

    items, problems = load_set(Path("my_set.xlsx"))   # problems: one line per skipped row
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from eval.qa_check import TYPES

COLUMNS = {  # accepted header -> field
    "问题": "question",
    "question": "question",
    "依据文件": "doc",
    "doc": "doc",
    "依据原文": "quote",
    "quote": "quote",
    "要点": "facts",
    "facts": "facts",
    "编号": "id",
    "id": "id",
    "类型": "type",
    "type": "type",
}
REQUIRED = ("question", "doc", "quote", "facts")
MAX_ROWS = 2000  # a hand-written set is tens to hundreds of questions; more is a wrong file
_FACT_SPLIT = re.compile(r"[；;、，,\n]+")
_LINE_SPLIT = re.compile(r"[\r\n]+")
ANSWERABLE, UNANSWERABLE = "answerable", "unanswerable"  # types of rows that do not say theirs


class SetError(ValueError):
    """The file is not a Q&A set at all (wrong columns, unreadable); str() says why, in Chinese."""


@dataclass
class LoadedSet:
    items: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line per skipped row


def load_set(path: Path | str) -> LoadedSet:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _jsonl(path.read_bytes())
    if suffix == ".csv":
        return from_rows(_csv_rows(path.read_bytes()))
    if suffix == ".xlsx":
        return from_rows(_xlsx_rows(path))
    raise SetError(f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 .jsonl、.csv 或 .xlsx")


def _text(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise SetError("文件编码无法识别：请另存为 UTF-8")


def _jsonl(data: bytes) -> LoadedSet:
    out = LoadedSet()
    for n, line in enumerate(_text(data).splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            out.problems.append(f"第{n}行：不是 JSON（{e.msg}）")
            continue
        why = _invalid(item)
        if why:
            out.problems.append(f"第{n}行：{why}")
            continue
        out.items.append(item)
    _check_size(out)
    return out


def _invalid(item: object) -> str:
    if not isinstance(item, dict):
        return "不是 JSON 对象"
    if not isinstance(item.get("question"), str) or not item["question"].strip():
        return "问题为空"
    evidence = item.get("evidence")
    if not isinstance(evidence, list) or not all(
        isinstance(e, dict) and isinstance(e.get("doc"), str) and isinstance(e.get("quote"), str)
        for e in evidence
    ):
        return "evidence 应为 [{doc, quote}] 列表"
    facts = item.get("facts")
    if not isinstance(facts, list) or not all(isinstance(f, str) for f in facts):
        return "facts 应为字符串列表"
    item.setdefault("id", "")
    item.setdefault("type", ANSWERABLE if evidence else UNANSWERABLE)
    return ""


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # only for .xlsx

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zip/xml errors of a renamed or truncated file
        raise SetError(f"不是可读的 XLSX 文件（{type(e).__name__}）") from None
    try:
        sheet = book.worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def from_rows(rows: list[list[str]]) -> LoadedSet:
    """Header row + data rows -> eval records; rows that cannot be used are reported, not fatal."""
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise SetError("文件是空的")
    header = [COLUMNS.get(str(c).strip().lower(), COLUMNS.get(str(c).strip(), "")) for c in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        wanted = "问题 / 依据文件 / 依据原文 / 要点"
        raise SetError(f"表头缺少列：{'、'.join(_zh(m) for m in missing)}（需要 {wanted}）")
    out = LoadedSet()
    for n, row in enumerate(rows[1:], 2):
        cells = {name: str(row[i]).strip() if i < len(row) else "" for i, name in enumerate(header) if name}
        item, why = row_item(cells, n)
        if why:
            out.problems.append(f"第{n}行：{why}")
        else:
            out.items.append(item)
    _check_size(out)
    return out


def _zh(name: str) -> str:
    return next(k for k, v in COLUMNS.items() if v == name and not k.isascii())


def row_item(cells: dict[str, str], n: int) -> tuple[dict, str]:
    """One sheet row -> (eval record, '') or ({}, why it was skipped).

    >>> row_item({"question": "首贷贴息多少？", "doc": "71号", "quote": "给予贴息", "facts": "贴息；50%"}, 2)[0]
    {'id': 'r2', 'question': '首贷贴息多少？', 'type': 'answerable', 'evidence': [{'doc': '71号', 'quote': '给予贴息'}], 'facts': ['贴息', '50%']}
    """
    question = cells.get("question", "")
    if not question:
        return {}, "问题为空"
    docs = [d.strip() for d in _LINE_SPLIT.split(cells.get("doc", "")) if d.strip()]
    quotes = [q.strip() for q in _LINE_SPLIT.split(cells.get("quote", "")) if q.strip()]
    if quotes and not docs:
        return {}, "有依据原文但没有依据文件"
    if docs and not quotes:
        return {}, "有依据文件但没有依据原文（原文用于判断检索和引用是否命中）"
    if len(docs) not in (1, len(quotes)):
        return {}, f"依据文件 {len(docs)} 行、依据原文 {len(quotes)} 行，无法逐行对应"
    docs = docs * len(quotes) if len(docs) == 1 else docs
    facts = [f.strip() for f in _FACT_SPLIT.split(cells.get("facts", "")) if f.strip()]
    kind = cells.get("type", "")
    if kind not in TYPES:
        kind = ANSWERABLE if quotes else UNANSWERABLE
    item = {
        "id": cells.get("id") or f"r{n}",
        "question": question,
        "type": kind,
        "evidence": [{"doc": d, "quote": q} for d, q in zip(docs, quotes, strict=True)],
        "facts": facts,
    }
    return item, ""


def _check_size(out: LoadedSet) -> None:
    if len(out.items) > MAX_ROWS:
        raise SetError(f"题目过多（{len(out.items)} 道）：一次最多 {MAX_ROWS} 道")
    seen: set[str] = set()
    for i, item in enumerate(out.items, 1):  # ids must be unique: records are matched by id
        if not item.get("id") or item["id"] in seen:
            item["id"] = f"{item.get('id') or 'q'}-{i}"
        seen.add(item["id"])


QUOTE_MIN, QUOTE_MAX = (
    8,
    80,
)  # as eval/qa_check.py: long enough to be unique, short enough to survive a re-cut


def quote_of(text: str, heading: str = "") -> str:
    """A verbatim piece of an article to recognise it by: its heading, else its opening words.

    >>> quote_of("第三条 经营者集中达到下列标准之一的，经营者应当事先申报。", "")
    '第三条 经营者集中达到下列标准之一的'
    """
    if QUOTE_MIN <= len(heading) <= QUOTE_MAX and heading in text:
        return heading
    head = re.split(r"[，。；：！？\n]", text.strip(), maxsplit=1)[0]
    return head[:QUOTE_MAX] if len(head) >= QUOTE_MIN else text.strip()[:QUOTE_MAX]


def from_feedback(rating: dict, article=None, facts: str = "", refuse: bool = False) -> dict:
    """A reviewed 👎 -> one Q&A line: the question, the article that answers it, the facts.

    `article` (an ingest.record.Article) is the correct source; `refuse` makes the line an
    unanswerable question (the documents do not answer it, the assistant should say so).
    """
    if not refuse and article is None:
        raise SetError("需要正确的条文（或标为“不应回答”）才能生成题目")
    evidence = []
    if not refuse:
        doc = article.doc.doc_number or article.doc.title
        evidence = [{"doc": doc, "quote": quote_of(article.text, article.heading)}]
    return {
        "id": f"fb-{rating['id']}",
        "question": rating["question"],
        "type": UNANSWERABLE if refuse else ANSWERABLE,
        "evidence": evidence,
        "facts": [] if refuse else [f.strip() for f in _FACT_SPLIT.split(facts or "") if f.strip()],
        "source": "feedback",
    }
