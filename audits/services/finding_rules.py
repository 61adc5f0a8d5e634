"""The rules of audits and findings, stated once: what the API's one-at-a-time operations (audits/services/audits.py)
and the set-based batch (audits/services/findings_batch.py) both check.

Each rule is a constant or a small function that decides; the operations phrase the refusal for their callers
(a field of a mutation's input, or a cell of an uploaded row).
"""

import datetime

from audits.models import ActionStatus, Assignment, CorrectiveAction, FindingStatus

AUDIT_FIELDS = ("standard", "audit_type", "start_date", "end_date", "lead_auditor", "report_reference")
FINDING_FIELDS = ("category", "severity", "description", "found_on")
AUDIT_REQUIRED = ("standard", "audit_type", "start_date")  # for a new audit
FINDING_REQUIRED = ("category", "severity", "description")  # for a new finding
MAX_LENGTHS = {"lead_auditor": 200, "report_reference": 100, "description": 10_000}
FINDING_TRANSITIONS = {FindingStatus.OPEN: {FindingStatus.CLOSED}}
# A corrective action still open, under way or done but not verified keeps its finding from closing.
PENDING_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
NOT_ASSIGNED = "Your audit firm is not assigned to this site; a company must assign it first."


def assigned_site_ids(audit_firm, site_ids=None) -> set[int]:
    """The sites (among `site_ids`, or all) an audit firm holds an active assignment to: it may record audits and
    findings about those only."""
    assignments = Assignment.objects.active().held_by(audit_firm)
    if site_ids is not None:
        assignments = assignments.filter(site_id__in=list(site_ids))
    return set(assignments.order_by().values_list("site_id", flat=True))


def ends_before_start(start: datetime.date | None, end: datetime.date | None) -> bool:
    """An audit ends on or after the day it starts."""
    return bool(start and end and end < start)


def default_found_on(start: datetime.date | None, end: datetime.date | None) -> datetime.date | None:
    """A finding of an audit is dated by default by the audit's last day, else its first."""
    return end or start


def can_edit(status: str) -> bool:
    """Only an open finding may be corrected; a closed one is a record of what was found."""
    return status == FindingStatus.OPEN


def can_move(status: str, to_status: str) -> bool:
    """Whether FINDING_TRANSITIONS allow a finding to go from `status` to `to_status`."""
    return to_status in FINDING_TRANSITIONS.get(status, ())


def pending_action_counts(finding_ids) -> dict[int, int]:
    """Finding ID → how many of its corrective actions are pending (PENDING_ACTIONS); a finding with any is not
    closed."""
    counts: dict[int, int] = {}
    pending = CorrectiveAction.objects.filter(finding_id__in=list(finding_ids), status__in=PENDING_ACTIONS)
    for finding_id in pending.values_list("finding_id", flat=True):
        counts[finding_id] = counts.get(finding_id, 0) + 1
    return counts
