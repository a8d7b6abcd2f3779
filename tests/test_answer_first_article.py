"""An everyday question shares few words with the article that answers it: the extractive answer
keeps retrieval's first article even when another article shares one exact word with the question.

The index is a stand-in that returns the real index's order for this question (what is under test
is the answer stage); the articles are the real ones, parsed from the laws corpus.
"""

from __future__ import annotations

from pathlib import Path

import settings
from answer import Engine
from index.hit import Hit
from ingest.document import parse_document
from ingest.loaders import read_text

LAWS = Path(__file__).parent.parent / "eval" / "laws" / "corpus"
QUESTION = "饭店结账时加收餐具费，菜单上没写，可以吗？"


def _article(name: str, locator: str):
    path = next(LAWS.glob(f"{name}*.md"))
    return next(
        a for a in parse_document(read_text(path, 10_000_000), path.name, name) if a.locator == locator
    )


class OrderedIndex:
    """Hits in a fixed order with the scores the real index gave (commit 1bafccd)."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits

    def search(self, query, k=None, filters=None, fusion=None):
        return self.hits[: k or 5]

    def lookup(self, ref, as_of=""):
        return []

    def articles(self, filters=None):
        return [h.article for h in self.hits]

    def documents(self):
        return list({h.article.doc.doc_id: h.article.doc for h in self.hits}.values())

    def closest_sentences(self, query, articles):
        return {}


def test_the_first_article_is_quoted_though_another_shares_an_exact_word(tmp_path) -> None:
    answers = _article("明码标价和禁止价格欺诈规定", "第八条")  # 不得收取任何未予标明的费用
    surcharge = _article("社会保险费征缴暂行条例", "第十三条")  # 按日加收2‰的滞纳金
    hits = [Hit(answers, 0.717, 0.878, 3.91, 0.878, 20.0), Hit(surcharge, 0.649, 0.860, 6.60, 0.865, 20.0)]
    s = settings.load(data_dir=str(tmp_path))
    a = Engine(s, index=OrderedIndex(hits)).ask(QUESTION, mode="extractive")
    assert not a.refused and "未予标明的费用" in a.text, a.text
    assert a.citations[0].article.chunk_id == answers.chunk_id
