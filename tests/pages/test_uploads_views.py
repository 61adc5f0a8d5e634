"""The upload pages through Django's test client (no browser): permissions, tenancy, CSRF, the review answers,
the progress endpoint and the translations. The journeys in Chromium are in test_uploads.py."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import strip_tags
from graphql_relay import to_global_id

from audits.models import Finding
from backend.models import Role
from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite, Site
from imports.models import ImportJob, ResolutionDecision, Status
from imports.reading import Limits
from imports.services import jobs
from support.import_helpers import csv_text, dry_run, upload
from test_uploads_support import (  # noqa: F401 (fixtures)
    FINDINGS_SHEET, REVIEW_HEADER, audited_sites, auditor, bad_findings, good_findings, media_root, similar_site,
    similar_site_map,
)

pytestmark = pytest.mark.usefixtures("media_root")
BAD_FILES = Path(__file__).parents[1] / "fixtures" / "bad"


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """`with worker():` runs what a request hands off after its commit (the import job) before going on."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def client_of(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def job_id(job: ImportJob) -> str:
    return to_global_id("ImportJob", job.pk)


def post_file(client, kind: str, content: str | bytes, name: str = "upload.csv", **fields):
    data = content.encode() if isinstance(content, str) else content
    return client.post(f"/imports/new/{kind}/", {"file": SimpleUploadedFile(name, data), **fields})


def test_an_auditor_sees_only_the_kinds_its_firm_imports(auditor):
    # when the audit firm's analyst opens the uploads page
    response = client_of(auditor).get("/imports/")
    # then findings are offered, with their template, and supply maps are not
    text = response.content.decode()
    assert response.status_code == 200
    assert 'href="/imports/new/findings/"' in text and 'href="/imports/templates/findings.xlsx"' in text
    assert "/imports/new/supply_map/" not in text
    assert client_of(auditor).get("/imports/new/supply_map/").status_code == 404


def test_a_findings_upload_with_errors_lists_each_problem_then_the_corrected_file_commits(auditor, audited_sites,
                                                                                          worker):
    client = client_of(auditor)
    # given a findings file whose second row has an unknown category
    with worker():
        response = post_file(client, "findings", bad_findings(), "findings.xlsx")
    # then the job's page lists the problem where it is, and nothing is written
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert job.status == Status.INVALID
    problem = problem_rows(page)[0]
    assert problem[:4] == [FINDINGS_SHEET, "3", "Category", "witchcraft"]
    assert "not one of" in problem[4] or "witchcraft" in problem[4]
    assert f'href="/imports/jobs/{job_id(job)}/error-report.xlsx"' in page
    assert not Finding.objects.exists()
    # when the corrected file is uploaded again and committed
    with worker():
        post_file(client, "findings", good_findings(), "findings.xlsx")
    corrected = ImportJob.objects.exclude(pk=job.pk).get()
    assert corrected.status == Status.READY
    with worker():
        client.post(f"/imports/jobs/{job_id(corrected)}/commit/")
    # then the findings are stored
    corrected.refresh_from_db()
    assert corrected.status == Status.COMMITTED
    assert sorted(Finding.objects.values_list("category", flat=True)) == ["debt_bondage", "excessive_overtime"]
    assert "What was written" in client.get(f"/imports/jobs/{job_id(corrected)}/").content.decode()


def test_a_viewer_may_not_upload(company, make_user):
    viewer = client_of(make_user(company, Role.VIEWER))
    # when a company viewer opens the pages or posts a file
    pages = [viewer.get("/imports/"), viewer.get("/imports/new/supply_map/"),
             post_file(viewer, "supply_map", csv_text(REVIEW_HEADER, [["S-1", "Mill", "", "IN"]]))]
    # then each is refused and no job exists
    assert [response.status_code for response in pages] == [403, 403, 403]
    assert not ImportJob.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get("/imports/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/imports/")


def test_another_organization_cannot_open_or_act_on_a_job(analyst, other_analyst, similar_site):
    # given a job of company A waiting for review
    job = dry_run(analyst, "supply_map", similar_site_map())
    assert job.status == Status.NEEDS_REVIEW
    other = client_of(other_analyst)
    base = f"/imports/jobs/{job_id(job)}"
    # when company B opens its pages or acts on it
    responses = [other.get(f"{base}/"), other.get(f"{base}/progress/"), other.get(f"{base}/review/"),
                 other.get(f"{base}/error-report.xlsx"), other.post(f"{base}/commit/"),
                 other.post(f"{base}/decisions/", {"answer": "best", "min_score": "0"})]
    # then every one is "not found", exactly as for a job that does not exist, and the job is untouched
    assert [response.status_code for response in responses] == [404] * 6
    assert other.get("/imports/jobs/not-an-id/").status_code == 404
    job.refresh_from_db()
    assert job.status == Status.NEEDS_REVIEW and job.candidates.count() == 1
    assert "Sunrise" not in other.get("/imports/").content.decode()


def test_a_form_posted_without_its_csrf_token_is_refused(analyst):
    client = client_of(analyst, enforce_csrf_checks=True)
    response = post_file(client, "supply_map", csv_text(REVIEW_HEADER, [["S-1", "Mill", "", "IN"]]))
    assert response.status_code == 403 and not ImportJob.objects.exists()


def test_an_upload_without_a_file_or_too_large_is_refused_on_its_field(analyst):
    client = client_of(analyst)
    # when the form is sent without a file, then with one larger than any accepted
    missing = client.post("/imports/new/supply_map/", {"sheet": "Data"})
    too_large = post_file(client, "supply_map", b"Site reference\n" + b" " * (Limits().max_bytes + 1), "big.csv")
    # then each comes back with the error on the file field, and no job is stored
    assert (missing.status_code, too_large.status_code) == (400, 400)
    assert 'id="id_file_error"' in missing.content.decode()
    assert "at most 50 MB are accepted" in too_large.content.decode()
    assert not ImportJob.objects.exists()


def test_an_unreadable_file_is_rejected_and_its_page_says_why(analyst, worker):
    client = client_of(analyst)
    with worker():
        response = post_file(client, "supply_map", (BAD_FILES / "junk.xlsx").read_bytes(), "junk.xlsx")
    page = client.get(response["Location"]).content.decode()
    assert ImportJob.objects.get().status == Status.REJECTED
    assert "The file could not be read" in page and "Upload the corrected file" in page


def test_a_running_job_reports_its_progress_and_its_page_refreshes_without_javascript(analyst):
    # given a job stored but not yet run by a worker
    job = jobs.create_job(Viewer.of(analyst), "supply_map", upload(similar_site_map()), queue=False)
    client = client_of(analyst)
    # when its progress and its page are read
    state = client.get(f"/imports/jobs/{job_id(job)}/progress/").json()
    page = client.get(f"/imports/jobs/{job_id(job)}/").content.decode()
    # then it is running, and the page follows it by script or, without one, by refreshing itself
    assert (state["status"], state["running"], state["phaseText"]) == ("queued", True, "Waiting for a worker")
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert "imports/progress.js" in page
    # and once the worker is done, the endpoint says so
    jobs.validate(job)
    state = client.get(f"/imports/jobs/{job_id(job)}/progress/").json()
    assert (state["status"], state["running"], state["done"], state["total"]) == ("ready", False, 1, 1)


def test_review_questions_are_decided_in_bulk_or_one_by_one(analyst, company, similar_site, worker):
    # given two uploaded sites like two sites of A's network
    add_site(analyst, "Lakeside Spinning", country="IN", address="12 Mill Road, Salem", internal_ref="OLD-2")
    job = dry_run(analyst, "supply_map", csv_text(REVIEW_HEADER, [
        ["S-1", "Sunrise Garment", "Plot 4 Tirupur", "IN"], ["S-2", "Lakeside Spining", "12 Mill Rd Salem", "IN"]]))
    assert job.candidates.values("site_ref").distinct().count() == 2
    client = client_of(analyst)
    review = client.get(f"/imports/jobs/{job_id(job)}/review/").content.decode()
    assert "Sunrise Garments" in review and "Row 2" in review and "2 sites to decide" in review
    # when S-1 is decided by itself as that site
    client.post(f"/imports/jobs/{job_id(job)}/decisions/", {"answer": "one", "site_ref": "S-1", "choice": similar_site.pk})
    # then one question is left
    assert list(job.candidates.values_list("site_ref", flat=True).distinct()) == ["S-2"]
    # and when a decisions file says S-2 is a new site, the job is checked again and ready
    decisions = SimpleUploadedFile("decisions.csv", b"site_ref,site_id\nS-2,new\n")
    with worker():
        response = client.post(f"/imports/jobs/{job_id(job)}/decisions/", {"answer": "file", "decisions": decisions})
    assert response["Location"] == f"/imports/jobs/{job_id(job)}/"
    job.refresh_from_db()
    assert job.status == Status.READY
    assert ResolutionDecision.objects.filter(organization=company).count() == 2


def test_a_bad_review_answer_is_refused_naming_what_is_wrong(analyst, similar_site):
    elsewhere = add_site(analyst, "Unrelated", country="IN")
    job = dry_run(analyst, "supply_map", similar_site_map())
    client = client_of(analyst)
    decide = f"/imports/jobs/{job_id(job)}/decisions/"
    # when a site that is not a candidate, a bad score and a malformed decisions file are sent
    answers = [{"answer": "one", "site_ref": "S-1", "choice": elsewhere.pk},
               {"answer": "best", "min_score": "120"},
               {"answer": "file", "decisions": SimpleUploadedFile("d.csv", b"site_ref,site_id\nS-1,somewhere\n")}]
    shown = [client.post(decide, answer, follow=True).content.decode() for answer in answers]
    # then each is refused with its reason and the question stays
    assert f"Site {elsewhere.pk} is not a candidate for &#x27;S-1&#x27;." in shown[0]
    assert "Ensure this value is less than or equal to 100." in shown[1]
    assert "Row 2: &#x27;somewhere&#x27; is neither a site ID nor" in shown[2]
    assert job.candidates.count() == 1


def test_the_best_matches_are_accepted_in_bulk_and_the_map_commits(analyst, company, similar_site, worker):
    job = dry_run(analyst, "supply_map", similar_site_map())
    client = client_of(analyst)
    with worker():
        client.post(f"/imports/jobs/{job_id(job)}/decisions/", {"answer": "best", "min_score": "80"})
    job.refresh_from_db()
    assert job.status == Status.READY
    with worker():
        client.post(f"/imports/jobs/{job_id(job)}/commit/")
    assert NetworkSite.objects.get(company=company, site=similar_site).internal_ref == "S-1"
    assert Site.objects.count() == 1


def test_committing_a_job_with_problems_is_refused_on_its_page(auditor, audited_sites):
    job = dry_run(auditor, "findings", bad_findings(), "findings.xlsx")
    response = client_of(auditor).post(f"/imports/jobs/{job_id(job)}/commit/", follow=True)
    assert "The file has problems; fix them and upload it again." in response.content.decode()
    assert not Finding.objects.exists()


def test_the_pages_speak_french(auditor):
    client = client_of(auditor)
    client.cookies["django_language"] = "fr"
    text = client.get("/imports/").content.decode()
    assert "Choisissez ce que vous importez" in text and "Constats d’audit" in text


def problem_rows(page: str) -> list[list[str]]:
    """The cells of the problem table's rows, as text."""
    table = page[page.index('<table class="table problems">'):]
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    return [[strip_tags(cell).strip() for cell in row.split("</td>")[:-1]] for row in body.split("</tr>")[:-1]]
