"""A mediation case from filing to agreement in a real Chromium (launch, skip/fail rule and checks
shared in tests/browser.py), as the three parties: the company files it, the mediator accepts it and opens the
mediation, the buyer writes with a document, the mediator records the agreement. Another mediator of the same
region gets a 404. Screenshots go to test-artifacts/screenshots/mediation-*.png."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.factories import DEFAULT_PASSWORD
from tests.mediation.conftest import PDF_BYTES, make_world
from tremplin.mediation.models import Case
from tremplin.referentials.loaders import load_small_referentials

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_world(load_small_referentials())
    for user, email in [
        (world.company_member, "claire.durand@exemple.fr"),
        (world.buyer_agent, "bruno.achat@exemple.fr"),
        (world.mediator, "marie.mediatrice@exemple.fr"),
        (world.same_region_mediator, "paul.mediateur@exemple.fr"),
    ]:
        user.email = email
        user.save()
    return world


def new_page(browser, mobile=False):  # noqa: F811
    viewport = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale="fr-FR")

    return context.new_page()


def log_in(browser, base, email, next_path):  # noqa: F811
    """Through the login page, as a person would."""
    page = new_page(browser)
    page.goto(base + next_path)
    page.wait_for_url(re.compile(r".*/compte/connexion/.*"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + next_path)
    return page


def signed_in(browser, base, user, path, mobile=False):  # noqa: F811
    """A page already signed in as `user` (a session cookie made by Django's test client): quicker than the form."""
    client = Client()
    client.force_login(user)
    page = new_page(browser, mobile)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page.goto(base + path)
    return page


def test_a_case_from_filing_to_agreement(browser, live_server, people, mailoutbox):  # noqa: F811
    base = live_server.url

    # 1. The company files the case, with an invoice attached; an empty form first shows the errors.
    company = log_in(browser, base, "claire.durand@exemple.fr", "/mediation/")
    assert company.locator("h1").inner_text() == "Mes demandes de médiation"
    check_accessibility(company)
    shoot(company, "mediation-01-mes-demandes-vide")
    company.get_by_role("link", name="Déposer une demande").click()
    company.get_by_role("button", name="Déposer la demande").click()
    summary = company.locator(".error-summary")
    expect(summary).to_be_visible()
    assert summary.get_by_role("link", name=re.compile("Objet du différend : Ce champ est obligatoire")).is_visible()
    check_accessibility(company)
    shoot(company, "mediation-02-depot-erreurs")
    company.get_by_label("SIRET de l'autre partie").fill(people.buyer.siret)
    company.get_by_label("Référence du marché sur Tremplin").fill(people.contract.key)
    company.get_by_label("Retard de paiement").check()
    company.get_by_label("Montant en jeu (€)").fill("48 600,00")
    company.get_by_label("Exposé du différend").fill(
        "Trois factures de 2025 (48 600 € TTC) restent impayées plus de 90 jours après réception, sans "
        "suspension du délai. Nous demandons leur paiement et les intérêts moratoires."
    )
    company.get_by_label("Pièces jointes").set_input_files(
        files=[{"name": "Facture 2025-014.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    check_accessibility(company)
    shoot(company, "mediation-03-depot-formulaire")
    company.get_by_role("button", name="Déposer la demande").click()
    company.wait_for_url(re.compile(r".*/mediation/demandes/\d+/$"))
    case = Case.objects.get()
    assert company.get_by_text(f"Votre demande {case.reference} est déposée.").is_visible()
    assert company.get_by_role("link", name="Facture 2025-014.pdf").is_visible()
    assert company.get_by_role("button", name="Retirer la demande").is_visible()
    assert company.get_by_role("button", name="Accepter la demande").count() == 0
    check_accessibility(company)
    shoot(company, "mediation-04-demande-deposee")
    case_path = f"/mediation/demandes/{case.pk}/"
    assert sorted(m.to[0] for m in mailoutbox) == ["bruno.achat@exemple.fr", "marie.mediatrice@exemple.fr"]

    # 2. The mediator finds it on the dashboard, accepts it and opens the mediation.
    mediator = signed_in(browser, base, people.mediator, "/mediation/mediateur/")
    assert mediator.get_by_text("à examiner").is_visible()
    check_accessibility(mediator)
    shoot(mediator, "mediation-05-tableau-de-bord")
    mediator.get_by_role("link", name=case.reference).click()
    mediator.wait_for_url(base + case_path)
    check_accessibility(mediator)
    shoot(mediator, "mediation-06-mediateur-demande")
    mediator.get_by_role("button", name="Déclarer la demande irrecevable").click()
    expect(mediator.get_by_text("Ce champ est obligatoire.")).to_be_visible()  # the reason is mandatory
    mediator.get_by_role("button", name="Accepter la demande").click()
    expect(mediator.get_by_text("Demande acceptée. Les autres participants au dossier sont prévenus")).to_be_visible()
    mediator.get_by_role("button", name="Ouvrir la médiation").click()
    expect(mediator.locator(".med-summary").get_by_text("En médiation")).to_be_visible()
    mediator.get_by_label("Votre message").fill("Bonjour, je vous propose une réunion à trois mardi à 10 h.")
    mediator.get_by_role("button", name="Envoyer").click()
    expect(mediator.get_by_text("Votre message est envoyé.")).to_be_visible()

    # 3. Another mediator of the same region, not assigned, does not see the case.
    other = signed_in(browser, base, people.same_region_mediator, "/mediation/mediateur/")
    response = other.goto(base + case_path)
    assert response.status == 404 and other.locator("h1").inner_text() == "Page introuvable"
    other.context.close()

    # 4. The buyer answers, with a document, on a phone.
    buyer = signed_in(browser, base, people.buyer_agent, "/mediation/", mobile=True)
    buyer.get_by_role("link", name=case.reference).click()
    buyer.get_by_label("Votre message").fill(
        "Deux factures étaient bloquées au service fait ; elles sont mises en paiement cette semaine."
    )
    buyer.get_by_label("Joindre des documents").set_input_files(
        files=[{"name": "Bordereau de mandatement.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    buyer.get_by_role("button", name="Envoyer").click()
    expect(buyer.get_by_text("Votre message est envoyé.")).to_be_visible()
    assert buyer.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility(buyer)
    shoot(buyer, "mediation-07-acheteur-mobile")
    buyer.context.close()

    # 5. The mediator records the agreement.
    mediator.reload()
    assert mediator.get_by_text("Bordereau de mandatement.pdf").first.is_visible()
    mediator.get_by_label("Termes de l'accord (facultatif)").fill(
        "Paiement des trois factures et des intérêts moratoires avant le 30 du mois."
    )
    mediator.get_by_role("button", name="Constater l'accord").click()
    expect(mediator.locator(".med-summary").get_by_text("Accord trouvé")).to_be_visible()
    check_accessibility(mediator)
    shoot(mediator, "mediation-08-accord")
    mediator.context.close()
    case.refresh_from_db()
    assert case.status == "agreement"

    # 6. The company sees the outcome and the log; the download goes through the access check.
    company.reload()
    log = company.locator(".med-log")
    for action in ("Demande déposée", "Demande acceptée", "Médiation ouverte", "Accord constaté"):
        assert log.get_by_text(action).is_visible(), action
    assert company.get_by_text("La demande est close : on ne peut plus y écrire.").is_visible()
    with company.expect_download() as download:
        company.get_by_role("link", name="Bordereau de mandatement.pdf").first.click()
    assert download.value.suggested_filename == "Bordereau de mandatement.pdf"
    check_accessibility(company)
    shoot(company, "mediation-09-entreprise-issue")

    # 7. The list of the company's cases, then the public statistics (one case: every count is hidden).
    company.get_by_role("link", name="Mes demandes de médiation").click()
    row = company.get_by_role("row").filter(has_text=case.reference)
    assert row.get_by_text("Accord trouvé").is_visible()
    check_accessibility(company)
    shoot(company, "mediation-10-mes-demandes")
    company.get_by_role("link", name="statistiques publiques de la médiation").click()
    assert company.get_by_text("moins de 3").first.is_visible()
    check_accessibility(company)
    shoot(company, "mediation-11-statistiques")
    company.context.close()
