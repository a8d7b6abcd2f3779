"""The answer stage: question -> standalone question -> evidence -> answer -> validated answer.

`Engine.stream()` yields text pieces as they are written, then the final
`Answer`; `ask()` returns only the `Answer`. The final record is authoritative:
after validation it may differ from the streamed text (invalid citations
removed, unverified figures marked, notes added, or a fallback to extraction).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from answer import citations as C
from answer import guard, rewrite
from answer.attribution import attribute, uncited
from answer.conflicts import find_conflicts
from answer.context import Block, build_blocks, not_in_force_note
from answer.deadline import Bounded, Waiting, slots_for
from answer.extractive import extract
from answer.llm import LLM, LLMFailed, LLMUnavailable, system, user
from answer.prompts import render
from answer.record import MODES, Answer, Citation
from answer.refusal import is_relevant, missing_detail, model_refused, refusal_text, uncovered_place
from answer.sanitize import EMPTY_MESSAGE, NO_WORDS_MESSAGE, ONLY_INSTRUCTIONS, clean_question, fence_text
from index.backend import SearchIndex, open_index
from ingest.record import Article

log = logging.getLogger(__name__)
EXACT_MAX = 2  # a reference that resolves to more articles than this is a document, not an article
FALLBACK = "{why}，已改用摘录模式"
MIN_ANSWER_CHARS = 6  # Chinese characters, markers aside: "[1] [2] [3]" is not an answer
_CJK = re.compile(r"[\u4e00-\u9fff]")
# "71号文第8条讲了什么": staff want the article's own words; a model's paraphrase only adds risk and time
_VERBATIM = re.compile(
    r"讲了什么|讲的是什么|说了什么|说的是什么|是什么内容|内容是什么|的内容|原文|全文|是关于什么"
)


class _Unusable(Exception):
    """The writer's text cannot be checked (no valid citation, or empty); str() says why, for the user."""


class _Declined(Exception):
    """The writer said the blocks do not answer, though retrieval found them relevant."""


DECLINED_WHY = "模型认为所给条文没有直接回答这个问题"
DECLINED_NOTE = "模型未能从条文中得出直接答案：以下为最相关条文的原文摘录，请核对是否适用，或咨询责任单位"


@dataclass
class _Turn:
    """What one question has gathered so far."""

    question: str
    mode: str
    started: float
    progress: bool = False  # yield Waiting(position, waited_s) while queued for the model
    setup_s: float = 0.0  # time spent creating the writer (first use: library import)
    standalone: str = ""
    fallback_reason: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    articles: list[Article]  # what the answer may use, best first
    exact: int  # how many of them the question named by reference
    related: list[Article]  # closest hits, shown with a refusal


class Engine:
    def __init__(self, settings, index=None, llm: LLM | None = None) -> None:
        self.settings = settings
        self._index = index
        self._llm = llm  # injected writer, used for the local and api modes
        self._writers: dict[str, LLM] = {}
        self.system_prompt = render("answer_system.txt")

    # --- public API -----------------------------------------------------------------
    def ask(self, question: str, history: Sequence = (), mode: str | None = None, filters=None) -> Answer:
        final = None
        for item in self.stream(question, history, mode, filters):
            final = item
        assert isinstance(final, Answer)
        return final

    def stream(
        self, question: str, history: Sequence = (), mode: str | None = None, filters=None, progress=False
    ) -> Iterator[str | Answer | Waiting]:
        """Text pieces, then the final Answer; with `progress`, also `Waiting` while queued for a model."""
        clean = clean_question(question, self.settings.max_question_chars)
        turn = _Turn(clean.text, self._mode(mode), time.monotonic(), progress, warnings=list(clean.warnings))
        if clean.empty:
            text = ONLY_INSTRUCTIONS if clean.only_instructions else EMPTY_MESSAGE
            text = NO_WORDS_MESSAGE if clean.no_words else text
            yield self._answer(turn, text=text, refused=True, mode="none")
            return
        made = time.monotonic()
        writer = self._writer(turn)
        turn.setup_s = time.monotonic() - made  # a cold client import: not charged to the deadline
        writer = self._bounded(writer, turn)
        streamed: list[str] = []  # what the writer showed while it wrote: vetted too
        turn.standalone = rewrite.standalone(turn.question, history, writer, self.system_prompt)
        evidence = self.evidence(turn.standalone, filters)
        place = uncovered_place(turn.standalone, self._regions())
        detail = missing_detail(turn.standalone, evidence.articles, self.settings.context_piece)
        if not evidence.articles or detail or place:
            related = evidence.articles or evidence.related
            answer = self._refusal(turn, related, detail=detail, place=place)
            yield answer.text
        elif writer is None or (evidence.exact and _VERBATIM.search(turn.standalone)):
            answer = self._extractive(turn, evidence)
            yield answer.text
        else:
            answer = yield from guard.recorded(self._generated(turn, evidence, writer), streamed)
        vetted = guard.vetted(answer, evidence.articles, self.settings.related_shown, "".join(streamed))
        if vetted is not answer:  # built from text planted for a model: the refusal replaces it
            yield "\n\n" + vetted.text
        yield vetted

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = open_index(self.settings, build=True)  # first run: build it, say so
        return self._index

    def use_index(self, index) -> None:
        """Answer from another index from now on (the app after a library change)."""
        self._index = index

    def warm(self, mode: str | None = None) -> None:
        """Load the local model and cache the system prompt, so the first question is fast."""
        writer = self._writer(_Turn("", self._mode(mode), time.monotonic()))
        if writer is not None and hasattr(writer, "warm"):
            writer.warm(self.system_prompt)

    # --- steps ------------------------------------------------------------------------
    def _mode(self, mode: str | None) -> str:
        mode = mode or self.settings.answer_mode
        if mode not in MODES:
            raise ValueError(f"unknown answer mode {mode!r}; one of {', '.join(MODES)}")
        return mode

    def _writer(self, turn: _Turn) -> LLM | None:
        """The LLM for the turn's mode, or None (extractive, or unavailable: reason noted)."""
        if turn.mode == "extractive":
            return None
        if self._llm is not None:
            return self._llm
        try:
            if turn.mode not in self._writers:
                self._writers[turn.mode] = _make_writer(turn.mode, self.settings)
            return self._writers[turn.mode]
        except LLMUnavailable as e:
            who = "本地模型未就绪" if turn.mode == "local" else "API 不可用"
            turn.fallback_reason = FALLBACK.format(why=f"{who}（{e}）")
            return None

    def _bounded(self, writer: LLM | None, turn: _Turn) -> LLM | None:
        """The writer under the answer's one deadline, queued for its model's slots."""
        if writer is None:
            return None
        s = self.settings
        limit = s.api_concurrency if writer.name == "api" else s.model_concurrency
        slots = slots_for(writer.name, limit, s.queue_max)
        deadline = turn.started + turn.setup_s + s.llm_timeout_s  # retrieval, queue, model: all inside
        return Bounded(writer, deadline, slots, s.llm_timeout_s)

    def evidence(self, question: str, filters=None) -> Evidence:
        """What the answer may use: the articles the question names, else the relevant hits.

        Which articles the question names is the index's decision (`Hit.named`, made
        once in `index.fusion.named_first`, within the filters), read here, not re-made.
        """
        s = self.settings
        hits = self.index.search(question, k=s.top_k, filters=filters)
        named = [h.article for h in hits if h.named]
        related = _unique([h.article for h in hits])[: s.related_shown]
        if 0 < len(named) <= EXACT_MAX:  # "71号文第8条讲了什么": that article, not its neighbours
            return Evidence(named, len(named), related)
        relevant = [h.article for h in hits if is_relevant(h, s)]  # named ones come first in `hits`
        return Evidence(_unique(relevant)[: s.answer_articles], 0, related)

    def messages(self, question: str, ev: Evidence) -> tuple[list[Block], list[dict[str, str]]]:
        """The context blocks and the chat messages the writer gets for a question."""
        s = self.settings
        blocks = build_blocks(ev.articles, question, s.context_chars, exact=ev.exact, piece=s.context_piece)
        prompt = render("answer_user.j2", blocks=blocks, question=fence_text(question))
        return blocks, [system(self.system_prompt), user(prompt)]

    def _generated(self, turn: _Turn, ev: Evidence, writer: LLM) -> Iterator[str]:
        """Stream the writer's text, then what validation added; return the final Answer."""
        s = self.settings
        blocks, messages = self.messages(turn.standalone, ev)
        pieces: list[str] = []
        try:
            for piece in writer.stream(messages, s.llm_max_tokens):
                if isinstance(piece, Waiting):
                    if turn.progress:
                        yield piece
                    continue
                pieces.append(piece)
                yield piece
            answer = self._validated(turn, blocks, "".join(pieces))
        except _Declined:
            answer = self._declined(turn, ev)
        except (LLMFailed, LLMUnavailable, _Unusable) as e:
            answer = self._fallback(turn, ev, str(e), streamed=bool(pieces))
        except Exception as e:  # the engine never crashes on a writer's bug
            log.exception("writer failed")
            answer = self._fallback(turn, ev, f"模型出错：{type(e).__name__}", streamed=bool(pieces))
        yield _tail(answer, "".join(pieces))
        return answer

    def _validated(self, turn: _Turn, blocks: list[Block], raw: str) -> Answer:
        """The writer's text checked against the blocks; _Unusable when it cannot be checked."""
        text, invalid = C.normalize_markers(raw.strip(), len(blocks))
        if model_refused(text):
            if self.settings.model_refusal == "extract":
                raise _Declined
            return self._refusal(turn, [b.article for b in blocks], invalid=invalid)
        text, misplaced = attribute(text, blocks)
        if len(_CJK.findall(C.ONE_MARK.sub("", text))) < MIN_ANSWER_CHARS:
            raise _Unusable("模型回答没有实际内容" if raw.strip() else "模型没有输出")
        if not C.cited(text):
            raise _Unusable("模型回答没有可核对的引用")
        flags = C.check_figures(text, blocks) + uncited(text)
        text = C.mark_unsupported(text, flags)
        conflicts = find_conflicts(blocks, turn.standalone)
        return self._finish(
            turn, text, blocks, conflicts, invalid_citations=invalid + misplaced, unsupported=tuple(flags)
        )

    def _finish(self, turn: _Turn, text: str, blocks: list[Block], conflicts, **more) -> Answer:
        """Add conflict and draft notes; keep the blocks the final text cites."""
        drafts = [b for b in blocks if b.n in C.cited(text) and b.article.doc.is_draft]
        cited = C.cited(text)
        stale = [
            b
            for b in blocks
            if b.n in cited and not b.article.doc.is_draft and not_in_force_note(b.article.doc)
        ]
        notes = render(
            "answer_notes.j2", conflicts=conflicts, drafts=_by_document(drafts), stale=_stale(stale)
        )
        if notes:
            text = f"{text}\n\n{notes}"
        used = set(C.cited(text))
        cites = tuple(Citation(b.n, b.article, b.sentences) for b in blocks if b.n in used)
        warnings = [f"[{b.n}] 为征求意见稿，尚未正式生效" for b in drafts]
        warnings += [f"[{b.n}] {not_in_force_note(b.article.doc)}" for b in stale]
        turn.warnings += warnings
        return self._answer(
            turn, text=text, refused=False, citations=cites, conflicts=tuple(conflicts), **more
        )

    def _extractive(self, turn: _Turn, ev: Evidence) -> Answer:
        text, blocks = extract(ev.articles, turn.standalone, self.settings, exact=ev.exact)
        conflicts = find_conflicts(blocks, turn.standalone)
        return self._finish(turn, text, blocks, conflicts, mode="extractive")

    def _fallback(self, turn: _Turn, ev: Evidence, why: str, streamed: bool) -> Answer:
        log.warning("%s answer fell back to extraction: %s", turn.mode, why)
        turn.fallback_reason = FALLBACK.format(why=why)
        answer = self._extractive(turn, ev)
        if streamed:  # the streamed text is void; say so before the replacement arrives
            turn.warnings.append("上面流式输出的模型文字未通过核对，以下为摘录答案")
        return replace(answer, warnings=tuple(turn.warnings))

    def _declined(self, turn: _Turn, ev: Evidence) -> Answer:
        """The model found no direct answer in articles the gates judged relevant: show their words.

        Saying 现有政策文件中未找到 here would be a claim about the documents that retrieval
        contradicts; verbatim sentences, labelled as such, let the reader judge.
        """
        turn.fallback_reason = FALLBACK.format(why=DECLINED_WHY)
        turn.warnings.append(DECLINED_NOTE)
        return self._extractive(turn, ev)

    def _regions(self) -> tuple[str, ...]:
        """The regions the documents cover (苏州市, 江苏省 …); '' for a document whose region is unknown."""
        return tuple(sorted({d.region for d in self.index.documents()}))

    def _refusal(
        self, turn: _Turn, related: list[Article], invalid: int = 0, detail: str = "", place: str = ""
    ) -> Answer:
        related = related[: self.settings.related_shown]
        text = refusal_text(turn.question, related, detail, place, self._regions())
        return self._answer(
            turn, text=text, refused=True, possibly_related=tuple(related), invalid_citations=invalid
        )

    def _answer(self, turn: _Turn, **fields) -> Answer:
        fields.setdefault("mode", turn.mode if not turn.fallback_reason else "extractive")
        fields.setdefault("fallback_reason", turn.fallback_reason)
        return Answer(
            question=turn.question,
            standalone_question=turn.standalone or turn.question,
            latency_ms=int((time.monotonic() - turn.started) * 1000),
            warnings=tuple(turn.warnings),
            **fields,
        )


def _make_writer(mode: str, settings) -> LLM:
    if mode == "api":
        from answer.api_llm import ApiLLM

        return ApiLLM(settings)
    from answer.local_llm import LocalLLM

    llm = LocalLLM(settings)
    llm.check()
    return llm


def _tail(answer: Answer, streamed: str) -> str:
    """What to stream after the writer's own text so a live view ends close to `answer.text`."""
    if answer.text.startswith(streamed):
        return answer.text[len(streamed) :]
    if answer.fallback_reason or answer.refused:
        return "\n\n" + answer.text
    at = answer.text.find("\n\n注")  # conflict / draft notes appended after the writer's text
    return answer.text[at:] if at >= 0 else ""


def _stale(blocks: list[Block]) -> list[tuple[str, str, str]]:
    """[(markers, 《title》（version）, status)] per document not in force today."""
    out: dict[str, tuple[str, str, str]] = {}
    for b in blocks:
        d = b.article.doc
        marks, name, status = out.get(d.doc_id, ("", d.cite_name, not_in_force_note(d)))
        out[d.doc_id] = (marks + f"[{b.n}]", name, status)
    return list(out.values())


def _by_document(blocks: list[Block]) -> list[tuple[str, str]]:
    """[(markers, title)] per document: [1][2] from one draft get one note."""
    out: dict[str, tuple[str, str]] = {}
    for b in blocks:
        marks, title = out.get(b.article.doc.doc_id, ("", b.article.doc.title))
        out[b.article.doc.doc_id] = (marks + f"[{b.n}]", title)
    return list(out.values())


def _unique(articles: list[Article]) -> list[Article]:
    seen: dict[str, Article] = {}
    for a in articles:
        seen.setdefault(a.chunk_id, a)
    return list(seen.values())
