"""API: GET /factors (public), POST /estimate (public calculator), GET /estimates/{id} (owner only)."""

import pytest

from tremplin.accounts.models import ApiToken
from tremplin.carbon.models import EmissionFactor, EstimateLine

pytestmark = pytest.mark.django_db

BASE = "/api/v1/carbon"


def calculate(client, payload):
    return client.post(f"{BASE}/estimate", payload, content_type="application/json")


def test_factors_with_filters(client, fake_factors):
    body = client.get(f"{BASE}/factors").json()
    assert body["count"] == 7
    truck_2025 = next(
        item for item in body["items"] if item["reference"] == "FICTIF-CAMION" and item["valid_to"] is None
    )
    assert truck_2025 == {
        "reference": "FICTIF-CAMION",
        "name": "FICTIF camion articulé 40 t",
        "kind": "transport",
        "unit": "tkm",
        "value": 0.0961,
        "transport_mode": "road",
        "valid_from": "2025-01-01",
        "valid_to": None,
        "source_name": "Jeu d'essai FICTIF",
        "source_url": "",
        "uncertainty_percent": None,
    }
    on_2024 = client.get(f"{BASE}/factors", {"kind": "transport", "date": "2024-05-01"}).json()
    assert [item["value"] for item in on_2024["items"]] == [0.1]
    assert [i["reference"] for i in client.get(f"{BASE}/factors", {"q": "béton"}).json()["items"]] == ["FICTIF-BETON"]
    response = client.get(f"{BASE}/factors", {"kind": "chaleur"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "kind"]
    assert client.get(f"{BASE}/factors", {"date": "demain"}).status_code == 422


def test_the_calculator_gives_each_line_its_factor_and_source(client, fake_factors):
    response = calculate(
        client,
        {
            "reference_date": "2024-06-01",
            "lines": [
                {
                    "section": "production",
                    "description": "Béton",
                    "factor": "FICTIF-BETON",
                    "quantity": "1200",
                    "unit": "kg",
                },
                {"section": "transport", "factor": "FICTIF-CAMION", "tonnes": 12, "km": 250},
                {"section": "use", "factor": "FICTIF-GAZOLE", "energy_per_year": 1000, "years": 2.5},
            ],
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [line["kgco2e"] for line in body["lines"]] == [540.0, 300.0, 7500.0]
    assert body["lines"][1]["factor"]["value"] == 0.1  # the 2024 version
    assert body["lines"][1]["factor"]["valid_to"] == "2024-12-31"
    assert body["lines"][0]["factor"]["source_name"] == "Jeu d'essai FICTIF"
    assert body["totals"] == {"production": 540.0, "transport": 300.0, "use": 7500.0, "total": 8340.0}
    assert body["rounding"].startswith("Chaque ligne est arrondie au gramme")


@pytest.mark.parametrize(
    ("line", "loc", "message"),
    [
        ({"section": "production", "factor": "INCONNU", "quantity": 1}, ["lines", 0, "factor"], "« INCONNU » inconnu"),
        (
            {"section": "production", "factor": "FICTIF-ACIER", "quantity": 1, "unit": "unit"},
            ["lines", 0, "unit"],
            "une masse",
        ),
        ({"section": "production", "factor": "FICTIF-ACIER", "quantity": -1}, ["lines", 0, "quantity"], "positif"),
        (
            {"section": "production", "factor": "FICTIF-ACIER", "quantity": 1, "unit": "parsec"},
            ["lines", 0, "unit"],
            "inconnue",
        ),
        (
            {"section": "transport", "factor": "FICTIF-ACIER", "tonnes": 1, "km": 1},
            ["lines", 0, "factor"],
            "ne peut pas servir",
        ),
        ({"section": "transport", "factor": "FICTIF-CAMION", "tonnes": 1}, ["lines", 0, "km"], "Indiquez la distance"),
        ({"section": "use", "factor": "FICTIF-ELEC", "energy_per_year": 1}, ["lines", 0, "years"], "Indiquez la durée"),
        ({"section": "chauffage", "factor": "FICTIF-ELEC"}, ["lines", 0, "section"], "Section inconnue"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, fake_factors, line, loc, message):
    response = calculate(client, {"reference_date": "2025-06-01", "lines": [line]})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", *loc]
    assert message in error["msg"]


def test_no_factor_valid_at_the_date_and_no_line(client, fake_factors):
    response = calculate(
        client,
        {
            "reference_date": "2023-01-01",
            "lines": [{"section": "transport", "factor": "FICTIF-CAMION", "tonnes": 1, "km": 1}],
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"].startswith("Aucune valeur du facteur « FICTIF camion articulé 40 t »")
    response = calculate(client, {"lines": []})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "payload", "lines"]
    assert calculate(client, {"lines": [{"section": "use"}]}).status_code == 422  # factor missing: pydantic


def add_fake_line(estimate):
    factor = EmissionFactor.objects.get(source_reference="FICTIF-ACIER")
    return EstimateLine.objects.create(
        estimate=estimate,
        section="production",
        description="Acier",
        quantity=10,
        unit="kg",
        factor=factor,
        factor_value=2,
        factor_unit="kg",
        kgco2e=20,
    )


def test_an_estimate_for_its_owner_by_token_or_session(client, world, offer):
    add_fake_line(offer)
    _, raw = ApiToken.issue(world.company_member, "test")
    response = client.get(f"{BASE}/estimates/{offer.pk}", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["lot_number"], body["organisation_siret"]) == (offer.title, 2, world.company.siret)
    assert body["lines"][0]["factor"]["reference"] == "FICTIF-ACIER"
    assert (body["lines"][0]["factor_value_used"], body["lines"][0]["kgco2e"]) == (2.0, 20.0)
    assert body["totals"]["total"] == 20.0
    client.force_login(world.facilitator)
    assert client.get(f"{BASE}/estimates/{offer.pk}").status_code == 200


@pytest.mark.parametrize("who", ["other_company_member", "buyer_agent", "other_buyer_agent", "pending_member", "staff"])
def test_an_estimate_does_not_exist_for_others_in_the_api(client, world, offer, who):
    _, raw = ApiToken.issue(getattr(world, who), "test")
    response = client.get(f"{BASE}/estimates/{offer.pk}", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Estimation inconnue."}


def test_shared_estimate_is_visible_to_the_forecast_buyer_in_the_api(client, world, offer):
    offer.shared_with_buyer = True
    offer.save()
    client.force_login(world.buyer_agent)
    assert client.get(f"{BASE}/estimates/{offer.pk}").status_code == 200


def test_anonymous_and_unknown(client, offer):
    assert client.get(f"{BASE}/estimates/{offer.pk}").status_code == 401
    _, raw = ApiToken.issue(offer.created_by, "test")
    assert client.get(f"{BASE}/estimates/999999", headers={"Authorization": f"Bearer {raw}"}).status_code == 404
