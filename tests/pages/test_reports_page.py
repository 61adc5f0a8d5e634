"""The reports page (issues 17 and 19): a company's analysts see their organization's past reports and exports and
start new ones through plain forms (POST, CSRF), which work without JavaScript; viewers, other kinds of
organization and anonymous visitors may not; another company's jobs never show. Browser tests sign in, export the
risk register and download it, start a remediation report with JavaScript off, and check accessibility."""

import io
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from exports.data import jobs as data_jobs
from exports.models import ReportJob, ReportKind, ReportStatus
from factories import add_link, add_site
from graph.models import DolListing
from graph.services.risk import compute_risk
from support.browser import assert_accessible, save_screenshot, sign_in

PAGE = "/exports/reports/"
# serialized_rollback: the live server's flush after each browser test would otherwise take the reference data
# (commodities, the DOL list) that the migrations load; once Playwright runs it does not always bring them back,
# so `network` loads them again as their migrations do (as test_dashboard_browser.py's world does).
BROWSER = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LOAD_COMMODITIES = import_module("graph.migrations.0002_load_commodities").load_commodities
LOAD_DOL = import_module("graph.migrations.0004_load_dol_2022").load


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def network(analyst):
    """A scored network of two sites for the analyst's company."""
    LOAD_COMMODITIES(apps, None)
    if not DolListing.objects.exists():
        LOAD_DOL(apps, None)
    mill = add_site(analyst, "Tiruppur mill")
    add_link(analyst, add_site(analyst, "Erode gin"), mill, share=1)
    add_link(analyst, mill, None, share=1)
    compute_risk(analyst.organization)
    return mill


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("kind", [OrganizationKind.AUDIT_FIRM, OrganizationKind.WORKERS_ORG])
def test_other_kinds_of_organization_get_the_403_page(make_org, make_user, kind):
    user = make_user(make_org(f"A {kind}", kind), Role.ADMIN)
    assert signed_in(user).get(PAGE).status_code == 403
    assert signed_in(user).post(reverse("exports:export_start"), {"dataset": "findings", "format": "csv"}).status_code == 403
    assert not ReportJob.objects.exists()


def test_a_company_viewer_may_not_start_or_see_reports(viewer_user):
    assert signed_in(viewer_user).get(PAGE).status_code == 403
    response = signed_in(viewer_user).post(reverse("exports:export_start"), {"dataset": "findings", "format": "csv"})
    assert response.status_code == 403 and not ReportJob.objects.exists()


def test_the_list_shows_the_organization_s_jobs_only(analyst, other_analyst, django_assert_num_queries):
    # given one export of each company, and a few more of the analyst's
    for dataset in ("findings", "referrals", "grievances"):
        data_jobs.create_job(Viewer.of(analyst), dataset, "csv", queue=False)
    data_jobs.create_job(Viewer.of(other_analyst), "risk_register", "xlsx", queue=False)
    client = signed_in(analyst)
    # when the analyst opens the page: session, user, organization, the jobs' count and a page of them (their
    # creators joined), then the session's refresh (savepoint, update, release): a fixed number, whatever the jobs
    with django_assert_num_queries(8):
        response = client.get(PAGE)
    # then their three jobs are listed, the other company's not
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("Waiting for a worker") == 3 and "Referrals (CSV)" in text and "Risk register (XLSX)" not in text


def test_a_form_posted_without_its_csrf_token_is_refused(analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    response = client.post(reverse("exports:export_start"), {"dataset": "findings", "format": "csv"})
    assert response.status_code == 403 and not ReportJob.objects.exists()


def test_an_export_is_started_done_and_listed_with_its_download_link(analyst, network,
                                                                    django_capture_on_commit_callbacks):
    # when the analyst starts an export of the risk register, run by the worker after the commit
    client = signed_in(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("exports:export_start"), {"dataset": "risk_register", "format": "xlsx"})
    response = client.get(started["Location"])
    # then the page says so and lists it, done, with the link to its file
    job = ReportJob.objects.get()
    assert (job.kind, job.status, job.parameters["dataset"]) == (ReportKind.DATA_EXPORT, ReportStatus.DONE, "risk_register")
    text = response.content.decode()
    assert "Export of the risk register asked for" in text and "Ready to download" in text
    assert f'href="/exports/reports/' in text


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"kind": "remediation", "period_from": "2026-06-01", "period_to": "2026-01-01", "form": "remediation"},
     "remediation-to", "before it begins"),
    ({"kind": "remediation", "period_from": "yesterday", "form": "remediation"}, "remediation-from", "is not a date"),
    ({"kind": "disclosure", "framework": "EU_FLR", "commodity": "unobtainium", "form": "disclosure"},
     "disclosure-commodity", "unobtainium"),
])
def test_a_refused_report_names_the_field_and_starts_nothing(analyst, data, field, message):
    response = signed_in(analyst).post(reverse("exports:report_start"), data)
    text = response.content.decode()
    assert response.status_code == 400 and message in text
    assert f'aria-describedby="{field}-error"' in text and not ReportJob.objects.exists()


def test_a_dataset_in_a_format_it_does_not_come_in_is_refused(analyst):
    response = signed_in(analyst).post(reverse("exports:export_start"), {"dataset": "risk_register", "format": "graphml"})
    assert response.status_code == 400 and "xlsx or csv" in response.content.decode()
    assert not ReportJob.objects.exists()


@BROWSER
def test_an_analyst_exports_the_risk_register_and_downloads_it(browser_page, live_server, analyst, network):
    # given the analyst signed in, on the reports page
    sign_in(browser_page, live_server, analyst)
    browser_page.goto(f"{live_server.url}{PAGE}")
    assert_accessible(browser_page)
    # when they export the risk register as XLSX and download it from the list
    browser_page.get_by_role("button", name="Export the Risk register as XLSX").click()
    browser_page.wait_for_load_state("load")
    assert browser_page.get_by_text("Export of the risk register asked for").is_visible()
    with browser_page.expect_download() as download:
        browser_page.get_by_role("link", name="Download").first.click()
    # then the file is their register, the gin and the mill in it
    content = open(download.value.path(), "rb").read()
    names = [row[2] for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert names[0] == analyst.organization.name and set(names[1:]) == {"Tiruppur mill", "Erode gin"}
    assert download.value.suggested_filename.endswith(".xlsx")
    assert_accessible(browser_page)
    save_screenshot(browser_page, "reports-page")


@BROWSER
def test_a_remediation_report_is_started_without_javascript(browser_page_no_js, live_server, analyst, network):
    page = browser_page_no_js
    sign_in(page, live_server, analyst)
    page.goto(f"{live_server.url}{PAGE}")
    page.get_by_role("button", name="Generate the remediation report").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Remediation report (PDF) asked for").is_visible()
    job = ReportJob.objects.get()
    assert (job.kind, job.status) == (ReportKind.REMEDIATION, ReportStatus.DONE)
    assert page.get_by_role("cell", name="Remediation report (PDF)", exact=True).is_visible()
    save_screenshot(page, "reports-page-no-js")


@BROWSER
def test_a_refusal_is_shown_beside_its_field_accessibly(browser_page, live_server, analyst):
    sign_in(browser_page, live_server, analyst)
    browser_page.goto(f"{live_server.url}{PAGE}")
    browser_page.locator("#disclosure-framework").select_option("EU_FLR")
    browser_page.get_by_role("button", name="Generate the disclosure report").click()
    browser_page.wait_for_load_state("load")
    assert browser_page.locator("#disclosure-commodity-error").is_visible()
    assert browser_page.locator("#disclosure-commodity").get_attribute("aria-invalid") == "true"
    assert_accessible(browser_page)
    save_screenshot(browser_page, "reports-page-refused")
