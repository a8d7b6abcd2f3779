"""Golden expectations per seed document, written by reading each document."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.record import DRAFT

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def records(name_part: str):
    (path,) = [p for p in CORPUS.iterdir() if name_part in p.name]
    return parse_document(path.read_text(encoding="utf-8"), path.name, "test"), path


def by_locator(recs):
    return {r.locator: r for r in recs}


# name part, 文号, number of articles, issue date, status, level, first issuer
DOCS = [
    ("71号", "苏府办〔2022〕71号", 19, "2022-05-10", "正式", "city", "苏州市人民政府办公室"),
    ("65号", "苏科区成发〔2026〕65号", 21, "2026-05-25", "正式", "province", "江苏省科学技术厅"),
    ("苏委发", "苏委发〔2022〕1号", 23, "2022-01-02", "正式", "city", "中共苏州市委"),
    ("征求意见稿", "", 22, "", DRAFT, "city", None),
    ("127号", "苏府办〔2022〕127号", 17, "2022-07-05", "正式", "city", "苏州市人民政府办公室"),
]


@pytest.mark.parametrize("part,number,n_articles,date,status,level,issuer", DOCS)
def test_document_metadata_and_article_count(part, number, n_articles, date, status, level, issuer):
    recs, _ = records(part)
    doc = recs[0].doc
    assert doc.doc_number == number
    assert sum(r.kind == "article" for r in recs) == n_articles
    assert doc.issue_date == date
    assert doc.status == status
    assert doc.level == level
    assert (doc.issuers[0] if doc.issuers else None) == issuer


@pytest.mark.parametrize(
    "part,locator,heading",
    [
        ("71号", "四（三）8.", "加强政策激励，扩大创新企业首贷、信用贷覆盖面"),
        ("71号", "四（一）1.", "强化国有资本引导，加速关键领域发展布局"),
        ("71号", "三（四）", "激发活力与防控风险相平衡"),
        ("71号", "二", "总体目标"),
        ("65号", "二（九）", "加大科技信贷投放力度"),
        ("65号", "四（十三）", "探索科技保险产品和服务创新"),
        ("65号", "七（二十一）", "健全科技金融统筹推进机制"),
        ("苏委发", "四（六）18.", "推动金融与创新深度融合"),
        ("苏委发", "四（一）2.", "壮大高成长科技企业"),
        ("苏委发", "三", "发展思路"),
        ("征求意见稿", "三（七）", "探索“科创指数”融资模式"),
        ("征求意见稿", "一（一）", "指导思想"),
        ("征求意见稿", "四（十四）", "改进考核激励机制"),
        ("127号", "二（一）", "深化大院大所合作共建"),
        ("127号", "一（三）", "发展目标"),
        ("127号", "五（四）", "建立要素保障机制"),
    ],
)
def test_article_labels_and_headings(part, locator, heading):
    recs, _ = records(part)
    art = by_locator(recs)[locator]
    assert art.heading == heading
    token = unicodedata.normalize("NFKC", art.section_path[-1].rstrip("、．"))
    assert unicodedata.normalize("NFKC", art.text).startswith(token)
    assert heading in art.text


def test_full_label_of_71_article_8():
    recs, _ = records("71号")
    art = by_locator(recs)["四（三）8."]
    assert art.label == "《苏州市金融支持产业创新集群发展的工作意见》（苏府办〔2022〕71号）四（三）8."
    assert art.section_path == (
        "四、重点举措",
        "（三）畅通融资渠道，完善综合金融服务体系",
        "8．",
    )
    assert art.responsible_units == (
        "市金融监管局",
        "市财政局",
        "市市场监管局",
        "人行苏州中支",
        "苏州银保监分局",
    )
    # the article crosses the "— 8 —" page break: the sentence is whole again
    assert "按照《关于推进苏州金融业高质量发展的若干措施》（苏府〔2021〕53号）落实相关奖励政策" in art.text


def test_draft_is_marked_in_every_label():
    recs, _ = records("征求意见稿")
    assert all(r.doc.is_draft for r in recs)
    assert all("（征求意见稿）" in r.label for r in recs)
    assert recs[0].doc.title == "关于金融支持制造业发展的实施意见"


@pytest.mark.parametrize("part", [d[0] for d in DOCS])
def test_no_page_markers_or_markdown_in_records(part):
    recs, _ = records(part)
    for r in recs:
        assert not re.search(r"[—\-]\s*\d+\s*[—\-]", r.text), r.label
        assert "**" not in r.text and "#" not in r.text and "---" not in r.text, r.label


@pytest.mark.parametrize("part", [d[0] for d in DOCS])
def test_no_record_holds_a_second_article(part):
    recs, _ = records(part)
    starts = [(r.chunk_id, r.text[:14]) for r in recs if r.kind == "article"]
    for r in recs:
        for cid, start in starts:
            if cid != r.chunk_id:
                assert start not in r.text, f"{r.label} contains the start of another article: {start}"


def _squash(text: str) -> str:
    """Compare texts independent of whitespace, markdown marks and width variants."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[—\-]\s*\d+\s*[—\-]", "", text)  # page markers
    return re.sub(r"[\s*#]|-{3,}", "", text)


@pytest.mark.parametrize("part", [d[0] for d in DOCS])
def test_round_trip_every_sentence_of_the_file_is_in_some_record(part):
    recs, path = records(part)
    doc = recs[0].doc
    kept = _squash(
        "".join(r.text for r in recs)
        + "".join(p for r in recs for p in r.section_path)
        + doc.title
        + "".join(doc.issuers)
    )
    raw = _squash(path.read_text(encoding="utf-8"))
    # sentences, and section titles (a numbering marker starts a new piece)
    pieces = re.split(r"。|(?=[一二三四五六七八九十]+、)|(?=\([一二三四五六七八九十]+\))|(?=\d{1,2}\.)", raw)
    missing = [s for s in pieces if len(s) >= 4 and s not in kept]
    # the header (文号, red-head issuers, title lines) is metadata, not body
    body_missing = [s for s in missing if doc.title not in s and "文件" not in s]
    assert body_missing == []


@pytest.mark.parametrize("part", [d[0] for d in DOCS])
def test_ids_are_stable_and_unique(part):
    first, _ = records(part)
    second, _ = records(part)
    assert [r.chunk_id for r in first] == [r.chunk_id for r in second]
    assert len({r.chunk_id for r in first}) == len(first)


def test_notice_is_kept_apart_from_the_body():
    recs, _ = records("65号")
    notice = recs[0]
    assert notice.kind == "notice"
    assert notice.doc.notice_title.endswith("的通知")
    assert "现印发给你们" in notice.text
    assert all("现印发给你们" not in r.text for r in recs[1:])
    assert len(notice.doc.issuers) == 8
