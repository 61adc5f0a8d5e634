"""The look every PDF report shares (reportlab platypus): A4, a title page without a number, the contents, numbered
body pages with a footer, striped tables whose header repeats on every page they span, and the appendix that gives
each figure's definition, period and the GraphQL query (with its variables) that reproduces it.

A report module builds its story from these pieces and calls `build_pdf`; nothing here reads the database.
"""

import io
import unicodedata
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, Frame, KeepTogether, LongTable, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from exports.reports.figures import Figure

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
LANDSCAPE_WIDTH = A4[1] - 2 * MARGIN  # a wide table's page (NextPageTemplate("landscape"))
HEADER_FILL = colors.HexColor("#1f3b4d")
OVERDUE_FILL = colors.HexColor("#f8d7d0")
STRIPE_FILL = colors.HexColor("#f3f5f7")
STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=9.5, leading=13)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8, leading=10)
HEAD_CELL = ParagraphStyle("head_cell", parent=CELL, fontSize=7.5, textColor=colors.white, fontName="Helvetica-Bold")
NUMBER = ParagraphStyle("number", parent=CELL, alignment=2)
HEAD_NUMBER = ParagraphStyle("head_number", parent=HEAD_CELL, alignment=2)
CODE = ParagraphStyle("code", parent=SMALL, fontName="Courier", fontSize=6.8, leading=8.5, textColor=colors.HexColor("#333333"))
H1 = ParagraphStyle("h1", parent=STYLES["Heading1"], fontSize=15, spaceBefore=6, spaceAfter=8, textColor=HEADER_FILL,
                    keepWithNext=1)
H2 = ParagraphStyle("h2", parent=STYLES["Heading2"], fontSize=11.5, spaceBefore=8, spaceAfter=4, textColor=HEADER_FILL,
                    keepWithNext=1)
ENTRY = ParagraphStyle("entry", parent=H2, fontSize=10)  # an appendix entry: not in the contents
CAPTION = ParagraphStyle("caption", parent=H2, fontSize=10.5)  # a table's or chart's title: not in the contents
TITLE = ParagraphStyle("title", parent=STYLES["Title"], fontSize=26, leading=32, alignment=TA_CENTER)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=13, leading=18, alignment=TA_CENTER)
NOTE = ParagraphStyle("note", parent=SMALL, alignment=TA_CENTER)
NO_PERSONAL_DATA = ("Every figure carries a reference such as [F1] to the appendix, which gives its definition, its "
                    "period and the GraphQL query that reproduces it. The report holds no personal data: no reporter "
                    "identity and no worker names.")


class ReportDocument(BaseDocTemplate):
    """A4 with a title page (no number) and numbered body pages; level-0 and level-1 headings feed the contents."""

    def __init__(self, buffer, *, title: str, author: str, subject: str, footer: str, **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=title, author=author, subject=subject, **kwargs)
        self.footer_text = footer
        frame = Frame(MARGIN, MARGIN, WIDTH, A4[1] - 2 * MARGIN, id="body")
        wide = Frame(MARGIN, MARGIN, LANDSCAPE_WIDTH, A4[0] - 2 * MARGIN, id="wide")
        self.addPageTemplates([PageTemplate("title", [frame]), PageTemplate("body", [frame], onPage=self.footer),
                               PageTemplate("landscape", [wide], onPage=self.footer, pagesize=landscape(A4))])

    def footer(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, self.footer_text)
        canvas.drawRightString(canvas._pagesize[0] - MARGIN, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            level = 0 if flowable.style.name == "h1" else 1
            key = f"heading-{self.seq.nextf('heading')}"
            self.canv.bookmarkPage(key)
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))


def build_pdf(story: list, *, title: str, author: str, subject: str, footer: str) -> bytes:
    """The PDF's bytes (built twice over, so that the contents know every heading's page)."""
    buffer = io.BytesIO()
    ReportDocument(buffer, title=title, author=author, subject=subject, footer=footer).multiBuild(story)
    return buffer.getvalue()


def text(value) -> str:
    """The value as paragraph markup: escaped, and folded to the characters the standard PDF fonts can draw
    (WinAnsi): a letter outside them loses its accent (Şanlıurfa → Sanliurfa) rather than print as a box."""
    return escape(drawable(str(value)))


def drawable(value: str) -> str:
    try:
        value.encode("cp1252")
        return value
    except UnicodeEncodeError:
        return "".join(character if fits(character) else fold(character) for character in value)


def fits(character: str) -> bool:
    try:
        character.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def fold(character: str) -> str:
    base = "".join(part for part in unicodedata.normalize("NFKD", character) if not unicodedata.combining(part))
    base = base.replace("ı", "i")
    return base if base and all(fits(part) for part in base) else "?"


def ref(figure: Figure) -> str:
    return f'<font size="7" color="#555555">[{figure.ref}]</font>'


def days(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def percent(value) -> str:
    return "—" if value is None else f"{value:.1f} %"


def title_page(title: str, subtitle: str, lines: list[str]) -> list:
    """The first page: the title, what it is about, then `lines` (organization first, in bold)."""
    story = [Spacer(1, 60 * mm), Paragraph(text(title), TITLE), Spacer(1, 6 * mm), Paragraph(text(subtitle), SUBTITLE),
             Spacer(1, 18 * mm), Paragraph(f"<b>{text(lines[0])}</b>", SUBTITLE)]
    story += [Paragraph(text(line), SUBTITLE) for line in lines[1:]]
    return story + [Spacer(1, 40 * mm), Paragraph(NO_PERSONAL_DATA, NOTE), NextPageTemplate("body"), PageBreak()]


def contents() -> list:
    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("toc0", parent=BODY, fontSize=10.5, leading=16, fontName="Helvetica-Bold"),
                       ParagraphStyle("toc1", parent=BODY, fontSize=9.5, leading=13, leftIndent=14)]
    return [Paragraph("Contents", ParagraphStyle("contents", parent=H1)), toc, PageBreak()]


def table(rows: list, widths: list, *, highlight: list | None = None, numeric_from: int = 1) -> LongTable:
    """A table whose first row is its header, repeated on every page it spans; striped, the columns from
    `numeric_from` on right-aligned (figures), the rows of `highlight` (indexes into the body rows) shaded."""
    header = [Paragraph(text(cell), HEAD_NUMBER if index >= numeric_from else HEAD_CELL)
              for index, cell in enumerate(rows[0])]
    body = [[Paragraph(text(cell), NUMBER if index >= numeric_from else CELL) for index, cell in enumerate(row)]
            for row in rows[1:]]
    result = LongTable([header] + body, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8ccd0")),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("BACKGROUND", (0, index), (-1, index), STRIPE_FILL) for index in range(2, len(rows), 2)]
    style += [("BACKGROUND", (0, index + 1), (-1, index + 1), OVERDUE_FILL) for index in highlight or ()]
    result.setStyle(TableStyle(style))
    return result


def shared_table(rows: list, shares: list, *, width: float = WIDTH, **options) -> LongTable:
    """`table` with each column's width given as a share of the page's (or `width`)."""
    return table(rows, [width * share for share in shares], **options)


def key_figures(rows: list) -> LongTable:
    """Label, value and appendix reference of each (label, value, Figure)."""
    body = [["Figure", "Value", "Ref."]] + [[label, value, f"[{figure.ref}]"] for label, value, figure in rows]
    return shared_table(body, [0.7, 0.16, 0.14])


def appendix(refs: dict) -> list:
    story = [PageBreak(), Paragraph("Appendix: definitions and queries", H1),
             Paragraph("Each figure of the report, its definition and the GraphQL query that reproduces it "
                       "(POST /graphql/ with your token; variables as given, placeholders in angle brackets).", BODY)]
    for figure in refs.values():
        story.append(KeepTogether([
            Paragraph(f"[{figure.ref}] {text(figure.title)}", ENTRY),
            Paragraph(f"<b>Period:</b> {text(figure.period)}", SMALL), Paragraph(text(figure.definition), BODY),
            Paragraph("<b>Query:</b> " + text(figure.query), CODE),
            Paragraph("<b>Variables:</b> " + text(figure.variables_text), CODE),
        ]))
    return story
