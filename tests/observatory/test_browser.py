"""The observatory in a real Chromium (Debian's, driven by Playwright): a filtered overview with its key figures
and chart, the map of departments, a buyer page and a contract page. Screenshots go to
test-artifacts/screenshots/observatory-*.png."""

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
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def shoot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"observatory-{name}.png"), full_page=True)


def check_accessibility(page) -> None:
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("h1").count() == 1, f"{page.url} should have exactly one h1"
    assert page.evaluate(UNLABELLED_CONTROLS) == [], f"unlabelled form controls on {page.url}"


def test_observatory_in_a_browser(browser, live_server, dataset):
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()

    # The overview, filtered on 2024 through the GET form: the filter lands in the URL.
    page.goto(base + "/observatoire/")
    page.get_by_label("Année de notification").select_option("2024")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/observatoire/?*year=2024*")
    kpis = page.locator(".kpis")
    assert kpis.is_visible()
    assert kpis.locator(".kpi", has_text="Marchés signalés").is_visible()
    assert "4" == kpis.locator(".kpi").first.locator("dd").first.inner_text().strip()
    assert "900 k€" in kpis.locator(".kpi", has_text="Montant notifié").inner_text().replace("\u202f", " ")
    chart = page.locator("svg.chart--columns[role=img]")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    assert (
        page.get_by_role("link", name="Les marchés correspondants (CSV)")
        .get_attribute("href")
        .endswith("contracts.csv?year=2024")
    )
    check_accessibility(page)
    shoot(page, "01-vue-ensemble-2024")

    # The map of departments, keeping the filter when switching section.
    page.get_by_role("navigation", name="Rubriques de l'observatoire").get_by_role("link", name="Territoires").click()
    page.wait_for_url("**/observatoire/territoires/?year=2024")
    svg_map = page.locator("svg.chart--map")
    assert svg_map.is_visible()
    assert svg_map.locator("path").count() == 96
    assert svg_map.locator("path[data-code='75']").get_attribute("class").startswith("map__dept map__dept--")
    assert "map__dept--0" not in svg_map.locator("path[data-code='75']").get_attribute("class")
    check_accessibility(page)
    shoot(page, "02-territoires")

    # A buyer page, then one of its contracts.
    page.goto(base + f"/observatoire/acheteurs/{dataset.lyon.siret}/")
    assert page.locator("h1").inner_text() == "Ville de Lyon"
    check_accessibility(page)
    shoot(page, "03-acheteur")
    page.get_by_role("link", name="Marché c2").click()
    assert page.locator("h1").inner_text() == "Marché c2"
    assert page.get_by_role("link", name="Alpha BTP").is_visible()
    check_accessibility(page)
    shoot(page, "04-marche")

    # Small screens: nothing overflows sideways.
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    mobile.goto(base + "/observatoire/?year=2024")
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(mobile, "05-mobile")
    mobile.context.close()
