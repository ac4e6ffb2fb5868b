"""API: the directory and public profiles (no account), and PUT /profile for the company's members only."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import make_siret
from tests.suppliers.helpers import make_profile, win
from tremplin.suppliers.models import SupplierActivity, SupplierProfile

pytestmark = pytest.mark.django_db

BASE = "/api/v1/suppliers"

PROFILE = {
    "activities": [
        {"cpv": "45210000-2", "service_types": ["PREST", "BUILD"], "description": "Agencement intérieur"},
        {"naf": "43.21A", "service_types": ["PREST"]},
    ],
    "perimeter": {"departments": ["69", "42"], "radius_km": 40},
    "declared_headcount_band": "11",
    "turnover": 1250000,
    "turnover_year": 2024,
    "declared_size_category": "pme",
    "inclusive_status": "EI",
    "labels": ["rge"],
    "is_ess": True,
}


def put(client, siret, payload, headers=None):
    return client.put(f"{BASE}/{siret}/profile", payload, content_type="application/json", headers=headers or {})


def test_get_a_supplier_with_its_references(client, world):
    make_profile(world.member, world.company, activities=[("45210000", None, ["PREST"])], perimeter={"regions": ["84"]})
    win(
        world.company,
        buyer=world.buyer,
        cpv="45210000",
        amount_initial=Decimal("85000"),
        notification_date=datetime.date(2024, 6, 3),
    )
    win(
        world.company,
        buyer=world.buyer,
        cpv="45000000",
        amount_initial=Decimal("9e9"),
        amount_suspicious=True,
        notification_date=datetime.date(2023, 1, 2),
    )
    response = client.get(f"{BASE}/{world.company.siret}")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Menuiserie Solidaire du Rhône"
    assert data["has_profile"] is True and data["prefilled"] is False
    assert data["url"] == f"/fournisseurs/{world.company.siret}/"
    assert data["department"] == {"code": "69", "name": "Rhône"}
    assert data["region"] == {"code": "84", "name": "Auvergne-Rhône-Alpes"}
    assert data["activities"] == [
        {
            "cpv": "45210000",
            "cpv_label": "Travaux de construction de bâtiments",
            "naf": None,
            "naf_label": "",
            "service_types": ["PREST"],
            "description": "",
        }
    ]
    assert data["perimeter"] == {
        "national": False,
        "regions": ["84"],
        "departments": [],
        "radius_km": None,
        "text": ["Région : Auvergne-Rhône-Alpes"],
    }
    references = data["references"]
    assert references["count"] == 2
    assert references["total_amount"] == 85000.0
    assert references["suspicious_count"] == 1
    assert references["last_notification_date"] == "2024-06-03"
    assert references["cpv_divisions"] == [{"code": "45", "label": "Travaux de construction", "count": 2}]
    assert references["buyers"] == [{"siret": world.buyer.siret, "name": "Ville de Lyon", "count": 2}]
    assert [c["amount_suspicious"] for c in references["recent_contracts"]] == [False, True]


def test_get_errors(client, world):
    assert client.get(f"{BASE}/{world.buyer.siret}").status_code == 404
    assert client.get(f"{BASE}/{world.buyer.siret}").json() == {
        "detail": "Aucun fournisseur n'est enregistré avec ce SIRET."
    }
    response = client.get(f"{BASE}/123")
    assert response.status_code == 400 and "14 chiffres" in response.json()["detail"]
    # A supplier without profile still answers, with its references.
    data = client.get(f"{BASE}/{world.rival.siret}").json()
    assert data["has_profile"] is False and data["activities"] == [] and data["references"]["count"] == 0


def test_list_with_filters(client, world):
    make_profile(
        world.member,
        world.company,
        activities=[("45210000", None, ["PREST"])],
        perimeter={"radius_km": 60},
        inclusive_status="EI",
    )
    make_profile(
        world.rival_member, world.rival, activities=[("60100000", None, ["PREST"])], perimeter={"national": True}
    )
    data = client.get(BASE).json()
    assert data["count"] == 2 and [item["name"] for item in data["items"]] == [
        "Bâtisseurs de la Loire",
        "Menuiserie Solidaire du Rhône",
    ]
    item = client.get(BASE, {"cpv": "4521", "department": "42", "inclusive": "siae"}).json()["items"]
    assert [i["name"] for i in item] == ["Menuiserie Solidaire du Rhône"]  # 60 km reach Saint-Étienne
    assert item[0]["perimeter"]["text"] == ["Dans un rayon de 60\u202fkm autour de Lyon"]
    assert item[0]["references_count"] == 0
    assert client.get(BASE, {"department": "13"}).json()["count"] == 1
    assert client.get(BASE, {"size": "ge"}).json()["count"] == 0
    assert client.get(BASE, {"limit": 1, "offset": 1}).json()["items"][0]["name"] == "Menuiserie Solidaire du Rhône"


@pytest.mark.parametrize(
    ("params", "loc", "message"),
    [
        ({"cpv": "x"}, ["query", "cpv"], "Code CPV invalide"),
        ({"department": "2c"}, ["query", "department"], "Département inconnu : 2C."),
    ],
)
def test_list_errors_are_422_with_a_french_message(client, world, params, loc, message):
    response = client.get(BASE, params)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == loc and message in error["msg"]


def test_put_by_a_member(client, world, bearer):
    response = put(client, world.company.siret, PROFILE, bearer(world.member))
    assert response.status_code == 200, response.content
    data = response.json()
    assert [a["cpv"] or a["naf"] for a in data["activities"]] == ["45210000", "43.21A"]
    assert data["perimeter"]["departments"] == ["42", "69"] and data["perimeter"]["radius_km"] == 40
    assert (data["declared_headcount_band"], data["turnover"], data["turnover_band"]) == ("11", 1250000, "Jusqu'à 2 M€")
    assert (data["inclusive_status"], data["is_ess"], data["labels"]) == ("EI", True, [{"slug": "rge", "name": "RGE"}])
    assert (data["declared_size_category"], data["size_category"], data["size_source"]) == ("pme", "pme", "declared")
    # A second PUT replaces; organisation attributes left out stay as they are.
    response = put(
        client, world.company.siret, {"activities": [{"cpv": "60", "service_types": ["DISP"]}]}, bearer(world.member)
    )
    data = response.json()
    assert [a["cpv"] for a in data["activities"]] == ["60000000"]
    assert data["perimeter"]["departments"] == [] and data["turnover"] is None
    assert (data["inclusive_status"], data["labels"]) == ("EI", [{"slug": "rge", "name": "RGE"}])


def test_put_by_staff(client, world, bearer):
    assert put(client, world.company.siret, PROFILE, bearer(world.staff)).status_code == 200


@pytest.mark.parametrize("who", ["rival_member", "buyer_agent", "company_buyer_agent", "facilitator", "outsider"])
def test_put_by_anyone_else_is_forbidden(client, world, bearer, who):
    response = put(client, world.company.siret, PROFILE, bearer(getattr(world, who)))
    assert response.status_code == 403
    assert response.json() == {"detail": "Seuls les membres de l'entreprise peuvent modifier son profil fournisseur."}
    assert not SupplierProfile.objects.exists()


def test_put_needs_credentials(client, world):
    response = put(client, world.company.siret, PROFILE)
    assert response.status_code == 401 and "Authentification requise" in response.json()["detail"]
    assert put(client, world.company.siret, PROFILE, {"Authorization": "Bearer faux"}).status_code == 401
    assert not SupplierProfile.objects.exists()


def test_put_with_a_session_needs_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.member)
    response = put(browser, world.company.siret, PROFILE)
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not SupplierProfile.objects.exists()


def test_put_unknown_or_malformed_siret(client, world, bearer):
    headers = bearer(world.staff)
    unknown = make_siret(9999)
    response = put(client, unknown, PROFILE, headers)
    assert response.status_code == 404 and response.json() == {
        "detail": "Aucun fournisseur n'est enregistré avec ce SIRET."
    }
    response = put(client, "12", PROFILE, headers)
    assert response.status_code == 400 and "14 chiffres" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        (
            {"activities": [{"cpv": "99999999", "service_types": ["PREST"]}]},
            ["body", "activities", 0, "cpv"],
            "n'existe pas",
        ),
        ({"activities": [{"service_types": ["PREST"]}]}, ["body", "activities", 0, "cpv"], "un code CPV, un code NAF"),
        ({"perimeter": {"departments": ["69", "100"]}}, ["body", "perimeter", "departments"], "inconnu : 100"),
        ({"perimeter": {"radius_km": 0}}, ["body", "perimeter", "radius_km"], "entre 1 et 1000 km"),
        ({"declared_headcount_band": "99"}, ["body", "declared_headcount_band"], "Tranche d'effectif inconnue."),
        ({"turnover_year": None}, ["body", "turnover_year"], "Indiquez l'année"),
        ({"labels": ["bio"]}, ["body", "labels"], "Label inconnu : bio."),
        ({"inclusive_status": "SCOP"}, ["body", "inclusive_status"], "Statut de l'économie inclusive inconnu."),
        ({"declared_size_category": "xl"}, ["body", "declared_size_category"], "Taille d'entreprise inconnue."),
    ],
)
def test_put_invalid_values_are_422_and_nothing_is_written(client, world, bearer, change, loc, message):
    make_profile(world.member, world.company, activities=[("45000000", None, ["PREST"])])
    response = put(client, world.company.siret, PROFILE | change, bearer(world.member))
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"] == loc and message in error["msg"]
    assert list(SupplierActivity.objects.values_list("cpv_id", flat=True)) == ["45000000"]


def test_put_schema_errors_are_422(client, world, bearer):
    response = put(
        client,
        world.company.siret,
        {"activities": [{"cpv": "45000000", "service_types": ["CONSEIL"]}]},
        bearer(world.member),
    )
    assert response.status_code == 422
    response = put(client, world.company.siret, {"turnover": -5, "turnover_year": 2024}, bearer(world.member))
    assert response.status_code == 422


def test_the_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get"} <= set(paths["/api/v1/suppliers"]) and {"get"} <= set(paths["/api/v1/suppliers/{siret}"])
    assert set(paths["/api/v1/suppliers/{siret}/profile"]) == {"put"}
