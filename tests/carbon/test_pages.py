"""Pages: the public factor list, an organisation's estimates with their lines, and who may see what."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tremplin.carbon.models import EmissionFactor, Estimate, EstimateLine

pytestmark = pytest.mark.django_db


def add_line(client, estimate, section, **data):
    prefixed = {f"{section}-{key}": value for key, value in data.items()}
    return client.post(reverse("carbon:line_add", args=[estimate.pk, section]), prefixed)


# ---------- Factors ----------


def test_without_factors_the_list_says_none_is_loaded(client):
    html = client.get(reverse("carbon:factors")).content.decode().replace("&nbsp;", "\u00a0")
    assert "Aucun facteur d'émission n'est encore chargé sur cette plateforme." in html


def test_factor_list_shows_source_and_validity_with_search_and_filters(client, fake_factors):
    html = client.get(reverse("carbon:factors")).content.decode().replace("&nbsp;", "\u00a0")
    assert "7 facteurs sur 7." in html
    assert "0,0961\u00a0kgCO2e/t·km" in html and "depuis le 01/01/2025" in html
    assert "du 01/01/2024 au 31/12/2024" in html
    assert '<a href="https://exemple.fr/fictif/acier" rel="noopener">Jeu d&#x27;essai FICTIF</a>' in html
    assert "réf. FICTIF-ACIER" in html
    assert "Importer des facteurs" not in html
    found = client.get(reverse("carbon:factors"), {"q": "electricite"}).context["page"].object_list
    assert [f.source_reference for f in found] == ["FICTIF-ELEC"]
    transport = client.get(reverse("carbon:factors"), {"kind": "transport"}).context["page"].object_list
    assert {f.source_reference for f in transport} == {"FICTIF-CAMION"} and len(transport) == 2
    on_2024 = client.get(reverse("carbon:factors"), {"kind": "transport", "date": "2024-06-01"}).context["page"]
    assert [f.value for f in on_2024.object_list] == [Decimal("0.1")]
    assert client.get(reverse("carbon:factors"), {"kind": "nope", "date": "hier"}).status_code == 200


# ---------- Creating an estimate and its lines ----------


def test_a_company_member_builds_an_estimate_with_one_line_per_section(client, world, fake_factors):
    client.force_login(world.company_member)
    response = client.post(
        reverse("carbon:estimate_create"),
        {
            "organisation": world.company.pk,
            "title": "Offre lot 2",
            "reference_date": "2025-06-01",
            "forecast": world.forecast.pk,
            "lot": "2",
            "shared_with_buyer": "on",
        },
    )
    estimate = Estimate.objects.get()
    assert response.status_code == 302 and response.url == estimate.get_absolute_url()
    assert (estimate.organisation, estimate.lot, estimate.created_by) == (
        world.company,
        world.lot,
        world.company_member,
    )

    add_line(client, estimate, "production", description="Chaises", factor="FICTIF-MOBILIER", quantity="3", unit="unit")
    add_line(client, estimate, "transport", description="Livraison", factor="FICTIF-CAMION", tonnes="0,5", km="33")
    response = add_line(
        client,
        estimate,
        "use",
        description="Éclairage",
        factor="FICTIF-ELEC",
        energy_per_year="2",
        unit="mwh",
        years="3",
    )
    assert response.status_code == 302
    lines = {line.section: line for line in estimate.lines.all()}
    assert lines["production"].kgco2e == Decimal("37.037")
    # The 2025 version of the truck factor (valid at the reference date), not the 2024 one.
    assert (lines["transport"].factor_value, lines["transport"].kgco2e) == (Decimal("0.0961"), Decimal("1.586"))
    assert lines["transport"].transport_mode == "road"
    assert lines["use"].kgco2e == Decimal("300.000")  # 2 000 kWh × 0,05 × 3

    html = client.get(estimate.get_absolute_url()).content.decode().replace("&nbsp;", "\u00a0")
    assert "338,623\u00a0kgCO2e" in html  # 37,037 + 1,586 + 300
    assert "FICTIF camion articulé 40 t" in html and "0,0961\u00a0kgCO2e/t·km · valide depuis le 01/01/2025" in html
    assert "Source : Jeu d&#x27;essai FICTIF (réf. FICTIF-CAMION)" in html
    assert "2\u00a0MWh/an × 3\u00a0ans" in html
    listing = client.get(reverse("carbon:estimates")).content.decode()
    assert "Offre lot 2" in listing and "338,623\u00a0kgCO2e" in listing


def test_line_errors_are_french_and_on_the_field(client, world, offer):
    client.force_login(world.company_member)
    response = add_line(
        client, offer, "production", description="Acier", factor="FICTIF-ACIER", quantity="5", unit="unit"
    )
    assert response.status_code == 422
    html = response.content.decode().replace("&nbsp;", "\u00a0")
    assert "Le formulaire n'a pas pu être envoyé" in html
    assert "indiquez une masse (kg ou t), pas un nombre d&#x27;unités" in html
    assert '<details class="carbon-add" open>' in html
    response = add_line(client, offer, "transport", description="", factor="FICTIF-CAMION", tonnes="-1", km="x")
    errors = response.context["line_forms"]["transport"].errors
    assert errors["description"] == ["Ce champ est obligatoire."]
    assert errors["tonnes"] == ["Indiquez un nombre positif."]
    assert errors["km"] == ["« x » n'est pas un nombre (par exemple 0,0961)."]
    # A factor of another section is not offered, and refused if posted.
    response = add_line(
        client, offer, "use", description="x", factor="FICTIF-ACIER", energy_per_year="1", unit="kwh", years="1"
    )
    assert "Sélectionnez un choix valide" in response.context["line_forms"]["use"].errors["factor"][0]
    assert offer.lines.count() == 0
    assert add_line(client, offer, "autre", description="x").status_code == 404


def test_no_factor_valid_at_the_reference_date(client, world, offer):
    offer.reference_date = datetime.date(2023, 1, 1)
    offer.save()
    client.force_login(world.company_member)
    html = client.get(offer.get_absolute_url()).content.decode().replace("&nbsp;", "\u00a0")
    assert html.count("Aucun facteur de ce type n'est valide au 01/01/2023") == 3


def test_changing_the_reference_date_recomputes_with_the_factor_then_valid(client, world, offer):
    client.force_login(world.company_member)
    add_line(client, offer, "transport", description="Livraison", factor="FICTIF-CAMION", tonnes="12", km="250")
    assert offer.lines.get().kgco2e == Decimal("288.300")  # 12 × 250 × 0,0961
    response = client.post(
        reverse("carbon:estimate_edit", args=[offer.pk]),
        {"title": offer.title, "reference_date": "15/03/2024", "forecast": world.forecast.pk, "lot": "2"},
    )
    assert response.status_code == 302
    line = offer.lines.get()
    assert (line.factor_value, line.kgco2e) == (Decimal("0.1"), Decimal("300.000"))
    # Back to 2023: no version is valid; the line is kept as it was and the person is told.
    response = client.post(
        reverse("carbon:estimate_edit", args=[offer.pk]),
        {"title": offer.title, "reference_date": "2023-01-01"},
        follow=True,
    )
    assert "Ligne non recalculée — Livraison : Aucune valeur du facteur" in response.content.decode().replace(
        "&nbsp;", "\u00a0"
    )
    assert offer.lines.get().kgco2e == Decimal("300.000")


def test_a_corrected_factor_does_not_silently_change_past_lines(client, world, offer):
    client.force_login(world.company_member)
    add_line(client, offer, "production", description="Acier", factor="FICTIF-ACIER", quantity="1,5", unit="t")
    EmissionFactor.objects.filter(source_reference="FICTIF-ACIER").update(value=Decimal("2.5"))
    line = offer.lines.get()
    assert (line.factor_value, line.kgco2e, line.factor_changed) == (Decimal("2"), Decimal("3000.000"), True)
    html = client.get(offer.get_absolute_url()).content.decode().replace("&nbsp;", "\u00a0")
    assert "Facteur corrigé depuis : valeur actuelle 2,5\u00a0kgCO2e/kg" in html
    client.post(reverse("carbon:estimate_recompute", args=[offer.pk]))
    assert offer.lines.get().kgco2e == Decimal("3750.000")


def test_estimate_form_errors(client, world, fake_factors):
    client.force_login(world.company_member)
    response = client.post(
        reverse("carbon:estimate_create"),
        {"organisation": world.buyer.pk, "title": "", "reference_date": "32/01/2025", "forecast": "999999", "lot": "1"},
    )
    errors = response.context["form"].errors
    assert errors["title"] == ["Ce champ est obligatoire."]
    assert errors["reference_date"] == ["Saisissez une date valide (JJ/MM/AAAA)."]
    assert errors["forecast"] == ["Aucune prévision d'achat ne porte ce numéro."]
    assert "organisation" in errors  # not one of theirs
    response = client.post(
        reverse("carbon:estimate_create"),
        {"organisation": world.company.pk, "title": "x", "reference_date": "2025-01-01", "forecast": world.draft.pk},
    )
    assert response.context["form"].errors["forecast"] == ["Prévision d'achat introuvable."]
    response = client.post(
        reverse("carbon:estimate_create"),
        {
            "organisation": world.company.pk,
            "title": "x",
            "reference_date": "2025-01-01",
            "forecast": world.forecast.pk,
            "lot": "9",
        },
    )
    assert response.context["form"].errors["lot"] == ["Cette prévision n'a pas de lot portant ce numéro."]
    response = client.post(
        reverse("carbon:estimate_create"),
        {"organisation": world.company.pk, "title": "x", "reference_date": "2025-01-01", "shared_with_buyer": "on"},
    )
    assert response.context["form"].errors["shared_with_buyer"] == ["Le partage suppose une prévision d'achat liée."]
    assert Estimate.objects.count() == 0


def test_linking_a_contract_needs_the_owner_to_be_its_buyer_or_holder(client, world, fake_factors):
    mine = ContractFactory(buyer=world.buyer, key="CLE-MIENNE")
    other = ContractFactory(key="CLE-AUTRE")
    ContractHolderFactory(contract=mine, organisation=world.company)
    client.force_login(world.company_member)
    data = {"organisation": world.company.pk, "title": "Après attribution", "reference_date": "2025-01-01"}
    response = client.post(reverse("carbon:estimate_create"), {**data, "contract": "CLE-AUTRE"})
    assert "seul son acheteur ou un titulaire" in response.context["form"].errors["contract"][0]
    assert other.pk
    response = client.post(reverse("carbon:estimate_create"), {**data, "contract": "CLE-MIENNE"})
    assert Estimate.objects.get().contract == mine


def test_people_without_a_writing_role_cannot_create(client, world):
    client.force_login(world.facilitator)
    assert client.get(reverse("carbon:estimate_create")).status_code == 403
    assert "Nouvelle estimation" not in client.get(reverse("carbon:estimates")).content.decode().replace(
        "&nbsp;", "\u00a0"
    )


# ---------- Access ----------


def estimate_urls(estimate):
    return [reverse(name, args=[estimate.pk]) for name in ("carbon:estimate", "carbon:estimate_summary")]


def write_urls(estimate):
    return [
        reverse(name, args=[estimate.pk])
        for name in ("carbon:estimate_edit", "carbon:estimate_recompute", "carbon:estimate_delete")
    ] + [reverse("carbon:line_add", args=[estimate.pk, "production"])]


@pytest.mark.parametrize("who", ["other_company_member", "buyer_agent", "other_buyer_agent", "pending_member", "staff"])
def test_an_estimate_does_not_exist_for_others(client, world, offer, who):
    line = EstimateLine.objects.create(
        estimate=offer,
        section="production",
        description="x",
        quantity=1,
        unit="kg",
        factor=EmissionFactor.objects.get(source_reference="FICTIF-ACIER"),
        factor_value=2,
        factor_unit="kg",
        kgco2e=2,
    )
    client.force_login(getattr(world, who))
    for url in estimate_urls(offer):
        assert client.get(url).status_code == 404, url
    for url in write_urls(offer) + [reverse("carbon:line_delete", args=[offer.pk, line.pk])]:
        assert client.post(url).status_code == 404, url
    for url in write_urls(offer)[::2]:  # the edit form and the deletion confirmation
        assert client.get(url).status_code == 404, url
    assert offer.title not in client.get(reverse("carbon:estimates")).content.decode().replace("&nbsp;", "\u00a0")
    assert Estimate.objects.filter(pk=offer.pk).exists() and offer.lines.count() == 1


def test_anonymous_visitors_go_to_the_login_page(client, offer):
    for url in [*estimate_urls(offer), reverse("carbon:estimates")]:
        assert client.get(url).status_code == 302


def test_a_facilitator_of_the_owner_reads_but_does_not_write(client, world, offer):
    client.force_login(world.facilitator)
    assert client.get(offer.get_absolute_url()).status_code == 200
    for url in write_urls(offer):
        assert client.post(url).status_code == 404, url
    assert client.get(reverse("carbon:estimate_edit", args=[offer.pk])).status_code == 404


def test_sharing_with_the_forecast_buyer(client, world, offer):
    client.force_login(world.buyer_agent)
    assert client.get(offer.get_absolute_url()).status_code == 404
    offer.shared_with_buyer = True
    offer.save()
    html = client.get(offer.get_absolute_url()).content.decode().replace("&nbsp;", "\u00a0")
    assert "vous la consultez sans pouvoir la modifier" in html
    assert "Ajouter la ligne" not in html
    assert "partagée avec vous" in client.get(reverse("carbon:estimates")).content.decode().replace("&nbsp;", "\u00a0")
    for url in write_urls(offer):
        assert client.post(url).status_code == 404, url
    client.force_login(world.other_buyer_agent)
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_deleting_a_line_and_the_estimate(client, world, offer):
    client.force_login(world.company_member)
    add_line(client, offer, "production", description="Acier", factor="FICTIF-ACIER", quantity="1", unit="kg")
    line = offer.lines.get()
    client.post(reverse("carbon:line_delete", args=[offer.pk, line.pk]))
    assert offer.lines.count() == 0
    confirmation = client.get(reverse("carbon:estimate_delete", args=[offer.pk])).content.decode()
    assert "Supprimer l'estimation « Offre lot 2 — chaises » ?" in confirmation
    assert Estimate.objects.exists()
    assert client.post(reverse("carbon:estimate_delete", args=[offer.pk])).url == reverse("carbon:estimates")
    assert not Estimate.objects.exists()


def test_printable_summary(client, world, offer):
    client.force_login(world.company_member)
    add_line(client, offer, "production", description="Béton", factor="FICTIF-BETON", quantity="1200", unit="kg")
    html = client.get(reverse("carbon:estimate_summary", args=[offer.pk])).content.decode().replace("&nbsp;", "\u00a0")
    assert "Estimation carbone : Offre lot 2 — chaises" in html
    assert "540,000\u00a0kgCO2e" in html and "soit 0,540\u00a0tCO2e" in html
    assert "450\u00a0kgCO2e/tonne" in html and "incertitude 20\u00a0%" in html
    assert "Supprimer" not in html and "Chaque ligne est arrondie au gramme" in html
