"""Forecast pages: the public list and its filters, the detail, writing a forecast with its lots (a formset that
works without JavaScript), French errors with a summary, status changes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.opportunities.factories import ForecastFactory, LotFactory, reserve
from tremplin.opportunities.models import Forecast

pytestmark = pytest.mark.django_db

LIST = reverse("opportunities:list")


def titles(response) -> list[str]:
    return [forecast.title for forecast in response.context["page"].object_list]


@pytest.fixture
def catalogue(world):
    school = ForecastFactory(buyer=world.buyer, title="École des Pentes", publication_quarter="2026-T3")
    LotFactory(forecast=school, number=1, title="Menuiseries", cpv_id="45210000", reservation="L2113-13")
    reserve(school)
    transport = ForecastFactory(
        buyer=world.other_buyer,
        title="Transport scolaire",
        category="services",
        cpv_id="60112000",
        publication_target_date=None,
        publication_quarter="2027-T1",
        departments=["13"],
    )
    transport.communes.set(["42218"])
    ForecastFactory(buyer=world.buyer, title="Chaufferie (attribuée)", status="awarded")
    ForecastFactory(buyer=world.buyer, title="Brouillon secret", status="draft")
    return school, transport


def test_the_public_list_and_its_filters(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["École des Pentes", "Transport scolaire"]  # by target quarter
    html = response.content.decode()
    assert "2 prévisions" in html
    assert "Réservé SIAE" in html and "1 lot" in html
    assert titles(client.get(LIST, {"status": "tous"})) == [
        "École des Pentes",
        "Chaufferie (attribuée)",
        "Transport scolaire",
    ]
    assert titles(client.get(LIST, {"cpv": "60"})) == ["Transport scolaire"]
    assert titles(client.get(LIST, {"cpv": "45210000-2"})) == ["École des Pentes"]  # a lot's code counts
    assert titles(client.get(LIST, {"department": "42"})) == ["Transport scolaire"]  # through a commune
    assert titles(client.get(LIST, {"department": "69"})) == ["École des Pentes"]
    assert titles(client.get(LIST, {"category": "services"})) == ["Transport scolaire"]
    assert titles(client.get(LIST, {"quarter": "2027-T1"})) == ["Transport scolaire"]
    assert titles(client.get(LIST, {"reserved": "oui"})) == ["École des Pentes"]
    assert titles(client.get(LIST, {"reserved": "L2113-13"})) == ["École des Pentes"]
    assert titles(client.get(LIST, {"reserved": "L2113-12"})) == []
    assert titles(client.get(LIST, {"q": "ecole pentes"})) == ["École des Pentes"]
    # An unknown department is ignored rather than failing the page.
    assert client.get(LIST, {"department": "999", "category": "services"}).status_code == 200


def test_the_detail_page(client, catalogue, world):
    school, _ = catalogue
    html = client.get(reverse("opportunities:detail", args=[school.pk])).content.decode()
    assert "<h1>École des Pentes</h1>" in html
    assert "250\u202f000\u202f€ HT" in html
    assert "15 septembre 2026" in html
    assert "45214200 — Travaux de construction de bâtiments scolaires" in html
    assert "Rhône (69)" in html
    assert "Réservé aux structures d&#x27;insertion, SIAE (L2113-13)" in html
    assert "Appel d&#x27;offres ouvert" in html
    assert reverse("opportunities:edit", args=[school.pk]) not in html  # anonymous
    client.force_login(world.agent)
    html = client.get(reverse("opportunities:detail", args=[school.pk])).content.decode()
    assert reverse("opportunities:edit", args=[school.pk]) in html
    assert "Passer en consultation" in html and "Abandonner" in html


def lot_management(total=2, initial=0) -> dict:
    return {"lots-TOTAL_FORMS": str(total), "lots-INITIAL_FORMS": str(initial), "lots-MIN_NUM_FORMS": "0"} | {
        "lots-MAX_NUM_FORMS": "50"
    }


def forecast_post(**overrides) -> dict:
    data = {
        "title": "Réfection des cours d'école",
        "description": "Enrobés, jeux, végétalisation.",
        "category": "travaux",
        "cpv": "45210000-2",
        "cpv_secondary": "45214200",
        "estimated_amount": "300 000",
        "max_duration_months": "12",
        "publication_target_date": "2026-10-05",
        "publication_quarter": "",
        "offer_deadline": "2026-11-10",
        "procedure_type": "aoo",
        "departments": "69",
        "communes": "69123",
        "keywords": "cours d'école, végétalisation",
        "contact_name": "Agnès Achat",
        "contact_email": "agnes@exemple.fr",
        "reservations": [],
        "social_kinds": ["clause_sociale"],
        **lot_management(),
        "lots-0-number": "",
        "lots-0-title": "Végétalisation",
        "lots-0-cpv": "",
        "lots-0-estimated_amount": "100 000",
        "lots-0-reservation": "L2113-13",
        "lots-1-number": "",
        "lots-1-title": "",
        "lots-1-cpv": "",
        "lots-1-estimated_amount": "",
        "lots-1-reservation": "",
    }
    data.update(overrides)
    return data


def test_an_agent_creates_a_draft_with_lots(client, world):
    client.force_login(world.agent)
    form_page = client.get(reverse("opportunities:create")).content.decode()
    assert '<label class="field__label" for="id_lots-0-title">Intitulé du lot</label>' in form_page
    assert 'value="agnes' not in form_page and world.agent.email in form_page  # contact prefilled
    response = client.post(reverse("opportunities:create"), forecast_post())
    forecast = Forecast.objects.get()
    assert response.status_code == 302 and response.url == forecast.get_absolute_url()
    assert (forecast.status, forecast.buyer, forecast.created_by) == ("draft", world.buyer, world.agent)
    assert (forecast.cpv_id, forecast.estimated_amount, forecast.publication_quarter) == (
        "45210000",
        Decimal("300000.00"),
        "2026-T4",
    )
    assert [c.pk for c in forecast.cpv_secondary.all()] == ["45214200"]
    assert forecast.keywords == ["cours d'école", "végétalisation"]
    assert forecast.social_kinds == ["clause_sociale", "marche_reserve"] and forecast.social_considerations
    assert forecast.reserved_articles == "L2113-13"
    lot = forecast.lots.get()
    assert (lot.number, lot.title, lot.estimated_amount, lot.reservation) == (1, "Végétalisation", 100000, "L2113-13")
    assert [change.to_status for change in forecast.status_changes.all()] == ["draft"]


def test_errors_are_in_french_with_a_summary_and_nothing_is_saved(client, world):
    client.force_login(world.agent)
    data = forecast_post(
        title="",
        cpv="99999999",
        departments="69, 00",
        estimated_amount="beaucoup",
        offer_deadline="2026-09-01",
        **{"lots-0-estimated_amount": "500 000", "lots-1-title": "Jeux", "lots-1-cpv": "12"},
    )
    response = client.post(reverse("opportunities:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Erreur : Nouvelle prévision" in html
    assert "Le formulaire n'a pas pu être envoyé" in html
    assert 'href="#id_title">Intitulé : Ce champ est obligatoire.' in html
    assert "Code CPV inconnu « 99999999 »." in html
    assert "Départements inconnus : 00." in html
    assert "« beaucoup » n&#x27;est pas un montant" in html
    assert 'href="#id_lots-1-cpv">Lots, ligne 2 — Code CPV du lot : Code CPV inconnu « 12 ».' in html
    assert not Forecast.objects.exists()

    # Cross-field rules come back from the service onto the fields.
    data = forecast_post(
        offer_deadline="2026-09-01", estimated_amount="50 000", **{"lots-0-estimated_amount": "60 000"}
    )
    html = client.post(reverse("opportunities:create"), data).content.decode()
    assert "La date limite de remise des offres doit suivre la publication prévue" in html
    assert "La somme des montants des lots (60\u202f000,00\u202f€) dépasse le montant estimé" in html
    assert not Forecast.objects.exists()


def test_editing_keeps_unchanged_lots_and_deletes_marked_ones(client, world):
    forecast = ForecastFactory(buyer=world.buyer, status="draft")
    LotFactory(forecast=forecast, number=1, title="Lot conservé")
    LotFactory(forecast=forecast, number=2, title="Lot supprimé")
    client.force_login(world.agent)
    page = client.get(reverse("opportunities:edit", args=[forecast.pk]))
    assert page.context["formset"].initial_form_count() == 2
    data = forecast_post(
        title="Titre modifié",
        **lot_management(total=4, initial=2),
        **{
            "lots-0-number": "1",
            "lots-0-title": "Lot conservé",
            "lots-0-estimated_amount": "",
            "lots-0-reservation": "",
        },
        **{"lots-1-number": "2", "lots-1-title": "Lot supprimé", "lots-1-DELETE": "on"},
        **{"lots-2-title": "Nouveau lot", "lots-2-number": "", "lots-3-title": ""},
    )
    response = client.post(reverse("opportunities:edit", args=[forecast.pk]), data)
    assert response.status_code == 302
    forecast.refresh_from_db()
    assert forecast.title == "Titre modifié"
    assert list(forecast.lots.values_list("number", "title")) == [(1, "Lot conservé"), (2, "Nouveau lot")]


def test_the_lifecycle_from_the_page(client, world):
    forecast = ForecastFactory(buyer=world.buyer, status="draft", description="", departments=[])
    client.force_login(world.agent)
    transition = reverse("opportunities:transition", args=[forecast.pk])
    html = client.get(forecast.get_absolute_url()).content.decode()
    assert "Avant de publier, indiquez la description du besoin et au moins un lieu d&#x27;exécution" in html

    response = client.post(transition, {"target": "published"}, follow=True)
    assert "Avant de publier, indiquez" in response.content.decode()
    forecast.refresh_from_db()
    assert forecast.status == "draft"

    forecast.description = "Le besoin."
    forecast.save()
    forecast.departments.set(["69"])
    response = client.post(transition, {"target": "published"}, follow=True)
    assert "La prévision est maintenant au statut « Publiée »." in response.content.decode()
    response = client.post(transition, {"target": "awarded"}, follow=True)
    assert "ne peut pas passer au statut « Attribuée »" in response.content.decode()
    client.post(transition, {"target": "abandoned"})
    forecast.refresh_from_db()
    assert forecast.status == "abandoned" and forecast.published_at is not None
    assert [c.to_status for c in forecast.status_changes.all()] == ["published", "abandoned"]
    response = client.get(reverse("opportunities:edit", args=[forecast.pk]), follow=True)
    assert "Une prévision « Abandonnée » ne se modifie plus." in response.content.decode()


def test_my_forecasts_page(client, world):
    ForecastFactory(buyer=world.buyer, title="Brouillon en cours", status="draft")
    client.force_login(world.agent)
    html = client.get(reverse("opportunities:mine")).content.decode()
    assert "Ville de Lyon" in html and "Brouillon en cours" in html
    assert f"{reverse('opportunities:create')}?organisation={world.buyer.siret}" in html
    assert reverse("opportunities:programme") in html


def test_a_reserved_lot_is_not_shown_as_a_reserved_contract(client, catalogue):
    school, _ = catalogue
    html = client.get(school.get_absolute_url()).content.decode()
    assert "Lot réservé SIAE (L2113-13)" in html
    school.reservations = ["L2113-13"]
    school.save()
    reserve(school)
    html = client.get(school.get_absolute_url()).content.decode()
    assert "Réservé SIAE (L2113-13)" in html and "Lot réservé SIAE" not in html
