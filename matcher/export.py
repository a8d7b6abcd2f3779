"""Export a checklist as files: Markdown, DOCX (python-docx), PDF (reportlab) and a printable HTML page.

Every file carries the date it was made and each measure's citation. The PDF embeds a
TrueType CJK font when the machine has one, else uses reportlab's built-in CID font.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from matcher.checklist import INSTITUTION_GROUP, Checklist, Item
from matcher.report import (
    NOTE,
    SECTIONS,
    TITLE,
    UNMET_TITLE,
    made_at,
    printable_page,
    profile_line,
    to_markdown,
    why_not,
)
from matcher.verdict import UNMET

FORMATS = ("md", "docx", "pdf", "html")
# A TrueType CJK font is embedded when the machine has one (`make setup-system` installs this one),
# so every viewer shows the same glyphs; otherwise Adobe's CID font STSong-Light, which needs no
# file but leaves the glyphs to the viewer.
CJK_TTF = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK_CID = "STSong-Light"


def export(cl: Checklist, fmt: str, folder: Path, when: str = "") -> Path:
    """Write the checklist as `fmt` into `folder`; returns the file."""
    when = when or made_at()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"政策匹配清单_{when[:10]}.{fmt}"
    if fmt == "md":
        path.write_text(to_markdown(cl, when), encoding="utf-8")
    elif fmt == "html":
        path.write_text(printable_page(cl, when), encoding="utf-8")
    elif fmt == "docx":
        to_docx(cl, when, path)
    elif fmt == "pdf":
        to_pdf(cl, when, path)
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {FORMATS}")
    return path


def _blocks(cl: Checklist, when: str) -> list[tuple[str, str]]:
    """The document as (style, text) blocks, shared by DOCX and PDF: h1 h2 h3 p b li."""
    out = [("h1", TITLE), ("p", f"生成时间：{when}"), ("p", f"企业情况：{profile_line(cl.profile)}")]
    out += [("b", cl.summary), ("p", NOTE)]
    for verdict, title, hint in SECTIONS:
        items = cl.with_verdict(verdict)
        if items:
            out += [("h2", f"{title}（{len(items)}条）"), ("p", hint)]
            for n, item in enumerate(items, 1):
                out += _item_blocks(item, n)
    unmet = cl.with_verdict(UNMET)
    if unmet:
        out.append(("h2", f"{UNMET_TITLE}（{len(unmet)}条）"))
        out += [("li", f"{i.label}：{why_not(i)}") for i in unmet]
    if cl.institution:
        out.append(("h2", f"{INSTITUTION_GROUP}（{len(cl.institution)}条）"))
        out += [("li", f"{i.label}：{i.measures[0].clause}") for i in cl.institution]
    return out


def _item_blocks(i: Item, n: int) -> list[tuple[str, str]]:
    draft = "〔征求意见稿·未生效〕" if i.article.doc.is_draft else ""
    out = [("h3", f"{n}. {i.label}{draft}"), ("p", f"结论：{i.verdict}（{'；'.join(i.reasons)}）")]
    out += [("li", f"支持内容：{o}") for o in i.offers]
    out += [("li", f"[{c.verdict}] {c.label} — {c.note}") for c in i.conditions]
    out += [
        ("li", f"金额/比例/上限：{'；'.join(i.amounts)}"),
        ("li", f"申报材料：{'；'.join(i.materials)}"),
        ("li", f"时间：{'；'.join(i.times)}"),
        ("li", f"渠道：{'；'.join(i.channels)}"),
        ("li", f"联系单位：{i.contact}"),
        ("li", f"引用：{i.label}"),
    ]
    return out


def to_docx(cl: Checklist, when: str, path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # Word picks the CJK font from here
    for kind, text in _blocks(cl, when):
        if kind in ("h1", "h2", "h3"):
            document.add_heading(text, level=int(kind[1]))
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph().add_run(text).bold = kind == "b"
    document.core_properties.title = TITLE
    document.save(str(path))


def to_pdf(cl: Checklist, when: str, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = _cjk_font()
    sizes = {"h1": 18, "h2": 14, "h3": 12, "b": 11, "p": 10, "li": 10}
    styles = {
        k: ParagraphStyle(k, fontName=font, fontSize=s, leading=s * 1.5, wordWrap="CJK",
                          leftIndent=12 if k == "li" else 0, spaceBefore=6 if k[0] == "h" else 1)
        for k, s in sizes.items()
    }  # fmt: skip
    story = []
    for kind, text in _blocks(cl, when):
        body = xml_escape(text)
        story.append(
            Paragraph(
                ("• " if kind == "li" else "") + (f"<b>{body}</b>" if kind == "b" else body), styles[kind]
            )
        )
        if kind == "h1":
            story.append(Spacer(1, 6))
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, title=TITLE, author="政策问答", leftMargin=48, rightMargin=48
    )
    doc.build(story)


def _cjk_font() -> str:
    """The registered name of the CJK font to draw with: the embedded TrueType one, else the CID one."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if CJK_TTF.exists():
        if "CJK" not in registered:
            pdfmetrics.registerFont(TTFont("CJK", str(CJK_TTF), subfontIndex=0))
        return "CJK"
    if CJK_CID not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_CID))
    return CJK_CID
