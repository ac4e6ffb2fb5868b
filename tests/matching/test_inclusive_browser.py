"""A company member's journey in a real Chromium: the forecast page and its inclusive-potential card, the full
analysis, the partner finder, then a buyer's free need. Screenshots: test-artifacts/screenshots/inclusive-*.png."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.matching.inclusive_world import inclusive_world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_context(browser, base, user):  # noqa: F811
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return context


def test_from_the_forecast_to_partners(browser, live_server, inclusive_world):  # noqa: F811
    w = inclusive_world
    base = live_server.url
    page = logged_in_context(browser, base, w.lead_member).new_page()

    # 1. The forecast page: the card loads its figures after the page.
    page.goto(base + w.forecast.get_absolute_url())
    card = page.locator("#potentiel-inclusif")
    card.get_by_text("recommandation :").wait_for()
    assert "3 SIAE, 2 EA/ESAT éligibles" in card.inner_text()
    card.scroll_into_view_if_needed()
    check_accessibility(page)
    shoot(page, "inclusive-01-prevision")

    # 2. The full analysis: lot by lot, the thresholds, the eligible structures.
    card.get_by_role("link", name="Analyser le potentiel inclusif").click()
    page.wait_for_url(f"**/correspondances/inclusion/prevision/{w.forecast.pk}/")
    assert page.locator("h1").inner_text() == "Potentiel inclusif"
    assert page.get_by_role("heading", name="Les seuils appliqués").is_visible()
    assert page.locator(".inclusive-lots tbody tr").count() == 3
    check_accessibility(page)
    shoot(page, "inclusive-02-potentiel")

    # 3. The partner finder, from the member's company.
    page.get_by_role("link", name="Trouver des partenaires").click()
    page.wait_for_url(f"**/prevision/{w.forecast.pk}/partenaires/")
    assert page.get_by_text("Maçonnerie Boulonnaise + 1 partenaire").is_visible()
    check_accessibility(page)
    shoot(page, "inclusive-03-partenaires")
    page.get_by_label("Du point de vue de").select_option("")
    page.get_by_role("button", name="Actualiser").click()
    page.get_by_text("Groupement de 2 membres").first.wait_for()
    shoot(page, "inclusive-04-partenaires-groupement-complet")

    # 4. A free need: an error first, then the result.
    page.goto(base + "/correspondances/inclusion/besoin/")
    page.get_by_label("Code CPV").fill("45210000")
    page.get_by_role("button", name="Analyser le besoin").click()
    assert page.locator(".error-summary").get_by_text("Indiquez le département").is_visible()
    check_accessibility(page)
    shoot(page, "inclusive-05-besoin-erreur")
    page.get_by_label("Département d'exécution").select_option("92")
    page.get_by_label("Montant estimé (€ HT, par an)").fill("90 000")
    page.get_by_role("button", name="Analyser le besoin").click()
    page.get_by_role("heading", name="Résultat").wait_for()
    assert page.get_by_text("Réserver le marché aux SIAE (L2113-13)").is_visible()
    check_accessibility(page)
    shoot(page, "inclusive-06-besoin-resultat")
    page.context.close()
