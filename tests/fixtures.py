"""Build the files ingest must read (PDF, DOCX, HTML, other encodings) from a seed, at test time.

No binary fixture is committed: each builder writes a real file of that format
from text, so any test can check that a format gives back the seed's text, e.g.

    pdf = write_pdf(seed_text(), tmp_path / "seed.pdf")
    assert squeeze(read_text(pdf, 2**20)) == squeeze(seed_text())
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "苏府办〔2022〕127号_加快推进全市科技招商工作的指导意见.txt"
# Debian's fonts-wqy-microhei, installed by `make setup-system`: a TrueType CJK font that
# reportlab can embed as a subset with a ToUnicode map, which is how real government PDFs
# carry their text. (Noto CJK is CFF-flavoured OpenType, which reportlab cannot embed.)
CJK_TTF = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Two ways a PDF carries Chinese: an embedded TrueType subset (what Word/WPS exports), and
# Adobe's built-in STSong-Light CID font, referenced but not embedded (older PDF tools).
PDF_FONTS = ("embedded", "cid")
PDF_FONT_SIZE = 11
PDF_CHARS_PER_LINE = 38  # 38 full-width glyphs x 11 pt fit A4's width inside 40 pt margins
PDF_MARGIN = 40


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    """Text with all whitespace removed, to compare extractions that break lines differently.

    >>> squeeze("金融 支持\\n产业 ")
    '金融支持产业'
    """
    return re.sub(r"\s+", "", text)


def write_encoded(text: str, path: Path, encoding: str) -> Path:
    """`text` saved in `encoding` ('utf-8-sig' and 'utf-16' write a byte-order mark)."""
    path.write_bytes(text.encode(encoding))
    return path


def write_pdf(text: str, path: Path, font: str = "embedded") -> Path:
    """A multi-page A4 PDF of `text`; long lines wrap, as a PDF's lines do."""
    name = _pdf_font(font)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = _new_page(pdf, name)
    for line in _wrap(text):
        if y < PDF_MARGIN:
            pdf.showPage()
            y = _new_page(pdf, name)
        pdf.drawString(PDF_MARGIN, y, line)
        y -= PDF_FONT_SIZE * 1.4
    pdf.save()
    return path


def write_blank_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF with drawings but no text: what a scanned document gives the extractor."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        pdf.rect(100, 100, 300, 500, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def write_docx(text: str, path: Path, table: list[list[str]] | None = None) -> Path:
    """A Word file with one paragraph per line of `text`, then `table` if given."""
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    document.save(str(path))
    return path


def write_html(text: str, path: Path, encoding: str = "utf-8", declared: str | None = None) -> Path:
    """A government-style page: the text as <p>s, wrapped in nav, scripts and styles to drop.

    `declared` is the <meta charset> (default: `encoding`; "" for none).
    """
    charset = encoding if declared is None else declared
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())
    page = (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>政策文件_苏州市人民政府</title>"
        "<style>p { margin: 0 }</style><script>var menu = '脚本菜单';</script></head>\n"
        f"<body><nav><a href='/'>首页</a> | <a href='/zcwj'>政策文件</a></nav>\n"
        f"<div class='article'>\n{body}\n</div>\n<script>track('统计脚本');</script></body></html>\n"
    )
    path.write_bytes(page.encode(encoding))
    return path


# Strings of write_html's page furniture, which extraction must drop.
HTML_FURNITURE = ("脚本菜单", "首页", "政策文件_苏州市人民政府", "统计脚本", "margin")


def _pdf_font(font: str) -> str:
    if font == "cid":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    if font != "embedded":
        raise ValueError(f"font must be one of {PDF_FONTS}, not {font!r}")
    if not CJK_TTF.exists():
        raise FileNotFoundError(f"{CJK_TTF} missing: run `make setup-system` (Debian fonts-wqy-microhei)")
    pdfmetrics.registerFont(TTFont("WenQuanYiMicroHei", str(CJK_TTF), subfontIndex=0))
    return "WenQuanYiMicroHei"


def _new_page(pdf: canvas.Canvas, font: str) -> float:
    pdf.setFont(font, PDF_FONT_SIZE)
    return A4[1] - PDF_MARGIN


def _wrap(text: str) -> list[str]:
    """Lines cut every PDF_CHARS_PER_LINE characters: ['一二…', …]."""
    out = []
    for line in text.splitlines():
        out += [line[i : i + PDF_CHARS_PER_LINE] for i in range(0, len(line), PDF_CHARS_PER_LINE)] or [""]
    return out
