"""Real laws and regulations (tests/fixtures/laws, copied unchanged from ../shared/library/laws):
golden metadata, version chains and validity on given days, and lookup, search and answers
that come from the version in force.

Two versions of two State Council regulations are in the fixtures; the rules that changed:
  全国年节及纪念日放假办法  2013: 劳动节放假1天, 春节3天      2024: 劳动节2天（5月1日、2日）, 春节4天
  商用密码管理条例          1999: 国家密码管理委员会及其办公室主管  2023: 国家密码管理部门负责管理
"""

from __future__ import annotations

from pathlib import Path

import pytest
from index_fakes import fake_settings

from answer.engine import Engine
from index import Filters, HybridRetriever
from index.embed import FakeEmbedder
from index.lookup import lookup
from index.policy import PolicyIndex
from ingest.pipeline import load_corpus
from ingest.record import DocMeta
from ingest.versions import link_versions

LAWS = Path(__file__).parent / "fixtures" / "laws"
HOLIDAYS, CRYPTO = "全国年节及纪念日放假办法", "商用密码管理条例"


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    s = fake_settings(tmp_path_factory.mktemp("laws"), corpus_dir=str(LAWS))
    result = load_corpus(s)
    assert not result.errors
    return result.articles


@pytest.fixture(scope="module")
def docs(articles):
    return {Path(a.doc.source).name: a.doc for a in articles}  # source is the path inside the corpus


@pytest.fixture(scope="module")
def retriever(articles, tmp_path_factory):
    s = fake_settings(tmp_path_factory.mktemp("laws-index"), corpus_dir=str(LAWS))
    return HybridRetriever(articles, FakeEmbedder(), s)


@pytest.fixture(scope="module")
def engine(retriever):
    """The answer engine over the in-memory index, as the eval harness builds it."""
    return Engine(retriever.settings, index=PolicyIndex(retriever))


# source, kind, issuers, region, level, version date, effective date, order number
GOLDEN = [
    ("反家庭暴力法(2015-12-27).md", "法律", ("全国人民代表大会常务委员会",), "全国", "national",
     "2015-12-27", "2016-03-01", ""),
    ("全国年节及纪念日放假办法(2024-11-10).md", "行政法规", ("政务院", "国务院"), "全国", "national",
     "2024-11-10", "2024-11-10", ""),
    ("商用密码管理条例(2023-04-27).md", "行政法规", ("国务院",), "全国", "national",
     "2023-04-27", "2023-07-01", "国务院令第760号"),
    ("北京市规章设定罚款限额规定.md", "地方性法规", ("北京市人民代表大会常务委员会",), "北京市", "province",
     "2007-03-30", "1996-10-01", ""),
    ("上海市查处车辆非法客运若干规定(2014-06-19).md", "地方性法规", (), "上海市", "province",
     "2014-06-19", "2014-08-01", ""),
    ("嘉兴市户外广告和招牌设置条例(2020-04-10).md", "地方性法规", ("嘉兴市人民代表大会常务委员会",), "嘉兴市",
     "city", "2020-04-10", "", ""),
    ("明码标价和禁止价格欺诈规定(2022-04-14).md", "部门规章", ("国家市场监督管理总局",), "全国", "national",
     "2022-04-14", "2022-07-01", "国家市场监督管理总局令第56号"),
    ("最高人民法院关于对变造、倒卖变造邮票行为如何适用法律问题的解释(2000-12-05).md", "司法解释",
     ("最高人民法院",), "全国", "national", "2000-12-05", "2000-12-09", ""),
]  # fmt: skip


@pytest.mark.parametrize("source,kind,issuers,region,level,version,effective,order", GOLDEN)
def test_golden_metadata(docs, source, kind, issuers, region, level, version, effective, order):
    d = docs[source]
    got = (d.kind, d.issuers, d.region, d.level, d.version_date, d.effective_date, d.order_number)
    assert got == (kind, issuers, region, level, version, effective, order)


def test_history_lines_are_metadata_not_text(docs, articles):
    d = docs["嘉兴市户外广告和招牌设置条例(2020-04-10).md"]
    assert d.adopted_date == "2018-10-12" and d.amended == ("2020-03-26 修正",)
    assert len(d.history) == 4 and "浙江省人民代表大会常务委员会" not in d.issuers  # it only approved
    texts = [a.text for a in articles if a.doc is d]
    assert not any("第十三次会议通过" in t or "INFO END" in t for t in texts)


def test_a_file_without_history_lines_takes_its_date_from_the_name_and_place_from_its_title(docs):
    d = docs["上海市查处车辆非法客运若干规定(2014-06-19).md"]
    assert d.history == () and d.version_date == "2014-06-19" and d.issuers == ()  # unknown, not guessed


def test_version_chains_labels_and_links(docs):
    old, new = (
        docs["全国年节及纪念日放假办法(2013-12-11).md"],
        docs["全国年节及纪念日放假办法(2024-11-10).md"],
    )
    assert old.versions == new.versions == (old.doc_id, new.doc_id)
    assert (old.version_label, new.version_label) == ("2013年版", "2024年修订")
    assert (old.superseded_by, new.superseded_by) == (new.doc_id, "")
    assert new.cite_name == "《全国年节及纪念日放假办法》（2024年修订）"
    assert (
        docs["反家庭暴力法(2015-12-27).md"].cite_name == "《中华人民共和国反家庭暴力法》"
    )  # one version: no label


@pytest.mark.parametrize(
    "source,as_of,expected",
    [
        ("商用密码管理条例(1999-10-07).md", "2020-01-01", "现行有效"),
        ("商用密码管理条例(1999-10-07).md", "2023-06-30", "现行有效"),  # the 2023 text is not in force yet
        ("商用密码管理条例(2023-04-27).md", "2023-06-30", "尚未施行"),
        ("商用密码管理条例(1999-10-07).md", "2023-07-01", "已被修订"),
        ("商用密码管理条例(2023-04-27).md", "2023-07-01", "现行有效"),
        ("明码标价和禁止价格欺诈规定(2022-04-14).md", "2022-05-01", "尚未施行"),
        ("全国年节及纪念日放假办法(2013-12-11).md", "2026-01-01", "已被修订"),
    ],
)
def test_validity_on_a_date(docs, source, as_of, expected):
    assert docs[source].validity_on(as_of) == expected


def test_repeal_and_expiry_from_the_texts_own_words():
    old = DocMeta("o", "o.md", "行政复议条例", version_date="1994-10-09", region="全国")
    law = DocMeta("n", "n.md", "中华人民共和国行政复议法", version_date="1999-04-29", effective_date="1999-10-01",
                  region="全国", repeals=("行政复议条例",))  # fmt: skip
    linked = link_versions([old, law])
    assert (linked["o"].repealed_by, linked["o"].repealed_on) == ("n", "1999-10-01")
    assert (
        linked["o"].validity_on("1999-09-30") == "现行有效"
        and linked["o"].validity_on("2000-01-01") == "已废止"
    )
    short = DocMeta(
        "s",
        "s.md",
        "某措施",
        version_date="2023-01-01",
        effective_date="2023-01-01",
        expiry_date="2025-12-31",
    )
    assert (short.validity_on("2025-12-31"), short.validity_on("2026-01-01")) == ("现行有效", "已失效")


def test_lookup_returns_the_version_in_force_unless_another_is_asked_for(articles):
    [a] = lookup("全国年节及纪念日放假办法第二条", articles, as_of="2026-01-01")
    assert (
        "放假2天（5月1日、2日）" in a.text and a.label == "《全国年节及纪念日放假办法》（2024年修订）第二条"
    )
    [b] = lookup("全国年节及纪念日放假办法2013年版第二条", articles)
    assert "劳动节，放假1天" in b.text
    [b2] = lookup("全国年节及纪念日放假办法（2013年）第二条", articles)  # the year in brackets, as cited
    assert b2.doc.version_label == "2013年版" and "劳动节，放假1天" in b2.text
    [c] = lookup("商用密码管理条例修订前的第四条", articles)
    assert "国家密码管理委员会" in c.text
    [d] = lookup("商用密码管理条例第四条", articles, as_of="2023-06-30")  # before the 2023 text took effect
    assert "国家密码管理委员会" in d.text


def test_search_leaves_out_superseded_texts_unless_asked(retriever):
    hits = retriever.search("劳动节放假几天", k=5)
    assert hits and all(h.article.doc.validity not in ("已被修订",) for h in hits)
    old = retriever.search("劳动节放假几天", k=10, filters=Filters(include_superseded=True))
    assert any(h.article.doc.version_label == "2013年版" for h in old)
    then = retriever.search("商用密码由哪个部门主管", k=10, filters=Filters(as_of="2020-01-01"))
    assert {h.article.doc.version_label for h in then} == {"1999年版"}


def test_a_question_naming_a_place_gets_that_places_documents_and_national_ones(retriever):
    hits = retriever.search("北京市规章罚款限额是多少", k=10)
    regions = {h.article.doc.region for h in hits}
    assert "北京市" in regions and regions <= {"北京市", "全国"}


@pytest.mark.parametrize(
    "question,new_fact,old_fact",
    [
        ("劳动节放假几天？", "放假2天", "劳动节，放假1天"),
        ("春节放假几天？", "春节，放假4天", "春节，放假3天"),
        ("谁主管全国的商用密码管理工作？", "国家密码管理部门", "国家密码管理委员会"),
        ("全国年节及纪念日放假办法第二条讲了什么？", "放假2天（5月1日、2日）", "劳动节，放假1天"),
    ],
)
def test_answers_about_changed_rules_come_from_the_version_in_force(engine, question, new_fact, old_fact):
    a = engine.ask(question, mode="extractive")
    assert not a.refused and new_fact in a.text and old_fact not in a.text
    assert all(c.article.doc.validity == "现行有效" for c in a.citations)


def test_an_answer_citing_an_old_version_says_so(engine):
    a = engine.ask("全国年节及纪念日放假办法2013年版第二条讲了什么？", mode="extractive")
    assert "劳动节，放假1天" in a.text
    assert "已被修订" in a.text and any("已被修订" in w for w in a.warnings)


def test_a_follow_up_asking_whom_to_contact_names_the_department_the_regulation_puts_in_charge(engine):
    """The follow-up reads the previous answer's articles from the index (SearchIndex.articles); a
    regulation lists no 责任单位, and its issuer (国务院) is no one to ask: its own 第三条 says who is."""
    first = engine.ask("商用密码管理条例第四条讲了什么？", mode="extractive")
    history = [
        {"role": "user", "content": "商用密码管理条例第四条讲了什么？"},
        {"role": "assistant", "content": first.text},
    ]
    a = engine.ask("那找谁咨询？", history=history, mode="extractive")
    assert not a.refused and "可咨询：密码管理部门（" in a.text, a.text
    assert "第三条：“县级以上地方各级密码管理部门负责管理本行政区域的商用密码工作" in a.text
    assert "国务院（发文单位" not in a.text and "有关部门" not in a.text.split("（")[0]
    assert {c.article.label for c in a.citations} & {c.article.label for c in first.citations}


def test_report_rows_and_coverage_on_the_fixtures(tmp_path):
    from ingest.report import coverage, row, scan_folder

    lib = scan_folder(LAWS, fake_settings(tmp_path))
    shares = coverage(lib.docs)
    assert shares["kind"] == shares["region"] == shares["version date"] == 1.0
    assert shares["issuer"] == 0.9  # the Shanghai file without history lines: issuer unknown, not guessed
    old = next(d for d in lib.docs if Path(d.source).name == "商用密码管理条例(1999-10-07).md")
    r = row(old, lib.articles[old.doc_id], "2026-01-01")
    assert (r["status"], r["version"], r["articles"], r["kind"]) == ("已被修订", "1999年版", 27, "行政法规")


@pytest.mark.parametrize(
    "question,regions,expected",
    [
        ("杭州市对科技企业有贴息吗？", ("苏州市", "江苏省"), "杭州市"),
        ("杭州市对科技企业有贴息吗？", ("苏州市", "全国"), ""),  # national law applies in Hangzhou too
        ("嘉兴的户外广告怎么管？", ("嘉兴市", "全国"), ""),
        ("洛阳市的燃气怎么管？", ("嘉兴市", "北京市"), "洛阳市"),  # any city of the country is known
    ],
)
def test_refusal_by_place_uses_the_librarys_regions(question, regions, expected):
    from answer.refusal import uncovered_place

    assert uncovered_place(question, regions) == expected


def test_one_home_for_references_and_places():
    import answer.refusal
    import index.lookup
    import ingest.meta
    import matcher.region
    from ingest import places, references

    assert index.lookup.DOC_NUMBER is references.DOC_NUMBER is ingest.meta.DOC_NUMBER
    assert matcher.region.covers is places.covers is answer.refusal.covers
    assert places.covers("浙江省", "嘉兴市南湖区") and places.covers("全国", "任何地方")


@pytest.mark.parametrize(
    "question,title,label",
    [
        ("2013年版的全国年节及纪念日放假办法里劳动节放假几天", "放假办法", "2013年版"),
        ("全国年节及纪念日放假办法修订前劳动节放假几天", "放假办法", "2013年版"),
        ("商用密码管理条例修订前由谁主管商用密码", "商用密码", "1999年版"),
        ("2013年的放假办法里劳动节放假几天", "放假办法", "2013年版"),  # "that year's 办法"
        ("2024年修订的放假办法里劳动节放假几天", "放假办法", "2024年修订"),
    ],
)
def test_a_question_naming_a_version_is_answered_from_it(retriever, question, title, label):
    """The year asked picks that version of the titles that have one; other titles keep the one in force."""
    hits = retriever.search(question, k=5)
    chained = {
        h.article.doc.version_label for h in hits if h.article.doc.versions and title in h.article.doc.title
    }
    assert chained == {label}
    others = {h.article.doc.validity for h in hits if title not in h.article.doc.title}
    assert "已被修订" not in others


def test_an_article_named_by_number_is_quoted_even_when_it_lacks_the_detail_asked(engine):
    """ "…第四条规定的标准是什么" names the article: it is the answer, not a refusal for a missing 标准."""
    a = engine.ask("商用密码管理条例第四条规定的标准是什么？", mode="extractive")
    assert not a.refused and [c.article.label for c in a.citations][:1] == [
        "《商用密码管理条例》（2023年修订）第四条"
    ]
