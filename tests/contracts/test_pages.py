"""The page of one awarded contract: /marches/<key>/."""

from html import unescape

import pytest

from tests.contracts.factories import ContractFactory, ContractHolderFactory, ContractModificationFactory
from tests.factories import OrganisationFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401

pytestmark = pytest.mark.django_db


def test_contract_page(client, small_referentials):  # noqa: F811
    supplier = OrganisationFactory(name="Alpha BTP")
    contract = ContractFactory(
        object="Rénovation de l'école Jean-Macé",
        cpv="45214200",
        place_type="Code postal",
        place_code="69001",
        territory_department="69",
        territory_region="84",
        territory_source="execution",
        amount_suspicious=True,
        flags=[{"code": "amount_outlier", "message": "Montant hors norme"}],
    )
    ContractHolderFactory(contract=contract, organisation=supplier)
    ContractModificationFactory(contract=contract)
    response = client.get(contract.get_absolute_url())
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "<h1>Rénovation de l'école Jean-Macé</h1>" in page
    assert "45214200 — Travaux de construction de bâtiments scolaires" in page
    assert "Rhône (69)" in page and "Auvergne-Rhône-Alpes" in page and "Lieu d'exécution" in page
    assert f'href="/observatoire/titulaires/{supplier.siret}/">Alpha BTP</a>' in page
    assert f'href="/observatoire/acheteurs/{contract.buyer.siret}/"' in page
    assert "Avenant n° 1 : travaux supplémentaires" in page
    assert "<code>amount_outlier</code> — Montant hors norme" in page
    assert "suspect : exclu des sommes de l'observatoire" in page
    assert f'href="/api/v1/contracts/{contract.key}"' in page
    assert "Le territoire d'un marché est son lieu d'exécution" in page


def test_unknown_contract_page_is_404(client, db):
    assert client.get("/marches/inconnu/").status_code == 404
