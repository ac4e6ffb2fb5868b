"""Pending membership requests: only for who may see the organisation's private side; decisions by POST."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tremplin.organisations.models import MembershipStatus, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Menuiserie Durand")


@pytest.fixture
def member(organisation):
    return MembershipFactory(organisation=organisation, user__full_name="Alice Martin").user


@pytest.fixture
def request_(organisation):
    return MembershipFactory(
        organisation=organisation,
        user__full_name="Nina Rey",
        status=MembershipStatus.PENDING,
        role=Role.COMPANY_MEMBER,
        message="Je suis la comptable.",
    )


def page(organisation):
    return reverse("organisations:requests", args=[organisation.siret])


def decide_url(membership):
    return reverse("organisations:decide", args=[membership.organisation.siret, membership.pk])


def test_anonymous_visitors_are_sent_to_the_login_page(client, organisation):
    response = client.get(page(organisation))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_non_members_get_a_404(client, organisation, request_):
    client.force_login(UserFactory())
    assert client.get(page(organisation)).status_code == 404
    assert client.post(decide_url(request_), {"decision": "accepter"}).status_code == 404
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.PENDING


def test_a_pending_requester_gets_a_404(client, organisation, request_):
    client.force_login(request_.user)
    assert client.get(page(organisation)).status_code == 404


def test_a_malformed_siret_is_a_404(client, member):
    client.force_login(member)
    assert client.get("/organisations/123/demandes/").status_code == 404


def test_a_member_sees_the_pending_requests(client, organisation, member, request_):
    client.force_login(member)
    response = client.get(page(organisation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Demandes de rattachement</h1>" in html
    assert "En attente (1)" in html
    assert "Nina Rey" in html and request_.user.email in html
    assert "Je suis la comptable." in html
    assert f'action="{decide_url(request_)}"' in html
    assert f'<label class="field__label" for="motif-{request_.pk}">Motif du refus</label>' in html


def test_approving_makes_the_requester_a_member(client, organisation, member, request_, mailoutbox):
    client.force_login(member)
    response = client.post(decide_url(request_), {"decision": "accepter"}, follow=True)
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.ACTIVE
    assert request_.decided_by == member
    assert "Nina Rey est maintenant membre de Menuiserie Durand." in response.content.decode()
    assert [mail.to for mail in mailoutbox] == [[request_.user.email]]
    assert "Aucune demande en attente." in response.content.decode()


def test_rejecting_records_the_reason(client, organisation, member, request_, mailoutbox):
    client.force_login(member)
    client.post(decide_url(request_), {"decision": "refuser", "reason": "Personne inconnue du service"})
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REJECTED
    assert request_.decision_reason == "Personne inconnue du service"
    assert "Motif : Personne inconnue du service" in mailoutbox[0].body
    html = client.get(page(organisation)).content.decode()
    assert "Dernières décisions" in html and "Refusée" in html


def test_a_decision_is_taken_once(client, organisation, member, request_):
    client.force_login(member)
    client.post(decide_url(request_), {"decision": "accepter"})
    response = client.post(decide_url(request_), {"decision": "refuser"}, follow=True)
    assert "Cette demande a déjà été traitée." in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.ACTIVE


def test_an_incomplete_decision_changes_nothing(client, member, request_):
    client.force_login(member)
    response = client.post(decide_url(request_), {"decision": "peut-etre"}, follow=True)
    assert "Décision incomplète" in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.PENDING


def test_decisions_need_a_post(client, member, request_):
    client.force_login(member)
    assert client.get(decide_url(request_)).status_code == 405


def test_staff_decide_for_an_organisation_without_members(client):
    organisation = OrganisationFactory()
    pending = MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(page(organisation)).status_code == 200
    client.post(decide_url(pending), {"decision": "accepter"})
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.ACTIVE


def test_staff_cannot_decide_on_their_own_request(client):
    staff = UserFactory(is_staff=True)
    mine = MembershipFactory(user=staff, status=MembershipStatus.PENDING)
    client.force_login(staff)
    html = client.get(page(mine.organisation)).content.decode()
    assert "C'est votre propre demande" in html
    assert f'action="{decide_url(mine)}"' not in html
    response = client.post(decide_url(mine), {"decision": "accepter"}, follow=True)
    assert "Vous ne pouvez pas décider de cette demande." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == MembershipStatus.PENDING


def test_a_membership_of_another_organisation_is_a_404(client, member):
    elsewhere = MembershipFactory(status=MembershipStatus.PENDING)
    client.force_login(member)
    url = reverse("organisations:decide", args=[member.memberships.get().organisation.siret, elsewhere.pk])
    assert client.post(url, {"decision": "accepter"}).status_code == 404
