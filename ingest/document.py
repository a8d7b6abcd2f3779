"""One document's text -> its records: notice, preamble, articles, sections, colophon."""

from __future__ import annotations

import re

from ingest.clean import TERMINAL, join_lines, physical_lines, typical_width
from ingest.docmeta import doc_meta, split_history
from ingest.meta import DATE_LINE, ORG_TAIL, iso_date, parse_front, split_orgs
from ingest.record import Article, DocMeta, make_chunk_id
from ingest.structure import (
    Node,
    build_tree,
    colophon_start,
    first_marker_line,
    heading_of,
    is_title_line,
    paragraphs,
    walk_leaves,
)

RESPONSIBLE = re.compile(r"[（(]\s*(?:责任单位|牵头单位|责任部门)\s*[:：]([^）)]*)[）)]")
FALLBACK_PARAGRAPH_CHARS = 400  # no numbered structure: group paragraphs to about this size


def responsible_units(text: str) -> tuple[str, ...]:
    """'（责任单位：市财政局、市发改委，各县级市〈区〉政府）' -> ('市财政局', '市发改委', '各县级市〈区〉政府')."""
    units: list[str] = []
    for m in RESPONSIBLE.finditer(text):
        units += [u.strip() for u in re.split(r"[、，,；;]", m.group(1)) if u.strip()]
    return tuple(dict.fromkeys(units))


def loose_paragraphs(lines: list[str], width: int) -> list[str]:
    """Front and back matter: short unpunctuated lines (signers, dates) stand alone."""
    out, buf = [], []
    for line in lines:
        buf.append(line)
        if line.endswith(tuple(TERMINAL)) or len(line) < 0.6 * width:
            out.append(join_lines(buf))
            buf = []
    if buf:
        out.append(join_lines(buf))
    return out


def _display(node: Node, heading: str) -> str:
    m = node.marker
    sep = {"cn": "、", "arabic": "．"}.get(m.kind, "")
    return f"{m.token}{sep}{heading}"


def _own_token(node: Node) -> str:
    m = node.marker
    return m.token + {"cn": "、", "arabic": "．"}.get(m.kind, "")


class _Builder:
    """Accumulates records and the cleaned document text they are cut from."""

    def __init__(self, doc: DocMeta) -> None:
        self.doc, self.records, self.offset = doc, [], 0

    def add(self, kind: str, paras: list[str], heading: str, path=(), numbers=(), flags=()) -> None:
        text = "\n".join(p for p in paras if p)
        if not text:
            return
        self.records.append(
            Article(
                chunk_id=make_chunk_id(self.doc.doc_id, (*path, kind, *numbers), text),
                doc=self.doc,
                kind=kind,
                section_path=tuple(path),
                numbers=tuple(numbers),
                heading=heading,
                text=text,
                responsible_units=responsible_units(text),
                start=self.offset,
                end=self.offset + len(text),
                flags=tuple(flags),
            )
        )
        self.offset += len(text) + 2  # records are joined by a blank line


SIGNER_MAX_LINES = 4  # 落款: up to four issuing bodies above the date


def signature_start(lines: list[str]) -> int:
    """Index where a closing 落款 (signing bodies, then the date) begins, or len(lines).

    >>> signature_start(["第五条本办法自2024年3月1日起施行。", "无锡市科学技术局", "2024年2月1日"])
    1
    >>> signature_start(["第五条本办法自2024年3月1日起施行。"]), signature_start(["2024年2月1日"])
    (1, 0)
    """
    if not lines or not DATE_LINE.match(lines[-1]):
        return len(lines)
    i = len(lines) - 1
    while i > 0 and len(lines) - 1 - i < SIGNER_MAX_LINES and _signer_line(lines[i - 1]):
        i -= 1
    return i


def _signer_line(line: str) -> bool:
    orgs = split_orgs(line)
    return bool(orgs) and len(line) <= 40 and all(ORG_TAIL.search(o) and len(o) >= 4 for o in orgs)


def _first_sentence(text: str) -> str:
    s = re.split(r"[。！？；]", text, maxsplit=1)[0]
    return s if len(s) <= 50 else s[:50]


def _add_body(b: _Builder, root: Node, width: int) -> None:
    displays: dict[int, str] = {}
    for node in walk_leaves(root):
        title_first = is_title_line(node, width)
        paras = paragraphs(node.lines, width, title_first)
        heading = heading_of(node, paras, title_first)
        displays[id(node)] = _display(node, heading)
        ancestors = []
        up = node.parent
        while up is not None and up.marker is not None:
            ancestors.insert(0, up)
            up = up.parent
        path = [displays[id(a)] for a in ancestors] + [_own_token(node)]
        numbers = [a.marker.token for a in ancestors] + [node.marker.token]
        if not node.children:
            b.add("article", paras, heading, path, numbers)
        elif _has_own_text(paras, heading, title_first):
            b.add("section", paras, heading, path, numbers)


def _has_own_text(paras: list[str], heading: str, title_first: bool) -> bool:
    """A parent unit with text beyond its heading line (an intro before its items)."""
    if len(paras) > 1:
        return True
    own = paras[0] if paras else ""
    return not title_first and len(own) - own.find(heading) - len(heading) > 2


def _add_fallback(b: _Builder, lines: list[str], width: int) -> None:
    """No numbered structure: paragraph records, flagged so a person can check them."""
    group: list[str] = []
    n = 0
    for p in paragraphs(lines, width):
        group.append(p)
        if sum(map(len, group)) >= FALLBACK_PARAGRAPH_CHARS:
            n += 1
            b.add(
                "paragraph", group, _first_sentence(group[0]), (), (f"第{n}段",), ("no_numbered_structure",)
            )
            group = []
    if group:
        n += 1
        b.add("paragraph", group, _first_sentence(group[0]), (), (f"第{n}段",), ("no_numbered_structure",))


def parse_document(raw: str, source: str, doc_id: str, folders: tuple[str, ...] = ()) -> list[Article]:
    """Cut one document's extracted text into citable records, in document order.

    `folders` are the names of the folders the file sits in inside the corpus
    (地方法规/浙江): evidence of kind, issuer and place when the text gives none.
    """
    lines = physical_lines(raw)
    width = typical_width(lines)
    body_start = first_marker_line(lines)
    front = parse_front(lines, body_start)
    end = body_start + colophon_start(lines[body_start:]) if body_start < len(lines) else len(lines)
    sign = body_start + signature_start(lines[body_start:end]) if body_start < end else end
    if sign < end:  # the 落款 dates and signs the document when its head did not
        front.issue_date = front.issue_date or iso_date(lines[end - 1])
        front.issuers = front.issuers or [o for x in lines[sign : end - 1] for o in split_orgs(x)]
    events, front.preamble_lines = split_history(front.preamble_lines)
    doc = doc_meta(front, source, doc_id, join_lines(lines), events, folders)
    b = _Builder(doc)
    if front.notice_lines:
        k = front.notice_title_lines
        notice = [front.notice_title, *loose_paragraphs(front.notice_lines[k:], width)]
        b.add("notice", notice, front.notice_title)
    if body_start == len(lines):
        _add_fallback(b, front.preamble_lines, width)
        return b.records
    preamble = paragraphs(front.preamble_lines, width)
    if preamble:
        b.add("preamble", preamble, _first_sentence(preamble[0]))
    _add_body(b, build_tree(lines[body_start:sign]), width)
    if sign < len(lines):
        b.add("colophon", loose_paragraphs(lines[sign:], width), "落款" if sign < end else "版记")
    return b.records
