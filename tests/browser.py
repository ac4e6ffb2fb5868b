"""Shared by the browser tests: Debian's Chromium driven by Playwright, screenshots, basic accessibility checks.

Use: ``from tests.browser import browser, check_accessibility, shoot  # noqa: F401`` in a test module marked
``pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]`` that also uses ``live_server``.
Without /usr/bin/chromium the tests are skipped, except under CI (``CI`` set) where they fail."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"

UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll("input, select, textarea"))
    .filter(el => el.type !== "hidden" && el.getClientRects().length > 0)
    .filter(el => !el.labels || el.labels.length === 0)
    .map(el => el.name || el.id || el.outerHTML)"""


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the test still touches the database from it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        chromium.new_context = _settling(chromium.new_context)
        yield chromium
        for context in chromium.contexts:
            _settle(context.pages)
        chromium.close()


def _settle(pages) -> None:
    """Wait until the pages have no request in flight. A page may still be loading a fragment (htmx
    ``hx-trigger="load"``) when a test ends: the live server (one per session) would then serve it after the test's
    database access is closed, and fail the next test."""
    for page in pages:
        try:
            page.wait_for_load_state("networkidle", timeout=5000)
        except Exception:  # noqa: BLE001 - a closed or crashed page has nothing in flight
            pass


def _settling(new_context):
    """``Browser.new_context`` whose contexts and pages settle (``_settle``) before they close."""

    def make(*args, **kwargs):
        context = new_context(*args, **kwargs)
        close_context, new_page = context.close, context.new_page

        def close(*a, **k):
            _settle(context.pages)
            return close_context(*a, **k)

        def make_page(*a, **k):
            page = new_page(*a, **k)
            close_page = page.close

            def close_settled(*pa, **pk):
                _settle([page])
                return close_page(*pa, **pk)

            page.close = close_settled
            return page

        context.close, context.new_page = close, make_page
        return context

    return make


def shoot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def check_accessibility(page) -> None:
    """The page is in French, has one h1 and one main, and every visible form control has a label."""
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("h1").count() == 1, f"{page.url} should have exactly one h1"
    assert page.locator("main").count() == 1
    assert page.evaluate(UNLABELLED_CONTROLS) == [], f"unlabelled form controls on {page.url}"
