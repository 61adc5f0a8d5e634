"""Corrective actions: planned, carried out, then verified (or rejected) by the auditor or the company.

    open ─start→ in_progress ─complete→ done ─verify→ verified
                     ↑                       └reject→ rejected ─start→ in_progress (rework)

- start and complete: the organization that owns the action.
- verify and reject: for a finding's action, the audit firm of the finding or the owning organization; for a
  grievance's action, the owning company. Four eyes: the verifier is never the action's owner.
Overdue actions (open or in progress past their due date) are flagged once per action and day.

A plan records what Sedex/SMETA and RBA corrective action plans do: the root cause, the corrective action (title and
description), the preventive action, the due date and the verification method (desk review or follow-up audit); and what kind of remedy it is (InterventionType, so
outcomes can be compared by kind: audits/services/outcomes.py).
A finding's action given no due date is due its severity's number of days after the finding (the owning
organization's RemediationDeadlines, else DEFAULT_DUE_DAYS). A verification by follow-up audit names that audit: one
of the site's, visible to the verifier, begun after the finding. When the last pending action of a finding is
verified, the finding closes (finding_rules: no action open, in progress or done).
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from audits.models import (
    ActionStatus, CorrectiveAction, Finding, FindingStatus, GrievanceState, OverdueAlert, RemediationDeadlines,
    Severity, Subject, VerificationMethod,
)
from audits.models.remediation import DEFAULT_DUE_DAYS, MAX_DUE_DAYS
from audits.services import common
from audits.services.finding_rules import FINDING_TRANSITIONS, pending_action_counts
from audits.services.history import change_state, record
from audits.services.risk import schedule_risk_recompute
from audits.taxonomy import InterventionType
from backend.errors import field_error
from backend.models import User
from backend.tenancy import Viewer, visible

logger = logging.getLogger(__name__)

A = ActionStatus
TRANSITIONS = {
    A.OPEN: {A.IN_PROGRESS},
    A.IN_PROGRESS: {A.DONE},
    A.DONE: {A.VERIFIED, A.REJECTED},
    A.REJECTED: {A.IN_PROGRESS},
}
CLOSED_GRIEVANCE_STATES = (GrievanceState.CLOSED, GrievanceState.NOT_SUBSTANTIATED)


def owner_in_organization(viewer: Viewer, username: str | None) -> User:
    """The action's owner: a user of the viewer's organization (the viewer when no username is given)."""
    if not username:
        return viewer.user
    owner = viewer.organization.users.filter(username=username, is_active=True).first()
    if owner is None:
        raise field_error("owner_username", "No active user of your organization has this username.", "not_found")
    return owner


def due_days(viewer: Viewer) -> dict[str, int]:
    """Days from a finding to its actions' default due date, by severity: the organization's, else the defaults."""
    row = visible(RemediationDeadlines, viewer).first()
    return {severity: row.days_for(severity) for severity in Severity.values} if row else dict(DEFAULT_DUE_DAYS)


def set_due_days(viewer: Viewer, data: dict) -> dict[str, int]:
    """Set the viewer's organization's default due dates; a severity not given keeps its current number of days."""
    days = due_days(viewer)
    for severity in Severity.values:
        given = data.get(f"{severity}_days")
        if given is not None and not 1 <= given <= MAX_DUE_DAYS:
            raise field_error(f"{severity}_days", f"{severity}_days must lie between 1 and {MAX_DUE_DAYS}; got {given}.",
                              "out_of_range")
        days[severity] = given if given is not None else days[severity]
    RemediationDeadlines.objects.update_or_create(
        organization=viewer.organization,
        defaults={**{f"{severity}_days": value for severity, value in days.items()}, "updated_by": viewer.user},
    )
    return days


def default_due_on(viewer: Viewer, finding) -> datetime.date:
    """A finding's action is due its severity's days after the finding was made (RBA: 7 for priority findings)."""
    return finding.found_on + datetime.timedelta(days=due_days(viewer)[finding.severity])


def create_action(viewer: Viewer, data: dict, finding=None, grievance=None) -> CorrectiveAction:
    """Plan a corrective action for a finding or a grievance the viewer can see: a grievance's action needs its due
    date; a finding's defaults to its severity's (default_due_on)."""
    common.require(data, "title")
    if grievance is not None:
        common.require(data, "due_on")
    if finding is not None and finding.status != FindingStatus.OPEN:
        raise field_error("finding_id", "The finding is closed.", "not_editable")
    if grievance is not None and grievance.state in CLOSED_GRIEVANCE_STATES:
        raise field_error("grievance_id", "The grievance is closed or was not substantiated.", "not_editable")
    method, intervention = data.get("verification_method"), data.get("intervention_type")
    action = CorrectiveAction.objects.create(
        organization=viewer.organization, finding=finding, grievance=grievance,
        title=common.text(data["title"], "title", 200),
        description=common.text(data.get("description"), "description", 10_000, required=False),
        root_cause=common.text(data.get("root_cause"), "root_cause", 10_000, required=False),
        preventive_action=common.text(data.get("preventive_action"), "preventive_action", 10_000, required=False),
        verification_method=common.choice(method, "verification_method", VerificationMethod) if method else "",
        intervention_type=common.choice(intervention, "intervention_type", InterventionType) if intervention else "",
        owner=owner_in_organization(viewer, data.get("owner_username")),
        due_on=data.get("due_on") or default_due_on(viewer, finding), created_by=viewer.user,
    )
    record(Subject.ACTION, action, "", A.OPEN, viewer)
    return action


def ensure_owning_organization(viewer: Viewer, action: CorrectiveAction) -> None:
    if action.organization_id != viewer.organization.pk:
        raise field_error("id", "Only the organization that owns this action can change it.", "not_editable")


def ensure_verifier(viewer: Viewer, action: CorrectiveAction) -> None:
    allowed = {action.organization_id}
    if action.finding_id:
        allowed.add(action.finding.audit_firm_id)
    if viewer.organization.pk not in allowed:
        raise field_error("id", "Only the audit firm of the finding or the owning organization can verify.", "not_editable")
    if action.owner_id == viewer.user.pk:
        raise field_error("id", "The owner of an action cannot verify it; another person must.", "not_editable")


def site_of(action: CorrectiveAction) -> int:
    return action.finding.site_id if action.finding_id else action.grievance.site_id


def move(viewer, action, to_state, **also):
    change_state(action, "status", to_state, TRANSITIONS, Subject.ACTION, viewer, **also)
    schedule_risk_recompute([site_of(action)])
    return action


def start(viewer: Viewer, action: CorrectiveAction) -> CorrectiveAction:
    ensure_owning_organization(viewer, action)
    return move(viewer, action, A.IN_PROGRESS)


def complete(viewer: Viewer, action: CorrectiveAction, note: str) -> CorrectiveAction:
    """Mark done, with the evidence of completion in words (files can be attached as evidence)."""
    ensure_owning_organization(viewer, action)
    return move(viewer, action, A.DONE, completion_note=common.text(note, "completion_note", 10_000))


def verify(viewer: Viewer, action: CorrectiveAction, note: str | None = None, method: str | None = None,
           audit=None) -> CorrectiveAction:
    """Verify a done action by the planned method (or `method`; desk review when neither says); a follow-up audit
    is named. The finding closes when this was its last pending action."""
    ensure_verifier(viewer, action)
    note = common.text(note, "note", 10_000, required=False)
    method = common.choice(method or action.verification_method or VerificationMethod.DESK_REVIEW, "method",
                           VerificationMethod)
    if method == VerificationMethod.FOLLOW_UP_AUDIT:
        ensure_follow_up(action, audit)
    elif audit is not None:
        raise field_error("audit_id", "Only a verification by follow-up audit names an audit.", "invalid")
    with transaction.atomic():
        move(viewer, action, A.VERIFIED, verified_by=viewer.user, verification_note=note, verification_method=method,
             verification_audit=audit)
        if action.finding_id:
            close_when_remediated(viewer, action.finding_id)
    return action


def ensure_follow_up(action: CorrectiveAction, audit) -> None:
    """The follow-up audit (already visible to the verifier) is of the action's site and begun after the finding
    or the grievance it remedies; it is never the audit that made the finding."""
    if audit is None:
        raise field_error("audit_id", "A verification by follow-up audit names the audit.", "required")
    parent = action.finding if action.finding_id else action.grievance
    since = parent.found_on if action.finding_id else parent.received_at.date()
    if audit.site_id != parent.site_id:
        raise field_error("audit_id", "The follow-up audit must be of the action's site.", "invalid")
    if audit.start_date <= since or audit.pk == getattr(parent, "audit_id", None):
        raise field_error("audit_id", f"The follow-up audit must begin after {since:%Y-%m-%d}, when the "
                          f"{'finding was made' if action.finding_id else 'grievance was received'}.", "out_of_range")


def close_when_remediated(viewer: Viewer, finding_id: int) -> None:
    """Close an open finding none of whose actions is pending any more. The finding's row is locked first, so two
    last actions verified at once still close it (the second sees the first's verification)."""
    finding = Finding.objects.select_for_update().get(pk=finding_id)
    if finding.status == FindingStatus.OPEN and not pending_action_counts([finding_id]).get(finding_id):
        change_state(finding, "status", FindingStatus.CLOSED, FINDING_TRANSITIONS, Subject.FINDING, viewer)


def reject(viewer: Viewer, action: CorrectiveAction, note: str) -> CorrectiveAction:
    ensure_verifier(viewer, action)
    return move(viewer, action, A.REJECTED, verified_by=viewer.user,
                verification_note=common.text(note, "note", 10_000))


def flag_overdue_actions(today=None) -> int:
    """Alert each overdue action's owner by e-mail, at most once per action and day; return how many were sent.

    The (action, day) unique row is written before the e-mail is sent, in the same transaction: a second run
    on the same day (or a concurrent one) fails to insert it and sends nothing; an e-mail that fails to send
    rolls the row back, so the next run tries again.
    """
    today = today or timezone.localdate()
    sent = 0
    overdue = CorrectiveAction.objects.overdue(today).exclude(overdue_alerts__day=today).select_related("owner")
    for action in overdue.order_by("pk"):
        try:
            with transaction.atomic():
                OverdueAlert.objects.create(action=action, day=today, emailed_to=action.owner.email)
                if action.owner.email:
                    send_mail(
                        subject=f"Overdue corrective action: {action.title}",
                        message=overdue_message(action, today),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=[action.owner.email],
                    )
        except IntegrityError:
            continue  # already flagged today (by a concurrent run)
        sent += 1
    logger.info("Flagged %d overdue corrective action(s) on %s", sent, today)
    return sent


def overdue_message(action: CorrectiveAction, today) -> str:
    days = (today - action.due_on).days
    about = "an audit finding" if action.finding_id else "a grievance"
    return (
        f"The corrective action \"{action.title}\" (about {about}) was due on {action.due_on:%Y-%m-%d}, "
        f"{days} day(s) ago, and is still {action.get_status_display().lower()}.\n\n"
        "Please update it in Tributary: start it, or complete it with the evidence of what was done."
    )
