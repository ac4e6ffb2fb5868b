"""The observatory in a real Chromium (Debian's, driven by Playwright): a filtered overview with its key figures
and chart, the map of departments, a buyer page and a contract page. Screenshots go to
test-artifacts/screenshots/observatory-*.png."""

import pytest

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_observatory_in_a_browser(browser, live_server, dataset):  # noqa: F811
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
    shoot(page, "observatory-01-vue-ensemble-2024")

    # The map of departments, keeping the filter when switching section.
    page.get_by_role("navigation", name="Rubriques de l'observatoire").get_by_role("link", name="Territoires").click()
    page.wait_for_url("**/observatoire/territoires/?year=2024")
    svg_map = page.locator("svg.chart--map")
    assert svg_map.is_visible()
    assert svg_map.locator("path").count() == 96
    assert svg_map.locator("path[data-code='75']").get_attribute("class").startswith("map__dept map__dept--")
    assert "map__dept--0" not in svg_map.locator("path[data-code='75']").get_attribute("class")
    check_accessibility(page)
    shoot(page, "observatory-02-territoires")

    # A buyer page, then one of its contracts.
    page.goto(base + f"/observatoire/acheteurs/{dataset.lyon.siret}/")
    assert page.locator("h1").inner_text() == "Ville de Lyon"
    check_accessibility(page)
    shoot(page, "observatory-03-acheteur")
    page.get_by_role("link", name="Marché c2").click()
    assert page.locator("h1").inner_text() == "Marché c2"
    assert page.get_by_role("link", name="Alpha BTP").is_visible()
    check_accessibility(page)
    shoot(page, "observatory-04-marche")

    # Small screens: nothing overflows sideways.
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    mobile.goto(base + "/observatoire/?year=2024")
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(mobile, "observatory-05-mobile")
    mobile.context.close()
