"""One retrieval suite, run against both index backends: FAISS + BM25 files, and Milvus (Lite).

The same articles, the same fake embedder, the same questions: search, named articles,
filters, refresh (add, edit, delete, a file that fails) must behave the same. The last
test starts a `milvus-lite server` itself and reaches it by URI, as a replica would.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from eval.procs import free_port, port_open, serving
from index.backend import SearchIndex, open_index, refresh_index
from index.filters import Filters
from index.fusion import EXACT_SCORE
from index.topic import information
from ingest.errors import IngestError
from tests.index_fakes import D65, D71, DRAFT_DOC, fake_settings, seed_articles, small_corpus

BACKENDS = ("faiss", "milvus")
FIXTURES = Path(__file__).parent / "fixtures" / "repealed"  # copied unchanged from ../shared/library/laws


def build(tmp_path: Path, backend: str, articles, **more):
    s = fake_settings(tmp_path, index_backend=backend, **more)
    report = refresh_index(s, list(articles))
    return s, report


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


def ids(hits) -> list[str]:
    return [h.article.chunk_id for h in hits]


def test_both_backends_implement_the_protocol(tmp_path, backend) -> None:
    s, report = build(tmp_path, backend, small_corpus())
    idx = open_index(s)
    assert isinstance(idx, SearchIndex)
    assert report.changed and report.articles == len(small_corpus())
    assert [d.doc_id for d in idx.documents()] == ["d71", "d65", "ddraft"]
    assert ids([type("H", (), {"article": a})() for a in idx.articles()]) == [
        a.chunk_id for a in small_corpus()
    ]


def test_keyword_question_finds_its_article(tmp_path, backend) -> None:
    s, _ = build(tmp_path, backend, small_corpus())
    hits = open_index(s).search("不良贷款容忍度", k=3)
    assert hits[0].article.numbers == ("二", "（八）") and hits[0].keyword_score > 0
    assert all(0 <= h.score <= 1 for h in hits)
    # what the off-topic check reads (answer.refusal.off_topic), measured by both backends alike
    assert hits[0].shared_information >= information("容忍度") > 0
    assert all(-1.0 <= h.best_cosine <= 1.001 for h in hits)


def test_named_article_comes_first_and_is_marked(tmp_path, backend) -> None:
    s, _ = build(tmp_path, backend, small_corpus())
    hits = open_index(s).search("71号文第8条 讲了什么", k=3)
    assert hits[0].article.numbers == ("四", "（三）", "8")
    assert hits[0].named and hits[0].score == EXACT_SCORE
    assert not any(h.named for h in hits[1:])


@pytest.mark.parametrize(
    ("filters", "docs"),
    [
        (Filters(level="province"), {"d65"}),
        (Filters(docs=("71号",)), {"d71"}),
        (Filters(exclude_drafts=True), {"d71", "d65"}),
        (Filters(date_from="2023-01-01"), {"d65"}),
    ],
)
def test_filters_agree(tmp_path, backend, filters, docs) -> None:
    s, _ = build(tmp_path, backend, small_corpus())
    idx = open_index(s)
    hits = idx.search("科技企业 信用贷款", k=10, filters=filters)
    assert hits and {h.article.doc.doc_id for h in hits} <= docs
    assert {a.doc.doc_id for a in idx.articles(filters)} == docs


def test_a_named_article_outside_the_filters_is_not_used(tmp_path, backend) -> None:
    s, _ = build(tmp_path, backend, small_corpus())
    hits = open_index(s).search("71号文第8条", k=3, filters=Filters(level="province"))
    assert not any(h.named for h in hits) and all(h.article.doc.doc_id == "d65" for h in hits)


def test_refresh_adds_edits_and_deletes(tmp_path, backend) -> None:
    corpus = small_corpus()
    s, _ = build(tmp_path, backend, corpus)
    edited = dataclasses.replace(
        corpus[3], chunk_id="d65-edited", text="（八）适当提高科技企业知识产权质押融资额度。"
    )
    new = [a for a in corpus if a.doc.doc_id != "ddraft" and a is not corpus[3]] + [edited]
    report = refresh_index(s, new)
    assert report.changed and (report.added, report.removed) == (1, 2)
    idx = open_index(s)
    assert "ddraft" not in {d.doc_id for d in idx.documents()}
    assert ids(idx.search("知识产权质押", k=1)) == ["d65-edited"]
    assert corpus[3].chunk_id not in {a.chunk_id for a in idx.articles()}
    assert not refresh_index(s, new).changed  # nothing changed: nothing written


def test_a_file_that_fails_keeps_its_articles(tmp_path, backend) -> None:
    corpus = small_corpus()
    s, _ = build(tmp_path, backend, corpus)
    rest = [a for a in corpus if a.doc.doc_id != "d65"]
    report = refresh_index(s, rest, errors=[IngestError(Path(D65.source), "truncated")])
    assert D65.source in report.kept
    assert "d65" in {d.doc_id for d in open_index(s).documents()}


def test_a_milvus_lite_build_is_sealed_in_one_segment(tmp_path) -> None:
    """Flushed (unsealed rows are searched by rebuilding BM25 on every query) and one segment
    (Lite's BM25 statistics are per segment)."""
    from index.milvus_store import uri

    s, _ = build(tmp_path, "milvus", seed_articles())
    collection = Path(uri(s)) / "collections" / s.milvus_collection
    assert len(list(collection.rglob("data_*.parquet"))) == 1


def test_the_backends_rank_the_seed_corpus_alike(tmp_path) -> None:
    """Same top hit for keyword-led questions (Milvus's BM25 is its own, so scores differ a little)."""
    questions = ["首贷贴息", "人才公寓", "科技保险 研发失败", "不良贷款容忍度", "流动资金贷款期限"]
    tops = {}
    for backend in BACKENDS:
        s, _ = build(tmp_path / backend, backend, seed_articles())
        idx = open_index(s)
        tops[backend] = [ids(idx.search(q, k=1)) for q in questions]
    same = sum(a == b for a, b in zip(tops["faiss"], tops["milvus"], strict=True))
    assert same >= len(questions) - 1, tops


@pytest.fixture
def milvus_server(tmp_path):
    port = free_port()
    exe = Path(sys.executable).with_name("milvus-lite")
    cmd = [
        str(exe),
        "server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(tmp_path / "srv"),
    ]
    with serving(cmd, port_open(port), tmp_path / "milvus.log", timeout_s=60, name="milvus-lite server"):
        yield f"http://127.0.0.1:{port}"


def test_a_replica_reaches_a_milvus_server_by_uri(tmp_path, milvus_server) -> None:
    """One process builds through the server; another, knowing only the URI, searches and looks up."""
    s, report = build(tmp_path / "writer", "milvus", small_corpus(), milvus_uri=milvus_server)
    assert report.articles == len(small_corpus())
    replica = fake_settings(tmp_path / "replica", index_backend="milvus", milvus_uri=milvus_server)
    idx = open_index(replica)
    assert idx.search("不良贷款容忍度", k=1)[0].article.numbers == ("二", "（八）")
    assert [a.numbers for a in idx.lookup("71号文第8条")] == [("四", "（三）", "8")]
    assert {d.doc_id for d in idx.documents()} == {D71.doc_id, D65.doc_id, DRAFT_DOC.doc_id}


def test_one_setting_points_a_replica_at_milvus(tmp_path, monkeypatch) -> None:
    import settings as settings_mod
    from index.backend import backend_name

    assert backend_name(settings_mod.load()) == "faiss"
    monkeypatch.setenv("POLICYQA_MILVUS_URI", "http://10.0.0.5:19530")
    assert backend_name(settings_mod.load()) == "milvus"
    monkeypatch.setenv("POLICYQA_INDEX_BACKEND", "faiss")  # an explicit backend still wins
    assert backend_name(settings_mod.load()) == "faiss"


def test_an_article_cited_from_a_repealed_text_comes_back_unless_filters_were_chosen(
    tmp_path, backend
) -> None:
    """上海市实施《气象法》办法 was repealed by 上海市气象条例 (real files): its 第一条, cited by number, is the
    answer (the engine marks it 已废止), not another law's article; a caller's own filters still bind it."""
    from ingest.pipeline import ingest_paths
    from settings import load

    folder = tmp_path / "laws"
    folder.mkdir()
    for name in ("上海市实施《气象法》办法(2018-11-22).md", "上海市气象条例(2024-09-27).md"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    articles = ingest_paths(sorted(folder.iterdir()), load(corpus_dir=str(folder))).articles
    s, _ = build(tmp_path, backend, articles)
    idx = open_index(s)
    repealed = next(d for d in idx.documents() if "实施" in d.title)
    assert repealed.validity_on("2026-11-28") == "已废止"
    hit = idx.search("上海市实施《中华人民共和国气象法》办法第一条", k=1)[0]
    assert hit.named and hit.article.doc.doc_id == repealed.doc_id and hit.article.text.startswith("第一条")
    chosen = idx.search("上海市实施《中华人民共和国气象法》办法第一条", k=3, filters=Filters())
    assert all(h.article.doc.doc_id != repealed.doc_id for h in chosen)
