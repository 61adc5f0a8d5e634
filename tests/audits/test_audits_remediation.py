"""Overdue corrective actions: one alert and one e-mail per action and day, however often the task runs."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from audits.models import OverdueAlert
from audits.services import remediation
from audits.tasks import flag_overdue_actions

OVERDUE = """query($overdue: Boolean) { correctiveActions(first: 10, overdue: $overdue) { totalCount edges { node { title isOverdue overdueAlerts { day } } } } }"""


@pytest.fixture
def overdue_world(full_world):
    """A's grievance action was due on 1 May 2026, its finding action on 1 June; today is 10 May 2026."""
    return full_world, datetime.date(2026, 5, 10)


def test_overdue_action_alerts_its_owner_once_a_day_even_if_the_task_runs_twice(overdue_world, monkeypatch):
    world, today = overdue_world
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: today)
    mail.outbox.clear()

    assert flag_overdue_actions.delay().get() == 1
    assert flag_overdue_actions.delay().get() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["company-a-analyst@example.org"]
    assert "was due on 2026-05-01" in message.body and "9 day(s) ago" in message.body
    assert "Ravi" not in message.subject + message.body  # never the grievance's reporter
    assert list(OverdueAlert.objects.values_list("action_id", "day")) == [(world.objects["action"].pk, today)]

    # The next day it is flagged again, once
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: today + datetime.timedelta(days=1))
    flag_overdue_actions.delay().get()
    flag_overdue_actions.delay().get()
    assert len(mail.outbox) == 2 and OverdueAlert.objects.count() == 2


def test_done_actions_are_not_overdue(overdue_world):
    world, today = overdue_world
    action = world.objects["action"]
    remediation.start(world.viewer("a"), action)
    remediation.complete(world.viewer("a"), action, "Passports returned to all 12 workers")
    assert remediation.flag_overdue_actions(today) == 0


def test_the_database_refuses_a_second_alert_for_the_same_day(overdue_world):
    world, today = overdue_world
    OverdueAlert.objects.create(action=world.objects["action"], day=today)
    with pytest.raises(IntegrityError), transaction.atomic():
        OverdueAlert.objects.create(action=world.objects["action"], day=today)


def test_overdue_actions_are_listed_with_their_alerts(api, overdue_world, monkeypatch):
    world, today = overdue_world
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: today)
    remediation.flag_overdue_actions()
    client = api(world.users["a"])
    overdue = client.data(OVERDUE, {"overdue": True})["correctiveActions"]
    assert overdue["totalCount"] == 1
    assert overdue["edges"][0]["node"]["isOverdue"] is True
    assert overdue["edges"][0]["node"]["overdueAlerts"] == [{"day": today.isoformat()}]
    on_time = client.data(OVERDUE, {"overdue": False})["correctiveActions"]
    assert [edge["node"]["isOverdue"] for edge in on_time["edges"]] == [False]


def test_an_owner_must_belong_to_the_organization(api, full_world):
    query = """mutation($input: CorrectiveActionInput!) { correctiveActionCreate(input: $input) { errors { field code } } }"""
    result = api(full_world.users["a"]).data(query, {"input": {
        "grievanceId": full_world.ids["grievance"], "title": "x", "dueOn": "2026-09-01", "ownerUsername": "company-b-analyst",
    }})["correctiveActionCreate"]
    assert result["errors"] == [{"field": "ownerUsername", "code": "NOT_FOUND"}]
