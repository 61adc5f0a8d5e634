"""Corrective actions: planned, carried out, then verified (or rejected) by the auditor or the company.

    open ─start→ in_progress ─complete→ done ─verify→ verified
                     ↑                       └reject→ rejected ─start→ in_progress (rework)

- start and complete: the organization that owns the action.
- verify and reject: for a finding's action, the audit firm of the finding or the owning organization; for a
  grievance's action, the owning company. Four eyes: the verifier is never the action's owner.
Overdue actions (open or in progress past their due date) are flagged once per action and day.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from audits.models import ActionStatus, CorrectiveAction, FindingStatus, GrievanceState, OverdueAlert, Subject
from audits.services import common
from audits.services.history import change_state, record
from audits.services.risk import schedule_risk_recompute
from backend.errors import field_error
from backend.models import User
from backend.tenancy import Viewer

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


def create_action(viewer: Viewer, data: dict, finding=None, grievance=None) -> CorrectiveAction:
    """Plan a corrective action for a finding or a grievance the viewer can see."""
    common.require(data, "title", "due_on")
    if finding is not None and finding.status != FindingStatus.OPEN:
        raise field_error("finding_id", "The finding is closed.", "not_editable")
    if grievance is not None and grievance.state in CLOSED_GRIEVANCE_STATES:
        raise field_error("grievance_id", "The grievance is closed or was not substantiated.", "not_editable")
    action = CorrectiveAction.objects.create(
        organization=viewer.organization, finding=finding, grievance=grievance,
        title=common.text(data["title"], "title", 200),
        description=common.text(data.get("description"), "description", 10_000, required=False),
        owner=owner_in_organization(viewer, data.get("owner_username")),
        due_on=data["due_on"], created_by=viewer.user,
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


def verify(viewer: Viewer, action: CorrectiveAction, note: str | None = None) -> CorrectiveAction:
    ensure_verifier(viewer, action)
    note = common.text(note, "note", 10_000, required=False)
    return move(viewer, action, A.VERIFIED, verified_by=viewer.user, verification_note=note)


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
