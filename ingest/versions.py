"""Versions across a library: one title's texts in a chain, and what repeals what.

Documents with the same normalised title (`references.title_key`: a leading
中华人民共和国 aside) and compatible regions are versions of one text, ordered by
version date. Each one but the newest is superseded from the day the next one comes
into force. A text that says "…《X》同时废止" repeals the older texts titled X.
Validity on a given day follows from these links and the document's own dates
(`DocMeta.validity_on`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from ingest.record import Article, DocMeta
from ingest.references import title_key


def link_versions(docs: Iterable[DocMeta]) -> dict[str, DocMeta]:
    """Every document with its version links set, by doc_id (documents without versions unchanged)."""
    out = {d.doc_id: d for d in docs}
    chains: dict[str, list[DocMeta]] = defaultdict(list)
    for d in out.values():
        if not d.is_draft:
            chains[title_key(d.title)].append(d)
    for chain in chains.values():
        for group in _by_region(chain):
            if len(group) > 1:
                out.update({d.doc_id: d for d in _link_chain(group)})
    for d in list(out.values()):
        for title in d.repeals:
            _repeal(out, chains.get(title_key(title), []), d)
    return out


def link_articles(articles: list[Article]) -> list[Article]:
    """The articles with their documents' version links set."""
    docs = link_versions({a.doc.doc_id: a.doc for a in articles}.values())
    return [
        a if docs[a.doc.doc_id] is a.doc else dataclasses.replace(a, doc=docs[a.doc.doc_id]) for a in articles
    ]


def _by_region(chain: list[DocMeta]) -> list[list[DocMeta]]:
    """Split one title's documents by region: 《物业管理条例》 of 宁波市 and of 丽水市 are two texts.

    A document whose region is unknown joins the only region there is, if there is one.
    """
    regions = {d.region for d in chain if d.region}
    if len(regions) <= 1:
        return [chain]
    groups = [[d for d in chain if d.region == r] for r in sorted(regions)]
    return groups + [[d] for d in chain if not d.region]


def _link_chain(chain: list[DocMeta]) -> list[DocMeta]:
    dated = sorted((d for d in chain if d.version_date), key=lambda d: (d.version_date, d.source))
    ids = tuple(d.doc_id for d in dated)
    labels = _labels(dated)
    out = []
    for i, d in enumerate(dated):
        newer = next((n for n in dated[i + 1 :] if n.version_date > d.version_date), None)
        out.append(
            dataclasses.replace(
                d,
                versions=ids,
                version_labels=tuple(labels),
                version_label=labels[i],
                superseded_by=newer.doc_id if newer else "",
                superseded_on=_in_force_from(newer) if newer else "",
            )
        )
    return out


def _in_force_from(d: DocMeta) -> str:
    """The day a version takes over: its 施行 date, unless that is older than the version itself
    (an amended law keeps its original "自1990年1月1日起施行")."""
    if d.effective_date and d.effective_date >= d.version_date:
        return d.effective_date
    return d.version_date


def version_label(d: DocMeta, full_date: bool = False) -> str:
    """'2025年修订' / '2021年修正' / '2020年版' (the first text, or one dated only by its file name).

    >>> version_label(DocMeta("d", "f", "t", version_date="2025-03-17", amended=("2025-03-17 修订",)))
    '2025年修订'
    """
    when = d.version_date
    if not when:
        return ""
    y, m, day = when.split("-")
    stamp = f"{y}年{int(m)}月{int(day)}日" if full_date else f"{y}年"
    last = d.amended[-1].split(" ") if d.amended else ["", ""]
    return stamp + (last[1] if last[0] == when else "版")


def _labels(dated: list[DocMeta]) -> list[str]:
    """Labels that tell the versions apart: the year, or the full date when two share a year."""
    short = [version_label(d) for d in dated]
    return [version_label(d, full_date=short.count(s) > 1) for d, s in zip(dated, short, strict=True)]


def _repeal(out: dict[str, DocMeta], named: list[DocMeta], by: DocMeta) -> None:
    """Mark the texts `by` repeals: those titled as it says, older than it, of another title chain."""
    own = title_key(by.title)
    when = _in_force_from(by) if by.version_date else by.effective_date
    for d in named:
        d = out[d.doc_id]
        if title_key(d.title) == own or d.repealed_by:
            continue
        if d.region and by.region and d.region != by.region and by.region != "全国":
            continue
        if when and (not d.version_date or d.version_date <= when):
            out[d.doc_id] = dataclasses.replace(d, repealed_by=by.doc_id, repealed_on=when)
