"""Helpers of the browser tests (tests/pages/): signing in, the accessibility check, screenshots, page weight.

The fixtures that start Chromium are in tests/pages/conftest.py; these are plain functions a test imports:
`from support.browser import sign_in, assert_accessible, save_screenshot, transferred_bytes`.
"""

import os
from pathlib import Path

SCREENSHOTS = Path(os.environ.get("TEST_OUTPUT", Path(__file__).resolve().parents[2] / "test-output")) / "screenshots"
TEST_PASSWORD = "pw-for-tests"
SERIOUS = {"serious", "critical"}


def sign_in(page, live_server, user, password: str = TEST_PASSWORD) -> None:
    """Give the user a password and sign them in through the login form, as a person would."""
    user.set_password(password)
    user.save(update_fields=["password"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, f"sign-in of {user.username} failed: still on {page.url}"


def assert_accessible(page) -> None:
    """Run axe-core on the current page; fail on any serious or critical violation, naming each one."""
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(rendered_with_scripts(page) if getattr(page, "without_js", False) else page).response
    serious = [violation for violation in response["violations"] if violation["impact"] in SERIOUS]
    assert not serious, "accessibility violations on {}:\n{}".format(page.url, "\n".join(
        f"- {violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in serious
    ))


def rendered_with_scripts(page):
    """The page's current HTML in a page that may run scripts (axe is a script; a page whose context has
    JavaScript off never answers an evaluate), with the page's own scripts blocked so the markup stays as served."""
    checker = page.context.browser.new_context().new_page()
    checker.route("**/*.js", lambda route: route.abort())
    html = page.content().replace("<head>", f'<head><base href="{page.url}">', 1)
    checker.set_content(html, wait_until="load")
    return checker


def save_screenshot(page, name: str) -> Path:
    """A full-page PNG of the current page, kept with the test run's output."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def track_transfers(page) -> None:
    """Record the requests of the page's current document (a new main-frame document starts a new list)."""
    page.transfers = []

    def on_request(request):
        if request.resource_type == "document" and request.frame == page.main_frame:
            page.transfers = []

    page.on("request", on_request)
    page.on("requestfinished", lambda request: page.transfers.append(request))


def transferred_bytes(page) -> int:
    """Bytes transferred for the current page load: headers and bodies of the document and its subresources."""
    total = 0
    for request in page.transfers:
        sizes = request.sizes()
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
    return total
