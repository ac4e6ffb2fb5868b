"""The payment pages in a real Chromium (launch, skip/fail rule and checks shared in tests/browser.py):
the public calculator (result, errors, mobile), what buyers owe a company, the CSV import preview and the
claim letter as printed. Screenshots go to test-artifacts/screenshots/payments-*.png."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_calculator_without_an_account(browser, live_server):  # noqa: F811
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()

    page.goto(base + "/")
    page.get_by_role("link", name="Délais de paiement").click()
    page.wait_for_url(base + "/paiements/")
    assert page.locator("h1").inner_text() == "Calculer un retard de paiement"
    check_accessibility(page)
    shoot(page, "payments-01-calculateur")

    # The worked example of domain-rules §1.4.
    page.get_by_label("Type d'acheteur").select_option("commune")
    page.get_by_label("Montant TTC de la demande de paiement (€)").fill("12 000,00")
    page.get_by_label("Date de réception de la demande de paiement par l'acheteur").fill("2025-09-02")
    page.get_by_label("Date de paiement").fill("2025-10-22")
    page.get_by_role("button", name="Calculer").click()
    page.wait_for_url(re.compile(r".*/paiements/\?.*#resultat$"))
    result = page.locator("#resultat")
    assert "À réclamer : 106,74\u202f€" in result.locator(".pay-result__headline").inner_text()
    computation = "Intérêts moratoires : 12\u202f000,00\u202f€ × 10,15\u202f% × 20 / 365 = 66,74\u202f€"
    assert result.get_by_text(computation).is_visible()
    assert result.locator(".pay-steps li").count() == 8
    check_accessibility(page)
    shoot(page, "payments-02-resultat")

    # A hospital with an interruption and a too-long contract delay.
    page.get_by_label("Type d'acheteur").select_option("etablissement_public_sante")
    page.get_by_label("Montant TTC de la demande de paiement (€)").fill("10000")
    page.get_by_label("Date de réception de la demande de paiement par l'acheteur").fill("2025-03-03")
    page.get_by_label("Date de paiement").fill("2025-05-09")
    page.get_by_label("Délai de paiement prévu par le marché (jours)").fill("70")
    page.get_by_label("Date de réception de la notification d'interruption").fill("2025-03-13")
    page.get_by_label("Date de réception des pièces par l'acheteur").fill("2025-03-20")
    with page.expect_navigation():
        page.get_by_role("button", name="Calculer").click()
    assert page.get_by_text("ramené à 50 jours").is_visible()
    assert result.get_by_text("un nouveau délai de 40 jours s'ouvre", exact=False).is_visible()
    shoot(page, "payments-03-interruption")

    # Paid before received: an error summary linking to the field.
    page.get_by_label("Date de paiement").fill("2025-03-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Calculer").click()
    summary = page.locator(".error-summary")
    link = summary.get_by_role("link", name=re.compile("Date de paiement : La date de paiement ne peut pas"))
    assert link.is_visible()
    assert page.title().startswith("Erreur : ")
    check_accessibility(page)
    shoot(page, "payments-04-erreurs")

    mobile = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    mobile.goto(base + "/paiements/?buyer_type=commune&amount_ttc=12000&received=2025-09-02&paid=2025-10-22")
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(mobile, "payments-05-mobile")
    mobile.context.close()
    page.context.close()


def test_a_company_sees_what_it_is_owed_imports_and_prints_a_letter(browser, live_server, world):  # noqa: F811
    base = live_server.url
    world.supplier_member.email = "claire.dubois@exemple.fr"
    world.supplier_member.full_name = "Claire Dubois"
    world.supplier_member.save()
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    page.goto(base + f"/paiements/entreprises/{world.supplier.siret}/")
    page.wait_for_url(re.compile(r".*/compte/connexion/.*"))
    page.get_by_label("Adresse e-mail").fill("claire.dubois@exemple.fr")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + f"/paiements/entreprises/{world.supplier.siret}/")
    assert page.locator("h1").inner_text() == "Ce qu'on doit à Blanchisserie du Nord"
    check_accessibility(page)
    shoot(page, "payments-06-ce-qu-on-me-doit")

    # Import a ledger: a preview with one error, then confirm.
    page.goto(base + "/paiements/import/")
    csv = (
        "cle_marche;numero_facture;montant_ttc;date_reception;date_paiement\n"
        f"{world.contract.key};F-2025-010;36 500,00;01/08/2025;\n"
        f"{world.contract.key};F-2025-011;cent;01/08/2025;\n"
        f"{world.contract.key};F-2025-012;4 200,00;31/02/2025;\n"
    )
    page.get_by_label("Fichier CSV").set_input_files(
        files=[{"name": "registre.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", name="Aperçu avant enregistrement")).to_be_visible()
    assert page.get_by_text("1 ligne prête à enregistrer").is_visible()
    assert page.get_by_text("montant_ttc : « cent » n'est pas un montant", exact=False).is_visible()
    check_accessibility(page)
    shoot(page, "payments-07-import-apercu")
    page.get_by_role("button", name=re.compile("Enregistrer 1 facture")).click()
    page.wait_for_url(base + "/paiements/mes-factures/")
    assert page.get_by_text("Import terminé : 1 facture créée").is_visible()

    # An invoice entered by hand on the contract's page.
    page.goto(base + f"/paiements/marches/{world.contract.key}/")
    page.get_by_role("link", name="Ajouter une facture").click()
    check_accessibility(page)
    page.get_by_label("Numéro de facture").fill("F-2025-020")
    page.get_by_label("Montant TTC (€)").fill("3 650,00")
    page.get_by_label("Reçue par l'acheteur le").fill("2025-06-02")
    page.get_by_label("Payée le").fill("2025-07-25")
    shoot(page, "payments-10-saisie-facture")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    # Hospital: 2 Jun + 50 = 22 Jul; paid 25 Jul → 3 days from 23 Jul (H2 2025, 10.15 %): 3.045 → 3.05 €.
    assert page.get_by_text("La facture F-2025-020 est enregistrée.").is_visible()
    assert "À réclamer : 43,05\u202f€" in page.locator(".pay-result__headline").inner_text()
    check_accessibility(page)
    shoot(page, "payments-11-facture")

    # The claim letter, as printed.
    page.goto(base + f"/paiements/entreprises/{world.supplier.siret}/")
    page.get_by_role("link", name="Lettre de réclamation à Centre hospitalier de Roubaix").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Objet : demande de paiement")
    check_accessibility(page)
    shoot(page, "payments-08-lettre")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".pay-letter-tools").is_visible()
    shoot(page, "payments-09-lettre-impression")
    page.context.close()
