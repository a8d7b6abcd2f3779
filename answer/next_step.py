"""What the reader can do next: whom to ask, and whether the document is in force.

Every answer and refusal ends with it. The units are the ones the articles themselves
name: a policy's 责任单位 lists (read at ingest); else the bodies a statute's articles make
act ("由劳动行政部门责令改正"), and the department the document puts in charge, cited to
the article that says so (`ingest.authorities`). Only a document that names none sends
the reader to its issuer. A draft or a document no longer in force is said so next to
its units.
"""

from __future__ import annotations

import re

from answer.context import not_in_force_note
from answer.prompts import render
from ingest.authorities import acting_bodies
from ingest.record import Article, DocMeta

MOST_UNITS = 6  # a line a reader can take in; 71号文's longest 责任单位 list has 9
MOST_ISSUERS = 3  # co-issuers of a provincial document run to 8 names; the first ones lead
MOST_IN_CHARGE = 1  # the first document's department in charge is cited: one line a reader takes in
# "那找谁申请？", "哪个部门负责", "向谁咨询": the reader wants a unit, not the clause again
_ASKS_CONTACT = re.compile(
    r"找谁|找哪|哪个部门|哪些部门|哪个单位|哪些单位|哪家单位|什么部门|向谁|联系谁|咨询谁|谁负责|谁来|谁受理|"
    r"谁管|归谁|(?:去|到|在)哪(?:里|儿)?(?:申请|办理|申报|咨询|办)|受理(?:部门|单位|机构)|"
    r"(?:责任|负责|牵头|主管|承办)(?:单位|部门)"
)


def asks_contact(question: str) -> bool:
    """The question asks whom to turn to.

    >>> asks_contact("那找谁申请？"), asks_contact("首贷贴息去哪里申请"), asks_contact("首贷有贴息吗")
    (True, True, False)
    """
    return bool(_ASKS_CONTACT.search(question))


def units(articles: list[Article], named=lambda a: a.responsible_units) -> list[tuple[str, list[int]]]:
    """[(unit, [1-based positions of the articles naming it])], in order of first mention; `named`
    gives an article's units (its 责任单位 list; `acting` for the bodies it makes act).

    >>> from ingest.record import DocMeta
    >>> d = DocMeta("d", "s", "t")
    >>> a = Article("a", d, "article", (), (), "", "x", responsible_units=("市财政局", "市金融监管局"))
    >>> b = Article("b", d, "article", (), (), "", "y", responsible_units=("市金融监管局",))
    >>> units([a, b])
    [('市财政局', [1]), ('市金融监管局', [1, 2])]
    """
    out: dict[str, list[int]] = {}
    for i, a in enumerate(articles, 1):
        for u in named(a):
            out.setdefault(u, []).append(i)
    return list(out.items())


def acting(article: Article) -> list[str]:
    return acting_bodies(article.text)


def documents_in_charge(articles: list[Article], named: set[str] = frozenset()) -> list[DocMeta]:
    """The articles' documents that name a department in charge not already `named`, first mention first."""
    seen: dict[str, DocMeta] = {}
    for a in articles:
        if a.doc.authorities and not set(a.doc.authorities) <= named:
            seen.setdefault(a.doc.doc_id, a.doc)
    return list(seen.values())[:MOST_IN_CHARGE]


def issuers(articles: list[Article]) -> list[str]:
    """The issuing bodies of the articles' documents, for articles that name no unit."""
    seen: dict[str, None] = {}
    for a in articles:
        for who in a.doc.issuers:
            seen.setdefault(who)
    return list(seen)


def status_notes(articles: list[Article], drafts: bool = True) -> list[str]:
    """'《…》为征求意见稿，尚未正式生效' / '…已被修订，非现行文本' for each document not in force today.

    `drafts=False` for answers, which carry their own draft and not-in-force notes (answer_notes.j2).
    """
    if not drafts:
        return []
    out: dict[str, str] = {}
    for a in articles:
        d = a.doc
        if d.is_draft:
            out[d.doc_id] = f"{d.cite_name}为征求意见稿，尚未正式生效，以正式文件为准"
        elif not_in_force_note(d):
            out[d.doc_id] = f"{d.cite_name}：{not_in_force_note(d)}，请以现行文件为准"
    return list(out.values())


def next_step(articles: list[Article], numbers: list[int] | None = None, drafts: bool = True) -> str:
    """The closing lines: 可咨询 units (each with the [n] of the article naming it, when `numbers`
    gives the articles' [n] in the answer); else the bodies the articles make act and the department
    their document puts in charge, cited; else the issuers. Then notes on documents not in force.
    `drafts=False` when the answer already carries its own draft note.
    """

    def cited(found: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
        return [(u, [numbers[i - 1] for i in at] if numbers else []) for u, at in found]

    found = cited(units(articles))
    bodies = cited(units(articles, acting))[:MOST_UNITS] if not found else []
    charge = documents_in_charge(articles, {b for b, _ in bodies}) if not found else []
    return render(
        "next_step.j2",
        units=found[:MOST_UNITS],
        acting=bodies,
        in_charge=charge,
        issuers=issuers(articles)[:MOST_ISSUERS] if not (found or bodies or charge) else [],
        notes=status_notes(articles, drafts),
    )
