"""`python -m index` on the seed corpus (fake embedder: the CLI's plumbing is under test, not the model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from index_fakes import ROOT, seed_articles

import settings
from index import refresh
from index.embed import FakeEmbedder

HIT_KEYS = {"rank", "score", "chunk_id", "doc_title", "doc_number", "label", "heading", "text"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "data"
    refresh(settings.load(data_dir=str(path), embedder="fake"), list(seed_articles()), FakeEmbedder())
    return path


def run(data_dir, *args, stdin=""):
    env = {**os.environ, "POLICYQA_DATA_DIR": str(data_dir), "POLICYQA_EMBEDDER": "fake"}
    return subprocess.run(
        [sys.executable, "-m", "index", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_stdin_questions_give_one_json_line_each(data_dir):
    out = run(data_dir, "search", "--k", "3", stdin="71号文第8条\n\n没有抵押物的科技企业怎么贷款\n")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [x["question"] for x in lines] == ["71号文第8条", "没有抵押物的科技企业怎么贷款"]
    for x in lines:
        assert len(x["hits"]) == 3 and [h["rank"] for h in x["hits"]] == [1, 2, 3]
        assert all(set(h) >= HIT_KEYS for h in x["hits"])
    first = lines[0]["hits"][0]
    assert first["label"].endswith("四（三）8.") and first["doc_number"] == "苏府办〔2022〕71号"
    assert first["text"].startswith("8．加强政策激励")  # the full text users see, heading included
    assert len(first["text"]) > 300


def test_one_question_as_json(data_dir):
    out = run(data_dir, "search", "科技保险", "--json", "--k", "2")
    result = json.loads(out.stdout)
    assert result["question"] == "科技保险" and len(result["hits"]) == 2


def test_human_output_lists_labels(data_dir):
    out = run(data_dir, "search", "苏科区成发〔2026〕65号 （十三）", "--k", "1")
    assert out.returncode == 0 and "四（十三）" in out.stdout.splitlines()[0]


def test_an_unknown_reference_says_so(data_dir):
    out = run(data_dir, "search", "71号文第99条", "--json")
    assert "未找到所引用的条款" in json.loads(out.stdout)["warnings"][0]
    out = run(data_dir, "lookup", "99号文第8条")
    assert out.returncode == 1 and "未找到条款" in out.stderr


def test_lookup_prints_the_article(data_dir):
    out = run(data_dir, "lookup", "科技招商意见 二（一）", "--json")
    (record,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert record["label"].endswith("二（一）") and record["doc_number"] == "苏府办〔2022〕127号"


def test_filters_from_the_command_line(data_dir):
    out = run(
        data_dir, "search", "金融支持制造业", "--json", "--k", "10", "--exclude-drafts", "--level", "city"
    )
    hits = json.loads(out.stdout)["hits"]
    assert hits and all(h["doc_number"] for h in hits)  # the draft is the one without a 文号
    assert all("苏科区成发" not in h["doc_number"] for h in hits)  # the province's document


def test_a_missing_index_is_built_on_first_use(tmp_path):
    out = run(tmp_path / "fresh", "lookup", "71号文第8条")
    assert out.returncode == 0 and "building the index" in out.stderr
    assert "四（三）8." in out.stdout
