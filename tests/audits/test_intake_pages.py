"""The intake pages over HTTP (Django's test client, no browser): the steps as plain POSTs, who may open them,
another organization's reference, and no company or private site named in any page the filer is shown."""

import re

import pytest
from django.test import Client

from audits.models import FilingState, GrievanceFiling, GrievanceRouting
from backend.models import OrganizationKind, Role
from factories import add_site
from graph.models import NetworkSite

pytestmark = pytest.mark.usefixtures("postgres")

PRIVATE_NAME = "Sunrise Garments Pvt Ltd"
PRIVATE_ADDRESS = "12 Mill Road, Tiruppur"
SECRETS = ("Company A", "Company B", PRIVATE_NAME, "Mill Road")


@pytest.fixture
def setting(make_org, make_user):
    a, b, c = make_org("Company A"), make_org("Company B"), make_org("Company C")
    company_user = make_user(a, Role.ANALYST)
    site = add_site(company_user, PRIVATE_NAME, address=PRIVATE_ADDRESS)
    NetworkSite.objects.create(company=b, site=site)
    add_site(make_user(c, Role.ANALYST), "Lakeside Spinning Mills", address="4 Lake View, Coimbatore")
    workers = make_org("Workers W", OrganizationKind.WORKERS_ORG)
    return {"site": site, "filer": make_user(workers, Role.ANALYST),
            "viewer": make_user(workers, Role.VIEWER), "company": company_user,
            "other_filer": make_user(make_org("Workers W2", OrganizationKind.WORKERS_ORG), Role.ANALYST)}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def file_through_the_pages(client: Client) -> tuple[str, list[str]]:
    """Every step as a plain POST; the reference and the HTML of every page the filer saw."""
    pages = [client.get("/audits/intake/new/").content.decode()]
    response = client.post("/audits/intake/new/", {"site_name": "Sunrise Garments",
                                                   "site_address": "12 Mill Rd Tiruppur", "site_country": "India"})
    assert response.status_code == 302, response.content.decode()
    reference = re.search(r"/audits/intake/([^/]+)/what/", response["Location"]).group(1)
    pages.append(client.get(response["Location"]).content.decode())
    response = client.post(f"/audits/intake/{reference}/what/", {
        "channel": "hotline", "description": "The supervisors keep our passports and we cannot leave.",
        "workers_affected": "40", "reporter_name": "Meena", "reporter_contact": "+91 90000 11111"})
    assert response.status_code == 302, response.content.decode()
    review = client.get(f"/audits/intake/{reference}/review/").content.decode()
    pages.append(review)
    suggested = re.findall(r'name="suggested" value="([^"]+)"', review)
    response = client.post(f"/audits/intake/{reference}/review/", {
        "category": "retention_of_identity_documents", "chosen_site": "", "suggested": suggested})
    assert response.status_code == 302, response.content.decode()
    for url in (response["Location"], f"/audits/intake/{reference}/", "/audits/intake/"):
        pages.append(client.get(url).content.decode())
    return reference, pages


def test_the_steps_file_the_grievance_and_no_page_names_a_company_or_the_site(setting):
    reference, pages = file_through_the_pages(client_of(setting["filer"]))
    filing = GrievanceFiling.objects.get(reference=reference)
    assert filing.state == FilingState.FILED and filing.grievance.site == setting["site"]
    assert set(GrievanceRouting.objects.filter(grievance=filing.grievance)
               .values_list("company__name", flat=True)) == {"Company A", "Company B"}
    assert reference in pages[-3] and "Received" in pages[-3]
    for html in pages:
        for secret in SECRETS:
            assert secret not in html


def test_suggested_categories_are_on_the_review_step_without_javascript(setting):
    client = client_of(setting["filer"])
    response = client.post("/audits/intake/new/", {"site_name": "Somewhere", "site_country": "IN"})
    reference = response["Location"].split("/")[3]
    client.post(f"/audits/intake/{reference}/what/", {
        "channel": "union", "description": "The employer holds our passports and identity cards."})
    review = client.get(f"/audits/intake/{reference}/review/").content.decode()
    assert 'name="suggested" value="retention_of_identity_documents"' in review
    assert 'value="retention_of_identity_documents" selected' in review


def test_the_suggest_endpoint_answers_json(setting):
    response = client_of(setting["filer"]).post("/audits/intake/suggest/", {"text": "they took our passports"})
    assert response.status_code == 200
    assert "retention_of_identity_documents" in [s["category"] for s in response.json()["suggestions"]]


def test_a_bad_step_is_shown_again_with_the_field_marked(setting):
    response = client_of(setting["filer"]).post("/audits/intake/new/", {"site_country": "Atlantis"})
    html = response.content.decode()
    assert response.status_code == 200 and not GrievanceFiling.objects.exists()
    assert 'id="id_site_name_error"' in html and "Give the site&#x27;s name" in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_site_name"|<input[^>]*id="id_site_name"[^>]*aria-invalid', html)


@pytest.mark.parametrize("who", ["viewer", "company"])
def test_members_who_may_not_file_get_the_forbidden_page(setting, who):
    client = client_of(setting[who])
    assert client.get("/audits/intake/new/").status_code == 403
    assert client.post("/audits/intake/suggest/", {"text": "passports"}).status_code == 403


def test_anonymous_visitors_go_to_the_login_page():
    response = Client().get("/audits/intake/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_organizations_reference_is_not_found(setting):
    reference, _pages = file_through_the_pages(client_of(setting["filer"]))
    draft = client_of(setting["filer"]).post("/audits/intake/new/", {"site_name": "Mill"})["Location"].split("/")[3]
    other = client_of(setting["other_filer"])
    for url in (f"/audits/intake/{reference}/", f"/audits/intake/{reference}/sent/", f"/audits/intake/{draft}/what/",
                f"/audits/intake/{draft}/review/", f"/audits/intake/{draft}/site/"):
        assert other.get(url).status_code == 404
    assert other.post(f"/audits/intake/{draft}/what/", {"channel": "hotline", "description": "x"}).status_code == 404
