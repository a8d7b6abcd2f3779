"""The embedded default writer: Qwen2.5-Coder-1.5B-Instruct (GGUF) via llama-cpp-python.

One loaded model per process (loading maps 1.1 GB). llama.cpp keeps the KV
cache of the previous prompt and re-evaluates only what differs, so every
prompt starts with the same fixed system message: after `warm()` (or the first
question) that prefix costs nothing.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from answer.llm import LLMFailed, LLMUnavailable, Message
from answer.model_files import model_path, unavailable_reason

# Qwen2.5's ChatML turn markers (the model's own format, not prompt wording).
_TURN = "<|im_start|>{role}\n{content}<|im_end|>\n"
_ASSISTANT = "<|im_start|>assistant\n"
STOP = ["<|im_end|>", "<|endoftext|>", "<|im_start|>"]
REPEAT_PENALTY = 1.05  # the 1.5B model loops on long lists without a little penalty; more bends figures

log = logging.getLogger(__name__)
_MODELS: dict[tuple, object] = {}
_LOAD_LOCK = threading.Lock()
# One llama.cpp context serves one generation at a time, whichever Engine asks.
_GENERATE_LOCK = threading.Lock()


@atexit.register
def _close_models() -> None:
    """Free the models before interpreter teardown: Llama.__del__ run that late finds llama.cpp's
    bindings already gone and prints a TypeError traceback on every exit."""
    while _MODELS:
        _, llama = _MODELS.popitem()
        llama.close()


def _load(path, s):
    """The loaded model; a file llama.cpp cannot read is reported as damaged, with what to do."""
    from llama_cpp import Llama

    try:
        return Llama(
            model_path=str(path),
            n_ctx=s.llm_ctx,
            n_threads=s.llm_gen_threads,
            n_threads_batch=s.llm_threads,
            seed=0,
            verbose=False,
        )
    except (ValueError, RuntimeError, OSError) as e:  # llama.cpp: "Failed to load model from file"
        log.error("local model %s failed to load: %s: %s", path, type(e).__name__, e)
        raise LLMUnavailable(
            f"模型文件损坏或无法读取（{Path(path).name}，{_size(path)}）：请删除该文件后重启以重新拼接，"
            "或用 --llm-model-path 指定完好的 GGUF 文件"
        ) from None


def _size(path) -> str:
    try:
        return f"{Path(path).stat().st_size / 2**20:.0f} MB"
    except OSError:
        return "无法读取"


def chatml(messages: Sequence[Message]) -> str:
    """[{'role': 'user', 'content': '问'}] -> '<|im_start|>user\\n问<|im_end|>\\n<|im_start|>assistant\\n'"""
    return "".join(_TURN.format(**m) for m in messages) + _ASSISTANT


_GRAMMARS: dict[str, object] = {}


def _grammar(text: str):
    """A parsed llama.cpp grammar, kept: parsing costs ~10 ms and the same few recur."""
    if text not in _GRAMMARS:
        from llama_cpp import LlamaGrammar

        _GRAMMARS[text] = LlamaGrammar.from_string(text, verbose=False)
    return _GRAMMARS[text]


class LocalLLM:
    name = "local"

    def __init__(self, settings) -> None:
        self.settings = settings

    def check(self) -> None:
        """Raise LLMUnavailable (fast, nothing loaded) when the model cannot run here."""
        try:
            import llama_cpp  # noqa: F401
        except ImportError as e:
            raise LLMUnavailable("未安装 llama-cpp-python") from e
        reason = unavailable_reason(self.settings)
        if reason:
            raise LLMUnavailable(reason)

    def _llama(self):
        s = self.settings
        with _LOAD_LOCK:
            path = model_path(s)  # joins the parts on first use
            key = (str(path), s.llm_ctx, s.llm_threads, s.llm_gen_threads)
            if key not in _MODELS:
                _MODELS[key] = _load(path, s)
            return _MODELS[key]

    def warm(self, system_prompt: str) -> None:
        """Load the model and evaluate the fixed system prefix into the KV cache."""
        prefix = _TURN.format(role="system", content=system_prompt)
        with _GENERATE_LOCK:
            self._llama().create_completion(prefix, max_tokens=1, temperature=0.0)

    supports_grammar = True  # answer.lead constrains the output's shape with a GBNF grammar

    def stream(
        self, messages: Sequence[Message], max_tokens: int, grammar: str = "", stop=None
    ) -> Iterator[str]:
        """Pieces as the model writes them. `stop` (a threading.Event) set by a reader that gave up
        ends the generation at the next token, or before the prompt is read if it is set while this
        waits for the model."""
        self.check()
        llama = self._llama()
        with _GENERATE_LOCK:  # an abandoned generation (deadline) frees it at its next token
            if stop is not None and stop.is_set():  # abandoned while it waited: skip the prompt reading
                return
            try:
                chunks = llama.create_completion(
                    chatml(messages),
                    max_tokens=max_tokens,
                    temperature=self.settings.llm_temperature,
                    repeat_penalty=REPEAT_PENALTY,
                    stop=STOP,
                    stream=True,
                    grammar=_grammar(grammar) if grammar else None,
                )
                for chunk in chunks:
                    if stop is not None and stop.is_set():
                        chunks.close()
                        return
                    yield chunk["choices"][0]["text"]
            except (ValueError, RuntimeError) as e:  # llama.cpp: context overflow, decode error
                raise LLMFailed(f"本地模型出错：{type(e).__name__}") from e

    def count_tokens(self, messages: Sequence[Message]) -> int:
        """Prompt length in the model's tokens (the benchmark reports it next to time to first token)."""
        return len(self._llama().tokenize(chatml(messages).encode("utf-8")))

    def generate(self, messages: Sequence[Message], max_tokens: int) -> str:
        return "".join(self.stream(messages, max_tokens))
