"""A Q&A set run against a served index (eval/live.py) and its report files (eval/export.py).

Real engine in extractive mode over the seed corpus; fake embedder (the scoring and the
files are under test here, not retrieval quality)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

import settings as settings_mod
from answer import Engine
from eval import export, live
from eval.loader import load_set
from eval.qa_check import QA_PATH
from index.embed import FakeEmbedder
from index.retriever import HybridRetriever
from ingest.pipeline import load_corpus


class Index:
    """The PolicyIndex interface over an in-memory HybridRetriever."""

    def __init__(self, articles, embedder, s) -> None:
        self.retriever = HybridRetriever(articles, embedder, s)

    def search(self, query, k=None, filters=None, fusion=None):
        return self.retriever.search(query, k, filters, fusion)

    def lookup(self, ref):
        return self.retriever.lookup(ref)

    def closest_sentences(self, query, articles):
        return self.retriever.closest_sentences(query, articles)

    def documents(self):
        return self.retriever.documents()

    def articles(self, filters=None):
        return self.retriever.articles_matching(filters)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    s = settings_mod.load(answer_mode="extractive", embedder="fake")
    index = Index(load_corpus(s).articles, FakeEmbedder(), s)
    engine = Engine(s, index=index)
    items = [i for i in load_set(QA_PATH).items if i["id"] in {"lk-01", "nm-01", "un-01", "un-05"}]
    seen = []
    result = live.run_set("qa.jsonl", items, index, engine.ask, "extractive", s, lambda *a: seen.append(a[0]))
    return result, seen, tmp_path_factory.mktemp("report")


def test_every_question_is_answered_scored_and_reported(run):
    result, seen, _ = run
    assert seen == [1, 2, 3, 4] and not result["stopped"]
    rows = {r["id"]: r for r in result["rows"]}
    assert set(rows) == {"lk-01", "nm-01", "un-01", "un-05"}
    lk = rows["lk-01"]
    assert lk["facts_found"] + lk["facts_missing"] == ["首贷", "信用贷"] and lk["citation_hit"] is not None
    assert rows["un-01"]["citation_hit"] is None and rows["un-01"]["retrieval_rank"] is None
    for r in rows.values():  # the failure column agrees with the row's own figures
        assert bool(r["failure"]) == bool(
            (r["refused"] is False and r["citation_hit"] is None)
            or r["facts_missing"]
            or r["citation_hit"] is False
            or (r["refused"] and r["citation_hit"] is not None)
            or r["unsupported_figures"]
        )
    summary = export.summary(result)
    assert summary["answered"] == 4 and 0 <= summary["fact_recall"] <= 1 and "hit@1" in summary


def test_report_files(run):
    result, _, folder = run
    files = export.write_all(result, folder)
    md = files["md"].read_text(encoding="utf-8")
    assert "# 评测报告：qa.jsonl" in md and "| lk-01 |" in md and "## 逐题" in md
    sheet = load_workbook(files["xlsx"])["逐题"]
    assert sheet.max_row == 5 and sheet["A1"].value == "编号"
    assert files["png"].stat().st_size > 10_000


def test_a_stopped_run_scores_what_it_answered():
    s = settings_mod.load(answer_mode="extractive", embedder="fake")
    index = Index(load_corpus(s).articles, FakeEmbedder(), s)
    items = load_set(QA_PATH).items[:5]
    calls = []
    result = live.run_set(
        "x",
        items,
        index,
        Engine(s, index=index).ask,
        "extractive",
        s,
        lambda *a: calls.append(1),
        lambda: len(calls) >= 2,
    )
    assert result["stopped"] and len(result["rows"]) == 2 and result["answers"]["extractive"]["n"] == 2
