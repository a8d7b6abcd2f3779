"""Q&A sets as people write them (CSV / XLSX / JSONL) -> eval records; feedback -> a Q&A line."""

from __future__ import annotations

import json

import pytest

from eval.loader import SetError, from_feedback, load_set, quote_of
from eval.qa_check import QA_PATH
from tests.index_fakes import D71, article

HEADER = "问题,依据文件,依据原文,要点\n"


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_rows_become_eval_records(tmp_path):
    path = write(
        tmp_path,
        "set.csv",
        HEADER
        + "首贷有什么支持？,苏府办〔2022〕71号,扩大创新企业首贷、信用贷覆盖面,首贷；信用贷\n"
        + '"两份文件怎么说？","71号\n65号","首贷\n江苏科创保",江苏科创保\n'
        + "杭州有什么补贴？,,,\n",
    )
    loaded = load_set(path)
    assert loaded.problems == []
    first, multi, unanswerable = loaded.items
    assert first["evidence"] == [{"doc": "苏府办〔2022〕71号", "quote": "扩大创新企业首贷、信用贷覆盖面"}]
    assert first["facts"] == ["首贷", "信用贷"] and first["type"] == "answerable"
    assert [e["doc"] for e in multi["evidence"]] == ["71号", "65号"]
    assert unanswerable["evidence"] == [] and unanswerable["type"] == "unanswerable"
    assert len({i["id"] for i in loaded.items}) == 3


def test_gbk_csv_from_excel_and_bad_rows_reported(tmp_path):
    text = HEADER + "首贷？,71号,原文一句,\n,71号,原文,要点\n问？,71号,,要点\n"
    loaded = load_set(write(tmp_path, "gbk.csv", text, "gbk"))
    assert [i["question"] for i in loaded.items] == ["首贷？"]
    assert loaded.problems == [
        "第3行：问题为空",
        "第4行：有依据文件但没有依据原文（原文用于判断检索和引用是否命中）",
    ]


def test_xlsx_set(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["编号", "问题", "依据文件", "依据原文", "要点", "类型"])
    book.active.append(["x1", "首贷贴息？", "71号", "首贷", "贴息、首贷", "numeric"])
    book.save(tmp_path / "set.xlsx")
    (item,) = load_set(tmp_path / "set.xlsx").items
    assert item == {
        "id": "x1",
        "question": "首贷贴息？",
        "type": "numeric",
        "evidence": [{"doc": "71号", "quote": "首贷"}],
        "facts": ["贴息", "首贷"],
    }


def test_the_shipped_jsonl_set_loads_whole():
    loaded = load_set(QA_PATH)
    assert len(loaded.items) == 134 and not loaded.problems


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", "question,answer\nq,a\n", "表头缺少列"),
        ("x.csv", "", "文件是空的"),
        ("x.xlsx", "not a zip", "不是可读的 XLSX"),
        ("x.txt", "问题", "不支持的文件类型"),
    ],
)
def test_files_that_are_not_sets_say_why(tmp_path, name, content, message):
    with pytest.raises(SetError, match=message):
        load_set(write(tmp_path, name, content))


def test_jsonl_bad_lines_are_reported(tmp_path):
    good = json.dumps({"id": "a", "question": "q", "type": "lookup", "evidence": [], "facts": []})
    loaded = load_set(write(tmp_path, "s.jsonl", good + "\n{oops\n" + json.dumps({"question": ""}) + "\n"))
    assert len(loaded.items) == 1 and loaded.problems[0].startswith("第2行：不是 JSON")
    assert loaded.problems[1] == "第3行：问题为空"


def test_feedback_becomes_a_qa_line():
    a = article(D71, ("四", "（三）", "8"), "加强政策激励，扩大创新企业首贷、信用贷覆盖面", "对首贷给予贴息")
    rating = {"id": "abc", "question": "首贷怎么支持？"}
    line = from_feedback(rating, a, "首贷；贴息")
    assert line["evidence"] == [
        {"doc": "苏府办〔2022〕71号", "quote": "加强政策激励，扩大创新企业首贷、信用贷覆盖面"}
    ]
    assert line["facts"] == ["首贷", "贴息"] and line["id"] == "fb-abc"
    assert from_feedback(rating, None, refuse=True)["evidence"] == []
    with pytest.raises(SetError):
        from_feedback(rating, None)
    assert quote_of("短。后面还有很长的一句话，说明条件", "") == "短。后面还有很长的一句话，说明条件"
