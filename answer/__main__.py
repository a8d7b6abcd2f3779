"""python -m answer "问题" [--mode local|api|extractive] [--json] [--stream]

With no question argument, reads one question per line from stdin and writes
one JSON line per question:
{"question", "answer", "refused", "mode", "citations": [{"n", "chunk_id", "label", "doc_title", "text", …}], "latency_ms", …}
"""

from __future__ import annotations

import argparse
import json
import sys

import settings
from answer.engine import Engine
from answer.record import MODES, Answer


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engine = Engine(settings.from_args(args))
    if args.question is None:
        for line in sys.stdin:
            if line.strip():
                _print_json(engine.ask(line.rstrip("\n"), mode=args.mode))
        return 0
    if args.json:
        _print_json(engine.ask(args.question, mode=args.mode))
    else:
        print(_human(_run(engine, args)))
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m answer", description="政策问答：带可核对引用的回答")
    p.add_argument("question", nargs="?", help="问题；省略时从标准输入逐行读取，每行输出一条 JSON")
    p.add_argument("--mode", choices=MODES, default=None, help="默认取设置 answer_mode")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--stream", action="store_true", help="生成时把文字实时写到 stderr")
    settings.add_arguments(p)
    return p


def _run(engine: Engine, args: argparse.Namespace) -> Answer:
    final = None
    for item in engine.stream(args.question, mode=args.mode):
        if isinstance(item, Answer):
            final = item
        elif args.stream:
            print(item, end="", file=sys.stderr, flush=True)
    if args.stream:
        print(file=sys.stderr)
    assert final is not None
    return final


def _print_json(answer: Answer) -> None:
    print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)


def _human(a: Answer) -> str:
    lines = [a.text, ""]
    for c in a.citations:
        d = c.article.doc
        meta = "，".join(x for x in (d.doc_number, d.issue_date, d.status) if x)
        lines.append(f"[{c.n}] {c.article.label}（{meta}）")
        lines += [f"    {s}" for s in c.sentences]
    lines += [f"注意：{w}" for w in a.warnings]
    mode = a.mode + (f"（{a.fallback_reason}）" if a.fallback_reason else "")
    lines.append(f"模式：{mode}；用时 {a.latency_ms} ms")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
