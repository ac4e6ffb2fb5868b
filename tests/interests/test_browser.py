"""The interest journey in a real Chromium: a company member declares interest in two lots of a published
forecast (htmx), then writes to the buyer; the buyer's agent sees the company in the list and answers; the
company reads the answer. Screenshots: test-artifacts/screenshots/interests-*.png."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser import SCREENSHOTS, browser, check_accessibility, shoot  # noqa: F401 (browser: a fixture)
from tremplin.interests.models import Interest, Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, base: str, user, path: str):  # noqa: F811
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page = context.new_page()
    page.goto(base + path)
    return page


def test_interest_then_messages_between_company_and_buyer(browser, live_server, world):  # noqa: F811
    base = live_server.url
    forecast_path = world.forecast.get_absolute_url()

    company = login(browser, base, world.member, forecast_path)
    panel = company.locator("#interets")
    panel.get_by_label("Lot 1 — Menuiseries extérieures").check()
    panel.get_by_label("Lot 2 — Peintures intérieures").check()
    panel.get_by_role("button", name="Je suis intéressé(e)").click()
    expect(panel.get_by_text("Votre intérêt est enregistré")).to_be_visible()
    expect(panel.get_by_text("pour : lot 1, lot 2.")).to_be_visible()
    check_accessibility(company)
    panel.screenshot(path=str(SCREENSHOTS / "interests-01-panneau-entreprise.png"))
    shoot(company, "interests-02-prevision-entreprise")
    assert sorted(Interest.objects.get().lots.values_list("number", flat=True)) == [1, 2]

    panel.get_by_role("link", name="Écrire à l'acheteur").click()
    company.wait_for_url(re.compile(r".*/ecrire/.*"))
    company.get_by_role("button", name="Envoyer").click()  # empty first
    assert (
        company.locator(".error-summary")
        .get_by_role("link", name="Votre message : Écrivez votre message.")
        .is_visible()
    )
    check_accessibility(company)
    shoot(company, "interests-03-ecrire-erreur")
    company.get_by_label("Votre message").fill("Bonjour,\nUne visite des lieux est-elle prévue ?\n<b>Merci</b>")
    company.get_by_role("button", name="Envoyer").click()
    company.wait_for_url(re.compile(r".*/interets/echanges/\d+/.*"))
    expect(company.get_by_text("Votre message est envoyé")).to_be_visible()

    agent = login(browser, base, world.agent, forecast_path)
    expect(agent.locator("#interets .int-funnel")).to_contain_text("Intéressées1")
    shoot(agent, "interests-04-prevision-acheteur")
    agent.get_by_role("link", name=re.compile("Voir les entreprises intéressées")).click()
    expect(agent.get_by_role("heading", name="Entreprises intéressées")).to_be_visible()
    row = agent.get_by_role("row", name=re.compile("Menuiserie Solidaire"))
    expect(row.get_by_role("cell", name="Lot 1, Lot 2")).to_be_visible()
    check_accessibility(agent)
    shoot(agent, "interests-05-liste-acheteur")
    row.get_by_role("link", name=re.compile("1 message")).click()
    expect(agent.get_by_text("<b>Merci</b>")).to_be_visible()  # shown as text, not HTML
    agent.get_by_label("Votre message").fill("Bonjour,\nOui : le 12 juin à 10 h.")
    agent.get_by_role("button", name="Envoyer").click()
    expect(agent.get_by_text("Oui : le 12 juin à 10 h.")).to_be_visible()
    check_accessibility(agent)
    shoot(agent, "interests-06-echanges-acheteur")

    company.reload()
    expect(company.get_by_text("Oui : le 12 juin à 10 h.")).to_be_visible()
    assert list(Message.objects.values_list("side", flat=True)) == ["supplier", "buyer"]

    company.goto(base + "/interets/")
    expect(company.get_by_role("link", name="Rénovation de l'école des Pentes")).to_be_visible()
    check_accessibility(company)
    shoot(company, "interests-07-mes-opportunites")
