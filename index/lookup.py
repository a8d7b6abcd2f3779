"""Exact clause lookup: "71号文第8条", "苏科区成发〔2026〕65号 （十三）", "科技招商意见 二（一）".

A reference has a document part (full 文号 with any bracket style, a short form like
"71号文", a distinctive part of the title, or "征求意见稿") and a number path
("第8条", "第八条", "8.", "（十三）", "十三", "二（一）", "四（三）8", "第二部分第一条").
"第N条" means the document's lowest numbered level: （十三） in documents numbered
（一）（二）…, item 8． in documents numbered 1．2．…. A reference matching several
articles returns them all in corpus order; an unknown one returns [].
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from index.docnames import NATION
from ingest.clean import compact
from ingest.numbering import parse_number as cn_to_int
from ingest.record import NOT_IN_FORCE, Article, DocMeta, today
from ingest.references import DOC_NUMBER, SHORT_NUMBER, SHORT_NUMBER_STRICT

# Token kinds, outermost first; their order is the nesting depth.
TOP, PAREN, ITEM, PITEM = "top", "paren", "item", "pitem"  # 一、 / （一） / 1． / （1）
TIAO = "tiao"  # 第X条 of rules and regulations: the article itself (its （一） items stay inside it)
DEPTH = {TOP: 0, PAREN: 1, ITEM: 2, PITEM: 3, TIAO: 4}
ARTICLE = "article"  # 第N条: the document's lowest level
EITHER = "either"  # a bare 十三: a top-level part or a （十三）

_CN = "零〇一二两三四五六七八九十百"  # a bare top-level part number (一、 … 一百): no 千
_NUM = rf"[{_CN}千\d]+"  # 第一千零四十条: a code's articles run past a thousand
_CHAIN = re.compile(
    rf"(?:第(?P<part>{_NUM})(?:部分|章))?"
    rf"(?:(?P<top>[{_CN}]+)(?P<comma>、)?)?"
    rf"(?:\((?P<paren>{_NUM})\))?"
    r"(?:(?P<item>\d{1,3})[.、]?)?"
    r"(?:\((?P<pitem>\d{1,3})\))?"
    rf"(?:第(?P<art>{_NUM})条)?"
)
_DOC_NUMBER = DOC_NUMBER
_SHORT_NUMBER = SHORT_NUMBER
# Asking for a version that is not the one in force: "2020年版", "2020年修订的", "（2020年）" after a
# title, "2020年的条例", "修订前", "旧版". A year no version of a title has asks nothing of it (filters.is_version).
VERSION_YEAR = re.compile(
    r"(\d{4})年(?:版|修订|修正|通过|公布|的版本|版本)"
    r"|[（(](\d{4})年[）)]"
    r"|(\d{4})年的?(?=[^，。？！、\s]{0,6}?(?:条例|办法|规定|细则|意见|决定|法))"
)
VERSION_PREVIOUS = re.compile(r"修订前|修改前|修正前|旧版|原版|上一版|此前版本|老版")
_DRAFT_WORDS = ("征求意见稿", "草案", "送审稿")
_DOC_NAME_ENDINGS = ("意见", "办法", "通知", "措施", "规定", "方案", "细则", "政策", "决定")
_FILLER = re.compile(
    r"[\s，。、；：？！,.;:?!“”\"《》]|的|讲了什么|说了什么|内容|规定了?什么|原文|全文|是什么|条款"
)
MIN_TITLE_OVERLAP = 4  # characters shared, in order, with a title: "科技招商意见" shares 6 with 127号文's;
#   every title shares 意见 (2), so 4 leaves two distinctive characters


@dataclass(frozen=True)
class NumberToken:
    kind: str  # TOP / PAREN / ITEM / PITEM, or ARTICLE / EITHER in a reference
    value: int


@dataclass(frozen=True)
class Reference:
    path: tuple[NumberToken, ...]  # the article part; never empty
    doc_number: tuple[str, str, str] | None = None  # (issuer code, year, number) of a full 文号
    short_number: str = ""  # "71" of "71号文"
    title_part: str = ""  # what is left to name the document by title
    draft: bool = False  # "征求意见稿" named
    version: str = ""  # a version asked for: "2020" (2020年版) or "previous" (修订前); "" = the one in force


normalise = compact  # half-width brackets and digits, no spaces: "（十三） ８．" -> "(十三)8."


def token_of(number: str) -> NumberToken | None:
    """An `Article.numbers` element as a token: "四" / "（三）" / "8" / "（1）".

    >>> token_of("（十三）"), token_of("8")
    (NumberToken(kind='paren', value=13), NumberToken(kind='item', value=8))
    >>> token_of("第十二条"), token_of("第二章")
    (NumberToken(kind='tiao', value=12), NumberToken(kind='top', value=2))
    """
    n = normalise(number).rstrip(".、")
    if m := re.fullmatch(r"第(.+?)(条|章|部分)", n):
        value = cn_to_int(m.group(1))
        return None if value is None else NumberToken(TIAO if m.group(2) == "条" else TOP, value)
    inner = n[1:-1] if n.startswith("(") and n.endswith(")") else None
    value = cn_to_int(inner if inner is not None else n)
    if value is None:
        return None
    if inner is not None:
        return NumberToken(PITEM if inner.isdigit() else PAREN, value)
    return NumberToken(ITEM if n.isdigit() else TOP, value)


def article_path(article: Article) -> tuple[NumberToken, ...]:
    tokens = (token_of(n) for n in article.numbers)
    return tuple(t for t in tokens if t is not None)


def _chain_tokens(m: re.Match) -> tuple[NumberToken, ...]:
    g = m.groupdict()
    out: list[NumberToken] = []
    if g["part"]:
        out.append(NumberToken(TOP, cn_to_int(g["part"])))
    if g["top"]:
        definite = g["comma"] or g["paren"] or g["item"] or g["art"]
        out.append(NumberToken(TOP if definite else EITHER, cn_to_int(g["top"])))
    if g["paren"]:
        out.append(NumberToken(PITEM if g["paren"].isdigit() else PAREN, cn_to_int(g["paren"])))
    if g["item"]:
        out.append(NumberToken(ITEM, int(g["item"])))
    if g["pitem"]:
        out.append(NumberToken(PITEM, int(g["pitem"])))
    if g["art"]:
        out.append(NumberToken(ARTICLE, cn_to_int(g["art"])))
    return tuple(t for t in out if t.value is not None)


def _find_chain(text: str) -> tuple[tuple[NumberToken, ...], str]:
    """The first number path in `text`, and the text without it.

    A path counts when it is anchored (第…条, 第…部分, a bracketed number) or is all
    that is left of the text: a bare "一" inside a question is a word, not a reference.
    """
    bare = _FILLER.sub("", text)
    for m in _CHAIN.finditer(text):
        if not m.group(0):
            continue
        g = m.groupdict()
        anchored = g["part"] or g["art"] or g["paren"] or g["pitem"]
        if anchored or _FILLER.sub("", m.group(0)) == bare:
            tokens = _chain_tokens(m)
            if tokens:
                return tokens, text[: m.start()] + " " + text[m.end() :]
    return (), text


def parse_reference(text: str) -> Reference | None:
    """The clause reference in `text`, or None when it names no article.

    >>> parse_reference("71号文第8条")
    Reference(path=(NumberToken(kind='article', value=8),), doc_number=None, short_number='71', title_part='', draft=False, version='')
    >>> parse_reference("没有抵押物怎么贷款") is None
    True
    """
    text = normalise(text)
    version, text = version_asked(text)
    doc_number, short = None, ""
    if m := _DOC_NUMBER.search(text):
        doc_number, text = m.groups(), text[: m.start()] + " " + text[m.end() :]
    elif m := _SHORT_NUMBER.search(text):
        short, text = m.group(1), text[: m.start()] + " " + text[m.end() :]
    # A title in 《》 is a title, numbers and all: the （二） of 《…若干规定（二）》第十三条 is not an item
    # (the outermost pair, so a title quoting another 《…》 stays whole).
    # Only a pair the numbers follow is the title: in 北京市实施《…道路交通安全法》办法第十五条 the 《》 is
    # a law the title quotes, and the title is the whole line as before.
    quoted = ""
    if (span := _first_quoted(text)) and re.match(r"\s*(?:第|[(（]|\d)", text[span[1] + 1 :]):
        i, j = span
        quoted, text = text[i + 1 : j], text[:i] + " " + text[j + 1 :]
    path, rest = _find_chain(text)
    if not path:
        return None
    draft = any(w in rest + quoted for w in _DRAFT_WORDS)
    for w in _DRAFT_WORDS:
        rest = rest.replace(w, "")
    title_part = "" if doc_number or short else (quoted or _FILLER.sub("", rest))
    return Reference(path, doc_number, short, title_part, draft, version)


def _first_quoted(text: str) -> tuple[int, int] | None:
    """(start, end) of the first 《…》 with its nested pairs, or None.

    >>> s = "《关于适用《公司法》的规定（三）》和《民法典》第十二条"
    >>> i, j = _first_quoted(s); s[i : j + 1]
    '《关于适用《公司法》的规定（三）》'
    """
    start, depth = text.find("《"), 0
    if start < 0:
        return None
    for k in range(start, len(text)):
        depth += {"《": 1, "》": -1}.get(text[k], 0)
        if depth == 0:
            return start, k
    return None


def version_asked(text: str) -> tuple[str, str]:
    """('2020' | 'previous' | '', the text without those words).

    >>> version_asked("《条例》2020年版第十五条"), version_asked("修订前的第十五条")
    (('2020', '《条例》第十五条'), ('previous', '的第十五条'))
    >>> version_asked("北京市优化营商环境条例（2020年）第四十二条")[0], version_asked("北京2020年的条例里")[0]
    ('2020', '2020')
    >>> version_asked("2020年以来新办的企业"), version_asked("2023年度申报")[0]
    (('', '2020年以来新办的企业'), '')
    """
    if m := VERSION_YEAR.search(text):
        return next(g for g in m.groups() if g), text[: m.start()] + text[m.end() :]
    if m := VERSION_PREVIOUS.search(text):
        return "previous", text[: m.start()] + text[m.end() :]
    return "", text


def pick_versions(
    docs: list[DocMeta], version: str = "", as_of: str = "", named: bool = False
) -> list[DocMeta]:
    """One document per title: the version in force on `as_of`, the year asked for, or the one before.

    Documents without versions stay, unless nobody named them and they are no longer in
    force (repealed, expired): a bare "第十五条" must not come from a repealed text.
    """
    as_of = as_of or today()
    by_chain: dict[tuple[str, ...], list[DocMeta]] = {}
    for d in docs:
        by_chain.setdefault(d.versions or (d.doc_id,), []).append(d)
    out = []
    for chain, present in by_chain.items():
        if len(chain) == 1:
            if named or present[0].validity_on(as_of) not in NOT_IN_FORCE:
                out += present
            continue
        ordered = sorted(present, key=lambda d: chain.index(d.doc_id))
        out += _pick(ordered, version, as_of)
    return out


def _pick(ordered: list[DocMeta], version: str, as_of: str) -> list[DocMeta]:
    """From one title's versions (oldest first): the asked-for one, else the one in force."""
    if version.isdigit():
        same_year = [d for d in ordered if d.version_date.startswith(version)]
        return same_year[-1:] if same_year else []
    in_force = [
        d for d in ordered if d.validity_on(as_of) not in NOT_IN_FORCE and d.validity_on(as_of) != "尚未施行"
    ]
    current = in_force[-1] if in_force else ordered[-1]
    if version == "previous":
        at = ordered.index(current)
        return [ordered[at - 1]] if at > 0 else []
    return [current]


def _split_number(doc_number: str) -> tuple[str, str, str] | None:
    m = _DOC_NUMBER.search(normalise(doc_number))
    return m.groups() if m else None


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence: "科技招商意见" in "加快推进全市科技招商工作的指导意见" -> 6."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _docs_named(ref: Reference, docs: list[DocMeta]) -> list[DocMeta] | None:
    """The documents the reference names; None when it names none (then: any document)."""
    if ref.doc_number:
        org, year, num = ref.doc_number
        return [
            d
            for d in docs
            if (parts := _split_number(d.doc_number))
            and parts[1:] == (year, num)
            and (parts[0].endswith(org) or org.endswith(parts[0]))
        ]
    if ref.short_number:
        return [d for d in docs if (parts := _split_number(d.doc_number)) and parts[2] == ref.short_number]
    named = _docs_by_title(ref.title_part, docs) if ref.title_part else None
    if ref.draft:
        named = [d for d in (named or docs) if d.is_draft]
    return named


@lru_cache(maxsize=65536)
def _names(title: str) -> frozenset[str]:
    """A document's own names: its title, and without 中华人民共和国 (not the 《》 titles inside it:
    最高人民法院关于适用《民法典》…的解释 is not the 民法典)."""
    norm = normalise(title)
    return frozenset((norm, norm.removeprefix(NATION)))


@lru_cache(maxsize=65536)
def _title_chars(title: str) -> tuple[str, Counter]:
    norm = normalise(title)
    return norm, Counter(norm)


def _docs_by_title(part: str, docs: list[DocMeta]) -> list[DocMeta] | None:
    """The documents whose title shares the most characters, in order, with `part` (all ties).

    An LCS is bounded by the characters the two strings share, so titles are visited by that
    bound, best first, and the walk stops once no title left can reach the best found: a
    library of 3,400 titles costs a few LCS, not 3,400 (120-250 ms a question before).
    """
    # A document's own name, written out ("民法典", "《会计法》"), names it (every file of that title)
    # even when it is shorter than MIN_TITLE_OVERLAP: "民法典第五百一十一条" must not fall through to
    # every document that has a 第五百一十一条.
    exact = [d for d in docs if normalise(part) in _names(d.title)]
    if exact:
        return exact
    want = Counter(part)
    bounds = []
    for i, d in enumerate(docs):
        norm, have = _title_chars(d.title)
        bounds.append((sum(min(n, have[c]) for c, n in want.items()), i, norm))
    bounds.sort(key=lambda b: -b[0])
    scores: dict[str, int] = {}
    best = 0
    for bound, i, norm in bounds:
        if bound < max(best, MIN_TITLE_OVERLAP):
            break
        scores[docs[i].doc_id] = score = _lcs(part, norm)
        best = max(best, score)
    if best >= MIN_TITLE_OVERLAP:
        return [d for d in docs if scores.get(d.doc_id) == best]
    # Something shaped like a document name that matches none: an unknown document.
    return [] if part.endswith(_DOC_NAME_ENDINGS) else None


def _matches(want: NumberToken, have: NumberToken) -> bool:
    return have == want


def _is_subsequence(want: tuple[NumberToken, ...], have: tuple[NumberToken, ...]) -> bool:
    it = iter(have)
    return all(any(_matches(w, h) for h in it) for w in want)


def _concrete(path: tuple[NumberToken, ...], lowest: str) -> tuple[NumberToken, ...]:
    return tuple(NumberToken(lowest, t.value) if t.kind == ARTICLE else t for t in path)


def _lowest_level(paths: list[tuple[NumberToken, ...]]) -> str:
    """The deepest numbering kind a document uses: 8． in 71号文, （十三） in 65号文."""
    kinds = {t.kind for path in paths for t in path}
    return max(kinds, key=DEPTH.__getitem__, default=TOP)


class ClauseIndex:
    """Articles grouped by document with their number paths, parsed once (100k articles: ~3 s)."""

    def __init__(self, articles: list[Article]) -> None:
        self.by_doc: dict[str, list[tuple[Article, tuple[NumberToken, ...]]]] = {}
        for a in articles:
            self.by_doc.setdefault(a.doc.doc_id, []).append((a, article_path(a)))
        self.docs = [entries[0][0].doc for entries in self.by_doc.values()]
        self.lowest = {d: _lowest_level([p for _, p in entries]) for d, entries in self.by_doc.items()}

    def lookup(self, text: str, as_of: str = "") -> list[Article]:
        """`parse_reference` then `resolve`; [] for text that is not a reference or names nothing."""
        ref = parse_reference(text)
        return self.resolve(ref, as_of) if ref else []

    def resolve(self, ref: Reference, as_of: str = "") -> list[Article]:
        """Articles the reference names, in corpus order, from the version in force on `as_of`
        (today) unless the reference asks for another ("2020年版", "修订前").

        A bare "二" is tried as the part 二、 first and as （二） after: "127号文 二" is the part.
        """
        named = _docs_named(ref, self.docs)
        docs = pick_versions(self.docs if named is None else named, ref.version, as_of, named is not None)
        wanted = [d.doc_id for d in docs]
        for kind in (TOP, PAREN):
            path = tuple(NumberToken(kind, t.value) if t.kind == EITHER else t for t in ref.path)
            if found := self._resolve_path(path, wanted):
                return found
        return []

    def _resolve_path(self, path: tuple[NumberToken, ...], doc_ids: list[str]) -> list[Article]:
        """Exact matches, else the articles inside the named section."""
        exact, inside = [], []
        for doc_id in doc_ids:
            want = _concrete(path, self.lowest[doc_id])
            for a, have in self.by_doc[doc_id]:
                if not have:
                    continue
                if _matches(want[-1], have[-1]) and _is_subsequence(want[:-1], have[:-1]):
                    exact.append(a)
                elif _is_subsequence(want, have[:-1]):
                    inside.append(a)
        return exact or inside


def lookup(text: str, articles: list[Article], as_of: str = "") -> list[Article]:
    """One-off lookup over a list of articles (a retriever keeps a `ClauseIndex` instead)."""
    return ClauseIndex(articles).lookup(text, as_of)


_NAMED_IN_QUESTION = SHORT_NUMBER_STRICT


def documents_named(text: str, docs: list[DocMeta]) -> list[DocMeta]:
    """Documents a question names by 文号 ("苏府办〔2022〕71号", "71号文"), for scoping a search.

    Titles are not used here: "金融支持…" in a question is a topic more often than a name.
    """
    text = normalise(text)
    named: list[DocMeta] = []
    for m in _DOC_NUMBER.finditer(text):
        named += _docs_named(Reference((), doc_number=m.groups()), docs) or []
    for m in _NAMED_IN_QUESTION.finditer(text):
        named += _docs_named(Reference((), short_number=m.group(1)), docs) or []
    return list({d.doc_id: d for d in named}.values())
