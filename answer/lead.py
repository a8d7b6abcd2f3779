"""The small model's one job: a direct lead sentence over numbered verbatim sentences.

A 1.5B model paraphrasing whole answers drops facts and bends figures. Here it
sees the few best sentences of the extractive answer, numbered [1]..[k], and
writes (grammar-constrained, so the shape cannot break):

    依据：1,3
    答：有，首次获得贷款的企业可获贴息[1]。

The engine shows the verbatim sentences at once; the lead goes on top only if
`check()` finds it supported by the sentence it cites: its figures and quoted
names occur in that sentence, a negation (不能, 没有, 不得 …) is matched by one
there, and most of its words come from the sentence or the question.
Otherwise it is dropped and the answer is the quotes alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import jieba.posseg  # its dictionary loads at the first cut (~1 s once a process)

from answer import sentences as S
from answer.attribution import bigrams
from answer.citations import figures
from answer.context import Block
from answer.prompts import render
from answer.refusal import ABOUT_ISSUING, details_asked
from answer.sanitize import fence_text
from index.topic import information_share
from ingest.numbering import cn_to_int
from ingest.places import places_named

LEAD_LEAST = 4  # characters: "有，可以" is the shortest useful lead
ECHO_LEAST = 4  # characters: a clause this long found verbatim in the question is the asker's words
LEAD_MOST = 48  # characters: one sentence; ~30 tokens at ~7 tok/s is ~4 s of generation on 2 quiet cores
MAX_SENTENCES = 9  # numbered with one digit, so the grammar's [1-k] stays one character
# A figure is an answer only about what was asked: a lead giving a figure cites a sentence holding at
# least this share of the question's information (index.topic: words rare in everyday language weigh
# most). "新型研发机构要达到多少家" answered "高新技术企业20000家" holds 0.12; right figure leads 0.4-0.9.
LEAD_TOPIC = 0.2
LEAD_SUPPORT = 0.5  # share of the lead's bigrams (answer words 是/有/可以 aside) found in the cited
#   sentence itself; a copied or closely restated clause scores 0.7-1.0. The question's words do not
#   count: a lead built from them ("有。无锡市…已建立" for a question about 无锡) restates the question
# A negative claim needs a source that negates: "不能", "没有", "不属于" in a lead whose sentence
# says nothing of the kind is the worst invention (it tells the user to give up). The lead's own
# negative word must be in the sentence, or, for a plain "no" (不能, 没有, 否), a strong one.
_NEGATIVE = re.compile(
    r"不得|不能|不可以|不可|不予|不属于|不支持|不包括|不适用|不需要|不会|没有|无法|无需|否|未"
)
_PLAIN_NO = ("不能", "不可以", "不可", "不会", "没有", "无法", "否", "未")
_STRONG_NEGATION = re.compile(
    r"不得|不予|不属于|不支持|不适用|不包括|不能|不可|不纳入|不享受|不再|不重复|不计入|暂不|禁止|严禁|除外"
)
_BENIGN = re.compile(r"不少于|不低于|不超过|不高于|不断|不仅|无论|未来|不限于")
# Statutes write figures in words: 二十万元, 三十日, 十五个工作日, 千分之五 — checked like digits.
_CN_FIGURE = re.compile(
    r"[〇零一二两三四五六七八九十百千万亿]+(?:分之[〇零一二三四五六七八九十百千]+|"
    r"(?:个)?(?:工作日|日|天|月|年|周|万元|亿元|元|倍|人|家|项|次))"
)
_YES_NO = ("是的", "是", "否", "有的", "有", "没有", "可以", "能", "不能", "不可以")  # a plain answer word
_ANSWER_WORDS = re.compile(rf"^(?:{'|'.join(_YES_NO)})[，,、]?")
# A verdict opening the lead ("合法。", "需要，", "属于，") is a claim of its own: unless it is a plain
# yes/no (checked above for negatives), the cited sentence must say it.
_VERDICT = re.compile(r"^([^，,。；;：:、]{1,4})[，,。；;：:]")
_PLAIN_VERDICTS = frozenset((*_YES_NO, "对", "会", "行", "可", "不会", "不行", "无"))
# A lead that stops mid-phrase ("…标识的"; a short "是合法的" is whole).
# "…工作许可的" (a 的-phrase with no head: a short "是合法的" is whole), "…履行下列职责：（一）" (a list opened).
_DANGLING = re.compile(
    r"(?:和|或|及|或者|以及|、|（|\(|：|:|.{7,}的|[：:]?[（(][一二三四五六七八九十\d]{1,3}[）)])$"
)
# "哪份文件提出的", "在哪几份文件里提到", "按哪个文件": the answer is a document, named by its title or 文号
_ASKS_DOCUMENT = re.compile(r"哪(?:一|几)?(?:份|个|些|部)(?:文件|政策文件|法规|规章)|什么文件")
_NAMES_DOCUMENT = re.compile(r"《[^》]+》|〔\d{4}〕\d+号|\d+号文")
_WORD_FIGURE = re.compile(
    r"(?<![分之])([〇零一二两三四五六七八九十百千]+)(?=个?(?:工作日|日|天|月|年|周|万|亿|元|倍|人|家|项|次|%))"
)
# a count of days: statutes write 日 (三十日内), people and the model 天 (三十天内); one unit on both sides
_DAYS = re.compile(r"(?<=[\d〇零一二两三四五六七八九十百千])天")
_PARSE = re.compile(r"依据[:：]\s*([\d,，、\s]*)\n*答[:：]\s*(.+?)\s*\[(\d)\]\s*。?\s*$", re.S)


@dataclass(frozen=True)
class Numbered:
    k: int  # the number the model sees
    block: Block  # the extractive block (article) it comes from
    text: str  # the verbatim sentence

    @property
    def fenced(self) -> str:
        return fence_text(self.text)


@dataclass(frozen=True)
class Lead:
    picked: tuple[int, ...]  # sentence numbers the model said answer
    text: str  # the lead sentence, without its marker
    k: int  # the sentence it cites


def numbered(blocks: list[Block], question: str, budget: int) -> list[Numbered]:
    """The best sentences of the extractive blocks, most relevant first, within `budget` characters.

    Block order breaks ties, so the top article's sentences lead; at most MAX_SENTENCES.
    """
    pool = [(b, s) for b in blocks for s in b.sentences]
    weights = S.idf(s for _, s in pool)
    query = S.terms(question)
    ranked = sorted(pool, key=lambda bs: -S.score(bs[1], query, weights))
    out: list[Numbered] = []
    used = 0
    for b, s in ranked:
        if len(out) >= MAX_SENTENCES:
            break
        if used + len(s) <= budget or not out:
            out.append(Numbered(len(out) + 1, b, s))
            used += len(s)
    return out


def grammar_text(n: int) -> str:
    """GBNF for `n` numbered sentences (prompts/lead.gbnf.j2)."""
    return render("lead.gbnf.j2", last=n, least=LEAD_LEAST, most=LEAD_MOST)


def prompt(sentences: list[Numbered], question: str) -> str:
    return render("lead_user.j2", sentences=sentences, question=fence_text(question))


def parse(raw: str, n: int) -> Lead | None:
    """The model's output read back; None when it is not in the expected shape.

    >>> parse("依据：1,3\\n答：有，可获贴息[1]。", 3)
    Lead(picked=(1, 3), text='有，可获贴息', k=1)
    >>> parse("依据：4\\n答：有[4]。", 3) is None
    True
    >>> parse("依据：1\\n答：有，首次获得银行贷款的科技型中小企业可获贴息，贴息比例不超过50%，单户企业年度贴息金额最高不超过[1]。", 1).text
    '有，首次获得银行贷款的科技型中小企业可获贴息，贴息比例不超过50%'
    """
    m = _PARSE.search(raw.strip())
    if not m:
        return None
    picked = tuple(dict.fromkeys(int(x) for x in re.findall(r"\d", m.group(1)) if 1 <= int(x) <= n))
    k = int(m.group(3))
    text = m.group(2).strip()
    if len(text) >= LEAD_MOST:  # the grammar cut it mid-phrase: keep its whole clauses, if any
        if not re.search(r"[，；,;]", text):
            return None
        text = re.split(r"[，；,;](?=[^，；,;]*$)", text)[0]
    text = text.rstrip("。；;，,")
    if not 1 <= k <= n or len(text) < 2:
        return None
    return Lead(picked, text, k)


def gives_figures(lead: str) -> bool:
    """The lead states a number (in digits or words).

    >>> gives_figures("新增外籍高端人才4000人"), gives_figures("可获贴息"), gives_figures("超千项")
    (True, False, True)
    """
    return _has_number(figures(_arabic(lead)))


def _has_number(figures_: list[str]) -> bool:
    return any(re.search(r"\d", f) for f in figures_)


def without_echo(lead: str, question: str) -> str:
    """The lead without the clauses it copied from the question (the asker's own situation is no answer).

    >>> without_echo("我们是成立两年的芯片初创企业，没有抵押物，可以申请“首贷”政策支持", "我们是成立两年的芯片初创企业，没有抵押物，能申请哪些贷款？")
    '可以申请“首贷”政策支持'
    >>> without_echo("可以，首次贷款可获贴息", "首次贷款可以贴息吗")
    '可以，首次贷款可获贴息'
    """
    asked = S.normalize(question)
    clauses = re.split(r"[，；,;]", lead)
    kept = [c for c in clauses if len(c.strip()) < ECHO_LEAST or S.normalize(c.strip()) not in asked]
    return "，".join(c.strip() for c in kept if c.strip())


def check(
    lead: str,
    sentence: str,
    question: str,
    named: bool = False,
    article: str = "",
    document: Sequence[str] = (),
) -> str:
    """'' when `lead` is supported by `sentence`; else what is wrong, in words for the record.

    A place the lead repeats from the question may come from the cited document's own words (`document`:
    title, region, issuers) rather than the sentence, and a name the question quotes from the rest of its
    `article`; other things it names must be in the sentence (a title's 产业 does not make 港口产业 said).

    >>> s = "对首次获得贷款的科技企业给予贴息，贴息比例为50%。"
    >>> check("有，首次获得贷款的科技企业可获贴息", s, "第一次贷款有贴息吗")
    ''
    >>> check("有，贴息比例为60%", s, "贴多少")
    '数字或名称不在所引句子中：60%'
    >>> check("不能，首次贷款的企业不能获得贴息", s, "第一次贷款有贴息吗")
    '否定说法在所引句子中没有依据'
    >>> check("到2025年，成交额达1000亿元", "到2025年，全市年技术合同成交额达1000亿元。", "到2025年要引进多少领军人才")
    '所引句子与问题不相关'
    >>> check("合法。首次获得贷款的科技企业可获贴息", s, "首次贷款的贴息不发合法吗")
    '结论“合法”在所引句子中没有依据'
    >>> check("首次获得贷款的科技企业的", s, "谁能获贴息")
    '结论没有说完'
    >>> check("外籍人才办理工作许可的", "外籍人才办理工作许可的，七个工作日内办结。", "外籍人才办工作许可多久办结")
    '结论没有说完'
    >>> check("2022年5月11日", "苏州市人民政府办公室2022年5月11日印发", "71号文的日期是哪天？")
    ''
    >>> check("2025年", "到2025年，全市新增上市公司100家。", "71号文的日期是哪天？")
    '所引句子与问题不相关'
    >>> check("苏州创新集群主题指数是研究编制的文件提出的", "研究编制苏州创新集群主题指数。", "“苏州创新集群”指数是哪份文件提出的？")
    '结论没有给出所问的文件'
    >>> t = "苏州市金融支持产业创新集群发展的工作意见"
    >>> check(f"《{t}》提出研究编制苏州创新集群主题指数", "研究编制苏州创新集群主题指数。", "苏州创新集群指数是哪份文件提出的？", document=(t,))
    ''
    >>> check("有，首次获得贷款的科技企业可获贴息", s, "首贷贴息比例是多少")
    '结论没有给出所问的比例'
    >>> check("有，无锡市对首次获得贷款的科技企业给予贴息", s, "无锡有贴息吗")
    '地名不在所引句子中：无锡市'
    >>> check("苏州上市公司总数超300家", "上市公司总数超300家。", "苏州上市公司要有多少家", document=("苏州市…工作意见", "苏州市"))
    ''
    >>> check("无锡上市公司总数超300家", "上市公司总数超300家。", "无锡上市公司要有多少家", document=("苏州市…工作意见", "苏州市"))
    '结论把问题里的事物套在了所引句子上：无锡'
    >>> check("可以，我们是行业龙头想自己成立投资部门", s, "我们是行业龙头，想自己成立投资部门，首次贷款可以吗")
    '结论的说法在所引句子中找不到'
    >>> check("有，人才买房可享受人才政策计算器", "推广“人才政策计算器”，变“人才找政策”为“政策找人才”。", "人才买房有补贴吗？")
    '结论把问题里的事物套在了所引句子上：买房'
    >>> check("有补贴", "合理增加专项激励工资、营销费用补贴、业务创新奖励等配套供给。", "公司第一次向银行贷款有没有补贴？")
    '结论只重复了问题，没有给出所引句子的内容'
    >>> check("可以", s, "首次贷款能贴息吗")
    '结论只重复了问题，没有给出所引句子的内容'
    >>> check("不能", "工资应当以货币形式支付，不得以实物或者有价证券等其他形式替代。", "工资能拿购物卡来顶吗")
    ''
    >>> q, s = "到2025年末，苏州备案的私募基金产品要超过多少只？", "到2025年末，全市企业获得融资户数超10000户；"
    >>> check("全市企业获得融资户数超10000户", s, q), check("全市企业获得融资户数超10000户", s, q, named=True)
    ('数字出自与所问不同的事项', '')
    >>> s = "中小企业信用担保机构应当自注册登记之日起三十日内向省中小企业行政管理部门备案。"
    >>> check("三十天内", s, "信用担保机构注册后多少天内要备案？"), check("三十一天内", s, "注册后多少天内要备案？")
    ('', '数字或名称不在所引句子中：31')
    """
    said = _digits(_arabic(sentence))
    written = _arabic(S.normalize(lead))
    given = figures(written) + _CN_FIGURE.findall(written)
    refs = _asked(question, article)  # the asker's references and quoted names: the lead may repeat them
    source = "".join(S.normalize(d) for d in document)  # the cited document's title, region, issuers
    titled = _arabic(source)  # the lead may name the document it cites
    if missing := [f for f in given if f not in said and f not in refs and f not in titled]:
        return "数字或名称不在所引句子中：" + "、".join(missing)
    if not _negation_supported(lead, sentence):
        return "否定说法在所引句子中没有依据"
    norm = S.normalize(lead)
    asked_kinds = details_asked(question)
    if kinds := [kind for kind, want in asked_kinds if not want.search(norm)]:
        return "结论没有给出所问的" + "、".join(kinds)  # "哪天发的？" answered "市委办公室"
    if unit := _unit_missed(question, written):
        return f"结论的数字不是所问的（问的是{unit}）"  # "多少岁可以退休" answered "…不少于九十天的产假"
    if _ASKS_DOCUMENT.search(S.normalize(question)) and not _NAMES_DOCUMENT.search(norm):
        return "结论没有给出所问的文件"  # "…是哪份文件提出的？" answered "…是研究编制的文件提出的"
    # exempt: a question naming the article asked for that sentence; one asking the document's date
    # ("文件是哪天发的") is answered by its date line, whose words are the title's, not the sentence's
    # ("我看不同文件数字不一样" names documents and asks a figure: not exempt)
    asks_date = any(kind == "日期" for kind, _ in asked_kinds)
    about_document = named or (asks_date and ABOUT_ISSUING.search(S.normalize(question)))
    issuing_line = about_document and ABOUT_ISSUING.search(S.normalize(sentence))  # "…2022年5月11日印发"
    if not issuing_line and not (
        {w for w in S.terms(question) if len(w) > 1 and not w.isdigit()} & S.terms(sentence)
    ):
        return (
            "所引句子与问题不相关"  # "引进多少领军人才" answered with 技术合同成交额 (a year alone is shared)
        )
    # a number; a quoted name is checked above. The asker's own (第一次, 71号文) answers nothing.
    if _has_number([f for f in given if f not in refs]) and not about_document:
        words = jieba.lcut_for_search(question)
        if information_share(words, sentence) < LEAD_TOPIC:
            return "数字出自与所问不同的事项"
        if off := _off_item(written, said, words):
            return "数字出自与所问不同的事项：" + "、".join(off)
    if (m := _VERDICT.match(norm)) and m.group(1) not in _PLAIN_VERDICTS and m.group(1) not in sentence:
        return f"结论“{m.group(1)}”在所引句子中没有依据"  # "合法。" over a sentence about something else
    if _DANGLING.search(norm):
        return "结论没有说完"
    # where the cited document applies (its title, region, issuers) holds for each of its sentences:
    # "苏州上市公司总数超300家" from the Suzhou document's 上市公司总数超300家 pins no place on it. The
    # rest of the article does not: "苏州市产业创新集群发展基金总规模为10000亿元" over 累计融资规模超10000亿元
    # names a 基金 that another sentence of the article mentions.
    if places := [p for p in places_named(lead) if p not in sentence and not _placed(p, source)]:
        return "地名不在所引句子中：" + "、".join(places)  # "无锡…已建立" from a question about 无锡
    body = _ANSWER_WORDS.sub("", _days(norm))
    grams, said_grams, asked = bigrams(body), bigrams(_days(sentence)), S.terms(question)
    # the title of the cited document, when the lead names it, is the source's own words. (The subject
    # restated from the question was once left out of the share too: "营业执照这些最慢需要15天" then passed
    # on a sentence about another duty's 15日 — a figure with nothing of the sentence around it.)
    said_grams |= {g for d in document for g in bigrams(d) if f"《{S.normalize(d)}》" in body}
    if grams and len(grams & said_grams) / len(grams) < LEAD_SUPPORT:
        return "结论的说法在所引句子中找不到"
    said_text = S.normalize(sentence)
    quoted = _quoted_held(question, article)  # “育林计划” asked about, in the article's heading
    if borrowed := [
        w
        for w in _nouns(question)
        if w in body
        and w not in said_text
        and not (places_named(w) and _placed(w, source))
        and not any(w in q for q in quoted)
    ]:
        # "有，人才买房可享受人才政策计算器": the question's 买房 pinned on a sentence that never says it
        return "结论把问题里的事物套在了所引句子上：" + "、".join(borrowed)
    if not (grams & said_grams) - asked and not figures(written) and norm not in _PLAIN_NO:
        # "有补贴" over a bank's 营销费用补贴: a yes that repeats the question says nothing the sentence backs.
        # A plain "不能" stands: the negation check above made its sentence forbid something (不得…).
        return "结论只重复了问题，没有给出所引句子的内容"
    return ""


# When the model's wording fails the check, what it meant may still be in the sentence it cited: its
# plain answer word (有/可以/不能 …) and that sentence's own clauses, verbatim, go on top in its place
# (issue 12: an unsupported lead is "replaced by the article's own words", not only dropped), under the
# same check. The clauses stand for the lead only when they share this much of its bigrams: else the
# model meant something the sentence does not say, and the lead is dropped as before.
REPAIR_SHARE = 0.3
# how the model's rejected sentence is recorded in `dropped` when restated (as for a lead dropped whole)
RESTATED = "改用所引句子原文：{why}"
REPAIR_MOST = 60  # characters of the sentence's clauses: one line on a phone
REPAIRS_TRIED = 3  # best runs of clauses checked, per cited sentence
_VERDICT_WORD = re.compile(rf"^({'|'.join(_YES_NO)})[，,、。]")
_CLAUSE = re.compile(r"(?<=[，；：,;:])")
# how an article or an item opens ("第九条", "（二）", "3．", "二、"): a number, not words to lead with
_OPENING = re.compile(
    r"^\s*(?:第[〇零一二两三四五六七八九十百千\d]+条\s*|[（(][一二三四五六七八九十\d]{1,3}[）)]\s*"
    r"|\d{1,2}[.．、]\s*|[一二三四五六七八九十]{1,3}、\s*)+"
)


# Restated only when the model's wording was off — its own paraphrase, an echo of the question, a cut,
# a detail asked left out — not when it made a claim of its own (a figure, a negation, a verdict, a place,
# a thing pinned on the sentence): those mark a lead the model got wrong, and it is dropped.
_RESTATABLE = (
    "结论的说法在所引句子中找不到",
    "结论只复述了问题",
    "结论只重复了问题",
    "结论没有说完",
    "结论没有给出所问的",
)
_MISSING = "数字或名称不在所引句子中："


def restatable(why: str, question: str) -> bool:
    """The check's objection `why` is to the lead's wording, or to figures that are the asker's own.

    >>> restatable("结论的说法在所引句子中找不到", "首贷有贴息吗"), restatable("否定说法在所引句子中没有依据", "")
    (True, False)
    >>> restatable("数字或名称不在所引句子中：2", "成立两年的公司能贷款吗"), restatable(_MISSING + "500万元", "贴多少")
    (True, False)
    """
    if why.startswith(_RESTATABLE):
        return True
    asked = _arabic(question)
    return why.startswith(_MISSING) and all(f in asked for f in why[len(_MISSING) :].split("、"))


def in_source_words(lead: str, sentence: str) -> list[str]:
    """The model's lead said again in the words of the sentence it cites, best first: its plain answer
    word, if it opens with one, then a run of whole clauses of the sentence (within REPAIR_MOST) sharing
    most of the lead's bigrams; the shortest such run first. [] when no run shares REPAIR_SHARE of them.

    >>> s = "第九条 对首次获得银行贷款的科技型中小企业，按贷款利息的50%给予贴息，单户最高50万元。"
    >>> in_source_words("有，首次贷款的企业可以拿到贷款利息一半的贴息", s)[0]
    '有，对首次获得银行贷款的科技型中小企业，按贷款利息的50%给予贴息'
    >>> in_source_words("首次贷款的科技企业贴息最高50万元", s)[0]
    '对首次获得银行贷款的科技型中小企业，按贷款利息的50%给予贴息，单户最高50万元'
    >>> in_source_words("有关部门负责", s), in_source_words("可以，申请人才公寓", s)
    ([], [])
    """
    norm = S.normalize(lead)
    m = _VERDICT_WORD.match(norm)
    verdict, body = (m.group(1), norm[m.end() :]) if m else ("", norm)
    want = bigrams(_days(body))
    if not want:
        return []
    clauses = [c for c in _CLAUSE.split(_OPENING.sub("", sentence.strip()).rstrip("。；;，, ")) if c.strip()]
    runs: list[tuple[int, int, int, str]] = []
    for i in range(len(clauses)):
        for j in range(i + 1, len(clauses) + 1):
            run = "".join(clauses[i:j]).strip().rstrip("，；：,;:")
            if len(run) > REPAIR_MOST:
                break
            shared = len(bigrams(_days(run)) & want)
            if shared >= REPAIR_SHARE * len(want):
                runs.append((-shared, len(run), i, run))
    runs.sort()
    return [f"{verdict}，{run}" if verdict else run for *_, run in runs[:REPAIRS_TRIED]]


LIST_FIGURES = (
    3  # a sentence giving this many numbers is a list (targets, rates): its items are checked one by one
)
ITEM_SHARE = 0.5  # of the best item's share of the question: an item about half as much is another item
_ITEM = re.compile(r"[，,、；;。]")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _off_item(written: str, said: str, words: list[str]) -> list[str]:
    """The numbers of the lead (`written`, figures as digits) that sit, in a list sentence (`said`, likewise),
    only in items saying less of the question (its `words`) than `ITEM_SHARE` of the item that says most.

    "卓越工程师引进的目标是多少人？" answered from 顶尖人才10名以上、重大创新团队60个左右、…卓越工程师10000人:
    the sentence as a whole is about what was asked, the items holding 10 and 60 are not (all three are 人才).

    >>> s, cut = "累计引进顶尖人才10名以上、重大创新团队60个左右、卓越工程师10000人。", jieba.lcut_for_search
    >>> _off_item("重大创新团队60个左右", s, cut("卓越工程师引进的目标是多少人？"))
    ['60']
    >>> _off_item("卓越工程师10000人", s, cut("卓越工程师要引进多少？"))
    []
    >>> s = "集聚不少于10名国际一流战略科技人才，新增外国高端人才4000人，引育领军人才5000人。"
    >>> _off_item("不少于10名战略科技人才，外国高端人才4000人", s, cut("领军人才要引进多少？"))
    ['10', '4000']
    >>> check("不少于10名战略科技人才，外国高端人才4000人", s, "领军人才要引进多少？我看不同文件数字不一样")
    '数字出自与所问不同的事项：10、4000'
    """
    if sum(1 for f in figures(said) if f[0].isdigit()) < LIST_FIGURES:
        return []
    items = _ITEM.split(said)
    shares = [information_share(words, i) for i in items]
    enough = max(ITEM_SHARE * max(shares), 1e-9)
    off = []
    for f in figures(written):
        if not f[0].isdigit() or _YEAR.fullmatch(f):
            continue
        held = [
            sh
            for i, sh in zip(items, shares, strict=True)
            if re.search(rf"(?<![\d.]){re.escape(f)}(?![\d.])", i)
        ]
        if held and max(held) < enough:
            off.append(f)
    return off


# How an asker names a document or an article: 71号文, 第6条, 第三次常务会议, 第一次贷款
_REFERENCE = re.compile(r"(\d+)号|第(\d+)[条款项章节次]")


def _asked(question: str, article: str) -> set[str]:
    """What a lead may repeat from the question though its sentence does not say it: the references the
    asker gave (71号文, 第6条, 第一次) and the names they quoted that the cited article holds elsewhere
    (“育林计划” in the heading of the article whose sentence explains it).

    >>> sorted(_asked("71号文第6条是什么？第一次贷款呢？“育林计划”呢？", "实施“育林计划”。助力企业上市。"))
    ['1', '6', '71', '育林计划']
    >>> _asked("“育林计划”是什么？", "助力企业上市。"), _asked("奖励100万元吗？", "")
    (set(), set())
    """
    q = _arabic(question)
    refs = {g for m in _REFERENCE.finditer(q) for g in m.groups() if g}
    held = S.normalize(article)
    return refs | {f for f in figures(q) if not f[0].isdigit() and f in held}


# How a question asks for an age or a length of time (多少岁, 几个月, 多少个工作日; not the asker's own
# "没休的那几天"): a lead giving figures must give one in such units.
_ASKS_UNIT = re.compile(r"(?<![那这前后头])(?:多少|几)个?(周岁|岁|工作日|天|日|小时|月|周|年)")
_TIME_FIGURE = re.compile(r"\d+个?(?:工作日|天|日|小时|月|周|年)")


def _unit_missed(question: str, written: str) -> str:
    """The unit asked for when the lead's figures (`written`, figures as digits) give none in it; else ''.

    >>> _unit_missed("女职工多少岁可以退休？", "女职工生育享受不少于90天的产假")
    '岁'
    >>> _unit_missed("试用期最长几个月？", "试用期不得超过6个月"), _unit_missed("多少天内备案？", "应当在30日内备案")
    ('', '')
    >>> _unit_missed("没休的那几天怎么算钱？", "按日工资收入的300%支付"), _unit_missed("多少岁退休？", "依照国家规定")
    ('', '')
    """
    m = _ASKS_UNIT.search(S.normalize(question))
    if not m or not re.search(r"\d", written):  # no figure: nothing of the wrong kind is stated
        return ""
    unit = m.group(1)
    if unit in ("周岁", "岁"):
        return "" if re.search(r"\d+周?岁", written) else unit
    return "" if _TIME_FIGURE.search(written) else unit  # 多少天 may be answered in months: any time unit


def _quoted_held(question: str, article: str) -> list[str]:
    """The names the question quotes (“育林计划”) that the cited article holds.

    >>> _quoted_held("“育林计划”是干嘛的？“参天计划”呢？", "4．实施“育林计划”，助力创新企业对接资本市场。")
    ['育林计划']
    """
    held = S.normalize(article)
    return [q for q in re.findall(r"“([^”]{2,})”", S.normalize(question)) if q in held]


def _placed(place: str, source: str) -> bool:
    """The source names the place, with or without its 省/市/区/县 (苏州市 in 苏州…, 浙江 in 浙江省…).

    >>> _placed("苏州", "苏州市人民政府"), _placed("苏州市", "苏州工业园区"), _placed("无锡", "苏州市")
    (True, True, False)
    """
    stem = place[:-1] if len(place) > 2 and place[-1] in "省市区县" else place
    return stem in source


def _nouns(question: str) -> list[str]:
    """The things a question names (jieba's nouns of two characters or more), in order.

    >>> _nouns("人才买房有补贴吗？")
    ['人才', '买房', '补贴']
    """
    words = (w.word for w in jieba.posseg.cut(S.normalize(question)) if w.flag.startswith(("n", "vn")))
    return list(dict.fromkeys(w for w in words if len(w) > 1))


def _arabic(text: str) -> str:
    """Figures written in words as digits, on both sides of the check: 五万元 = 5万元, 十五个工作日 = 15个工作日.

    >>> _arabic("处三千元以上五万元以下的罚款，十五个工作日内，千分之五，统一，三十天内，每天")
    '处3000元以上5万元以下的罚款,15个工作日内,千分之五,统一,30日内,每天'
    """
    return _days(_WORD_FIGURE.sub(lambda m: str(cn_to_int(m.group(1))), S.normalize(text)))


def _days(text: str) -> str:
    """'三十天内' -> '三十日内'; a 天 after no number stays ('每天', '天使投资')."""
    return _DAYS.sub("日", text)


def _digits(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", S.normalize(text))


def _negation_supported(lead: str, sentence: str) -> bool:
    """Each negative word of the lead is in the sentence, or is a plain "no" the sentence backs.

    >>> _negation_supported("不能，无贷企业不得贷款", "支持无贷企业获得首次贷款。")
    False
    >>> _negation_supported("不能，房地产企业不属于支持范围", "房地产企业不属于支持范围。")
    True
    >>> _negation_supported("额度不超过500万元", "额度不超过500万元。")
    True
    """
    said = _BENIGN.sub("", S.normalize(sentence))
    for cue in _NEGATIVE.findall(_BENIGN.sub("", S.normalize(lead))):
        if cue not in said and not (cue in _PLAIN_NO and _STRONG_NEGATION.search(said)):
            return False
    return True
