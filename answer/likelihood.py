"""How readily the local model writes the question after reading an article: log P(question | article).

A reranker that reads question and article together, built from the writer's own model: no
instruction to follow, no number to pick (the 1.5B model asked "which is best" answered `2` for most,
README "Methods tried"), only the probability it gives the asker's words after the article, the
unsupervised passage reranking of Sachan et al. 2022 ("Improving Passage Retrieval with Zero-Shot
Question Generation"). Every candidate is scored against the same question, so the sums compare.

It runs on its own llama.cpp context (the model file is mapped once by the OS, so the weights are
shared), which keeps the writer's cached system prefix intact, and asks llama.cpp for the logits of
the question's positions only (llama-cpp-python's batch internals, pinned at 0.3.36 in requirements).
Cost is the tokens read: about (template + article + question), ~130 tokens, per candidate at ~70
tokens/s on 2 cores, measured the same for one long text or several short ones. Nothing is generated,
so text planted in a question or an article can only change a score, never what is shown.

Most of a reading is the prompt (template + article), the same for every question: its state is
saved once (`answer.reading_states`, `rerank_states_gb`; `python -m answer.prefill` saves every
article's ahead of time), and a later reading restores it and reads only what differs and the
question, ~0.3 s instead of ~1 s on 2 cores.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Sequence

import numpy as np

from answer import local_llm
from answer.llm import LLMFailed, LLMUnavailable, user
from answer.model_files import model_path
from answer.prompts import render
from answer.reading_states import ReadingStates, shared, state_key

CTX = 1024  # tokens per scored text: a template, an article cut to `rerank_chars`, a question
QUESTION_TOKENS = 256  # of a long question, what is scored (max_question_chars 2000 is ~1,400 tokens)
MIN_SHARED = 16  # tokens a saved state must share with a prompt to be worth restoring

_SCORERS: dict[tuple, object] = {}
_LOCK = threading.Lock()


@atexit.register
def _close() -> None:
    """Free the contexts before interpreter teardown (as `answer.local_llm` does for the writer)."""
    while _SCORERS:
        _SCORERS.popitem()[1].close()


class Likelihood:
    """log P(question | article) for each article text, under the local model."""

    def __init__(self, settings) -> None:
        self.settings = settings
        gb = settings.rerank_states_gb
        self.states = ReadingStates(settings.path("rerank_states"), int(gb * 2**30)) if gb > 0 else None
        self._tag: tuple[str, str] | None = None

    def _llama(self):
        s = self.settings
        with _LOCK:
            path = model_path(s)
            key = (str(path), s.llm_threads)
            if key not in _SCORERS:
                try:
                    from llama_cpp import Llama
                except ImportError as e:
                    raise LLMUnavailable("未安装 llama-cpp-python") from e
                _SCORERS[key] = Llama(
                    model_path=str(path),
                    n_ctx=CTX,
                    n_batch=CTX,
                    n_ubatch=CTX,
                    n_threads=s.llm_threads,
                    n_threads_batch=s.llm_threads,
                    seed=0,
                    verbose=False,
                )
            return _SCORERS[key]

    def warm(self) -> None:
        """Create the scoring context now, so the first question does not wait for it."""
        self._llama()

    def scores(self, texts: Sequence[str], question: str) -> list[float]:
        """One log-probability (nats, summed over the question's tokens) per article text."""
        llama = self._llama()
        # a pasted page is scored on its start: every text is scored on the same tokens, so they compare
        asked = llama.tokenize(question.encode("utf-8"), add_bos=False, special=False)[:QUESTION_TOKENS]
        if not asked:
            return [0.0] * len(texts)
        room = CTX - len(asked) - 1  # for the template and the article: its end is kept if it must be cut
        out = []
        with local_llm._GENERATE_LOCK:  # one model run at a time on the 2 cores
            for text in texts:
                prompt = self._prompt(llama, text)[-room:]
                out.append(_log_likelihood(llama, prompt, asked, self._restored(llama, text, prompt)))
        return out

    def prefill(self, texts: Sequence[str]) -> int:
        """Read and save the prompt of each text not saved yet (`python -m answer.prefill`); how many."""
        if self.states is None:
            return 0
        llama = self._llama()
        done = 0
        for text in texts:
            key = self._key(text)
            if self.states.full():
                break
            if self.states.has(key):
                continue
            with local_llm._GENERATE_LOCK:  # between texts a question may take the cores
                prompt = self._prompt(llama, text)[-(CTX - QUESTION_TOKENS - 1) :]
                if len(prompt) >= 2:
                    self._save(llama, key, prompt[:-1])
                    done += 1
        return done

    def _prompt(self, llama, text: str) -> list[int]:
        prefix = local_llm.chatml([user(render("rerank_likelihood.j2", article=text))]).encode("utf-8")
        return llama.tokenize(prefix, add_bos=False, special=True)

    def _key(self, text: str) -> str:
        if self._tag is None:
            path = model_path(self.settings)
            wrapper = local_llm.chatml([user(render("rerank_likelihood.j2", article=""))])
            self._tag = (f"{path.name}:{path.stat().st_size}", wrapper)
        # the head a reading starts with (answer.rerank.reading keeps it for a long article too)
        chars = self.settings.rerank_chars
        return state_key(*self._tag, str(chars), text[: chars // 2])

    def _restored(self, llama, text: str, prompt: list[int]) -> int:
        """How many leading tokens of `prompt` are in the context now: restored from a saved state,
        else read now and saved (0 when nothing is saved: `_log_likelihood` reads it all)."""
        if self.states is None or len(prompt) < 2:
            return 0
        key = self._key(text)
        saved = self.states.get(key)
        if saved is not None:
            tokens, state = saved
            n = shared(tokens, prompt[:-1])
            if n >= MIN_SHARED and _set_state(llama, state):
                _forget_from(llama, n)
                return n
        self._save(llama, key, prompt[:-1])
        return len(prompt) - 1

    def _save(self, llama, key: str, tokens: list[int]) -> None:
        """Read `tokens` into an empty context and save its state under `key`."""
        _read(llama, tokens)
        state = _get_state(llama)
        if state:
            self.states.put(key, tokens, state)


def _forget_from(llama, n: int) -> None:
    llama._ctx.kv_cache_seq_rm(-1, n, -1)


def _read(llama, tokens: list[int]) -> None:
    """Read `tokens` from the start of an empty context, no logits kept."""
    _forget_from(llama, 0)
    batch = llama._batch
    batch.set_batch(batch=tokens, n_past=0, logits_all=False)
    batch.batch.logits[len(tokens) - 1] = False
    _decode(llama, batch)


def _get_state(llama) -> bytes:
    import ctypes

    import llama_cpp

    size = llama_cpp.llama_state_seq_get_size(llama._ctx.ctx, 0)
    buf = (ctypes.c_uint8 * size)()
    got = llama_cpp.llama_state_seq_get_data(llama._ctx.ctx, buf, size, 0)
    return ctypes.string_at(buf, got) if got else b""


def _set_state(llama, state: bytes) -> bool:
    import ctypes

    import llama_cpp

    _forget_from(llama, 0)
    buf = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
    if llama_cpp.llama_state_seq_set_data(llama._ctx.ctx, buf, len(state), 0):
        return True
    _forget_from(llama, 0)  # a state from another build: read cold
    return False


def _decode(llama, batch) -> None:
    try:
        llama._ctx.decode(batch)
    except RuntimeError as e:  # llama.cpp: decode error
        raise LLMFailed(f"本地模型出错：{type(e).__name__}") from e


def _log_likelihood(llama, prefix: list[int], asked: list[int], start: int = 0) -> float:
    """Sum of log P(asked[i] | prefix + asked[:i]), reading prefix + asked in one decode; the first
    `start` tokens of `prefix` are in the context already (`Likelihood._restored`)."""
    import llama_cpp

    tokens = prefix + asked
    first = len(prefix) - 1  # the position whose logits predict asked[0]
    if start == 0:
        _forget_from(llama, 0)  # nothing kept: the text is read from its start
    llama.n_tokens = 0
    batch = llama._batch
    batch.set_batch(batch=tokens[start:], n_past=start, logits_all=False)
    for i in range(len(tokens) - start):
        batch.batch.logits[i] = first <= start + i < len(tokens) - 1
    _decode(llama, batch)
    n_vocab = llama.n_vocab()
    total = 0.0
    for j, token in enumerate(asked):
        row = np.ctypeslib.as_array(
            llama_cpp.llama_get_logits_ith(llama._ctx.ctx, first + j - start), (n_vocab,)
        )
        top = float(row.max())
        total += float(row[token]) - top - float(np.log(np.exp(row - top).sum()))
    return total
