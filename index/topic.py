"""How much the words a question shares with an article say, measured in everyday language.

BM25 weighs a word by how rare it is *in the library*: "给", "股票" or "旅游" occur in a few
articles, so "给我讲个笑话" or "股票明天会涨吗" reach the keyword floor through one word and
get quoted unrelated articles. What a shared word tells is how rare it is in language at large:
"路演", "工伤" or "营业执照" say what a question is about, "给", "公司" or "推荐" do not. jieba's
general dictionary (word frequencies counted over a large general corpus, shipped inside the
package) gives that rarity, with no list written by hand: a word's information is
ln(total / (frequency + 1)) nats, and a word the dictionary lacks (a programme name such as
苏创融) is as informative as words get.

`shared_information` sums it over the question's words of two or more characters that occur in
the article; `answer.refusal.off_topic` reads it beside the best cosine
(`settings.topic_min_information`, fitted by `python -m eval.tune topic`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from index.tokens import general_dictionary, normalise

MIN_CHARS = 2  # one character ("给", "用", "不") is grammar, not a topic
_FIGURE = re.compile(r"^[\d.,%]+$")  # "2025", "71": not in the dictionary, yet no topic either


def information(word: str) -> float:
    """Nats a word carries in general language (higher = rarer).

    >>> information("给") < information("路演") < information("苏创融")
    True
    """
    freq, total = general_dictionary()
    return math.log(total / (freq.get(word, 0) + 1))


def shared_information(words: Iterable[str], text: str) -> float:
    """The information of the `words` (a question's tokens) that occur in `text`, each counted once.

    >>> shared_information(["给", "讲", "笑话"], "不给予处罚")
    0.0
    >>> shared_information(["工伤", "认定"], "应当认定为工伤") > shared_information(["公司"], "公司应当")
    True
    >>> shared_information(["2025", "世界杯"], "到2025年，新增上市企业")
    0.0
    """
    plain = normalise(text)
    topical = (w for w in set(words) if len(w) >= MIN_CHARS and not _FIGURE.match(w))
    return float(sum(information(w) for w in topical if w in plain))


def information_share(words: Iterable[str], text: str) -> float:
    """Share of the information of `words` (a question's words) that `text` holds; 1.0 when none is topical.

    >>> q = ["市级", "以上", "新型", "研发", "机构", "研发机构", "达到", "多少"]
    >>> information_share(q, "全市培育认定高新技术企业20000家") < 0.2 < information_share(q, "新型研发机构达100家")
    True
    """
    topical = {w for w in words if len(w) >= MIN_CHARS and not _FIGURE.match(w)}
    total = sum(information(w) for w in topical)
    return shared_information(topical, text) / total if total else 1.0
