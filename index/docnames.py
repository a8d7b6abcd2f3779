"""Which documents a question names in words: by title or short name, by place, by year.

Read from each document's own metadata, never from a list: a question that says
"政府采购法" (the title without 中华人民共和国), "在上海" (the place its title starts with)
or "2024年修改后的会计法" (the year of one of two versions of a title) leans on those
documents. A named title narrows the search like a named 文号 does (`HybridRetriever._scope`);
a named place or year only adds `Fusion.weight_doc` to the fused score of the documents it
fits, because a national law still applies in Shanghai.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from ingest.clean import compact
from ingest.record import DocMeta

NATION = "中华人民共和国"
# A title that starts with a place: 上海市…, 广东省…, 杭州市…, 广西壮族自治区…
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,8}?)(省|市|自治区|特别行政区)")
_QUOTED = re.compile(r"《([^》]{2,40})》")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_FILE_DATE = re.compile(r"\(((?:19|20)\d{2})-\d{2}-\d{2}\)")
MIN_NAME = 4  # a shorter name ("公司法" is 3) only counts inside 《》: short strings occur in ordinary words


@dataclass(frozen=True)
class DocNames:
    doc_id: str
    names: tuple[str, ...]  # normalised full title and its short forms
    place: str  # 上海 for 上海市…条例; "" for a national text
    year: str  # the version's year: its issue date, else the file name's date ("" when neither)


def names_of(doc: DocMeta) -> DocNames:
    """A document's names as questions write them.

    >>> d = names_of(DocMeta("d", "会计法(2024-06-28).md", "中华人民共和国会计法"))
    >>> d.names, d.place, d.year
    (('中华人民共和国会计法', '会计法'), '', '2024')
    >>> names_of(DocMeta("s", "x.md", "上海市优化营商环境条例")).place
    '上海'
    """
    title = compact(doc.title)
    names = [title, title.removeprefix(NATION)]
    names += [compact(q).removeprefix(NATION) for q in _QUOTED.findall(doc.title)]
    place = m.group(1) if (m := _PLACE.match(title)) else ""
    return DocNames(doc.doc_id, tuple(dict.fromkeys(n for n in names if n)), place, _year(doc))


def _year(doc: DocMeta) -> str:
    if doc.issue_date[:4].isdigit():
        return doc.issue_date[:4]
    m = _FILE_DATE.search(PurePath(doc.source).name.replace("（", "(").replace("）", ")"))
    return m.group(1) if m else ""


def named_titles(query: str, docs: list[DocNames]) -> set[str]:
    """doc_ids whose title or short name the question writes out.

    "会计法" (3 characters) counts in 《会计法》 or directly before a qualifier such as 第…条;
    a name of 4+ characters counts anywhere. Both versions of a title are named alike.

    >>> docs = [names_of(DocMeta("n", "a.md", "优化营商环境条例")), names_of(DocMeta("b", "b.md", "北京市优化营商环境条例"))]
    >>> named_titles("北京市优化营商环境条例第四十二条", docs), named_titles("优化营商环境条例第三十二条", docs)
    ({'b'}, {'n'})
    """
    q = compact(query)
    quoted = {compact(x).removeprefix(NATION) for x in _QUOTED.findall(query)}
    hits = [
        (name, d.doc_id)
        for d in docs
        for name in d.names
        if name in quoted or (len(name) >= MIN_NAME and name in q) or _cited(name, q)
    ]
    # "北京市优化营商环境条例" also contains the national "优化营商环境条例": the longest name wins.
    names = {name for name, _ in hits}
    return {doc for name, doc in hits if not any(name != other and name in other for other in names)}


def _cited(name: str, q: str) -> bool:
    """A short name followed by an article number or a qualifier: "会计法第四十二条", "公司法解释三"."""
    i = q.find(name)
    return i >= 0 and bool(re.match(r"第|解释|司法解释|实施", q[i + len(name) :]))


def favoured(query: str, docs: list[DocNames]) -> set[str]:
    """doc_ids whose place or version year the question names ("在上海…", "2020年的条例").

    A year counts only for a title held in several versions: it picks among them.
    """
    q = compact(query)
    out = {d.doc_id for d in docs if d.place and d.place in q}
    years = set(_YEAR.findall(q))
    if years:
        by_title: dict[str, list[DocNames]] = {}
        for d in docs:
            by_title.setdefault(d.names[0], []).append(d)
        out |= {d.doc_id for group in by_title.values() if len(group) > 1 for d in group if d.year in years}
    return out
