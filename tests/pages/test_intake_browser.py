"""Grievance intake in the browser (issue 19): a workers' organization files about a site it cannot see, by name and
address, with JavaScript and without, and across a lost connection; each page stays under 100 KB, passes axe, and
never names a company or the private site; the grievance reaches the two companies sourcing from the site, redacted,
and no other."""

import re
from importlib import import_module

import pytest
from django.apps import apps

from audits.models import FilingState, GrievanceFiling
from backend.models import OrganizationKind, Role
from factories import add_site
from graph.models import NetworkSite
from support.browser import assert_accessible, save_screenshot, sign_in, transferred_bytes

# The live server's flush after each test takes the reference data (commodities), and once Playwright runs,
# serialized_rollback does not bring it back (the test finds the table empty), so `setting` loads it again as
# its migration does.
LOAD_COMMODITIES = import_module("graph.migrations.0002_load_commodities").load_commodities
MAX_PAGE_BYTES = 100 * 1024
PRIVATE_NAME = "Sunrise Garments Pvt Ltd"
SECRETS = ("Company A", "Company B", "Company C", PRIVATE_NAME, "Mill Road")
DESCRIPTION = "The supervisors keep our passports and the wages are withheld for three months."
GRIEVANCES = "{ grievances(first: 10) { totalCount edges { node { description reporter { name } } } } }"


@pytest.fixture
def setting(make_org, make_user):
    """A's private site, also in B's network; C sources elsewhere; W's analyst files."""
    LOAD_COMMODITIES(apps, None)
    a, b, c = make_org("Company A"), make_org("Company B"), make_org("Company C")
    users = {key: make_user(org, Role.ANALYST) for key, org in (("a", a), ("b", b), ("c", c))}
    site = add_site(users["a"], PRIVATE_NAME, address="12 Mill Road, Tiruppur")
    NetworkSite.objects.create(company=b, site=site)
    add_site(users["c"], "Lakeside Spinning Mills", address="4 Lake View, Coimbatore")
    users["w"] = make_user(make_org("Workers W", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    return {"site": site, "users": users}


def check_page(page, name: str) -> str:
    """Every intake page: light, accessible, naming no company or private site; screenshot kept."""
    page.wait_for_load_state("load")
    weight = transferred_bytes(page)
    assert 0 < weight <= MAX_PAGE_BYTES, f"{page.url} transferred {weight:,} bytes"
    assert_accessible(page)
    html = page.content()
    for secret in SECRETS:
        assert secret not in html, f"{secret!r} shown on {page.url}"
    save_screenshot(page, name)
    return html


def fill_site(page) -> None:
    page.get_by_label("Name of the site").fill("Sunrise Garments")
    page.get_by_label("Address").fill("12 Mill Rd, Tiruppur")
    page.get_by_label("Country").fill("India")


def fill_events(page) -> None:
    page.get_by_label("How did the grievance reach you?").select_option("hotline")
    page.get_by_label("What happened?").fill(DESCRIPTION)
    page.get_by_label("How many workers are affected?").fill("40")
    page.get_by_label("Reporter's name (optional)").fill("Meena R.")


def reached_companies(api, setting, reference: str) -> set[str]:
    """The companies whose API shows the grievance, checking that none of them sees the reporter."""
    filing = GrievanceFiling.objects.get(reference=reference)
    reached = set()
    for key in ("a", "b", "c"):
        edges = api(setting["users"][key]).data(GRIEVANCES)["grievances"]["edges"]
        for edge in edges:
            assert edge["node"]["reporter"] is None
            if edge["node"]["description"] == filing.grievance.description:
                reached.add(setting["users"][key].organization.name)
    return reached


def test_filing_with_javascript_reaches_both_companies_sourcing_from_the_site_and_no_other(
        browser_page, live_server, setting, api):
    page = browser_page
    sign_in(page, live_server, setting["users"]["w"])
    page.goto(f"{live_server.url}/audits/intake/")
    check_page(page, "intake-home-empty")
    page.get_by_role("link", name="File a grievance").first.click()
    check_page(page, "intake-1-site")
    fill_site(page)
    page.get_by_role("button", name="Next: what happened").click()
    check_page(page, "intake-2-what")
    fill_events(page)
    # the suggestions appear as the caseworker types, and one click confirms a category
    suggestion = page.locator("#suggestions button", has_text="Retention of identity documents")
    suggestion.wait_for()
    suggestion.click()
    assert page.get_by_label("Category (you can choose it on the next step)").input_value() == (
        "retention_of_identity_documents")
    save_screenshot(page, "intake-2-what-suggestions")
    page.get_by_role("button", name="Next: review").click()
    check_page(page, "intake-3-review")
    page.get_by_role("button", name="Send the grievance").click()
    html = check_page(page, "intake-4-sent")
    reference = re.search(r"G-[A-Z0-9]{4}-[A-Z0-9]{4}", html).group(0)
    assert page.get_by_text(f"Received. Your reference is {reference}.").is_visible()
    page.get_by_role("link", name="Follow this grievance").click()
    check_page(page, "intake-5-status")
    assert page.get_by_text("To be concluded by").is_visible()
    page.goto(f"{live_server.url}/audits/intake/")
    check_page(page, "intake-home")

    assert reached_companies(api, setting, reference) == {"Company A", "Company B"}


def test_filing_without_javascript_confirms_the_suggested_category_on_the_review_step(
        browser_page_no_js, live_server, setting, api):
    page = browser_page_no_js
    sign_in(page, live_server, setting["users"]["w"])
    page.goto(f"{live_server.url}/audits/intake/new/")
    fill_site(page)
    page.get_by_role("button", name="Next: what happened").click()
    fill_events(page)
    page.get_by_role("button", name="Next: review").click()
    check_page(page, "intake-3-review-no-js")
    assert page.get_by_text("Suggested from the description:").is_visible()
    category = page.get_by_label("Category")
    assert category.input_value() in {"withholding_of_wages", "retention_of_identity_documents"}
    category.select_option("retention_of_identity_documents")
    page.get_by_role("button", name="Send the grievance").click()
    html = check_page(page, "intake-4-sent-no-js")
    reference = re.search(r"G-[A-Z0-9]{4}-[A-Z0-9]{4}", html).group(0)

    assert GrievanceFiling.objects.get(reference=reference).grievance.category == "retention_of_identity_documents"
    assert reached_companies(api, setting, reference) == {"Company A", "Company B"}


def test_a_step_submitted_offline_is_kept_and_sent_when_the_connection_returns(browser_page, live_server, setting):
    page = browser_page
    sign_in(page, live_server, setting["users"]["w"])
    page.goto(f"{live_server.url}/audits/intake/new/")
    fill_site(page)
    page.get_by_role("button", name="Next: what happened").click()
    page.wait_for_url(re.compile(r"/what/$"))
    reference = page.url.rstrip("/").split("/")[-2]
    fill_events(page)

    page.context.set_offline(True)
    page.get_by_role("button", name="Next: review").click()
    offline = page.get_by_text("You are offline.")
    offline.wait_for()
    save_screenshot(page, "intake-offline")
    assert GrievanceFiling.objects.get(reference=reference).description == ""

    page.context.set_offline(False)
    page.wait_for_url(re.compile(r"/review/$"))
    filing = GrievanceFiling.objects.get(reference=reference)
    assert (filing.description, filing.state) == (DESCRIPTION, FilingState.DRAFT)
    assert page.get_by_role("button", name="Send the grievance").is_visible()


def test_the_pages_speak_the_language_chosen(browser_page, live_server, setting):
    page = browser_page
    sign_in(page, live_server, setting["users"]["w"])
    page.goto(f"{live_server.url}/audits/intake/new/")
    for code, heading in (("fr", "Déposer une plainte"), ("es", "Presentar una queja"), ("pt", "Registrar uma queixa")):
        page.locator("#language-select").select_option(code)  # its label is in the current language
        page.locator(".language-form").get_by_role("button").click()
        page.wait_for_load_state("load")
        assert page.get_by_role("heading", name=heading, level=1).is_visible()
        assert_accessible(page)
    save_screenshot(page, "intake-1-site-pt")
