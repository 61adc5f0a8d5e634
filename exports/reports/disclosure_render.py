"""A disclosure report as a PDF, in the look of pdf.py: a title page naming the framework, the contents, the
statement's approval and signature, then one chapter per section of the framework (the company's own text, then
the figures of the section's blocks: a sentence, its tables and charts), and the appendix.

Every figure carries its reference ("[F3]") to the appendix entry that defines it. Rendering reads nothing from
the database.
"""

import re

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, NextPageTemplate, PageBreak, Paragraph, Spacer

from exports.reports.charts import count_chart
from exports.reports.disclosure_figures import disclosure_figures
from exports.reports.disclosure_gather import DisclosureData
from exports.reports.disclosure_tables import BLOCK_TABLES, DataTable
from exports.reports.pdf import (
    BODY, CAPTION, H1, LANDSCAPE_WIDTH, SMALL, WIDTH, appendix, build_pdf, contents, days, key_figures, ref,
    shared_table, text, title_page,
)
from exports.reports.statements import MAX_NARRATIVE

NOT_WRITTEN = ("<i>The company has not written this section for the period. It is stored through the API: "
               "disclosureNarrativeSet with framework {framework}, the period and section \"{section}\".</i>")


def period_text(data: DisclosureData) -> str:
    return f"{data.parameters.period_from:%d %B %Y} to {data.parameters.period_to:%d %B %Y}"


def render_disclosure(data: DisclosureData) -> bytes:
    """The PDF's bytes."""
    refs = disclosure_figures(data)
    story = cover(data) + contents() + approval_section(data)
    for number, section in enumerate(data.framework.sections, start=1):
        story += section_story(data, refs, number, section)
    story += appendix(refs)
    framework = data.framework
    return build_pdf(story, title=f"{framework.title}: {data.organization}", author=data.organization,
                     subject=framework.legal_basis,
                     footer=f"{data.organization} · {framework.title} · {period_text(data)}")


def cover(data: DisclosureData) -> list:
    lines = [data.organization, f"Reporting period: {period_text(data)}"]
    if data.commodity:
        lines.insert(1, f"Commodity: {data.commodity.name} (HS {data.commodity.hs_code})")
    approval = data.statement
    lines.append(f"Approved by {approval.approved_by} on {approval.approved_on:%d %B %Y}"
                 if approval.approved_by and approval.approved_on else "Not yet approved")
    lines.append(f"Generated {data.generated_at:%d %B %Y, %H:%M %Z}")
    return title_page(data.framework.title, data.framework.legal_basis, lines)


def approval_section(data: DisclosureData) -> list:
    approval = data.statement

    def when(day):
        return f"{day:%d %B %Y}" if day else "—"

    rows = [["Approval and signature", ""], ["Approved by", approval.approved_by or "Not yet recorded"],
            ["Approved on", when(approval.approved_on)], ["Signed by (director)", approval.signed_by or "Not yet recorded"],
            ["Signed on", when(approval.signed_on)]]
    return [
        Paragraph("About this statement", H1),
        Paragraph(f"{text(data.framework.title)} of {text(data.organization)} for the period {period_text(data)}, "
                  f"under {text(data.framework.legal_basis)}. {text(data.framework.approval)}", BODY),
        Paragraph("The narrative of each section is the company's own text, stored through the API; the figures are "
                  "computed from the records the company holds in Tributary when the report is generated, each "
                  "with a reference to the appendix. No personal data: no reporter and no worker is named.", BODY),
        Spacer(1, 3 * mm), shared_table(rows, [0.4, 0.6], numeric_from=2),
    ]


def narrative(data: DisclosureData, section) -> list:
    written = data.statement.narratives.get(section.code)
    if not written:
        return [Paragraph(NOT_WRITTEN.format(framework=data.framework.code, section=section.code), BODY)]
    return [Paragraph(text(paragraph).replace("\n", "<br/>"), BODY) for paragraph in
            written[:MAX_NARRATIVE].split("\n\n") if paragraph.strip()]


def numbered_heading(number: int, heading: str) -> str:
    """`3. (c) Due diligence processes`; a heading lettered by its law (LkSG's `A. Strategy`) keeps its letter only."""
    return heading if re.match(r"[A-Z]\. ", heading) else f"{number}. {heading}"


def section_story(data: DisclosureData, refs: dict, number: int, section) -> list:
    written = narrative(data, section)
    opening = [Paragraph(text(numbered_heading(number, section.heading)), H1), Paragraph(f"<i>{text(section.asks)}</i>", SMALL),
               Spacer(1, 2 * mm), written[0]]  # the heading never stands alone at the foot of a page
    story = [PageBreak() if number == 1 else Spacer(1, 6 * mm), KeepTogether(opening), *written[1:]]
    for block in section.blocks:
        story += [Spacer(1, 3 * mm), *BLOCK_TEXT[block](data, refs)]
        for table in BLOCK_TABLES[block](data):
            story += data_table(table, refs)
    return story


def data_table(table: DataTable, refs: dict) -> list:
    heading = Paragraph(f"{text(table.title)} {ref(refs[table.figure])}", CAPTION)
    if not table.rows:
        return [heading, Paragraph("None in the period.", BODY)]
    header, rows, shares = table.header, table.rows, table.shares
    if table.row_figures:
        header, shares = header + ["Ref."], shares + [1 - sum(shares)]
        rows = [row + [f"[{refs[key].ref}]"] for row, key in zip(rows, table.row_figures)]
    drawn = shared_table([header] + rows, shares, numeric_from=table.numeric_from, highlight=table.highlight,
                         width=LANDSCAPE_WIDTH if table.wide else WIDTH)
    if table.wide:
        return [NextPageTemplate("landscape"), PageBreak(), heading, drawn, NextPageTemplate("body"), PageBreak()]
    return [heading, drawn]


def network_text(data: DisclosureData, refs: dict) -> list:
    network = data.network
    chart = count_chart([row.label for row in network.by_tier], [row.count for row in network.by_tier], WIDTH,
                        x_label="Tier of the network", y_label="Sites")
    return [Paragraph(f"The network holds {network.sites} sites {ref(refs['network_sites'])} of {network.suppliers} "
                      f"suppliers {ref(refs['network_suppliers'])} in {network.countries} countries.", BODY),
            KeepTogether([Paragraph(f"Sites by tier {ref(refs['network_tiers'])}", CAPTION), chart])]


def risk_text(data: DisclosureData, refs: dict) -> list:
    risk = data.risk
    computed = f", as computed on {risk.computed_at:%d %B %Y}" if risk.computed_at else " (not yet computed)"
    chart = count_chart([row.label for row in risk.by_band], [row.count for row in risk.by_band], WIDTH,
                        x_label="Risk band (the worse of forced and child labour)", y_label="Sites")
    return [Paragraph(f"{risk.scored_sites} sites of the network carry a risk score{computed} "
                      f"{ref(refs['risk_bands'])}. The tables name the highest-risk countries, commodities and "
                      "regions: the groups with most high or severe sites, then the highest score (0–1).", BODY),
            KeepTogether([Paragraph(f"Risk distribution {ref(refs['risk_bands'])}", CAPTION), chart])]


def audits_text(data: DisclosureData, refs: dict) -> list:
    audits = data.audits
    return [Paragraph(f"{audits.audits} audits began in the period at {audits.audited_sites} sites "
                      f"{ref(refs['audits'])}; they and desk reviews raised {audits.findings} findings "
                      f"{ref(refs['findings_by_category'])}.", BODY)]


def grievances_text(data: DisclosureData, refs: dict) -> list:
    kpis = data.remediation.grievance_kpis
    return [Paragraph(f"Grievances received in the period: {kpis.received}; concluded: {kpis.concluded}; median days "
                      f"to conclude: {days(kpis.days_to_conclude.median_days)} {ref(refs['grievance_kpis'])}. Open "
                      f"now: {data.remediation.open_grievances_total} {ref(refs['open_grievances'])}.", BODY)]


def remediation_text(data: DisclosureData, refs: dict) -> list:
    actions = data.remediation.action_summary
    return [Paragraph(f"Corrective actions verified in the period: {actions.verified_in_period} "
                      f"{ref(refs['actions_verified'])}; open or in progress: {actions.open} {ref(refs['actions_open'])}, "
                      f"of which overdue: {actions.overdue} {ref(refs['actions_overdue'])}; median days to remediate: "
                      f"{days(actions.median_days_to_verify)} {ref(refs['days_to_verify'])}.", BODY)]


def referrals_text(data: DisclosureData, refs: dict) -> list:
    referrals = data.remediation.referrals
    return [key_figures([
        ("People identified in the period and referred to protection services",
         f"{referrals.referred} of {referrals.identified}", refs["referrals"]),
        ("Median days to referral", days(referrals.median_days_to_referral), refs["days_to_referral"]),
    ])]


def outcomes_text(data: DisclosureData, refs: dict) -> list:
    verified = sum(group.actions for group in data.outcomes)
    return [Paragraph(f"What works: the {verified} corrective actions verified in the period, by the kind of "
                      f"intervention, and what followed them {ref(refs['outcomes'])}. A risk change below zero means "
                      "the site's risk fell after the action (in brackets: the actions measured).", BODY)]


def questionnaire_text(data: DisclosureData, refs: dict) -> list:
    return [Paragraph("The answers below come from the records; the questionnaire's other questions are the "
                      "company's to answer in its own words.", BODY)]


def product_text(data: DisclosureData, refs: dict) -> list:
    commodity = data.commodity
    listed = "; ".join(commodity.dol_goods) or "none"
    return [Paragraph(f"Commodity: {text(commodity.name)} (code {text(commodity.code)}), HS heading "
                      f"{text(commodity.hs_code)}, sector {text(commodity.sector)}. Goods of the US Department of "
                      f"Labor's List of Goods produced by child or forced labour that it covers: {text(listed)}.", BODY)]


def evidence_text(data: DisclosureData, refs: dict) -> list:
    overdue = sum(bool(row.actions_overdue) for row in data.evidence)
    return [Paragraph(f"{len(data.evidence)} upstream sites of the network handle this commodity "
                      f"{ref(refs['evidence'])}. Sites with overdue corrective actions ({overdue}) are shaded. FL and "
                      "CL: the forced and child labour risk scores (0–1).", BODY)]


BLOCK_TEXT = {
    "network": network_text, "risk": risk_text, "audits": audits_text, "grievances": grievances_text,
    "remediation": remediation_text, "referrals": referrals_text, "outcomes": outcomes_text,
    "questionnaire": questionnaire_text,
    "product": product_text, "evidence": evidence_text,
}
