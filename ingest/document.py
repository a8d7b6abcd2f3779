"""One document's text -> its records: notice, preamble, articles, sections, colophon."""

from __future__ import annotations

import re

from ingest import header as H
from ingest import kinds as K
from ingest.clean import TERMINAL, join_lines, physical_lines, typical_width
from ingest.meta import DATE_LINE, ORG_TAIL, Front, iso_date, parse_front, split_orgs
from ingest.places import level_of
from ingest.record import DRAFT, IN_FORCE, Article, DocMeta, make_chunk_id
from ingest.references import order_number
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


FILE_DATE = re.compile(r"[（(](\d{4})-(\d{2})-(\d{2})[)）]\s*$")  # 专利法实施细则(2023-12-11).md


def file_date(source: str) -> str:
    """'专利法实施细则(2023-12-11).md' -> '2023-12-11' ('' when the name has no date)."""
    m = FILE_DATE.search(source.rsplit(".", 1)[0])
    return "-".join(m.groups()) if m else ""


def file_title(source: str) -> str:
    """The file name without its extension and date: the title of last resort."""
    return FILE_DATE.sub("", source.rsplit(".", 1)[0]).strip()


def split_history(lines: list[str]) -> tuple[list[H.Event], list[str]]:
    """History lines at the head of the preamble (laws print them under the title), and the rest."""
    events = []
    i = 0
    while i < len(lines) and (e := H.parse_event(lines[i])):
        events.append(e)
        i += 1
    return events, lines[i:]


def _dates(events: list[H.Event], front: Front, source: str, text: str) -> dict:
    """通过 / 公布 / 修订·修正 / 施行 / 失效 and the version date, from the history lines and the body."""
    first = lambda *acts: next((e.date for e in events if set(acts) & set(e.actions)), "")  # noqa: E731
    last = lambda *acts: next((e.date for e in reversed(events) if set(acts) & set(e.actions)), "")  # noqa: E731
    amended = tuple(
        f"{e.date} {'修订' if '修订' in e.actions else '修正'}"
        for e in events
        if {"修订", "修正"} & set(e.actions)
    )
    made = [e.date for e in events if {"通过", "修订", "修正", "公布", "发布", "印发"} & set(e.actions)]
    version = max(made, default="") or front.issue_date
    named = file_date(source)
    if named and named > version:  # the history lines stop short of the latest revision
        version = named
    by_order = next(
        (e.date for e in reversed(events) if e.order), ""
    )  # 国务院令第760号修订: promulgated then
    promulgated = max(last("公布", "发布", "印发"), by_order) or front.issue_date
    effective, on_issue = H.in_force_date(text)
    effective = last("施行") or effective or (max(promulgated, version) if on_issue else "")
    return {
        "adopted_date": first("通过"),
        "promulgated_date": promulgated,
        "amended": amended,
        "effective_date": effective,
        "expiry_date": H.valid_until(text, effective or promulgated or version),
        "version_date": version,
    }


def doc_meta(
    front: Front, source: str, doc_id: str, body_text: str, events=(), folders: tuple[str, ...] = ()
) -> DocMeta:
    events = list(events)
    title = front.title or file_title(source)
    issuers = K.issuers_from_events(events) or list(front.issuers) or K.issuers_from_title(title)
    issuers = issuers or K.issuer_from_folders(folders)
    draft = front.status == DRAFT
    kind = K.document_kind(events, issuers, title, folders, draft, bool(front.doc_number))
    issuers = issuers or ([K.ISSUER_OF_KIND[kind]] if kind in K.ISSUER_OF_KIND else [])
    region = K.document_region(issuers, kind, title, folders, body_text)
    issuers = K.absolute_bodies(issuers, region)
    dates = _dates(events, front, source, body_text)
    orders = [e.order for e in events if e.order]
    return DocMeta(
        doc_id=doc_id,
        source=source,
        title=title,
        doc_number=front.doc_number,
        issuers=tuple(issuers),
        issue_date=front.issue_date or dates["version_date"],
        status=DRAFT if draft else IN_FORCE,
        region=region,
        level=level_of(region),
        notice_title=front.notice_title,
        kind=kind,
        order_number=orders[-1] if orders else order_number(" ".join(front.preamble_lines[:3])),
        history=tuple(e.text for e in events),
        repeals=tuple(t for t in H.repealed_titles(body_text) if t != title),
        **dates,
    )


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
