"""Loading files: every format gives back the seed's text; every bad file gives one clear line."""

from __future__ import annotations

import os
import random
import zipfile
from pathlib import Path

import pytest

import settings
from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES, iter_corpus_files, read_text
from tests.fixtures import (
    HTML_FURNITURE,
    PDF_FONTS,
    seed_text,
    squeeze,
    write_blank_pdf,
    write_docx,
    write_encoded,
    write_html,
    write_pdf,
)

MAX_BYTES = int(settings.load().max_file_mb * 2**20)
# Sentences of the seed (苏府办〔2022〕127号) that any extraction must keep, whitespace removed.
KEY_SENTENCES = (
    "关于加快推进全市科技招商工作的指导意见",
    "到2025年，全市形成机制灵活、运转高效、重点突出的科技招商工作体系",
    "坚持以习近平新时代中国特色社会主义思想为指导",
    "苏州市人民政府办公室",
)


# --- every format round-trips the seed ------------------------------------------------

BUILDERS = {
    "txt": lambda text, d: write_encoded(text, d / "seed.txt", "utf-8"),
    "md": lambda text, d: write_encoded(text, d / "seed.md", "utf-8"),
    **{f"pdf-{font}": (lambda text, d, f=font: write_pdf(text, d / "seed.pdf", f)) for font in PDF_FONTS},
    "docx": lambda text, d: write_docx(text, d / "seed.docx"),
    "html-utf8": lambda text, d: write_html(text, d / "seed.html"),
    # Older government sites: GBK bytes under a gb2312 declaration.
    "htm-gbk-declared-gb2312": lambda text, d: write_html(text, d / "seed.htm", "gbk", "gb2312"),
    "html-gbk-undeclared": lambda text, d: write_html(text, d / "seed.html", "gbk", ""),
    # A page saved as UTF-8 that still declares its old charset: the bytes win.
    "html-utf8-declared-gbk": lambda text, d: write_html(text, d / "seed.html", "utf-8", "gbk"),
}


@pytest.mark.parametrize("fmt", BUILDERS)
def test_format_round_trips_seed_text(fmt, tmp_path):
    seed = seed_text()
    got = squeeze(read_text(BUILDERS[fmt](seed, tmp_path), MAX_BYTES))
    for sentence in KEY_SENTENCES:
        assert sentence in got
    assert got == squeeze(seed)


def test_html_drops_scripts_styles_and_navigation(tmp_path):
    text = read_text(write_html(seed_text(), tmp_path / "seed.html"), MAX_BYTES)
    assert [s for s in HTML_FURNITURE if s in text] == []


def test_html_keeps_paragraph_breaks_and_renders_source_whitespace(tmp_path):
    page = "<div><h1>标题</h1><p>第一段\n  续行</p><p>第二段<br>换行</p><table><tr><td>甲</td><td>乙</td></tr></table>"
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    assert read_text(path, MAX_BYTES) == "标题\n第一段 续行\n第二段\n换行\n甲\t乙"


def test_html_declared_charset_beats_the_gb18030_guess(tmp_path):
    """Big5 bytes also decode as GB18030 (as garbage), so the page's own declaration must come first."""
    text = "本辦法適用於科技型中小企業的貸款貼息與風險補償。"
    head = '<meta http-equiv="Content-Type" content="text/html; charset=big5">'
    path = tmp_path / "tw.htm"
    path.write_bytes(f"<html><head>{head}</head><body><p>{text}</p></body></html>".encode("big5"))
    assert read_text(path, MAX_BYTES) == text


SEED_FILES = sorted(Path(settings.load().corpus_dir).iterdir())


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:12])
def test_seed_corpus_files_read_exactly(path):
    assert read_text(path, MAX_BYTES) == path.read_text(encoding="utf-8")


def test_pdf_pages_are_joined_with_newlines(tmp_path):
    text = "\n".join(f"第{i}行" for i in range(200))  # ~4 pages
    got = read_text(write_pdf(text, tmp_path / "long.pdf"), MAX_BYTES)
    assert got.split() == text.split()


def test_docx_reads_paragraphs_and_table_cells_in_document_order(tmp_path):
    path = write_docx("第一段\n第二段", tmp_path / "t.docx", table=[["单位", "职责"], ["市科技局", "牵头"]])
    got = read_text(path, MAX_BYTES).split("\n")
    assert [line for line in got if line] == ["第一段", "第二段", "单位", "职责", "市科技局", "牵头"]


def test_docx_merged_cell_is_read_once(tmp_path):
    path = write_docx("前言", tmp_path / "m.docx", table=[["合并", ""], ["甲", "乙"]])
    import docx  # merge the first row's two cells, as Word does for a table title

    document = docx.Document(str(path))
    table = document.tables[0]
    table.cell(0, 0).merge(table.cell(0, 1))
    document.save(str(path))
    assert read_text(path, MAX_BYTES).split().count("合并") == 1


# --- encodings decode to the same text as UTF-8 -----------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32", "gbk", "gb18030"])
def test_encoding_decodes_like_utf8(encoding, tmp_path):
    seed = seed_text()
    utf8 = write_encoded(seed, tmp_path / "utf8.txt", "utf-8")
    if encoding == "utf-16-be-bom":
        other = tmp_path / "be.txt"
        other.write_bytes(b"\xfe\xff" + seed.encode("utf-16-be"))
    else:
        other = write_encoded(seed, tmp_path / f"{encoding}.txt", encoding)
    assert read_text(other, MAX_BYTES) == read_text(utf8, MAX_BYTES) == seed


@pytest.mark.parametrize(
    "raw,text",
    [
        # UTF-8 bytes that are also valid GB18030 (as 浣犲ソ): UTF-8 must win.
        pytest.param("你好，科技招商".encode(), "你好，科技招商", id="utf8-also-valid-gb18030"),
        # Notepad's famous case: GBK 联通 looks like UTF-8 to naive detectors (C1 AA is overlong).
        pytest.param("联通".encode("gbk"), "联通", id="notepad-liantong-gbk"),
        # A name with a character outside GBK (CJK Ext-A), which GB18030 encodes in 4 bytes.
        pytest.param(
            "申报人：王䶮，苏州市科技局".encode("gb18030"), "申报人：王䶮，苏州市科技局", id="gb18030-4-byte"
        ),
        pytest.param(
            "第一条\r\n第二条\r第三条".encode(), "第一条\n第二条\n第三条", id="crlf-and-cr-newlines"
        ),
        pytest.param(b"\xef\xbb\xbf" + "（一）".encode(), "（一）", id="utf8-bom-stripped"),
        pytest.param("到2025年\f第二页".encode(), "到2025年\f第二页", id="form-feed-is-text"),
    ],
)
def test_awkward_text_bytes(raw, text, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(raw)
    assert read_text(path, MAX_BYTES) == text


# --- bad input: exactly one clear line naming the file and the reason ------------------


def _random_bytes(n: int, low: int = 0) -> bytes:
    rng = random.Random(20240601)  # fixed: the same bytes, and so the same message, every run
    return bytes(rng.randrange(low, 256) for _ in range(n))


def _zip_without_word_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "不是Word文件")


def _damaged_utf8(path: Path) -> None:
    raw = seed_text().encode()
    path.write_bytes(raw[:1001] + raw[1002:])  # one byte of a character lost mid-file


BAD_FILES = {
    # name: (file name, how to make it, fragments the message must contain)
    "empty": ("empty.txt", lambda p: p.write_bytes(b""), ["is empty (0 bytes)"]),
    "whitespace-only": ("blank.txt", lambda p: p.write_text(" \n\u3000\t\n\n"), ["only whitespace"]),
    "utf8-bom-only": ("bom.md", lambda p: p.write_bytes(b"\xef\xbb\xbf"), ["only whitespace"]),
    "binary-named-pdf": (
        "report.pdf",
        lambda p: p.write_bytes(bytes(range(64))),
        ["not a readable PDF", "b'\\x00\\x01", "looks binary"],
    ),
    "plain-text-named-pdf": (
        "policy.pdf",
        lambda p: p.write_text(seed_text()),
        ["not a readable PDF", "no %PDF- header", "plain text?"],
    ),
    "truncated-pdf": (
        "cut.pdf",
        lambda p: p.write_bytes(write_pdf(seed_text(), p).read_bytes()[:6000]),
        ["not a readable PDF"],
    ),
    "scanned-pdf-no-text": ("scan.pdf", write_blank_pdf, ["2 pages but no extractable text", "scanned"]),
    "random-bytes-txt": ("noise.txt", lambda p: p.write_bytes(_random_bytes(4096)), ["NUL bytes", "binary"]),
    "random-bytes-without-nul": (
        "noise2.txt",
        lambda p: p.write_bytes(_random_bytes(4096, low=1)),
        ["is not UTF-8 or GB18030/GBK text"],
    ),
    "control-characters-gbk": (
        "ctl.txt",
        lambda p: p.write_bytes(("政策\x01\x02\x03\x04" * 50).encode("gbk")),
        ["200 control characters", "binary"],
    ),
    "pdf-named-txt": (
        "policy.txt",
        lambda p: p.write_bytes(write_pdf("测试", p).read_bytes()),
        ["it is a PDF"],
    ),
    "damaged-utf8": ("damaged.txt", _damaged_utf8, ["damaged UTF-8", "line 46", "byte 1001"]),
    "big5-traditional": (
        "big5.txt",
        lambda p: p.write_bytes("本辦法適用於科技型中小企業的貸款貼息與風險補償。".encode("big5") * 20),
        ["garbage when decoded as GB18030", "big5", "save it as UTF-8"],
    ),
    "utf16-without-bom": ("u16.txt", lambda p: p.write_bytes(seed_text().encode("utf-16-le")), ["NUL bytes"]),
    "utf16-odd-length": (
        "odd.txt",
        lambda p: p.write_bytes("政策".encode("utf-16") + b"\x00"),
        ["not valid UTF-16", "byte 6"],
    ),
    "docx-that-is-plain-text": (
        "notes.docx",
        lambda p: p.write_text(seed_text()),
        ["not a .docx: not a zip archive", "plain text?"],
    ),
    "zip-that-is-not-docx": ("archive.docx", _zip_without_word_document, ["not a readable .docx"]),
    "unsupported-xlsx": (
        "budget.xlsx",
        lambda p: p.write_bytes(b"PK\x03\x04"),
        ["unsupported file type '.xlsx'", "supported: .docx, .htm, .html, .md, .pdf, .txt"],
    ),
    "old-word-doc": ("old.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0"), ["save it as .docx"]),
    "no-extension": ("guidelines", lambda p: p.write_text("政策"), ["no file extension", "supported:"]),
    "nonexistent": ("missing.txt", lambda p: None, ["does not exist"]),
    "broken-symlink": ("link.txt", lambda p: p.symlink_to(p.with_name("gone.txt")), ["broken symbolic link"]),
    "symlink-loop": ("loop.txt", lambda p: p.symlink_to(p), ["cannot be read", "symbolic links"]),
    "directory": ("folder.txt", lambda p: p.mkdir(), ["is a folder, not a file"]),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_gives_one_clear_line(case, tmp_path):
    name, make, fragments = BAD_FILES[case]
    path = tmp_path / name
    make(path)
    with pytest.raises(IngestError) as info:
        read_text(path, MAX_BYTES)
    _assert_one_clear_line(info.value, path, fragments)


def test_ten_mb_file_is_refused_with_size_and_limit(tmp_path):
    assert MAX_BYTES < 10 * 2**20, "the default limit must be below 10 MB for this case"
    path = tmp_path / "huge.txt"
    seed = seed_text().encode()
    path.write_bytes(seed * (10 * 2**20 // len(seed) + 1))  # whole copies: just over 10 MB
    with pytest.raises(IngestError) as info:
        read_text(path, MAX_BYTES)
    limit = f"{settings.load().max_file_mb:.1f} MB limit"
    _assert_one_clear_line(info.value, path, ["too large", "10.0 MB", limit, "max_file_mb"])
    # The size, not the content, was the problem: a higher limit reads it.
    assert squeeze(read_text(path, 11 * 2**20)).startswith(squeeze(seed_text())[:500])


# Root reads a chmod-000 file; the symlink-loop case and the next test cover OS errors as root.
@pytest.mark.skipif(os.geteuid() == 0, reason="running as root, which can read a chmod-000 file")
def test_permission_denied_gives_one_clear_line(tmp_path):
    path = write_encoded("政策", tmp_path / "locked.txt", "utf-8")
    path.chmod(0)
    try:
        with pytest.raises(IngestError) as info:
            read_text(path, MAX_BYTES)
    finally:
        path.chmod(0o644)
    _assert_one_clear_line(info.value, path, ["cannot be read", "Permission denied"])


def test_read_errors_after_stat_are_reported(tmp_path, monkeypatch):
    """An OS error while reading (NFS drop, permission race) becomes an IngestError, as root too."""
    path = write_encoded("政策", tmp_path / "flaky.txt", "utf-8")

    def fail(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", fail)
    with pytest.raises(IngestError) as info:
        read_text(path, MAX_BYTES)
    _assert_one_clear_line(info.value, path, ["cannot be read: Permission denied"])


def _assert_one_clear_line(err: IngestError, path: Path, fragments: list[str]) -> None:
    message = str(err)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert err.path == path
    assert message == f"{path}: {err.reason}"
    for fragment in fragments:
        assert fragment in message


# --- listing a corpus folder ------------------------------------------------------------


def test_iter_corpus_files_lists_documents_sorted_and_keeps_unsupported(tmp_path):
    names = ("b.pdf", "a.txt", "README.md", "readme.txt", ".hidden.txt", "~$a.docx", "c.xlsx", "sub/d.html")
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("x")
    (tmp_path / "empty_dir").mkdir()
    got = [p.relative_to(tmp_path).as_posix() for p in iter_corpus_files(tmp_path)]
    # c.xlsx stays in the list, so the pipeline reports it instead of dropping it unseen.
    assert got == ["a.txt", "b.pdf", "c.xlsx", "sub/d.html"]


def test_iter_corpus_files_of_the_seed_corpus():
    files = iter_corpus_files(Path(settings.load().corpus_dir))
    assert len(files) == 5
    assert {p.suffix for p in files} <= set(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("make", [lambda p: None, lambda p: p.write_text("x")], ids=["missing", "a-file"])
def test_iter_corpus_files_of_a_non_folder(make, tmp_path):
    path = tmp_path / "corpus"
    make(path)
    with pytest.raises(IngestError, match="folder"):
        iter_corpus_files(path)


def test_ingest_error_survives_pickling():
    import pickle

    err = IngestError(Path("corpus/x.pdf"), "not a readable PDF\n(second line)")
    back = pickle.loads(pickle.dumps(err))
    assert (str(back), back.path, back.reason) == (str(err), err.path, err.reason)
    assert str(err) == "corpus/x.pdf: not a readable PDF (second line)"
