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


# ---------- Mediation cases ----------
# A case, its messages and its documents are seen only by the active members of its two parties (the company and
# the buyer), by its assigned mediator and by platform staff; to anyone else they do not exist (pages and API: 404).
# Pending or refused members, other mediators (of the same region too) and everybody else are refused. What each
# role may do at each stage is the transition table of tremplin.mediation.rules.


def mediation_roles(user, case) -> set[str]:
    """The roles in which `user` acts on a mediation case: "mediator" when assigned to it, "filing_party" or
    "other_party" when an active member of the organisation that filed it or of the other one, "staff" for platform
    staff. An empty set: the case does not exist for them."""
    if not is_authenticated(user):
        return set()
    from tremplin.mediation import rules

    roles = set()
    if case.mediator_id is not None and case.mediator_id == user.pk:
        roles.add(rules.MEDIATOR)
    mine = member_organisation_ids(user)
    if case.filed_by_side == rules.COMPANY:
        filing, other = case.company_id, case.buyer_id
    else:
        filing, other = case.buyer_id, case.company_id
    if filing in mine:
        roles.add(rules.FILING_PARTY)
    if other in mine:
        roles.add(rules.OTHER_PARTY)
    if user.is_staff:
        roles.add(rules.STAFF)
    return roles


def can_view_mediation_case(user, case) -> bool:
    """The case page, its messages, documents and log (pages and API)."""
    return bool(mediation_roles(user, case))


def visible_mediation_cases_filter(user):
    """The Q object selecting the cases `user` may see (the queryset form of can_view_mediation_case)."""
    from django.db.models import Q

    if is_platform_staff(user):
        return Q()
    if not is_authenticated(user):
        return Q(pk__in=[])
    mine = member_organisation_ids(user)
    return Q(mediator_id=user.pk) | Q(company_id__in=mine) | Q(buyer_id__in=mine)


def can_act_on_mediation_case(user, case, action: str) -> bool:
    """A workflow action (accept, decline, start, agreement, failure, withdraw) by this person at this stage."""
    from tremplin.mediation import rules

    return action in rules.allowed_actions(case.status, mediation_roles(user, case))


def can_post_mediation_message(user, case) -> bool:
    """Messages and documents: the parties and the mediator, while the case is open (staff only read)."""
    from tremplin.mediation import rules

    return rules.can_post_message(case.status, mediation_roles(user, case))


def can_assign_mediator(user, case) -> bool:
    """Staff designate or replace the mediator of an open case."""
    from tremplin.mediation import rules

    return is_platform_staff(user) and case.status in rules.OPEN_STATUSES


def mediation_filing_sides(user, organisation: Organisation) -> list[str]:
    """The sides for which `user` may file a mediation case on behalf of `organisation`: "company" for a company
    member of a supplier, "buyer" for a buyer agent of a public buyer."""
    sides = []
    if can_act_as_supplier(user, organisation):
        sides.append("company")
    if can_act_as_buyer(user, organisation):
        sides.append("buyer")
    return sides


def can_view_mediation_dashboard(user) -> bool:
    """The mediators' dashboard: mediators (their own cases) and staff (every open case)."""
    return is_platform_staff(user) or (is_authenticated(user) and user.mediator_region_id is not None)


# ---------- Supplier profiles ----------
# A supplier's profile (activities, perimeter, capacity, and through it the organisation's inclusive status and
# labels) is public. It is edited by the company members of that organisation and by platform staff only — not by
# its buyer agents or facilitators, nor by anyone else; to them the editor does not exist (pages: 404).


def can_edit_supplier_profile(user, organisation: Organisation) -> bool:
    from tremplin.organisations.models import Role

    return is_platform_staff(user) or is_member(user, organisation, {Role.COMPANY_MEMBER})


# ---------- Opportunities: purchase forecasts and purchase fairs ----------
# A forecast is public once published, whatever happens to it next; a draft is seen only by the active members
# of its buyer organisation: to anyone else it does not exist (pages and API answer 404). Forecasts and fairs
# are written by the buyer agents of their organisation; companies register to fairs through their company
# members. A registration is seen by the fair's organiser agents and by the registered company's members.


def can_view_forecast(user, forecast) -> bool:
    from tremplin.opportunities.rules import DRAFT

    return forecast.status != DRAFT or is_member(user, forecast.buyer)


def visible_forecasts_filter(user):
    """The Q object selecting the forecasts `user` may see (the queryset form of can_view_forecast)."""
    from django.db.models import Q

    from tremplin.opportunities.rules import DRAFT

    mine = member_organisation_ids(user)
    return ~Q(status=DRAFT) | Q(buyer_id__in=mine) if mine else ~Q(status=DRAFT)


def forecast_buyer_organisations(user) -> list:
    """The buyer organisations for which `user` writes forecasts and announces fairs (as a buyer agent)."""
    from tremplin.organisations.models import Organisation, Role

    ids = member_organisation_ids(user, {Role.BUYER_AGENT})
    return list(Organisation.objects.filter(pk__in=ids, is_buyer=True).order_by("name")) if ids else []


def can_write_forecasts(user, organisation: Organisation) -> bool:
    return can_act_as_buyer(user, organisation)


def can_edit_forecast(user, forecast) -> bool:
    return can_act_as_buyer(user, forecast.buyer)


def can_manage_fair(user, fair) -> bool:
    return can_act_as_buyer(user, fair.organiser)


def fair_registrant_organisations(user) -> list:
    """The companies `user` may register to a fair (as a company member)."""
    from tremplin.organisations.models import Organisation, Role

    ids = member_organisation_ids(user, {Role.COMPANY_MEMBER})
    return list(Organisation.objects.filter(pk__in=ids, is_supplier=True).order_by("name")) if ids else []


def can_register_to_fair(user, organisation: Organisation) -> bool:
    return can_act_as_supplier(user, organisation)


def can_view_registration(user, registration) -> bool:
    return can_manage_fair(user, registration.fair) or is_member(user, registration.organisation)


def can_cancel_registration(user, registration) -> bool:
    return can_act_as_supplier(user, registration.organisation) or can_manage_fair(user, registration.fair)


# ---------- Published notices (BOAMP, TED) ----------
# Notices are published by the buyers in official journals: everyone may read them, on pages and through the API.
# The records the importer rejected (raw excerpts of source files, import diagnostics) are for platform staff
# only; to anyone else the page does not exist (404).


def can_view_notice(user, notice) -> bool:
    return True


def can_view_rejected_notices(user) -> bool:
    return is_platform_staff(user)


# ---------- Saved searches and alerts ----------
# A saved search is private to the person who saved it: only they see, edit, preview or delete it (pages and API);
# to anyone else, platform staff included, it does not exist (404). Its Atom and ICS feeds need no account: the
# secret feed token in their address is the key (a wrong token: 404). A search may be saved for a supplier
# organisation only by one of its company members.


def can_manage_saved_search(user, search) -> bool:
    return is_authenticated(user) and search.user_id == user.pk


def visible_saved_searches_filter(user):
    """The Q object selecting the saved searches `user` may see (the queryset form of can_manage_saved_search)."""
    from django.db.models import Q

    return Q(user_id=user.pk) if is_authenticated(user) else Q(pk__in=[])


def saved_search_organisations(user) -> list:
    """The supplier organisations for which `user` may save a search (as a company member)."""
    return fair_registrant_organisations(user)


def can_save_search_for(user, organisation: Organisation) -> bool:
    return can_act_as_supplier(user, organisation)


# ---------- Interests and buyer ↔ supplier messaging ----------
# A company's answers on an opportunity (follow, interested, not interested) are given for it by its company
# members. The funnel of a forecast or notice (counts, interested companies, CSV export) is seen by the active
# members of its buyer organisation only. A message thread (one forecast × one company) is seen by the active
# members of those two organisations only — not by other companies or buyers, not by platform staff through the
# site; to anyone else it does not exist (pages and API: 404). It is started by the company's members once they
# have declared their interest, answered by the buyer's agents, and written in only while the forecast's
# messaging is open.


def interest_organisations(user) -> list:
    """The companies for which `user` follows opportunities and answers (as a company member)."""
    from tremplin.organisations.models import Organisation, Role

    ids = member_organisation_ids(user, {Role.COMPANY_MEMBER})
    return list(Organisation.objects.filter(pk__in=ids, is_supplier=True).order_by("name")) if ids else []


def can_answer_interest(user, organisation: Organisation) -> bool:
    return can_act_as_supplier(user, organisation)


def can_view_forecast_interests(user, forecast) -> bool:
    return is_member(user, forecast.buyer)


def can_view_notice_interests(user, notice) -> bool:
    return notice.buyer_id is not None and is_member(user, notice.buyer)


def can_view_thread(user, thread) -> bool:
    mine = member_organisation_ids(user)
    return bool(mine) and (thread.organisation_id in mine or thread.forecast.buyer_id in mine)


def visible_threads_filter(user):
    """The Q object selecting the threads `user` may see (the queryset form of can_view_thread)."""
    from django.db.models import Q

    mine = member_organisation_ids(user)
    if not mine:
        return Q(pk__in=[])
    return Q(organisation_id__in=mine) | Q(forecast__buyer_id__in=mine)


def thread_side(user, thread) -> str:
    """The side for which `user` writes in `thread` ("supplier" or "buyer"), or "" when they may not write."""
    if not thread.forecast.messaging_enabled:
        return ""
    if can_act_as_supplier(user, thread.organisation):
        return "supplier"
    if can_act_as_buyer(user, thread.forecast.buyer):
        return "buyer"
    return ""


def can_start_thread(user, forecast, organisation: Organisation) -> bool:
    return (
        forecast.messaging_enabled
        and not forecast.is_draft
        and forecast.buyer_id != organisation.pk
        and can_act_as_supplier(user, organisation)
    )


# ---------- Matching: inclusive potential and partner finder ----------
# The inclusive potential and the partner finder of a forecast are seen by whoever may see the forecast (public
# once published; a draft only by the members of its buyer — to anyone else they do not exist: 404). A free need
# is open to everyone (nothing is stored). The partner finder takes the point of view of a supplier the person acts
# for as a company member; the API may take any supplier's, since profiles are public.


def can_view_inclusive_potential(user, forecast) -> bool:
    return can_view_forecast(user, forecast)


def partner_finder_organisations(user) -> list:
    """The suppliers from whose point of view `user` looks for partners (as a company member)."""
    from tremplin.organisations.models import Organisation, Role

    ids = member_organisation_ids(user, {Role.COMPANY_MEMBER})
    return list(Organisation.objects.filter(pk__in=ids, is_supplier=True).order_by("name")) if ids else []


# ---------- Carbon estimates ----------
# Emission factors are public data (with their source and validity); they are imported by platform staff only. A
# carbon estimate is seen by the active members of its owner organisation and, when it is linked to a forecast and
# its owner shares it, by the active members of that forecast's buyer (read only). To anyone else — platform staff
# included, since an offer's estimate is business-private — it does not exist (pages and API: 404). It is written by
# the owner's buyer agents (a buyer estimating a lot) or company members (a company estimating its offer).


def can_import_emission_factors(user) -> bool:
    return is_platform_staff(user)


def carbon_estimate_organisations(user) -> list:
    """The organisations for which `user` writes carbon estimates (buyer agent of a buyer, company member of a
    supplier)."""
    from django.db.models import Q

    from tremplin.organisations.models import Organisation, Role

    buyers = member_organisation_ids(user, {Role.BUYER_AGENT})
    suppliers = member_organisation_ids(user, {Role.COMPANY_MEMBER})
    if not (buyers or suppliers):
        return []
    wanted = Q(pk__in=buyers, is_buyer=True) | Q(pk__in=suppliers, is_supplier=True)
    return list(Organisation.objects.filter(wanted).order_by("name"))


def can_write_carbon_estimate_for(user, organisation: Organisation) -> bool:
    return can_act_as_buyer(user, organisation) or can_act_as_supplier(user, organisation)


def can_view_carbon_estimate(user, estimate) -> bool:
    mine = member_organisation_ids(user)
    if not mine:
        return False
    if estimate.organisation_id in mine:
        return True
    return bool(estimate.shared_with_buyer and estimate.forecast_id and estimate.forecast.buyer_id in mine)


def can_edit_carbon_estimate(user, estimate) -> bool:
    return can_write_carbon_estimate_for(user, estimate.organisation)


def visible_carbon_estimates_filter(user):
    """The Q object selecting the estimates `user` may see (the queryset form of can_view_carbon_estimate)."""
    from django.db.models import Q

    mine = member_organisation_ids(user)
    if not mine:
        return Q(pk__in=[])
    return Q(organisation_id__in=mine) | Q(shared_with_buyer=True, forecast__buyer_id__in=mine)


def can_link_estimate_to_forecast(user, forecast) -> bool:
    """An estimate may be linked to a forecast its author may see (published, or a draft of their own buyer)."""
    return can_view_forecast(user, forecast)


def can_link_estimate_to_contract(organisation: Organisation, contract) -> bool:
    """An estimate may be linked to an awarded contract its owner bought or holds."""
    return contract.buyer_id == organisation.pk or organisation.pk in contract_holder_ids(contract)


# ---------- Observatory: public payment-delay statistics ----------
# Invoices are private to the parties: the public statistics never list an invoice, and name a buyer only when it
# has at least this many paid invoices over the period shown (buyer types always aggregate).
PAYMENT_STATS_MIN_PAID_INVOICES = 5


def can_publish_buyer_payment_stats(paid_invoices: int) -> bool:
    """Whether a buyer's own payment-delay figures may appear on the public observatory."""
    return paid_invoices >= PAYMENT_STATS_MIN_PAID_INVOICES


# ---------- Responsible-procurement clauses (insertion hours, EGalim) ----------
# Clauses are public wherever their forecast or contract is: a clause of a published forecast (or of one of its lots)
# and a clause of an awarded contract may be read by anyone; a clause of a draft forecast only by the members of its
# buyer (to anyone else it does not exist: 404). Clauses are attached and removed by the buyer agents of the
# forecast's buyer, or of the contract's buyer. Insertion hours are declared on a contract's insertion clause by the
# company members of one of its holders, or by a facilitator (Role.FACILITATOR) of any network organisation: there is
# no facilitator ↔ contract assignment on the platform, clauseurs follow contracts across the buyers of their
# territory; each declaration names the organisation that made it. Declarations (periods, who declared) are seen by
# staff, the members of the contract's buyer and holders, and facilitators; totals due/done/% are public. A declaration
# is withdrawn by the members of the organisation that made it or by the buyer agents of the contract's buyer.
# EGalim purchases are declared and listed by the buyer agents of the buyer (members and staff read them); the yearly
# shares per buyer are public aggregates.


def can_attach_clause_to_forecast(user, forecast) -> bool:
    return can_edit_forecast(user, forecast)


def can_attach_clause_to_contract(user, contract) -> bool:
    return contract.buyer_id is not None and can_act_as_buyer(user, contract.buyer)


def clause_forecast(clause):
    """The forecast a clause belongs to (directly or through its lot), None for a contract's clause."""
    if clause.lot_id:
        return clause.lot.forecast
    return clause.forecast if clause.forecast_id else None


def can_view_clause(user, clause) -> bool:
    forecast = clause_forecast(clause)
    return forecast is None or can_view_forecast(user, forecast)


def can_edit_clause(user, clause) -> bool:
    forecast = clause_forecast(clause)
    if forecast is not None:
        return can_attach_clause_to_forecast(user, forecast)
    return can_attach_clause_to_contract(user, clause.contract)


def visible_clauses_filter(user):
    """The Q object selecting the clauses `user` may see (the queryset form of can_view_clause)."""
    from django.db.models import Q

    from tremplin.opportunities.rules import DRAFT

    mine = member_organisation_ids(user)
    return (
        Q(contract__isnull=False)
        | (Q(forecast__isnull=False) & (~Q(forecast__status=DRAFT) | Q(forecast__buyer_id__in=mine)))
        | (Q(lot__isnull=False) & (~Q(lot__forecast__status=DRAFT) | Q(lot__forecast__buyer_id__in=mine)))
    )


def facilitator_organisation_ids(user) -> set[int]:
    """The network organisations for which `user` acts as a facilitator."""
    from tremplin.organisations.models import Organisation, Role

    ids = member_organisation_ids(user, {Role.FACILITATOR})
    return set(Organisation.objects.filter(pk__in=ids, is_network=True).values_list("pk", flat=True)) if ids else set()


def hours_declarant_organisations(user, contract) -> list:
    """The organisations on whose behalf `user` may declare insertion hours on `contract`: the holders they are a
    company member of, and the networks they are a facilitator of."""
    from tremplin.organisations.models import Organisation, Role

    if not is_authenticated(user):
        return []
    allowed = (contract_holder_ids(contract) & member_organisation_ids(user, {Role.COMPANY_MEMBER})) | (
        facilitator_organisation_ids(user)
    )
    return list(Organisation.objects.filter(pk__in=allowed).order_by("name")) if allowed else []


def can_declare_hours(user, clause) -> bool:
    return clause.contract_id is not None and bool(hours_declarant_organisations(user, clause.contract))


def can_view_hours_declarations(user, contract) -> bool:
    if is_platform_staff(user):
        return True
    mine = member_organisation_ids(user)
    if not mine:
        return False
    return (
        contract.buyer_id in mine
        or bool(contract_holder_ids(contract) & mine)
        or bool(facilitator_organisation_ids(user))
    )


def can_withdraw_hours_declaration(user, declaration) -> bool:
    contract = declaration.clause.contract
    return is_member(user, declaration.organisation) or can_attach_clause_to_contract(user, contract)


def egalim_buyer_organisations(user) -> list:
    """The buyers for which `user` declares EGalim purchases (as a buyer agent)."""
    return forecast_buyer_organisations(user)


def can_declare_egalim(user, organisation: Organisation) -> bool:
    return can_act_as_buyer(user, organisation)


def can_view_egalim_purchases(user, organisation: Organisation) -> bool:
    return is_platform_staff(user) or is_member(user, organisation)
