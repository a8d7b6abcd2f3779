"""Saying "not in these documents" instead of inventing an answer.

Retrieval always returns *something*; a hit is evidence only when one of the
index's absolute signals is strong enough: cosine similarity of the embedded
question and article, or BM25 keyword score. Both floors are settings,
calibrated on eval/qa.jsonl's unanswerable questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from answer import sentences as S
from answer.guard import safe_text
from answer.prompts import render
from index.lookup import documents_named
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


def topic_signals(hits, question: str = "", documents: Sequence = ()) -> tuple[float, float] | None:
    """(best cosine of an article or sentence, most information a hit shares with the question, `index.topic`)
    over the hits; None when the question is on topic whatever its words — it names an article, or a
    document by 文号 ("71号文的日期是哪天？") — or when the backend measures neither (-1)."""
    known = [h for h in hits if h.best_cosine >= 0 and h.shared_information >= 0]
    if not known or any(h.named for h in hits) or documents_named(question, list(documents)):
        return None
    return max(h.best_cosine for h in known), max(h.shared_information for h in known)


def off_topic(hits, settings, question: str = "", documents: Sequence = ()) -> bool:
    """The question is about nothing the documents cover ("给我讲个笑话", "股票明天会涨吗"): no hit is
    close in meaning (`topic_min_cosine`) and no hit shares words that say much in everyday language
    (`topic_min_information`); see `topic_signals` for the questions never judged so.

    >>> from collections import namedtuple
    >>> H = namedtuple("H", "best_cosine shared_information named")
    >>> class S: topic_min_cosine, topic_min_information = 0.87, 14.0
    >>> off_topic([H(0.85, 6.8, False)], S), off_topic([H(0.85, 15.0, False)], S), off_topic([H(0.9, 0, False)], S)
    (True, False, False)
    """
    found = topic_signals(hits, question, documents) if settings.topic_min_cosine > 0 else None
    return (
        found is not None
        and found[0] < settings.topic_min_cosine
        and found[1] < settings.topic_min_information
    )


def model_refused(text: str) -> bool:
    """The writer said the blocks do not answer (and said little else).

    >>> model_refused("现有政策文件中未找到相关规定。"), model_refused("首贷可获贴息[1]。")
    (True, False)
    """
    bare = re.sub(r"\[\d+\]", "", text).strip()
    return bool(_MODEL_REFUSAL.search(bare)) and len(bare) <= SHORT_REFUSAL


def refusal_text(
    question: str,
    related: list[Article],
    detail: str = "",
    place: str = "",
    regions: tuple[str, ...] = (),
    after: str = "",
    delegation: Delegation | None = None,
) -> str:
    """The refusal, stating the silence precisely: what the closest articles do mention and which
    detail (`detail`) they leave out, or which place (`place`) the documents' `regions` do not
    cover, or whose figure it is (`delegation`); the closest articles as 可能相关; `after` (whom to
    ask) last."""
    q = question if len(question) <= QUESTION_ECHO else question[:QUESTION_ECHO] + "…"
    return render(
        "refusal.j2",
        question=q,
        related=related,
        detail=detail,
        place=place,
        regions="、".join(regions),
        mentioned=mentioned(question, related) if detail else [],
        after=after,
        delegation=delegation,
    )


MENTION_MIN = 2  # characters: a shared word, not a shared character
MENTIONS = 2  # topics named in "文件提到了…": enough to show what was found


def mentioned(question: str, articles: list[Article]) -> list[str]:
    """The longest pieces of the question's topic that the articles do say, longest first.

    >>> from ingest.record import DocMeta
    >>> a = Article("c", DocMeta("d", "s", "t"), "article", (), (), "", "对人才购房给予支持。")
    >>> mentioned("人才购房补贴的具体金额是多少？", [a])
    ['人才购房']
    """
    topic = _QUESTION_WORDS.sub("，", S.normalize(question))
    text = "".join(S.normalize(a.text) for a in articles)
    found: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fffA-Za-z0-9“”]+", topic):
        found += _pieces_in(run, text)
    found.sort(key=len, reverse=True)
    return [f for i, f in enumerate(found) if not any(f in g for g in found[:i])][:MENTIONS]


def _pieces_in(run: str, text: str) -> list[str]:
    """Maximal substrings of `run` (>= MENTION_MIN chars) that occur in `text`, left to right."""
    out, i = [], 0
    while i < len(run):
        j = i + MENTION_MIN
        if run[i:j] not in text or j > len(run):
            i += 1
            continue
        while j < len(run) and run[i : j + 1] in text:
            j += 1
        out.append(run[i:j].strip("“”"))
        i = j
    return [p for p in out if len(p) >= MENTION_MIN]


# Words that ask rather than name a topic: cut out before looking for what the documents mention.
_QUESTION_WORDS = re.compile(
    r"具体|多少钱|多少|是什么|什么时候|什么|哪些|哪个|哪里|怎么|如何|怎样|是否|有没有|能不能|可以|"
    r"吗|呢|请问|的|是|有|能|要|需要|标准|比例|金额|额度|规模|日期|截止|条件|材料|一个月|每家|最多|最高|"
    r"[？?。，,！!、\s]"
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
# Figures as statutes write them too: 二十万元, 三千元以上, 千分之五, 六月三十日.
CN_NUM = "[〇零一二两三四五六七八九十百千万]"
_ASKS = (
    # a multiple is a ratio too: "贷款市场报价利率四倍", "一倍以上五倍以下"
    ("比例", re.compile(r"比例|百分之|几个点|占比|利率|费率"), re.compile(r"%|百分|分之|倍")),
    (
        "金额",
        re.compile(
            r"多少钱|金额|多少万|多少亿|多少注册资本|注册资本[^，。？,?]{0,3}多少|租金|补多少|贴多少|奖励多少|额度"
            r"|规模|多大|估值|抵多少|减免多少"
            # the other word order: 能拿多少补贴, 给多少开办补贴, 补助是多少
            r"|多少[^，。？,?]{0,4}(?:补贴|补助|奖励|奖金|资助)|(?:补贴|补助|奖金|资助)[^，。？,?]{0,3}多少"
        ),
        re.compile(rf"(?:\d[\d.]*|{CN_NUM}+)[万亿]?元|%|分之"),
    ),
    # "什么时候/最晚何时" about a duty is answered by a time limit (自…之日起1年内, 期满前十二个月内)
    # as often as by a calendar date
    (
        "日期",
        re.compile(r"截止|截至|什么时候|何时|哪天|哪一天|日期"),
        re.compile(
            rf"\d{{4}}年|\d{{1,2}}月\d{{1,2}}日|\d{{4}}-\d{{2}}|{CN_NUM}+月{CN_NUM}+日"
            rf"|(?:\d+|{CN_NUM}+)个?(?:工作日|日|天|周|月|年)(?:内|以内|前|之前)"
        ),
    ),
    # An address asked for, not one talked about ("执照上的地址怎么填", "填了假地址"):
    (
        "联系方式",
        re.compile(r"邮箱|电话|联系方式|网址|(?:办公|联系|通讯|通信|详细)地址|地址(?:是|在)"),
        re.compile(r"@|\d{7,}|www\.|https?:"),
    ),
    # Materials, conditions, a place to go, an achieved figure: the evidence must state one,
    # not merely name the programme (瞪羚企业 is listed, its 认定条件 are not).
    (
        "申请材料",
        re.compile(r"(?:哪些|什么|准备|提交|提供|需要)(?:的)?(?:申请|申报)?材料|要带什么|提交什么|准备什么"),
        # 材料 alone is an industry (新材料, 先进材料): the evidence must speak of documents to hand in
        re.compile(r"(?:申请|申报|证明|相关|以下|有关|提交|提供|所需)材料|材料清单|申请表|证明文件|复印件"),
    ),
    (
        "条件或标准",
        re.compile(r"(?:什么|哪些)条件|满足什么|认定标准|什么标准|标准是|门槛"),
        re.compile(
            r"条件[是为：:]|标准[是为：:]|应当具备|须具备|需具备|(?:符合|满足|具备)(?:以下|下列|如下)|门槛"
        ),
    ),
    (
        "办理地点或渠道",
        re.compile(r"哪里买|哪儿买|去哪(?:里|儿)?(?:买|购买|投保)|在哪(?:里|儿)?办公|办公地址"),
        re.compile(r"地址|窗口|大厅|网址|www\.|https?:|(?:通过|登录)[^，。；]{0,12}(?:平台|系统|网站)"),
    ),
    (
        "实际完成情况",
        re.compile(r"实际完成|实际(?:有|是|达到)|(?:现在|目前|如今)(?:是|有|的)|完成了多少|已经完成"),
        re.compile(r"已(?:经)?(?:达|完成|累计|有|超)|截至\d|实际完成"),
    ),
)
ABOUT_ISSUING = re.compile(r"印发|发布|发的|出台|签发|通过|成文|号文|文件|这份|该文")
BEST_SHARE = 0.5  # sentences scoring at least this share of the best one are "the answer's candidates"


def details_asked(question: str) -> list[tuple[str, re.Pattern]]:
    """(kind, what a sentence holding it looks like) for each kind of detail the question asks for.

    >>> [kind for kind, _ in details_asked("贴息比例是多少，什么时候截止？")]
    ['比例', '日期']
    >>> [kind for kind, _ in details_asked("建海外仓能拿多少补贴？")], details_asked("补贴怎么申请？")
    (['金额'], [])
    >>> details_asked("没有实体店面，执照上的地址怎么填？"), [k for k, _ in details_asked("办公地址在哪？")]
    ([], ['联系方式', '办理地点或渠道'])
    """
    q = S.normalize(question)
    return [(name, want) for name, cue, want in _ASKS if cue.search(q)]


def missing_detail(question: str, articles: list[Article], piece: int = 100) -> str:
    """The kind of detail asked for and absent from the best-matching sentences ('' when none is missing).

    Sentences are cut into `piece`-sized clauses first, so a 300-character
    sentence does not pass on a percentage that belongs to another clause.

    >>> from ingest.record import DocMeta
    >>> a = Article("c", DocMeta("d", "s", "t"), "article", (), (), "", "首贷予以贴息。不良率提高3个百分点。")
    >>> missing_detail("首贷贴息比例是多少？", [a]), missing_detail("不良率提高多少？", [a])
    ('比例', '')
    """
    asked = details_asked(question)
    if not asked:
        return ""
    best = _best_sentences(question, articles, piece)
    for name, want in asked:
        if not any(want.search(s) for s in best):
            return name
    return ""


# How a question asks for a figure (多少钱, 几个月, 百分之几) is not its topic: left in, "几个月" makes any
# sentence with "2个月" one of the answer's candidates, "百分之几" any sentence with a percentage.
_ASKING = re.compile(
    r"百分之(?:几|多少)|(?:多少|几)个?(?:钱|岁|周岁|天|日|工作日|月|年|周|小时|倍|次|点|万|亿|元)?"
)


def _best_sentences(question: str, articles: list[Article], piece: int) -> list[str]:
    query = S.terms(_ASKING.sub("，", S.normalize(question))) or S.terms(question)
    pool = [S.normalize(s) for a in articles for s in S.split_sentences(a.text, piece)]
    weights = S.idf(pool)
    scored = [(S.score(s, query, weights), s) for s in pool]
    top = max((sc for sc, _ in scored), default=0.0)
    best = [s for sc, s in scored if top > 0 and sc >= BEST_SHARE * top]
    if ABOUT_ISSUING.search(S.normalize(question)):  # "哪天印发的" is answered by the document's date
        best += [a.doc.issue_date for a in articles if a.doc.issue_date]
    return best


# A statute that leaves a figure to others says so: "最低工资的具体标准由省、自治区、直辖市人民政府规定",
# "…人民政府公布的本地区上年度职工月平均工资", "…每月发布的一年期贷款市场报价利率". Asked for that
# figure's value ("杭州现在最低工资一个月是多少钱？"), the documents are silent however many percentages
# of it they give: the answer is that silence, and who sets the figure.
_FIGURE_OF = re.compile(r"(?<!百分之)(?<!分之)(?:具体)?(?:是|为|有)?多少钱?|(?:具体)?(?:是|为)?几(?:元|块)")
NOUN_GAP = 4  # characters between the thing named and the asking (一个月, 现在): "最低工资一个月是多少钱"
_SET_BY = r"[^，。；]{0,8}由[^，。；]{2,30}?(?:规定|制定|确定|公布|发布|核定)"
_PUBLISHED = r"(?:公布|发布)的[^，。；]{0,10}"
# the value stated, not a share of it ("最低工资百分之三十五" is not the minimum wage)
_STATED = (
    r"[^，。；\d]{0,2}?(?:为|是|达到|不低于|不高于|不超过|调整为|提高到)[^，。；]{0,4}?"
    rf"(?:(?:\d[\d.]*|{CN_NUM}+)(?:[万亿]?元|%|块)|百分之)"  # the value: an amount, a rate
)


class Delegation(NamedTuple):
    noun: str  # what the question asks the value of: 最低工资
    sentence: str  # the article's words leaving it to others, as it writes them
    article: Article


def delegated(question: str, articles: list[Article], piece: int = 100) -> Delegation | None:
    """What the question asks the value of, and the sentence saying who sets it, when the articles
    leave that value to others and none of their sentences states it; None otherwise.

    >>> from ingest.record import DocMeta
    >>> law = lambda t: Article("c", DocMeta("d", "s", "t"), "article", (), (), "", t)
    >>> a = law("第四十八条国家实行最低工资保障制度。最低工资的具体标准由省、自治区、直辖市人民政府规定。")
    >>> b = law("伙食补助费按照当地最低工资百分之三十五的标准计算。")
    >>> delegated("杭州现在最低工资一个月是多少钱？", [a, b])[:2]
    ('最低工资', '最低工资的具体标准由省、自治区、直辖市人民政府规定。')
    >>> delegated("住院伙食补助费按最低工资的百分之多少算？", [a, b])  # a share of it is asked: stated
    >>> delegated("最低工资是多少？", [a, law("本市最低工资为每月2490元。")])  # stated
    """
    q = S.normalize(question)
    asked = next(_FIGURE_OF.finditer(q), None)
    if asked is None:
        return None
    before = re.split(r"[，。？！,?!；;、]", q[: asked.start()])[-1]
    # what extractive answers quote: never a sentence planted for a model (answer.guard)
    pool = [(S.normalize(s), s, a) for a in articles for s in S.split_sentences(safe_text(a), piece)]
    text = "".join(s for s, _, _ in pool)
    nouns = [
        p
        for p in _pieces_in(before, text)
        if len(p) >= 3 and before.rfind(p) + len(p) + NOUN_GAP >= len(before)
    ]
    for noun in sorted(nouns, key=len, reverse=True):
        n = re.escape(noun)
        if any(re.search(n + _STATED, s) for s, _, _ in pool):
            return None
        for s, shown, a in pool:
            if re.search(n + _SET_BY, s) or re.search(_PUBLISHED + n, s):
                return Delegation(noun, shown, a)
    return None
