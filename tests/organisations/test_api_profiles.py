"""GET /api/v1/organisations/{siret} and the search list."""

import pytest

from tests.factories import BuyerFactory, OrganisationFactory
from tremplin.organisations.models import Label
from tremplin.referentials.models import NafCode

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


def test_profile_of_a_buyer(client, croix):
    BuyerFactory(siret="21590163800019", name="Ville de Croix", commune=croix, website="https://www.ville-croix.fr")

    response = client.get(URL + "21590163800019")

    assert response.status_code == 200
    assert response.json() == {
        "siret": "21590163800019",
        "siren": "215901638",
        "name": "Ville de Croix",
        "is_buyer": True,
        "is_supplier": False,
        "buyer_type": "commune",
        "buyer_type_label": "Commune",
        "size_category": "",
        "size_category_label": "",
        "size_source": "",
        "naf": None,
        "commune": {"code": "59163", "name": "Croix"},
        "department": {"code": "59", "name": "Nord"},  # deduced from the commune on save
        "region": {"code": "32", "name": "Hauts-de-France"},
        "inclusive_status": "",
        "inclusive_status_label": "",
        "is_ess": False,
        "is_esus": False,
        "labels": [],
        "description": "",
        "website": "https://www.ville-croix.fr",
    }


def test_profile_of_an_inclusive_supplier(client):
    naf = NafCode.objects.create(code="56.29A", label="Restauration collective sous contrat", level=5, search_text="x")
    supplier = OrganisationFactory(
        siret="47718101000091",
        name="API Restauration",
        naf=naf,
        headcount_band="12",
        inclusive_status="EA",
        is_ess=True,
        description="Restauration collective.",
    )
    supplier.labels.add(
        Label.objects.create(name="Qualiopi", slug="qualiopi"), Label.objects.create(name="B Corp", slug="b-corp")
    )

    data = client.get(URL + "47718101000091").json()

    assert data["naf"] == {"code": "56.29A", "label": "Restauration collective sous contrat"}
    assert (data["size_category"], data["size_category_label"], data["size_source"]) == ("pme", "PME", "sirene")
    assert (data["inclusive_status"], data["inclusive_status_label"]) == ("EA", "Entreprise adaptée (EA)")
    assert data["labels"] == [{"slug": "b-corp", "name": "B Corp"}, {"slug": "qualiopi", "name": "Qualiopi"}]
    assert (data["is_ess"], data["commune"], data["department"], data["region"]) == (True, None, None, None)


@pytest.mark.parametrize(
    "siret, reason",
    [
        ("2159016380001", "exactement 14 chiffres"),
        ("2159016380001A", "exactement 14 chiffres"),
        ("21590163800018", "clé de contrôle incorrecte"),
        ("21590163900019", "son SIREN (9 premiers chiffres) a une clé incorrecte"),
        ("215%20901%20638%2000019", "sans espaces ni séparateurs : 21590163800019"),
    ],
)
def test_malformed_siret_is_a_400_that_says_why(client, siret, reason):
    BuyerFactory(siret="21590163800019")
    response = client.get(URL + siret)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert reason in response.json()["detail"]


def test_well_formed_unknown_siret_is_a_404(client):
    response = client.get(URL + "35600000012305")  # valid (La Poste rule), not registered
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune organisation n'est enregistrée avec ce SIRET."}


@pytest.fixture
def directory(croix, ajaccio):
    return {
        "croix": BuyerFactory(siret="21590163800019", name="Ville de Croix", commune=croix),
        "elec": OrganisationFactory(name="Électricité Générale du Nord", commune=croix, inclusive_status="EI"),
        "esat": OrganisationFactory(name="ESAT des Ateliers Corses", commune=ajaccio, inclusive_status="ESAT"),
        "poste": OrganisationFactory(siret="35600000000048", name="La Poste"),
        "both": OrganisationFactory(name="Régie Électrique de Croix", is_buyer=True, commune=croix),
    }


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    "query, expected",
    [
        # Sorted without regard to accents or case.
        (
            "",
            [
                "Électricité Générale du Nord",
                "ESAT des Ateliers Corses",
                "La Poste",
                "Régie Électrique de Croix",
                "Ville de Croix",
            ],
        ),  # fmt: skip
        ("q=electricite", ["Électricité Générale du Nord"]),
        ("q=ÉLECTRICITÉ", ["Électricité Générale du Nord"]),
        ("q=electri croix", ["Régie Électrique de Croix"]),  # every word must match
        ("q=35600", ["La Poste"]),  # digits: SIRET prefix
        ("q=215 901 638", ["Ville de Croix"]),
        ("is_buyer=true", ["Régie Électrique de Croix", "Ville de Croix"]),
        ("is_buyer=true&is_supplier=true", ["Régie Électrique de Croix"]),
        ("is_supplier=false", ["Ville de Croix"]),
        ("department=2a", ["ESAT des Ateliers Corses"]),
        ("department=59&q=croix", ["Régie Électrique de Croix", "Ville de Croix"]),
        ("inclusive=true", ["Électricité Générale du Nord", "ESAT des Ateliers Corses"]),
        ("inclusive=siae", ["Électricité Générale du Nord"]),
        ("inclusive=handicap", ["ESAT des Ateliers Corses"]),
        ("inclusive=ESAT", ["ESAT des Ateliers Corses"]),
        ("inclusive=false&is_supplier=true", ["La Poste", "Régie Électrique de Croix"]),
    ],
)
def test_search(client, directory, query, expected):
    assert names(client.get(f"{URL}?{query}")) == expected


def test_search_items_and_paging(client, directory):
    data = client.get(URL + "?q=croix&limit=1&offset=1").json()
    assert (data["count"], data["limit"], data["offset"]) == (2, 1, 1)
    assert data["items"] == [
        {
            "siret": "21590163800019",
            "name": "Ville de Croix",
            "is_buyer": True,
            "is_supplier": False,
            "buyer_type": "commune",
            "size_category": "",
            "inclusive_status": "",
            "commune": {"code": "59163", "name": "Croix"},
            "department": {"code": "59", "name": "Nord"},
        }
    ]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "inclusive=oui", "is_buyer=peut-etre"])
def test_search_rejects_bad_parameters(client, query):
    assert client.get(f"{URL}?{query}").status_code == 422


def test_search_text_follows_the_name(directory):
    organisation = directory["elec"]
    assert organisation.search_text == "electricite generale du nord"
    organisation.name = "Œuvres Sociales d'Hénin"
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.search_text == "oeuvres sociales d henin"
