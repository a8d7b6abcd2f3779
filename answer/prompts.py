"""Prompt and message templates, read from `prompts/` and rendered strictly.

A variable missing from a render call is an error (StrictUndefined), never
an empty string silently sent to the model.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


def cn_date(iso: str) -> str:
    """'2022-05-10' -> '2022年5月10日', the way the documents and their readers write dates.

    >>> cn_date("2022-05-10"), cn_date("2022"), cn_date("")
    ('2022年5月10日', '2022', '')
    """
    parts = iso.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return iso
    return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPTS_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # plain text for a model or a terminal, not HTML
    )
    env.filters["cn_date"] = cn_date
    return env


def render(name: str, **values: object) -> str:
    """Render `prompts/<name>` with exactly the given values, stripped."""
    return _env().get_template(name).render(**values).strip()
