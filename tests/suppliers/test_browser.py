"""A company member completes the supplier profile in a real Chromium (Debian's, through Playwright), then a
buyer finds the company in the directory. Screenshots go to test-artifacts/screenshots/suppliers-*.png."""

import datetime
import re
from decimal import Decimal

import pytest

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.factories import DEFAULT_PASSWORD
from tests.suppliers.helpers import win

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_completes_the_profile_and_a_buyer_finds_it(browser, live_server, world):  # noqa: F811
    base = live_server.url
    siret = world.company.siret
    world.member.email = "alice.martin@exemple.fr"
    world.member.save()
    win(
        world.company,
        buyer=world.buyer,
        object="Agencement de la médiathèque Jean-Macé",
        cpv="45210000",
        amount_initial=Decimal("85000"),
        notification_date=datetime.date(2024, 6, 3),
        territory_department="69",
    )
    win(
        world.company,
        buyer=world.buyer,
        object="Menuiseries de l'école Painlevé",
        cpv="45214200",
        amount_initial=Decimal("42300"),
        notification_date=datetime.date(2025, 2, 11),
        territory_department="69",
    )

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()

    # 1. "Mon profil fournisseur" asks to log in, then leads to the editor of the member's company.
    page.goto(base + "/fournisseurs/mon-profil/")
    page.wait_for_url(re.compile(r".*/compte/connexion/.*"))
    page.get_by_label("Adresse e-mail").fill("alice.martin@exemple.fr")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + f"/fournisseurs/{siret}/profil/")
    assert page.get_by_text("Aucune activité pour l'instant.").is_visible()
    check_accessibility(page)
    shoot(page, "suppliers-01-editeur-vide")

    # 2. The CPV search refreshes its results as one types (htmx), then a code is chosen.
    page.get_by_label("Rechercher un code CPV").fill("batiments")
    results = page.locator("#cpv-resultats")
    results.get_by_text("45214200", exact=True).wait_for()
    assert page.url == base + f"/fournisseurs/{siret}/profil/"  # no page load
    check_accessibility(page)
    shoot(page, "suppliers-02-recherche-cpv")
    results.get_by_role("link", name=re.compile(r"Choisir le code 45210000,")).click()
    page.wait_for_url(re.compile(r".*\?cpv=45210000#nouvelle-activite$"))
    assert page.get_by_label("Code CPV", exact=True).input_value() == "45210000"

    # 3. An incomplete activity is refused with an error summary; a complete one is added.
    page.get_by_role("button", name="Ajouter l'activité").click()
    summary = page.locator(".error-summary")
    assert summary.get_by_text("Types de prestation : Choisissez au moins un type de prestation.").is_visible()
    check_accessibility(page)
    shoot(page, "suppliers-03-activite-erreurs")
    page.get_by_label("Prestation de services").check()
    page.get_by_label("Fabrication et commercialisation de biens").check()
    page.get_by_label("Description").fill("Menuiserie bois sur mesure, agencement d'équipements publics.")
    page.get_by_role("button", name="Ajouter l'activité").click()
    assert page.get_by_text("est ajoutée à votre profil").is_visible()
    assert page.get_by_role("heading", name="Vos activités (1)").is_visible()
    check_accessibility(page)
    shoot(page, "suppliers-04-activite-ajoutee")

    # 4. The perimeter: two departments and a radius around Lyon.
    page.get_by_role("link", name="2. Zone d'intervention").click()
    page.get_by_label("Départements").fill("69, 42")
    page.get_by_label("Rayon autour de votre établissement (km)").fill("40")
    page.get_by_role("button", name="Enregistrer la zone").click()
    assert page.get_by_text("Votre zone d'intervention est enregistrée.").is_visible()
    assert page.get_by_text("Départements : Loire (42) et Rhône (69) ; Dans un rayon de 40").is_visible()
    check_accessibility(page)
    shoot(page, "suppliers-05-zone")

    # 5. Capacity and status (the inclusive status and labels are the organisation's).
    page.get_by_role("link", name="3. Capacités et statut").click()
    page.get_by_label("Effectif salarié").select_option("11")
    page.get_by_label("Chiffre d'affaires annuel (en euros)").fill("1 250 000")
    page.get_by_label("Exercice de ce chiffre d'affaires").fill("2024")
    page.get_by_label("Taille de l'entreprise").select_option("pme")
    page.get_by_label("Statut de l'économie inclusive").select_option("EI")
    page.get_by_label("RGE").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Les informations sur l'entreprise sont enregistrées.").is_visible()
    check_accessibility(page)
    shoot(page, "suppliers-06-capacites")

    # 6. The public profile, with the references from the contracts won.
    page.get_by_role("link", name=re.compile("Profil public de")).click()
    page.wait_for_url(base + f"/fournisseurs/{siret}/")
    main = page.locator("main")
    for text in [
        "Travaux de construction de bâtiments",
        "Dans un rayon de 40",
        "Entreprise d'insertion (EI)",
        "Fournisseur · PME",
        "Menuiseries de l'école Painlevé",
        "Ville de Lyon",
        "RGE",
    ]:
        assert main.get_by_text(text).first.is_visible(), text
    check_accessibility(page)
    shoot(page, "suppliers-07-profil-public")

    # 7. The directory, as a buyer uses it: works in the Loire by inclusive structures.
    buyer = page
    buyer.goto(base + "/fournisseurs/")
    buyer.get_by_label("Code CPV", exact=True).fill("45")
    buyer.get_by_label("Département couvert").select_option("42")
    buyer.get_by_label("Économie inclusive").select_option("siae")
    buyer.get_by_role("button", name="Rechercher").click()
    assert buyer.get_by_role("heading", name="1 fournisseur").is_visible()
    assert buyer.get_by_role("link", name="Menuiserie Solidaire du Rhône").is_visible()
    check_accessibility(buyer)
    shoot(buyer, "suppliers-08-annuaire")
    buyer.get_by_label("Département couvert").select_option("13")
    buyer.get_by_role("button", name="Rechercher").click()
    assert buyer.get_by_text("Aucun fournisseur ne correspond à ces critères.").is_visible()

    # 8. On a phone, anonymously: no horizontal scrolling on the profile and the directory.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    for path, name in [
        (f"/fournisseurs/{siret}/", "09-profil-mobile"),
        ("/fournisseurs/?cpv=45", "10-annuaire-mobile"),
    ]:
        phone.goto(base + path)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        shoot(phone, f"suppliers-{name}")
    phone.context.close()

    # 9. Without JavaScript, the CPV search still works (a plain GET form).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", java_script_enabled=False)
    context.add_cookies(page.context.cookies())
    nojs = context.new_page()
    nojs.goto(base + f"/fournisseurs/{siret}/profil/")
    nojs.get_by_label("Rechercher un code CPV").fill("transport")
    nojs.get_by_role("button", name="Rechercher").click()
    assert nojs.locator("#cpv-resultats").get_by_text("60100000", exact=True).is_visible()
    shoot(nojs, "suppliers-11-recherche-sans-javascript")
    context.close()
    page.context.close()
