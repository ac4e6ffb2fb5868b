"""In a real Chromium: platform staff import a factor file (FAKE values, named as such), then a buyer agent builds
an estimate of a lot with one line per section and sees, on each line, the factor used and its source.
Screenshots: test-artifacts/screenshots/carbon-*.png."""

import re

import pytest

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.carbon.conftest import FAKE_FACTORS_CSV
from tests.factories import DEFAULT_PASSWORD, BuyerFactory, MembershipFactory, UserFactory
from tremplin.carbon.models import EmissionFactor, Estimate
from tremplin.organisations.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, path, email):
    page.goto(base + path)
    page.wait_for_url(re.compile(r".*/compte/connexion/.*"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + path)


def test_staff_import_then_a_buyer_builds_an_estimate(browser, live_server, tmp_path):  # noqa: F811
    base = live_server.url
    UserFactory(email="equipe@exemple.fr", is_staff=True)
    buyer = BuyerFactory(name="Département de test")
    MembershipFactory(organisation=buyer, role=Role.BUYER_AGENT, user__email="agent@exemple.fr")
    csv_file = tmp_path / "facteurs-FICTIFS-jeu-essai.csv"
    csv_file.write_text(FAKE_FACTORS_CSV + "transport;FICTIF vélo cargo;kg;1;01/01/2025;;Jeu FICTIF;FICTIF-VELO;;;\n")

    # 1. Staff: upload, preview with the rejected line, confirm.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    log_in(staff, base, "/carbone/facteurs/import/", "equipe@exemple.fr")
    staff.get_by_label("Fichier CSV des facteurs").set_input_files(str(csv_file))
    staff.get_by_role("button", name="Vérifier le fichier").click()
    assert staff.get_by_text("7 lignes prêtes à enregistrer").is_visible()
    assert staff.get_by_text("Ligne 9").is_visible()
    check_accessibility(staff)
    shoot(staff, "carbon-01-import-apercu")
    staff.get_by_role("button", name=re.compile(r"^Enregistrer 7 facteurs")).click()
    staff.wait_for_url(base + "/carbone/facteurs/")
    assert staff.get_by_text("Import terminé : 7 facteur(s) créé(s)").is_visible()
    check_accessibility(staff)
    shoot(staff, "carbon-02-facteurs")
    assert EmissionFactor.objects.count() == 7
    staff.context.close()

    # 2. The buyer agent creates an estimate of a lot.
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    log_in(page, base, "/carbone/estimations/", "agent@exemple.fr")
    page.get_by_role("link", name="Nouvelle estimation").click()
    page.get_by_label("Intitulé").fill("Lot 1 — construction du préau")
    page.get_by_label("Date de référence").fill("2025-06-01")
    check_accessibility(page)
    page.get_by_role("button", name="Créer l'estimation").click()
    page.wait_for_url(re.compile(r".*/carbone/estimations/\d+/$"))
    estimate = Estimate.objects.get()

    # 3. One line per section; a wrong unit first, to see the French error.
    page.get_by_text("Ajouter une ligne « Production »").click()
    production = page.locator("#section-production")
    production.get_by_role("textbox", name="Description").fill("Charpente acier")
    production.get_by_label("Facteur d'émission").select_option("FICTIF-ACIER")
    production.get_by_label("Quantité", exact=False).first.fill("1,5")
    production.get_by_label("Unité de la quantité").select_option("unit")
    production.get_by_role("button", name="Ajouter la ligne").click()
    assert page.locator(".error-summary").get_by_text("indiquez une masse (kg ou t)").is_visible()
    check_accessibility(page)
    shoot(page, "carbon-03-erreur-unite")
    production = page.locator("#section-production")
    production.get_by_label("Unité de la quantité").select_option("t")
    production.get_by_role("button", name="Ajouter la ligne").click()
    page.wait_for_url(re.compile(r".*#section-production$"))

    page.get_by_text("Ajouter une ligne « Transport »").click()
    transport = page.locator("#section-transport")
    transport.get_by_role("textbox", name="Description").fill("Livraison depuis l'usine")
    transport.get_by_label("Facteur d'émission").select_option("FICTIF-CAMION")
    transport.get_by_label("Tonnes transportées").fill("1,5")
    transport.get_by_label("Distance (km)").fill("420")
    transport.get_by_role("button", name="Ajouter la ligne").click()
    page.wait_for_url(re.compile(r".*#section-transport$"))

    page.get_by_text("Ajouter une ligne « Utilisation »").click()
    use = page.locator("#section-use")
    use.get_by_role("textbox", name="Description").fill("Éclairage du préau")
    use.get_by_label("Facteur d'émission").select_option("FICTIF-ELEC")
    use.get_by_label("Consommation par an").fill("800")
    use.get_by_label("Durée d'utilisation (années)").fill("20")
    use.get_by_role("button", name="Ajouter la ligne").click()
    page.wait_for_url(re.compile(r".*#section-use$"))

    # 4. Each line shows its factor, value, validity and source; totals: 3 000 + 60,543 (1,5 t × 420 km × 0,0961) + 800.
    assert estimate.lines.count() == 3
    for reference in ("FICTIF-ACIER", "FICTIF-CAMION", "FICTIF-ELEC"):
        assert page.get_by_text(f"(réf. {reference})").count() == 1
    assert page.get_by_text("0,0961\u00a0kgCO2e/t·km · valide depuis le 01/01/2025").is_visible()
    assert page.locator(".carbon-totals").get_by_text("3\u202f860,543\u00a0kgCO2e").is_visible()
    check_accessibility(page)
    shoot(page, "carbon-04-estimation")
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    mobile.add_cookies(page.context.cookies())
    small = mobile.new_page()
    small.goto(page.url)
    shoot(small, "carbon-04b-estimation-mobile")
    assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(small, "carbon-04b-estimation-mobile")
    mobile.close()

    page.get_by_role("link", name="Synthèse imprimable").click()
    check_accessibility(page)
    shoot(page, "carbon-05-synthese")
    page.emulate_media(media="print")
    shoot(page, "carbon-06-synthese-impression")
    page.context.close()
