"""Membership requests and decisions through the API (token auth)."""

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tremplin.organisations.models import Membership, MembershipStatus, Organisation

pytestmark = pytest.mark.django_db

PENDING, ACTIVE = MembershipStatus.PENDING, MembershipStatus.ACTIVE


def post(client, url, payload, headers=None):
    return client.post(url, payload, content_type="application/json", headers=headers or {})


def request_url(siret):
    return f"/api/v1/organisations/{siret}/membership-requests"


def decision_url(membership_id):
    return f"/api/v1/organisations/membership-requests/{membership_id}/decision"


@pytest.fixture
def organisation():
    return OrganisationFactory(siret="47718101000091", name="API Restauration")


@pytest.fixture
def member(organisation):
    return MembershipFactory(organisation=organisation, user__email="gerant@api-restauration.fr").user


@pytest.fixture
def pending(organisation):
    return MembershipFactory(organisation=organisation, status=PENDING, user__email="candidat@exemple.fr")


# Requests


def test_request_needs_a_token(client, organisation):
    response = post(client, request_url(organisation.siret), {"role": "company_member"})
    assert response.status_code == 401
    assert "Authentification requise" in response.json()["detail"]
    assert not Membership.objects.exists()


def test_request_creates_a_pending_membership_and_mails_the_members(client, bearer, organisation, member, mailoutbox):
    requester = UserFactory(email="candidat@exemple.fr")

    response = post(
        client,
        request_url(organisation.siret),
        {"role": "company_member", "message": "Responsable commercial"},
        bearer(requester),
    )

    assert response.status_code == 201, response.content
    data = response.json()
    membership = Membership.objects.get(user=requester)
    assert data["id"] == membership.pk
    assert data["organisation"] == {"siret": "47718101000091", "name": "API Restauration"}
    assert (data["role"], data["role_label"]) == ("company_member", "Membre de l'entreprise")
    assert (data["status"], data["status_label"]) == ("pending", "En attente de validation")
    assert (data["message"], data["decided_at"], data["decision_reason"]) == ("Responsable commercial", None, "")
    assert [m.to for m in mailoutbox] == [["gerant@api-restauration.fr"]]


def test_request_for_an_unknown_siret_creates_the_organisation_when_named(client, bearer):
    headers = bearer(UserFactory())
    url = request_url("21590163800019")

    refused = post(client, url, {"role": "buyer_agent"}, headers)
    assert refused.status_code == 400
    assert "indiquez sa raison sociale" in refused.json()["detail"]

    created = post(client, url, {"role": "buyer_agent", "name": "Ville de Croix"}, headers)
    assert created.status_code == 201
    assert Organisation.objects.get(siret="21590163800019").is_buyer


def test_request_errors(client, bearer, organisation, pending):
    unverified = post(
        client, request_url(organisation.siret), {"role": "company_member"}, bearer(UserFactory(email_verified_at=None))
    )
    assert unverified.status_code == 403
    assert "Confirmez d'abord votre adresse e-mail" in unverified.json()["detail"]

    twice = post(client, request_url(organisation.siret), {"role": "company_member"}, bearer(pending.user))
    assert twice.status_code == 400
    assert twice.json() == {"detail": "Votre demande de rattachement à API Restauration est déjà en attente."}

    malformed = post(client, request_url("47718101000092"), {"role": "company_member"}, bearer(pending.user))
    assert malformed.status_code == 400
    assert "clé de contrôle incorrecte" in malformed.json()["detail"]

    unknown_role = post(client, request_url(organisation.siret), {"role": "owner"}, bearer(UserFactory()))
    assert unknown_role.status_code == 422


# Decisions


def test_decision_needs_a_token(client, pending):
    assert post(client, decision_url(pending.pk), {"approve": True}).status_code == 401


def test_member_approves_then_a_second_decision_is_a_409(client, bearer, member, pending, mailoutbox):
    headers = bearer(member)

    response = post(client, decision_url(pending.pk), {"approve": True, "reason": "Bienvenue"}, headers)

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decision_reason"]) == ("active", "Bienvenue")
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (ACTIVE, member)
    assert [m.to for m in mailoutbox] == [["candidat@exemple.fr"]]

    again = post(client, decision_url(pending.pk), {"approve": False}, headers)
    assert again.status_code == 409
    assert again.json() == {"detail": "Cette demande a déjà été traitée."}


def test_staff_approves_when_the_organisation_has_no_members(client, bearer, pending):
    response = post(client, decision_url(pending.pk), {"approve": False}, bearer(UserFactory(is_staff=True)))
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"


@pytest.mark.parametrize(
    "make_decider",
    [
        pytest.param(lambda org: UserFactory(), id="non-member"),
        pytest.param(lambda org: MembershipFactory(organisation=org, status=PENDING).user, id="pending-member"),
        pytest.param(lambda org: MembershipFactory().user, id="member-of-another-organisation"),
    ],
)
def test_who_may_not_see_the_request_gets_a_404(client, bearer, organisation, member, pending, make_decider):
    response = post(client, decision_url(pending.pk), {"approve": True}, bearer(make_decider(organisation)))
    assert response.status_code == 404
    assert response.json() == {"detail": "Demande de rattachement introuvable."}
    assert Membership.objects.get(pk=pending.pk).status == PENDING


def test_unknown_request_is_the_same_404(client, bearer, member):
    response = post(client, decision_url(999999), {"approve": True}, bearer(member))
    assert (response.status_code, response.json()) == (404, {"detail": "Demande de rattachement introuvable."})


def test_the_requester_sees_but_cannot_decide_their_own_request(client, bearer, pending):
    response = post(client, decision_url(pending.pk), {"approve": True}, bearer(pending.user))
    assert response.status_code == 403
    assert response.json() == {"detail": "Vous ne pouvez pas décider de cette demande."}
    assert Membership.objects.get(pk=pending.pk).status == PENDING
