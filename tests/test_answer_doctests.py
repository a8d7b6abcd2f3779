"""The worked examples in the answer modules' docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["attribution", "citations", "refusal", "sanitize", "sentences"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(f"answer.{name}"))
    assert result.attempted > 0 and result.failed == 0
