"""Answers with verified citations: local LLM, any OpenAI-compatible API, or extraction.

from answer import Engine, Answer, Citation
engine = Engine(settings.load())
answer = engine.ask("首贷有什么支持政策？")
"""

from answer.engine import Engine
from answer.record import Answer, Citation

__all__ = ["Answer", "Citation", "Engine"]
