"""Prompt and message templates, read from `prompts/` and rendered strictly.

A variable missing from a render call is an error (StrictUndefined), never
an empty string silently sent to the model.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPTS_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # plain text for a model or a terminal, not HTML
    )


def render(name: str, **values: object) -> str:
    """Render `prompts/<name>` with exactly the given values, stripped."""
    return _env().get_template(name).render(**values).strip()
