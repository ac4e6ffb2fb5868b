"""GET /api/v1/contracts/{key}: the contract with its holders, modifications, flags, territory and source."""

import datetime
from decimal import Decimal

import pytest

from tests.contracts.factories import ContractFactory, ContractHolderFactory, ContractModificationFactory
from tests.factories import OrganisationFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(small_referentials):  # noqa: F811
    supplier = OrganisationFactory(name="Alpha BTP", department=small_referentials.departments["69"])
    contract = ContractFactory(
        object="Rénovation de l'école Jean-Macé",
        cpv="45214200",
        place_type="Code postal",
        place_code="69001",
        place_name="Lyon",
        territory_department="69",
        territory_region="84",
        territory_source="execution",
        amount_initial=Decimal("120000.50"),
        flags=[{"code": "late_publication", "message": "Publication plus de deux mois après la notification"}],
    )
    ContractHolderFactory(contract=contract, organisation=supplier, position=0)
    ContractHolderFactory(
        contract=contract, identifier="BE0123456789", id_type="TVA", name="BRUXELLES BATI", position=1
    )
    ContractHolderFactory(
        contract=contract, identifier="12345678900011", name="REPRENEUR", position=2, is_initial=False
    )
    ContractModificationFactory(contract=contract, seq=1, amount=Decimal("150000"), duration_months=18)
    return contract


def test_contract_detail(client, contract):
    response = client.get(f"/api/v1/contracts/{contract.key}")
    assert response.status_code == 200
    data = response.json()
    assert data["key"] == contract.key and data["url"] == f"/marches/{contract.key}/"
    assert data["buyer"] == {
        "siret": contract.buyer.siret,
        "name": contract.buyer.name,
        "known": True,
        "url": f"/observatoire/acheteurs/{contract.buyer.siret}/",
    }
    assert data["amount_initial"] == 120000.5
    assert data["place"] == {"type": "Code postal", "code": "69001", "name": "Lyon"}
    assert data["territory"] == {
        "department": "69",
        "region": "84",
        "source": "execution",
        "source_label": "Lieu d'exécution",
    }
    assert [(h["name"], h["is_initial"]) for h in data["holders"]] == [
        ("ALPHA BTP", True),
        ("BRUXELLES BATI", True),
        ("REPRENEUR", False),
    ]
    assert data["holders"][0]["organisation"]["url"].startswith("/observatoire/titulaires/")
    assert data["holders"][1]["organisation"] is None
    assert data["modifications"] == [
        {
            "seq": 1,
            "decp_id": "",
            "notification_date": "2024-09-01",
            "publication_date": "2024-09-15",
            "object": "Avenant n° 1 : travaux supplémentaires",
            "duration_months": 18,
            "amount": 150000.0,
            "holders": [],
        }
    ]
    assert data["flags"][0]["code"] == "late_publication"
    assert data["source"]["source"] == "decp-test" and data["source"]["format"] == "2022"
    assert data["notification_date"] == datetime.date(2024, 3, 15).isoformat()


def test_unknown_contract_is_a_json_404(client, db):
    response = client.get("/api/v1/contracts/inconnu-123")
    assert response.status_code == 404
    assert response.json() == {"detail": "Marché inconnu."}


def test_a_contract_without_buyer_organisation(client, db):
    contract = ContractFactory(
        buyer=None, buyer_identifier="21690123100011", buyer_name="COMMUNE X", uid="X1", key="X1-a"
    )
    data = client.get(f"/api/v1/contracts/{contract.key}").json()
    assert data["buyer"]["known"] is False and data["buyer"]["name"] == "COMMUNE X"
