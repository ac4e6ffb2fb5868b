"""The matching API: shapes, errors in French, and nothing private (drafts) ever listed."""

import pytest

from tests.factories import OrganisationFactory
from tests.matching.helpers import supplier
from tests.opportunities.factories import ForecastFactory
from tremplin.opportunities import rules as forecast_rules

pytestmark = pytest.mark.django_db

OPPORTUNITIES = "/api/v1/matching/opportunities"
SUPPLIERS = "/api/v1/matching/suppliers"


def test_opportunities_for_a_supplier(client, small_referentials):
    organisation, _m, _p = supplier("Bâtir Lyon")
    forecast = ForecastFactory(title="Rénovation de la mairie", cpv_id="45210000")
    ForecastFactory(title="Brouillon", cpv_id="45210000", status=forecast_rules.DRAFT)
    response = client.get(OPPORTUNITIES, {"supplier": organisation.siret})
    assert response.status_code == 200
    data = response.json()
    assert data["supplier"] == organisation.siret and data["count"] == 1
    item = data["items"][0]
    assert item["id"] == f"forecast:{forecast.pk}" and item["kind"] == "forecast"
    assert item["title"] == "Rénovation de la mairie" and item["buyer"] == forecast.buyer.name
    assert "CPV 45210000 dans vos activités" in item["reasons"]
    assert item["url"] == forecast.get_absolute_url() and item["deadline"] == "2026-10-20"
    assert client.get(OPPORTUNITIES, {"supplier": organisation.siret, "kind": "notice"}).json()["count"] == 0


def test_opportunities_errors(client, small_referentials):
    assert client.get(OPPORTUNITIES, {"supplier": "123"}).status_code == 400
    no_profile = OrganisationFactory()
    response = client.get(OPPORTUNITIES, {"supplier": no_profile.siret})
    assert response.status_code == 404
    assert response.json()["detail"] == "Aucun profil fournisseur n'est enregistré avec ce SIRET."
    assert client.get(OPPORTUNITIES, {"supplier": "73282932000074"}).status_code == 404


def test_suppliers_for_a_need(client, small_referentials):
    organisation, _m, _p = supplier("Bâtir Lyon", inclusive_status="EI")
    supplier("Transport", activities=(("60100000", "", ["PREST"]),))
    need = {"text": "rénovation", "cpv": ["45210000-2"], "department": "69", "amount": 50000, "filters": ["siae"]}
    response = client.post(SUPPLIERS, need, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["id"] == f"supplier:{organisation.pk}" and item["kind"] == "supplier"
    assert item["title"] == "Bâtir Lyon" and item["siret"] == organisation.siret
    assert item["inclusive_status"] == "EI" and "CPV 45210000 dans ses activités" in item["reasons"]


@pytest.mark.parametrize(
    ("need", "message"),
    [
        ({"cpv": ["45x1"]}, "Code CPV invalide"),
        ({"department": "99"}, "Département inconnu : 99."),
        ({"commune": "00000"}, "Commune inconnue (code INSEE) : 00000."),
        ({"filters": ["cheap"]}, "Filtre inconnu : cheap."),
        ({"reservation": "L9999"}, "Réservation inconnue : L9999."),
    ],
)
def test_bad_needs_are_400_in_french(client, small_referentials, need, message):
    response = client.post(SUPPLIERS, need, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_the_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/matching/opportunities"]["get"]["summary"] == "Opportunités ouvertes pour un fournisseur"
    assert "/api/v1/matching/suppliers" in paths
