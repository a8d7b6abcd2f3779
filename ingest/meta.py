"""Document metadata read from the text: 文号, title, issuers, date, status, notice.

Works on the physical lines before the first numbered section (the front matter):
  [红头 issuers] [XX文件] [文号] [印发通知: title … 通知, addressees, body, signers, date]
  [policy title] [（征求意见稿）] [(date)] [preamble …]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.clean import TERMINAL, remove_cjk_spaces
from ingest.header import DATE, iso_date
from ingest.record import DRAFT
from ingest.references import DOC_NUMBER, normalize_doc_number

__all__ = ["DATE", "DOC_NUMBER", "iso_date", "normalize_doc_number"]  # re-exported for older callers

DATE_LINE = re.compile(rf"^[（(]?\s*{DATE.pattern}\s*[）)]?$")
PUBLICITY_LINE = re.compile(r"^[（(]此件.{0,12}[）)]$")  # （此件主动公开）
STATUS_LINE = re.compile(r"^[（(]?\s*(征求意见稿|送审稿|草案|试行)\s*[）)]?$")
# What a policy title ends with; the longest tail first.
DOC_TYPES = (
    "若干政策措施", "政策措施", "实施意见", "指导意见", "工作意见", "意见", "措施", "办法", "规定",
    "方案", "细则", "决定", "条例", "规划", "指引", "计划", "纲要", "通告", "公告", "批复", "规则",
    "通知",
)  # fmt: skip
ORG_TAIL = re.compile(r"(办公室|人民政府|政府|委员会|厅|局|分行|支行|中心|市委|省委|县委|区委|办|部)$")


@dataclass
class Front:
    doc_number: str = ""
    title: str = ""
    notice_title: str = ""
    notice_lines: list[str] = field(default_factory=list)
    notice_title_lines: int = 0  # how many of notice_lines make up its title
    issuers: list[str] = field(default_factory=list)
    issue_date: str = ""
    status: str = ""
    preamble_lines: list[str] = field(default_factory=list)


def split_orgs(line: str) -> list[str]:
    """'江苏省财政厅 中国人民银行江苏省分行' -> two issuers."""
    return [p for p in re.split(r"[\s\u3000]+", line.strip()) if p]


def _is_title_end(text: str) -> bool:
    return text.endswith(DOC_TYPES)


def _title_span(lines: list[str], start: int, limit: int, max_lines: int = 5) -> int:
    """Index after the last line of a title starting at `start`, or -1."""
    buf = ""
    for i in range(start, min(limit, start + max_lines)):
        if lines[i].endswith(tuple(TERMINAL)):
            return -1
        buf += lines[i]
        if _is_title_end(remove_cjk_spaces(buf.strip())):
            return i + 1
    return -1


def _header_end(lines: list[str], limit: int, front: Front) -> int:
    """Skip 红头 issuer lines, 'XX文件' and the 文号 line; collect what they say."""
    red_head: list[str] = []
    for j in range(limit):
        line = lines[j]
        if line == "文件" or (line.endswith("文件") and len(line) <= 20):
            front.issuers = red_head + ([line[:-2]] if line != "文件" else [])
        elif DOC_NUMBER.search(line) and len(line.replace(" ", "")) <= 24:
            front.doc_number = normalize_doc_number(line)
            return j + 1  # the 文号 closes the header
        elif ORG_TAIL.search(line) and not line.endswith(tuple(TERMINAL)) and "关于" not in line:
            red_head.extend(split_orgs(line))
        else:
            return j if front.issuers else 0
    return 0


def _notice(lines: list[str], start: int, limit: int, front: Front) -> int:
    """Find a covering notice (…的通知 … date); return the index after it, or start."""
    end = _title_span(lines, start, limit)
    if end < 0 or not remove_cjk_spaces("".join(lines[start:end])).endswith("通知"):
        return start
    date_at = next((j for j in range(end, limit) if DATE_LINE.match(lines[j])), -1)
    if date_at < 0:
        return start
    front.notice_title = remove_cjk_spaces("".join(lines[start:end]))
    signers_from = max(
        (j + 1 for j in range(end, date_at) if lines[j].endswith(tuple(TERMINAL))), default=end
    )
    signers = [o for line in lines[signers_from:date_at] for o in split_orgs(line)]
    if signers:
        front.issuers = signers
    front.issue_date = iso_date(lines[date_at])
    after = date_at + 1
    while after < limit and PUBLICITY_LINE.match(lines[after]):
        after += 1
    front.notice_lines = lines[start:after]
    front.notice_title_lines = end - start
    return after


def _policy_title(lines: list[str], start: int, limit: int, front: Front) -> int:
    end = _title_span(lines, start, limit)
    if end < 0:  # no recognisable title: the first line is the best we have
        end = start + 1 if start < limit else start
    raw = " ".join(lines[start:end])
    if re.search(r"\s关于", raw):  # "中共苏州市委 苏州市人民政府 关于…": issuers before 关于
        #   ("最高人民法院关于…的解释", written without a space, is a title that names its issuer)
        head, tail = re.split(r"\s关于", raw, maxsplit=1)
        orgs = split_orgs(head)
        if orgs and all(ORG_TAIL.search(o) for o in orgs):
            front.issuers = front.issuers or orgs
            if not front.notice_title:
                front.issuers = list(dict.fromkeys([*front.issuers, *orgs]))
            raw = "关于" + tail
    front.title = remove_cjk_spaces(raw).replace(" ", "")
    i = end
    while i < limit and (STATUS_LINE.match(lines[i]) or DATE_LINE.match(lines[i]) or _number_line(lines[i])):
        if STATUS_LINE.match(lines[i]):
            front.status = STATUS_LINE.match(lines[i]).group(1)
        elif DATE_LINE.match(lines[i]):
            front.issue_date = front.issue_date or iso_date(lines[i])
        else:  # a 文号 under the title, as departmental rules print it
            front.doc_number = front.doc_number or normalize_doc_number(lines[i])
        i += 1
    return i


def _number_line(line: str) -> bool:
    return bool(DOC_NUMBER.fullmatch(line.strip(" （()）")))


def parse_front(lines: list[str], body_start: int) -> Front:
    """Metadata from the lines before the first numbered section."""
    front = Front()
    i = _header_end(lines, body_start, front)
    i = _notice(lines, i, body_start, front)
    i = _policy_title(lines, i, body_start, front)
    front.preamble_lines = lines[i:body_start]
    if not front.status and any(DRAFT in x for x in lines[:body_start]):
        front.status = DRAFT
    return front
