"""The one error a bad input file produces, whatever went wrong with it."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file that cannot be ingested, and why, in plain words.

    `str(err)` is one line naming the file and the reason, ready for a log or
    the UI:

    >>> str(IngestError(Path("corpus/x.pdf"), "not a readable PDF"))
    'corpus/x.pdf: not a readable PDF'
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        # Third-party parsers put newlines in their messages; the report is one line per file.
        self.reason = " ".join(reason.split())
        super().__init__(f"{self.path}: {self.reason}")

    def __reduce__(self) -> tuple:  # so errors survive pickling (multiprocessing, caches)
        return (type(self), (self.path, self.reason))
