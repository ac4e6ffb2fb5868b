"""Who may do what: the one place where access rules live. Views and API call these functions and nothing
else decides access. Each function takes the acting user (possibly anonymous) and the object."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tremplin.organisations.models import Membership, Organisation


def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_platform_staff(user) -> bool:
    return is_authenticated(user) and user.is_staff


def active_roles(user, organisation: Organisation) -> set[str]:
    """The roles in which `user` acts for `organisation` (empty when not an active member)."""
    if not is_authenticated(user):
        return set()
    from tremplin.organisations.models import MembershipStatus

    return set(
        organisation.memberships.filter(user=user, status=MembershipStatus.ACTIVE).values_list("role", flat=True)
    )


def is_member(user, organisation: Organisation, roles: set[str] | None = None) -> bool:
    held = active_roles(user, organisation)
    return bool(held and (roles is None or held & roles))


def can_view_organisation_private(user, organisation: Organisation) -> bool:
    """Members list, pending requests, private settings."""
    return is_platform_staff(user) or is_member(user, organisation)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return is_platform_staff(user) or is_member(user, organisation)


def can_request_membership(user) -> bool:
    """Claiming an organisation needs a verified e-mail address."""
    return is_authenticated(user) and user.email_verified


def can_view_membership(user, membership: Membership) -> bool:
    """A membership request is seen by its requester, by the organisation's active members and by platform
    staff; to anyone else it does not exist (the API answers 404, never 403)."""
    if not is_authenticated(user):
        return False
    return membership.user_id == user.pk or can_view_organisation_private(user, membership.organisation)


def can_decide_membership(user, membership: Membership) -> bool:
    """A pending request is decided by the organisation's active members — or by platform staff, who can
    always decide and are the only ones who can when the organisation has no active member. Nobody decides
    on their own request."""
    if not is_authenticated(user) or membership.user_id == user.pk:
        return False
    if is_platform_staff(user):
        return True
    return is_member(user, membership.organisation)


def can_act_as_buyer(user, organisation: Organisation) -> bool:
    from tremplin.organisations.models import Role

    return organisation.is_buyer and is_member(user, organisation, {Role.BUYER_AGENT})


def can_act_as_supplier(user, organisation: Organisation) -> bool:
    from tremplin.organisations.models import Role

    return organisation.is_supplier and is_member(user, organisation, {Role.COMPANY_MEMBER})
