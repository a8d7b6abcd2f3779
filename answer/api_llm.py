"""Any OpenAI-compatible endpoint (DeepSeek, Qwen/DashScope, vLLM, Ollama) via llama-index.

Configured by settings / env vars POLICYQA_API_BASE, POLICYQA_API_MODEL,
POLICYQA_API_KEY. The key goes to the HTTP client and nowhere else: not into
reprs, errors shown to users, or logs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from answer.llm import LLMFailed, LLMUnavailable, Message

NO_KEY = "not-needed"  # local vLLM/Ollama accept any key, but the OpenAI client insists on one
API_RETRIES = 0  # no hidden retries: a retry after a timeout doubled the wait (182 s with a hung API);
#   the answer's one deadline (answer/deadline.py) bounds the call, and extraction answers instead


class ApiLLM:
    name = "api"

    def __init__(self, settings) -> None:
        if not settings.api_base or not settings.api_model:
            raise LLMUnavailable("API 未配置：需要 POLICYQA_API_BASE 和 POLICYQA_API_MODEL")
        self.settings = settings
        self._client = None
        self._llm()  # import llama-index (seconds, cold) now, not inside the answer's deadline

    def __repr__(self) -> str:
        return f"ApiLLM(base={self.settings.api_base!r}, model={self.settings.api_model!r})"

    def _llm(self):
        if self._client is None:
            from llama_index.llms.openai_like import OpenAILike

            s = self.settings
            self._client = OpenAILike(
                model=s.api_model,
                api_base=s.api_base,
                api_key=s.api_key or NO_KEY,
                is_chat_model=True,
                context_window=s.llm_ctx,
                max_tokens=s.llm_max_tokens,
                temperature=s.llm_temperature,
                timeout=s.llm_timeout_s,  # per HTTP read; the whole answer is bounded by answer/deadline.py
                max_retries=API_RETRIES,
            )
        return self._client

    def stream(self, messages: Sequence[Message], max_tokens: int) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        chat = [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
        try:
            for r in self._llm().stream_chat(chat, max_tokens=max_tokens):
                if r.delta:
                    yield r.delta
        except Exception as e:  # any client/HTTP error: the message may echo headers, so show the type only
            raise LLMFailed(f"API 调用失败：{type(e).__name__}") from None

    def generate(self, messages: Sequence[Message], max_tokens: int) -> str:
        return "".join(self.stream(messages, max_tokens))
