"""Browser tests: Playwright drives Debian's Chromium (no browser download) against pytest-django's live server.

The fixtures: a fresh page with and without JavaScript (each on its own browser context). The helpers a test
imports (signing in, the axe-core check, screenshots, page weight) are in tests/support/browser.py.
"""

import os
import shutil
from pathlib import Path

import pytest

from support.browser import track_transfers
from support.services import require_service

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    require_service(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (Debian package chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in the main thread from here to the end of the session; the
    # ORM calls made beside it (the tests' given / then, the test database's teardown) are synchronous and safe, so
    # Django's async-context guard is lifted once a browser test has started.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


def new_page(browser, java_script: bool):
    context = browser.new_context(java_script_enabled=java_script, viewport={"width": 1280, "height": 900},
                                  locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.without_js = not java_script
    track_transfers(page)
    return page


@pytest.fixture
def browser_page(browser, live_server):
    page = new_page(browser, java_script=True)
    yield page
    page.context.close()


@pytest.fixture
def browser_page_no_js(browser, live_server):
    page = new_page(browser, java_script=False)
    yield page
    page.context.close()


