"""Who may request and decide memberships (tremplin.policy, through the services), and who is e-mailed."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tremplin import policy
from tremplin.organisations.models import Membership, MembershipStatus, Organisation, Role
from tremplin.organisations.services import MembershipError, PermissionDenied, decide_membership, request_membership

pytestmark = pytest.mark.django_db

PENDING, ACTIVE, REJECTED = MembershipStatus.PENDING, MembershipStatus.ACTIVE, MembershipStatus.REJECTED


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Menuiserie Dupont")


@pytest.fixture
def member(organisation):
    return MembershipFactory(organisation=organisation, user__email="membre@dupont.fr").user


@pytest.fixture
def staff():
    return UserFactory(email="equipe@tremplin.fr", is_staff=True)


@pytest.fixture
def request_(organisation):
    """A pending request to the organisation by a verified user."""
    return MembershipFactory(organisation=organisation, status=PENDING, user__email="candidat@exemple.fr")


# Requesting


def test_anonymous_cannot_request():
    with pytest.raises(PermissionDenied):
        request_membership(AnonymousUser(), OrganisationFactory().siret, Role.COMPANY_MEMBER)


def test_unverified_email_cannot_request(organisation):
    user = UserFactory(email_verified_at=None)
    with pytest.raises(PermissionDenied, match="Confirmez d'abord votre adresse e-mail"):
        request_membership(user, organisation.siret, Role.COMPANY_MEMBER)
    assert not Membership.objects.filter(user=user).exists()


def test_inactive_user_cannot_request(organisation):
    with pytest.raises(PermissionDenied):
        request_membership(UserFactory(is_active=False), organisation.siret, Role.COMPANY_MEMBER)


def test_request_mails_the_active_members_only(organisation, member, staff, mailoutbox):
    MembershipFactory(organisation=organisation, status=PENDING, user__email="attente@dupont.fr")
    MembershipFactory(organisation=organisation, user__email="parti@dupont.fr", user__is_active=False)
    MembershipFactory(user__email="ailleurs@autre.fr")  # member of another organisation
    requester = UserFactory(email="candidat@exemple.fr", full_name="Camille Martin")

    membership = request_membership(requester, organisation.siret, Role.COMPANY_MEMBER, message="Je suis gérante.")

    assert (membership.status, membership.role, membership.message) == (
        PENDING,
        Role.COMPANY_MEMBER,
        "Je suis gérante.",
    )
    assert [m.to for m in mailoutbox] == [["membre@dupont.fr"]]
    assert "Camille Martin (candidat@exemple.fr)" in mailoutbox[0].body
    assert "Je suis gérante." in mailoutbox[0].body


def test_request_to_an_organisation_without_members_mails_active_staff(organisation, staff, mailoutbox):
    UserFactory(email="ancien@tremplin.fr", is_staff=True, is_active=False)
    request_membership(UserFactory(), organisation.siret, Role.COMPANY_MEMBER)
    assert [m.to for m in mailoutbox] == [["equipe@tremplin.fr"]]


def test_unknown_siret_needs_a_name_then_creates_the_organisation(staff):
    user = UserFactory()
    with pytest.raises(MembershipError, match="indiquez sa raison sociale"):
        request_membership(user, "21590163800019", Role.BUYER_AGENT)
    assert not Organisation.objects.exists()

    membership = request_membership(user, "215 901 638 00019", Role.BUYER_AGENT, name=" Ville de Croix ")
    organisation = membership.organisation
    assert (organisation.siret, organisation.name, organisation.is_buyer) == ("21590163800019", "Ville de Croix", True)


def test_malformed_siret_and_unknown_role_are_refused(organisation):
    user = UserFactory()
    with pytest.raises(MembershipError, match="clé de contrôle incorrecte"):
        request_membership(user, "21590163800018", Role.COMPANY_MEMBER, name="X")
    with pytest.raises(MembershipError, match="Rôle inconnu"):
        request_membership(user, organisation.siret, "owner")


def test_pending_or_active_requests_cannot_be_repeated_but_a_rejected_one_can(organisation, request_, member):
    with pytest.raises(MembershipError, match="déjà en attente"):
        request_membership(request_.user, organisation.siret, Role.COMPANY_MEMBER)
    with pytest.raises(MembershipError, match="déjà rattaché"):
        request_membership(member, organisation.siret, Role.COMPANY_MEMBER)

    decide_membership(member, request_, approve=False, reason="Inconnu")
    again = request_membership(request_.user, organisation.siret, Role.COMPANY_MEMBER, message="Nouvelle demande")
    assert again.pk == request_.pk
    assert (again.status, again.decided_by, again.decision_reason) == (PENDING, None, "")


# Deciding: every denial


def test_anonymous_cannot_decide(request_):
    assert not policy.can_decide_membership(AnonymousUser(), request_)
    with pytest.raises(PermissionDenied):
        decide_membership(AnonymousUser(), request_, approve=True)


@pytest.mark.parametrize(
    "make_decider",
    [
        pytest.param(lambda org: UserFactory(), id="non-member"),
        pytest.param(lambda org: MembershipFactory(organisation=org, status=PENDING).user, id="pending-member"),
        pytest.param(lambda org: MembershipFactory(organisation=org, status=REJECTED).user, id="rejected-member"),
        pytest.param(lambda org: MembershipFactory().user, id="member-of-another-organisation"),
        pytest.param(lambda org: MembershipFactory(organisation=org, user__is_active=False).user, id="inactive"),
    ],
)
def test_who_is_not_an_active_member_cannot_decide(organisation, member, request_, make_decider, mailoutbox):
    decider = make_decider(organisation)
    assert not policy.can_decide_membership(decider, request_)
    with pytest.raises(PermissionDenied, match="Vous ne pouvez pas décider de cette demande"):
        decide_membership(decider, request_, approve=True)
    request_.refresh_from_db()
    assert request_.status == PENDING
    assert mailoutbox == []


def test_nobody_decides_their_own_request_not_even_staff(organisation, staff):
    own = MembershipFactory(organisation=organisation, user=staff, status=PENDING)
    with pytest.raises(PermissionDenied):
        decide_membership(staff, own, approve=True)
    assert Membership.objects.get(pk=own.pk).status == PENDING


def test_non_staff_cannot_decide_for_an_organisation_without_members(organisation, request_):
    outsider = UserFactory()
    assert not organisation.memberships.active().exists()
    with pytest.raises(PermissionDenied):
        decide_membership(outsider, request_, approve=True)


# Deciding: the allowed paths


def test_member_approves_and_only_the_requester_is_mailed(organisation, member, staff, request_, mailoutbox):
    organisation.is_supplier = False
    organisation.save()

    decided = decide_membership(member, request_, approve=True, reason="  Bienvenue  ")

    decided.refresh_from_db()
    assert (decided.status, decided.decided_by, decided.decision_reason) == (ACTIVE, member, "Bienvenue")
    assert decided.decided_at is not None
    assert Organisation.objects.get(pk=organisation.pk).is_supplier  # the role's flag is set on approval
    assert [m.to for m in mailoutbox] == [["candidat@exemple.fr"]]
    assert "acceptée" in mailoutbox[0].body and "Bienvenue" in mailoutbox[0].body


def test_member_rejects(member, request_, mailoutbox):
    decide_membership(member, request_, approve=False, reason="Personne inconnue")
    request_.refresh_from_db()
    assert request_.status == REJECTED
    assert mailoutbox[0].subject == "[Tremplin] Rattachement refusé : Menuiserie Dupont"


def test_staff_approves_when_the_organisation_has_no_members(request_, staff, mailoutbox):
    decide_membership(staff, request_, approve=True)
    assert Membership.objects.get(pk=request_.pk).status == ACTIVE
    assert [m.to for m in mailoutbox] == [["candidat@exemple.fr"]]


def test_a_decided_request_cannot_be_decided_again_even_from_a_stale_copy(member, request_, mailoutbox):
    stale = Membership.objects.get(pk=request_.pk)
    decide_membership(member, request_, approve=True)
    with pytest.raises(MembershipError, match="déjà été traitée"):
        decide_membership(member, stale, approve=False)
    assert Membership.objects.get(pk=request_.pk).status == ACTIVE
    assert len(mailoutbox) == 1


# Seeing a request


def test_who_can_see_a_request(organisation, member, staff, request_):
    assert policy.can_view_membership(request_.user, request_)
    assert policy.can_view_membership(member, request_)
    assert policy.can_view_membership(staff, request_)
    assert not policy.can_view_membership(AnonymousUser(), request_)
    assert not policy.can_view_membership(UserFactory(), request_)
    assert not policy.can_view_membership(MembershipFactory(organisation=organisation, status=PENDING).user, request_)
    assert not policy.can_view_membership(MembershipFactory().user, request_)
