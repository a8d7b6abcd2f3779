"""An article's measures and terms, rebuilt from the `cl:` tags written at ingest (ingest/conditions.py).

Nothing is read from the text here except the clause a tag points at, so a query
never re-runs the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.record import Article

TERM_KINDS = ("amount", "material", "time", "channel", "dept")


@dataclass
class Measure:
    """One clause that offers something to a company, with the conditions it writes."""

    clause: str
    span: tuple[int, int]
    offers: list[str]  # support kinds (贴息、信贷产品 …); [] when the clause names none
    facts: dict[str, list[str]] = field(default_factory=dict)  # kind -> values

    def get(self, kind: str) -> list[str]:
        return self.facts.get(kind, [])

    def alternatives(self, kind: str) -> list[str]:
        """'a|b' values of one kind, split: any one of them will do."""
        return [v for value in self.get(kind) for v in value.split("|")]

    @property
    def name(self) -> str:
        """What to call it in a list: its named product, else what it offers."""
        products = self.get("product")
        return "、".join(f"“{p}”" for p in products) or "、".join(self.offers) or "支持措施"


@dataclass(frozen=True)
class Term:
    kind: str  # one of TERM_KINDS
    value: str
    clause: str


def parse(tag: str) -> tuple[tuple[int, int], str, str] | None:
    """'cl:5-28:who:无贷企业' -> ((5, 28), 'who', '无贷企业'); None for other tags."""
    if not tag.startswith("cl:"):
        return None
    _, span, kind, value = tag.split(":", 3)
    start, end = span.split("-")
    return (int(start), int(end)), kind, value


def measures_of(article: Article) -> list[Measure]:
    """The article's measures in text order."""
    by_span: dict[tuple[int, int], Measure] = {}
    for span, kind, value in filter(None, map(parse, article.tags)):
        if kind == "measure":
            offers = [] if value == "支持" else value.split("、")
            by_span[span] = Measure(article.text[span[0] : span[1]], span, offers)
    for span, kind, value in filter(None, map(parse, article.tags)):
        if span in by_span and kind != "measure":
            by_span[span].facts.setdefault(kind, []).append(value)
    return [by_span[s] for s in sorted(by_span)]


def terms_of(article: Article) -> list[Term]:
    """Amounts, materials, time windows, channels and departments the article states."""
    return [
        Term(kind, value, article.text[span[0] : span[1]])
        for span, kind, value in sorted(filter(None, map(parse, article.tags)))
        if kind in TERM_KINDS
    ]
