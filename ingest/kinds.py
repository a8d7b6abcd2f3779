"""What kind of document, issued by whom, for which place: read from the text, then the path.

Order of evidence, strongest first (unknown stays unknown, never guessed):
  1. the history lines' acting bodies (全国人民代表大会常务委员会 … 通过, 国务院令 … 公布);
  2. the red head, covering notice or 落款 of a policy document (ingest.meta);
  3. the title ("最高人民法院关于…的解释", "国务院关于…的规定", "上海市…条例");
  4. the folders the file sits in, when they name a kind (行政法规, 地方法规, 刑法 …),
     an issuing body (部门规章/公安部) or a place (地方法规/浙江).
"""

from __future__ import annotations

import re

from ingest import places
from ingest.header import Event, split_bodies

LAW, ADMIN_REG, DEPT_RULE, LOCAL_REG, LOCAL_RULE = (
    "法律",
    "行政法规",
    "部门规章",
    "地方性法规",
    "地方政府规章",
)
JUDICIAL, MILITARY, NORMATIVE, DRAFT_KIND = "司法解释", "军事法规", "规范性文件", "征求意见稿"
KINDS = (LAW, ADMIN_REG, MILITARY, DEPT_RULE, LOCAL_REG, LOCAL_RULE, JUDICIAL, NORMATIVE, DRAFT_KIND)
# Folder names that say the kind; the seven branches of law (宪法相关法, 民法商法 …) hold 法律.
FOLDER_KINDS = {
    "法律": LAW, "宪法": LAW, "宪法相关法": LAW, "民法典": LAW, "民法商法": LAW, "行政法": LAW, "经济法": LAW,
    "社会法": LAW, "刑法": LAW, "诉讼与非诉讼程序法": LAW, "行政法规": ADMIN_REG, "部门规章": DEPT_RULE,
    "地方法规": LOCAL_REG, "地方性法规": LOCAL_REG, "地方政府规章": LOCAL_RULE, "司法解释": JUDICIAL,
    "规范性文件": NORMATIVE, "征求意见稿": DRAFT_KIND,
}  # fmt: skip
NATIONAL_KINDS = (LAW, ADMIN_REG, MILITARY, DEPT_RULE, JUDICIAL)
# Kinds whose issuer the law itself fixes (立法法: 行政法规 are made by 国务院).
ISSUER_OF_KIND = {ADMIN_REG: "国务院"}
_ORG_WORD = re.compile(
    r"(国务院|院|部|委员会|委|局|署|总局|办公厅|办公室|人民政府|政府|法院|检察院|银行|会)$"
)
_TITLE_ISSUER = re.compile(r"^(.{2,40}?)关于")
_PRESIDENT = "中华人民共和国主席"


def issuers_from_events(events: list[Event]) -> list[str]:
    """Acting bodies of the history lines, approvals left out, in order of first appearance."""
    bodies = [b for e in events if not e.approval and e.body for b in split_bodies(e.body)]
    bodies = list(dict.fromkeys(bodies))
    return [b for b in bodies if b != _PRESIDENT] or bodies


def issuers_from_title(title: str) -> list[str]:
    """'最高人民法院、最高人民检察院关于…' -> the two courts; [] when the title names no body."""
    m = _TITLE_ISSUER.match(title)
    if not m:
        return []
    bodies = split_bodies(m.group(1))
    return bodies if bodies and all(_ORG_WORD.search(b) for b in bodies) else []


def kind_from_events(events: list[Event], issuers: list[str]) -> str:
    bodies = " ".join([*issuers, *(e.body for e in events)])
    orders = " ".join(e.order for e in events)
    if "全国人民代表大会" in bodies:
        return LAW
    if "最高人民法院" in bodies or "最高人民检察院" in bodies:
        return JUDICIAL
    if "国务院" in bodies or "政务院" in bodies or "国务院令" in orders:
        return ADMIN_REG
    if "中央军事委员会" in bodies:
        return MILITARY
    if "人民代表大会" in bodies:
        return LOCAL_REG
    if "人民政府令" in orders:
        return LOCAL_RULE
    if orders or any("部务会议" in e.text or "局务会议" in e.text for e in events):
        return DEPT_RULE
    return ""


def kind_from_title(title: str) -> str:
    if title.startswith(("最高人民法院", "最高人民检察院")):
        return JUDICIAL
    if title.startswith("全国人民代表大会"):
        return LAW
    if title.startswith("国务院关于"):
        return ADMIN_REG
    return ""


def kind_from_folders(folders: tuple[str, ...]) -> str:
    for name in reversed(folders):  # the nearest folder that names a kind
        if kind := FOLDER_KINDS.get(name):
            return kind
    return ""


def issuer_from_folders(folders: tuple[str, ...]) -> list[str]:
    """A folder named after a body (部门规章/公安部) is the issuer of what it holds."""
    for name in reversed(folders):
        if name not in FOLDER_KINDS and _ORG_WORD.search(name) and not places.place(name):
            return [name]
    return []


def region_from_folders(folders: tuple[str, ...]) -> str:
    for name in reversed(folders):
        if p := places.place(name):
            return p.name
    return ""


def document_kind(
    events: list[Event],
    issuers: list[str],
    title: str,
    folders: tuple[str, ...],
    draft: bool,
    has_number: bool,
) -> str:
    """The kind, by the order of evidence above; 规范性文件 for a numbered or signed policy text."""
    if draft:
        return DRAFT_KIND
    kind = kind_from_events(events, issuers) or kind_from_title(title) or kind_from_folders(folders)
    if kind:
        return kind
    return NORMATIVE if (has_number or issuers) else ""


def document_region(issuers: list[str], kind: str, title: str, folders: tuple[str, ...], text: str) -> str:
    """The region a document covers: its issuers' place, else its title's, its folder's, its kind's
    (a 法律 is national), and for a policy text the place it names most."""
    if region := places.region_of_orgs(issuers):
        return region
    if region := places.region_named_in(title) or region_from_folders(folders):
        return region
    if kind in NATIONAL_KINDS:
        return places.NATIONAL
    # A policy signed relatively (市财政局) or not at all (a draft): the place its text names most.
    return _relative_region(issuers, text) if issuers or kind in (NORMATIVE, DRAFT_KIND) else ""


def _relative_region(issuers: list[str], text: str) -> str:
    """'省财政厅' signs for a province, '市财政局' for a city: the one of that level the text names most."""
    want = {"省": "province", "市": "city"}.get(issuers[0][:1], "") if issuers else ""
    return places.region_most_named(text, want) or places.region_most_named(text)


def absolute_bodies(issuers: list[str], region: str) -> list[str]:
    """'市人民代表大会常务委员会' of a 宁波市 regulation -> '宁波市人民代表大会常务委员会' (once).

    Only when the region is of the level the body names (市 for a city, 省 for a province).
    """
    p = places.place(region)
    prefix = {"province": "省", "city": "市"}.get(p.level, "") if p else ""
    out = [
        p.name + b[1:] if prefix and b.startswith(prefix) and p.name.endswith(prefix) else b for b in issuers
    ]
    return list(dict.fromkeys(out))
