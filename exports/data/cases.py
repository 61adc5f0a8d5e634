"""The company's cases as tables: findings shared with it, corrective actions it sees, grievances routed to it
(redacted) and its referrals, each as the API shows them to the viewer.

Every read goes through `visible()`; the sites, audits and parties the rows point to are read once per table,
through `visible()` too, so that a row never names a site its reader cannot see (such a cell stays empty, as
the API's field is null). A grievance's reporter is never read: the column holding it is not even selected.
"""

from collections.abc import Iterable

from django.utils import timezone
from graphql_relay import to_global_id

from audits.models import (
    ActionStatus, Audit, AuditStandard, Channel, CorrectiveAction, Finding, FindingStatus, Grievance, GrievanceState,
    Party, Referral, ReferralOutcome, ServiceKind, Severity, VerificationMethod,
)
from audits.services.clocks import clock_of, received_day, stage_of
from audits.services.common import days_between
from audits.taxonomy import Category, InterventionType, group_of
from backend.tenancy import Viewer, visible
from exports.data.tables import Column, Row, Table
from graph.models import NetworkSite, Site

SITE_COLUMNS = (Column("site_id", "Site ID (GraphQL)", 18), Column("site_ref", "Your site reference", 16),
                Column("site", "Site", 30), Column("country", "Country", 9))


def site_cells(viewer: Viewer, site_ids: Iterable[int]) -> dict[int, Row]:
    """The site columns of each visible site among `site_ids` (two queries); a site not visible has none."""
    site_ids = set(site_ids)
    refs = dict(visible(NetworkSite, viewer).filter(site_id__in=site_ids).values_list("site_id", "internal_ref"))
    return {
        pk: {"site_id": to_global_id("Site", pk), "site_ref": refs.get(pk), "site": name, "country": country}
        for pk, name, country in visible(Site, viewer).filter(pk__in=site_ids).values_list("id", "name", "country")
    }


def labelled(choices, value: str | None) -> str | None:
    """A choice's label ("Debt bondage"), as the API's *Label fields give it; None stays empty."""
    return choices(value).label if value else None


def findings(viewer: Viewer) -> Table:
    rows = list(visible(Finding, viewer).order_by("-found_on", "-id").values(
        "id", "site_id", "audit_id", "audit_firm_id", "category", "severity", "status", "found_on", "description",
        "created_at",
    ))
    sites = site_cells(viewer, (row["site_id"] for row in rows))
    audits = visible(Audit, viewer).in_bulk({row["audit_id"] for row in rows if row["audit_id"]})
    firms = dict(visible(Party, viewer).filter(pk__in={row["audit_firm_id"] for row in rows}).values_list("id", "name"))

    def cells(row):
        audit = audits.get(row["audit_id"])
        return sites.get(row["site_id"], {}) | {
            "id": to_global_id("Finding", row["id"]), "audit_firm": firms.get(row["audit_firm_id"]),
            "audit": to_global_id("Audit", audit.pk) if audit else None,
            "standard": labelled(AuditStandard, audit.standard) if audit else None,
            "audit_reference": audit.report_reference if audit else None,
            "category": row["category"], "category_label": labelled(Category, row["category"]),
            "group": group_of(row["category"]), "severity": labelled(Severity, row["severity"]),
            "status": labelled(FindingStatus, row["status"]), "found_on": row["found_on"],
            "description": row["description"], "created_at": row["created_at"],
        }

    return Table(
        title="Findings", about="The audit findings you see: your audit firms' findings shared with you.",
        columns=(Column("id", "Finding ID (GraphQL)", 18), *SITE_COLUMNS, Column("audit_firm", "Audit firm", 24),
                 Column("audit", "Audit ID (GraphQL)", 18), Column("standard", "Standard", 18),
                 Column("audit_reference", "Audit report reference", 16), Column("category", "Category code", 20),
                 Column("category_label", "Category", 28), Column("group", "Group", 14),
                 Column("severity", "Severity", 11), Column("status", "Status", 9), Column("found_on", "Found on", 11),
                 Column("description", "Description", 60), Column("created_at", "Recorded at (UTC)", 20)),
        rows=map(cells, rows),
    )


def corrective_actions(viewer: Viewer) -> Table:
    today = timezone.localdate()
    actions = visible(CorrectiveAction, viewer)
    rows = list(actions.order_by("due_on", "id").values(
        "id", "organization_id", "finding_id", "grievance_id", "finding__site_id", "grievance__site_id", "title",
        "owner__username", "due_on", "status", "root_cause", "preventive_action", "verification_method",
        "intervention_type", "completion_note", "verification_note", "created_at", "updated_at",
    ))
    overdue = set(actions.overdue(today).values_list("id", flat=True))
    sites = site_cells(viewer, (row["finding__site_id"] or row["grievance__site_id"] for row in rows))
    owners = dict(visible(Party, viewer).filter(pk__in={row["organization_id"] for row in rows}).values_list("id", "name"))
    mine = viewer.organization.pk

    def cells(row):
        site_id = row["finding__site_id"] or row["grievance__site_id"]
        about = ("Finding", row["finding_id"]) if row["finding_id"] else ("Grievance", row["grievance_id"])
        return sites.get(site_id, {}) | {
            "id": to_global_id("CorrectiveAction", row["id"]), "about": to_global_id(*about),
            "about_kind": about[0].lower(), "organization": owners.get(row["organization_id"]),
            "owner": row["owner__username"] if row["organization_id"] == mine else None,  # as the API: ours only
            "title": row["title"], "due_on": row["due_on"], "status": labelled(ActionStatus, row["status"]),
            "overdue": "yes" if row["id"] in overdue else "no", "root_cause": row["root_cause"],
            "preventive_action": row["preventive_action"],
            "verification_method": labelled(VerificationMethod, row["verification_method"]),
            "intervention_type": labelled(InterventionType, row["intervention_type"]),
            "completion_note": row["completion_note"], "verification_note": row["verification_note"],
            "created_at": row["created_at"], "updated_at": row["updated_at"],
        }

    return Table(
        title="Corrective actions",
        about=f"The corrective actions you see, by due date; overdue: still open or in progress after its due date "
              f"(as of {today.isoformat()}).",
        columns=(Column("id", "Action ID (GraphQL)", 18), Column("about", "Finding or grievance ID (GraphQL)", 18),
                 Column("about_kind", "For a", 10), *SITE_COLUMNS, Column("organization", "Action of", 20),
                 Column("owner", "Owner (your organization's actions)", 16), Column("title", "Action", 40),
                 Column("due_on", "Due on", 11), Column("status", "Status", 16), Column("overdue", "Overdue", 8),
                 Column("root_cause", "Root cause", 36), Column("preventive_action", "Preventive action", 36),
                 Column("verification_method", "Verification method", 20),
                 Column("intervention_type", "Intervention type", 20), Column("completion_note", "Completion", 36),
                 Column("verification_note", "Verification", 36), Column("created_at", "Created at (UTC)", 20),
                 Column("updated_at", "Last changed at (UTC)", 20)),
        rows=map(cells, rows),
    )


def grievances(viewer: Viewer) -> Table:
    """Grievances as the company sees them: what happened, where and its handling, never who reported it."""
    today, clock = timezone.localdate(), clock_of(viewer)
    rows = list(visible(Grievance, viewer).order_by("-received_at", "-id").values(
        "id", "site_id", "filed_by__name", "channel", "category", "description", "events_on", "workers_affected",
        "children_involved", "state", "received_at", "updated_at",
    ))
    sites = site_cells(viewer, (row["site_id"] for row in rows))

    def cells(row):
        received, stage = received_day(row["received_at"]), stage_of(row["state"])
        return sites.get(row["site_id"], {}) | {
            "id": to_global_id("Grievance", row["id"]), "filed_by": row["filed_by__name"],
            "channel": labelled(Channel, row["channel"]), "category": row["category"],
            "category_label": labelled(Category, row["category"]), "group": group_of(row["category"]),
            "description": row["description"], "events_on": row["events_on"],
            "workers_affected": row["workers_affected"], "children_involved": "yes" if row["children_involved"] else "no",
            "state": labelled(GrievanceState, row["state"]), "received_at": row["received_at"],
            "acknowledge_due_on": clock.deadline(received, "acknowledge"),
            "conclude_due_on": clock.deadline(received, "conclude"),
            "overdue": "yes" if stage is not None and clock.deadline(received, stage) < today else "no",
            "updated_at": row["updated_at"],
        }

    return Table(
        title="Grievances",
        about="The grievances routed to you, redacted: no reporter's identity or contact (only the filing workers' "
              f"organization sees those). Deadlines by your grievance clock; overdue as of {today.isoformat()}.",
        columns=(Column("id", "Grievance ID (GraphQL)", 18), *SITE_COLUMNS, Column("filed_by", "Filed by", 24),
                 Column("channel", "Channel", 14), Column("category", "Category code", 20),
                 Column("category_label", "Category", 28), Column("group", "Group", 14),
                 Column("description", "What happened", 60), Column("events_on", "Events on", 11),
                 Column("workers_affected", "Workers affected", 9), Column("children_involved", "Children involved", 9),
                 Column("state", "State", 18), Column("received_at", "Received at (UTC)", 20),
                 Column("acknowledge_due_on", "Acknowledge by", 12), Column("conclude_due_on", "Conclude by", 12),
                 Column("overdue", "Overdue", 8), Column("updated_at", "Last changed at (UTC)", 20)),
        rows=map(cells, rows),
    )


def referrals(viewer: Viewer) -> Table:
    rows = list(visible(Referral, viewer).order_by("-identified_at", "-id").values(
        "id", "site_id", "grievance_id", "finding_id", "service", "service_name", "persons", "children_involved",
        "identified_at", "referred_at", "outcome", "outcome_note",
    ))
    sites = site_cells(viewer, (row["site_id"] for row in rows))

    def cells(row):
        referred = row["referred_at"]
        return sites.get(row["site_id"], {}) | {
            "id": to_global_id("Referral", row["id"]),
            "grievance": to_global_id("Grievance", row["grievance_id"]) if row["grievance_id"] else None,
            "finding": to_global_id("Finding", row["finding_id"]) if row["finding_id"] else None,
            "service": labelled(ServiceKind, row["service"]), "service_name": row["service_name"],
            "persons": row["persons"], "children_involved": "yes" if row["children_involved"] else "no",
            "identified_at": row["identified_at"], "referred_at": referred,
            "days_to_referral": round(days_between(row["identified_at"], referred), 2) if referred else None,
            "outcome": labelled(ReferralOutcome, row["outcome"]), "outcome_note": row["outcome_note"],
        }

    return Table(
        title="Referrals",
        about="Your referrals of people identified at risk to protection services: counts only, no names.",
        columns=(Column("id", "Referral ID (GraphQL)", 18), *SITE_COLUMNS, Column("grievance", "Grievance ID", 18),
                 Column("finding", "Finding ID", 18), Column("service", "Service", 22),
                 Column("service_name", "Service referred to", 28), Column("persons", "Persons", 8),
                 Column("children_involved", "Children involved", 9), Column("identified_at", "Identified at (UTC)", 20),
                 Column("referred_at", "Referred at (UTC)", 20), Column("days_to_referral", "Days to referral", 10),
                 Column("outcome", "Outcome", 20), Column("outcome_note", "Outcome note", 40)),
        rows=map(cells, rows),
    )
