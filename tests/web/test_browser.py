"""A person's journey in a real Chromium (Debian's, driven by Playwright): home page, sign-up, e-mail
verification, claiming an organisation, approval by one of its members, the organisation's public page.

Each step is screenshotted to test-artifacts/screenshots/ and checked for basic accessibility: the page is
in French, has one h1, and every visible form control has a label."""

import re

import pytest

from tests.browser import SCREENSHOTS, browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory
from tremplin.organisations.models import Membership, MembershipStatus
from tremplin.referentials.models import Commune, Department, Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organisation(transactional_db):
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", search_text="auvergne rhone alpes")
    rhone = Department.objects.create(code="69", name="Rhône", region=region, search_text="rhone")
    lyon = Commune.objects.create(code="69123", name="Lyon", department=rhone, search_text="lyon")
    organisation = OrganisationFactory(
        name="Menuiserie Solidaire du Rhône",
        commune=lyon,
        inclusive_status="EI",
        declared_size_category="micro",
        is_ess=True,
        description="Menuiserie bois et agencement, chantiers d'insertion dans la métropole de Lyon.",
    )
    MembershipFactory(organisation=organisation, user__email="alice.martin@exemple.fr", user__full_name="Alice Martin")
    return organisation


def test_journey_from_sign_up_to_an_approved_organisation(browser, live_server, mailoutbox, organisation):  # noqa: F811
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()

    # 1. Home page; the skip link is the first thing the keyboard reaches.
    page.goto(base + "/")
    assert "Tremplin rapproche les acheteurs publics" in page.locator("h1").inner_text()
    check_accessibility(page)
    shoot(page, "01-accueil")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.screenshot(path=str(SCREENSHOTS / "01c-lien-d-evitement.png"))
    mobile = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    mobile.goto(base + "/")
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(mobile, "01b-accueil-mobile")
    mobile.context.close()

    # 2. Sign-up: an empty form is refused with an error summary, then a filled one creates the account.
    page.get_by_role("link", name="Inscription").click()
    page.get_by_role("button", name="Créer mon compte").click()
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator(".error-summary").get_by_text("Ce champ est obligatoire.").count() == 4
    check_accessibility(page)
    shoot(page, "02-inscription-erreurs")
    page.get_by_label("Adresse e-mail").fill("nina.rey@exemple.fr")
    page.get_by_label("Nom complet").fill("Nina Rey")
    page.get_by_label(re.compile(r"^Mot de passe")).fill("une-phrase-de-passe-longue")
    page.get_by_label("Confirmation du mot de passe").fill("une-phrase-de-passe-longue")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(base + "/mon-organisation/")
    assert page.get_by_text("Confirmez votre adresse e-mail.").is_visible()
    assert page.get_by_text("Confirmez d'abord votre adresse e-mail.").is_visible()
    check_accessibility(page)
    shoot(page, "03-compte-cree")

    # 3. The verification link from the e-mail.
    assert len(mailoutbox) == 1
    path = re.search(r"https?://[^/\s]+(/compte/confirmation/\S+/)", mailoutbox[0].body).group(1)
    page.goto(base + path)
    page.wait_for_url(base + "/mon-organisation/")
    assert page.get_by_text("Votre adresse e-mail est confirmée.").is_visible()
    assert page.get_by_role("button", name="Renvoyer le lien").count() == 0
    check_accessibility(page)
    shoot(page, "04-adresse-confirmee")

    # 4. Claim the organisation by its SIRET (typed with spaces, as people do).
    siret = organisation.siret
    page.get_by_label("SIRET de l'organisation").fill(f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")
    page.get_by_label("Membre de l'entreprise").check()
    page.get_by_label("Message aux personnes qui valideront").fill("Je suis la nouvelle responsable des achats.")
    page.get_by_role("button", name="Envoyer la demande").click()
    assert page.get_by_text("Votre demande de rattachement à Menuiserie Solidaire du Rhône est envoyée.").is_visible()
    assert page.get_by_text("En attente de validation").is_visible()
    check_accessibility(page)
    shoot(page, "05-demande-envoyee")
    assert [mail.to for mail in mailoutbox[1:]] == [["alice.martin@exemple.fr"]]

    # 5. Alice, a member, logs in and approves the request.
    alice = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    alice.goto(base + f"/organisations/{siret}/demandes/")
    alice.wait_for_url(re.compile(r".*/compte/connexion/.*"))
    alice.get_by_label("Adresse e-mail").fill("alice.martin@exemple.fr")
    alice.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    check_accessibility(alice)
    shoot(alice, "06-connexion")
    alice.get_by_role("button", name="Se connecter").click()
    alice.wait_for_url(base + f"/organisations/{siret}/demandes/")
    assert alice.get_by_text("Je suis la nouvelle responsable des achats.").is_visible()
    check_accessibility(alice)
    shoot(alice, "07-demandes-en-attente")
    alice.get_by_role("button", name="Accepter la demande de Nina Rey").click()
    assert alice.get_by_text("Nina Rey est maintenant membre de Menuiserie Solidaire du Rhône.").is_visible()
    alice.context.close()
    assert Membership.objects.get(user__email="nina.rey@exemple.fr").status == MembershipStatus.ACTIVE

    # 6. Nina reloads her page: the membership is active and she sees her colleagues.
    page.reload()
    card = page.locator("article.membership")
    assert card.get_by_text("Active", exact=True).is_visible()
    assert card.get_by_role("table").get_by_text("Alice Martin").is_visible()
    check_accessibility(page)
    shoot(page, "08-rattachement-actif")

    # 7. The organisation's public page, as Nina (a member) sees it.
    card.get_by_role("link", name="Menuiserie Solidaire du Rhône").click()
    page.wait_for_url(base + f"/organisations/{siret}/")
    assert page.locator("h1").inner_text() == "Menuiserie Solidaire du Rhône"
    facts = page.locator("main")
    for text in (
        siret,
        siret[:9],
        "Entreprise d'insertion (EI)",
        "Microentreprise (TPE)",
        "(déclarée par l'entreprise)",
        "Auvergne-Rhône-Alpes",
        "Fournisseur",
    ):
        assert facts.get_by_text(text, exact=False).first.is_visible(), text
    assert page.get_by_role("link", name="Modifier la fiche").is_visible()
    check_accessibility(page)
    shoot(page, "09-fiche-organisation")
    anonymous = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    anonymous.goto(base + f"/organisations/{siret}/")
    assert anonymous.get_by_role("link", name="Modifier la fiche").count() == 0
    assert anonymous.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(anonymous, "09b-fiche-organisation-mobile-anonyme")
    anonymous.context.close()

    # 8. The edit form, the directory and a 404.
    page.get_by_role("link", name="Modifier la fiche").click()
    check_accessibility(page)
    shoot(page, "10-modifier-la-fiche")
    page.goto(base + "/organisations/?type=inclusives")
    assert page.get_by_role("link", name="Menuiserie Solidaire du Rhône").is_visible()
    check_accessibility(page)
    shoot(page, "11-annuaire")
    response = page.goto(base + "/organisations/123/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page introuvable"
    shoot(page, "12-page-introuvable")

    # 9. An API token: its clear value is shown once.
    page.get_by_role("link", name="Mon compte").click()
    page.get_by_label("Nom du jeton").fill("Logiciel de gestion")
    page.get_by_role("button", name="Créer le jeton").click()
    raw = page.get_by_label("Jeton d'API").input_value()
    assert raw.startswith("trp_")
    check_accessibility(page)
    shoot(page, "13-jeton-cree")
    page.get_by_role("link", name="J'ai copié le jeton").click()
    assert raw not in page.content()
    shoot(page, "14-mon-compte")

    # 10. Logging out is a POST from the navigation.
    page.get_by_role("button", name="Déconnexion").click()
    assert page.get_by_text("Vous êtes déconnecté(e).").is_visible()
    assert page.get_by_role("link", name="Connexion").is_visible()
    context.close()
