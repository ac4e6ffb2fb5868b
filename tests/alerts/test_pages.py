"""Saved-search pages: list, create (prefilled), edit, delete, preview, feed links, regeneration, and 404 for
anyone but the owner."""

import re

import pytest
from django.urls import reverse

from tests.alerts.conftest import make_search, match
from tests.factories import UserFactory
from tremplin.alerts.models import SavedSearch
from tremplin.matching.types import FORECAST, LOT, NOTICE, OpportunityQuery

pytestmark = pytest.mark.django_db

CREATE = reverse("alerts:create")


def form_data(**fields):
    data = {
        "name": "Rénovation d'écoles",
        "text": "école",
        "cpv": "45214200-2, 45000000",
        "departments": "69, 42",
        "kinds": [FORECAST, LOT],
        "min_amount": "",
        "max_amount": "900000",
        "frequency": "weekly",
        "is_active": "on",
    }
    data.update(fields)
    return data


def test_pages_need_a_login(client, people):
    search = make_search(people.owner)
    for url in (reverse("alerts:list"), CREATE, search.get_absolute_url(), reverse("alerts:edit", args=[search.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_list_shows_only_my_searches(client, people):
    from tremplin.suppliers.models import SupplierProfile

    make_search(people.owner, name="Ma recherche bois")
    make_search(people.other, name="Recherche d'une autre personne")
    client.force_login(people.owner)
    html = client.get(reverse("alerts:list")).content.decode()
    assert "Ma recherche bois" in html
    assert "autre personne" not in html
    assert "?profil=" not in html  # my company has no supplier profile yet
    SupplierProfile.objects.create(organisation=people.company)
    SupplierProfile.objects.create(organisation=people.outsider_company)
    html = client.get(reverse("alerts:list")).content.decode()
    assert f"?profil={people.company.siret}" in html  # create from my supplier profile
    assert "Créer depuis le profil fournisseur de Menuiserie Solidaire" in html
    assert people.outsider_company.siret not in html


def test_creating_a_search(client, people, fake_matching):
    client.force_login(people.owner)
    response = client.post(CREATE, form_data(organisation=str(people.company.pk)))
    search = SavedSearch.objects.get()
    assert response.status_code == 302 and response.url == search.get_absolute_url()
    assert (search.user, search.organisation, search.name) == (people.owner, people.company, "Rénovation d'écoles")
    assert search.cpv == ["45214200", "45000000"]
    assert search.departments == ["69", "42"]
    assert search.kinds == [FORECAST, LOT]
    assert (search.min_amount, search.max_amount, search.frequency, search.is_active) == (None, 900000, "weekly", True)
    assert len(search.feed_token) >= 32


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"cpv": "45214200, 4"}, "Code CPV invalide « 4 »"),
        ({"cpv": "99999999"}, "Code CPV inconnu du vocabulaire CPV 2008 : 99999999."),
        ({"departments": "69, Rhône"}, "Code de département invalide « Rhône »"),
        ({"departments": "01"}, "Département inconnu : 01."),
        ({"kinds": []}, "Choisissez au moins un type d&#x27;opportunité."),
        ({"min_amount": "1000000"}, "Le montant minimum dépasse le montant maximum."),
        ({"max_amount": "-5"}, "supérieure ou égale à 0"),
        ({"max_amount": "beaucoup"}, "Saisissez un nombre entier."),
        ({"frequency": "hourly"}, "Sélectionnez un choix valide"),
        ({"regions": ["99"]}, "Région inconnue : « 99 »."),
    ],
)
def test_bad_input_gives_a_french_error_and_saves_nothing(client, people, fields, message):
    client.force_login(people.owner)
    response = client.post(CREATE, form_data(**fields))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire n'a pas pu être envoyé" in html
    assert message in html
    assert not SavedSearch.objects.exists()


def test_a_search_cannot_be_saved_for_someone_elses_company(client, people):
    client.force_login(people.owner)
    html = client.post(CREATE, form_data(organisation=str(people.outsider_company.pk))).content.decode()
    assert "Choisissez une entreprise dont vous êtes membre." in html
    assert not SavedSearch.objects.exists()


def test_the_form_is_prefilled_from_a_matching_link(client, people):
    client.force_login(people.owner)
    params = {"text": "menuiserie bois", "cpv": "45214200", "departement": ["69", "42"], "type": "avis"}
    html = client.get(CREATE, params).content.decode()
    assert 'value="menuiserie bois"' in html
    assert 'name="cpv" value="45214200"' in html
    assert 'name="departments" value="69, 42"' in html
    assert f'name="kinds" value="{NOTICE}" id="id_kinds_2" checked' in html
    assert f'name="kinds" value="{FORECAST}" id="id_kinds_0" checked' not in html
    assert re.search(r'name="frequency" value="daily"[^>]*checked', html)
    assert re.search(r'name="is_active"[^>]*checked', html)
    assert '<label class="field__label" for="id_cpv">Codes CPV</label>' in html


def test_the_form_is_prefilled_from_my_supplier_profile(client, people, fake_matching):
    from tremplin.suppliers.models import SupplierProfile

    SupplierProfile.objects.create(organisation=people.company)
    fake_matching.profile_query = OpportunityQuery(text="menuiserie", cpv=("45214200",), regions=("84",))
    client.force_login(people.owner)
    html = client.get(CREATE, {"profil": people.company.siret}).content.decode()
    assert "Critères repris du profil fournisseur de Menuiserie Solidaire" in html
    assert 'value="Opportunités pour Menuiserie Solidaire"' in html
    assert 'name="cpv" value="45214200"' in html
    assert 'name="regions" value="84" id="id_regions_0" checked' in html
    assert f'<option value="{people.company.pk}" selected>Menuiserie Solidaire</option>' in html
    assert "menuiserie" not in html.split('name="text"')[1].split(">")[0]  # the description is not taken as keywords


def test_the_profile_of_a_company_i_do_not_belong_to_is_not_used(client, people, fake_matching):
    from tremplin.suppliers.models import SupplierProfile

    SupplierProfile.objects.create(organisation=people.outsider_company)
    fake_matching.profile_query = OpportunityQuery(text="secret")
    client.force_login(people.owner)
    html = client.get(CREATE, {"profil": people.outsider_company.siret}).content.decode()
    assert "Aucun profil fournisseur que vous pouvez utiliser" in html
    assert "secret" not in html


def test_the_search_page_previews_results_and_links_the_feeds(client, people, fake_matching):
    search = make_search(people.owner, text="école")
    fake_matching.add(match(1, "Rénovation de l'école Jean Zay"), match(2, "Voirie"))
    client.force_login(people.owner)
    html = client.get(search.get_absolute_url()).content.decode()
    assert "Rénovation de l&#x27;école Jean Zay" in html and "Voirie" not in html
    assert "Même code CPV que votre recherche" in html
    assert f"/alertes/flux/{search.feed_token}.atom" in html
    assert f"/alertes/flux/{search.feed_token}.ics" in html
    assert fake_matching.calls[-1]["query"] == search.query()
    assert fake_matching.calls[-1]["since"] is None


def test_editing_my_search(client, people):
    search = make_search(people.owner)
    client.force_login(people.owner)
    url = reverse("alerts:edit", args=[search.pk])
    assert 'value="Menuiserie dans le Rhône"' in client.get(url).content.decode()
    response = client.post(url, form_data(name="Nouveau nom", is_active=""))
    assert response.status_code == 302
    search.refresh_from_db()
    assert (search.name, search.is_active, search.frequency) == ("Nouveau nom", False, "weekly")


def test_deleting_my_search_asks_then_deletes_on_post(client, people):
    search = make_search(people.owner)
    client.force_login(people.owner)
    url = reverse("alerts:delete", args=[search.pk])
    assert "Supprimer la recherche" in client.get(url).content.decode()
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    assert client.post(url).status_code == 302
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_regenerating_the_feed_link_kills_the_old_one(client, people, fake_matching):
    search = make_search(people.owner)
    old = search.feed_token
    client.force_login(people.owner)
    assert client.get(reverse("alerts:regenerate", args=[search.pk])).status_code == 405
    assert client.post(reverse("alerts:regenerate", args=[search.pk])).status_code == 302
    search.refresh_from_db()
    assert search.feed_token != old
    assert client.get(reverse("alerts:atom", args=[old])).status_code == 404
    assert client.get(reverse("alerts:atom", args=[search.feed_token])).status_code == 200


@pytest.mark.parametrize("viewer", ["other", "staff"])
def test_someone_elses_search_does_not_exist(client, people, fake_matching, viewer):
    search = make_search(people.owner)
    client.force_login(people.other if viewer == "other" else UserFactory(is_staff=True))
    for name in ("detail", "edit", "delete"):
        assert client.get(reverse(f"alerts:{name}", args=[search.pk])).status_code == 404
    for name in ("edit", "delete", "regenerate"):
        assert client.post(reverse(f"alerts:{name}", args=[search.pk]), form_data()).status_code == 404
    search.refresh_from_db()
    assert search.name == "Menuiserie dans le Rhône"
    assert fake_matching.calls == []


def test_posting_needs_the_csrf_token(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.owner)
    assert client.post(CREATE, form_data()).status_code == 403
    assert not SavedSearch.objects.exists()
