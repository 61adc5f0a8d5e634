"""The upload pages in Chromium (issue 19, auditors and supply maps): an auditor uploads findings with errors,
reads the problem table, downloads the annotated file, uploads the corrected file and commits; a company decides
its supply map's review question in bulk; a job is followed live with and without JavaScript; another organization
gets "not found". Every page is checked with axe and photographed."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from audits.models import Finding
from backend.tenancy import Viewer
from graph.models import NetworkSite
from imports.models import ImportJob, Status
from imports.services import jobs
from support.browser import assert_accessible, save_screenshot, sign_in, transferred_bytes
from support.import_helpers import upload
from test_uploads_support import (  # noqa: F401 (fixtures)
    FINDINGS_SHEET, audited_sites, auditor, bad_findings, good_findings, media_root, similar_site, similar_site_map,
)

# serialized_rollback: the live server's flush after each test would otherwise take the reference data (commodities)
pytestmark = [pytest.mark.usefixtures("media_root"), pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PAGE_BUDGET = 100_000  # bytes transferred: the upload pages keep to the intake pages' budget


@pytest.fixture(autouse=True)
def commodities(transactional_db):
    """The commodity list, loaded as its data migration does: once Playwright has run, the test's database
    connection no longer carries the serialized contents, so serialized_rollback stops restoring them."""
    from importlib import import_module

    from django.apps import apps

    import_module("graph.migrations.0002_load_commodities").load_commodities(apps, None)


def job_path(job: ImportJob) -> str:
    from graphql_relay import to_global_id

    return f"/imports/jobs/{to_global_id('ImportJob', job.pk)}/"


def upload_through_form(page, path) -> None:
    page.get_by_label("Spreadsheet").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("load")


def test_an_auditor_uploads_findings_with_errors_reads_the_problems_fixes_the_file_and_commits(
        browser_page, live_server, auditor, audited_sites, tmp_path):
    page = browser_page
    bad, good = tmp_path / "findings.xlsx", tmp_path / "findings-corrected.xlsx"
    bad.write_bytes(bad_findings())
    good.write_bytes(good_findings())
    # given the auditor signed in, on the uploads page
    sign_in(page, live_server, auditor)
    page.goto(f"{live_server.url}/imports/")
    expect(page.get_by_role("heading", name="Uploads", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Upload a file: Supply map")).to_have_count(0)
    assert_accessible(page)
    save_screenshot(page, "uploads-choose-kind")
    # when they choose findings and upload a file with an error
    page.get_by_role("link", name="Upload a file: Audit findings").click()
    expect(page.get_by_role("link", name="Download the template")).to_have_attribute(
        "href", "/imports/templates/findings.xlsx")
    assert_accessible(page)
    save_screenshot(page, "uploads-new-findings")
    upload_through_form(page, bad)
    # then the job's page shows the dry run and the problem where it is: sheet, row, column, value, message
    expect(page.get_by_text("Problems found: fix the file and upload it again")).to_be_visible()
    problem = page.locator("table.problems tbody tr").filter(has_text="witchcraft")
    expect(problem.locator("td")).to_have_text([FINDINGS_SHEET, "3", "Category", "witchcraft", re.compile("error")])
    assert_accessible(page)
    assert transferred_bytes(page) <= PAGE_BUDGET
    save_screenshot(page, "uploads-job-problems")
    assert not Finding.objects.exists()
    # and the annotated file marks the bad cell
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the annotated file").first.click()
    with open(download.value.path(), "rb") as annotated_file:
        annotated = load_workbook(annotated_file)
    assert download.value.suggested_filename == "findings - problems.xlsx"
    assert any("witchcraft" in str(cell.value) for row in annotated.worksheets[-1].iter_rows() for cell in row)
    # when the corrected file is uploaded from the same page, then committed
    upload_through_form(page, good)
    expect(page.get_by_text("Checked: ready to commit")).to_be_visible()
    expect(page.locator("table.entity-counts")).to_contain_text("Findings")
    assert_accessible(page)
    save_screenshot(page, "uploads-job-ready")
    page.get_by_role("button", name="Commit this file").click()
    # then the page says what was written and the findings are stored
    expect(page.get_by_role("heading", name="What was written")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "uploads-job-committed")
    assert sorted(Finding.objects.values_list("category", flat=True)) == ["debt_bondage", "excessive_overtime"]
    assert Finding.objects.filter(site=audited_sites["mill"]).count() == 2


def test_a_company_uploads_a_supply_map_and_decides_its_review_question_in_bulk(
        browser_page, live_server, analyst, company, similar_site, tmp_path):
    page = browser_page
    supply_map = tmp_path / "supply-map.csv"
    supply_map.write_text(similar_site_map())
    sign_in(page, live_server, analyst)
    page.goto(f"{live_server.url}/imports/new/supply_map/")
    # when the company uploads a map naming a site like one of its own
    upload_through_form(page, supply_map)
    expect(page.get_by_text("Some sites need your decision before committing")).to_be_visible()
    page.get_by_role("link", name="Decide the sites").click()
    # then the review page shows the question with its candidate
    question = page.get_by_role("group", name=re.compile("Row 2 — S-1: Sunrise Garment"))
    expect(question).to_contain_text("Sunrise Garments")
    assert_accessible(page)
    save_screenshot(page, "uploads-review")
    # when every best match scoring 80 or more is accepted at once
    page.get_by_label("Lowest score to accept").fill("80")
    page.get_by_role("button", name="Accept the best matches").click()
    # then no question is left, the map is ready, and committing it joins the existing site
    expect(page.get_by_text("1 site decided.")).to_be_visible()
    expect(page.get_by_text("Checked: ready to commit")).to_be_visible()
    page.get_by_role("button", name="Commit this file").click()
    expect(page.get_by_role("heading", name="What was written")).to_be_visible()
    assert NetworkSite.objects.get(company=company, site=similar_site).internal_ref == "S-1"


def test_without_javascript_a_running_job_refreshes_itself_and_commits(browser_page_no_js, live_server, analyst):
    page = browser_page_no_js
    # given a job stored and waiting for a worker
    job = jobs.create_job(Viewer.of(analyst), "supply_map", upload(similar_site_map()), queue=False)
    sign_in(page, live_server, analyst)
    page.goto(f"{live_server.url}{job_path(job)}")
    expect(page.get_by_role("heading", name="Waiting for a worker")).to_be_visible()
    expect(page.get_by_role("link", name="Reload now")).to_be_visible()
    # when the worker validates it
    jobs.validate(job)
    # then the page, refreshing itself, shows the result, and the commit form works without scripts
    expect(page.get_by_text("Checked: ready to commit")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Commit this file").click()
    expect(page.get_by_role("heading", name="What was written")).to_be_visible()
    assert ImportJob.objects.get().status == Status.COMMITTED


def test_with_javascript_a_running_job_is_followed_through_its_progress_endpoint(browser_page, live_server, analyst):
    page = browser_page
    job = jobs.create_job(Viewer.of(analyst), "supply_map", upload(similar_site_map()), queue=False)
    sign_in(page, live_server, analyst)
    with page.expect_response(lambda response: response.url.endswith("/progress/")) as polled:
        page.goto(f"{live_server.url}{job_path(job)}")
        expect(page.get_by_role("progressbar")).to_be_visible()
        assert_accessible(page)
        save_screenshot(page, "uploads-job-running")
    assert polled.value.json()["running"] is True
    jobs.validate(job)
    expect(page.get_by_text("Checked: ready to commit")).to_be_visible(timeout=10_000)


def test_another_organization_cannot_open_the_jobs_pages(browser_page, live_server, analyst, other_analyst,
                                                         similar_site):
    job = jobs.validate(jobs.create_job(Viewer.of(analyst), "supply_map", upload(similar_site_map()), queue=False))
    sign_in(browser_page, live_server, other_analyst)
    for suffix in ("", "review/", "progress/", "error-report.xlsx"):
        response = browser_page.request.get(f"{live_server.url}{job_path(job)}{suffix}")
        assert response.status == 404, suffix
    response = browser_page.goto(f"{live_server.url}{job_path(job)}")
    assert response.status == 404
    assert "Sunrise" not in browser_page.content()
