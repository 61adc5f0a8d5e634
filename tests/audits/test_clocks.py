"""Grievance clocks (issue 16 §1): each organization's days to acknowledge and conclude, the deadlines it sees, and
the overdue alerts raised by the hourly task once per case and day."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from audits.models import ClockStage, GrievanceOverdueAlert
from audits.services import clocks, grievances
from audits.tasks import flag_overdue_actions
from support.audits_world import SECRET, gid

CLOCK = "{ grievanceClock { acknowledgeDays concludeDays isDefault } }"
SET_CLOCK = """mutation($input: GrievanceClockInput!) { grievanceClockSet(input: $input) {
  grievanceClock { acknowledgeDays concludeDays isDefault } errors { field code message } } }"""
GRIEVANCE = """query($id: ID!) { grievance(id: $id) { acknowledgeDueOn concludeDueOn isOverdue
  overdueAlerts { day stage } } }"""


def test_each_organization_keeps_its_own_clock_set_by_its_admins(api, world):
    # Given company A's admin and analyst, workers' organization W's admin and audit firm F's admin
    a_admin, a_analyst, w_admin = api(world.users["a_admin"]), api(world.users["a"]), api(world.users["w_admin"])
    assert a_analyst.data(CLOCK)["grievanceClock"] == {"acknowledgeDays": 7, "concludeDays": 60, "isDefault": True}

    # When A's admin and W's admin set their clocks, and A's analyst and F's admin try
    a_set = a_admin.data(SET_CLOCK, {"input": {"acknowledgeDays": 3, "concludeDays": 30}})["grievanceClockSet"]
    w_set = w_admin.data(SET_CLOCK, {"input": {"concludeDays": 90}})["grievanceClockSet"]
    denied = [api(world.users[who])(SET_CLOCK, {"input": {"acknowledgeDays": 1}}) for who in ("a", "f_admin")]

    # Then each has its own, the others are refused, and company C keeps the defaults
    assert a_set == {"grievanceClock": {"acknowledgeDays": 3, "concludeDays": 30, "isDefault": False}, "errors": []}
    assert w_set["grievanceClock"] == {"acknowledgeDays": 7, "concludeDays": 90, "isDefault": False}
    assert [result["errors"][0]["extensions"]["code"] for result in denied] == ["PERMISSION_DENIED"] * 2
    assert a_analyst.data(CLOCK)["grievanceClock"] == {"acknowledgeDays": 3, "concludeDays": 30, "isDefault": False}
    assert api(world.users["c"]).data(CLOCK)["grievanceClock"]["isDefault"] is True


@pytest.mark.parametrize("clock, field", [
    ({"acknowledgeDays": 0}, "acknowledgeDays"),
    ({"concludeDays": 731}, "concludeDays"),
    ({"acknowledgeDays": 20, "concludeDays": 10}, "concludeDays"),
])
def test_a_clock_out_of_range_is_refused_naming_its_field(api, world, clock, field):
    result = api(world.users["a_admin"]).data(SET_CLOCK, {"input": clock})["grievanceClockSet"]
    assert (result["errors"][0]["field"], result["errors"][0]["code"]) == (field, "OUT_OF_RANGE")
    assert str(list(clock.values())[-1]) in result["errors"][0]["message"]
    assert api(world.users["a"]).data(CLOCK)["grievanceClock"]["isDefault"] is True


@pytest.fixture
def late_grievance(world):
    """W's grievance about the mill (routed to A and C), received ten days ago and never acknowledged; C gives
    itself 14 days to acknowledge, A and W keep the default 7."""
    grievance = grievances.file_grievance(world.viewer("w"), world.objects["mill"], {
        "channel": "hotline", "category": "retention_of_identity_documents",
        "description": f"{SECRET} passports kept"})
    received = timezone.now() - datetime.timedelta(days=10)
    type(grievance).objects.filter(pk=grievance.pk).update(received_at=received)
    grievance.refresh_from_db()
    clocks.set_clock(world.viewer("c_admin"), {"acknowledge_days": 14})
    return grievance


def test_an_overdue_grievance_alerts_the_organizations_whose_clock_it_overran_once_a_day(world, late_grievance):
    # Given a grievance ten days unacknowledged, and today
    today = timezone.localdate()
    mail.outbox.clear()

    # When the task runs twice today
    first, second = clocks.flag_overdue_grievances(today), clocks.flag_overdue_grievances(today)

    # Then one alert for the case, one e-mail to A and one to W (C's clock gives it 14 days), none the second time
    assert (first, second) == (1, 0)
    alert = GrievanceOverdueAlert.objects.get()
    assert (alert.grievance_id, alert.day, alert.stage) == (late_grievance.pk, today, ClockStage.ACKNOWLEDGE)
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [("company-a-analyst@example.org", "company-a-admin@example.org"),
                          ("workers-org-w-analyst@example.org", "workers-org-w-admin@example.org")]
    body = mail.outbox[0].body
    assert "has not been acknowledged" in body and "10 day(s) ago" in body and SECRET not in body

    # And tomorrow it is flagged again, once
    tomorrow = today + datetime.timedelta(days=1)
    assert clocks.flag_overdue_grievances(tomorrow) == 1 and clocks.flag_overdue_grievances(tomorrow) == 0
    assert GrievanceOverdueAlert.objects.count() == 2


def test_an_acknowledged_grievance_is_on_the_conclude_clock(world, late_grievance):
    # Given the late grievance acknowledged today: its conclusion is due 60 days after receipt
    grievances.acknowledge(world.viewer("a"), late_grievance)
    today = timezone.localdate()

    # When the task runs today, and 51 days later (61 days after receipt)
    assert clocks.flag_overdue_grievances(today) == 0
    later = today + datetime.timedelta(days=51)
    assert clocks.flag_overdue_grievances(later) == 1

    # Then the alert is about its conclusion
    assert GrievanceOverdueAlert.objects.get().stage == ClockStage.CONCLUDE


def test_the_hourly_task_flags_overdue_grievances_with_overdue_actions(world, late_grievance):
    """The beat task of overdue actions (audits-flag-overdue-actions) also flags grievances: one task, one schedule."""
    assert flag_overdue_actions.delay().get() == 1
    assert GrievanceOverdueAlert.objects.filter(grievance=late_grievance).count() == 1


def test_each_company_sees_the_deadlines_of_its_own_clock(api, world, late_grievance):
    # Given the grievance received ten days ago, and A's 7 days against C's 14
    clocks.flag_overdue_grievances()
    received_on = timezone.localtime(late_grievance.received_at).date()
    variables = {"id": gid("Grievance", late_grievance)}

    # When A and C read it
    as_a = api(world.users["a"]).data(GRIEVANCE, variables)["grievance"]
    as_c = api(world.users["c"]).data(GRIEVANCE, variables)["grievance"]

    # Then each sees its own deadlines; it is overdue for A only; both see the day it was flagged
    assert as_a["acknowledgeDueOn"] == (received_on + datetime.timedelta(days=7)).isoformat()
    assert as_c["acknowledgeDueOn"] == (received_on + datetime.timedelta(days=14)).isoformat()
    assert as_a["concludeDueOn"] == as_c["concludeDueOn"] == (received_on + datetime.timedelta(days=60)).isoformat()
    assert (as_a["isOverdue"], as_c["isOverdue"]) == (True, False)
    assert as_a["overdueAlerts"] == as_c["overdueAlerts"] == [
        {"day": timezone.localdate().isoformat(), "stage": "ACKNOWLEDGE"}]


def test_outsiders_see_neither_the_grievance_nor_its_alerts(api, world, late_grievance):
    clocks.flag_overdue_grievances()
    outsider = api(world.users["b"]).data(GRIEVANCE, {"id": gid("Grievance", late_grievance)})
    assert outsider["grievance"] is None
