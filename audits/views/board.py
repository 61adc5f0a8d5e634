"""The company's case pages (issue 19): the grievances routed to it with their clocks, the remediation board with
its overdue actions and what works; and, on graph's pages (graph/views/sections.py), the cases waiting and overdue on
the dashboard and the cases of one site on the site page.

Grievances are shown as every company they are routed to sees them in the API: never the reporter (only the filing
workers' organization may read it, audits/services/grievances.py reporter_of), the deadlines by the company's own
clock (audits/services/clocks.py). Overdue actions are those of CorrectiveAction.objects.overdue; "what works" is
audits/services/outcomes.py outcome_analytics. Each page runs a fixed number of queries.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import ActionStatus, ClockStage, CorrectiveAction, Finding, Grievance, GrievanceState
from audits.services import grievances as grievance_service
from audits.services.clocks import AWAITING, Clock, clock_of, received_day, stage_of
from audits.services.outcomes import OutcomeFilter, outcome_analytics
from backend.pages import page
from backend.permissions import Permission
from backend.tenancy import visible
from graph.views.sections import Section

PAGE_SIZE = 50
BOARD_COLUMNS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.REJECTED,
                 ActionStatus.VERIFIED)
VERIFIED_SHOWN = 20  # the verified column shows the latest ones only
SITE_CASES_SHOWN = 20
WAITING_STATES = [state for states in AWAITING.values() for state in states]  # those a clock still runs for


@dataclass(frozen=True)
class CaseClock:
    """A grievance's deadlines by the viewer's clock; `overdue_stage` the stage it is late for (None: on time)."""

    acknowledge_due_on: datetime.date
    conclude_due_on: datetime.date
    overdue_stage: str | None


@dataclass(frozen=True)
class GrievanceRow:
    grievance: Grievance
    clock: CaseClock


def case_clock(clock: Clock, grievance: Grievance, today: datetime.date) -> CaseClock:
    """Deadlines from the day of receipt; overdue while it still waits at a stage whose deadline has passed."""
    received_on = received_day(grievance.received_at)
    stage = stage_of(grievance.state)
    late = stage is not None and clock.deadline(received_on, stage) < today
    return CaseClock(clock.deadline(received_on, ClockStage.ACKNOWLEDGE), clock.deadline(received_on, ClockStage.CONCLUDE),
                     stage if late else None)


def grievance_rows(viewer, grievances) -> list[GrievanceRow]:
    clock, today = clock_of(viewer), timezone.localdate()
    return [GrievanceRow(grievance, case_clock(clock, grievance, today)) for grievance in grievances]


@page(Permission.READ_NETWORK)
def grievances_board(request):
    """`/audits/board/grievances/`: the grievances routed to the company, newest first, 50 a page; `?state=`."""
    viewer = request.viewer
    state = request.GET.get("state", "")
    grievances = visible(Grievance, viewer).select_related("site")
    if state and state not in GrievanceState.values:
        messages.error(request, _("Unknown state “%(value)s”: showing every state.") % {"value": state})
        state = ""
    if state:
        grievances = grievances.filter(state=state)
    current = Paginator(grievances.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = grievance_rows(viewer, current.object_list)
    context = {
        "rows": rows, "page_obj": current, "state": state, "states": GrievanceState.choices,
        "clock": clock_of(viewer), "may_work": Permission.WORK_GRIEVANCES.allows(viewer),
        "overdue_on_page": sum(1 for row in rows if row.clock.overdue_stage),
    }
    return TemplateResponse(request, "audits/board/grievances.html", context)


GRIEVANCE_STEPS = {"acknowledge": grievance_service.acknowledge, "investigate": grievance_service.investigate}


@transaction.atomic
def work_grievance_step(request, grievance_id: int):
    step = GRIEVANCE_STEPS.get(request.POST.get("step", ""))
    grievance = get_object_or_404(visible(Grievance, request.viewer), pk=grievance_id)
    if step is None:
        messages.error(request, _("Unknown step: choose acknowledge or investigate."))
        return
    try:
        step(request.viewer, grievance)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    messages.success(request, _("Grievance #%(number)s updated.") % {"number": grievance.pk})


@page(Permission.WORK_GRIEVANCES)
def grievance_step(request, grievance_id: int):
    """POST: acknowledge a grievance, or open its investigation, through the grievance service."""
    if request.method != "POST":
        return redirect("audits:board-grievances")
    work_grievance_step(request, grievance_id)
    return redirect("audits:board-grievances")


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    actions: list
    total: int


def board_columns(viewer, overdue_ids: set[int]) -> list[BoardColumn]:
    """The visible actions by status (one query), due soonest first; the verified column its latest only."""
    actions = (visible(CorrectiveAction, viewer).select_related("owner", "finding__site", "grievance__site")
               .order_by("due_on", "pk"))
    by_status = {status: [] for status in BOARD_COLUMNS}
    for action in actions:
        action.is_overdue = action.pk in overdue_ids
        by_status.setdefault(action.status, []).append(action)
    by_status[ActionStatus.VERIFIED].reverse()
    return [BoardColumn(status, ActionStatus(status).label, items[:VERIFIED_SHOWN] if status == ActionStatus.VERIFIED
                        else items, len(items)) for status, items in by_status.items()]


@page(Permission.READ_NETWORK)
def remediation_board(request):
    """`/audits/board/remediation/`: the corrective actions by status, overdue ones marked, and what works."""
    viewer = request.viewer
    overdue_ids = set(visible(CorrectiveAction, viewer).overdue(timezone.localdate()).values_list("pk", flat=True))
    context = {
        "columns": board_columns(viewer, overdue_ids),
        "overdue": len(overdue_ids),
        "outcomes": outcome_analytics(viewer, OutcomeFilter(group_by="intervention_type"))
        if Permission.READ_OUTCOMES.allows(viewer) else None,
    }
    return TemplateResponse(request, "audits/board/remediation.html", context)


def site_cases(request, site) -> list[Section]:
    """The site page's sections: the findings, corrective actions and grievances at the site the viewer sees."""
    viewer = getattr(request, "viewer", None)
    findings = list(visible(Finding, viewer).filter(site=site).select_related("audit_firm")[:SITE_CASES_SHOWN])
    actions = list(visible(CorrectiveAction, viewer).filter(Q(finding__site=site) | Q(grievance__site=site))
                   .select_related("owner").order_by("due_on", "pk")[:SITE_CASES_SHOWN])
    overdue = set(visible(CorrectiveAction, viewer).overdue(timezone.localdate())
                  .filter(pk__in=[a.pk for a in actions]).values_list("pk", flat=True))
    for action in actions:
        action.is_overdue = action.pk in overdue
    grievances = grievance_rows(viewer, visible(Grievance, viewer).filter(site=site)[:SITE_CASES_SHOWN])
    return [Section("audits/board/_site_cases.html",
                        {"findings": findings, "actions": actions, "grievances": grievances})]


def dashboard_cases(request, subject=None) -> list[Section]:
    """The dashboard's section: grievances waiting for the company (and how many of them are late by its clock) and
    its overdue corrective actions; three queries."""
    viewer = request.viewer
    waiting = visible(Grievance, viewer).filter(state__in=WAITING_STATES).only("received_at", "state")
    rows = grievance_rows(viewer, waiting)
    overdue_actions = visible(CorrectiveAction, viewer).overdue(timezone.localdate()).count()
    return [Section("audits/board/_dashboard_cases.html", {
        "waiting": len(rows), "late": sum(1 for row in rows if row.clock.overdue_stage),
        "overdue_actions": overdue_actions,
    })]
