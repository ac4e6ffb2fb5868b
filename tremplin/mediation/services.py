"""Use cases on mediation cases: reading a case, the audit log, assignment by staff, the workflow (filing is in
filing.py, messages and documents in exchanges.py). Access is checked here through tremplin.policy, so that pages
and API behave the same; every action writes an event to the case's audit log and the notifications go out by
e-mail."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tremplin import policy
from tremplin.mediation import conf, notifications, rules
from tremplin.mediation.models import Case, Event, EventAction
from tremplin.organisations.models import MembershipStatus, Organisation

SYSTEM_LABEL = "Tremplin (automatique)"


class MediationError(Exception):
    """A request that cannot be done; the message is French, for the user. `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class CaseNotFound(MediationError):
    """The case does not exist for this person (pages and API: 404)."""


class ActionRefused(MediationError):
    """The person sees the case but may not do this (API: 403)."""


class WrongStage(MediationError):
    """Not possible at the case's current stage, e.g. accepting a case already declined (API: 409)."""


# ---------- Reading ----------


def case_queryset() -> QuerySet[Case]:
    return Case.objects.select_related("company", "buyer", "contract", "region", "mediator", "filed_by")


def visible_cases(user) -> QuerySet[Case]:
    return case_queryset().filter(policy.visible_mediation_cases_filter(user))


def get_case_for(user, pk) -> Case:
    """The case, if `user` may see it; CaseNotFound otherwise (whether it exists or not)."""
    case = case_queryset().filter(pk=pk).first() if str(pk).isdigit() else None
    if case is None or not policy.can_view_mediation_case(user, case):
        raise CaseNotFound("Demande de médiation introuvable.")
    return case


def locked_case_for(user, pk) -> Case:
    """Like get_case_for, with the row locked until the end of the transaction (call it inside one): the stored
    state is what counts, whatever the caller's copy of the case says (two clicks must not both move the case)."""
    case = case_queryset().select_for_update(of=("self",)).filter(pk=pk).first()
    if case is None or not policy.can_view_mediation_case(user, case):
        raise CaseNotFound("Demande de médiation introuvable.")
    return case


def deadlines_for(case: Case, today=None) -> list[rules.Deadline]:
    local = timezone.localdate

    def day(moment):
        return local(moment) if moment else None

    return rules.case_deadlines(
        case.status,
        filed_on=day(case.filed_at),
        first_contact_on=day(case.first_contact_at),
        mediation_started_on=day(case.mediation_started_at),
        closed_on=day(case.closed_at),
        today=today or local(),
        first_contact_days=conf.first_contact_days(),
        target_days=conf.target_days(),
    )


def overdue_first_contact_filter(now=None) -> Q:
    """Open cases whose mediator has not made first contact within the configured days of filing."""
    # Same day arithmetic as rules.case_deadlines: overdue when filed_on + days < today (local dates).
    today = timezone.localdate(now or timezone.now())
    last_day = today - timedelta(days=conf.first_contact_days())
    limit = timezone.make_aware(datetime.combine(last_day, time.min))
    return Q(status__in=rules.OPEN_STATUSES, first_contact_at__isnull=True, filed_at__lt=limit)


# ---------- Who acts ----------


def actor_label(user, case: Case | None = None, organisation: Organisation | None = None) -> str:
    """How a person signs an action on a case: their name and the capacity in which they act."""
    if user is None:
        return SYSTEM_LABEL
    name = user.get_full_name()
    roles = policy.mediation_roles(user, case) if case is not None else set()
    if rules.MEDIATOR in roles:
        return f"{name} (médiateur)"
    if organisation is None and case is not None:
        mine = policy.member_organisation_ids(user)
        for party in (case.filing_organisation, case.other_organisation):
            if party.pk in mine:
                organisation = party
                break
    if organisation is not None:
        return f"{name} ({organisation.name})"
    if user.is_staff:
        return f"{name} (équipe Tremplin)"
    return name


def author_role(user, case: Case) -> str:
    roles = policy.mediation_roles(user, case)
    if rules.MEDIATOR in roles:
        return rules.MEDIATOR
    mine = policy.member_organisation_ids(user)
    filing_side = case.filed_by_side
    other_side = rules.BUYER if filing_side == rules.COMPANY else rules.COMPANY
    if case.filing_organisation.pk in mine:
        return filing_side
    if case.other_organisation.pk in mine:
        return other_side
    return rules.STAFF


def log(case: Case, action: str, actor=None, details: str = "", label: str | None = None) -> Event:
    return Event.objects.create(
        case=case,
        actor=actor,
        actor_label=(label or actor_label(actor, case))[:300],
        action=action,
        details=details,
    )


def party_member_ids(organisation_ids: list[int]) -> set[int]:
    """Users who are active members of any of these organisations (a party cannot be its own mediator)."""
    from tremplin.organisations.models import Membership

    return set(
        Membership.objects.filter(organisation_id__in=organisation_ids, status=MembershipStatus.ACTIVE).values_list(
            "user_id", flat=True
        )
    )


# ---------- Assignment by staff ----------


def assign_mediator(user, case: Case, mediator) -> Case:
    """Staff designate (or replace) the mediator of an open case."""
    with transaction.atomic():
        case = locked_case_for(user, case.pk)
        if not policy.is_platform_staff(user):
            raise ActionRefused("Seule l'équipe Tremplin désigne le médiateur d'une demande.")
        if not policy.can_assign_mediator(user, case):
            raise WrongStage("Cette demande est close : son médiateur ne change plus.")
        if mediator is None or not mediator.is_active or not mediator.is_mediator:
            raise MediationError("Choisissez un médiateur actif.", "mediator")
        if mediator.pk in party_member_ids([case.company_id, case.buyer_id]):
            raise MediationError(f"{mediator.get_full_name()} est membre d'une des parties.", "mediator")
        previous = case.mediator
        if previous is not None and previous.pk == mediator.pk:
            raise MediationError(f"{mediator.get_full_name()} est déjà le médiateur de cette demande.", "mediator")
        case.mediator = mediator
        case.save(update_fields=["mediator", "updated_at"])
        region = f", médiateur pour la région {mediator.mediator_region.name}" if mediator.mediator_region_id else ""
        if previous is None:
            details = f"{mediator.get_full_name()}{region}, désigné par l'équipe Tremplin."
            log(case, EventAction.ASSIGNED, user, details)
        else:
            details = f"{previous.get_full_name()} remplacé par {mediator.get_full_name()}{region}."
            log(case, EventAction.REASSIGNED, user, details)
    notifications.mediator_assigned(case, user, previous)
    return case


# ---------- Workflow ----------


def mark_first_contact(case: Case, user, now) -> list[str]:
    if case.first_contact_at is None and case.mediator_id == user.pk:
        case.first_contact_at = now
        return ["first_contact_at"]
    return []


REFUSALS = {"forbidden": ActionRefused, "stage": WrongStage}


def perform_action(user, case: Case, action: str, reason: str = "") -> Case:
    """Move the case through the workflow (rules.TRANSITIONS), or say why not."""
    reason = (reason or "").strip()
    with transaction.atomic():
        case = locked_case_for(user, case.pk)
        try:
            target = rules.next_status(case.status, action, policy.mediation_roles(user, case), reason)
        except rules.TransitionError as error:
            refusal = REFUSALS.get(error.kind, MediationError)
            raise refusal(str(error), "reason" if error.kind == "reason" else None) from error
        now = timezone.now()
        label = actor_label(user, case)
        case.status = target
        case.status_reason = reason
        changed = ["status", "status_reason", "updated_at", *mark_first_contact(case, user, now)]
        if target == rules.IN_MEDIATION:
            case.mediation_started_at = now
            changed.append("mediation_started_at")
        if target in rules.CLOSED_STATUSES:
            case.closed_at = now
            changed.append("closed_at")
        case.save(update_fields=changed)
        log(case, action, user, reason, label=label)
    notifications.status_changed(case, user, dict(EventAction.choices)[action])
    return case
