"""Unsubscribing from an e-mail link (no login, a confirmation then a POST) and the demo searches."""

import pytest
from django.urls import reverse

from tests.alerts.conftest import make_search
from tremplin.alerts import services
from tremplin.alerts.demo import create_demo_searches
from tremplin.alerts.models import SavedSearch

pytestmark = pytest.mark.django_db


def test_unsubscribing_asks_then_stops_the_emails_only(client, people):
    search = make_search(people.owner)
    url = reverse("alerts:unsubscribe", args=[services.unsubscribe_token(search)])
    html = client.get(url).content.decode()
    assert "Ne plus recevoir d'e-mail pour la recherche « Menuiserie dans le Rhône » ?" in html
    search.refresh_from_db()
    assert search.is_active  # a GET (link scanners) changes nothing
    html = client.post(url).content.decode()
    assert "vous ne recevrez plus d'e-mail" in html
    search.refresh_from_db()
    assert not search.is_active and SavedSearch.objects.filter(pk=search.pk).exists()


@pytest.mark.parametrize("token", ["faux", "MQ:1xUz9z:abc"])
def test_a_forged_unsubscribe_link_is_a_404(client, people, token):
    search = make_search(people.owner)
    response = client.post(reverse("alerts:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert "Lien de désabonnement invalide." in response.content.decode()
    search.refresh_from_db()
    assert search.is_active


def test_the_unsubscribe_link_of_a_deleted_search(client, people):
    search = make_search(people.owner)
    url = reverse("alerts:unsubscribe", args=[services.unsubscribe_token(search)])
    search.delete()
    response = client.get(url)
    assert response.status_code == 404 and "Cette alerte n&#x27;existe plus." in response.content.decode()


def test_demo_searches_are_idempotent(people):
    first = create_demo_searches(people.owner, people.company)
    again = create_demo_searches(people.owner, people.company)
    assert [s.pk for s in first] == [s.pk for s in again]
    assert SavedSearch.objects.filter(user=people.owner).count() == 2
    building = SavedSearch.objects.get(name="Travaux de bâtiment dans le Rhône")
    assert (building.cpv, building.departments, building.organisation) == (["45000000"], ["69"], people.company)


def test_demo_searches_are_not_attached_to_a_company_the_user_does_not_belong_to(people):
    [search, _] = create_demo_searches(people.other, people.company)
    assert search.organisation is None
