"""`python -m matcher --profile profile.json [--json] [--export md|docx|pdf|html --out DIR]`

The profile is a JSON object with the form's fields, each optional: industry, stage, years,
certifications (list), needs (list), size, location, has_collateral, has_borrowed, text.
Reads the corpus (ingest rules only, no index or model), prints the checklist.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import settings as settings_mod
from ingest.pipeline import load_articles
from matcher.checklist import checklist
from matcher.export import FORMATS, export
from matcher.profile import Profile
from matcher.report import to_markdown


def read_profile(path: str) -> Profile:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the profile must be a JSON object")
    return Profile.from_dict(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matcher", description=__doc__)
    parser.add_argument("--profile", required=True, help="profile JSON file, or - for stdin")
    parser.add_argument("--json", action="store_true", help="print {summary, items, institution} as JSON")
    parser.add_argument("--export", choices=FORMATS, help="also write the checklist as this file type")
    parser.add_argument("--out", default=".", help="folder for --export")
    settings_mod.add_arguments(parser, ("corpus_dir", "max_file_mb"))
    args = parser.parse_args(argv)
    try:
        profile = read_profile(args.profile)
    except (OSError, ValueError) as err:
        print(f"cannot read the profile: {err}", file=sys.stderr)
        return 2
    cl = checklist(profile, load_articles(settings_mod.from_args(args)))
    if args.json:
        print(json.dumps(cl.to_json(), ensure_ascii=False, indent=1))
    else:
        print(to_markdown(cl))
    if args.export:
        print(f"written: {export(cl, args.export, Path(args.out))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
