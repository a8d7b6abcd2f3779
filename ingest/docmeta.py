"""A document's metadata (`DocMeta`) from its front matter, history lines, body and path.

`ingest.meta` reads the front matter of policy documents (red head, 文号, notice, title);
`ingest.header` the history lines of statutes and the dates a body states; `ingest.kinds`
the kind, issuers and region. This module puts them together, text before file name.
"""

from __future__ import annotations

import re

from ingest import header as H
from ingest import kinds as K
from ingest.meta import Front
from ingest.places import level_of
from ingest.record import DRAFT, IN_FORCE, DocMeta
from ingest.references import order_number

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


def _first(events: list[H.Event], *actions: str) -> str:
    """Date of the first history line doing any of `actions` ('' when none)."""
    return next((e.date for e in events if set(actions) & set(e.actions)), "")


def _last(events: list[H.Event], *actions: str) -> str:
    return _first(list(reversed(events)), *actions)


def _dates(events: list[H.Event], front: Front, source: str, text: str) -> dict:
    """通过 / 公布 / 修订·修正 / 施行 / 失效 and the version date, from the history lines and the body."""
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
    promulgated = max(_last(events, "公布", "发布", "印发"), by_order) or front.issue_date
    effective, on_issue = H.in_force_date(text)
    effective = _last(events, "施行") or effective or (max(promulgated, version) if on_issue else "")
    return {
        "adopted_date": _first(events, "通过"),
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
