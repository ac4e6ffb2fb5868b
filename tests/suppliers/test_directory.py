"""The supplier directory page: filters by CPV prefix, department covered, inclusive status and size."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory
from tests.suppliers.helpers import make_profile, win
from tremplin.referentials.models import Commune

pytestmark = pytest.mark.django_db

URL = reverse("suppliers:directory")


@pytest.fixture
def suppliers(world):
    """Four profiles: a Lyon joiner (radius 40 km, EI, micro), a Loire builder (Loire only, PME), a national
    transport company (ETI), a Paris IT firm (Île-de-France region, ESAT) that won a works contract."""
    make_profile(
        world.member,
        world.company,
        activities=[("45210000", "43.21A", ["PREST"])],
        perimeter={"radius_km": 40},
        inclusive_status="EI",
    )
    world.company.declared_size_category = "micro"
    world.company.save()
    make_profile(
        world.rival_member, world.rival, activities=[("45214200", None, ["PREST"])], perimeter={"departments": ["42"]}
    )
    world.rival.headcount_band = "12"
    world.rival.save()
    transport = OrganisationFactory(name="Autocars du Centre", company_category="ETI")
    make_profile(
        MembershipFactory(organisation=transport).user,
        transport,
        activities=[("60112000", None, ["PREST"])],
        perimeter={"national": True},
    )
    it = OrganisationFactory(name="ESAT Numérique", commune=Commune.objects.get(pk="75101"), inclusive_status="ESAT")
    make_profile(
        MembershipFactory(organisation=it).user,
        it,
        activities=[(None, "62.01Z", ["PREST", "DISP"])],
        perimeter={"regions": ["11"]},
    )
    win(it, cpv="45214000")
    OrganisationFactory(name="Sans profil")  # a supplier without a profile is not listed
    return world


def names(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row["organisation"].name for row in response.context["rows"]]


ALL = ["Autocars du Centre", "Bâtisseurs de la Loire", "ESAT Numérique", "Menuiserie Solidaire du Rhône"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"cpv": "45"}, ["Bâtisseurs de la Loire", "ESAT Numérique", "Menuiserie Solidaire du Rhône"]),
        ({"cpv": "4521"}, ["Bâtisseurs de la Loire", "ESAT Numérique", "Menuiserie Solidaire du Rhône"]),
        ({"cpv": "45214"}, ["Bâtisseurs de la Loire", "ESAT Numérique"]),  # ESAT: by a contract won
        ({"cpv": "45214200-2"}, ["Bâtisseurs de la Loire"]),
        ({"cpv": "60"}, ["Autocars du Centre"]),
        ({"department": "69"}, ["Autocars du Centre", "Menuiserie Solidaire du Rhône"]),
        ({"department": "42"}, ["Autocars du Centre", "Bâtisseurs de la Loire"]),  # Saint-Étienne is 50 km away
        ({"department": "75"}, ["Autocars du Centre", "ESAT Numérique"]),
        ({"department": "974"}, ["Autocars du Centre"]),
        ({"inclusive": "true"}, ["ESAT Numérique", "Menuiserie Solidaire du Rhône"]),
        ({"inclusive": "siae"}, ["Menuiserie Solidaire du Rhône"]),
        ({"inclusive": "handicap"}, ["ESAT Numérique"]),
        ({"size": "tpe_pme"}, ["Bâtisseurs de la Loire", "Menuiserie Solidaire du Rhône"]),
        ({"size": "micro"}, ["Menuiserie Solidaire du Rhône"]),
        ({"size": "eti"}, ["Autocars du Centre"]),
        ({"q": "menuiserie"}, ["Menuiserie Solidaire du Rhône"]),
        ({"cpv": "45", "department": "42", "size": "pme"}, ["Bâtisseurs de la Loire"]),
    ],
)
def test_filters(client, suppliers, params, expected):
    assert names(client, **params) == expected


def test_closed_establishments_are_not_listed(client, suppliers):
    suppliers.rival.is_closed = True
    suppliers.rival.save()
    assert "Bâtisseurs de la Loire" not in names(client)


def test_a_siret_prefix_finds_the_company(client, suppliers):
    assert names(client, q=suppliers.company.siret[:9]) == ["Menuiserie Solidaire du Rhône"]


def test_results_show_activities_perimeter_and_references(client, suppliers):
    html = client.get(URL, {"inclusive": "handicap"}).content.decode()
    assert "4 fournisseurs" not in html and "1 fournisseur" in html
    assert "Région : Île-de-France" in html
    assert "NAF 62.01Z Programmation informatique" in html
    assert "1 marché remporté" in html
    assert f'href="{reverse("suppliers:detail", args=[suppliers.company.siret])}"' not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"cpv": "travaux"}, "Code CPV invalide « travaux »"),
        ({"department": "99"}, "Département inconnu."),
        ({"size": "geante"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_filters_are_explained_not_crashed(client, suppliers, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and message in html
    assert len(response.context["rows"]) == 4  # the invalid filter is ignored, the others still apply


def test_pagination(client, world):
    for n in range(23):
        organisation = OrganisationFactory(name=f"Entreprise {n:02d}")
        make_profile(world.staff, organisation, activities=[("45000000", None, ["PREST"])])
    assert len(names(client)) == 20
    response = client.get(URL, {"page": 2})
    assert len(response.context["rows"]) == 3
    assert "Page 2 sur 2" in response.content.decode()
