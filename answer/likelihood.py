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

CTX = 1024  # tokens per scored text: a template, an article cut to `rerank_chars`, a question
QUESTION_TOKENS = 256  # of a long question, what is scored (max_question_chars 2000 is ~1,400 tokens)

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
                prefix = local_llm.chatml([user(render("rerank_likelihood.j2", article=text))]).encode(
                    "utf-8"
                )
                read = llama.tokenize(prefix, add_bos=False, special=True)
                out.append(_log_likelihood(llama, read[-room:], asked))
        return out


def _log_likelihood(llama, prefix: list[int], asked: list[int]) -> float:
    """Sum of log P(asked[i] | prefix + asked[:i]), reading prefix + asked in one decode."""
    import llama_cpp

    tokens = prefix + asked
    first = len(prefix) - 1  # the position whose logits predict asked[0]
    llama._ctx.kv_cache_seq_rm(-1, 0, -1)  # nothing kept: every text is read from its start
    llama.n_tokens = 0
    batch = llama._batch
    batch.set_batch(batch=tokens, n_past=0, logits_all=False)
    for i in range(len(tokens)):
        batch.batch.logits[i] = first <= i < len(tokens) - 1
    try:
        llama._ctx.decode(batch)
    except RuntimeError as e:  # llama.cpp: decode error
        raise LLMFailed(f"本地模型出错：{type(e).__name__}") from e
    n_vocab = llama.n_vocab()
    total = 0.0
    for j, token in enumerate(asked):
        row = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llama._ctx.ctx, first + j), (n_vocab,))
        top = float(row.max())
        total += float(row[token]) - top - float(np.log(np.exp(row - top).sum()))
    return total
