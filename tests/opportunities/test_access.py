"""Who sees and writes what: a draft exists only for the members of its buyer (404 for everyone else, on pages
and API); forecasts are written by the buyer's agents; fairs are managed by the organiser's agents; a
registration is seen by the organiser and the registered company only."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.opportunities.conftest import bearer
from tests.opportunities.factories import FairFactory, ForecastFactory, RegistrationFactory
from tremplin.opportunities.models import Forecast

pytestmark = pytest.mark.django_db

API = "/api/v1/opportunities"


@pytest.fixture
def draft(world):
    return ForecastFactory(buyer=world.buyer, status="draft", title="Projet confidentiel de cantine")


@pytest.fixture
def published(world):
    return ForecastFactory(buyer=world.buyer, title="Réfection de la toiture du gymnase")


def outsiders(world):
    return [("autre acheteur", world.other_agent), ("entreprise", world.company_member), ("équipe", world.staff)]


def test_a_draft_page_is_404_for_everyone_but_the_buyer_members(client, world, draft):
    url = reverse("opportunities:detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    for _, user in outsiders(world):
        client.force_login(user)
        assert client.get(url).status_code == 404
    for user in (world.agent, world.buyer_colleague):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Brouillon :" in response.content.decode()


def test_drafts_never_appear_in_public_lists(client, world, draft, published):
    client.force_login(world.agent)
    html = client.get(reverse("opportunities:list"), {"status": "tous"}).content.decode()
    assert "Réfection de la toiture du gymnase" in html
    assert "Projet confidentiel de cantine" not in html
    body = client.get(f"{API}/forecasts", {"status": "draft"}, **bearer(world.agent)).json()
    assert body["count"] == 0
    assert client.get(f"{API}/forecasts").json()["count"] == 1


def test_my_forecasts_shows_drafts_to_members_only(client, world, draft):
    client.force_login(world.buyer_colleague)
    assert "Projet confidentiel de cantine" in client.get(reverse("opportunities:mine")).content.decode()
    client.force_login(world.company_member)
    html = client.get(reverse("opportunities:mine")).content.decode()
    assert "Projet confidentiel de cantine" not in html
    assert "Vous n'agissez pour aucun acheteur public" in html
    api = client.get(f"{API}/forecasts/mine", **bearer(world.other_agent)).json()
    assert api == []
    assert [f["title"] for f in client.get(f"{API}/forecasts/mine", **bearer(world.agent)).json()] == [draft.title]


def test_a_draft_is_404_in_the_api_for_everyone_but_the_buyer_members(client, world, draft):
    for path in (f"{API}/forecasts/{draft.pk}", f"{API}/forecasts/{draft.pk}/approch"):
        assert client.get(path).status_code == 404
        assert client.get(path).json() == {"detail": "Prévision inconnue."}
        for _, user in outsiders(world):
            assert client.get(path, **bearer(user)).status_code == 404
        assert client.get(path, **bearer(world.buyer_colleague)).status_code == 200
        client.force_login(world.agent)  # a session works too
        assert client.get(path).status_code == 200
        client.logout()
    assert client.get(f"{API}/forecasts/{draft.pk}", HTTP_AUTHORIZATION="Bearer faux").status_code == 401


def test_writing_pages_are_for_the_buyer_agents(client, world, draft, published):
    edit = reverse("opportunities:edit", args=[published.pk])
    assert client.get(edit).status_code == 302  # to the login page
    for user in (world.other_agent, world.company_member, world.buyer_colleague, world.staff):
        client.force_login(user)
        assert client.get(edit).status_code == 404
        assert client.get(reverse("opportunities:edit", args=[draft.pk])).status_code == 404
        response = client.post(reverse("opportunities:transition", args=[published.pk]), {"target": "abandoned"})
        assert response.status_code == 404
    for user in (world.company_member, world.buyer_colleague):
        client.force_login(user)
        for name in ("create", "programme", "fair_create"):
            response = client.get(reverse(f"opportunities:{name}"))
            assert response.status_code == 403
            assert "Réservé aux agents acheteurs" in response.content.decode()
    published.refresh_from_db()
    assert published.status == "published"
    client.force_login(world.agent)
    assert client.get(edit).status_code == 200
    assert client.get(reverse("opportunities:transition", args=[published.pk])).status_code == 405


def test_status_changes_need_the_csrf_token(world, published):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.agent)
    response = browser.post(reverse("opportunities:transition", args=[published.pk]), {"target": "abandoned"})
    assert response.status_code == 403
    response = browser.post(
        f"{API}/forecasts/{published.pk}/transition",
        json.dumps({"status": "abandoned"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    published.refresh_from_db()
    assert published.status == "published"


def test_api_writes_are_for_the_buyer_agents(client, world, draft, published):
    body = {"title": "Changement", "description": "x"}
    for user in (world.other_agent, world.company_member, world.buyer_colleague):
        headers = bearer(user)
        sees_drafts = user == world.buyer_colleague  # a member of the buyer, not one of its buyer agents
        draft_status = 403 if sees_drafts else 404
        assert (
            client.put(f"{API}/forecasts/{draft.pk}", body, "application/json", **headers).status_code == draft_status
        )
        response = client.put(f"{API}/forecasts/{published.pk}", body, "application/json", **headers)
        assert response.status_code == 403
        transition = {"status": "abandoned"}
        assert (
            client.post(f"{API}/forecasts/{draft.pk}/transition", transition, "application/json", **headers).status_code
            == draft_status
        )
        assert (
            client.post(
                f"{API}/forecasts/{published.pk}/transition", transition, "application/json", **headers
            ).status_code
            == 403
        )
        create = {**body, "buyer_siret": world.buyer.siret}
        assert client.post(f"{API}/forecasts", create, "application/json", **headers).status_code == 403
    assert (
        client.post(f"{API}/forecasts", {**body, "buyer_siret": world.buyer.siret}, "application/json").status_code
        == 401
    )
    assert Forecast.objects.filter(title="Changement").count() == 0


def test_fair_management_is_for_the_organiser_agents(client, world):
    fair = FairFactory(organiser=world.buyer)
    registration = RegistrationFactory(fair=fair, organisation=world.company, user=world.company_member)
    for user in (world.other_agent, world.company_member, world.buyer_colleague):
        client.force_login(user)
        assert client.get(reverse("opportunities:fair_edit", args=[fair.pk])).status_code == 404
        assert client.post(reverse("opportunities:fair_cancel", args=[fair.pk])).status_code == 404
        html = client.get(reverse("opportunities:fair", args=[fair.pk])).content.decode()
        assert "Entreprises inscrites" not in html
    fair.refresh_from_db()
    assert fair.cancelled_at is None

    # Somebody else's registration does not exist for them (page and API).
    unregister = reverse("opportunities:fair_unregister", args=[fair.pk, registration.pk])
    for user in (world.other_agent, world.other_company_member):
        client.force_login(user)
        assert client.post(unregister).status_code == 404
        path = f"{API}/fairs/{fair.pk}/registrations/{registration.pk}"
        assert client.delete(path, **bearer(user)).status_code == 404
        assert client.get(f"{API}/fairs/{fair.pk}/registrations", **bearer(user)).json() == []
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    listed = client.get(f"{API}/fairs/{fair.pk}/registrations", **bearer(world.agent)).json()
    assert [r["organisation"]["name"] for r in listed] == ["Menuiserie Solidaire"]
    assert client.get(f"{API}/fairs/{fair.pk}/registrations", **bearer(world.company_member)).json()[0]["id"] == (
        registration.pk
    )


def test_only_company_members_register_their_company(client, world):
    fair = FairFactory(organiser=world.buyer)
    for user in (world.agent, world.other_company_member, world.buyer_colleague):
        response = client.post(
            f"{API}/fairs/{fair.pk}/registrations", {"siret": world.company.siret}, "application/json", **bearer(user)
        )
        assert response.status_code == 403
        client.force_login(user)
        client.post(reverse("opportunities:fair_register", args=[fair.pk]), {"organisation": world.company.siret})
    assert not fair.registrations.exists()
    assert client.get(f"{API}/fairs/999999").status_code == 404
