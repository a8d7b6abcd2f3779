"""One policy file -> its text as extracted, or an IngestError saying why not.

The text is *not* cleaned here (spaces inside words, page markers, markdown
marks stay): `ingest.clean` owns that, so every format goes through the same
cleaner. Any bad file - missing, empty, huge, binary, mis-encoded, mislabelled -
raises `IngestError` and nothing else, so one bad file never stops an ingest.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pypdf
from docx.table import Table

from ingest.decode import NotText, decode_text
from ingest.errors import IngestError
from ingest.html_text import html_to_text

SUPPORTED_SUFFIXES = (".docx", ".htm", ".html", ".md", ".pdf", ".txt")
# Formats people will try; each gets the step that makes it loadable.
_UNSUPPORTED_HINTS = {
    ".doc": "old Word format: save it as .docx",
    ".wps": "WPS format: save it as .docx",
    ".xls": "a spreadsheet, not a policy text",
    ".xlsx": "a spreadsheet, not a policy text",
}
# First bytes of the formats a mislabelled file most often really is.
_MAGIC = {
    b"%PDF-": "a PDF: rename it to .pdf",
    b"PK\x03\x04": "a zip archive (a .docx or .xlsx?)",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc/.xls): save it as .docx",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}
PDF_HEADER_WITHIN = 1024  # the PDF spec lets junk precede %PDF- in the first 1024 bytes
# Office writes "~$name.docx" lock files next to open documents; they are never documents.
_LOCK_PREFIX = "~$"


def read_text(path: Path, max_bytes: int) -> str:
    """The document's text as extracted (PDF pages joined with '\\n').

    `max_bytes` is `int(settings.max_file_mb * 2**20)`; larger files are refused
    before they are read.
    """
    path = Path(path)
    data = _read_checked(path, max_bytes)
    text = _READERS[path.suffix.lower()](path, data)
    if not text.strip():
        raise IngestError(path, "contains only whitespace, no text")
    return text


def iter_corpus_files(folder: Path) -> list[Path]:
    """Every document-like file under `folder`, sorted, for the pipeline to read.

    Hidden files and folders, README* and Office lock files are skipped;
    unsupported files are *kept*, so that `read_text` reports each one as an
    error instead of it vanishing silently.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise IngestError(folder, "is not a folder" if folder.exists() else "folder does not exist")
    return sorted(p for p in folder.rglob("*") if _is_document(p.relative_to(folder)) and not p.is_dir())


def _is_document(rel: Path) -> bool:
    hidden = any(part.startswith(".") for part in rel.parts)
    return not (hidden or rel.name.upper().startswith("README") or rel.name.startswith(_LOCK_PREFIX))


def _read_checked(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after the checks that need no parsing: exists, kind, type, size."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError(path, _missing(path)) from None
    except OSError as err:
        raise IngestError(path, f"cannot be read: {err.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(path, "is not a regular file (a device, pipe or socket)")
    _check_suffix(path)
    if info.st_size == 0:
        raise IngestError(path, "is empty (0 bytes)")
    if info.st_size > max_bytes:
        limit = f"the {_size(max_bytes)} limit (raise max_file_mb to allow it)"
        raise IngestError(path, f"is too large: {_size(info.st_size)}, over {limit}")
    try:
        return path.read_bytes()
    except OSError as err:
        raise IngestError(path, f"cannot be read: {err.strerror}") from None


def _missing(path: Path) -> str:
    return "does not exist (broken symbolic link)" if path.is_symlink() else "does not exist"


def _check_suffix(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return
    what = f"unsupported file type '{suffix}'" if suffix else "no file extension"
    hint = f": {_UNSUPPORTED_HINTS[suffix]}" if suffix in _UNSUPPORTED_HINTS else ""
    raise IngestError(path, f"{what}{hint} (supported: {', '.join(SUPPORTED_SUFFIXES)})")


def _size(n: int) -> str:
    """Human size: 10485760 -> '10.0 MB', 2048 -> '2.0 KB', 100 -> '100 bytes'."""
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB"
    return f"{n / 2**10:.1f} KB" if n >= 2**10 else f"{n} bytes"


def _read_plain(path: Path, data: bytes) -> str:
    if kind := _magic(data):
        raise IngestError(path, f"is not text: it is {kind}")
    try:
        text = decode_text(data)
    except NotText as err:
        raise IngestError(path, str(err)) from None
    # Universal newlines, as Python's text mode reads files: CRLF/CR files split like LF ones.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_html(path: Path, data: bytes) -> str:
    try:
        return html_to_text(data)
    except NotText as err:
        raise IngestError(path, str(err)) from None


def _read_pdf(path: Path, data: bytes) -> str:
    if b"%PDF-" not in data[:PDF_HEADER_WITHIN]:
        raise IngestError(path, f"not a readable PDF (no %PDF- header; {_describe_start(data)})")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path, "is a password-protected PDF: save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as err:  # pypdf raises many exception types on damaged files
        raise IngestError(path, f"not a readable PDF ({type(err).__name__}: {err})") from None
    text = "\n".join(pages)
    if not text.strip():
        count = f"{len(pages)} page" + ("" if len(pages) == 1 else "s")
        raise IngestError(path, f"PDF has {count} but no extractable text (a scanned image? run OCR first)")
    return text


def _read_docx(path: Path, data: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(path, f"not a .docx: not a zip archive ({_describe_start(data)})")
    try:
        return "\n".join(_docx_lines(docx.Document(io.BytesIO(data))))
    except Exception as err:  # python-docx raises KeyError/ValueError/... on a broken package
        raise IngestError(path, f"not a readable .docx ({type(err).__name__}: {err})") from None


def _docx_lines(parent) -> Iterator[str]:
    """Paragraphs and table cells in document order, one paragraph per line."""
    for item in parent.iter_inner_content():
        if isinstance(item, Table):
            yield from _table_lines(item)
        else:
            yield item.text


def _table_lines(table: Table) -> Iterator[str]:
    # A merged cell is returned once per grid slot it spans. The set holds the XML elements
    # themselves: lxml recycles the proxy of an unreferenced element, so ids could repeat.
    seen: set[object] = set()
    for row in table.rows:
        for cell in row.cells:
            if cell._tc not in seen:
                seen.add(cell._tc)
                yield from _docx_lines(cell)


def _magic(data: bytes) -> str:
    return next((kind for magic, kind in _MAGIC.items() if data.startswith(magic)), "")


def _describe_start(data: bytes) -> str:
    """What the file really looks like, for the error message."""
    if kind := _magic(data):
        return f"it is {kind}"
    head = data[:60]
    try:
        snippet = head.decode("utf-8")
    except UnicodeDecodeError as err:
        snippet = head[: err.start].decode("utf-8") if err.start > len(head) - 4 else ""
    snippet = " ".join(snippet.split())
    if snippet and snippet.isprintable():
        return f"it starts with text {snippet[:20]!r}: plain text? rename it to .txt"
    return f"file starts with {data[:8]!r}, looks binary"


_READERS: dict[str, Callable[[Path, bytes], str]] = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}
