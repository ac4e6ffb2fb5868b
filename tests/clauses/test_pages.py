"""Pages: the panels on forecast and contract pages, adding clauses, the insertion follow-up, the public summary
and its CSV, the EGalim page — and who is refused (404 for what one may not see)."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests.clauses.conftest import insertion_type
from tremplin.clauses import services
from tremplin.clauses.models import Clause, ClauseType, EgalimPurchase, HoursDeclaration

TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def clause(world):
    return services.attach_clause(world.agent, world.contract, insertion_type(), {"hours_due": 800})


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_contract_panel_is_public_with_totals(client, world, clause):
    services.declare_hours(world.company_member, clause, None, TODAY, TODAY, D(200), today=TODAY)
    page = client.get(world.contract.get_absolute_url()).content.decode()
    assert "Clause sociale d&#x27;insertion" in page
    assert "200 h</strong> sur 800 h dues" in page and "25\u00a0%" in page
    assert reverse("clauses:contract_add", args=[world.contract.key]) not in page
    assert reverse("clauses:followup", args=[world.contract.key]) not in page


def test_contract_panel_offers_actions_to_who_may(client, world, clause):
    page = login(client, world.agent).get(world.contract.get_absolute_url()).content.decode()
    assert reverse("clauses:contract_add", args=[world.contract.key]) in page
    assert "Suivi des heures d'insertion" in page
    client.force_login(world.company_member)
    page = client.get(world.contract.get_absolute_url()).content.decode()
    assert "Déclarer des heures d'insertion" in page
    assert reverse("clauses:contract_add", args=[world.contract.key]) not in page


def test_buyer_adds_an_insertion_clause_to_a_contract(client, world):
    login(client, world.agent)
    url = reverse("clauses:contract_add", args=[world.contract.key])
    form = client.get(url).content.decode()
    assert "pratique courante, non réglementaire" in form and "833 heures" in form
    response = client.post(
        url,
        {
            "clause_type": insertion_type().pk,
            "amount_excl_vat": "1 000 000",
            "labour_share": "50",
            "insertion_rate": "5",
            "hourly_cost": "30",
        },
    )
    assert response.status_code == 302
    assert Clause.objects.get(contract=world.contract).hours_due == 833


def test_bad_input_gives_french_errors_not_500(client, world):
    login(client, world.agent)
    url = reverse("clauses:contract_add", args=[world.contract.key])
    response = client.post(url, {"clause_type": insertion_type().pk, "hourly_cost": "gratuit", "labour_share": "150"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire n'a pas pu être envoyé" in page
    assert "Indiquez un nombre" in page and "inférieure ou égale à 100" in page
    response = client.post(url, {"clause_type": insertion_type().pk})
    assert "Indiquez les heures dues ou les éléments de leur calcul" in response.content.decode()
    assert not Clause.objects.exists()


def test_buyer_adds_a_reserved_clause_to_a_lot(client, world):
    login(client, world.agent)
    url = reverse("clauses:forecast_add", args=[world.forecast.pk])
    reserved = ClauseType.objects.get(code="reserve")
    response = client.post(url, {"clause_type": reserved.pk, "lot": str(world.lot.pk), "target_text": "L2113-13"})
    assert response.status_code == 302
    assert Clause.objects.get().lot == world.lot
    page = client.get(world.forecast.get_absolute_url()).content.decode()
    assert "Marché ou lot réservé" in page and "Lot 1 — Gros œuvre" in page


@pytest.mark.parametrize("who", [None, "other_agent", "company_member", "facilitator"])
def test_add_pages_are_404_to_others(client, world, who):
    login(client, getattr(world, who) if who else None)
    for url in (
        reverse("clauses:contract_add", args=[world.contract.key]),
        reverse("clauses:forecast_add", args=[world.forecast.pk]),
    ):
        response = client.get(url)
        assert response.status_code == (302 if who is None else 404)
    assert client.post(reverse("clauses:forecast_add", args=[world.forecast.pk]), {}).status_code in (302, 404)
    assert not Clause.objects.exists()


def test_draft_forecast_clause_is_hidden(client, world):
    services.attach_clause(world.agent, world.draft, insertion_type(), {"hours_due": 10})
    login(client, world.other_agent)
    assert client.get(reverse("clauses:forecast_add", args=[world.draft.pk])).status_code == 404
    assert client.post(reverse("clauses:remove", args=[Clause.objects.get().pk])).status_code == 404
    assert Clause.objects.exists()


def test_remove_clause(client, world, clause):
    login(client, world.other_agent)
    assert client.post(reverse("clauses:remove", args=[clause.pk])).status_code == 404
    login(client, world.agent)
    assert client.post(reverse("clauses:remove", args=[clause.pk])).status_code == 302
    assert not Clause.objects.exists()


def test_company_declares_hours_on_the_followup(client, world, clause):
    login(client, world.company_member)
    url = reverse("clauses:followup", args=[world.contract.key])
    data = {"clause": clause.pk, "organisation": world.company.siret, "period_start": "2025-01-01"}
    response = client.post(url, data | {"period_end": "2025-03-31", "hours": "120,5"})
    assert response.status_code == 302
    assert HoursDeclaration.objects.get().hours == D("120.5")
    response = client.post(url, data | {"period_end": "2025-02-28", "hours": "10"})
    assert "chevauche" in response.content.decode()
    page = client.get(url).content.decode()
    assert "120,5" in page and "15,1\u00a0%" in page  # 120,5 ÷ 800 = 15,06 %


@pytest.mark.parametrize("who", ["other_company_member", "other_agent"])
def test_followup_is_404_to_others(client, world, clause, who):
    login(client, getattr(world, who))
    url = reverse("clauses:followup", args=[world.contract.key])
    assert client.get(url).status_code == 404
    data = {"clause": clause.pk, "period_start": "2025-01-01", "period_end": "2025-01-31", "hours": "5"}
    assert client.post(url, data).status_code == 404
    assert not HoursDeclaration.objects.exists()


def test_buyer_sees_followup_but_cannot_declare(client, world, clause):
    login(client, world.agent)
    url = reverse("clauses:followup", args=[world.contract.key])
    page = client.get(url)
    assert page.status_code == 200 and "Déclarer des heures réalisées" not in page.content.decode()
    data = {"clause": clause.pk, "period_start": "2025-01-01", "period_end": "2025-01-31", "hours": "5"}
    assert client.post(url, data).status_code == 404


def test_withdraw_declaration(client, world, clause):
    declaration = services.declare_hours(world.company_member, clause, None, TODAY, TODAY, 5, today=TODAY)
    url = reverse("clauses:declaration_withdraw", args=[declaration.pk])
    login(client, world.other_company_member)
    assert client.post(url).status_code == 404
    login(client, world.facilitator)  # sees declarations, did not make this one
    assert client.post(url).status_code == 404
    login(client, world.company_member)
    assert client.post(url).status_code == 302
    assert not HoursDeclaration.objects.exists()


def test_public_overview_and_csv(client, world, clause):
    services.declare_hours(world.company_member, clause, None, TODAY, TODAY, D(200), today=TODAY)
    page = client.get(reverse("clauses:overview")).content.decode()
    assert "Ville de Lyon" in page and "Rhône (69)" in page and "25\u00a0%" in page
    assert "Clause d&#x27;interprétariat" in page and "non réglementaire" in page
    csv = client.get(reverse("clauses:overview_csv") + "?year=2024").content.decode("utf-8-sig")
    assert csv.splitlines()[1] == f"2024;{world.buyer.siret};Ville de Lyon;69;1;800;200;25,0"
    empty = client.get(reverse("clauses:overview") + "?year=2023").content.decode()
    assert "Aucune clause d'insertion" in empty
    assert client.get(reverse("clauses:overview") + "?year=abc").status_code == 200


def test_egalim_page_for_the_buyer(client, world):
    login(client, world.agent)
    url = reverse("clauses:egalim")
    data = {"year": "2024", "family": "viandes_poissons", "category": "siqo", "amount_excl_vat": "600"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data | {"family": "viandes_poissons", "category": "autres", "amount_excl_vat": "400"})
    page = client.get(url + "?annee=2024").content.decode()
    assert "60\u00a0%" in page and "atteint" in page
    bad = client.post(url, data | {"amount_excl_vat": "-3", "year": "2999"}).content.decode()
    assert "Le formulaire n'a pas pu être envoyé" in bad
    assert EgalimPurchase.objects.count() == 2


def test_egalim_page_refusals(client, world):
    purchase = services.declare_egalim(world.agent, world.buyer, 2024, "bio", "autres_denrees", D(20))
    login(client, world.other_agent)
    page = client.get(reverse("clauses:egalim") + f"?organisation={world.buyer.siret}")
    assert page.status_code == 404
    assert client.post(reverse("clauses:egalim_delete", args=[purchase.pk])).status_code == 404
    login(client, world.company_member)
    assert "Vous n'êtes membre d'aucun acheteur" in client.get(reverse("clauses:egalim")).content.decode()
    client.logout()
    assert client.get(reverse("clauses:egalim")).status_code == 302
    assert EgalimPurchase.objects.count() == 1


def test_staff_edit_the_practice_defaults_in_the_admin(client, db):
    from tests.factories import UserFactory
    from tremplin.clauses.models import InsertionDefaults

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    defaults = InsertionDefaults.current()
    url = reverse("admin:clauses_insertiondefaults_change", args=[defaults.pk])
    response = client.post(
        url, {"insertion_rate": "7", "hourly_cost": "28", "default_labour_share": "45", "source": defaults.source}
    )
    assert response.status_code == 302
    assert InsertionDefaults.current().insertion_rate == D(7)
    assert client.get(reverse("admin:clauses_labourshare_changelist")).status_code == 200
    assert client.get(reverse("admin:clauses_insertiondefaults_add")).status_code == 403  # one row only


def test_csv_numbers_do_not_depend_on_the_database_scale():
    # PostgreSQL sums a decimal column as 200.00 where SQLite gives 200: the CSV shows 200 either way.
    from decimal import Decimal

    from tremplin.clauses.views import _plain

    assert [_plain(v) for v in (Decimal("200.00"), Decimal("200"), Decimal("250.50"), 833, None)] == [
        "200", "200", "250,5", "833", ""
    ]  # fmt: skip
