"""The compliance pages in Chromium: a compliance officer opens the riskiest supplier from the register and follows
its explanation to the cause, acknowledges an alert, works without JavaScript; another company sees none of it.
Every page is checked with axe-core and kept as a screenshot (test-output/screenshots/)."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from graph.models import DolListing, RiskAlert, RiskScore
from support.browser import assert_accessible, save_screenshot, sign_in
from test_dashboard_pages import REPORTER_NAME, build_dashboard_world

# serialized_rollback: the live server's flush after each test would otherwise take the reference data (commodities)
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# ...and once Playwright runs, serialized_rollback does not bring it back (the test finds the tables empty), so
# `world` loads the commodities and the DOL list again as their migrations do.
LOAD_COMMODITIES = import_module("graph.migrations.0002_load_commodities").load_commodities
LOAD_DOL = import_module("graph.migrations.0004_load_dol_2022").load


@pytest.fixture
def world(make_org, make_user):
    LOAD_COMMODITIES(apps, None)
    if not DolListing.objects.exists():
        LOAD_DOL(apps, None)
    return build_dashboard_world(make_org, make_user)


def open_page(page, live_server, name: str, *args, query: str = "") -> None:
    response = page.goto(f"{live_server.url}{reverse(name, args=args)}{query}")
    assert response.status == 200, f"{name}: {response.status}"


def test_open_the_riskiest_supplier_from_the_register_and_follow_its_explanation_to_the_cause(
        browser_page, live_server, world):
    page = browser_page
    riskiest = RiskScore.objects.filter(company=world.orgs["north"], site__isnull=False).order_by("-forced_labour")[0]
    # given Northwind's analyst on the dashboard
    sign_in(page, live_server, world.users["north"])
    open_page(page, live_server, "graph:dashboard")
    assert_accessible(page)
    save_screenshot(page, "dashboard")
    # when they open the register (riskiest first) and its first row
    page.get_by_role("link", name="Risk register").first.click()
    assert_accessible(page)
    save_screenshot(page, "dashboard-register")
    first_row = page.locator("#register tbody tr").first
    assert first_row.get_by_role("link").first.inner_text() == riskiest.site.name
    first_row.get_by_role("link").first.click()
    # then the site page explains its score, with its upstream network drawn
    explanation = page.locator("#explanation")
    assert "of the score" in explanation.inner_text()
    assert page.locator(".network-picture").count() == 1
    assert_accessible(page)
    save_screenshot(page, "dashboard-site")
    # and its causes name what makes it: a critical debt-bondage finding at the gin itself and, upstream, the DOL
    # listing of Turkmen cotton at the farm it buys from, whose page names that cause again
    causes = page.locator("#causes").inner_text()
    assert re.search(r"critical finding \(debt_bondage\)", causes), causes
    assert "Debt bondage" in page.locator("#findings-title + .table-wrap").inner_text()
    assert REPORTER_NAME not in page.content()
    page.locator("#sources").get_by_role("link", name="Dashoguz cotton farm").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dashoguz cotton farm"
    farm_causes = page.locator("#causes").inner_text()
    assert "Cotton in Turkmenistan (DOL" in farm_causes, farm_causes
    assert_accessible(page)


def test_acknowledge_an_alert(browser_page, live_server, world):
    page = browser_page
    alert = RiskAlert.objects.get(company=world.orgs["north"], kind="evidence")
    sign_in(page, live_server, world.users["north"])
    open_page(page, live_server, "graph:dashboard")
    evidence = page.locator(".alerts li", has_text="Debt bondage at Dashoguz gin")
    evidence.get_by_role("button", name=re.compile("Acknowledge")).click()
    page.wait_for_load_state("load")
    assert "Alert acknowledged." in page.locator(".messages").inner_text()
    assert evidence.count() == 0
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.users["north"]


def test_the_pages_work_without_javascript(browser_page_no_js, live_server, world):
    page = browser_page_no_js
    sign_in(page, live_server, world.users["north"])
    open_page(page, live_server, "graph:register")
    page.get_by_label("Country").select_option("US")
    page.get_by_role("button", name="Apply").click()
    assert page.locator("#register tbody tr").all_inner_texts()[0].startswith("Lubbock gin")
    page.get_by_role("link", name="Site").click()
    assert "sort=name" in page.url
    open_page(page, live_server, "graph:dashboard")
    page.locator(".alerts li", has_text="Debt bondage").get_by_role("button", name=re.compile("Acknowledge")).click()
    assert "Alert acknowledged." in page.locator(".messages").inner_text()
    assert RiskAlert.objects.get(company=world.orgs["north"], kind="evidence").acknowledged_at is not None
    open_page(page, live_server, "graph:site", world.sites["mill"].pk)
    assert "of the score" in page.locator("#explanation").inner_text()


def test_another_company_sees_none_of_it(browser_page, live_server, world):
    page = browser_page
    sign_in(page, live_server, world.users["harbor"])
    open_page(page, live_server, "graph:dashboard")
    assert page.locator(".alerts").count() == 0
    open_page(page, live_server, "graph:register")
    rows = page.locator("#register tbody tr").all_inner_texts()
    assert len(rows) == 1 and rows[0].startswith("Harbor private mill")
    response = page.goto(f"{live_server.url}{reverse('graph:site', args=[world.sites['farm'].pk])}")
    assert response.status == 404
    open_page(page, live_server, "audits:board-grievances")
    assert "No grievance has been routed to you." in page.content()


def test_case_pages_of_the_company(browser_page, live_server, world):
    page = browser_page
    sign_in(page, live_server, world.users["north"])
    open_page(page, live_server, "audits:board-grievances")
    assert "Passports kept by the supervisor" in page.locator("#grievances").inner_text()
    assert REPORTER_NAME not in page.content()
    assert_accessible(page)
    save_screenshot(page, "board-grievances")
    page.get_by_role("button", name=re.compile("Acknowledge grievance")).first.click()
    assert "updated" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Remediation").click()
    assert "overdue" in page.locator(".board").inner_text()
    assert_accessible(page)
    save_screenshot(page, "board-remediation")
