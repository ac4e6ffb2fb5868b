"""The clause journey in a real Chromium (tests/browser.py): a buyer attaches an insertion clause to a contract,
the holder declares hours, the follow-up shows due vs done; then the public summary and the EGalim page.
Screenshots go to test-artifacts/screenshots/clauses-*.png."""

import re

import pytest

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, base, user, next_url):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    page.goto(f"{base}/compte/connexion/?next={next_url}")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + next_url)
    return page


def test_insertion_clause_journey(browser, live_server, world):  # noqa: F811
    base = live_server.url
    contract_url = world.contract.get_absolute_url()

    # The buyer attaches an insertion clause, sized with the practice defaults.
    page = log_in(browser, base, world.agent, f"/clauses/marches/{world.contract.key}/ajouter/")
    assert page.locator("h1").inner_text() == "Ajouter une clause d'achat responsable"
    assert page.get_by_text("833 heures").is_visible()
    page.get_by_label("Clause sociale d'insertion").check()
    check_accessibility(page)
    shoot(page, "clauses-01-ajout")
    page.get_by_role("button", name="Ajouter la clause").click()
    page.wait_for_url(re.compile(r".*#titre-clauses$"))
    panel = page.locator(".clauses-panel")
    assert "833 h d'insertion" in panel.inner_text()
    assert "Réalisées : 0 h sur 833 h dues" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    shoot(page, "clauses-02-marche-acheteur")
    page.context.close()

    # The holder declares hours; an overlapping period is refused in French.
    page = log_in(browser, base, world.company_member, contract_url)
    page.get_by_role("link", name="Déclarer des heures d'insertion").click()
    page.wait_for_url(base + f"/clauses/marches/{world.contract.key}/insertion/")
    page.get_by_label("Début de la période").fill("2024-04-01")
    page.get_by_label("Fin de la période").fill("2024-06-30")
    page.get_by_label("Heures d'insertion réalisées").fill("250,5")
    page.get_by_label("Précisions").fill("Embauche directe de deux personnes")
    page.get_by_role("button", name="Déclarer ces heures").click()
    page.wait_for_url(base + f"/clauses/marches/{world.contract.key}/insertion/")
    assert page.get_by_text("250,5 heures d'insertion sont déclarées").is_visible()
    facts = page.locator(".clause-followup .facts").inner_text()
    assert "250,5 h" in facts and "30,1\u00a0%" in facts  # 250,5 ÷ 833 = 30,07 %
    check_accessibility(page)
    shoot(page, "clauses-03-suivi")

    page.get_by_label("Début de la période").fill("2024-06-01")
    page.get_by_label("Fin de la période").fill("2024-07-31")
    page.get_by_label("Heures d'insertion réalisées").fill("10")
    with page.expect_navigation():
        page.get_by_role("button", name="Déclarer ces heures").click()
    assert page.locator(".error-summary").get_by_role("link", name=re.compile("chevauche")).is_visible()
    check_accessibility(page)
    shoot(page, "clauses-04-chevauchement")
    page.context.close()

    # Anyone sees the public summary.
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    page.goto(base + "/clauses/")
    row = page.locator("table tbody tr").first
    assert "Ville de Lyon" in row.inner_text() and "30,1\u00a0%" in row.inner_text()
    check_accessibility(page)
    shoot(page, "clauses-05-synthese")
    page.context.close()

    # The buyer declares EGalim purchases and sees the shares against the targets.
    page = log_in(browser, base, world.agent, "/clauses/egalim/")
    for family, category, amount in (
        ("Viandes et poissons", "Signes officiels", "6000"),
        ("Autres denrées", "Agriculture biologique", "3000"),
        ("Autres denrées", "Autres produits", "5000"),
    ):
        page.get_by_label(family).check()
        page.get_by_label(re.compile(category)).check()
        page.get_by_label("Montant des achats HT (€)").fill(amount)
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer l'achat").click()
    shares = page.locator(".egalim-shares").inner_text()
    assert "64,3\u00a0%" in shares  # (6 000 + 3 000) ÷ 14 000
    assert "21,4\u00a0%" in shares  # 3 000 ÷ 14 000
    assert "100\u00a0%" in shares  # meat and fish: 6 000 ÷ 6 000
    check_accessibility(page)
    shoot(page, "clauses-06-egalim")

    # The forecast page shows its clauses, with the practice-based insertion hours.
    page.goto(base + world.forecast.get_absolute_url())
    page.get_by_role("link", name="Ajouter une clause").click()
    page.get_by_label("Critère carbone / environnemental").check()
    page.get_by_label("S'applique à").select_option(label="Lot 1 — Gros œuvre")
    page.get_by_label("Objectif (%)").fill("15")
    page.get_by_label("Objectif ou engagement").fill("Au plus 120 000 kgCO2e sur le chantier")
    page.get_by_role("button", name="Ajouter la clause").click()
    page.wait_for_url(re.compile(r".*#titre-clauses$"))
    panel = page.locator(".clauses-panel")
    assert "Lot 1 — Gros œuvre" in panel.inner_text() and "15 % — Au plus 120 000 kgCO2e" in panel.inner_text()
    check_accessibility(page)
    panel.scroll_into_view_if_needed()
    shoot(page, "clauses-07-prevision")
    page.context.close()
