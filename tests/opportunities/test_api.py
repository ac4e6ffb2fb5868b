"""Forecasts API: public list and detail, creation and update (buyer agents, token), status changes."""

import pytest

from tests.opportunities.conftest import bearer
from tests.opportunities.factories import ForecastFactory, LotFactory, reserve
from tremplin.opportunities.models import Forecast

pytestmark = pytest.mark.django_db

API = "/api/v1/opportunities/forecasts"


def payload(**overrides) -> dict:
    return {
        "buyer_siret": "21690123100011",
        "title": "Nettoyage des locaux administratifs",
        "description": "Entretien quotidien de 12 000 m².",
        "category": "services",
        "cpv": "60112000-6",
        "estimated_amount": "420000.00",
        "max_duration_months": 48,
        "publication_quarter": "T2 2027",
        "departments": ["69", "42"],
        "communes": ["69123"],
        "keywords": ["nettoyage", "propreté"],
        "lots": [
            {"number": 1, "title": "Hôtel de ville", "estimated_amount": "300000", "reservation": ""},
            {"number": 2, "title": "Annexes", "cpv": "60100000", "reservation": "L2113-12"},
        ],
        **overrides,
    }


def test_list_and_filters(client, world, settings):
    settings.SITE_URL = "https://tremplin.exemple.fr"
    reserved = ForecastFactory(buyer=world.buyer, title="Blanchisserie")
    LotFactory(forecast=reserved, reservation="L2113-12")
    reserve(reserved)
    ForecastFactory(buyer=world.other_buyer, title="Voirie", departments=["13"], publication_quarter="2027-T2")
    body = client.get(API).json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 20, 0)
    first = body["items"][0]
    assert first == {
        "id": reserved.pk,
        "url": f"https://tremplin.exemple.fr/previsions/{reserved.pk}/",
        "status": "published",
        "status_label": "Publiée",
        "title": "Blanchisserie",
        "buyer": {"siret": "21690123100011", "name": "Ville de Lyon"},
        "category": "travaux",
        "cpv": "45214200",
        "estimated_amount": 250000.0,
        "publication_target_date": "2026-09-15",
        "publication_quarter": "2026-T3",
        "offer_deadline": "2026-10-20",
        "reserved_articles": ["L2113-12"],
    }
    assert [i["title"] for i in client.get(API, {"reserved": "EA / ESAT"}).json()["items"]] == ["Blanchisserie"]
    assert [i["title"] for i in client.get(API, {"department": "13"}).json()["items"]] == ["Voirie"]
    assert [i["title"] for i in client.get(API, {"quarter": "T2 2027"}).json()["items"]] == ["Voirie"]
    assert client.get(API, {"quarter": "bientôt"}).json()["count"] == 0
    assert [i["title"] for i in client.get(API, {"buyer": world.buyer.siret}).json()["items"]] == ["Blanchisserie"]
    page = client.get(API, {"limit": 1, "offset": 1}).json()
    assert (page["count"], [i["title"] for i in page["items"]]) == (2, ["Voirie"])
    assert client.get(API, {"limit": 500}).status_code == 422


def test_create_then_read(client, world):
    response = client.post(API, payload(), "application/json", **bearer(world.agent))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["source"], body["cpv"]) == ("draft", "api", "60112000")
    assert body["cpv_detail"] == {"code": "60112000", "label": "Services de transport routier public"}
    assert body["publication_quarter"] == "2027-T2"
    assert body["departments"] == [{"code": "42", "name": "Loire"}, {"code": "69", "name": "Rhône"}]
    assert body["communes"] == [{"code": "69123", "name": "Lyon"}]
    assert body["reserved_articles"] == ["L2113-12"]
    assert body["social_kinds"] == ["marche_reserve"]
    assert [(lot["number"], lot["estimated_amount"], lot["reservation"]) for lot in body["lots"]] == [
        (1, 300000.0, ""),
        (2, None, "L2113-12"),
    ]
    assert body["lots"][1]["cpv"] == {"code": "60100000", "label": "Services de transport routier"}
    assert client.get(f"{API}/{body['id']}", **bearer(world.agent)).json()["title"] == body["title"]


def test_create_rejects_inconsistent_data_with_errors_by_field(client, world):
    response = client.post(
        API,
        payload(
            cpv="6011201",
            departments=["69", "99"],
            estimated_amount="100000",
            max_duration_months=60,
            reservations=["L2113-15"],
            category="fournitures",
            lots=[{"number": 1, "title": "A", "estimated_amount": "150000"}, {"number": 1, "title": "B"}],
        ),
        "application/json",
        **bearer(world.agent),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["cpv"] == ["Code CPV inconnu « 60112010 »."]
    assert errors["departments"] == ["Départements inconnus : 99."]
    assert errors["reservations"] == [
        "Une réservation à l'ESS (L2113-15) ne concerne que des services (services sociaux).",
        "Un marché réservé à l'ESS (L2113-15) dure 36 mois (3 ans) au plus.",
    ]
    assert errors["lots"] == [
        "Lot 1 : ce numéro de lot est utilisé deux fois.",
        "La somme des montants des lots (150\u202f000,00\u202f€) dépasse le montant estimé de la prévision "
        "(100\u202f000,00\u202f€).",
    ]
    assert client.post(API, payload(cpv="1"), "application/json", **bearer(world.agent)).json()["errors"]["cpv"]
    response = client.post(
        API,
        payload(contact_name="x" * 200, consultation_url="javascript:alert(1)", estimated_amount="1e20"),
        "application/json",
        **bearer(world.agent),
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"contact_name", "consultation_url", "estimated_amount"}
    assert not Forecast.objects.exists()


def test_update_replaces_the_content_but_not_the_status(client, world):
    forecast = ForecastFactory(buyer=world.buyer)
    LotFactory(forecast=forecast, number=1, title="Ancien lot")
    changes = payload(title="Nouveau titre", lots=[{"number": 3, "title": "Seul lot"}])
    changes.pop("buyer_siret")
    response = client.put(f"{API}/{forecast.pk}", changes, "application/json", **bearer(world.agent))
    assert response.status_code == 200, response.json()
    assert (response.json()["title"], response.json()["status"]) == ("Nouveau titre", "published")
    assert [lot["title"] for lot in response.json()["lots"]] == ["Seul lot"]

    # A published forecast must stay complete.
    response = client.put(
        f"{API}/{forecast.pk}",
        {**changes, "departments": [], "communes": []},
        "application/json",
        **bearer(world.agent),
    )
    assert response.status_code == 400
    assert response.json()["errors"][""] == [
        "Avant de publier, indiquez au moins un lieu d'exécution (département ou commune)."
    ]
    Forecast.objects.filter(pk=forecast.pk).update(status="awarded")
    response = client.put(f"{API}/{forecast.pk}", changes, "application/json", **bearer(world.agent))
    assert response.json()["errors"] == {"": ["Une prévision « Attribuée » ne se modifie plus."]}


def test_transitions(client, world):
    created = client.post(API, payload(), "application/json", **bearer(world.agent)).json()
    url = f"{API}/{created['id']}/transition"
    response = client.post(url, {"status": "in_consultation"}, "application/json", **bearer(world.agent))
    assert response.status_code == 409
    assert "« Brouillon » ne peut pas passer au statut « En consultation »" in response.json()["detail"]
    response = client.post(url, {"status": "published"}, "application/json", **bearer(world.agent))
    assert (response.status_code, response.json()["status"]) == (200, "published")
    assert response.json()["published_at"]
    response = client.post(url, {"status": "in_consultation"}, "application/json", **bearer(world.agent))
    assert response.json()["detail"] == (
        "Indiquez le lien vers la consultation publiée avant de passer la prévision en consultation."
    )
    assert client.get(API).json()["count"] == 1


def test_the_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    documented = {path for path in paths if path.startswith("/api/v1/opportunities/")}
    assert documented == {
        "/api/v1/opportunities/forecasts",
        "/api/v1/opportunities/forecasts/mine",
        "/api/v1/opportunities/forecasts/approch",
        "/api/v1/opportunities/forecasts/ocds",
        "/api/v1/opportunities/forecasts/{forecast_id}",
        "/api/v1/opportunities/forecasts/{forecast_id}/approch",
        "/api/v1/opportunities/forecasts/{forecast_id}/ocds",
        "/api/v1/opportunities/forecasts/{forecast_id}/transition",
        "/api/v1/opportunities/fairs",
        "/api/v1/opportunities/fairs/{fair_id}",
        "/api/v1/opportunities/fairs/{fair_id}/registrations",
        "/api/v1/opportunities/fairs/{fair_id}/registrations/{registration_id}",
    }
    assert set(paths["/api/v1/opportunities/forecasts/approch"]) == {"get", "post"}
