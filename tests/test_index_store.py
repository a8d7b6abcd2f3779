"""The persisted index: incremental refresh, no orphans, model mismatch, killed builds, concurrent readers."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from index_fakes import D71, ROOT, article, fake_settings, small_corpus

from index import HybridRetriever, IndexMismatch, IndexMissing, PolicyIndex, refresh, store
from index.embed import FakeEmbedder

TESTS = Path(__file__).resolve().parent


def edited_corpus():
    """small_corpus with one article's text changed and the draft document deleted."""
    arts = [a for a in small_corpus() if a.doc.doc_id != "ddraft"]
    arts[0] = article(
        D71, ("四", "（三）", "7"), "加强资源集聚", "支持银行设立科技支行，新增科技金融专营机构。"
    )
    return arts


def generation_dirs(s):
    return sorted(p.name for p in store.generations(s).iterdir())


def test_first_refresh_builds_and_the_index_reopens_identical(tmp_path):
    s = fake_settings(tmp_path)
    report = refresh(s, small_corpus(), FakeEmbedder())
    assert report.changed and report.added == 6 and report.embedded == 6 and report.reason == "first build"
    idx = PolicyIndex.open(s, FakeEmbedder())
    assert idx.articles() == small_corpus()  # Article.to_json / from_json round trip
    assert idx.generation == report.generation
    assert idx.search("71号文第8条")[0].article.locator == "四（三）8."
    assert idx.lookup("65号文第十三条")[0].heading == "探索科技保险产品和服务创新"


def test_refresh_with_nothing_changed_writes_nothing(tmp_path):
    s = fake_settings(tmp_path)
    first = refresh(s, small_corpus(), FakeEmbedder())
    embedder = FakeEmbedder()
    again = refresh(s, small_corpus(), embedder)
    assert not again.changed and again.generation == first.generation and embedder.calls == 0
    assert generation_dirs(s) == [first.generation]


def test_refresh_embeds_only_changed_articles_and_leaves_no_orphans(tmp_path):
    s = fake_settings(tmp_path)
    refresh(s, small_corpus(), FakeEmbedder())
    embedder = FakeEmbedder()
    report = refresh(s, edited_corpus(), embedder)
    assert report.changed and embedder.calls == 1 and report.embedded == 1
    assert (report.added, report.removed) == (1, 2)  # the edited article is new; old version + draft gone
    idx = PolicyIndex.open(s, FakeEmbedder())
    ids = {a.chunk_id for a in idx.articles()}
    assert ids == {a.chunk_id for a in edited_corpus()}
    vector = idx.retriever.vector
    assert vector.index.ntotal == vector.vectors.shape[0] == len(ids) == idx.manifest.count
    hits = idx.search("科创指数贷 无抵押", k=10)
    assert all(h.article.doc.doc_id != "ddraft" for h in hits)


def test_going_back_to_an_earlier_corpus_reuses_cached_vectors(tmp_path):
    s = fake_settings(tmp_path)
    refresh(s, small_corpus(), FakeEmbedder())
    refresh(s, edited_corpus(), FakeEmbedder())
    embedder = FakeEmbedder()
    assert refresh(s, small_corpus(), embedder).changed and embedder.calls == 0


def test_old_generations_are_pruned_to_the_configured_number(tmp_path):
    s = fake_settings(tmp_path, keep_generations=2)
    reports = [
        refresh(s, corpus, FakeEmbedder()) for corpus in (small_corpus(), edited_corpus(), small_corpus())
    ]
    assert generation_dirs(s) == sorted(r.generation for r in reports[1:])


def test_opening_with_another_model_is_refused_then_refresh_rebuilds(tmp_path):
    s = fake_settings(tmp_path)
    refresh(s, small_corpus(), FakeEmbedder(dim=64))
    with pytest.raises(IndexMismatch, match="fake-bigram-64.*fake-bigram-32"):
        PolicyIndex.open(s, FakeEmbedder(dim=32))
    embedder = FakeEmbedder(dim=32)
    report = refresh(s, small_corpus(), embedder)
    assert report.changed and "embedding model changed" in report.reason and embedder.calls == 6
    idx = PolicyIndex.open(s, FakeEmbedder(dim=32))
    assert idx.manifest.dim == 32 and idx.retriever.vector.vectors.shape == (6, 32)
    assert idx.search("科技保险")


def test_a_same_named_model_with_another_dimension_fails_loudly_at_search(tmp_path):
    s = fake_settings(tmp_path)
    refresh(s, small_corpus(), FakeEmbedder(dim=64))
    liar = FakeEmbedder(dim=16)
    liar.name = "fake-bigram-64"
    idx = PolicyIndex.open(s, liar)
    with pytest.raises(IndexMismatch, match="16-dim.*64-dim"):
        idx.search("科技保险")


def test_open_without_an_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexMissing, match="python -m index refresh"):
        PolicyIndex.open(fake_settings(tmp_path), FakeEmbedder())


def test_open_with_build_creates_the_index(tmp_path, monkeypatch):
    s = fake_settings(tmp_path, corpus_dir=str(ROOT / "corpus"))
    idx = PolicyIndex.open(s, FakeEmbedder(), build=True)
    assert idx.lookup("71号文第8条")[0].label.endswith("四（三）8.")


def test_an_empty_article_list_never_replaces_a_good_index(tmp_path):
    s = fake_settings(tmp_path)
    first = refresh(s, small_corpus(), FakeEmbedder())
    report = refresh(s, [], FakeEmbedder())
    assert not report.changed and "previous index is kept" in report.reason
    assert PolicyIndex.open(s, FakeEmbedder()).generation == first.generation


def test_a_file_that_turns_unreadable_keeps_its_articles_and_a_deleted_one_leaves(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (
        "苏府办〔2022〕71号_金融支持产业创新集群发展的工作意见.txt",
        "苏府办〔2022〕127号_加快推进全市科技招商工作的指导意见.txt",
    ):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    s = fake_settings(tmp_path, corpus_dir=str(corpus))
    refresh(s, embedder=FakeEmbedder())
    before = PolicyIndex.open(s, FakeEmbedder()).articles()
    bad = corpus / "苏府办〔2022〕127号_加快推进全市科技招商工作的指导意见.txt"
    bad.write_bytes(b"\x00\xff" * 500)  # a botched upload: binary garbage
    report = refresh(s, embedder=FakeEmbedder())
    assert report.kept == [bad.name] and len(report.errors) == 1 and bad.name in report.errors[0]
    assert set(PolicyIndex.open(s, FakeEmbedder()).articles()) == set(before)
    bad.unlink()
    report = refresh(s, embedder=FakeEmbedder())
    left = PolicyIndex.open(s, FakeEmbedder()).articles()
    assert report.removed > 0 and left and all("127号" not in a.doc.doc_number for a in left)


# --- a build killed half-way ------------------------------------------------------------

CHILD = """
import sys, time, pathlib
sys.path[:0] = [{root!r}, {tests!r}]
import settings
from index import refresh
from index.embed import FakeEmbedder
from index.vector import VectorIndex
from test_index_store import edited_corpus

data_dir, point, marker = sys.argv[1:4]
marker = pathlib.Path(marker)

class StallingEmbedder(FakeEmbedder):
    def embed_passages(self, texts):
        marker.touch()
        time.sleep(600)

embedder = StallingEmbedder() if point == "embedding" else FakeEmbedder()
if point == "writing":
    save = VectorIndex.save
    def stalling_save(self, folder):
        save(self, folder)  # vectors.npy and faiss.index are on disk, the manifest is not
        marker.touch()
        time.sleep(600)
    VectorIndex.save = stalling_save
refresh(settings.load(data_dir=data_dir, embedder="fake"), edited_corpus(), embedder)
"""


@pytest.mark.parametrize("point", ["embedding", "writing"])
def test_a_build_killed_half_way_leaves_the_previous_index_usable(tmp_path, point):
    s = fake_settings(tmp_path)
    first = refresh(s, small_corpus(), FakeEmbedder())
    marker = tmp_path / "stalled"
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(ROOT), tests=str(TESTS)), encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script), s.data_dir, point, str(marker)])
    try:
        deadline = time.time() + 120
        while not marker.exists():
            assert child.poll() is None, "the child build ended before reaching the kill point"
            assert time.time() < deadline, "the child build never reached the kill point"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    idx = PolicyIndex.open(s, FakeEmbedder())
    assert idx.generation == first.generation and idx.articles() == small_corpus()
    assert idx.search("科创指数贷")[0].article.doc.doc_id == "ddraft"
    # The next refresh (the lock died with the child) clears the half-written folder and succeeds.
    report = refresh(s, edited_corpus(), FakeEmbedder())
    assert report.changed
    assert not [p for p in generation_dirs(s) if p.startswith(store.TMP_PREFIX)]
    assert PolicyIndex.open(s, FakeEmbedder()).generation == report.generation


# --- readers while a writer switches generations -----------------------------------------

READER = """
import sys, pathlib
sys.path[:0] = [{root!r}, {tests!r}]
import settings
from index import PolicyIndex
from index.embed import FakeEmbedder

data_dir, stop = sys.argv[1], pathlib.Path(sys.argv[2])
s = settings.load(data_dir=data_dir, embedder="fake")
rounds = 0
while not stop.exists() or rounds < 3:
    idx = PolicyIndex.open(s, FakeEmbedder())
    assert len(idx.articles()) == idx.manifest.count in (5, 6), idx.manifest.count
    assert idx.search("科技保险"), "no hits"
    assert idx.lookup("71号文第8条"), "lookup failed"
    rounds += 1
print(rounds)
"""


def test_several_readers_are_safe_while_the_index_is_rebuilt(tmp_path):
    s = fake_settings(tmp_path)
    refresh(s, small_corpus(), FakeEmbedder())
    script, stop = tmp_path / "reader.py", tmp_path / "stop"
    script.write_text(READER.format(root=str(ROOT), tests=str(TESTS)), encoding="utf-8")
    readers = [
        subprocess.Popen(
            [sys.executable, str(script), s.data_dir, str(stop)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    try:
        for corpus in (edited_corpus(), small_corpus(), edited_corpus(), small_corpus(), edited_corpus()):
            refresh(s, corpus, FakeEmbedder())
    finally:
        stop.touch()
        outs = [r.communicate(timeout=120) for r in readers]
    assert [r.returncode for r in readers] == [0, 0, 0]
    assert all(int(out) >= 3 for out, _ in outs)


def test_two_writers_queue_on_the_lock(tmp_path):
    s = fake_settings(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    code = (
        "import sys, settings; from index import refresh; from index.embed import FakeEmbedder;"
        "from index_fakes import small_corpus;"
        f"refresh(settings.load(data_dir={s.data_dir!r}, embedder='fake'), small_corpus(), FakeEmbedder(delay_s=0.5))"
    )
    writers = [subprocess.Popen([sys.executable, "-c", code], env=env) for _ in range(2)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    # One built, the other found it up to date: exactly one generation, complete.
    assert len(generation_dirs(s)) == 1
    assert PolicyIndex.open(s, FakeEmbedder()).articles() == small_corpus()


def test_manifest_records_model_and_dimension(tmp_path):
    s = fake_settings(tmp_path)
    refresh(s, small_corpus(), FakeEmbedder(dim=48))
    m = store.Manifest.read(store.current_folder(s))
    assert (m.embedder, m.dim, m.count, m.vector_index) == ("fake-bigram-48", 48, 6, "flat")
    assert dataclasses.asdict(m)["chunk_ids"] == tuple(a.chunk_id for a in small_corpus())


def test_sentence_vectors_are_stored_with_the_generation_and_reloaded(tmp_path):
    s = fake_settings(tmp_path, sentence_vectors=True, weight_sentence=1.0)
    report = refresh(s, small_corpus(), FakeEmbedder())
    built = HybridRetriever(small_corpus(), FakeEmbedder(), s)
    assert report.embedded == 6 + len(built.extras.sentences.owners) > 6  # articles and their sentences
    assert (store.current_folder(s) / store.SENTENCES).exists()
    idx = PolicyIndex.open(s, FakeEmbedder())
    assert idx.retriever.extras.sentences.owners.tolist() == built.extras.sentences.owners.tolist()
    q = "支持轻资产企业获得信用贷款"
    assert [h.article.chunk_id for h in idx.search(q)] == [h.article.chunk_id for h in built.search(q)]
    again = refresh(s, small_corpus(), FakeEmbedder())
    assert not again.changed and again.embedded == 0
