"""The appendix of the remediation report: every figure's reference, definition, period and the GraphQL query
(with its variables) that reproduces it from the API, as the report's reader would run it with their own token.

The queries are those of schema.graphql today. Where the API filters what the figure counts (status, category,
severity, site), the variables say so; where it does not (a date within the period, a supplier's sites for a
corrective action), the definition says which field of each returned node to count by, paging through with
`after` at most 100 nodes at a time.
"""

import json
from dataclasses import dataclass

from graphql_relay import to_global_id

from exports.models import ReportScope
from exports.reports.gather import CONCLUDED_GRIEVANCE_STATES, OPEN_GRIEVANCE_STATES, RemediationData

OPEN_ACTIONS = ["open", "in_progress"]


@dataclass(frozen=True)
class Figure:
    """One appendix entry: the report writes `[ref]` beside the figure it documents."""

    ref: str
    title: str
    period: str
    definition: str
    query: str
    variables: dict

    @property
    def variables_text(self) -> str:
        return json.dumps(self.variables, ensure_ascii=False)


FINDINGS_COUNT = ("query($status: [String!], $category: [String!], $severity: [String!], $siteId: ID) "
                  "{ findings(first: 1, status: $status, category: $category, severity: $severity, siteId: $siteId) "
                  "{ totalCount } }")
FINDINGS_DATES = ("query($siteId: ID, $after: String) { findings(first: 100, after: $after, siteId: $siteId) "
                  "{ totalCount pageInfo { endCursor hasNextPage } edges { node { foundOn } } } }")
GRIEVANCES_COUNT = ("query($state: [String!], $category: [String!], $siteId: ID) "
                    "{ grievances(first: 1, state: $state, category: $category, siteId: $siteId) { totalCount } }")
GRIEVANCES_DATES = ("query($siteId: ID, $after: String) { grievances(first: 100, after: $after, siteId: $siteId) "
                    "{ pageInfo { endCursor hasNextPage } edges { node { receivedAt } } } }")
ACTIONS = ("query($status: [String!], $overdue: Boolean, $after: String) { correctiveActions(first: 100, "
           "after: $after, status: $status, overdue: $overdue) { totalCount pageInfo { endCursor hasNextPage } "
           "edges { node { title owner dueOn status isOverdue createdAt finding { site { id } } "
           "grievance { site { id } } history(first: 100) { toState at } } } } }")
KPIS = ("query($receivedFrom: Date, $receivedTo: Date) { grievanceKpis(receivedFrom: $receivedFrom, "
        "receivedTo: $receivedTo) { received concluded acknowledgedOnTimePercent concludedOnTimePercent "
        "daysToAcknowledge { medianDays p90Days } daysToConclude { medianDays p90Days } substantiatedPercent "
        "remediatedPercent repeatGrievances } }")
ROOT_CAUSES = ("query($after: String) { correctiveActions(first: 100, after: $after) { pageInfo { endCursor "
               "hasNextPage } edges { node { title rootCause preventiveAction verificationMethod status } } } }")
REFERRALS = ("query($siteId: ID, $after: String) { referrals(first: 100, after: $after, siteId: $siteId) "
             "{ pageInfo { endCursor hasNextPage } edges { node { service persons childrenInvolved identifiedAt "
             "referredAt daysToReferral } } } }")


def site_variables(data: RemediationData) -> dict:
    """The siteId a query of the report's scope takes: none for the company; for a supplier, each of its sites
    in turn (the figure is the sum over them)."""
    if data.scope.kind == ReportScope.COMPANY:
        return {}
    ids = [to_global_id("Site", pk) for pk in data.scope.site_ids]
    return {"siteId": ids[0]} if data.scope.kind == ReportScope.SITE else {"siteId (each in turn, summed)": ids}


def scope_sentence(data: RemediationData) -> str:
    if data.scope.kind == ReportScope.COMPANY:
        return "every record visible to the organization"
    if data.scope.kind == ReportScope.SITE:
        return "records of the site"
    return f"records of the supplier's {len(data.scope.site_ids)} site(s) visible to the organization"


def action_scope(data: RemediationData) -> str:
    if data.scope.kind == ReportScope.COMPANY:
        return ""
    return " Count only the nodes whose finding.site.id or grievance.site.id is a site of the scope."


def figures(data: RemediationData) -> dict[str, Figure]:
    """Every figure of the report by its key, numbered F1, F2… in the order the report shows them."""
    period = f"{data.parameters.period_from.isoformat()} to {data.parameters.period_to.isoformat()}"
    sites, scope = site_variables(data), scope_sentence(data)
    as_of = f"as of {data.today.isoformat()}, when the report was generated"
    entries = [
        ("open_findings", "Open findings by category and severity", as_of,
         f"Findings with status open, {as_of}, of {scope}: one cell per category (row) and severity (column). "
         "Run the query with the cell's category and severity; the row total without severity.",
         FINDINGS_COUNT, {"status": ["open"], "category": ["<category>"], "severity": ["<severity>"], **sites}),
        ("open_grievances", "Open grievances by category and state", as_of,
         f"Grievances routed to the organization that are not yet concluded ({', '.join(CONCLUDED_GRIEVANCE_STATES)} "
         f"count as concluded), {as_of}, of {scope}; one cell per category and state.",
         GRIEVANCES_COUNT, {"state": list(OPEN_GRIEVANCE_STATES), "category": ["<category>"], **sites}),
        ("findings_in_period", "Findings raised in the period", period,
         f"Findings of {scope} whose foundOn date lies in the period {period} (inclusive): count the nodes by foundOn.",
         FINDINGS_DATES, {**sites}),
        ("grievances_in_period", "Grievances received in the period", period,
         f"Grievances of {scope} whose receivedAt lies in the period {period} (inclusive, in the service's time "
         "zone): count the nodes by receivedAt.", GRIEVANCES_DATES, {**sites}),
        ("actions_open", "Corrective actions open or in progress", as_of,
         f"Corrective actions visible to the organization with status open or in_progress, {as_of}: totalCount."
         + action_scope(data), ACTIONS, {"status": OPEN_ACTIONS}),
        ("actions_overdue", "Overdue corrective actions", as_of,
         f"Corrective actions open or in progress whose due date has passed, {as_of}: totalCount with overdue true."
         + action_scope(data), ACTIONS, {"overdue": True}),
        ("actions_done", "Corrective actions awaiting verification", as_of,
         f"Corrective actions with status done (completed, not yet verified), {as_of}." + action_scope(data),
         ACTIONS, {"status": ["done"]}),
        ("actions_verified", "Corrective actions verified in the period (verified closures)", period,
         f"Corrective actions with status verified whose latest history entry with toState verified lies in the "
         f"period {period}." + action_scope(data), ACTIONS, {"status": ["verified"]}),
        ("days_to_verify", "Median days to remediate", period,
         "Over the actions of the previous figure: the median of the whole days from createdAt to that history "
         "entry's `at`.", ACTIONS, {"status": ["verified"]}),
        ("action_table", "Corrective actions: owners, due dates and verification", f"{as_of}; verified: {period}",
         f"The actions not verified, {as_of}, and those verified in the period {period}; overdue first, then by due "
         "date (the table lists at most 1,000; the counts above cover all). Verified on: the date of the latest "
         "history entry with toState verified." + action_scope(data), ACTIONS, {}),
        ("root_causes", "Root causes and verification methods", f"{as_of}; verified: {period}",
         "Over the corrective actions of the previous table: each one's rootCause, preventiveAction and "
         "verificationMethod as the company recorded them (empty when not recorded)." + action_scope(data),
         ROOT_CAUSES, {}),
        ("referrals", "Referrals to protection services", period,
         f"Referrals made by the organization for people identified in the period {period} (identifiedAt, "
         f"inclusive), of {scope}: count the nodes; referred: referredAt not null; persons: sum of persons.",
         REFERRALS, {**sites}),
        ("days_to_referral", "Median days to referral", period,
         "Over the referred nodes of the previous figure: the median of daysToReferral (referredAt − identifiedAt, "
         "in days), overall and per service.", REFERRALS, {**sites}),
        ("grievance_kpis", "Grievance mechanism KPIs", period,
         f"The KPIs of the company's whole grievance mechanism (not only the scope's sites) over the grievances "
         f"received in the period {period}: received, concluded, acknowledged and concluded on time against the "
         "company's clock, median and 90th-percentile days to acknowledge and to conclude, substantiated and "
         "remediated shares, repeat grievances.", KPIS, period_variables(data.parameters)),
        ("trend", "Monthly trend", period,
         f"For each calendar month of the period {period}: findings raised (foundOn), grievances received "
         "(receivedAt) and corrective actions verified (the verification's history entry), counted as in the "
         "figures named above.", FINDINGS_DATES, {**sites}),
    ]
    return numbered(entries)


def period_variables(parameters) -> dict:
    return {"receivedFrom": parameters.period_from.isoformat(), "receivedTo": parameters.period_to.isoformat()}


def numbered(entries: list[tuple], start: int = 1) -> dict[str, Figure]:
    """The entries (key, title, period, definition, query, variables) as Figures by key, numbered F<start>, … in
    the order the report shows them."""
    return {key: Figure(f"F{number}", title, period, definition, query, variables)
            for number, (key, title, period, definition, query, variables) in enumerate(entries, start=start)}
