"""Saved searches API: own searches only (404 otherwise), same checks and French messages as the pages."""

import pytest

from tests.alerts.conftest import bearer, make_search, match
from tremplin.alerts.models import SavedSearch

pytestmark = pytest.mark.django_db

BASE = "/api/v1/alerts/searches"


def payload(**fields):
    data = {"name": "Écoles du Rhône", "text": "école", "cpv": ["45214200-2"], "departments": ["69"], "kinds": ["lot"]}
    data.update(fields)
    return data


def test_authentication_is_required(client, people):
    assert client.get(BASE).status_code == 401
    assert client.post(BASE, payload(), content_type="application/json").status_code == 401
    assert client.get(BASE, HTTP_AUTHORIZATION="Bearer faux").status_code == 401


def test_create_read_update_delete(client, people, fake_matching):
    auth = bearer(people.owner)
    response = client.post(BASE, payload(organisation=people.company.pk), content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    search = SavedSearch.objects.get()
    assert body["id"] == search.pk and search.user == people.owner
    assert body["cpv"] == ["45214200"] and body["kinds"] == ["lot"] and body["frequency"] == "daily"
    company = people.company
    assert body["organisation"] == {"id": company.pk, "siret": company.siret, "name": "Menuiserie Solidaire"}
    assert body["feeds"]["atom"].endswith(f"/alertes/flux/{search.feed_token}.atom")
    assert body["url"].endswith(f"/alertes/{search.pk}/")

    assert [item["id"] for item in client.get(BASE, **auth).json()] == [search.pk]
    assert client.get(f"{BASE}/{search.pk}", **auth).json()["name"] == "Écoles du Rhône"

    response = client.put(
        f"{BASE}/{search.pk}",
        payload(name="Renommée", frequency="weekly", is_active=False),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    search.refresh_from_db()
    assert (search.name, search.frequency, search.is_active, search.organisation) == ("Renommée", "weekly", False, None)

    assert client.delete(f"{BASE}/{search.pk}", **auth).status_code == 204
    assert not SavedSearch.objects.exists()


def test_results_are_the_current_ranked_matches(client, people, fake_matching):
    search = make_search(people.owner, text="")
    fake_matching.add(*[match(pk, f"Opportunité {pk}", deadline=None) for pk in range(1, 6)])
    response = client.get(f"{BASE}/{search.pk}/results", {"limit": 2, "offset": 1}, **bearer(people.owner))
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == ["forecast:2", "forecast:3"]
    assert body[0]["reasons"] == ["Même code CPV que votre recherche", "Dans le Rhône (69)"]
    assert fake_matching.calls[-1]["query"] == search.query()
    assert client.get(f"{BASE}/{search.pk}/results", {"limit": 1000}, **bearer(people.owner)).status_code == 422


def test_someone_elses_search_does_not_exist(client, people, fake_matching):
    search = make_search(people.owner)
    auth = bearer(people.other)
    assert client.get(BASE, **auth).json() == []
    assert client.get(f"{BASE}/{search.pk}", **auth).status_code == 404
    assert client.get(f"{BASE}/{search.pk}/results", **auth).status_code == 404
    assert client.put(f"{BASE}/{search.pk}", payload(), content_type="application/json", **auth).status_code == 404
    assert client.delete(f"{BASE}/{search.pk}", **auth).status_code == 404
    assert client.get(f"{BASE}/999999", **auth).json() == {"detail": "Recherche enregistrée inconnue."}
    search.refresh_from_db()
    assert search.name == "Menuiserie dans le Rhône"
    assert fake_matching.calls == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"cpv": ["99999999"]}, "cpv", "Code CPV inconnu du vocabulaire CPV 2008 : 99999999."),
        ({"departments": ["Rhône"]}, "departments", "Code de département invalide « Rhône »"),
        ({"kinds": []}, "kinds", "Choisissez au moins un type d'opportunité."),
        ({"kinds": ["tout"]}, "kinds", "Sélectionnez un choix valide"),
        ({"frequency": "hourly"}, "frequency", "Sélectionnez un choix valide"),
        ({"min_amount": 10, "max_amount": 5}, "max_amount", "Le montant minimum dépasse le montant maximum."),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_a_400_with_french_messages(client, people, fields, field, message):
    response = client.post(BASE, payload(**fields), content_type="application/json", **bearer(people.owner))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Recherche invalide : corrigez les champs indiqués."
    assert any(message in text for text in body["errors"][field]), body
    assert not SavedSearch.objects.exists()


def test_a_search_cannot_be_saved_for_a_company_i_am_not_a_member_of(client, people):
    response = client.post(
        BASE, payload(organisation=people.outsider_company.pk), content_type="application/json", **bearer(people.owner)
    )
    assert response.status_code == 400
    assert response.json()["errors"]["organisation"] == ["Choisissez une entreprise dont vous êtes membre."]
    response = client.post(
        BASE, payload(organisation=people.company.pk), content_type="application/json", **bearer(people.other)
    )
    assert response.status_code == 400


def test_session_writes_need_csrf(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.owner)
    assert client.get(BASE).status_code == 200
    assert client.post(BASE, payload(), content_type="application/json").status_code == 403


def test_the_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/alerts/searches", "/api/v1/alerts/searches/{pk}", "/api/v1/alerts/searches/{pk}/results"} <= set(
        paths
    )
