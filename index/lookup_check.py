"""Look up random articles of an index the way staff cite them, and list those that do not come back.

    python -m index.lookup_check [--n 400] [--seed 3] [--search] [--data-dir D --library-dirs L]

Each sampled article (a 第X条 of any document) is asked for as `《title without 中华人民共和国》第X条`;
it counts as found when the lookup returns that number from a document of the same title (another
version of it is the lookup's choice: the text in force). `--search` asks the search instead, as a
question would, and the first hit must be it. Prints the misses and a summary line.
"""

from __future__ import annotations

import argparse
import random
import re
import sys

import settings as settings_mod
from index.docnames import NATION

_ARTICLE = re.compile(r"(第[零〇一二三四五六七八九十百千]+条)$")


def check(index, n: int, seed: int, search: bool = False) -> tuple[int, list[tuple[str, list[str]]]]:
    """(articles checked, [(reference, labels returned)] for those not found)."""
    pool = [a for a in index.articles() if a.kind == "article" and _ARTICLE.search(a.label)]
    sample = random.Random(seed).sample(pool, min(n, len(pool)))
    misses = []
    for a in sample:
        number = _ARTICLE.search(a.label).group(1)
        ref = f"《{a.doc.title.removeprefix(NATION)}》{number}"
        got = [h.article for h in index.search(ref, k=1)] if search else index.lookup(ref)
        if not any(g.doc.title == a.doc.title and g.label.endswith(number) for g in got):
            misses.append((ref, [g.label for g in got][:2]))
    return len(sample), misses


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m index.lookup_check", description=__doc__)
    p.add_argument("--n", type=int, default=400)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--search", action="store_true", help="ask the search (first hit) instead of the lookup")
    settings_mod.add_arguments(p, ("data_dir", "library_dirs", "corpus_dir", "index_backend"))
    args = p.parse_args(argv)
    from index.backend import open_index

    index = open_index(settings_mod.from_args(args), build=True)
    checked, misses = check(index, args.n, args.seed, args.search)
    for ref, got in misses:
        print(f"{ref} -> {got or '无'}")
    print(f"{checked - len(misses)} of {checked} found", file=sys.stderr)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
