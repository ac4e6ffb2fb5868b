"""Browser journey: a supplier logs in and sees a published forecast ranked with its reasons; the need form
returns suppliers. Screenshots in test-artifacts/screenshots/matching-*.png."""

import re

import pytest

from tests.browser import browser, check_accessibility, shoot  # noqa: F401
from tests.factories import DEFAULT_PASSWORD
from tests.matching.helpers import supplier
from tests.opportunities.factories import ForecastFactory
from tremplin.referentials.loaders import load_small_referentials

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supplier_sees_ranked_forecast_and_buyer_finds_suppliers(browser, live_server, settings):  # noqa: F811
    settings.MATCHING_INDEX_CHECK_SECONDS = 0
    load_small_referentials()
    _organisation, member, _profile = supplier("Bâtir Lyon", turnover=1_000_000, turnover_year=2025)
    member.email = "alice.martin@exemple.fr"
    member.save()
    ForecastFactory(title="Rénovation de l'école Jean Macé", cpv_id="45210000")
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()

    page.goto(base + "/correspondances/")
    page.wait_for_url(re.compile(r".*/compte/connexion/.*"))
    page.get_by_label("Adresse e-mail").fill("alice.martin@exemple.fr")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/correspondances/")
    assert page.get_by_role("link", name="Rénovation de l'école Jean Macé").is_visible()
    assert page.get_by_text("CPV 45210000 dans vos activités").is_visible()
    check_accessibility(page)
    shoot(page, "matching-01-opportunites")

    page.goto(base + "/correspondances/fournisseurs/")
    page.get_by_label("Description du besoin").fill("Rénovation de bâtiments scolaires")
    page.get_by_label("Codes CPV").fill("45210000")
    page.get_by_label("Département d'exécution").fill("69")
    page.get_by_role("button", name="Trouver des fournisseurs").click()
    page.get_by_role("link", name="Bâtir Lyon").wait_for()
    assert page.get_by_text("CPV 45210000 dans ses activités").is_visible()
    check_accessibility(page)
    shoot(page, "matching-02-fournisseurs")
