"""The answer stage: question -> standalone question -> evidence -> answer -> validated answer.

`Engine.stream()` yields text pieces as they are written, then the final
`Answer`; `ask()` returns only the `Answer`. The final record is authoritative:
after validation it may differ from the streamed text (invalid citations
removed, unverified figures marked, notes added, or a fallback to extraction).
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from answer import citations as C
from answer import guard, rewrite
from answer import lead as L
from answer import sentences as S
from answer.attribution import attribute, uncited
from answer.conflicts import find_conflicts
from answer.context import Block, build_blocks, not_in_force_note, status_note
from answer.deadline import Bounded, Waiting, slots_for
from answer.extractive import extract
from answer.likelihood import Likelihood
from answer.llm import LLM, LLMFailed, LLMUnavailable, system, user
from answer.next_step import asks_contact, next_step
from answer.prompts import render
from answer.record import MODES, Answer, Citation, Unsupported
from answer.refusal import (
    Delegation,
    delegated,
    details_asked,
    is_relevant,
    missing_detail,
    model_refused,
    off_topic,
    refusal_text,
    uncovered_place,
)
from answer.rerank import promoted_by, to_front
from answer.sanitize import EMPTY_MESSAGE, NO_WORDS_MESSAGE, ONLY_INSTRUCTIONS, clean_question, fence_text
from index.backend import SearchIndex, open_index
from ingest.authorities import acting_bodies
from ingest.record import Article

log = logging.getLogger(__name__)
WRITERS = (
    "lead",
    "free",
)  # answer/lead.py: one checked lead over verbatim quotes; free: the model writes all
# A bank's own staff rules (尽职免责, 不良容忍度, 考核; tagged at ingest) share words with what a company asks
# ("首贷", "贷款") but offer it nothing: they follow the articles a company can use, unless the question is
# about those rules themselves.
INTERNAL_TAG = "topic:机构内部管理"
_ABOUT_INSTITUTIONS = re.compile(
    r"尽职免责|免责|追责|问责|容忍度|不良|考核|激励机制|风控|审批|授信|"
    r"银行(?:机构)?(?:要|应|怎么|如何|给|对|在)|我们是.{0,4}(?:银行|金融机构|保险|担保|基金|投资机构)"
)
EXACT_MAX = 2  # a reference that resolves to more articles than this is a document, not an article
FALLBACK = "{why}，已改用摘录模式"
MIN_ANSWER_CHARS = 6  # Chinese characters, markers aside: "[1] [2] [3]" is not an answer
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # ui.format.plain's backslash before punctuation
# "71号文第8条讲了什么": staff want the article's own words; a model's paraphrase only adds risk and time
_VERBATIM = re.compile(
    r"讲了什么|讲的是什么|说了什么|说的是什么|是什么内容|内容是什么|的内容|原文|全文|是关于什么"
)


class _Unusable(Exception):
    """The writer's text cannot be checked (no valid citation, or empty); str() says why, for the user."""


class _Declined(Exception):
    """The writer said the blocks do not answer, though retrieval found them relevant."""


DECLINED_WHY = "模型认为所给条文没有直接回答这个问题"
LEAD_DROPPED = "模型写的结论未通过核对（{why}），已省略"
LEAD_PREFIX = "答："
HEARTBEAT = ""  # yielded while the model works unseen: consumers that join pieces are unaffected,
#   a UI can refresh its elapsed-time status
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
    def __init__(self, settings, index=None, llm: LLM | None = None, scorer=None) -> None:
        self.settings = settings
        self._index = index
        self._llm = llm  # injected writer, used for the local and api modes
        self._writers: dict[str, LLM] = {}
        self._scorer = scorer  # log P(question | article) for the local-mode rerank; None = the local model
        if settings.writer not in WRITERS:
            raise ValueError(f"unknown writer {settings.writer!r}; one of {', '.join(WRITERS)}")
        self.system_prompt = render("answer_system.txt")
        self.lead_prompt = render("lead_system.txt")

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
        rewriter = writer if self.settings.llm_rewrite else None
        turn.standalone = rewrite.standalone(turn.question, history, rewriter, self.system_prompt)
        contact = asks_contact(turn.question)
        evidence = self.evidence(turn.standalone, filters)
        if contact and rewrite.is_follow_up(turn.question, history):  # "那找谁申请？": the previous sources
            evidence = self._previous_sources(history, filters) or evidence
        place = uncovered_place(turn.standalone, self._regions())
        detail = (  # an article named by number is quoted whatever it holds: the user asked for it
            ""
            if contact or evidence.exact
            else missing_detail(
                turn.standalone,
                evidence.articles[: self.settings.detail_articles],
                self.settings.context_piece,
            )
        )
        # a figure the documents leave to others (最低工资的具体标准由…规定): their silence, and who sets it
        delegation = (
            delegated(
                turn.standalone,
                evidence.articles[: self.settings.detail_articles],
                self.settings.context_piece,
            )
            if evidence.articles and not (contact or evidence.exact or detail or place)
            else None
        )
        if delegation:
            detail = next((kind for kind, _ in details_asked(turn.standalone)), "")
        if not evidence.articles or detail or place or delegation:
            related = evidence.articles or evidence.related
            answer = self._refusal(turn, related, detail=detail, place=place, delegation=delegation)
            yield answer.text
        elif contact:
            answer = self._contact(turn, evidence)
            yield answer.text
        elif writer is None or (evidence.exact and _VERBATIM.search(turn.standalone)):
            answer = self._extractive(turn, evidence)
            yield answer.text
        elif self.settings.writer == "lead":
            answer = yield from guard.recorded(self._led(turn, evidence, writer), streamed)
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
            writer.warm(self.lead_prompt if self.settings.writer == "lead" else self.system_prompt)
        if writer is not None and writer.name == "local" and self.settings.rerank_depth > 1:
            getattr(self.scorer(), "warm", lambda: None)()  # the rerank's own llama.cpp context

    def prefill_readings(self) -> int:
        """Save the rerank's reading of every indexed article not saved yet (answer/likelihood.py:
        `prefill`; the app runs it in the background after warming); how many were read."""
        from answer.rerank import heads

        scorer = self.scorer()
        if not hasattr(scorer, "prefill") or self.settings.rerank_depth < 2:
            return 0
        return scorer.prefill(heads(self.index.articles(), self.settings.rerank_chars))

    def scorer(self):
        """What the local-mode rerank asks for log P(question | article): the local model unless injected."""
        if self._scorer is None:
            self._scorer = Likelihood(self.settings)
        return self._scorer

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
        if off_topic(hits, s, question, self.index.documents()):  # chatter: nothing is "possibly related"
            return Evidence([], 0, [])
        relevant = [h.article for h in hits if is_relevant(h, s)]  # named ones come first in `hits`
        chosen = _unique(relevant)[: s.answer_articles]
        if not _ABOUT_INSTITUTIONS.search(question):  # same articles, a company's first
            chosen.sort(key=lambda a: INTERNAL_TAG in a.tags)
        return Evidence(chosen, 0, related)

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
            return self._refusal(turn, [b.article for b in blocks], invalid=invalid, mode=turn.mode)
        text, misplaced = attribute(text, blocks)
        if len(_CJK.findall(C.ONE_MARK.sub("", text))) < MIN_ANSWER_CHARS:
            raise _Unusable("模型回答没有实际内容" if raw.strip() else "模型没有输出")
        if not C.cited(text):
            raise _Unusable("模型回答没有可核对的引用")
        flags = C.check_figures(text, blocks) + uncited(text)
        text = C.drop_unsupported(text, flags)  # never shown, not even marked: the quotes say it right
        if not C.cited(text) or len(_CJK.findall(C.ONE_MARK.sub("", text))) < MIN_ANSWER_CHARS:
            raise _Unusable("模型回答的句子均未通过核对")
        conflicts = find_conflicts(blocks, turn.standalone)
        return self._finish(
            turn, text, blocks, conflicts, invalid_citations=invalid + misplaced, dropped=tuple(flags)
        )

    def _led(self, turn: _Turn, ev: Evidence, writer: LLM) -> Iterator[str]:
        """Quotes at once; then the model reads the first articles with the question (`answer.rerank`)
        and the quotes are re-made in its order; then its one-sentence lead on top, if it passes
        `lead.check`. What was streamed first is replaced by the record's text."""
        closest = self._closest(turn, ev)
        quotes, blocks = extract(ev.articles, turn.standalone, self.settings, exact=ev.exact, closest=closest)
        yield quotes
        ranked = yield from self._reranked(turn, ev, writer, closest)
        if ranked != ev.articles:
            ev = replace(ev, articles=ranked)
            quotes, blocks = extract(ranked, turn.standalone, self.settings, exact=ev.exact, closest=closest)
        dropped: tuple[Unsupported, ...] = ()
        try:
            lead, dropped = yield from self._lead(turn, blocks, writer, named=bool(ev.exact))
        except (LLMFailed, LLMUnavailable) as e:
            lead, turn.fallback_reason = "", FALLBACK.format(why=str(e))
        except Exception as e:  # the engine never crashes on a writer's bug: the quotes stand
            lead, turn.fallback_reason = "", FALLBACK.format(why=f"模型出错：{type(e).__name__}")
        text = f"{LEAD_PREFIX}{lead}\n\n{quotes}" if lead else quotes
        conflicts = find_conflicts(blocks, turn.standalone)
        mode = turn.mode if lead else "extractive"
        answer = self._finish(turn, text, blocks, conflicts, mode=mode, dropped=dropped)
        yield answer.text[len(text) :]  # the notes and next step; the lead's place is the record's
        return answer

    def _reranked(self, turn: _Turn, ev: Evidence, writer: LLM, closest: dict[str, str]):
        """The evidence articles, the first `rerank_depth` in the local model's order; as they were for
        another writer, or when the question named its articles by number. It waits for the model's slot
        in the same queue as the lead (positions or heartbeats yielded meanwhile)."""
        s = self.settings
        if writer.name != "local" or ev.exact or s.rerank_depth < 2:
            return ev.articles
        slots = getattr(writer, "slots", None)  # Bounded: the model's queue and the answer's deadline
        try:
            if slots is not None:
                for waiting in slots.acquire(writer.deadline, "本地模型"):
                    yield waiting if turn.progress else HEARTBEAT
        except LLMFailed as e:  # queue full, or the turn would not come in time: the index's order stands
            log.warning("rerank skipped: %s", e)
            return ev.articles
        try:
            scorer = self.scorer()
            pick = promoted_by(s, ev.articles, turn.standalone, scorer, closest)
            return to_front(ev.articles, pick)
        except Exception:  # the engine never crashes on the model's bug: the index's order stands
            log.exception("rerank failed")
            return ev.articles
        finally:
            if slots is not None:
                slots.release()  # held_s not counted: the queue's wait estimate is the lead's

    def _lead(self, turn: _Turn, blocks: list[Block], writer: LLM, named: bool = False):
        """(lead sentence with its [n], dropped leads); heartbeats while the model writes."""
        s = self.settings
        numbered = L.numbered(blocks, turn.standalone, s.lead_context_chars)
        messages = [system(self.lead_prompt), user(L.prompt(numbered, turn.standalone))]
        local = getattr(writer, "supports_grammar", False)  # llama.cpp: grammar (the stop signal: Bounded)
        extra = {"grammar": L.grammar_text(len(numbered))} if local else {}
        raw: list[str] = []
        # the local model's budget keeps the whole answer within the latency target, queue and prompt
        # reading included; an API's network and client start-up get the answer's ordinary deadline
        seconds = s.lead_timeout_s if turn.mode == "local" else None
        for piece in writer.stream(messages, s.lead_max_tokens, seconds=seconds, **extra):
            if isinstance(piece, Waiting):
                yield piece if turn.progress else HEARTBEAT
                continue
            raw.append(piece)
            yield HEARTBEAT
        parsed = L.parse("".join(raw), len(numbered))
        if parsed is None:
            turn.fallback_reason = LEAD_DROPPED.format(why="格式不符")
            return "", ()
        text = L.without_echo(parsed.text, turn.standalone)
        # the sentence it cites first, then the others it said answer (依据): a lead whose figure sits in
        # a sentence it picked but did not cite is cited there, under the same check
        order = dict.fromkeys((parsed.k, *parsed.picked))
        if not text:
            checked = [(numbered[k - 1], "结论只复述了问题") for k in order]
        else:
            checked = [(numbered[k - 1], self._checked(text, numbered[k - 1], turn, named)) for k in order]
        source = next((n for n, why in checked if not why), None)
        if source is None and text and L.gives_figures(text):
            # a figure cited at the wrong number: the sentence among those it read that says it, same check
            others = (n for n in numbered if n.k not in order)
            source = next((n for n in others if not self._checked(text, n, turn, named)), None)
        if source is None:
            why = checked[0][1]
            repaired = self._restated(parsed.text, checked, turn, named) if s.lead_restate else None
            if repaired is None:
                turn.fallback_reason = LEAD_DROPPED.format(why=why)
                return "", (Unsupported(parsed.text, (why,)),)
            text, source = repaired
            dropped = (Unsupported(parsed.text, (L.RESTATED.format(why=why),)),)
        else:
            dropped = ()
        # the lead is what is read first: one resting on a draft or a superseded text says so there
        note = status_note(source.block.article.doc)
        return f"{text}[{source.block.n}]" + (f"（{note}）" if note else "") + "。", dropped

    def _restated(self, lead: str, checked: list, turn: _Turn, named: bool) -> tuple[str, L.Numbered] | None:
        """What the rejected `lead` meant, in the words of a sentence it cited whose objection was to its
        wording (`lead.restatable`), under the same check; None when no such restatement passes."""
        return next(
            (
                (again, n)
                for n, objection in checked
                if L.restatable(objection, turn.standalone)
                for again in L.in_source_words(lead, n.text)
                if not self._checked(again, n, turn, named)
            ),
            None,
        )

    @staticmethod
    def _checked(text: str, n: L.Numbered, turn: _Turn, named: bool) -> str:
        doc = n.block.article.doc
        document = (doc.title, doc.region, *doc.issuers)
        return L.check(text, n.text, turn.standalone, named, n.block.article.text, document)

    def _previous_sources(self, history: Sequence, filters) -> Evidence | None:
        """The articles the previous answer cited: found by their labels in its text, else the
        evidence of the previous question (what that answer was built from)."""
        said = rewrite.turns(history)
        last = next((c for r, c in reversed(said) if r == "assistant"), "")
        last = html.unescape(_MD_ESCAPE.sub(r"\1", last))  # as the chat shows it: escaped Markdown, entities
        asked = next((c for r, c in reversed(said) if r == "user"), "")
        found = [a for a in self.index.articles(filters) if a.label in last] if last else []
        if found:
            found.sort(key=lambda a: last.index(a.label))
            return Evidence(found, 0, found)
        return self.evidence(asked, filters) if asked else None

    def _contact(self, turn: _Turn, ev: Evidence) -> Answer:
        """Whom to ask: the units the evidence names, each cited; the issuer when none is named."""
        articles = ev.articles[: self.settings.related_shown]
        blocks = [Block(i, a, _naming(a)) for i, a in enumerate(articles, 1)]
        text = render("contact.j2", blocks=blocks, step=next_step(articles, [b.n for b in blocks]))
        return self._finish(turn, text, blocks, [], mode="extractive", step=False)

    def _finish(
        self, turn: _Turn, text: str, blocks: list[Block], conflicts, step: bool = True, **more
    ) -> Answer:
        """Add conflict and draft notes and the next step (whom to ask); keep the blocks the text cites."""
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
        shown = [b for b in blocks if b.n in used]
        after = next_step([b.article for b in shown], [b.n for b in shown], drafts=False) if step else ""
        if after:
            text = f"{text}\n\n{after}"
        cites = tuple(Citation(b.n, b.article, b.sentences) for b in blocks if b.n in used)
        warnings = [f"[{b.n}] 为征求意见稿，尚未正式生效" for b in drafts]
        warnings += [f"[{b.n}] {not_in_force_note(b.article.doc)}" for b in stale]
        turn.warnings += warnings
        return self._answer(
            turn, text=text, refused=False, citations=cites, conflicts=tuple(conflicts), **more
        )

    def _extractive(self, turn: _Turn, ev: Evidence) -> Answer:
        text, blocks = extract(
            ev.articles, turn.standalone, self.settings, exact=ev.exact, closest=self._closest(turn, ev)
        )
        conflicts = find_conflicts(blocks, turn.standalone)
        return self._finish(turn, text, blocks, conflicts, mode="extractive")

    def _closest(self, turn: _Turn, ev: Evidence) -> dict[str, str]:
        """Each evidence article's sentence closest in meaning to the question, when the index keeps
        sentence vectors (the FAISS index does; an index without them answers by words alone)."""
        return self.index.closest_sentences(turn.standalone, ev.articles[ev.exact :])

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
        self,
        turn: _Turn,
        related: list[Article],
        invalid: int = 0,
        detail: str = "",
        place: str = "",
        mode: str = "none",  # no model ran (the rules found nothing to answer with), unless one declined
        delegation: Delegation | None = None,
    ) -> Answer:
        related = related[: self.settings.related_shown]
        after = next_step(related) if related and not place else ""
        text = refusal_text(turn.question, related, detail, place, self._regions(), after, delegation)
        return self._answer(
            turn,
            text=text,
            refused=True,
            # the sentence saying who sets the figure is quoted, and cited as [1]
            citations=(Citation(1, delegation.article, (delegation.sentence,)),) if delegation else (),
            possibly_related=tuple(related),
            invalid_citations=invalid,
            mode=mode,
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


def _naming(article: Article) -> tuple[str, ...]:
    """The sentences of an article that name its responsible units, or the bodies it makes act
    (highlighted in its card)."""
    units = article.responsible_units or tuple(acting_bodies(article.text))
    said = [s for s in S.split_sentences(article.text) if any(u in s for u in units)]
    return tuple(said[-2:])


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
