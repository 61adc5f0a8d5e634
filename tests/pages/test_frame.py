"""The page frame: sign-in, the navigation a role allows, the 403 page, languages, the people page."""

from django.core import mail

from backend.models import OrganizationKind, Role, User
from support.browser import TEST_PASSWORD, assert_accessible, save_screenshot, sign_in, transferred_bytes


def test_an_anonymous_visitor_is_sent_to_sign_in_and_comes_back_after(browser_page, live_server, company, make_user):
    admin = make_user(company, Role.ADMIN)
    browser_page.goto(f"{live_server.url}/accounts/people/")
    assert "/accounts/login/" in browser_page.url
    assert_accessible(browser_page)
    save_screenshot(browser_page, "frame-login")

    admin.set_password(TEST_PASSWORD)  # signed in on the page the redirect opened, which carries `next`
    admin.save(update_fields=["password"])
    browser_page.get_by_label("User name").fill(admin.username)
    browser_page.get_by_label("Password").fill(TEST_PASSWORD)
    browser_page.get_by_role("button", name="Sign in").click()
    browser_page.wait_for_load_state("load")

    assert browser_page.url.endswith("/accounts/people/")
    assert browser_page.get_by_role("heading", name="People", exact=True).is_visible()


def test_wrong_password_names_the_problem_and_stays_on_sign_in(browser_page, live_server, company, make_user):
    admin = make_user(company, Role.ADMIN)
    admin.set_password("the-right-one")
    admin.save()
    browser_page.goto(f"{live_server.url}/accounts/login/")
    browser_page.get_by_label("User name").fill(admin.username)
    browser_page.get_by_label("Password").fill("a-wrong-one")
    browser_page.get_by_role("button", name="Sign in").click()
    assert "/accounts/login/" in browser_page.url
    assert browser_page.get_by_role("alert").is_visible()


def test_people_page_lists_members_and_invites_one(browser_page, live_server, company, make_user, other_company):
    admin = make_user(company, Role.ADMIN)
    colleague = make_user(company, Role.VIEWER)
    stranger = make_user(other_company, Role.ADMIN)
    sign_in(browser_page, live_server, admin)
    browser_page.goto(f"{live_server.url}/accounts/people/")

    assert browser_page.get_by_role("cell", name=colleague.username, exact=True).is_visible()
    assert stranger.username not in browser_page.content()
    assert_accessible(browser_page)

    browser_page.get_by_label("E-mail").fill("new.person@example.org")
    browser_page.get_by_label("Role", exact=True).select_option("viewer")
    browser_page.get_by_role("button", name="Send invitation").click()

    assert browser_page.get_by_text("Invitation sent to new.person@example.org.").is_visible()
    invited = User.objects.get(email="new.person@example.org")
    assert (invited.organization, invited.role, invited.is_active) == (company, Role.VIEWER, False)
    assert any("new.person@example.org" in message.to for message in mail.outbox)
    save_screenshot(browser_page, "frame-people")


def test_the_last_admin_cannot_demote_themselves_and_is_told_why(browser_page, live_server, company, make_user):
    admin = make_user(company, Role.ADMIN)
    sign_in(browser_page, live_server, admin)
    browser_page.goto(f"{live_server.url}/accounts/people/")
    browser_page.get_by_label(f"Role of {admin.username}").select_option("viewer")
    browser_page.get_by_role("button", name="Save").first.click()

    assert browser_page.get_by_text("is the last active admin").is_visible()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_a_role_without_the_permission_gets_the_403_page(browser_page, live_server, company, make_user):
    viewer = make_user(company, Role.VIEWER)
    sign_in(browser_page, live_server, viewer)
    response = browser_page.goto(f"{live_server.url}/accounts/people/")
    assert response.status == 403
    assert browser_page.get_by_role("heading", name="This page is not available to you").is_visible()
    assert "People" not in browser_page.locator("nav").all_inner_texts()
    assert_accessible(browser_page)


def test_the_language_follows_the_browser_and_can_be_switched(browser, live_server, company, make_user):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Langue").select_option("es")
    page.get_by_role("button", name="Changer").click()
    assert page.locator("html").get_attribute("lang") == "es"
    context.close()


def test_the_sign_in_page_works_without_javascript_and_is_light(browser_page_no_js, live_server, company, make_user):
    admin = make_user(company, Role.ADMIN)
    sign_in(browser_page_no_js, live_server, admin)
    browser_page_no_js.goto(f"{live_server.url}/accounts/login/")
    assert transferred_bytes(browser_page_no_js) < 100_000


def test_a_workers_organization_admin_reaches_the_people_page_from_home(browser_page, live_server, workers_org,
                                                                         make_user):
    assert workers_org.kind == OrganizationKind.WORKERS_ORG
    admin = make_user(workers_org, Role.ADMIN)
    sign_in(browser_page, live_server, admin)
    browser_page.goto(f"{live_server.url}/")
    assert browser_page.get_by_role("link", name="People").is_visible()
