"""The audits app's evidence provider for the risk engine (registered in AuditsConfig.ready()).

Findings and grievances whose category evidences a risk dimension become `SiteEvidence`; categories that
evidence neither dimension (e.g. freedom of association) are left out, since the engine needs at least one.
Remediation comes from corrective actions: "verified" if any is verified, else "done" if any is done, else "none".
A closed grievance carries its outcome, the state it was closed from (its history says which), since the engine
weighs a settled case by how it was settled.
"""

from collections import defaultdict

from django.db.models import Case, OuterRef, Subquery, When

from audits.models import ActionStatus, CorrectiveAction, Finding, Grievance, GrievanceState, StateChange, Subject
from audits.taxonomy import dimensions_of
from backend.tenancy import Viewer, visible
from graph.services.evidence_feed import SiteEvidence

RANK = {"none": 0, "done": 1, "verified": 2}


def remediation_by_parent(parent_field: str, site_ids) -> dict[int, str]:
    """Best remediation reached by the corrective actions of each finding or grievance about these sites."""
    best: dict[int, str] = defaultdict(lambda: "none")
    actions = CorrectiveAction.objects.filter(
        **{f"{parent_field}__site_id__in": site_ids, "status__in": (ActionStatus.DONE, ActionStatus.VERIFIED)}
    ).values_list(f"{parent_field}_id", "status")
    for parent_id, status in actions:
        level = "verified" if status == ActionStatus.VERIFIED else "done"
        if RANK[level] > RANK[best[parent_id]]:
            best[parent_id] = level
    return best


def closing_outcome() -> Case:
    """The state a closed grievance was closed from (None for a grievance that is not closed)."""
    closing = StateChange.objects.filter(
        subject=Subject.GRIEVANCE, object_id=OuterRef("pk"), to_state=GrievanceState.CLOSED
    ).order_by("-at", "-pk").values("from_state")[:1]
    return Case(When(state=GrievanceState.CLOSED, then=Subquery(closing)), default=None)


def site_evidence(site_ids, company) -> list[SiteEvidence]:
    """Evidence about these sites (a list or a queryset of IDs, used as a subquery) that the company may know
    of: findings shared with it (open and closed) and grievances routed to it (any state). An unshared finding
    must not move the company's score, or the score would reveal it. Four queries, whatever the number of sites."""
    as_company = Viewer(user=None, organization=company)
    findings = visible(Finding, as_company).filter(site_id__in=site_ids).values_list(
        "pk", "site_id", "category", "severity", "status", "found_on"
    )
    grievances = visible(Grievance, as_company).filter(site_id__in=site_ids).annotate(
        outcome=closing_outcome()
    ).values_list("pk", "site_id", "category", "state", "events_on", "received_at", "outcome")
    finding_remediation = remediation_by_parent("finding", site_ids)
    grievance_remediation = remediation_by_parent("grievance", site_ids)
    evidence = []
    for pk, site_id, category, severity, status, found_on in findings:
        dimensions = dimensions_of(category)
        if dimensions:
            evidence.append(SiteEvidence(site_id, "finding", dimensions, severity, status, found_on,
                                         finding_remediation.get(pk, "none"), evidence_id=pk, category=category))
    for pk, site_id, category, state, events_on, received_at, outcome in grievances:
        dimensions = dimensions_of(category)
        if dimensions:
            evidence.append(SiteEvidence(site_id, "grievance", dimensions, None, state, events_on or received_at.date(),
                                         grievance_remediation.get(pk, "none"), outcome, evidence_id=pk,
                                         category=category))
    return evidence
