"""The company's case pages (audits/views/board.py): grievances routed to it with its clock, the remediation board,
and who may open or act on them."""

import pytest
from django.urls import reverse

from audits.models import GrievanceState
from test_dashboard_pages import REPORTER_NAME, build_dashboard_world, client_of, page_text


@pytest.fixture
def dashboard_world(make_org, make_user):
    return build_dashboard_world(make_org, make_user)


def test_grievances_routed_to_the_company_show_their_clock_and_never_the_reporter(dashboard_world):
    # given a grievance about the gin, routed to Northwind
    w = dashboard_world
    # when Northwind's analyst opens the grievances page
    html = page_text(client_of(w.users["north"]).get(reverse("audits:board-grievances")))
    # then it is listed with the deadlines of the default clock, and nothing of the reporter
    assert "Passports kept by the supervisor" in html and "Dashoguz gin" in html
    assert "acknowledge within 7 days, conclude within 60 days" in html
    assert REPORTER_NAME not in html and "+993" not in html


def test_grievances_of_another_company_are_not_shown(dashboard_world):
    html = page_text(client_of(dashboard_world.users["harbor"]).get(reverse("audits:board-grievances")))
    assert "Passports kept" not in html and "No grievance has been routed to you." in html


def test_case_pages_are_for_companies(dashboard_world):
    w = dashboard_world
    for name in ("audits:board-grievances", "audits:board-remediation"):
        assert client_of(w.users["firm"]).get(reverse(name)).status_code == 403
        assert client_of(w.users["workers"]).get(reverse(name)).status_code == 403


def test_acknowledging_a_grievance_goes_through_the_grievance_service(dashboard_world):
    w = dashboard_world
    grievance = w.objects["grievance"]
    url = reverse("audits:board-grievance-step", args=[grievance.pk])
    response = client_of(w.users["north"]).post(url, {"step": "acknowledge"}, follow=True)
    assert "updated" in page_text(response)
    grievance.refresh_from_db()
    assert grievance.state == GrievanceState.ACKNOWLEDGED
    # a second acknowledgement is an illegal transition, said as the service says it
    again = page_text(client_of(w.users["north"]).post(url, {"step": "acknowledge"}, follow=True))
    assert "acknowledged" in again and 'class="notice notice-error"' in again


def test_grievance_steps_need_an_analyst_of_a_company_it_is_routed_to(dashboard_world):
    w = dashboard_world
    grievance = w.objects["grievance"]
    url = reverse("audits:board-grievance-step", args=[grievance.pk])
    assert client_of(w.users["north_viewer"]).post(url, {"step": "acknowledge"}).status_code == 403
    assert client_of(w.users["harbor"]).post(url, {"step": "acknowledge"}).status_code == 404
    unknown = page_text(client_of(w.users["north"]).post(url, {"step": "close"}, follow=True))
    assert "Unknown step" in unknown
    grievance.refresh_from_db()
    assert grievance.state == GrievanceState.RECEIVED


def test_remediation_board_marks_overdue_actions(dashboard_world):
    # given an action on the finding due on 15 January 2026, still open
    html = page_text(client_of(dashboard_world.users["north"]).get(reverse("audits:board-remediation")))
    assert "Repay recruitment fees" in html and "overdue-card" in html
    assert "1 corrective action is overdue." in html
    assert "What works" in html


def test_remediation_board_of_another_company_is_empty(dashboard_world):
    html = page_text(client_of(dashboard_world.users["harbor"]).get(reverse("audits:board-remediation")))
    assert "Repay recruitment fees" not in html and "0 corrective actions are overdue." in html


def test_an_unknown_state_is_named(dashboard_world):
    html = page_text(client_of(dashboard_world.users["north"]).get(reverse("audits:board-grievances") + "?state=lost"))
    assert "Unknown state “lost”" in html
