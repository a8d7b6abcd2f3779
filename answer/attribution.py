"""Check each cited sentence against the block it cites; cite the right block where the model did not.

Small models drop markers, cite the wrong block, or write "[2]、[3]" after
their answer. A sentence is *supported* by a block when most of its character
bigrams occur in the block's text or header and its figures occur there, said
about the same thing (citations.missing_figures). Markers to blocks that do
not support their sentence are removed and counted; a sentence left without a
marker gets the block that supports it best, if any does.
"""

from __future__ import annotations

import re

from answer.citations import ANSWER_SENTENCE, ONE_MARK, cited, haystack, missing_figures
from answer.context import Block
from answer.record import Unsupported
from answer.sentences import normalize

MIN_SUPPORT = 0.5  # share of a sentence's bigrams found in a block: copied or closely
#   paraphrased policy text scores 0.7-1.0, a sentence from elsewhere 0.1-0.3
UNCITED_MIN_CHARS = 8  # Chinese characters; shorter uncited phrases are connectives ("具体如下")
NO_SOURCE = "无出处"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTENT = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z]")
_END = re.compile(r"[。！？!?；;]+$")


def bigrams(text: str) -> set[str]:
    """'首贷，贴息' -> {'首贷', '贷贴', '贴息'} (punctuation and markers ignored)"""
    s = "".join(_CONTENT.findall(normalize(ONE_MARK.sub("", text))))
    return {s[i : i + 2] for i in range(len(s) - 1)}


def support(sentence: str, block_grams: set[str]) -> float:
    grams = bigrams(sentence)
    return len(grams & block_grams) / len(grams) if grams else 0.0


def attribute(text: str, blocks: list[Block]) -> tuple[str, int]:
    """(text with checked markers, number of markers removed as unsupported).

    >>> from ingest.record import Article, DocMeta
    >>> a = Article("c", DocMeta("d", "s", "t"), "article", (), (), "", "支持无贷企业获得首次贷款。")
    >>> b = Article("e", DocMeta("d", "s", "t"), "article", (), (), "", "引进领军人才500名。")
    >>> attribute("支持无贷企业获得首次贷款[2]。[1]、[2]", [Block(1, a, (a.text,)), Block(2, b, (b.text,))])
    ('支持无贷企业获得首次贷款[1]。', 2)
    """
    grams = {b.n: (bigrams(b.text + b.header), haystack(b)) for b in blocks}
    removed = 0
    out: list[str] = []
    last = 0
    for m in ANSWER_SENTENCE.finditer(text):
        fixed, dropped = _one(m.group(), grams)
        removed += dropped
        out.append(text[last : m.start()] + fixed)
        last = m.end()
    out.append(text[last:])
    joined = "".join(out)
    return re.sub(r"[ \t]*[、，,]+(?=\n|$)", "", joined).strip(), removed


def _one(sentence: str, blocks: dict[int, tuple[set[str], tuple[str, str]]]) -> tuple[str, int]:
    """One sentence with only supported markers (or the best block's); marker-only junk removed.

    Blocks that say the words *and* the figures come first; a block that says
    only the words still keeps the sentence cited, so its wrong figure is
    flagged where it stands rather than hidden.
    """
    marks = cited(sentence)
    body = ONE_MARK.sub("", sentence)
    if not _CONTENT.search(body):
        return "", len(marks)
    words = {n: support(body, g) for n, (g, _) in blocks.items()}
    said = [n for n in blocks if words[n] >= MIN_SUPPORT]
    exact = [n for n in said if not missing_figures(body, [blocks[n][1]])]
    keep = [n for n in marks if n in exact] or _best(exact, words) or [n for n in marks if n in said]
    keep = keep or _best(said, words)
    if keep == marks:
        return sentence, 0
    lead = body.rstrip()
    end = _END.search(lead)
    core, stop = (lead[: end.start()], end.group()) if end else (lead, "")
    trailing = body[len(lead) :]
    return core + "".join(f"[{n}]" for n in keep) + stop + trailing, len(set(marks) - set(keep))


def _best(ns: list[int], words: dict[int, float]) -> list[int]:
    return [max(ns, key=lambda n: words[n])] if ns else []


def uncited(text: str) -> list[Unsupported]:
    """Sentences with content but no supporting block: the model's own words, flagged.

    Connectives ("首贷支持政策包括：") and short phrases pass.

    >>> [u.sentence for u in uncited("支持政策包括：\\n发挥首贷作用[1]。\\n另外企业还可以申请人才补贴。")]
    ['另外企业还可以申请人才补贴。']
    """
    out = []
    for m in ANSWER_SENTENCE.finditer(text):
        s = m.group().strip()
        body = ONE_MARK.sub("", s).rstrip()
        if not cited(s) and len(_CJK.findall(body)) >= UNCITED_MIN_CHARS and not body.endswith(("：", ":")):
            out.append(Unsupported(s, (NO_SOURCE,)))
    return out
