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
        yield chromium
        chromium.close()


def shoot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def check_accessibility(page) -> None:
    """The page is in French, has one h1 and one main, and every visible form control has a label."""
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("h1").count() == 1, f"{page.url} should have exactly one h1"
    assert page.locator("main").count() == 1
    assert page.evaluate(UNLABELLED_CONTROLS) == [], f"unlabelled form controls on {page.url}"
