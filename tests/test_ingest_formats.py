"""A seed as PDF, DOCX, HTML or GBK text gives the same articles as the original text file."""

from __future__ import annotations

from pathlib import Path

import pytest

import settings as settings_mod
from ingest.pipeline import ingest_paths
from tests.fixtures import squeeze, write_docx, write_encoded, write_html, write_pdf

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = sorted(CORPUS.iterdir())


def _cut(path: Path):
    result = ingest_paths([path], settings_mod.load())
    assert not result.errors, result.errors
    return [(a.locator, squeeze(a.text)) for a in result.articles if a.kind == "article"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:8])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "gbk"])
def test_same_articles_in_every_format(seed: Path, fmt: str, tmp_path: Path):
    text = seed.read_text(encoding="utf-8")
    target = tmp_path / f"{seed.stem}.{'txt' if fmt == 'gbk' else fmt}"
    build = {
        "pdf": lambda: write_pdf(text, target),
        "docx": lambda: write_docx(text, target),
        "html": lambda: write_html(text, target),
        "gbk": lambda: write_encoded(text, target, "gb18030"),
    }[fmt]
    assert _cut(build()) == _cut(seed)
