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


# ---------- Payments: invoices (payment requests) on awarded contracts ----------
# Invoices are seen by platform staff, by the members of the contract's buyer and by the members of the holder
# that issued them (never by the contract's other holders); to anyone else they do not exist (pages: 404).
# They are recorded by the parties: a buyer agent of the contract's buyer, or a company member of a holder.


def member_organisation_ids(user, roles: set[str] | None = None) -> set[int]:
    """The organisations `user` is an active member of (in one of `roles` when given)."""
    if not is_authenticated(user):
        return set()
    from tremplin.organisations.models import Membership, MembershipStatus

    memberships = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return set(memberships.values_list("organisation_id", flat=True))


def contract_holder_ids(contract) -> set[int]:
    return set(contract.holders.filter(organisation__isnull=False).values_list("organisation_id", flat=True))


def can_view_contract_invoices(user, contract) -> bool:
    """The invoices page of a contract: staff, members of its buyer, members of any of its holders."""
    if is_platform_staff(user):
        return True
    mine = member_organisation_ids(user)
    return bool(mine and ((contract.buyer_id in mine) or (contract_holder_ids(contract) & mine)))


def can_view_invoice(user, invoice) -> bool:
    if is_platform_staff(user):
        return True
    mine = member_organisation_ids(user)
    return invoice.contract.buyer_id in mine or invoice.supplier_id in mine


def visible_invoices_filter(user):
    """The Q object selecting the invoices `user` may see (the queryset form of can_view_invoice)."""
    from django.db.models import Q

    if is_platform_staff(user):
        return Q()
    mine = member_organisation_ids(user)
    if not mine:
        return Q(pk__in=[])
    return Q(contract__buyer_id__in=mine) | Q(supplier_id__in=mine)


def invoice_issuers(user, contract) -> list:
    """The holders on whose behalf `user` may record an invoice on `contract`: every holder for a buyer agent of
    the contract's buyer, their own organisation(s) for a company member of a holder."""
    from tremplin.organisations.models import Organisation, Role

    holders = contract_holder_ids(contract)
    if not holders or not is_authenticated(user):
        return []
    if contract.buyer_id and contract.buyer_id in member_organisation_ids(user, {Role.BUYER_AGENT}):
        allowed = holders
    else:
        allowed = holders & member_organisation_ids(user, {Role.COMPANY_MEMBER})
    return list(Organisation.objects.filter(pk__in=allowed).order_by("name"))


def can_add_invoice(user, contract) -> bool:
    return bool(invoice_issuers(user, contract))


def can_edit_invoice(user, invoice) -> bool:
    """A buyer agent of the contract's buyer, or a company member of the issuing holder (staff use the admin)."""
    from tremplin.organisations.models import Role

    if invoice.contract.buyer_id and invoice.contract.buyer_id in member_organisation_ids(user, {Role.BUYER_AGENT}):
        return True
    return invoice.supplier_id in member_organisation_ids(user, {Role.COMPANY_MEMBER})


def can_view_payment_summary(user, organisation: Organisation) -> bool:
    """An organisation's payment pages ("ce qu'on me doit", buyer follow-up, claim letters): its active members
    and platform staff."""
    return is_platform_staff(user) or is_member(user, organisation)
