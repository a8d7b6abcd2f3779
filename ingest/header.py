"""A statute's history lines and the dates its body states.

Laws, regulations and judicial interpretations print their history under the title:

    2017年8月2日 中华人民共和国国务院令第683号公布
    2020年9月25日 北京市第十五届人民代表大会常务委员会第二十四次会议修订
    1998年10月24日 浙江省第九届人民代表大会常务委员会第八次会议批准
    2019年12月30日 施行

Each line is an `Event` (date, actions, acting body, 令号). The body adds the date in
force ("本条例自2025年6月1日起施行"), a validity period ("有效期至…", "有效期X年") and
the texts it repeals ("…《X条例》同时废止").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.references import order_number

DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
EVENT_LINE = re.compile(rf"^[（(]?\s*{DATE.pattern}\s*(.*)$")
ACTIONS = ("通过", "修订", "修正", "批准", "公布", "发布", "施行", "废止", "印发")
# Body sentences.
IN_FORCE_FROM = re.compile(rf"自\s*{DATE.pattern}\s*起(?:施行|实施|执行|生效)")
IN_FORCE_ON_ISSUE = re.compile(r"自(?:公布|发布|印发|颁布)之日起(?:施行|实施|执行|生效)")
# Only the document's own period counts ("本办法有效期至…", "本措施自…起施行，有效期3年"), not a
# licence's ("许可证有效期5年").
_SELF = (
    r"本(?:办法|规定|意见|措施|政策|细则|方案|通知|条例|决定|规则|实施意见|若干措施|政策措施)[^。；]{0,40}?"
)
VALID_UNTIL = re.compile(rf"{_SELF}有效期(?:至|到|截至)\s*{DATE.pattern}")
VALID_YEARS = re.compile(rf"{_SELF}有效期(?:为)?\s*([一二三四五六七八九十\d]{{1,2}})\s*年")
REPEALS = re.compile(r"《([^《》]{2,60})》同时(?:废止|停止执行)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}

# The acting body of a history line, in the ways the lines write it.
_CONGRESS = re.compile(
    r"^(?:经|由)?(.*?)(?:第?[一二三四五六七八九十百]+届)?(全国人民代表大会|人民代表大会|全国人大|人大|人民代表会)"
    r"(常务委员会|常委会)?"
)
_COURT = re.compile(r"^(?:经|由)?(最高人民(?:法院|检察院))")
_STATE_COUNCIL_MEETING = re.compile(
    r"^(?:经|由)?(.*?)第[一二三四五六七八九十百\d]+次(?:常务|全体|部务|局务|委务|署务|主任|行务|委员)会议"
)
_ANNOUNCEMENT = re.compile(r"^(?:经)?(.+?)(?:公告|通告)")
_DECISION = re.compile(r"^《(.+?)关于[^》]*》")
_APPROVED_DECISION = re.compile(r"批准的《(.+?)关于[^》]*》")  # a city's amendment, approved by its province
_ORG_BEFORE_ACTION = re.compile(r"^(?:经)?(.+?)(?:批准|发布|公布|印发|通过|修订|修正)")
_ORG_WORD = re.compile(
    r"(国务院|政务院|院|部|委员会|委|局|署|总局|办公厅|人民政府|政府|法院|检察院|银行|会)$"
)


@dataclass(frozen=True)
class Event:
    date: str  # ISO yyyy-mm-dd
    actions: tuple[str, ...]  # e.g. ("通过",), ("公布", "施行"), ("修订",)
    body: str  # who acted: 北京市人民代表大会常务委员会, 国务院, 最高人民法院 ('' when unnamed)
    order: str = ""  # 令号 when the line has one: 国务院令第683号
    text: str = ""  # the line as printed

    @property
    def approval(self) -> bool:
        """A provincial congress approving a city's regulation, or 国务院批准: not the issuer."""
        if "批准的《" in self.text:  # "…批准的《X关于修改…的决定》修正": X amended it
            return False
        return self.actions == ("批准",) or ("经" in self.text[:16] and "批准" in self.actions)


def iso(m: re.Match) -> str:
    y, mo, d = (int(g) for g in m.groups()[:3])
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else ""


def iso_date(text: str) -> str:
    """'2022 年5 月10 日' -> '2022-05-10' ('' when there is no date)."""
    m = DATE.search(text)
    return iso(m) if m else ""


def parse_event(line: str) -> Event | None:
    """One history line, or None when the line is not one.

    >>> e = parse_event("2020年9月25日 北京市第十五届人民代表大会常务委员会第二十四次会议修订")
    >>> e.date, e.actions, e.body
    ('2020-09-25', ('修订',), '北京市人民代表大会常务委员会')
    >>> parse_event("2017年8月2日 中华人民共和国国务院令第683号公布").body
    '国务院'
    >>> parse_event("2022年3月24日 《国家市场监督管理总局关于修改和废止有关规章的决定》修改").actions
    ('修正',)
    """
    m = EVENT_LINE.match(line.strip().rstrip("　 ）)"))
    if not m:
        return None
    date, rest = iso(m), m.group(4).strip()
    outside = re.sub(r"《[^》]*》", "", rest)  # 《…关于修改…的决定》 names a decision, not an action
    actions = tuple(a for a in ACTIONS if a in outside)
    # "2022年3月24日 《…关于修改和废止有关规章的决定》修改": an amendment by decision
    if outside.endswith("修改") and not {"修订", "修正"} & set(actions):
        actions += ("修正",)
    if not date or not actions or len(rest) > 160:
        return None
    return Event(date, actions, acting_body(rest), order_number(rest), line.strip())


def acting_body(rest: str) -> str:
    """Who acted, from a history line without its date (see `parse_event`)."""
    if "主席令" in rest:
        return "中华人民共和国主席"
    if m := _COURT.match(rest):
        return m.group(1)
    if (m := _APPROVED_DECISION.search(rest)) and _ORG_WORD.search(m.group(1)):
        return clean_body(m.group(1))
    if m := _CONGRESS.match(rest):
        congress = "全国人民代表大会" if m.group(2).startswith("全国") else "人民代表大会"
        return m.group(1) + congress + ("常务委员会" if m.group(3) else "")
    if order := order_number(rest):
        return "中华人民共和国主席" if "主席令" in order else order.split("令第")[0]
    for pattern in (_STATE_COUNCIL_MEETING, _DECISION, _ANNOUNCEMENT, _ORG_BEFORE_ACTION):
        if (m := pattern.match(rest)) and _ORG_WORD.search(m.group(1)):
            return clean_body(m.group(1))
    return ""


def clean_body(body: str) -> str:
    """'中华人民共和国国务院' -> '国务院'; '最高人民法院、最高人民检察院' stays one string (split later)."""
    return body.removeprefix("中华人民共和国").strip("，、 ")


def split_bodies(body: str) -> list[str]:
    """Co-acting bodies; 和 inside a name (人力资源和社会保障部, 住房和城乡建设部, 国家发展和改革委员会) is kept.

    >>> split_bodies("人力资源和社会保障部"), split_bodies("财政部和国家税务总局")
    (['人力资源和社会保障部'], ['财政部', '国家税务总局'])
    >>> split_bodies("最高人民法院、最高人民检察院"), split_bodies("全国人民代表大会、中华人民共和国全国人民代表大会")
    (['最高人民法院', '最高人民检察院'], ['全国人民代表大会'])
    """
    parts = (
        b if b.endswith("主席") else clean_body(b)
        for b in re.split(r"[、，]|(?<=[部委局院署厅室府行会])和", body)
    )
    return list(dict.fromkeys(b for b in parts if b))


def events_in(lines: list[str]) -> list[Event]:
    return [e for e in map(parse_event, lines) if e]


def in_force_date(text: str) -> tuple[str, bool]:
    """The 施行 date a body states, and whether it is "on publication" (then the date is '').

    The last such sentence counts: it is in the closing articles.
    """
    dated = list(IN_FORCE_FROM.finditer(text))
    on_issue = list(IN_FORCE_ON_ISSUE.finditer(text))
    last_dated = dated[-1] if dated else None
    last_issue = on_issue[-1] if on_issue else None
    if last_issue and (not last_dated or last_issue.start() > last_dated.start()):
        return "", True
    return (iso(last_dated) if last_dated else ""), False


def valid_until(text: str, start: str) -> str:
    """The end of a stated validity period: '有效期至2025年12月31日', or '有效期3年' from `start`."""
    if m := VALID_UNTIL.search(text):
        return iso(m)
    m = VALID_YEARS.search(text)
    if not m or not start:
        return ""
    years = int(m.group(1)) if m.group(1).isdigit() else _cn_small(m.group(1))
    if not years:
        return ""
    y, m, d = (int(x) for x in start.split("-"))
    end = date(y + years, m, min(d, 28) if (m, d) == (2, 29) else d) - timedelta(days=1)
    return end.isoformat()


def _cn_small(s: str) -> int:
    """'三' -> 3, '十' -> 10, '十二' -> 12."""
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS.get(s[1:], 0)
    if s.endswith("十"):
        return 10 * _CN_DIGITS.get(s[0], 0)
    return _CN_DIGITS.get(s, 0)


def repealed_titles(text: str) -> list[str]:
    """Titles a text says it repeals: '…发布的《行政复议条例》同时废止' -> ['行政复议条例']."""
    return list(dict.fromkeys(m.group(1) for m in REPEALS.finditer(text)))
