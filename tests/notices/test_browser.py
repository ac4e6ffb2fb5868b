"""The notice pages in a real Chromium (launch, skip/fail rule and checks shared in tests/browser.py): a company
looks for open calls for competition, filters them, corrects a bad filter, reads a notice, then an award notice
imported from the real BOAMP samples; on a phone too; platform staff review the rejected records.
Screenshots go to test-artifacts/screenshots/notices-*.png."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tests.factories import DEFAULT_PASSWORD, BuyerFactory, UserFactory
from tremplin.notices.importer import import_notices
from tremplin.notices.models import Notice

from .conftest import BOAMP_DIR, requires_data
from .factories import NoticeFactory, NoticeLotFactory, RejectedNoticeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_data]


def new_page(browser, width=1280, height=900):  # noqa: F811
    return browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR").new_page()


@pytest.fixture
def notices(small_referentials):
    import_notices([BOAMP_DIR], "boamp")  # real notices of 2016-2021: all closed today
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    lyon = BuyerFactory(name="Ville de Lyon")
    school = NoticeFactory(
        title="Rénovation énergétique du groupe scolaire Jean-Macé",
        buyer=lyon,
        buyer_name="Ville de Lyon",
        cpv="45214200",
        additional_cpv=["45321000", "45331000"],
        cpv_codes=["45321000", "45331000"],
        description="Isolation par l'extérieur, remplacement des menuiseries et de la chaufferie.\n"
        "Visite du site obligatoire le 12 du mois.",
        documents_url="https://marches.example.fr/consultation/2024-081",
        estimated_value=Decimal("1850000"),
        deadline_at=noon + datetime.timedelta(days=18),
    )
    NoticeLotFactory(notice=school, lot_ref="1", title="Isolation et bardage", cpv="45321000",
                     estimated_value=Decimal("950000"))  # fmt: skip
    NoticeLotFactory(notice=school, lot_ref="2", title="Menuiseries extérieures", cpv="45421000",
                     estimated_value=Decimal("600000"))  # fmt: skip
    NoticeLotFactory(notice=school, lot_ref="3", title="Chauffage et ventilation", cpv="45331000",
                     estimated_value=Decimal("300000"))  # fmt: skip
    NoticeFactory(
        title="Entretien des espaces verts des parcs de la Métropole, réservé aux structures d'insertion",
        buyer_name="Métropole de Lyon",
        cpv="77310000",
        is_reserved=True,
        is_social=True,
        procedure="Appel d'offres ouvert",
        deadline_at=noon + datetime.timedelta(days=6),
    )
    NoticeFactory(
        title="Travaux de voirie et réseaux divers, rue de Rivoli",
        buyer_name="Ville de Paris",
        cpv="45233140",
        place_department="75",
        place_region="11",
        deadline_at=noon + datetime.timedelta(days=30),
        source="ted",
        format="eforms",
        source_id="0a3077fe-1b45-4446-be7e-30f75cd98316",
    )
    return school


def test_a_company_finds_reads_and_follows_notices(browser, live_server, notices):  # noqa: F811
    base = live_server.url
    page = new_page(browser)

    # 1. The open calls for competition, nearest deadline first; the 53 real notices are all closed.
    page.goto(base + "/avis/")
    assert page.locator("h1").inner_text() == "Avis de marchés publics"
    assert page.get_by_role("heading", name="3 appels à la concurrence ouverts").is_visible()
    cards = page.locator(".notice-card__title")
    assert cards.nth(0).inner_text().startswith("Entretien des espaces verts")
    check_accessibility(page)
    shoot(page, "notices-01-avis-ouverts")

    # 2. Works in the Rhône: CPV division 45 and department 69.
    page.get_by_label("Code CPV").fill("45")
    page.get_by_label("Département du lieu d'exécution").select_option("69")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r".*cpv=45.*department=69.*"))
    assert page.get_by_role("heading", name=re.compile("1 appel à la concurrence ouvert")).is_visible()
    assert page.get_by_text("CPV 45 : Travaux de construction").is_visible()
    check_accessibility(page)
    shoot(page, "notices-02-filtres")

    # 3. A mistyped CPV code and dates in the wrong order: an error summary linking to the fields.
    page.get_by_label("Code CPV").fill("travaux")
    page.get_by_label("Date limite à partir du").fill("2030-06-30")
    page.get_by_label("Date limite jusqu'au").fill("2030-06-01")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link", name=re.compile("Code CPV : Indiquez de 2 à 8 chiffres")).is_visible()
    assert summary.get_by_role("link", name=re.compile("Date limite jusqu'au : Cette date doit être")).is_visible()
    assert page.title().startswith("Erreur : ")
    check_accessibility(page)
    shoot(page, "notices-03-erreurs")

    # 4. Back to all open calls; the school renovation, its lots and its deadline.
    page.get_by_role("link", name="Effacer les critères").click()
    page.get_by_role("link", name="Rénovation énergétique du groupe scolaire Jean-Macé").click()
    page.wait_for_url(base + notices.get_absolute_url())
    assert page.get_by_text("Date limite de réception des offres").is_visible()
    assert page.get_by_role("link", name="Ville de Lyon").is_visible()
    lots = page.get_by_role("table", name="Lots de l'avis")
    assert lots.locator("tbody tr").count() == 3
    assert lots.get_by_text("950\u202f000\u202f€").is_visible()
    check_accessibility(page)
    shoot(page, "notices-04-avis")

    # 5. All notices: a real BOAMP award notice with its 21 lots and winners.
    page.goto(base + "/avis/")
    page.get_by_label("Avis affichés").select_option("award")
    page.get_by_label("Mots-clés").fill("denrées Toulon")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile("Fourniture de denrées alimentaires")).click()
    award = Notice.objects.get(source_id="17-2599")
    page.wait_for_url(base + award.get_absolute_url())
    decisions = page.get_by_role("table", name="Décisions d'attribution, par lot")
    assert decisions.locator("tbody tr").count() == 21
    check_accessibility(page)
    shoot(page, "notices-05-attribution")
    page.context.close()

    # 6. On a phone: no horizontal scrolling on the list and on a notice.
    mobile = new_page(browser, 390, 844)
    mobile.goto(base + "/avis/?reserved=on")
    assert mobile.get_by_role("heading", name="1 appel à la concurrence ouvert").is_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(mobile, "notices-06-mobile-liste")
    mobile.goto(base + notices.get_absolute_url())
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(mobile, "notices-07-mobile-avis")
    mobile.context.close()


def test_staff_review_the_rejected_notices(browser, live_server):  # noqa: F811
    RejectedNoticeFactory(
        file="eforms-sdk-1.15_example_notices.tar.gz:examples/notices/INVALID_cn_24_empty.xml",
        reason="Identifiant de l'avis absent : avis eForms sans identifiant (cbc:ID).",
        excerpt='<?xml version="1.0" encoding="UTF-8"?>\n<ContractNotice xmlns="urn:oasis:names:specification:ubl">\n'
        "  <cbc:UBLVersionID>2.3</cbc:UBLVersionID>\n</ContractNotice>",
    )
    UserFactory(email="equipe@tremplin.example", is_staff=True)
    base = live_server.url
    page = new_page(browser)
    assert page.goto(base + "/avis/rejets/").status == 404
    page.goto(base + "/compte/connexion/?next=/avis/rejets/")
    page.get_by_label("Adresse e-mail").fill("equipe@tremplin.example")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/avis/rejets/")
    page.get_by_text("Début du contenu").click()
    assert page.get_by_text("<cbc:UBLVersionID>2.3</cbc:UBLVersionID>", exact=False).is_visible()
    check_accessibility(page)
    shoot(page, "notices-08-rejets")
    page.context.close()
