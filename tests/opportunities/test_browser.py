"""The forecast journey in a real Chromium (launch, skip/fail rule and checks shared in tests/browser.py):
a buyer agent writes a forecast with a reserved lot (errors first), publishes it, imports a purchase programme,
announces a fair; a company finds the forecast with the filters and registers to the fair; the list on a phone.
Screenshots go to test-artifacts/screenshots/opportunities-*.png."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import SCREENSHOTS, browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tremplin.opportunities.models import Fair, Forecast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAMME = (
    "reference;lot;intitule;categorie;cpv;montant_estime_ht;trimestre_publication;departements;reservation\r\n"
    "2027-TR-01;;Transport vers les équipements sportifs;services;60112000;140 000;2027-T1;69;\r\n"
    "2027-TR-02;;Navettes du centre de loisirs;services;60112000;;2027-T5;69;\r\n"
)


def login(page, base: str, user, next_path: str) -> None:
    """Log in by handing the browser a session cookie (the login form has its own journey test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page.goto(base + next_path)


def new_page(browser, **kwargs):  # noqa: F811
    return browser.new_context(locale="fr-FR", **({"viewport": {"width": 1280, "height": 900}} | kwargs)).new_page()


def test_a_forecast_from_draft_to_fair_registration(browser, live_server, world):  # noqa: F811
    base = live_server.url
    agent = new_page(browser)
    login(agent, base, world.agent, "/previsions/mes-previsions/")
    assert agent.locator("h1").inner_text() == "Mes prévisions d'achat"
    check_accessibility(agent)
    shoot(agent, "opportunities-01-mes-previsions")

    # A forecast with a reserved lot; the first attempt misses the title.
    agent.get_by_role("link", name="Nouvelle prévision").click()
    agent.get_by_label("Description du besoin").fill("Remplacement des menuiseries et isolation de 8 classes.")
    agent.get_by_label("Catégorie").select_option("travaux")
    agent.get_by_label("Code CPV principal").fill("45214200")
    agent.get_by_label("Date de publication prévue").fill("2026-12-01")
    agent.get_by_label("Montant estimé (€ HT)", exact=True).fill("480 000")
    agent.get_by_label("Départements d'exécution").fill("69")
    agent.locator("#id_lots-0-title").fill("Menuiseries extérieures")
    agent.locator("#id_lots-0-estimated_amount").fill("300 000")
    agent.locator("#id_lots-1-title").fill("Peintures intérieures")
    agent.locator("#id_lots-1-reservation").select_option("L2113-13")
    agent.get_by_role("button", name="Créer le brouillon").click()
    summary = agent.locator(".error-summary")
    assert summary.get_by_role("link", name="Intitulé : Ce champ est obligatoire.").is_visible()
    assert agent.title().startswith("Erreur : ")
    check_accessibility(agent)
    shoot(agent, "opportunities-02-erreurs")
    agent.locator(".opp-lots").screenshot(path=str(SCREENSHOTS / "opportunities-02b-lots.png"))

    summary.get_by_role("link", name="Intitulé : Ce champ est obligatoire.").click()
    agent.keyboard.type("Rénovation de l'école des Pentes")
    agent.get_by_role("button", name="Créer le brouillon").click()
    agent.wait_for_url(re.compile(r".*/previsions/\d+/$"))
    assert agent.get_by_text("Brouillon : seuls les membres de Ville de Lyon").is_visible()
    check_accessibility(agent)
    shoot(agent, "opportunities-03-brouillon")

    agent.get_by_role("button", name="Publier").click()
    assert agent.get_by_text("La prévision est maintenant au statut « Publiée ».").is_visible()
    forecast = Forecast.objects.get(title="Rénovation de l'école des Pentes")
    assert (forecast.status, forecast.reserved_articles) == ("published", "L2113-13")
    shoot(agent, "opportunities-04-publiee")

    # The annual programme: a preview with line errors, then the confirmation.
    agent.goto(base + "/previsions/programme/")
    agent.get_by_label("Fichier CSV").set_input_files(
        files=[{"name": "programme.csv", "mimeType": "text/csv", "buffer": PROGRAMME.encode("utf-8")}]
    )
    agent.get_by_role("button", name="Vérifier le fichier").click()
    assert agent.get_by_text("1 prévision prête à enregistrer").is_visible()
    assert agent.get_by_text("Trimestre illisible « 2027-T5 »", exact=False).is_visible()
    check_accessibility(agent)
    shoot(agent, "opportunities-05-programme-apercu")
    agent.get_by_role("button", name=re.compile("Enregistrer 1 prévision")).click()
    agent.wait_for_url(base + "/previsions/mes-previsions/")
    assert agent.get_by_text("Import terminé : 1 prévision créée", exact=False).is_visible()
    shoot(agent, "opportunities-06-programme-importe")

    # A fair presenting the published forecast, one seat only.
    agent.get_by_role("link", name="Annoncer un salon").click()
    agent.get_by_label("Intitulé").fill("Rencontre acheteurs : travaux dans les écoles")
    agent.get_by_label("Début").fill("2030-03-12T09:00")
    agent.get_by_label("Fin").fill("2030-03-12T12:00")
    agent.get_by_label("Lieu").fill("Hôtel de Ville, salle Henri-Focillon")
    agent.get_by_label("Code commune INSEE").fill("69123")
    agent.get_by_label("Nombre de places").fill("1")
    agent.get_by_label("Rénovation de l'école des Pentes").check()
    check_accessibility(agent)
    shoot(agent, "opportunities-07-salon-formulaire")
    agent.get_by_role("button", name="Annoncer le salon").click()
    agent.wait_for_url(re.compile(r".*/previsions/salons/\d+/$"))
    fair = Fair.objects.get()
    assert list(fair.forecasts.all()) == [forecast]

    # A company finds the reserved lot and registers.
    company = new_page(browser)
    login(company, base, world.company_member, "/previsions/")
    company.get_by_label("Marchés réservés").select_option("oui")
    company.get_by_role("button", name="Filtrer").click()
    assert company.get_by_role("heading", name="1 prévision").is_visible()
    check_accessibility(company)
    shoot(company, "opportunities-08-liste-filtree")
    company.get_by_role("link", name="Rénovation de l'école des Pentes").click()
    assert company.get_by_role("cell", name="Réservé aux structures d'insertion, SIAE (L2113-13)").is_visible()
    assert company.get_by_role("link", name="Rencontre acheteurs : travaux dans les écoles").is_visible()
    check_accessibility(company)
    shoot(company, "opportunities-09-detail")
    company.goto(base + "/previsions/salons/")
    check_accessibility(company)
    shoot(company, "opportunities-09b-salons")
    company.get_by_role("link", name="Rencontre acheteurs : travaux dans les écoles").click()
    company.get_by_role("button", name="Inscrire mon entreprise").click()
    assert company.get_by_text("Menuiserie Solidaire est inscrite au salon.", exact=False).is_visible()
    assert company.get_by_text("Complet : liste d'attente").is_visible()
    check_accessibility(company)
    shoot(company, "opportunities-10-inscription")
    assert fair.registrations.get().status == "confirmed"

    agent.reload()
    assert agent.get_by_role("heading", name="Entreprises inscrites (1)").is_visible()
    shoot(agent, "opportunities-11-salon-organisateur")

    mobile = new_page(browser, viewport={"width": 390, "height": 844})
    mobile.goto(base + "/previsions/")
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(mobile, "opportunities-12-liste-mobile")
    mobile.goto(base + f"/previsions/{forecast.pk}/")
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(mobile, "opportunities-13-detail-mobile")
    for page in (agent, company, mobile):
        page.context.close()
