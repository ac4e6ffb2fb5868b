"""Issue 4's journey, in a real Chromium, on the demo that `make run` serves (referentials + `tremplin demo` on the
real samples of settings.TREMPLIN_DATA_DIR): the demo buyer agent writes a forecast with two lots and publishes
it; the demo company sees it ranked with its reasons, declares interest for a lot; the buyer sees the company
among the interested ones; the company saves its search and the alert e-mail brings the forecast, once.

Screenshots: test-artifacts/screenshots/journey-*.png. Every page is checked by `check_accessibility`."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tremplin.alerts.models import SavedSearch
from tremplin.demo.people import DEMO_DOMAIN, DEMO_PASSWORD
from tremplin.interests.models import Interest
from tremplin.matching import services as matching
from tremplin.notices.models import Notice, Source
from tremplin.opportunities.models import Forecast
from tremplin.organisations.models import Membership, Role

DATA_DIR = Path(settings.TREMPLIN_DATA_DIR)
requires_data = pytest.mark.skipif(
    not all((DATA_DIR / folder).is_dir() for folder in ("decp", "boamp", "ted", "reference")),
    reason=f"shared public data samples not found in {DATA_DIR}",
)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_data]

BUYER = f"acheteur@{DEMO_DOMAIN}"
COMPANY = f"entreprise@{DEMO_DOMAIN}"
TITLE = "Extension du pôle de santé de Pont-d'Ain (parcours démo)"
LOT_1 = "Gros œuvre et charpente"
LOT_2 = "Second œuvre et peintures"


@pytest.fixture
def demo(transactional_db, settings, live_server):
    """The demo as `make run` builds it, with e-mailed links pointing at the live server."""
    settings.MATCHING_INDEX_CHECK_SECONDS = 0  # the engine sees the forecast as soon as it is published
    settings.SITE_URL = live_server.url
    matching.opportunity_index.reset()
    matching.supplier_index.reset()
    call_command("load_referentials", verbosity=0, stdout=StringIO())
    call_command("demo", force=True, stdout=StringIO())
    yield
    matching.opportunity_index.reset()
    matching.supplier_index.reset()


def log_in(browser, base: str, email: str):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    page.goto(base + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    check_accessibility(page)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r".*/mon-organisation/$"))
    return page


def demo_company():
    return Membership.objects.get(user__email=COMPANY, role=Role.COMPANY_MEMBER).organisation


def company_cpv() -> str:
    """The main activity of the demo company's profile (pre-filled from the contracts it won)."""
    activity = demo_company().supplier_profile.activities.exclude(cpv=None).order_by("pk").first()
    return activity.cpv_id


def test_forecast_to_interest_to_alert_on_the_demo(demo, browser, live_server, mailoutbox):  # noqa: F811
    base = live_server.url
    # The demo imported the real BOAMP and TED samples (one test: the demo takes ~25 s to build).
    assert Notice.objects.filter(source=Source.BOAMP).count() > 0
    assert Notice.objects.filter(source=Source.TED).count() > 0
    company = demo_company()
    cpv = company_cpv()
    department = company.department_id
    assert department, "the demo company has a department: its profile's perimeter"

    # 1. The buyer agent writes a forecast with two lots, one reserved to SIAE, then publishes it.
    buyer = log_in(browser, base, BUYER)
    buyer.goto(base + "/previsions/nouvelle/")
    check_accessibility(buyer)
    buyer.get_by_role("textbox", name="Intitulé", exact=True).fill(TITLE)
    buyer.get_by_label("Description du besoin").fill(
        "Extension de 400 m² du pôle de santé : cabinets médicaux, salle de kinésithérapie, accessibilité. "
        "Chantier en site occupé, clause d'insertion sur le second œuvre."
    )
    buyer.get_by_label("Catégorie").select_option("travaux")
    buyer.get_by_label("Code CPV principal").fill(cpv)
    in_two_months = timezone.localdate() + datetime.timedelta(days=60)
    buyer.get_by_label("Date de publication prévue").fill(in_two_months.isoformat())
    buyer.get_by_label("Montant estimé (€ HT)").fill("850 000")
    buyer.get_by_label("Départements d'exécution").fill(department)
    for index, (title, amount, reservation) in enumerate([(LOT_1, "520 000", ""), (LOT_2, "330 000", "L2113-13")]):
        buyer.locator(f"[name='lots-{index}-title']").fill(title)
        buyer.locator(f"[name='lots-{index}-cpv']").fill(cpv)
        buyer.locator(f"[name='lots-{index}-estimated_amount']").fill(amount)
        buyer.locator(f"[name='lots-{index}-reservation']").select_option(reservation)
    shoot(buyer, "journey-01-nouvelle-prevision")
    buyer.get_by_role("button", name="Créer le brouillon").click()
    buyer.wait_for_url(re.compile(r".*/previsions/\d+/$"))
    forecast = Forecast.objects.get(title=TITLE)
    assert buyer.get_by_text(f"La prévision « {TITLE} » est créée (brouillon).").is_visible()
    assert list(forecast.lots.values_list("number", "title", "reservation")) == [
        (1, LOT_1, ""),
        (2, LOT_2, "L2113-13"),
    ]
    buyer.get_by_role("button", name="Publier").click()
    expect(buyer.get_by_text("La prévision est maintenant au statut « Publiée ».")).to_be_visible()
    lots = buyer.get_by_role("table").filter(has_text=LOT_2)
    assert lots.get_by_text("Réservé aux structures d'insertion, SIAE (L2113-13)").is_visible()
    check_accessibility(buyer)
    shoot(buyer, "journey-02-prevision-publiee")
    forecast.refresh_from_db()
    assert forecast.status == "published"

    # 2. The company sees it ranked with its reasons, opens it and declares interest for the first lot (the
    # second one is reserved to SIAE, which the demo company is not: it is not offered to it).
    supplier = log_in(browser, base, COMPANY)
    supplier.goto(base + "/correspondances/")
    check_accessibility(supplier)
    ranked = supplier.locator("li.match").filter(has=supplier.get_by_role("link", name=TITLE, exact=True))
    assert ranked.count() == 1, "the forecast itself is ranked for the demo company"
    assert ranked.get_by_text(f"CPV {cpv} dans vos activités").is_visible()
    assert ranked.locator(".match__score-value").inner_text().isdigit()
    lot_1 = supplier.locator("li.match").filter(has_text=f"{TITLE} — lot 1 : {LOT_1}")
    assert lot_1.get_by_text("Lot d'une prévision").is_visible()
    assert supplier.locator("li.match").filter(has_text=LOT_2).count() == 0
    shoot(supplier, "journey-03-correspondances")
    ranked.get_by_role("link", name=TITLE, exact=True).click()
    supplier.wait_for_url(base + forecast.get_absolute_url())
    panel = supplier.locator("#interets")
    panel.get_by_label(f"Lot 1 — {LOT_1}").check()
    panel.get_by_role("button", name="Je suis intéressé(e)").click()
    expect(panel.get_by_text("Intéressé(e)", exact=True)).to_be_visible()  # the panel is swapped in place (htmx)
    expect(panel.get_by_text(re.compile(r"pour : lot 1\."))).to_be_visible()
    check_accessibility(supplier)
    shoot(supplier, "journey-04-interet-declare")
    interest = Interest.objects.get(organisation=company, forecast=forecast)
    assert list(interest.lots.values_list("number", flat=True)) == [1]

    # 3. The buyer sees the company among the interested ones, for lot 1.
    buyer.goto(base + f"/interets/prevision/{forecast.pk}/")
    row = buyer.get_by_role("row").filter(has_text=company.name)
    assert row.get_by_text("Lot 1", exact=True).is_visible()
    check_accessibility(buyer)
    shoot(buyer, "journey-05-entreprises-interessees")

    # 4. The company saves the search from the matching page, through the prefilled form.
    supplier.goto(base + "/correspondances/")
    supplier.get_by_role("link", name="Enregistrer cette recherche").click()
    supplier.wait_for_url(re.compile(r".*/alertes/nouvelle/\?.*"))
    assert supplier.get_by_role("textbox", name="Codes CPV").input_value() == cpv
    assert supplier.get_by_role("textbox", name="Départements").input_value() == department
    # Only typed words become keywords (not the profile's "D'après 15 marchés remportés." blurb).
    assert supplier.get_by_role("textbox", name="Mots-clés").input_value() == ""
    supplier.get_by_role("textbox", name="Nom de la recherche").fill("Travaux de bâtiment dans l'Ain")
    supplier.get_by_role("combobox", name="Pour l'entreprise").select_option(label=company.name)
    check_accessibility(supplier)
    shoot(supplier, "journey-06-enregistrer-la-recherche")
    supplier.get_by_role("button", name="Enregistrer la recherche").click()
    supplier.wait_for_url(re.compile(r".*/alertes/\d+/$"))
    check_accessibility(supplier)
    shoot(supplier, "journey-07-recherche-enregistree")
    search = SavedSearch.objects.filter(user__email=COMPANY).latest("pk")
    assert (search.name, search.text, search.cpv, search.organisation) == (
        "Travaux de bâtiment dans l'Ain",
        "",
        [cpv],
        company,
    )

    # 5. The alert run e-mails the forecast with its link, once.
    now = timezone.now() + datetime.timedelta(minutes=5)
    mailoutbox.clear()
    call_command("send_alerts", now=now.isoformat(), stdout=StringIO())
    to_company = [message for message in mailoutbox if message.to == [COMPANY]]
    assert len(to_company) == 1
    body = to_company[0].body
    link = base + forecast.get_absolute_url()
    assert TITLE in body and link in body
    assert f"== {search.name} ==" in body
    mailoutbox.clear()
    call_command("send_alerts", now=(now + datetime.timedelta(minutes=1)).isoformat(), stdout=StringIO())
    assert mailoutbox == []
    call_command("send_alerts", now=(now + datetime.timedelta(days=1)).isoformat(), stdout=StringIO())
    assert not any(TITLE in message.body for message in mailoutbox), "never the same forecast twice"

    # The e-mailed link opens the forecast, with the company's answer remembered; the buyer's funnel counts the
    # company as notified (the search is the company's).
    supplier.goto(link)
    assert supplier.locator("h1").inner_text() == TITLE
    assert supplier.locator("#interets").get_by_text("Intéressé(e)", exact=True).is_visible()
    check_accessibility(supplier)
    shoot(supplier, "journey-08-lien-de-l-alerte")
    buyer.goto(base + f"/interets/prevision/{forecast.pk}/")
    notified = buyer.locator(".int-funnel__step").filter(has_text="Notifiées")
    assert notified.locator("dd").inner_text() == "1"
    shoot(buyer, "journey-09-entreprise-notifiee")
    buyer.context.close()
    supplier.context.close()
