"""Use cases on organisations: claiming one (membership requests) and deciding on the requests.

Access is checked here through tremplin.policy, so that views and API share one behaviour."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tremplin import policy
from tremplin.core.mail import absolute_url, send_templated
from tremplin.organisations.models import Membership, MembershipStatus, Organisation, Role
from tremplin.organisations.rules import InvalidIdentifier, validate_siret


class MembershipError(Exception):
    """A request that cannot be made or decided; the message is French, for the user."""


class PermissionDenied(MembershipError):
    pass


ROLE_FLAG = {Role.BUYER_AGENT: "is_buyer", Role.COMPANY_MEMBER: "is_supplier", Role.FACILITATOR: "is_network"}


def approvers_of(organisation: Organisation) -> list[str]:
    """E-mail addresses of who decides on a request for this organisation: its active members, else staff."""
    from django.contrib.auth import get_user_model

    members = list(organisation.memberships.active().filter(user__is_active=True).values_list("user__email", flat=True))
    if members:
        return members
    return list(get_user_model().objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))


@transaction.atomic
def request_membership(user, siret: str, role: str, message: str = "", name: str = "") -> Membership:
    """`user` asks to act for the organisation with this SIRET, in `role`.

    An unknown SIRET creates the organisation when a `name` is given (platform staff will then approve);
    otherwise it is an error. A refused request can be made again; an active or pending one cannot."""
    if not policy.can_request_membership(user):
        raise PermissionDenied("Confirmez d'abord votre adresse e-mail pour vous rattacher à une organisation.")
    if role not in Role.values:
        raise MembershipError("Rôle inconnu.")
    try:
        siret = validate_siret(siret)
    except InvalidIdentifier as exc:
        raise MembershipError(str(exc)) from exc

    organisation = Organisation.objects.filter(siret=siret).first()
    if organisation is None:
        if not name.strip():
            raise MembershipError(
                "Aucune organisation n'est enregistrée avec ce SIRET : indiquez sa raison sociale pour la créer."
            )
        organisation = Organisation(siret=siret, name=name.strip())
        setattr(organisation, ROLE_FLAG[role], True)
        organisation.save()

    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership and membership.status == MembershipStatus.ACTIVE:
        raise MembershipError(f"Vous êtes déjà rattaché(e) à {organisation.name}.")
    if membership and membership.status == MembershipStatus.PENDING:
        raise MembershipError(f"Votre demande de rattachement à {organisation.name} est déjà en attente.")
    if membership is None:
        membership = Membership(user=user, organisation=organisation)
    membership.role = role
    membership.message = message.strip()
    membership.status = MembershipStatus.PENDING
    membership.decided_at = None
    membership.decided_by = None
    membership.decision_reason = ""
    membership.requested_at = timezone.now()
    membership.save()

    send_templated(
        [email for email in approvers_of(organisation) if email != user.email],
        f"Demande de rattachement à {organisation.name}",
        "emails/membership_requested.txt",
        {
            "membership": membership,
            "organisation": organisation,
            "requester": user,
            "url": absolute_url(reverse("organisations:requests", args=[organisation.siret])),
        },
    )
    return membership


@transaction.atomic
def decide_membership(decider, membership: Membership, approve: bool, reason: str = "") -> Membership:
    if not policy.can_decide_membership(decider, membership):
        raise PermissionDenied("Vous ne pouvez pas décider de cette demande.")
    # Lock the row and read the stored status: two approvers acting at once must not both decide.
    stored_status = Membership.objects.select_for_update().values_list("status", flat=True).get(pk=membership.pk)
    if stored_status != MembershipStatus.PENDING:
        raise MembershipError("Cette demande a déjà été traitée.")
    membership.status = MembershipStatus.ACTIVE if approve else MembershipStatus.REJECTED
    membership.decided_at = timezone.now()
    membership.decided_by = decider
    membership.decision_reason = reason.strip()
    membership.save()
    organisation = membership.organisation
    flag = ROLE_FLAG[membership.role]
    if approve and not getattr(organisation, flag):
        setattr(organisation, flag, True)
        organisation.save()
    send_templated(
        [membership.user.email],
        ("Rattachement accepté : " if approve else "Rattachement refusé : ") + organisation.name,
        "emails/membership_decided.txt",
        {"membership": membership, "organisation": organisation, "url": absolute_url(reverse("organisations:mine"))},
    )
    return membership
