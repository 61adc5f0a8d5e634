"""The remediation report's data, gathered in one step: a fixed number of queries, whatever the amount of data,
each read through the tenancy chokepoint (backend/tenancy.py visible()), into one named record for render.py.

Nothing personal is read: no grievance's description or reporter (its ciphertext is never even selected: every
query names its columns), no finding's description; corrective actions by title, owner (a user of the company)
and dates. Counts "open" are as of the moment the report is generated; counts "in the period" by the date named
in each figure's definition (exports/reports/figures.py).
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audits.models import (
    ActionStatus, CorrectiveAction, Finding, FindingStatus, Grievance, GrievanceState, Referral, ServiceKind,
    Severity, StateChange, Subject, VerificationMethod,
)
from audits.models.remediation import PENDING_STATUSES
from audits.services.common import days_between
from audits.services.kpis import GrievanceKpis, KpiFilter, grievance_kpis
from audits.taxonomy import Category, group_of
from backend.tenancy import Viewer, visible
from exports.models import ReportScope
from exports.reports.parameters import ReportParameters
from graph.models import Site, Supplier

# A grievance is concluded once found unsubstantiated, remediated or closed; before that it is open.
CONCLUDED_GRIEVANCE_STATES = (GrievanceState.NOT_SUBSTANTIATED, GrievanceState.REMEDIATED, GrievanceState.CLOSED)
OPEN_GRIEVANCE_STATES = tuple(state for state in GrievanceState if state not in CONCLUDED_GRIEVANCE_STATES)
SEVERITIES = tuple(Severity)
MAX_ACTION_ROWS = 1000  # the table lists the most urgent ones; every count still covers all of them


@dataclass(frozen=True)
class Scope:
    """What the report covers, as its title names it, and the sites a per-site query must name."""

    kind: str
    label: str
    scope_id: int | None
    site_ids: tuple[int, ...]


@dataclass(frozen=True)
class CategoryRow:
    """Open cases of one category: by severity (findings) or by state (grievances)."""

    category: str
    label: str
    group: str
    counts: dict
    total: int


@dataclass(frozen=True)
class ActionRow:
    """One corrective action as the report lists it."""

    title: str
    about: str
    category: str
    site: str
    owner: str
    due_on: datetime.date
    status: str
    verified_on: datetime.date | None
    overdue: bool
    days_to_verify: int | None
    root_cause: str
    preventive_action: str
    verification_method: str


@dataclass(frozen=True)
class ActionSummary:
    open: int
    overdue: int
    awaiting_verification: int
    verified_in_period: int
    median_days_to_verify: float | None


@dataclass(frozen=True)
class ServiceRow:
    service: str
    referrals: int
    persons: int
    with_children: int
    median_days_to_referral: float | None


@dataclass(frozen=True)
class ReferralSummary:
    identified: int
    referred: int
    pending_referral: int
    persons: int
    with_children: int
    median_days_to_referral: float | None
    by_service: list


@dataclass(frozen=True)
class MonthRow:
    """One month of the trend: findings raised, grievances received and actions verified."""

    month: datetime.date
    findings: int
    grievances: int
    verified: int


@dataclass(frozen=True)
class RemediationData:
    organization: str
    scope: Scope
    parameters: ReportParameters
    generated_at: datetime.datetime
    today: datetime.date
    open_findings: list
    open_findings_total: int
    open_grievances: list
    open_grievances_total: int
    findings_in_period: int
    grievances_in_period: int
    actions: list
    actions_listed_of: int
    action_summary: ActionSummary
    referrals: ReferralSummary
    grievance_kpis: GrievanceKpis
    trend: list


def gather(viewer: Viewer, parameters: ReportParameters) -> RemediationData:
    """Everything the remediation report shows, for the viewer's organization, its scope and period."""
    today = timezone.localdate()
    scope = scope_of(viewer, parameters)
    findings, grievances, actions, referrals = scoped_querysets(viewer, scope)
    period = (parameters.period_from, parameters.period_to)
    open_findings = category_rows(
        findings.filter(status=FindingStatus.OPEN).values("category", "severity").annotate(n=Count("id")),
        "severity", SEVERITIES,
    )
    open_grievances = category_rows(
        grievances.filter(state__in=OPEN_GRIEVANCE_STATES).values("category", "state").annotate(n=Count("id")),
        "state", OPEN_GRIEVANCE_STATES,
    )
    findings_by_month = monthly(findings.filter(found_on__range=period), "found_on")
    grievances_by_month = monthly(grievances.filter(received_at__date__range=period), "received_at")
    action_rows = read_actions(actions, parameters, today)
    return RemediationData(
        organization=viewer.organization.name, scope=scope, parameters=parameters, generated_at=timezone.now(),
        today=today, open_findings=open_findings, open_findings_total=sum(row.total for row in open_findings),
        open_grievances=open_grievances, open_grievances_total=sum(row.total for row in open_grievances),
        findings_in_period=sum(findings_by_month.values()), grievances_in_period=sum(grievances_by_month.values()),
        actions=most_urgent(action_rows), actions_listed_of=len(action_rows),
        action_summary=summarise_actions(action_rows), referrals=read_referrals(referrals, parameters),
        grievance_kpis=grievance_kpis(viewer, KpiFilter(parameters.period_from, parameters.period_to))[0],
        trend=trend(parameters, findings_by_month, grievances_by_month, action_rows),
    )


def scope_of(viewer: Viewer, parameters: ReportParameters) -> Scope:
    """The scope's name and sites: none for the company (every query covers all it sees), the site itself, or
    the supplier's sites the viewer sees."""
    if parameters.scope == ReportScope.COMPANY:
        return Scope(ReportScope.COMPANY, viewer.organization.name, None, ())
    if parameters.scope == ReportScope.SITE:
        site = visible(Site, viewer).filter(pk=parameters.scope_id).values("name", "country").get()
        return Scope(ReportScope.SITE, f"Site: {site['name']} ({site['country']})",
                     parameters.scope_id, (parameters.scope_id,))
    supplier = visible(Supplier, viewer).filter(pk=parameters.scope_id).values("name", "country").get()
    site_ids = tuple(visible(Site, viewer).filter(supplier_id=parameters.scope_id).order_by("pk")
                     .values_list("pk", flat=True))
    return Scope(ReportScope.SUPPLIER, f"Supplier: {supplier['name']} ({supplier['country']})",
                 parameters.scope_id, site_ids)


def scoped_querysets(viewer: Viewer, scope: Scope):
    """The visible findings, grievances, corrective actions and referrals within the scope."""
    findings, grievances = visible(Finding, viewer), visible(Grievance, viewer)
    actions, referrals = visible(CorrectiveAction, viewer), visible(Referral, viewer)
    if scope.kind != ReportScope.COMPANY:
        sites = scope.site_ids
        findings, grievances = findings.filter(site_id__in=sites), grievances.filter(site_id__in=sites)
        actions = actions.filter(Q(finding__site_id__in=sites) | Q(grievance__site_id__in=sites))
        referrals = referrals.filter(site_id__in=sites)
    return findings, grievances, actions, referrals


def category_rows(grouped, column: str, columns: tuple) -> list[CategoryRow]:
    """Rows by category in the taxonomy's order (forced labour, child labour, other), only those with cases."""
    counts = defaultdict(Counter)
    for group in grouped:
        counts[group["category"]][group[column]] += group["n"]
    return [
        CategoryRow(category.value, category.label, group_of(category),
                    {value: counts[category][value] for value in columns}, sum(counts[category].values()))
        for category in Category if counts.get(category.value)
    ]


def monthly(queryset, date_field: str) -> dict:
    """How many rows fall in each month (by `date_field`), one grouped query."""
    grouped = queryset.annotate(month=TruncMonth(date_field)).values("month").annotate(n=Count("id"))
    return {as_date(group["month"]): group["n"] for group in grouped}


def as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def read_actions(actions, parameters: ReportParameters, today: datetime.date) -> list[ActionRow]:
    """The actions still pending, done or rejected, and those verified in the period, with the moment of their
    verification (the latest change of state to verified); one query, naming its columns."""
    verified_at = StateChange.objects.filter(
        subject=Subject.ACTION, object_id=OuterRef("pk"), to_state=ActionStatus.VERIFIED,
    ).order_by("-at").values("at")[:1]
    rows = (
        actions.annotate(verified_at=Subquery(verified_at))
        .filter(~Q(status=ActionStatus.VERIFIED)
                | Q(verified_at__date__range=(parameters.period_from, parameters.period_to)))
        .values("title", "finding_id", "finding__category", "finding__site__name", "grievance__category",
                "grievance__site__name", "owner__username", "owner__first_name", "owner__last_name", "due_on",
                "status", "created_at", "verified_at", "root_cause", "preventive_action", "verification_method")
        .order_by("due_on", "pk")
    )
    return [action_row(row, today) for row in rows]


def action_row(row: dict, today: datetime.date) -> ActionRow:
    on_finding = row["finding_id"] is not None
    verified_at = row["verified_at"] if row["status"] == ActionStatus.VERIFIED else None
    verified_on = timezone.localtime(verified_at).date() if verified_at else None
    owner = " ".join(filter(None, (row["owner__first_name"], row["owner__last_name"]))) or row["owner__username"]
    category = row["finding__category"] if on_finding else row["grievance__category"]
    return ActionRow(
        title=row["title"], about="Finding" if on_finding else "Grievance", category=Category(category).label,
        site=row["finding__site__name"] if on_finding else row["grievance__site__name"], owner=owner,
        due_on=row["due_on"], status=ActionStatus(row["status"]).label, verified_on=verified_on,
        overdue=row["status"] in PENDING_STATUSES and row["due_on"] < today,
        days_to_verify=(verified_at - row["created_at"]).days if verified_at else None,
        root_cause=row["root_cause"], preventive_action=row["preventive_action"],
        verification_method=VerificationMethod(row["verification_method"]).label if row["verification_method"] else "",
    )


def most_urgent(rows: list[ActionRow]) -> list[ActionRow]:
    """Overdue first, then by due date; at most MAX_ACTION_ROWS."""
    return sorted(rows, key=lambda row: (not row.overdue, row.verified_on is not None, row.due_on))[:MAX_ACTION_ROWS]


def summarise_actions(rows: list[ActionRow]) -> ActionSummary:
    """The counts of the actions read, and the median days to verification of those verified in the period."""
    verified = [row.days_to_verify for row in rows if row.verified_on is not None]
    pending = [ActionStatus.OPEN.label, ActionStatus.IN_PROGRESS.label]
    return ActionSummary(
        open=sum(row.status in pending for row in rows), overdue=sum(row.overdue for row in rows),
        awaiting_verification=sum(row.status == ActionStatus.DONE.label for row in rows),
        verified_in_period=len(verified), median_days_to_verify=statistics.median(verified) if verified else None,
    )


def read_referrals(referrals, parameters: ReportParameters) -> ReferralSummary:
    """Referrals of people identified in the period: how many were referred, and how fast, by service."""
    rows = list(
        referrals.filter(identified_at__date__range=(parameters.period_from, parameters.period_to))
        .values("service", "persons", "children_involved", "identified_at", "referred_at")
    )

    def days(row):
        return days_between(row["identified_at"], row["referred_at"])

    def median_days(group):
        referred = [days(row) for row in group if row["referred_at"]]
        return statistics.median(referred) if referred else None

    by_service = [
        ServiceRow(service.label, len(group), sum(row["persons"] for row in group),
                   sum(row["children_involved"] for row in group), median_days(group))
        for service in ServiceKind
        if (group := [row for row in rows if row["service"] == service])
    ]
    referred = sum(row["referred_at"] is not None for row in rows)
    return ReferralSummary(
        identified=len(rows), referred=referred, pending_referral=len(rows) - referred,
        persons=sum(row["persons"] for row in rows), with_children=sum(row["children_involved"] for row in rows),
        median_days_to_referral=median_days(rows), by_service=by_service,
    )


def trend(parameters: ReportParameters, findings: dict, grievances: dict, actions: list[ActionRow]) -> list[MonthRow]:
    """Every month of the period, with its counts (zero when nothing happened)."""
    verified = Counter(row.verified_on.replace(day=1) for row in actions if row.verified_on)
    months, month = [], parameters.period_from.replace(day=1)
    while month <= parameters.period_to:
        months.append(MonthRow(month, findings.get(month, 0), grievances.get(month, 0), verified.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months
