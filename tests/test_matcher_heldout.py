"""Held out: two regulations never looked at while the condition rules were written
(tests/fixtures/matcher/heldout/). The expectations below were written from their text before the
matcher was first run on them. First run: 2 of the 4 verdicts as expected; the misses are
recorded in README (政策匹配) with what was changed after (the fifth case was added then)."""

from __future__ import annotations

from pathlib import Path

import pytest

import settings
from ingest.pipeline import ingest_paths
from matcher import CHECK, MET, UNMET, Profile, checklist
from tests.test_matcher import key, verdicts

HELDOUT = Path(__file__).parent / "fixtures" / "matcher" / "heldout"
SH16, SD27 = "上海市促进就 第十六条", "山东省民营经 第二十七条"

CASES = {
    # 第十六条 …对劳动者自主开办小企业或者非正规就业的劳动组织，给予开业贷款担保和贴息
    # (a small Shanghai company that did not say it was set up by a worker on their own)
    "shanghai small firm": (Profile(size="小微", needs=("贷款",), location="上海市浦东新区"), {SH16: CHECK}),
    # the same measure for a company in Suzhou: another place's
    "self-started in shanghai": (
        Profile(size="小微", needs=("贷款",), location="上海市浦东新区", text="本人自主创业开办"),
        {SH16: MET},
    ),
    "suzhou small firm": (Profile(size="小微", needs=("贷款",), location="苏州工业园区"), {SH16: UNMET}),
    # 第二十七条 …综合运用财政贴息、保费补贴、风险补偿等政策，引导金融机构加大对民营经济的支持
    "shandong private firm": (
        Profile(needs=("贷款",), location="山东省济南市", text="民营企业"),
        {SD27: MET},
    ),
    # first written as 配套 (鼓励保险机构开发…保险产品 tells insurers to act), but that contradicts
    # the case above: the first paragraph's 保费补贴 is offered to 民营经济 as its 财政贴息 is
    "shandong insurance": (Profile(needs=("保险",), location="山东省济南市", text="民营企业"), {SD27: MET}),
}


@pytest.fixture(scope="module")
def heldout():
    result = ingest_paths(sorted(HELDOUT.glob("*.md")), settings.load())
    assert not result.errors and len(result.files) == 2
    return result.articles


@pytest.mark.parametrize("name", CASES)
def test_heldout_profiles(heldout, name):
    profile, expected = CASES[name]
    found = verdicts(checklist(profile, heldout))
    for k, verdict in expected.items():
        assert found.get(k) == verdict, f"{name}: {k} is {found.get(k)}, expected {verdict}"


def test_keys_exist(heldout):
    assert {SH16, SD27} <= {key(a) for a in heldout}
