"""Saying "not in these documents" instead of inventing an answer.

Retrieval always returns *something*; a hit is evidence only when one of the
index's absolute signals is strong enough: cosine similarity of the embedded
question and article, or BM25 keyword score. Both floors are settings,
calibrated on eval/qa.jsonl's unanswerable questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from answer import sentences as S
from answer.prompts import render
from ingest.places import NATIONAL, covers, places_named
from ingest.record import Article

REFUSAL = "现有政策文件中未找到"
# What models write when the blocks do not answer (the prompt asks for the first one).
_MODEL_REFUSAL = re.compile(r"未找到|没有找到|无法回答|没有(?:提到|涉及|相关)|未(?:提及|涉及)")
SHORT_REFUSAL = 60  # a refusal is one sentence; a longer text that says "未涉及" is an answer with a caveat
QUESTION_ECHO = 40  # characters of the question repeated in the refusal


def is_relevant(hit, settings) -> bool:
    """Strong enough on either signal. `hit` is index.Hit (article, score, vector_score, keyword_score)."""
    vec = getattr(hit, "vector_score", 0.0) or 0.0
    kw = getattr(hit, "keyword_score", 0.0) or 0.0
    return vec >= settings.refuse_min_vector or kw >= settings.refuse_min_keyword


def model_refused(text: str) -> bool:
    """The writer said the blocks do not answer (and said little else).

    >>> model_refused("现有政策文件中未找到相关规定。"), model_refused("首贷可获贴息[1]。")
    (True, False)
    """
    bare = re.sub(r"\[\d+\]", "", text).strip()
    return bool(_MODEL_REFUSAL.search(bare)) and len(bare) <= SHORT_REFUSAL


def refusal_text(
    question: str, related: list[Article], detail: str = "", place: str = "", regions: tuple[str, ...] = ()
) -> str:
    """The fixed polite refusal, with the closest articles as 可能相关; `detail` names what is missing,
    `place` the place asked about that the documents' `regions` do not cover."""
    q = question if len(question) <= QUESTION_ECHO else question[:QUESTION_ECHO] + "…"
    return render(
        "refusal.j2", question=q, related=related, detail=detail, place=place, regions="、".join(regions)
    )


def uncovered_place(question: str, regions: Sequence[str]) -> str:
    """The place the question asks about when no document covers any place it names ('' otherwise).

    Only a definite "not covered" counts: a document without a known region, or a
    place that cannot be placed, keeps the question answerable.

    >>> uncovered_place("杭州市对科技企业有贴息吗？", ["苏州市", "江苏省"])
    '杭州市'
    >>> [uncovered_place(q, ["苏州市", "江苏省"]) for q in ("昆山的企业呢？", "苏州和杭州有何不同", "首贷贴息")]
    ['', '', '']
    >>> uncovered_place("杭州市呢？", ["苏州市", ""]), uncovered_place("杭州市呢？", ["苏州市", "全国"])
    ('', '')
    """
    places = places_named(S.normalize(question))
    if not places or not regions or not all(regions) or NATIONAL in regions:
        return ""  # a national text applies everywhere
    if any(covers(r, p) is not False for p in places for r in regions):
        return ""
    return places[0]


# A question that asks for a kind of detail (a ratio, an amount, a date, a contact)
# can only be answered by a sentence that carries one. When none of the best
# matching sentences does, the documents do not say it: refusing beats letting a
# small model invent the figure.
_ASKS = (
    ("比例", re.compile(r"比例|百分之|几个点|占比|利率|费率"), re.compile(r"%|百分")),
    (
        "金额",
        re.compile(r"多少钱|金额|多少万|多少亿|注册资本|租金|补多少|贴多少|奖励多少|额度"),
        re.compile(r"\d[\d.]*[万亿]?元"),
    ),
    (
        "日期",
        re.compile(r"截止|截至|什么时候|何时|哪天|哪一天|日期"),
        re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日|\d{4}-\d{2}"),
    ),
    ("联系方式", re.compile(r"邮箱|电话|联系方式|网址|地址"), re.compile(r"@|\d{7,}|www\.|https?:")),
)
_ABOUT_ISSUING = re.compile(r"印发|发布|发的|出台|签发|通过|成文|号文|文件|这份|该文")
BEST_SHARE = 0.5  # sentences scoring at least this share of the best one are "the answer's candidates"


def missing_detail(question: str, articles: list[Article], piece: int = 100) -> str:
    """The kind of detail asked for and absent from the best-matching sentences ('' when none is missing).

    Sentences are cut into `piece`-sized clauses first, so a 300-character
    sentence does not pass on a percentage that belongs to another clause.

    >>> from ingest.record import DocMeta
    >>> a = Article("c", DocMeta("d", "s", "t"), "article", (), (), "", "首贷予以贴息。不良率提高3个百分点。")
    >>> missing_detail("首贷贴息比例是多少？", [a]), missing_detail("不良率提高多少？", [a])
    ('比例', '')
    """
    q = S.normalize(question)
    asked = [(name, want) for name, cue, want in _ASKS if cue.search(q)]
    if not asked:
        return ""
    best = _best_sentences(question, articles, piece)
    for name, want in asked:
        if not any(want.search(s) for s in best):
            return name
    return ""


def _best_sentences(question: str, articles: list[Article], piece: int) -> list[str]:
    query = S.terms(question)
    pool = [S.normalize(s) for a in articles for s in S.split_sentences(a.text, piece)]
    weights = S.idf(pool)
    scored = [(S.score(s, query, weights), s) for s in pool]
    top = max((sc for sc, _ in scored), default=0.0)
    best = [s for sc, s in scored if top > 0 and sc >= BEST_SHARE * top]
    if _ABOUT_ISSUING.search(S.normalize(question)):  # "哪天印发的" is answered by the document's date
        best += [a.doc.issue_date for a in articles if a.doc.issue_date]
    return best
