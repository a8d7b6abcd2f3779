"""How long a library change takes from the app's point of view: upload -> ingest -> refresh -> reopen.

    python -m library.bench /work/shared/library/laws/行政法规/专利法实施细则(2023-12-11).md

Works on a copy of corpus/ in a temporary folder with the real embedder (the embedding
cache of data/ is copied, so the seed articles are not embedded again); prints one line
per file and the seconds of each change.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import settings as settings_mod
from index import PolicyIndex, refresh
from index.embed import make_embedder
from library import Library


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m library.bench", description=__doc__)
    p.add_argument("files", nargs="+", type=Path, help="policy files to upload, one change each")
    args = p.parse_args(argv)
    base = settings_mod.load()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, data = Path(tmp) / "corpus", Path(tmp) / "data"
        shutil.copytree(base.corpus_dir, corpus)
        cache = Path(base.data_dir) / "cache" / "embeddings.sqlite"
        if cache.exists():
            (data / "cache").mkdir(parents=True)
            shutil.copyfile(cache, data / "cache" / cache.name)
        s = settings_mod.load(corpus_dir=str(corpus), data_dir=str(data))
        embedder = make_embedder(s)
        refresh(s, embedder=embedder)
        library = Library(
            s, lambda: refresh(s, embedder=embedder), lambda: PolicyIndex.open(s, embedder=embedder)
        )
        for f in args.files:
            started = time.perf_counter()
            job = library.wait(library.upload([f]), timeout=3600)
            print("\n".join(job.lines))
            print(f"{f.name}: {'ok' if job.ok else 'failed'} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
