"""A departmental rule numbered 第X章 / 第X条, as cities publish them besides 意见 and 措施.

Written in the shape of such files (文号 under the title, 项 inside an article, a 落款
at the end, a page marker mid-article); none of the five seeds is numbered this way.
"""

from __future__ import annotations

import re

import pytest

from index.lookup import lookup
from ingest.document import parse_document

RULE = """无锡市科技创新券管理办法

锡科规〔2024〕3号

第一章 总则

第一条 为鼓励 企业 利用创新资源，根据有关规定，制定本办法。

第二条 本办法所称科技创新券，是指市财政出资、
向科技型中小企业发放的电子凭证。

— 2 —

第二章 支持对象

第三条 申请创新券的企业应当满足以下条件：
（一）在本市注册的独立法人；
（二）上年度研发投入不低于 50 万元。

第四条 每家企业每年使用创新券额度最高 30 万元。（责任单位：市科技局、市财政局）

第三章 附则

第五条 本办法自2024年3月1日起施行。

无锡市科学技术局
2024年2月1日
"""


@pytest.fixture(scope="module")
def records():
    return parse_document(RULE, "wuxi_rule.txt", "wuxi")


def test_document_metadata_comes_from_the_head_and_the_signature(records):
    doc = records[0].doc
    assert (doc.title, doc.doc_number) == ("无锡市科技创新券管理办法", "锡科规〔2024〕3号")
    assert (doc.issue_date, doc.issuers, doc.region) == ("2024-02-01", ("无锡市科学技术局",), "无锡市")


def test_one_record_per_article_with_its_items_inside(records):
    articles = [r for r in records if r.kind == "article"]
    assert [r.label.removeprefix(records[0].doc.cite_name) for r in articles] == [
        "第一条",
        "第二条",
        "第三条",
        "第四条",
        "第五条",
    ]
    third = articles[2]
    assert third.heading == "申请创新券的企业应当满足以下条件"
    assert "（一）在本市注册的独立法人" in third.text and "（二）上年度研发投入不低于50万元" in third.text
    assert articles[3].responsible_units == ("市科技局", "市财政局")


def test_signature_is_its_own_record_and_no_article_carries_it_or_a_page_marker(records):
    last = records[-1]
    assert (last.kind, last.label.endswith("落款")) == ("colophon", True)
    assert "无锡市科学技术局" in last.text
    for r in records[:-1]:
        assert "科学技术局" not in r.text and not re.search(r"—\s*2\s*—", r.text)


def test_every_sentence_of_the_body_is_in_some_record(records):
    joined = "".join(r.text for r in records).replace(" ", "")
    for sentence in (
        "为鼓励企业利用创新资源",
        "向科技型中小企业发放的电子凭证",
        "本办法自2024年3月1日起施行",
    ):
        assert sentence in joined


@pytest.mark.parametrize(
    "ref,label_end",
    [
        ("锡科规〔2024〕3号第三条", "第三条"),
        ("3号文第5条", "第五条"),
        ("创新券管理办法第二章第四条", "第四条"),
        ("科技创新券管理办法 第4条", "第四条"),
    ],
)
def test_lookup_by_article_number(records, ref, label_end):
    found = lookup(ref, records)
    assert [a.label.endswith(label_end) for a in found] == [True], [a.label for a in found]


def test_unknown_article_of_a_known_rule_is_not_found(records):
    assert lookup("3号文第9条", records) == []


def test_sections_inside_chapters_are_a_level_not_the_last_words_of_the_article_before() -> None:
    """电子商务法 (a real library file): 第二章 电子商务经营者 is divided into 第一节 一般规定, 第二节 …"""
    from pathlib import Path

    from ingest.loaders import read_text

    path = next((Path(__file__).parent.parent / "eval" / "laws" / "corpus").glob("电子商务法*.md"))
    records = parse_document(read_text(path, 10_000_000), path.name, "d")
    assert not [r.label for r in records if re.search(r"(^|\n)第[一二三四五六七八九十]+节", r.text)]
    assert not [r.label for r in records if r.kind == "section"]  # no record of headings alone
    nine = next(r for r in records if r.locator == "第九条")
    assert nine.section_path[:2] == ("第二章电子商务经营者", "第一节一般规定")
    assert nine.label.endswith("第九条")  # statutes are cited by 条 alone
    assert lookup("电子商务法第九条", records) == [nine]
