"""Matching pages: who sees what (drafts only for their buyer's members, 404 otherwise), forms in French."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.matching.helpers import supplier
from tests.opportunities.factories import ForecastFactory, LotFactory
from tremplin.opportunities import rules as forecast_rules
from tremplin.organisations.models import Role

pytestmark = pytest.mark.django_db


def test_a_company_member_sees_ranked_opportunities_with_reasons(client, small_referentials):
    _organisation, member, _profile = supplier("Bâtir Lyon")
    forecast = ForecastFactory(title="Rénovation de la mairie", cpv_id="45210000")
    ForecastFactory(title="Brouillon secret", cpv_id="45210000", status=forecast_rules.DRAFT)
    client.force_login(member)
    html = client.get(reverse("matching:opportunities")).content.decode()
    assert "1 opportunité pour Bâtir Lyon" in html
    assert f'href="{forecast.get_absolute_url()}">Rénovation de la mairie</a>' in html
    assert "CPV 45210000 dans vos activités" in html and "Brouillon secret" not in html
    assert 'href="/alertes/nouvelle/?' in html and "cpv=45210000" in html and "departement=69" in html
    html = client.get(reverse("matching:opportunities"), {"type": "notice"}).content.decode()
    assert "0 opportunité pour Bâtir Lyon" in html


def test_opportunities_need_a_login_and_a_profile(client, small_referentials):
    assert client.get(reverse("matching:opportunities")).status_code == 302
    client.force_login(UserFactory())
    assert "Complétez le profil de votre entreprise" in client.get(reverse("matching:opportunities")).content.decode()


def test_the_need_form_finds_suppliers_and_explains_errors(client, small_referentials):
    supplier("Bâtir Lyon")
    html = client.get(reverse("matching:suppliers"), {"text": "rénovation", "cpv": "45210000", "department": "69"})
    html = html.content.decode()
    assert "1 fournisseur" in html and "Bâtir Lyon" in html and "CPV 45210000 dans ses activités" in html
    html = client.get(reverse("matching:suppliers"), {"cpv": "45x1"}).content.decode()
    assert "Code CPV invalide" in html and "<title>Erreur" in html
    html = client.get(reverse("matching:suppliers"), {"amount": "100"}).content.decode()
    assert "Décrivez le besoin" in html


def test_forecast_suppliers_page_and_panel(client, small_referentials):
    supplier("Bâtir Lyon")
    forecast = ForecastFactory(title="Rénovation de la mairie", cpv_id="45210000")
    LotFactory(forecast=forecast, number=1, title="Gros œuvre", cpv_id="45210000")
    html = client.get(reverse("matching:forecast", args=[forecast.pk])).content.decode()
    assert "La prévision entière" in html and "Lot 1 — Gros œuvre" in html and html.count("Bâtir Lyon") == 2
    detail = client.get(forecast.get_absolute_url()).content.decode()
    assert "Fournisseurs qui pourraient répondre" in detail and "Bâtir Lyon" in detail


def test_draft_forecasts_are_only_for_their_buyer_members(client, small_referentials):
    supplier("Bâtir Lyon")
    draft = ForecastFactory(title="Brouillon", cpv_id="45210000", status=forecast_rules.DRAFT)
    url = reverse("matching:forecast", args=[draft.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("matching:forecast", args=[999999])).status_code == 404
    client.force_login(MembershipFactory(organisation=draft.buyer, role=Role.BUYER_AGENT).user)
    assert "Bâtir Lyon" in client.get(url).content.decode()
    assert "Fournisseurs qui pourraient répondre" in client.get(draft.get_absolute_url()).content.decode()
