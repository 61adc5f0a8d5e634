"""The remediation report as a PDF, from gather.py's RemediationData and figures.py's appendix, in the look of
pdf.py: a title page, the contents, one section per subject, the appendix; overdue actions highlighted and listed
on their own, root causes and verification methods beside the actions, the grievance mechanism's KPIs.

Every figure is followed by its reference, e.g. "[F3]", to the appendix entry that defines it and names the
GraphQL query that reproduces it. Rendering reads nothing from the database.
"""

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from audits.models import GrievanceState
from exports.models import ReportScope
from exports.reports.charts import trend_chart
from exports.reports.figures import figures
from exports.reports.gather import OPEN_GRIEVANCE_STATES, SEVERITIES, RemediationData
from exports.reports.pdf import (
    BODY, H1, H2, WIDTH, appendix, build_pdf, contents, days, key_figures, percent, ref, shared_table, table, text,
    title_page,
)


def render(data: RemediationData) -> bytes:
    """The PDF's bytes."""
    refs = figures(data)
    story = cover(data) + contents() + summary(data, refs) + findings_section(data, refs)
    story += grievances_section(data, refs) + actions_section(data, refs) + root_causes_section(data, refs)
    story += referrals_section(data, refs) + kpis_section(data, refs) + trend_section(data, refs) + appendix(refs)
    period = f"{data.parameters.period_from.isoformat()} – {data.parameters.period_to.isoformat()}"
    return build_pdf(story, title=f"Remediation report: {data.scope.label}", author=data.organization,
                     subject="Remediation of forced and child labour cases",
                     footer=f"{data.organization} · Remediation report · {period}")


def covered(data: RemediationData) -> str:
    """What the report covers, as a sentence names it."""
    return "all suppliers and sites" if data.scope.kind == ReportScope.COMPANY else data.scope.label


def cover(data: RemediationData) -> list:
    period = f"{data.parameters.period_from:%d %B %Y} to {data.parameters.period_to:%d %B %Y}"
    return title_page(
        "Remediation report",
        "Forced labour and child labour: findings, grievances, corrective actions and referrals",
        [data.organization, covered(data)[:1].upper() + covered(data)[1:], f"Reporting period: {period}",
         f"Generated {data.generated_at:%d %B %Y, %H:%M %Z}"],
    )


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
    first = WIDTH * 0.27
    header = ["Category", "Group"] + [label for _, label in columns] + ["Total"]
    body = [[row.label, row.group.replace("_", " ")] + [row.counts[value] for value, _ in columns] + [row.total]
            for row in category_rows]
    if not body:
        return [Paragraph(f"No {total_label}.", BODY)]
    other = (WIDTH - first - WIDTH * 0.10) / (len(columns) + 1)
    return [table([header] + body, [first, WIDTH * 0.10] + [other] * (len(columns) + 1), numeric_from=2)]


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
    header = ["Corrective action", "About", "Site", "Owner", "Due", "Status", "Verified on", "Days"]
    rows = [[row.title, f"{row.about}: {row.category}", row.site, row.owner, row.due_on.isoformat(),
             row.status + (" — OVERDUE" if row.overdue else ""), row.verified_on.isoformat() if row.verified_on else "—",
             row.days_to_verify if row.days_to_verify is not None else "—"] for row in data.actions]
    overdue = [index for index, row in enumerate(data.actions) if row.overdue]
    listed = (f" The table lists the {len(data.actions)} most urgent of {data.actions_listed_of}."
              if len(data.actions) < data.actions_listed_of else "")
    story = [
        PageBreak(), Paragraph("4. Corrective actions", H1),
        Paragraph(f"{actions.open} open or in progress {ref(refs['actions_open'])}, of which {actions.overdue} overdue "
                  f"{ref(refs['actions_overdue'])}; {actions.awaiting_verification} completed and awaiting "
                  f"verification {ref(refs['actions_done'])}; verified closures in the period: {actions.verified_in_period} "
                  f"{ref(refs['actions_verified'])}; median days to remediate: {days(actions.median_days_to_verify)} "
                  f"{ref(refs['days_to_verify'])}. Overdue actions are shaded and listed first.{listed}", BODY),
        *overdue_list(data, refs),
        Paragraph(f"Owners, due dates and verification {ref(refs['action_table'])}", H2),
    ]
    if not rows:
        return story + [Paragraph("No corrective actions in scope.", BODY)]
    return story + [shared_table([header] + rows, [0.19, 0.16, 0.11, 0.12, 0.11, 0.11, 0.11, 0.07],
                                 highlight=overdue, numeric_from=7)]


def overdue_list(data: RemediationData, refs: dict) -> list:
    """The overdue actions on their own, most overdue first, with the days they are late."""
    late = sorted((row for row in data.actions if row.overdue), key=lambda row: row.due_on)
    if not late:
        return []
    rows = [["Overdue corrective action", "Site", "Owner", "Due", "Days overdue"]]
    rows += [[row.title, row.site, row.owner, row.due_on.isoformat(), (data.today - row.due_on).days] for row in late]
    return [Paragraph(f"Overdue {ref(refs['actions_overdue'])}", H2),
            shared_table(rows, [0.36, 0.18, 0.18, 0.14, 0.14], highlight=list(range(len(late))), numeric_from=4)]


def root_causes_section(data: RemediationData, refs: dict) -> list:
    header = ["Corrective action", "Root cause", "Preventive action", "Verification method"]
    rows = [[row.title, row.root_cause or "—", row.preventive_action or "—", row.verification_method or "Not stated"]
            for row in data.actions]
    stated = sum(bool(row.root_cause) for row in data.actions)
    story = [Paragraph(f"Root causes and verification {ref(refs['root_causes'])}", H2),
             Paragraph(f"{stated} of the {len(data.actions)} actions listed record a root cause.", BODY)]
    if not rows:
        return story
    return story + [shared_table([header] + rows, [0.22, 0.30, 0.30, 0.18], numeric_from=4)]


def referrals_section(data: RemediationData, refs: dict) -> list:
    referrals = data.referrals
    story = [
        PageBreak(), Paragraph("5. Referrals to protection services", H1),
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
    return story + [shared_table(rows, [0.36, 0.16, 0.16, 0.16, 0.16])]


def kpi_rows(kpis) -> list:
    """The grievance mechanism's KPIs (audits/services/kpis.py) as rows of label and value."""
    return [
        ("Grievances received", kpis.received), ("Grievances concluded", kpis.concluded),
        ("Acknowledged on time", percent(kpis.acknowledged_on_time_percent)),
        ("Concluded on time", percent(kpis.concluded_on_time_percent)),
        ("Days to acknowledge: median / 90th percentile",
         f"{days(kpis.days_to_acknowledge.median_days)} / {days(kpis.days_to_acknowledge.p90_days)}"),
        ("Days to conclude: median / 90th percentile",
         f"{days(kpis.days_to_conclude.median_days)} / {days(kpis.days_to_conclude.p90_days)}"),
        ("Substantiated (of concluded)", percent(kpis.substantiated_percent)),
        ("Remediated (of substantiated)", percent(kpis.remediated_percent)),
        ("Repeat grievances (same site and category within 365 days)", kpis.repeat_grievances),
    ]


def kpis_section(data: RemediationData, refs: dict) -> list:
    figure = refs["grievance_kpis"]
    whole = "" if data.scope.kind == ReportScope.COMPANY else " They cover the whole mechanism, not only this scope."
    return [
        Paragraph("6. Grievance mechanism", H1),
        Paragraph(f"How the grievance mechanism performed over the grievances received in the period, against the "
                  f"company's own deadlines (UN Guiding Principles, principle 31) {ref(figure)}.{whole}", BODY),
        Spacer(1, 3 * mm), key_figures([(label, value, figure) for label, value in kpi_rows(data.grievance_kpis)]),
    ]


def trend_section(data: RemediationData, refs: dict) -> list:
    rows = [["Month", "Findings raised", "Grievances received", "Actions verified"]]
    rows += [[month.month.strftime("%B %Y"), month.findings, month.grievances, month.verified] for month in data.trend]
    return [
        PageBreak(), Paragraph("7. Trend", H1),
        KeepTogether([Paragraph(f"Cases by month over the period {ref(refs['trend'])}", H2),
                      trend_chart(data.trend, WIDTH)]),
        Spacer(1, 4 * mm), shared_table(rows, [0.4, 0.2, 0.2, 0.2]),
    ]
