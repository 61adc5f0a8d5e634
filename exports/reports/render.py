"""The remediation report as a PDF (reportlab platypus), from gather.py's RemediationData and figures.py's
appendix: a title page, the contents, one section per subject, the appendix; page numbers on every page after the
title, tables that break across pages with their header repeated, overdue actions highlighted.

Every figure is followed by its reference, e.g. "[F3]", to the appendix entry that defines it and names the
GraphQL query that reproduces it. Rendering reads nothing from the database.
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, Frame, KeepTogether, LongTable, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from audits.models import GrievanceState
from exports.models import ReportScope
from exports.reports.charts import trend_chart
from exports.reports.figures import Figure, figures
from exports.reports.gather import OPEN_GRIEVANCE_STATES, SEVERITIES, RemediationData

MARGIN = 18 * mm
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
H1 = ParagraphStyle("h1", parent=STYLES["Heading1"], fontSize=15, spaceBefore=6, spaceAfter=8, textColor=HEADER_FILL)
H2 = ParagraphStyle("h2", parent=STYLES["Heading2"], fontSize=11.5, spaceBefore=8, spaceAfter=4, textColor=HEADER_FILL)
ENTRY = ParagraphStyle("entry", parent=H2, fontSize=10)  # an appendix entry: not in the contents
TITLE = ParagraphStyle("title", parent=STYLES["Title"], fontSize=26, leading=32, alignment=TA_CENTER)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=13, leading=18, alignment=TA_CENTER)


class ReportDocument(BaseDocTemplate):
    """A4 with a title page (no number) and numbered body pages; level-0 and level-1 headings feed the contents."""

    def __init__(self, buffer, data: RemediationData, **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=f"Remediation report: {data.scope.label}",
                         author=data.organization, subject="Remediation of forced and child labour cases", **kwargs)
        self.data = data
        frame = Frame(MARGIN, MARGIN, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN, id="body")
        self.addPageTemplates([PageTemplate("title", [frame]), PageTemplate("body", [frame], onPage=self.footer)])

    def footer(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.grey)
        period = f"{self.data.parameters.period_from.isoformat()} – {self.data.parameters.period_to.isoformat()}"
        canvas.drawString(MARGIN, 10 * mm, f"{self.data.organization} · Remediation report · {period}")
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            level = 0 if flowable.style.name == "h1" else 1
            key = f"heading-{self.seq.nextf('heading')}"
            self.canv.bookmarkPage(key)
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))


def render(data: RemediationData) -> bytes:
    """The PDF's bytes."""
    refs = figures(data)
    story = title_page(data) + contents() + summary(data, refs) + findings_section(data, refs)
    story += grievances_section(data, refs) + actions_section(data, refs) + referrals_section(data, refs)
    story += trend_section(data, refs) + appendix(refs)
    buffer = io.BytesIO()
    ReportDocument(buffer, data).multiBuild(story)
    return buffer.getvalue()


def text(value) -> str:
    return escape(str(value))


def ref(figure: Figure) -> str:
    return f'<font size="7" color="#555555">[{figure.ref}]</font>'


def covered(data: RemediationData) -> str:
    """What the report covers, as a sentence names it."""
    return "all suppliers and sites" if data.scope.kind == ReportScope.COMPANY else data.scope.label


def days(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def title_page(data: RemediationData) -> list:
    period = f"{data.parameters.period_from:%d %B %Y} to {data.parameters.period_to:%d %B %Y}"
    return [
        Spacer(1, 60 * mm), Paragraph("Remediation report", TITLE), Spacer(1, 6 * mm),
        Paragraph("Forced labour and child labour: findings, grievances, corrective actions and referrals", SUBTITLE),
        Spacer(1, 18 * mm), Paragraph(f"<b>{text(data.organization)}</b>", SUBTITLE),
        Paragraph(text(covered(data)[:1].upper() + covered(data)[1:]), SUBTITLE),
        Spacer(1, 8 * mm), Paragraph(f"Reporting period: {period}", SUBTITLE),
        Paragraph(f"Generated {data.generated_at:%d %B %Y, %H:%M %Z}", SUBTITLE), Spacer(1, 40 * mm),
        Paragraph("Every figure carries a reference such as [F1] to the appendix, which gives its definition, its "
                  "period and the GraphQL query that reproduces it. The report holds no personal data: no reporter "
                  "identity and no worker names.", ParagraphStyle("note", parent=SMALL, alignment=TA_CENTER)),
        NextPageTemplate("body"), PageBreak(),
    ]


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


def key_figures(rows: list) -> LongTable:
    width = A4[0] - 2 * MARGIN
    body = [["Figure", "Value", "Ref."]] + [[label, value, figure.ref] for label, value, figure in rows]
    return table(body, [width * 0.7, width * 0.16, width * 0.14])


def summary(data: RemediationData, refs: dict) -> list:
    actions, referrals = data.action_summary, data.referrals
    rows = [
        ("Open findings", data.open_findings_total, refs["open_findings"]),
        ("Open grievances", data.open_grievances_total, refs["open_grievances"]),
        ("Findings raised in the period", data.findings_in_period, refs["findings_in_period"]),
        ("Grievances received in the period", data.grievances_in_period, refs["grievances_in_period"]),
        ("Corrective actions open or in progress", actions.open, refs["actions_open"]),
        ("Overdue corrective actions", actions.overdue, refs["actions_overdue"]),
        ("Corrective actions awaiting verification", actions.awaiting_verification, refs["actions_done"]),
        ("Verified closures in the period", actions.verified_in_period, refs["actions_verified"]),
        ("Median days to remediate (creation to verification)", days(actions.median_days_to_verify),
         refs["days_to_verify"]),
        ("People identified in the period and referred to protection services",
         f"{referrals.referred} of {referrals.identified}", refs["referrals"]),
        ("Median days to referral", days(referrals.median_days_to_referral), refs["days_to_referral"]),
    ]
    intro = (f"This report covers {text(covered(data))}"
             f" of {text(data.organization)}. Open cases are counted as of {data.today:%d %B %Y}; cases raised, "
             f"closed and referred within the reporting period {data.parameters.period_from:%d %B %Y} to "
             f"{data.parameters.period_to:%d %B %Y}.")
    return [Paragraph("1. Summary", H1), Paragraph(intro, BODY), Spacer(1, 4 * mm), key_figures(rows)]


def category_table(category_rows: list, columns: list, total_label: str) -> list:
    width = A4[0] - 2 * MARGIN
    first = width * 0.27
    header = ["Category", "Group"] + [label for _, label in columns] + ["Total"]
    body = [[row.label, row.group.replace("_", " ")] + [row.counts[value] for value, _ in columns] + [row.total]
            for row in category_rows]
    if not body:
        return [Paragraph(f"No {total_label}.", BODY)]
    other = (width - first - width * 0.10) / (len(columns) + 1)
    return [table([header] + body, [first, width * 0.10] + [other] * (len(columns) + 1), numeric_from=2)]


def findings_section(data: RemediationData, refs: dict) -> list:
    columns = [(severity.value, severity.label) for severity in SEVERITIES]
    return [
        PageBreak(), Paragraph("2. Open findings", H1),
        Paragraph(f"Open audit findings by category (the ILO indicators of forced labour, child-labour categories "
                  f"and other labour standards) and severity: {data.open_findings_total} in all "
                  f"{ref(refs['open_findings'])}. Findings raised in the period: {data.findings_in_period} "
                  f"{ref(refs['findings_in_period'])}.", BODY),
        Spacer(1, 3 * mm), *category_table(data.open_findings, columns, "open findings"),
    ]


def grievances_section(data: RemediationData, refs: dict) -> list:
    columns = [(state, GrievanceState(state).label) for state in OPEN_GRIEVANCE_STATES]
    return [
        Paragraph("3. Open grievances", H1),
        Paragraph(f"Grievances routed to {text(data.organization)} and not yet concluded, by category and state: "
                  f"{data.open_grievances_total} in all {ref(refs['open_grievances'])}. Grievances received in the period: "
                  f"{data.grievances_in_period} {ref(refs['grievances_in_period'])}.", BODY),
        Spacer(1, 3 * mm), *category_table(data.open_grievances, columns, "open grievances"),
    ]


def actions_section(data: RemediationData, refs: dict) -> list:
    actions = data.action_summary
    width = A4[0] - 2 * MARGIN
    header = ["Corrective action", "About", "Site", "Owner", "Due", "Status", "Verified on", "Days"]
    rows = [[row.title, f"{row.about}: {row.category}", row.site, row.owner, row.due_on.isoformat(),
             row.status + (" — OVERDUE" if row.overdue else ""), row.verified_on.isoformat() if row.verified_on else "—",
             row.days_to_verify if row.days_to_verify is not None else "—"] for row in data.actions]
    overdue = [index for index, row in enumerate(data.actions) if row.overdue]
    listed = (f" The table lists the {len(data.actions)} most urgent of {data.actions_listed_of}."
              if len(data.actions) < data.actions_listed_of else "")
    widths = [0.19, 0.16, 0.11, 0.12, 0.11, 0.11, 0.11, 0.07]
    story = [
        PageBreak(), Paragraph("4. Corrective actions", H1),
        Paragraph(f"{actions.open} open or in progress {ref(refs['actions_open'])}, of which {actions.overdue} overdue "
                  f"{ref(refs['actions_overdue'])}; {actions.awaiting_verification} completed and awaiting "
                  f"verification {ref(refs['actions_done'])}; verified closures in the period: {actions.verified_in_period} "
                  f"{ref(refs['actions_verified'])}; median days to remediate: {days(actions.median_days_to_verify)} "
                  f"{ref(refs['days_to_verify'])}. Overdue actions are shaded.{listed}", BODY),
        Paragraph(f"Owners, due dates and verification {ref(refs['action_table'])}", H2),
    ]
    if not rows:
        return story + [Paragraph("No corrective actions in scope.", BODY)]
    return story + [table([header] + rows, [width * share for share in widths], highlight=overdue, numeric_from=7)]


def referrals_section(data: RemediationData, refs: dict) -> list:
    referrals = data.referrals
    width = A4[0] - 2 * MARGIN
    story = [
        Paragraph("5. Referrals to protection services", H1),
        Paragraph(f"Referrals for people identified in the period: {referrals.identified} {ref(refs['referrals'])}; "
                  f"referred: {referrals.referred}, not yet: {referrals.pending_referral}; persons concerned: "
                  f"{referrals.persons}; referrals involving children: {referrals.with_children}. Median days to "
                  f"referral: {days(referrals.median_days_to_referral)} {ref(refs['days_to_referral'])}.", BODY),
        Spacer(1, 3 * mm),
    ]
    if not referrals.by_service:
        return story
    rows = [["Service", "Referrals", "Persons", "Involving children", "Median days to referral"]]
    rows += [[row.service, row.referrals, row.persons, row.with_children, days(row.median_days_to_referral)]
             for row in referrals.by_service]
    return story + [table(rows, [width * 0.36] + [width * 0.16] * 4)]


def trend_section(data: RemediationData, refs: dict) -> list:
    width = A4[0] - 2 * MARGIN
    rows = [["Month", "Findings raised", "Grievances received", "Actions verified"]]
    rows += [[month.month.strftime("%B %Y"), month.findings, month.grievances, month.verified] for month in data.trend]
    return [
        PageBreak(), Paragraph("6. Trend", H1),
        KeepTogether([Paragraph(f"Cases by month over the period {ref(refs['trend'])}", H2),
                      trend_chart(data.trend, width)]),
        Spacer(1, 4 * mm), table(rows, [width * 0.4] + [width * 0.2] * 3),
    ]


def appendix(refs: dict) -> list:
    story = [PageBreak(), Paragraph("Appendix: definitions and queries", H1),
             Paragraph("Each figure of the report, its definition and the GraphQL query that reproduces it "
                       "(POST /graphql/ with your token; variables as given, placeholders in angle brackets).", BODY)]
    for figure in refs.values():
        story.append(KeepTogether([
            Paragraph(f"[{figure.ref}] {text(figure.title)}", ENTRY), Paragraph(text(figure.definition), BODY),
            Paragraph("<b>Query:</b> " + text(figure.query), CODE),
            Paragraph("<b>Variables:</b> " + text(figure.variables_text), CODE),
        ]))
    return story
