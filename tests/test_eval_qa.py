"""The hand-written Q&A set is well-formed and every quote is verbatim in its source."""

from pathlib import Path

import pytest

from eval import qa_check, sets

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
HELDOUT = qa_check.QA_PATH.parent / "qa_heldout.jsonl"


@pytest.fixture(scope="module")
def items():
    return qa_check.load_qa()


@pytest.fixture(scope="module")
def texts():
    return qa_check.load_corpus_texts(CORPUS)


def test_the_set_passes_its_checker(items, texts):
    assert qa_check.check(items, texts) == []


def test_the_held_out_set_passes_too_and_shares_no_question(items, texts):
    heldout = qa_check.load_qa(HELDOUT)
    assert qa_check.check(heldout, texts) == []
    assert not {i["question"] for i in heldout} & {i["question"] for i in items}
    assert not {i["id"] for i in heldout} & {i["id"] for i in items}


def test_the_set_covers_what_the_issue_asks(items):
    counts = qa_check.type_counts(items)
    assert len(items) >= 110
    assert all(counts[t] >= 5 for t in qa_check.TYPES), counts
    assert counts["unanswerable"] >= 18


def test_every_document_is_evidence_somewhere(items, texts):
    used = {qa_check.resolve_doc(e["doc"], texts) for item in items for e in item["evidence"]}
    assert used == set(texts)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (
            {"type": "lookup", "evidence": [{"doc": "苏府办〔2022〕71号", "quote": "融资户数超20000户"}]},
            "found 0 times",
        ),
        ({"type": "lookup", "facts": ["7000户"]}, "none of the evidence documents"),
        ({"type": "unanswerable", "facts": ["x"], "evidence": []}, "evidence [] and facts []"),
        ({"type": "followup"}, "followup needs history"),
        ({"type": "multi_doc"}, "two documents"),
        (
            {"type": "lookup", "evidence": [{"doc": "苏府办〔2099〕1号", "quote": "获得融资户数超10000户"}]},
            "no single corpus file",
        ),
        ({"type": "numeric", "history": [{"role": "user", "content": "?"}]}, "only followup"),
        ({"type": "trivia"}, "not in"),
    ],
)
def test_the_checker_catches_a_broken_item(item, problem, texts):
    good = {
        "id": "t-1",
        "question": "到2025年融资户数目标是多少？",
        "type": "numeric",
        "evidence": [{"doc": "苏府办〔2022〕71号", "quote": "获得融资户数超10000户"}],
        "facts": ["10000户"],
    }
    assert qa_check.check([good], texts) == []
    problems = qa_check.check([{**good, **item}], texts)
    assert any(problem in p for p in problems), problems


def test_duplicate_ids_are_reported(items, texts):
    assert "duplicate id" in " ".join(qa_check.check([items[0], items[0]], texts))


def test_every_quote_lies_in_exactly_one_ingested_article(items):
    # Catches a quote the article splitter cuts in two, or one that two articles share.
    import settings
    from ingest.pipeline import load_corpus

    result = load_corpus(settings.load(corpus_dir=str(CORPUS)))
    assert result.errors == []
    assert qa_check.article_problems(items + qa_check.load_qa(HELDOUT), result.articles) == []


# --- the laws sets: 30 real laws, split by document into a tuning and an untuned half ---


@pytest.fixture(scope="module")
def laws():
    return {name: qa_check.load_qa(sets.SETS[name][0]) for name in ("qa_laws_tune", "qa_laws_test")}


@pytest.fixture(scope="module")
def law_texts():
    return qa_check.load_corpus_texts(sets.LAWS_CORPUS)


def test_the_laws_sets_pass_their_checker(laws, law_texts):
    for name, items in laws.items():
        assert qa_check.check(items, law_texts) == [], name


def test_the_laws_halves_share_no_document_and_no_question(laws, law_texts):
    def docs(items):
        return {qa_check.resolve_doc(e["doc"], law_texts) for i in items for e in i["evidence"]}

    tune, test = laws["qa_laws_tune"], laws["qa_laws_test"]
    assert not docs(tune) & docs(test)
    assert docs(tune) | docs(test) == set(law_texts)  # every law is some question's evidence
    assert not {i["question"] for i in tune} & {i["question"] for i in test}
    assert not {i["id"] for i in tune} & {i["id"] for i in test}


def test_the_laws_sets_ask_as_users_do(laws):
    for items in laws.values():
        groups = [i["group"] for i in items]
        assert len(items) >= 45
        assert groups.count("entrepreneur") >= len(items) // 2
        assert groups.count("staff") >= 5 and groups.count("evaluator") >= 5
        assert 0.08 <= qa_check.type_counts(items)["unanswerable"] / len(items) <= 0.15


def test_a_set_name_brings_its_corpus():
    assert sets.corpus_for("qa_laws_test") == sets.LAWS_CORPUS
    assert sets.corpus_for(qa_check.QA_PATH) == CORPUS
    assert sets.corpus_for("my_own.jsonl") is None


def test_every_laws_quote_lies_in_exactly_one_ingested_article(laws):
    import settings
    from ingest.pipeline import load_corpus

    result = load_corpus(settings.load(corpus_dir=str(sets.LAWS_CORPUS)))
    assert result.errors == []
    assert qa_check.article_problems(laws["qa_laws_tune"] + laws["qa_laws_test"], result.articles) == []


# --- the fresh set: 22 more real laws, questions written without ever running the system on them ---


def test_the_fresh_set_passes_its_checker_and_asks_as_users_do():
    import settings
    from ingest.pipeline import load_corpus

    items = qa_check.load_qa(sets.SETS["qa_fresh"][0])
    assert qa_check.check(items, qa_check.load_corpus_texts(sets.FRESH_CORPUS)) == []
    result = load_corpus(settings.load(corpus_dir=str(sets.FRESH_CORPUS)))
    assert result.errors == []
    assert qa_check.article_problems(items, result.articles) == []
    groups = [i["group"] for i in items]
    assert len(items) >= 45 and groups.count("entrepreneur") >= len(items) // 2
    assert 0.08 <= qa_check.type_counts(items)["unanswerable"] / len(items) <= 0.15
    laws = {p.name for p in sets.LAWS_CORPUS.glob("*.md")}
    assert not laws & {p.name for p in sets.FRESH_CORPUS.glob("*.md")}  # no document of the laws sets


# --- eighth session: everyday-wording sets and unanswerable questions, by a helper that read only the documents ---


@pytest.mark.parametrize(
    ("name", "corpus", "least"),
    [("qa_plain", sets.FRESH_CORPUS, 30), ("qa_plain_seeds", sets.SEED_CORPUS, 20)],
)
def test_the_plain_sets_pass_their_checker_and_each_quote_is_one_article(name, corpus, least):
    import settings
    from ingest.pipeline import load_corpus

    items = qa_check.load_qa(sets.SETS[name][0])
    assert len(items) >= least and {i["group"] for i in items} == {"entrepreneur"}
    assert qa_check.check(items, qa_check.load_corpus_texts(corpus)) == []
    assert qa_check.article_problems(items, load_corpus(settings.load(corpus_dir=str(corpus))).articles) == []


def test_the_unanswerable_set_holds_only_questions_without_evidence():
    items = qa_check.load_qa(sets.SETS["qa_unanswerable"][0])
    assert len(items) == 30 and len({i["id"] for i in items}) == 30
    assert qa_check.check(items, qa_check.load_corpus_texts(sets.FRESH_CORPUS)) == []
    assert qa_check.type_counts(items)["unanswerable"] == 30 and not any(i["evidence"] for i in items)
