"""Cut a document's lines into its numbered units (一、/（一）/1．/第X条 …).

A numbering marker at the start of a line opens a unit only when it continues the
sequence (1 after a new parent, or last + 1) — so a wrapped line that happens to
start with "2." inside a sentence is not mistaken for an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.clean import TERMINAL, ends_paragraph, join_lines
from ingest.numbering import RANK, Marker, parse_marker

COLOPHON_LINE = re.compile(
    r"(印发$|^(抄送|发|主送|分送)[:：]|^[（(]此件.{0,12}[）)]$|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$)"
)
DISTRIBUTION = re.compile(r"^(抄送|发|主送|分送)[:：]")
COLOPHON_MAX_LINES = 12  # a 版记 is a few lines; never look further up than this
TITLE_MAX_CHARS = 40  # section titles are short; a longer unpunctuated line is wrapped text
MAX_GAP = 2  # articles an extraction may lose in a row before numbering resumes (第十二条 missing: 11 → 13)
ORG_ONLY = re.compile(r"^[\u4e00-\u9fff\s]{2,40}(办公室|人民政府|委员会|厅|局|市委|省委)$")


@dataclass
class Node:
    marker: Marker | None
    lines: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    @property
    def depth_rank(self) -> int:
        return self.marker.rank if self.marker else -1


class _Sequence:
    """Accepts a marker only if it continues its kind's numbering."""

    def __init__(self, last: dict[str, int] | None = None) -> None:
        self.last: dict[str, int] = dict(last or {})
        self.reset: set[str] = set()  # kinds whose parent changed since their last marker

    def accept(self, m: Marker, starts_run: bool = False) -> bool:
        """`starts_run`: this 第X条 and the next two 第X条 lines count on one by one (X, X+1, X+2)."""
        last = self.last.get(m.kind)
        restarts = last is None or m.kind in self.reset  # first of its kind, or under a new parent
        ok = m.value == 1 if restarts else m.value == last + 1
        ok = ok or (last is not None and m.value == last + 1)  # numbering may run on across parents
        # A gap (第十二条 lost in extraction, then 第十三条, 第十四条 …) resumes the numbering
        # instead of folding every later article into the one before the gap.
        # A far jump is quoted text (an amendment quoting the 第一百二十三条 it inserts), not a gap.
        ok = ok or (starts_run and last is not None and last < m.value <= last + MAX_GAP + 1)
        if ok:
            self.last[m.kind] = m.value
            self.reset.discard(m.kind)
            self.reset.update(k for k in RANK if RANK[k] > m.rank)
        return ok


def _articles(lines: list[str]) -> list[tuple[int, int]]:
    """(line index, number) of every line that opens with 第X条."""
    return [(i, m.value) for i, line in enumerate(lines) if (m := parse_marker(line)) and m.kind == "tiao"]


def _article_runs(lines: list[str]) -> set[int]:
    """Indexes of lines whose 第X条 is followed by 第X+1条 and 第X+2条 as the next two 第…条 lines."""
    at = _articles(lines)
    return {
        at[k][0] for k in range(len(at) - 2) if at[k + 1][1] == at[k][1] + 1 and at[k + 2][1] == at[k][1] + 2
    }


def _article_start(lines: list[str]) -> dict[str, int]:
    """{"tiao": v - 1} when a text's articles start at 第v条 (v > 1) and go on v + 1, v + 2:
    one part of a code (民法典 合同编 starts at 第四百六十三条), an excerpt. A lone 第v条 at a
    line start is more likely a wrapped citation ("第三十一条的决定》"), so three in a row are asked.
    """
    at = _articles(lines)[:3]
    if len(at) == 3 and at[0][1] > 1 and [v for _, v in at] == list(range(at[0][1], at[0][1] + 3)):
        return {"tiao": at[0][1] - 1}
    return {}


def first_marker_line(lines: list[str]) -> int:
    """Index of the first line that opens numbered structure (value 1, or the first of a run of
    articles that starts later: `_article_start`), or len(lines)."""
    run_from = _article_start(lines).get("tiao", 0) + 1
    for i, line in enumerate(lines):
        m = parse_marker(line)
        if m and (m.value == 1 or (m.kind == "tiao" and m.value == run_from)):
            return i
    return len(lines)


def colophon_start(lines: list[str]) -> int:
    """Index where the closing print/distribution lines (版记) begin, or len(lines)."""
    i = len(lines)
    # A wrapped distribution list ("发：各县级市…" over several lines) starts the colophon too.
    tail_from = max(0, len(lines) - COLOPHON_MAX_LINES)
    for j in range(tail_from, len(lines)):
        if DISTRIBUTION.match(lines[j]):
            return j
    while i > 0 and (COLOPHON_LINE.search(lines[i - 1]) or ORG_ONLY.match(lines[i - 1])):
        i -= 1
    # only a block that contains a real colophon line, not a lone date or signer
    block = lines[i:]
    return i if any(re.search(r"印发$|^(抄送|发|主送|分送)[:：]", x) for x in block) else len(lines)


def build_tree(lines: list[str]) -> Node:
    """Nest the lines under their numbering markers; text before any marker stays on the root.

    >>> tree = build_tree(["第一条 总则。", "第二条 条件如下：", "（一）注册在本市；", "（二）有研发投入。"])
    >>> [(n.marker.token, len(n.lines), len(n.children)) for n in tree.children]
    [('第一条', 1, 0), ('第二条', 3, 0)]
    """
    root = Node(None)
    stack = [root]
    seq = _Sequence(_article_start(lines))
    runs = _article_runs(lines)
    for i, line in enumerate(lines):
        m = parse_marker(line)
        if m and m.rank > RANK["tiao"] and any(n.marker and n.marker.kind == "tiao" for n in stack):
            m = None  # （一）/1. inside a 第X条 are its 项: they stay in the article, as statutes cite them
        if m and seq.accept(m, i in runs):
            while stack[-1].marker and stack[-1].marker.rank >= m.rank:
                stack.pop()
            node = Node(m, [line], parent=stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
        else:
            stack[-1].lines.append(line)
    return root


def is_title_line(node: Node, width: int) -> bool:
    """'一、指导思想' on a line of its own: a title, not a wrapped sentence."""
    first = node.lines[0]
    short = len(first) < min(0.7 * width, TITLE_MAX_CHARS)
    return short and not first.endswith(tuple(TERMINAL)) and "。" not in first


def paragraphs(lines: list[str], width: int, title_first: bool = False) -> list[str]:
    """Group wrapped lines into paragraphs and clean each."""
    out, buf = [], []
    for i, line in enumerate(lines):
        buf.append(line)
        if (i == 0 and title_first) or ends_paragraph(line, width):
            out.append(join_lines(buf))
            buf = []
    if buf:
        out.append(join_lines(buf))
    return [p for p in out if p]


def heading_of(node: Node, paras: list[str], title_first: bool) -> str:
    """The lead sentence: '8．加强政策激励，扩大…覆盖面。引导…' -> '加强政策激励，扩大…覆盖面'."""
    first = paras[0] if paras else ""
    m = parse_marker(first)
    rest = m.rest if m else first
    if title_first:
        return rest.rstrip("。．.：:")
    sentence = re.split(
        r"[。！？；]|[：:](?=\s*[（(]?[一二三四五六七八九十\d]+[）)、．.])", rest, maxsplit=1
    )[0]
    if len(sentence) > 50:
        sentence = sentence.split("，")[0]
    return sentence[:50].rstrip("：:")


def walk_leaves(node: Node):
    """Depth-first: (node, ancestors) for every marked node, document order."""
    for child in node.children:
        yield child
        yield from walk_leaves(child)
