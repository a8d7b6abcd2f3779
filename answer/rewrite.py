"""Follow-ups ("那贴息有多少？") rewritten into standalone questions before retrieval.

Retrieval sees one question, not a conversation. A question is treated as a
follow-up only when it looks like one (starts with 那/还有…, leans on a
pronoun, ends in 呢, or is very short): a complete question is left alone even
mid-conversation. The LLM rewrites when there is one; otherwise a rule puts
the previous question's topic in front.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from answer import sentences as S
from answer.llm import LLM, system, user
from answer.prompts import render

_LEAD = re.compile(r"^(?:那么|那|还有|另外|此外|同时|再问一下|再问|那如果|如果是)[，,、\s]*")
_PRONOUN = re.compile(r"它|其|这个|这些|那个|那些|这一?条|该条|此条|该政策|该文件|上述|上面|前面|刚才")
_QUESTION_WORDS = re.compile(
    r"有什么|有哪些|是什么|是多少|有多少|多少|什么|哪些|如何|怎么样|怎么|怎样|吗|呢|请问|[？?。！!，,\s]"
)
SHORT_FOLLOW_UP = 6  # "贴息呢？" — too short to be a question on its own
TURNS_SHOWN = 4  # last two exchanges: enough to resolve "那" and "它", short for the 1.5B model
ANSWER_SHOWN = 150  # characters of each earlier answer given to the rewriter
MAX_REWRITE_CHARS = 200
TOPIC_CHARS = 40  # of the earlier question carried into a rule rewrite; enough for any real topic  # a longer "rewrite" is the model answering instead


def turns(history: Sequence) -> list[tuple[str, str]]:
    """(role, content) pairs from [(q, a), …] or Gradio-style [{'role', 'content'}, …]."""
    out: list[tuple[str, str]] = []
    for item in history:
        if isinstance(item, dict):
            out.append((str(item.get("role", "user")), _text(item.get("content"))))
        else:
            q, a = item
            out += [("user", str(q or "")), ("assistant", str(a or ""))]
    return [(r, c) for r, c in out if c]


def _text(content: object) -> str:
    """Gradio 6 messages may carry a list of parts: [{'type': 'text', 'text': '…'}]."""
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content or "")


def is_follow_up(question: str, history: Sequence) -> bool:
    if not any(r == "user" for r, _ in turns(history)):
        return False
    q = question.strip()
    return (
        bool(_LEAD.match(q) or _PRONOUN.search(q) or q.rstrip("？?").endswith("呢"))
        or len(q) <= SHORT_FOLLOW_UP
    )


def topic(question: str) -> str:
    """'首贷有什么支持政策？' -> '首贷支持政策'"""
    return _QUESTION_WORDS.sub("", question)


def rule_rewrite(question: str, history: Sequence) -> str:
    """'那贴息有多少？' after '首贷有什么支持政策？' -> '关于首贷支持政策，贴息有多少？'"""
    last = [c for r, c in turns(history) if r == "user"][-1]
    rest = _LEAD.sub("", question.strip())
    return f"关于{topic(last)[:TOPIC_CHARS]}，{rest}"


def llm_rewrite(question: str, history: Sequence, llm: LLM, system_prompt: str) -> str:
    """The writer's rewrite, or '' when its output is not a usable question."""
    shown = [(r, c[:ANSWER_SHOWN]) for r, c in turns(history)[-TURNS_SHOWN:]]
    prompt = render("rewrite_user.j2", turns=shown, question=question)
    out = llm.generate([system(system_prompt), user(prompt)], max_tokens=60)
    line = next((x.strip() for x in out.splitlines() if x.strip()), "")
    line = re.sub(r"^(?:改写后的问题|问题)[:：]\s*", "", line).strip("“”\"' ")
    ok = 2 <= len(line) <= MAX_REWRITE_CHARS and "[" not in line and "未找到" not in line
    return line if ok and _carries_history(line, question, history) else ""


def _carries_history(rewritten: str, question: str, history: Sequence) -> bool:
    """The rewrite took something from the conversation: else it did not resolve "那" / "它"."""
    earlier = S.terms(" ".join(c for r, c in turns(history) if r == "user"))
    return bool((S.terms(rewritten) & earlier) - S.terms(question))


def standalone(question: str, history: Sequence, llm: LLM | None, system_prompt: str) -> str:
    """The question retrieval should see."""
    if not is_follow_up(question, history):
        return question
    if llm is not None:
        try:
            return llm_rewrite(question, history, llm, system_prompt) or rule_rewrite(question, history)
        except Exception:  # a failing writer must not cost the user the answer; the rule still works
            return rule_rewrite(question, history)
    return rule_rewrite(question, history)
