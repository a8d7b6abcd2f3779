"""Different figures for the same thing in different documents.

A January and a July document of the same year can set different targets
("科技型中小企业每年评价入库15000家" vs "年度评价入库达28000家"). The answer
must give both, each with its document and date, not pick one.

A clause is read as (metric phrase, figure with unit); two phrases name the
same metric when one's bigrams are nearly all in the other's and they agree on
period (annual vs cumulative) and unit.
"""

from __future__ import annotations

import re

from answer import sentences as S
from answer.context import Block
from answer.record import Conflict, ConflictItem

_CLAUSE = re.compile(r"[^，,；;。：:、\n]+")
_METRIC = re.compile(
    r"([\u4e00-\u9fff“”（）()]{2,30}?)\s*(\d+(?:\.\d+)?)\s*(家|个|人|名|亿元|万元|元|%|户|只|项|所|件|座)"
)
# Words around a target that do not change what is counted.
_FILLER = re.compile(
    r"到\d*年末?|全市|全省|累计|新增|引进|培育|认定|建成|建设|打造|实现|力争|达到|超过|不少于|不低于|"
    r"以上|左右|争创|数|达|超|为|约|（[^）]*）|\([^)]*\)"
)
_ANNUAL = re.compile(r"每年|年度|年均|当年")
MIN_METRIC_CHARS = 3  # shorter phrases ("企业") match everything
SAME_METRIC = 0.8  # share of the shorter phrase's bigrams found in the longer one
QUESTION_OVERLAP = 2  # bigrams a metric must share with the question to be about it


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def metric_key(phrase: str) -> str:
    """'科技型中小企业每年评价入库' -> '科技型中小企业评价入库' (period kept apart in `_period`)"""
    return _ANNUAL.sub("", _FILLER.sub("", phrase))


def _period(phrase: str) -> str:
    return "annual" if _ANNUAL.search(phrase) else "total"


def facts(block: Block) -> list[tuple[str, str, str, str]]:
    """(metric key, period+unit, figure, clause) for each figure in a block's article."""
    out = []
    text = S.normalize(block.article.text)
    for clause in _CLAUSE.findall(text):
        for m in _METRIC.finditer(clause):
            key = metric_key(m.group(1))
            if len(key) >= MIN_METRIC_CHARS:
                out.append((key, _period(m.group(1)) + m.group(3), m.group(2) + m.group(3), clause))
    return out


def _same(a: str, b: str) -> bool:
    ga, gb = _bigrams(a), _bigrams(b)
    small, large = (ga, gb) if len(ga) <= len(gb) else (gb, ga)
    return bool(small) and len(small & large) / len(small) >= SAME_METRIC


def find_conflicts(blocks: list[Block], question: str) -> list[Conflict]:
    """Metrics the question is about whose figures differ between documents."""
    q = S.terms(question)
    found: list[tuple[str, str, ConflictItem]] = []
    for b in blocks:
        for key, kind, figure, clause in facts(b):
            if len(_bigrams(key) & q) >= QUESTION_OVERLAP:
                found.append((key, kind, ConflictItem(figure, clause, b.article, b.n)))
    out: list[Conflict] = []
    used: set[int] = set()
    for i, (key, kind, _) in enumerate(found):
        if i in used:
            continue
        group = [j for j, (k2, kind2, _) in enumerate(found) if kind2 == kind and _same(key, k2)]
        items = [found[j][2] for j in group]
        docs = {it.article.doc.doc_id for it in items}
        if len(docs) > 1 and len({it.figure for it in items}) > 1:
            used.update(group)
            out.append(Conflict(key, tuple(_one_per_doc(items))))
    return out


def _one_per_doc(items: list[ConflictItem]) -> list[ConflictItem]:
    """First figure of each document, oldest document first."""
    seen: dict[str, ConflictItem] = {}
    for it in items:
        seen.setdefault(it.article.doc.doc_id, it)
    return sorted(seen.values(), key=lambda it: it.article.doc.issue_date)
