"""A supplier's journey in a real Chromium (helpers of tests/browser.py): from a prefilled link, they save a search
(after correcting a bad CPV code), see the preview of the current opportunities and the feed links, then their
list of searches. Screenshots go to test-artifacts/screenshots/alerts-*.png."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.alerts.conftest import make_search
from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.factories import DEFAULT_PASSWORD
from tests.notices.factories import NoticeFactory
from tests.opportunities.factories import ForecastFactory
from tremplin.alerts.models import SavedSearch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def opportunities(settings, people):
    from tremplin.matching import services

    settings.MATCHING_INDEX_CHECK_SECONDS = 0
    services.opportunity_index.reset()
    ForecastFactory(
        title="Rénovation énergétique de l'école Jean-Macé", buyer__name="Ville de Lyon", keywords=["école"]
    )
    ForecastFactory(title="Extension de l'école maternelle des Pentes", buyer__name="Métropole de Lyon")
    NoticeFactory(title="Travaux de menuiserie de l'école Pasteur", buyer_name="Commune de Villeurbanne")
    make_search(people.owner, name="Voirie du Rhône", text="voirie", frequency="weekly", is_active=False)
    yield
    services.opportunity_index.reset()


def test_a_supplier_saves_a_search_and_sees_its_preview_and_feeds(
    browser,  # noqa: F811
    live_server,
    people,
    opportunities,
    mailoutbox,
):
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    page.goto(base + "/alertes/nouvelle/?text=école&cpv=45214200&cpv=4&departement=69&type=prevision&type=avis")
    page.get_by_label("Adresse e-mail").fill(people.owner.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/alertes/nouvelle/**")

    # The form is prefilled from the link; the bad CPV code "4" is reported in French.
    assert page.get_by_label("Mots-clés").input_value() == "école"
    assert page.get_by_label("Codes CPV").input_value() == "45214200, 4"
    assert page.get_by_label("Départements").input_value() == "69"
    assert page.get_by_label("Prévisions d'achat").is_checked()
    assert not page.get_by_label("Lots de prévisions").is_checked()
    check_accessibility(page)
    shoot(page, "alerts-1-formulaire-prerempli")
    page.get_by_role("button", name="Enregistrer la recherche").click()
    summary = page.get_by_role("alert")
    assert "Code CPV invalide « 4 »" in summary.inner_text()
    check_accessibility(page)
    shoot(page, "alerts-2-erreur")

    page.get_by_label("Nom de la recherche").fill("Écoles du Rhône")
    page.get_by_label("Codes CPV").fill("45214200")
    page.get_by_label("Pour l'entreprise").select_option(label="Menuiserie Solidaire")
    page.get_by_label("Chaque semaine").check()
    page.get_by_role("button", name="Enregistrer la recherche").click()
    search = SavedSearch.objects.get(name="Écoles du Rhône")
    page.wait_for_url(base + f"/alertes/{search.pk}/")

    # The search page: the preview of the current opportunities and the feed links.
    assert page.get_by_text("La recherche « Écoles du Rhône » est enregistrée.").is_visible()
    results = page.locator(".result-list")
    assert results.get_by_role("link", name="Rénovation énergétique de l'école Jean-Macé").is_visible()
    assert results.get_by_role("link", name="Travaux de menuiserie de l'école Pasteur").is_visible()
    assert (
        page.get_by_role("link", name="Flux Atom des opportunités")
        .get_attribute("href")
        .endswith(f"/alertes/flux/{search.feed_token}.atom")
    )
    assert page.get_by_role("link", name="Agenda des dates limites (iCalendar)").is_visible()
    check_accessibility(page)
    shoot(page, "alerts-3-recherche")

    old_token = search.feed_token
    page.get_by_role("button", name="Régénérer le lien du flux").click()
    assert page.get_by_text("Nouveaux liens créés").is_visible()
    search.refresh_from_db()
    assert search.feed_token != old_token

    page.get_by_role("link", name="Mes recherches et alertes").click()
    page.wait_for_url(base + "/alertes/")
    assert page.get_by_role("link", name="Écoles du Rhône").is_visible()
    assert page.get_by_text("E-mails arrêtés").is_visible()  # the inactive "Voirie du Rhône"
    check_accessibility(page)
    shoot(page, "alerts-4-liste")

    # The first digest, as a mail client would show its HTML part.
    call_command("send_alerts", stdout=StringIO())
    [email] = mailoutbox
    assert email.subject == "[Tremplin] 3 nouvelles opportunités pour « Écoles du Rhône »"
    html, _ = email.alternatives[0]
    mail = browser.new_context(viewport={"width": 700, "height": 900}, locale="fr-FR").new_page()
    mail.set_content(html)
    assert mail.get_by_role("link", name="Rénovation énergétique de l'école Jean-Macé").is_visible()
    shoot(mail, "alerts-6-email")
    mail.context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    phone.add_cookies(page.context.cookies())
    mobile = phone.new_page()
    mobile.goto(base + f"/alertes/{search.pk}/")
    check_accessibility(mobile)
    shoot(mobile, "alerts-5-recherche-mobile")
    phone.close()
