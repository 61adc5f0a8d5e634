"""The tables of a disclosure report, once for both of its forms: the PDF draws each as a table under its block
(disclosure_render.py), the workbook writes each as a sheet (disclosure_xlsx.py). Every table names the figure
(disclosure_figures.py) that defines it."""

from dataclasses import dataclass, field

from audits.models import Severity
from exports.reports.disclosure_gather import DisclosureData
from exports.reports.pdf import days
from exports.reports.render import kpi_rows


@dataclass(frozen=True)
class DataTable:
    """A table: its sheet name (at most 31 characters, Excel's limit), title, figure key, header and rows; the
    columns' shares of the page's width, the first numeric column, the rows to shade (indexes into `rows`); and,
    when each row is a figure of its own, the figure key of each row (the report adds a column of references);
    `wide`: the PDF prints it on landscape pages."""

    sheet: str
    title: str
    figure: str
    header: list
    rows: list
    shares: list
    numeric_from: int = 1
    highlight: list = field(default_factory=list)
    row_figures: list = field(default_factory=list)
    wide: bool = False


def count_table(sheet: str, title: str, figure: str, label: str, rows: list) -> DataTable:
    return DataTable(sheet, title, figure, [label, "Sites"], [[row.label, row.count] for row in rows], [0.75, 0.25])


def risk_table(sheet: str, title: str, figure: str, label: str, rows: list) -> DataTable:
    return DataTable(sheet, title, figure, [label, "Sites", "High or severe", "Highest score"],
                     [[row.label, row.sites, row.high_or_severe, f"{row.max_score:.3f}"] for row in rows],
                     [0.46, 0.18, 0.18, 0.18])


def network_tables(data: DisclosureData) -> list[DataTable]:
    network = data.network
    return [count_table("Network by tier", "Sites by tier", "network_tiers", "Tier", network.by_tier),
            count_table("Network by country", "Sites by country", "network_countries", "Country", network.by_country)]


def risk_tables(data: DisclosureData) -> list[DataTable]:
    risk = data.risk
    return [
        count_table("Risk bands", "Sites by risk band", "risk_bands", "Band", risk.by_band),
        risk_table("Highest-risk countries", "Highest-risk countries", "risk_countries", "Country", risk.countries),
        risk_table("Highest-risk commodities", "Highest-risk commodities", "risk_commodities", "Commodity",
                   risk.commodities),
        risk_table("Highest-risk regions", "Highest-risk regions", "risk_regions", "Region", risk.regions),
    ]


def audit_tables(data: DisclosureData) -> list[DataTable]:
    audits = data.audits
    severities = list(Severity)
    return [
        DataTable("Audits by standard", "Audits in the period by standard", "audits", ["Standard", "Audits"],
                  [[row.label, row.count] for row in audits.by_standard], [0.75, 0.25]),
        DataTable("Findings by category", "Findings raised in the period by category and severity",
                  "findings_by_category", ["Category", "Group"] + [s.label for s in severities] + ["Total"],
                  [[row.label, row.group.replace("_", " ")] + [row.counts[s.value] for s in severities] + [row.total]
                   for row in audits.findings_by_category],
                  [0.30, 0.14] + [0.112] * 5, numeric_from=2),
    ]


def grievance_tables(data: DisclosureData) -> list[DataTable]:
    return [DataTable("Grievance mechanism", "Grievance mechanism KPIs", "grievance_kpis", ["Indicator", "Value"],
                      [[label, value] for label, value in kpi_rows(data.remediation.grievance_kpis)], [0.75, 0.25])]


def remediation_tables(data: DisclosureData) -> list[DataTable]:
    remediation, actions = data.remediation, data.remediation.action_summary
    rows = [
        ["Findings raised in the period", remediation.findings_in_period, "findings_in_period"],
        ["Findings open", remediation.open_findings_total, "open_findings"],
        ["Corrective actions open or in progress", actions.open, "actions_open"],
        ["Corrective actions overdue", actions.overdue, "actions_overdue"],
        ["Corrective actions completed, awaiting verification", actions.awaiting_verification, "actions_done"],
        ["Corrective actions verified in the period", actions.verified_in_period, "actions_verified"],
        ["Median days to remediate", days(actions.median_days_to_verify), "days_to_verify"],
        ["Corrective actions with a root cause recorded",
         sum(bool(row.root_cause) for row in remediation.actions), "root_causes"],
    ]
    return [DataTable("Remediation outcomes", "Remediation outcomes", "actions_verified", ["Outcome", "Value"],
                      [row[:2] for row in rows], [0.64, 0.22], highlight=[3] if actions.overdue else [],
                      row_figures=[row[2] for row in rows])]


def referral_tables(data: DisclosureData) -> list[DataTable]:
    referrals = data.remediation.referrals
    return [DataTable("Referrals", "Referrals to protection services by service", "referrals",
                      ["Service", "Referrals", "Persons", "Involving children", "Median days to referral"],
                      [[row.service, row.referrals, row.persons, row.with_children, days(row.median_days_to_referral)]
                       for row in referrals.by_service], [0.36, 0.16, 0.16, 0.16, 0.16])]


def change(risk) -> str:
    """A mean risk change (score then − score at verification), or why there is none."""
    if risk.mean_change is not None:
        return f"{risk.mean_change:+.3f} ({risk.measured})"
    return "not yet" if risk.reason == "not_yet" or risk.not_yet else "no history"


def outcome_tables(data: DisclosureData) -> list[DataTable]:
    rows = [[group.label, group.actions, days(group.days_to_verified_closure.median_days),
             f"{group.recurrence.recurred} of {group.recurrence.observed} ({group.recurrence.pending} pending)",
             change(group.risk_change_6_months), change(group.risk_change_12_months)] for group in data.outcomes]
    return [DataTable("What works", "What works: outcomes by intervention type", "outcomes",
                      ["Intervention type", "Actions verified", "Median days to closure", "Recurred of observed",
                       "Risk change at 6 months", "Risk change at 12 months"],
                      rows, [0.26, 0.12, 0.14, 0.18, 0.15, 0.15])]


def questionnaire_tables(data: DisclosureData) -> list[DataTable]:
    """Canada's annual questionnaire: the questions the data answers (the others are the company's to answer)."""
    remediation, kpis = data.remediation, data.remediation.grievance_kpis
    risky = [row.label for row in data.risk.commodities if row.high_or_severe][:5]
    yes_no = {True: "Yes", False: "No"}
    rows = [
        ["Has the entity identified forced labour or child labour risks in its activities and supply chains?",
         yes_no[bool(sum(row.high_or_severe for row in data.risk.countries))]],
        ["Commodities at risk (high or severe sites)", ", ".join(risky) or "None identified"],
        ["Steps taken to assess and manage the risk: audits in the period", data.audits.audits],
        ["Has the entity taken remediation measures? Corrective actions verified in the period",
         f"{yes_no[remediation.action_summary.verified_in_period > 0]} ({remediation.action_summary.verified_in_period})"],
        ["Grievances reported in the period / concluded", f"{kpis.received} / {kpis.concluded}"],
        ["Referrals of people to protection services in the period", remediation.referrals.referred],
    ]
    return [DataTable("Questionnaire", "Annual questionnaire: answers from the data", "grievance_kpis",
                      ["Question", "Answer"], rows, [0.72, 0.28], numeric_from=2)]


def evidence_tables(data: DisclosureData) -> list[DataTable]:
    rows, late = [], []
    for index, row in enumerate(data.evidence):
        rows.append([
            f"{row.name}" + (f" (OS ID {row.os_id})" if row.os_id else ""),
            "-".join(filter(None, (row.country, row.subdivision.split("-")[-1] if row.subdivision else ""))) +
            (f"; {row.coordinates}" if row.coordinates else ""),
            row.supplier + (f" ({row.supplier_ids})" if row.supplier_ids else ""),
            row.tier if row.tier is not None else "—",
            f"{row.band}" + (f"; FL {row.forced_labour:.2f}, CL {row.child_labour:.2f}" if row.forced_labour is not None else ""),
            f"Links: {row.link_evidence}; audits {row.audits}" + (f", last {row.last_audit}" if row.last_audit else ""),
            f"Findings {row.open_findings} open of {row.findings}; grievances {row.grievances}",
            f"{row.actions_open} open, {row.actions_overdue} overdue, {row.actions_verified} verified",
            row.outcome,
        ])
        if row.actions_overdue:
            late.append(index)
    return [DataTable("Evidence pack", "Upstream sites: identifiers, risk, evidence, actions and outcomes",
                      "evidence", ["Site", "Location", "Supplier", "Tier", "Risk", "Evidence", "Cases",
                                   "Corrective actions", "Outcome"],
                      rows, [0.16, 0.10, 0.14, 0.04, 0.11, 0.14, 0.12, 0.10, 0.09], numeric_from=9, highlight=late,
                      wide=True)]


def no_tables(data: DisclosureData) -> list[DataTable]:
    """A block whose figures are its sentence only (the FLR pack's product)."""
    return []


BLOCK_TABLES = {
    "network": network_tables, "risk": risk_tables, "audits": audit_tables, "grievances": grievance_tables,
    "remediation": remediation_tables, "referrals": referral_tables, "outcomes": outcome_tables,
    "questionnaire": questionnaire_tables,
    "product": no_tables, "evidence": evidence_tables,
}
