"""`python -m matcher.audit [--seed N] [--files 12] [--sample 30]`: measures read from regulations
of the shared law library that no test uses, sampled for a person to judge (is each a real
benefit to a company, or a bank-side clause marked BANK?). Seed 14 was used to tune the rules,
seed 15 to measure them (README, 政策匹配)."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import settings
from ingest.pipeline import ingest_paths
from matcher.measures import measures_of

LAWS = Path("../shared/library/laws/地方法规")  # from the repository, as README's paths are
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "matcher"
TOPICS = ("促进", "中小企业", "科技")  # regulations likely to grant support


def candidates(laws: Path) -> list[Path]:
    used = {p.name for p in FIXTURES.rglob("*.md")}
    return sorted(
        p
        for p in laws.rglob("*.md")
        if any(t in p.name for t in TOPICS) and p.name not in used and "文明行为" not in p.name
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matcher.audit", description=__doc__)
    parser.add_argument("--laws", type=Path, default=LAWS)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--sample", type=int, default=30)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    files = candidates(args.laws)
    picked = rng.sample(files, min(args.files, len(files)))
    articles = ingest_paths(picked, settings.load()).articles
    found = [(a, m) for a in articles for m in measures_of(a)]
    print(f"{len(picked)} files, {len(articles)} articles, {len(found)} measures")
    for a, m in rng.sample(found, min(args.sample, len(found))):
        bank = "BANK " if "institution" in m.get("by") else ""
        print(
            f"- [{bank}{a.doc.title[:14]} {a.locator}] {m.clause[:120]} | who={m.get('who')} need={m.get('need')}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
