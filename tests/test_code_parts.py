"""Texts whose articles do not start at 第一条: one part of a code, an amendment (real files,
tests/fixtures/code_parts, copied unchanged from ../shared/library/laws). They were cut by
chapter (4,000-character records no one can cite) or into 第1段 paragraphs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import settings as settings_mod
from ingest.numbering import canonical_token, int_to_cn
from ingest.pipeline import ingest_paths
from ingest.structure import build_tree

PARTS = Path(__file__).parent / "fixtures" / "code_parts"


def _articles(name: str):
    result = ingest_paths([PARTS / name], settings_mod.load(corpus_dir=str(PARTS)))
    assert not result.errors
    return [a for a in result.articles if a.kind == "article"]


def test_a_code_part_is_cut_into_its_articles_from_its_first_number():
    arts = _articles("继承编.md")
    numbers = [a.label.rsplit("》", 1)[1] for a in arts]
    assert numbers[0] == "第一千一百一十九条" and numbers[-1] == "第一千一百六十三条"
    assert len(arts) == 1163 - 1119 + 1  # every article once, none merged into its chapter
    assert all(
        a.text.startswith(n) for a, n in zip(arts, numbers, strict=True)
    )  # labels as the text writes them
    assert max(len(a.text) for a in arts) < 400


def test_an_amendment_numbered_from_its_own_first_article_is_not_read_as_paragraphs():
    arts = _articles("宪法修正案（2018年）.md")
    assert [a.label.rsplit("》", 1)[1] for a in arts][:2] == ["第三十二条", "第三十三条"]
    assert len(arts) == 52 - 32 + 1


def test_a_lone_article_number_at_a_line_start_does_not_open_the_numbering():
    """A wrapped history line ("第三十一条的决定》…") before 第一条 stays text."""
    lines = [
        "《关于修改〈文物保护法〉第三十条",
        "第三十一条的决定》第一次修正",
        "第一条 为了加强保护。",
        "第二条 适用本法。",
    ]
    tree = build_tree(lines)
    assert [n.marker.token for n in tree.children] == ["第一条", "第二条"]


@pytest.mark.parametrize(
    "n,written", [(110, "一百一十"), (215, "二百一十五"), (1010, "一千零一十"), (1119, "一千一百一十九")]
)
def test_numbers_past_a_hundred_are_written_as_statutes_write_them(n, written):
    assert int_to_cn(n) == written and canonical_token("tiao", n) == f"第{written}条"


def test_a_lost_article_does_not_fold_every_later_one_into_the_one_before():
    """山东省突发事件应对条例 as extracted has no 第十二条 line: 第十三条 … still open their own records
    (第十一条 was 7,443 characters, the rest of the regulation)."""
    arts = _articles("山东省突发事件应对条例(2012-05-31).md")
    numbers = [a.label.rsplit("》", 1)[1] for a in arts]
    assert "第十二条" not in numbers and {"第十一条", "第十三条", "第五十二条"} <= set(numbers)
    assert max(len(a.text) for a in arts) < 500


def test_a_space_inside_the_marker_and_a_quoted_far_jump():
    lines = [
        "第一条 总则。",
        "第二条 适用。",
        "第三 条 定义。",  # typeset with a space: still 第三条
        "第四条 修改如下：",
        "第一百二十三条 被引用的新条文。",  # quoted text: 4 -> 123 is not a gap
        "第一百二十四条 被引用的新条文。",
        "第一百二十五条 被引用的新条文。",
        "第五条 附则。",
    ]
    tokens = [n.marker.token for n in build_tree(lines).children]
    assert tokens == ["第一条", "第二条", "第三条", "第四条", "第五条"]


def test_a_code_named_by_its_short_name_is_looked_up_in_that_code_only(tmp_path):
    """ "民法典第一千一百二十条": the 民法典's article, not every document's 第一千一百二十条 (the title part
    "民法典" is shorter than the overlap a loose title match asks for, so it used to name nothing), and not
    an interpretation whose title quotes 《民法典》."""
    from index.lookup import ClauseIndex

    other = tmp_path / "其他规则.md"
    other.write_text(
        "# 最高人民法院关于适用《中华人民共和国民法典》继承编的解释\n\n"
        "第一千一百一十九条 甲。\n\n第一千一百二十条 乙。\n\n第一千一百二十一条 丙。\n",
        encoding="utf-8",
    )
    shutil.copy(PARTS / "继承编.md", tmp_path / "继承编.md")
    result = ingest_paths(sorted(tmp_path.iterdir()), settings_mod.load(corpus_dir=str(tmp_path)))
    clauses = ClauseIndex(result.articles)
    for ref in (
        "民法典第一千一百二十条",
        "《民法典》第一千一百二十条",
        "中华人民共和国民法典第一千一百二十条",
    ):
        got = clauses.lookup(ref)
        assert [a.label for a in got] == ["《中华人民共和国民法典》第一千一百二十条"], ref
        assert got[0].text.startswith("第一千一百二十条国家保护自然人的继承权")


def test_a_title_in_quotes_keeps_its_own_numbers(tmp_path):
    """《…若干问题的规定（二）》第二条: the （二） is part of the title, not an item of the article; a title
    quoting another title stays whole."""
    from index.lookup import ClauseIndex

    for n in ("一", "二"):
        (tmp_path / f"规定{n}.md").write_text(
            f"# 最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（{n}）\n\n"
            + "".join(f"第{k}条 规定{n}的第{k}条。\n\n" for k in ("一", "二", "三")),
            encoding="utf-8",
        )
    result = ingest_paths(sorted(tmp_path.iterdir()), settings_mod.load(corpus_dir=str(tmp_path)))
    clauses = ClauseIndex(result.articles)
    got = clauses.lookup("《最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（二）》第二条")
    assert [a.text for a in got] == ["第二条规定二的第二条。"]
    assert [a.text for a in clauses.lookup("《关于适用〈公司法〉若干问题的规定（一）》第三条")] == [
        "第三条规定一的第三条。"
    ]


def test_every_article_of_real_laws_comes_back_when_cited_by_title_and_number(tmp_path):
    """`python -m index.lookup_check` over the law fixtures and these code parts: no miss."""
    from index.embed import FakeEmbedder
    from index.lookup_check import check
    from index.policy import PolicyIndex

    laws = Path(__file__).parent / "fixtures" / "laws"
    files = sorted(p for p in [*laws.rglob("*.md"), *PARTS.iterdir()] if p.is_file())
    s = settings_mod.load(corpus_dir=str(tmp_path), data_dir=str(tmp_path / "data"), embedder="fake")
    result = ingest_paths(files, s)
    index = PolicyIndex.in_memory(result.articles, FakeEmbedder(), s)
    checked, misses = check(index, 10_000, seed=0)
    assert checked > 300 and misses == []
    checked, misses = check(index, 10_000, seed=0, search=True)  # the search puts each first
    assert checked > 300 and misses == []
