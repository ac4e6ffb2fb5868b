"""The public supplier page (/fournisseurs/<siret>/): activities, perimeter, capacity, labels, references."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import BuyerFactory, OrganisationFactory
from tests.suppliers.helpers import make_profile, win
from tremplin.suppliers.models import SupplierProfile

pytestmark = pytest.mark.django_db


def test_a_complete_profile(client, world):
    world.company.labels.add(world.rge)
    make_profile(
        world.member,
        world.company,
        activities=[("45210000", "43.21A", ["PREST", "BUILD"])],
        perimeter={"departments": ["69", "42"], "radius_km": 40},
        headcount_band="11",
        turnover=1_250_000,
        turnover_year=2024,
        inclusive_status="EI",
        is_ess=True,
    )
    win(
        world.company,
        buyer=world.buyer,
        object="Agencement de la médiathèque",
        amount_initial=Decimal("85000"),
        notification_date=datetime.date(2024, 6, 3),
    )
    response = client.get(reverse("suppliers:detail", args=[world.company.siret]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "<h1>Menuiserie Solidaire du Rhône</h1>",
        "45210000</span> Travaux de construction de bâtiments",
        "NAF</abbr> 43.21A — Travaux d&#x27;installation électrique dans tous locaux",
        "Prestation de services",
        "Départements : Loire (42) et Rhône (69)",
        "Dans un rayon de 40\u202fkm autour de Lyon",
        '10 à 19 salariés <span class="muted">(déclaré par l\'entreprise)</span>',
        "1\u202f250\u202f000\u202f€",
        "exercice 2024, tranche « Jusqu&#x27;à 2 M€ »",
        "Entreprise d&#x27;insertion (EI)",
        "article L2113-13",
        "RGE",
        "Agencement de la médiathèque",
        "85\u202f000\u202f€",
        "Ville de Lyon",
        "03/06/2024",
    ]:
        assert text in html, text
    assert reverse("suppliers:edit", args=[world.company.siret]) not in html  # anonymous: no edit link
    assert "Profil pré-rempli" not in html


def test_members_see_the_edit_link(client, world):
    client.force_login(world.member)
    html = client.get(reverse("suppliers:detail", args=[world.company.siret])).content.decode()
    assert f'href="{reverse("suppliers:edit", args=[world.company.siret])}">Modifier le profil' in html
    client.force_login(world.rival_member)
    html = client.get(reverse("suppliers:detail", args=[world.company.siret])).content.decode()
    assert reverse("suppliers:edit", args=[world.company.siret]) not in html
    assert "Rattachez-vous à l'entreprise" in html


def test_a_supplier_without_profile_shows_its_references(client, world):
    win(world.rival, buyer=world.buyer, cpv="45000000", amount_initial=Decimal("1000"))
    win(world.rival, buyer=world.buyer, cpv="45000000", amount_initial=Decimal("5000000"), amount_suspicious=True)
    html = client.get(reverse("suppliers:detail", args=[world.rival.siret])).content.decode()
    assert "n'a pas encore complété son profil fournisseur" in html
    assert "Aucune activité déclarée." in html
    assert "1 marché au montant douteux n'est pas compté dans le total" in html
    assert "1\u202f000\u202f€" in html  # the total, short form
    assert "douteux</span>" in html


def test_a_prefilled_profile_is_flagged(client, world):
    SupplierProfile.objects.create(organisation=world.company, prefilled=True)
    html = client.get(reverse("suppliers:detail", args=[world.company.siret])).content.decode()
    assert "Profil pré-rempli</strong> d'après les marchés attribués" in html


def test_not_a_supplier_or_malformed_is_404(client, world):
    assert client.get(reverse("suppliers:detail", args=[world.buyer.siret])).status_code == 404
    assert client.get(reverse("suppliers:detail", args=["123"])).status_code == 404
    assert client.get(reverse("suppliers:detail", args=[world.company.siret[:-1] + "x"])).status_code == 404
    unknown = OrganisationFactory.build().siret
    assert client.get(reverse("suppliers:detail", args=[unknown])).status_code == 404


def test_an_organisation_that_is_both_buyer_and_supplier(client, world):
    both = BuyerFactory(name="Régie des transports", is_supplier=True)
    assert client.get(reverse("suppliers:detail", args=[both.siret])).status_code == 200
