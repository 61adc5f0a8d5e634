"""Grievance clocks: by when a grievance must be acknowledged and concluded, and the alerts when it is not.

Each organization keeps its own clock (GrievanceClock; the defaults of audits/models/grievances.py without one):
a company's measures its own handling of the grievances routed to it, a workers' organization's the handling of
the grievances it filed. Both count whole days from the day of receipt:

    acknowledge deadline = received day + acknowledge_days      conclude deadline = received day + conclude_days

A grievance still `received` after its acknowledge deadline, or still acknowledged or under investigation after its
conclude deadline, is overdue for that organization. The hourly beat task (audits.tasks.flag_overdue_actions)
flags it once per case and day, and e-mails the analysts and admins of each organization whose clock it overran.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from audits.models import ClockStage, Grievance, GrievanceClock, GrievanceOverdueAlert, GrievanceRouting, GrievanceState
from audits.models.grievances import DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_CONCLUDE_DAYS, MAX_CLOCK_DAYS
from backend.errors import field_error
from backend.models import Role, User
from backend.tenancy import Viewer, visible

logger = logging.getLogger(__name__)

# The state a grievance waits in for each stage of its clock.
AWAITING = {
    ClockStage.ACKNOWLEDGE: (GrievanceState.RECEIVED,),
    ClockStage.CONCLUDE: (GrievanceState.ACKNOWLEDGED, GrievanceState.UNDER_INVESTIGATION),
}


@dataclass(frozen=True)
class Clock:
    """Days after receipt by which a grievance is acknowledged and concluded; `is_default` when none is set."""

    acknowledge_days: int
    conclude_days: int
    is_default: bool = False

    def days(self, stage: str) -> int:
        return self.acknowledge_days if stage == ClockStage.ACKNOWLEDGE else self.conclude_days

    def deadline(self, received_on: datetime.date, stage: str) -> datetime.date:
        return received_on + datetime.timedelta(days=self.days(stage))


DEFAULT_CLOCK = Clock(DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_CONCLUDE_DAYS, is_default=True)


def as_clock(row: GrievanceClock | None) -> Clock:
    return Clock(row.acknowledge_days, row.conclude_days) if row else DEFAULT_CLOCK


def clock_of(viewer: Viewer) -> Clock:
    """The viewer's organization's clock."""
    return as_clock(visible(GrievanceClock, viewer).first())


def clocks_of(organization_ids) -> dict[int, Clock]:
    """Each organization's clock (the default for those without one), for the system's beat task: one query."""
    rows = GrievanceClock.objects.filter(organization_id__in=list(organization_ids))
    clocks = {row.organization_id: as_clock(row) for row in rows}
    return {pk: clocks.get(pk, DEFAULT_CLOCK) for pk in organization_ids}


def set_clock(viewer: Viewer, data: dict) -> Clock:
    """Set the viewer's organization's clock; a day count not given keeps its current value."""
    current = clock_of(viewer)
    values = {name: getattr(current, name) if data.get(name) is None else data[name]
              for name in ("acknowledge_days", "conclude_days")}
    for name, days in values.items():
        if not 1 <= days <= MAX_CLOCK_DAYS:
            raise field_error(name, f"{name} must lie between 1 and {MAX_CLOCK_DAYS} days; got {days}.", "out_of_range")
    if values["conclude_days"] < values["acknowledge_days"]:
        raise field_error("conclude_days", f"A grievance cannot be concluded ({values['conclude_days']} days) before "
                          f"it is acknowledged ({values['acknowledge_days']} days).", "out_of_range")
    GrievanceClock.objects.update_or_create(
        organization=viewer.organization, defaults={**values, "updated_by": viewer.user},
    )
    return Clock(**values)


def received_day(received_at: datetime.datetime) -> datetime.date:
    return timezone.localtime(received_at).date()


def stage_of(state: str) -> str | None:
    """The clock stage a grievance in `state` waits for (None once it is concluded)."""
    return next((stage for stage, states in AWAITING.items() if state in states), None)


@dataclass(frozen=True)
class OverdueCase:
    """A grievance overdue on `day` at `stage`, for the organizations whose clock it overran."""

    grievance: Grievance
    stage: str
    organization_ids: tuple[int, ...]


def overdue_cases(today: datetime.date) -> list[OverdueCase]:
    """The grievances overdue today for at least one of their organizations and not flagged today yet: three
    queries (the shortest clock, the waiting grievances, their routings) and the clocks of their organizations."""
    shortest = GrievanceClock.objects.aggregate(days=Min("acknowledge_days"))["days"] or DEFAULT_ACKNOWLEDGE_DAYS
    latest_receipt = today - datetime.timedelta(days=min(shortest, DEFAULT_ACKNOWLEDGE_DAYS))
    waiting = list(
        Grievance.objects.filter(state__in=[s for states in AWAITING.values() for s in states],
                                 received_at__date__lt=latest_receipt)
        .exclude(overdue_alerts__day=today).select_related("site").order_by("pk")
    )
    companies: dict[int, list[int]] = {}
    routings = GrievanceRouting.objects.filter(grievance_id__in=[g.pk for g in waiting])
    for grievance_id, company_id in routings.values_list("grievance_id", "company_id"):
        companies.setdefault(grievance_id, []).append(company_id)
    clocks = clocks_of({g.filed_by_id for g in waiting} | {c for cs in companies.values() for c in cs})
    cases = []
    for grievance in waiting:
        stage = stage_of(grievance.state)
        received_on = received_day(grievance.received_at)
        late = tuple(org for org in [grievance.filed_by_id, *companies.get(grievance.pk, ())]
                     if clocks[org].deadline(received_on, stage) < today)
        if late:
            cases.append(OverdueCase(grievance, stage, late))
    return cases


def recipients(organization_ids) -> dict[int, list[str]]:
    """The e-mail addresses of the active analysts and admins of each organization (who may work a case)."""
    addresses: dict[int, list[str]] = {}
    users = User.objects.filter(organization_id__in=list(organization_ids), is_active=True,
                                role__in=(Role.ADMIN, Role.ANALYST)).exclude(email="").order_by("pk")
    for organization_id, email in users.values_list("organization_id", "email"):
        addresses.setdefault(organization_id, []).append(email)
    return addresses


def flag_overdue_grievances(today=None) -> int:
    """Flag each overdue grievance once per case and day and e-mail the organizations whose clock it overran;
    return how many were flagged. As for actions, the unique (grievance, day) row is written before the e-mails,
    in the same transaction: a second run that day inserts nothing and sends nothing, and a failed e-mail rolls the
    row back so the next run tries again."""
    today = today or timezone.localdate()
    cases = overdue_cases(today)
    addresses = recipients({org for case in cases for org in case.organization_ids})
    flagged = 0
    for case in cases:
        to = {org: addresses.get(org, []) for org in case.organization_ids}
        try:
            with transaction.atomic():
                GrievanceOverdueAlert.objects.create(
                    grievance=case.grievance, day=today, stage=case.stage,
                    emailed_to="\n".join(email for emails in to.values() for email in emails),
                )
                for emails in to.values():  # one e-mail per organization: none learns who else handles the case
                    if emails:
                        send_mail(subject=f"Overdue grievance #{case.grievance.pk}",
                                  message=overdue_message(case, today), from_email=settings.DEFAULT_FROM_EMAIL,
                                  recipient_list=emails)
        except IntegrityError:
            continue  # already flagged today (by a concurrent run)
        flagged += 1
    logger.info("Flagged %d overdue grievance(s) on %s", flagged, today)
    return flagged


def overdue_message(case: OverdueCase, today: datetime.date) -> str:
    """What the e-mail says: the case, its site and category and how late it is, never the reporter or the text."""
    grievance = case.grievance
    received_on = received_day(grievance.received_at)
    step = "acknowledged" if case.stage == ClockStage.ACKNOWLEDGE else "concluded"
    return (
        f"Grievance #{grievance.pk} about {grievance.site.name} ({grievance.get_category_display()}), received on "
        f"{received_on:%Y-%m-%d} ({(today - received_on).days} day(s) ago), has not been {step} within your "
        f"organization's grievance clock; it is {grievance.get_state_display().lower()}.\n\nPlease update the case in Tributary."
    )
