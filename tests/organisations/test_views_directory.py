"""The organisations directory: search by name (accents ignored) or SIRET, filters, pagination."""

import pytest
from django.urls import reverse

from tests.factories import BuyerFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("organisations:list")


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


@pytest.fixture
def directory(db):
    return {
        "buyer": BuyerFactory(name="Département de l'Isère"),
        "supplier": OrganisationFactory(name="Électricité Générale Martin"),
        "inclusive": OrganisationFactory(name="Atelier Solidaire", inclusive_status="ESAT"),
    }


def test_the_directory_lists_everyone_with_labelled_filters(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Atelier Solidaire", "Département de l'Isère", "Électricité Générale Martin"]
    html = response.content.decode()
    assert '<label class="field__label" for="id_q">Nom ou SIRET</label>' in html
    assert '<label class="field__label" for="id_type">Type d&#x27;organisation</label>' in html
    assert 'role="search"' in html
    assert "3 organisations" in html


def test_search_ignores_case_and_accents(client, directory):
    assert names(client.get(URL, {"q": "departement isere"})) == ["Département de l'Isère"]
    assert names(client.get(URL, {"q": "ELECTRICITE"})) == ["Électricité Générale Martin"]


def test_search_by_siret_or_siren(client, directory):
    siret = directory["supplier"].siret
    assert names(client.get(URL, {"q": siret})) == ["Électricité Générale Martin"]
    assert names(client.get(URL, {"q": f"{siret[:3]} {siret[3:6]} {siret[6:9]}"})) == ["Électricité Générale Martin"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("acheteurs", ["Département de l'Isère"]),
        ("fournisseurs", ["Atelier Solidaire", "Électricité Générale Martin"]),
        ("inclusives", ["Atelier Solidaire"]),
    ],
)
def test_filters(client, directory, kind, expected):
    assert names(client.get(URL, {"type": kind})) == expected


def test_pagination_keeps_the_query(client):
    for n in range(25):
        OrganisationFactory(name=f"Boulangerie {n:02d}")
    first = client.get(URL, {"q": "boulangerie"})
    assert len(names(first)) == 20
    html = first.content.decode()
    assert "Page 1 sur 2" in html
    assert 'href="?q=boulangerie&amp;page=2"' in html
    second = client.get(URL, {"q": "boulangerie", "page": 2})
    assert names(second) == [f"Boulangerie {n}" for n in range(20, 25)]


def test_no_result_is_said(client, directory):
    assert "Aucune organisation ne correspond" in client.get(URL, {"q": "zzz"}).content.decode()
