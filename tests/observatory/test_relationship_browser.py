"""Payment delays and clause uptake in a real Chromium: the period form, the tables with their CSV links, the
sub-navigation between them. Screenshots: test-artifacts/screenshots/observatory-relationship-*.png."""

import pytest
from django.utils import timezone

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.payments.conftest import _shipped_ecb_rates  # noqa: F401 (the ECB rates, flushed by transactions)
from tremplin.payments.demo import create_demo_invoices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_payment_delays_and_clauses_in_a_browser(browser, live_server, dataset):  # noqa: F811
    lyon = dataset.lyon
    lyon.buyer_type = "commune"
    lyon.save()
    create_demo_invoices(lyon, dataset.alpha, None)
    dataset.c3.format = "2024"
    dataset.c3.social_considerations = ["Clause sociale", "Marché réservé"]
    dataset.c3.environmental_considerations = ["Critère environnemental"]
    dataset.c3.save()
    year = str(timezone.localdate().year)

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    page.goto(live_server.url + "/observatoire/")
    tabs = page.get_by_role("navigation", name="Rubriques de l'observatoire")
    tabs.get_by_role("link", name="Délais de paiement").click()
    page.wait_for_url("**/observatoire/delais-de-paiement/")
    page.get_by_label("Année de paiement").select_option(year)
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(f"**/observatoire/delais-de-paiement/?year={year}*")
    assert page.locator("h1").inner_text() == "Délais de paiement des acheteurs publics"
    buyers = page.locator("#tableau-buyer")
    assert buyers.get_by_role("rowheader", name="Ville de Lyon").count() == 1
    assert page.locator("svg.chart--bars[role=img]").is_visible()
    link = page.locator("#titre-buyer").locator("xpath=..").get_by_role("link", name="Télécharger ce tableau (CSV)")
    assert link.get_attribute("href").endswith(f"?year={year}&csv=buyer")
    check_accessibility(page)
    shoot(page, "observatory-relationship-01-delais-de-paiement")

    tabs = page.get_by_role("navigation", name="Rubriques de l'observatoire")
    tabs.get_by_role("link", name="Clauses").click()
    page.wait_for_url("**/observatoire/clauses/")
    assert page.locator("h1").inner_text() == "Clauses sociales et environnementales"
    page.get_by_label("Région", exact=True).select_option("11")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/observatoire/clauses/?*region=11*")
    social = page.locator(".kpi", has_text="Avec une considération sociale").locator("dd").first
    assert social.inner_text().replace("\u202f", " ") == "50,0 %"
    assert page.locator("#tableau-clauses-year").is_visible()
    check_accessibility(page)
    shoot(page, "observatory-relationship-02-clauses")

    mobile = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    mobile.goto(live_server.url + f"/observatoire/delais-de-paiement/?year={year}")
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(mobile, "observatory-relationship-03-mobile")
