"""Serve the web app: chat with sources, clause browser, policy matcher.

    python app.py                                 # http://127.0.0.1:7860
    python app.py --host 0.0.0.0 --port 8080 --auth user:secret --answer-mode extractive

Every flag also reads an env var (POLICYQA_HOST, POLICYQA_PORT, POLICYQA_AUTH, …).
"""

from __future__ import annotations

import argparse
import logging
import sys

import settings as settings_mod
from index import IndexMismatch, IndexMissing
from index.errors import IndexReadOnly
from ui import Services, build_app, css, js
from ui.login import LoginGuard

FLAGS = ("host", "port", "auth", "answer_mode", "data_dir", "corpus_dir", "embedder", "api_base", "api_model")


def parse_auth(value: str) -> tuple[str, str] | None:
    """'user:password' -> ('user', 'password'); '' -> None (no login).

    >>> parse_auth("staff:s3cret:x"), parse_auth("")
    (('staff', 's3cret:x'), None)
    """
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not (sep and user and password):
        raise SystemExit("--auth must be user:password")
    return user, password


def login_guard(s: settings_mod.Settings) -> LoginGuard | None:
    """The login check Gradio calls, with repeated failures locked out (ui/login.py)."""
    auth = parse_auth(s.auth)
    if auth is None:
        return None
    return LoginGuard(*auth, max_failures=s.login_max_failures, lockout_s=s.login_lockout_s)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    settings_mod.add_arguments(parser, FLAGS)
    s = settings_mod.from_args(parser.parse_args(argv))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    auth = login_guard(s)
    try:
        services = Services.start(s)
    except (IndexMissing, IndexMismatch) as err:  # e.g. an empty corpus folder: say what to do
        raise SystemExit(f"无法打开索引：{err}") from None
    except IndexReadOnly as err:
        raise SystemExit(f"数据目录只读，且没有可用的索引：{err}") from None
    demo = build_app(services)
    # Model answers queue inside the engine (answer/deadline.py), so the web queue is only a safety net.
    demo.queue(default_concurrency_limit=None, max_size=s.chat_concurrency + 4 * s.queue_max)
    demo.launch(
        server_name=s.host,
        server_port=s.port,
        auth=auth,
        css=css(),
        js=js(),
        show_error=False,
        max_threads=s.chat_concurrency + 16,  # every admitted chat request gets a thread; browsing keeps 16
    )


if __name__ == "__main__":
    sys.exit(main())
