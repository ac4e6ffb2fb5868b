"""API: /api/v1/matching/inclusion — potential of a forecast, of a free need, partners for a groupement."""

import pytest
from django.test import Client

from tests.matching.inclusive_world import WORKS, bearer, inclusive_world  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/matching/inclusion"


def test_the_potential_of_a_forecast(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    response = client.get(f"{API}/forecasts/{w.forecast.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["forecast"] == {"id": w.forecast.pk, "title": w.forecast.title, "status": "published"}
    assert (body["siae"], body["ea_esat"]) == (3, 2)  # distinct, all lots: the ESAT (lot 1) and the EA (lot 2)
    assert body["recommendation"]["code"] == "reserve_lot"
    assert body["recommendation"]["articles"] == ["L2113-13"]
    first = body["lots"][0]
    assert first["lot"] == {"number": 1, "title": "Gros œuvre", "estimated_amount": 90000.0, "reservation": ""}
    assert (first["siae"], first["ea_esat"], first["median_turnover"], first["dependency"]) == (3, 1, 400000, 0.15)
    assert first["unknown_turnovers"] == 1
    assert first["recommendation"]["code"] == "reserve_lot"
    assert first["recommendation"]["thresholds"][0].startswith("Au moins 3 structures éligibles")
    assert {s["name"] for s in first["structures"]} >= {"Bâtir Insertion", "ESAT des Coteaux"}
    assert [lot["recommendation"]["code"] for lot in body["lots"]] == ["reserve_lot", "social_clause", "none"]
    assert body["whole"]["dependency"] == 0.3


def test_drafts_are_404_but_for_their_buyer_members(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    paths = [f"{API}/forecasts/{w.draft.pk}", f"{API}/forecasts/{w.draft.pk}/partners"]
    for path in paths:
        assert client.get(path).status_code == 404
        assert client.get(path).json() == {"detail": "Prévision inconnue."}
        assert client.get(path, **bearer(w.other_agent)).status_code == 404
        assert client.get(path, **bearer(w.lead_member)).status_code == 404
        assert client.get(path, **bearer(w.agent)).status_code == 200
    client.force_login(w.agent)
    assert client.get(paths[0]).status_code == 200  # the session works too
    assert Client().get(f"{API}/forecasts/999999").status_code == 404
    assert client.get(paths[0], HTTP_AUTHORIZATION="Bearer faux").status_code == 401


def test_a_free_need(client, inclusive_world):  # noqa: F811
    response = client.post(
        f"{API}/need",
        {"text": "", "cpv": "45210000-2", "department": "92", "amount": 90000},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["siae"], body["ea_esat"], body["dependency"]) == (3, 1, 0.23)
    assert body["recommendation"]["code"] == "reserve_contract"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"cpv": "45210000", "department": "99"}, "department", "Département inconnu : 99."),
        ({"cpv": "45210000"}, "department", "Indiquez le département où le besoin sera exécuté."),
        ({"cpv": "99999999", "department": "92"}, "cpv", "Code CPV inconnu : 99999999."),
        ({"cpv": "4x", "department": "92"}, "cpv", "Code CPV invalide"),
        ({"text": "", "department": "92"}, "text", "Décrivez le besoin ou indiquez un code CPV"),
        ({"text": "x" * 1001, "department": "92"}, "text", "Description trop longue"),
        ({"cpv": WORKS, "department": "92", "amount": -1}, "amount", "Montant invalide"),
        ({"cpv": WORKS, "department": "92", "amount": 10**12}, "amount", "Montant invalide"),
    ],
)
def test_a_bad_need_is_a_422_in_french(client, inclusive_world, payload, field, message):  # noqa: F811
    response = client.post(f"{API}/need", payload, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", field]
    assert error["msg"].startswith(message)


def test_a_session_post_needs_the_csrf_token(inclusive_world):  # noqa: F811
    w = inclusive_world
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.lead_member)
    response = browser.post(f"{API}/need", {"cpv": WORKS, "department": "92"}, content_type="application/json")
    assert response.status_code == 403


def test_partners_from_a_supplier(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    response = client.get(f"{API}/forecasts/{w.forecast.pk}/partners", {"supplier": w.lead.siret})
    assert response.status_code == 200
    body = response.json()
    assert body["supplier"] == {"siret": w.lead.siret, "name": "Maçonnerie Boulonnaise"}
    assert (body["lead_lots"], body["to_cover"], body["uncovered"]) == ([1], [2, 3], [])
    assert len(body["groupements"]) == 1
    (member,) = body["groupements"][0]["members"]
    assert (member["siret"], member["lots"]) == (w.electrician.siret, [2, 3])
    assert "couvre le lot 2 — Électricité" in member["reasons"]
    assert [lot["title"] for lot in body["per_lot"]] == ["Lot 2 — Électricité", "Lot 3 — Transport"]
    scratch = client.get(f"{API}/forecasts/{w.forecast.pk}/partners").json()
    assert scratch["supplier"] is None
    assert scratch["to_cover"] == [1, 2, 3]


def test_partners_with_a_bad_or_unknown_supplier(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    path = f"{API}/forecasts/{w.forecast.pk}/partners"
    bad = client.get(path, {"supplier": "123"})
    assert bad.status_code == 400
    assert "14 chiffres" in bad.json()["detail"]
    unknown = client.get(path, {"supplier": w.buyer.siret})  # a buyer, not a supplier
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Aucun fournisseur n'est enregistré avec ce SIRET."}


def test_the_endpoints_are_documented_in_french(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    ours = {path: operations for path, operations in paths.items() if path.startswith(API)}
    assert set(ours) == {f"{API}/forecasts/{{forecast_id}}", f"{API}/need", f"{API}/forecasts/{{forecast_id}}/partners"}
    assert ours[f"{API}/need"]["post"]["summary"] == "Potentiel inclusif d'un besoin libre"
    assert "brouillon" in ours[f"{API}/forecasts/{{forecast_id}}"]["get"]["description"]
