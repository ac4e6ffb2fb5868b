"""Use cases on purchase fairs: announcing one, registering a company, cancelling, the waiting list.

Registrations to one fair are serialised by locking the fair's row (select_for_update): the count of confirmed
registrations and the new registration are read and written while no other registration to that fair can be,
so the capacity is never exceeded. A cancellation promotes the first companies of the waiting list (in order of
registration) into the freed seats, in the same transaction. E-mails leave once the transaction is committed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tremplin import policy
from tremplin.core.mail import absolute_url, send_templated
from tremplin.opportunities import rules
from tremplin.opportunities.models import Fair, Forecast, Registration
from tremplin.organisations.models import Organisation


class FairError(Exception):
    """The message is French, for the user."""


class PermissionDenied(FairError):
    pass


class FairInvalid(FairError):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))


SCHEDULE_FIELDS = ("starts_at", "ends_at", "venue", "address", "commune_id")


@dataclass
class FairValues:
    title: str
    description: str
    starts_at: object
    ends_at: object
    venue: str
    address: str = ""
    commune_id: str | None = None
    capacity: int | None = None
    registration_required: bool = True
    registration_deadline: object = None
    contact_email: str = ""
    forecast_ids: tuple[int, ...] = ()


def save_fair(user, organisation: Organisation, values: FairValues, fair: Fair | None = None) -> Fair:
    """Announce a fair or change it. The forecasts presented must be the organiser's own published ones."""
    if not policy.can_write_forecasts(user, organisation) or (fair and fair.organiser_id != organisation.pk):
        raise PermissionDenied("Seuls les agents acheteurs de l'organisation peuvent annoncer ses salons.")
    errors = rules.fair_errors(values.starts_at, values.ends_at, values.capacity, values.registration_deadline)
    forecasts = list(Forecast.objects.public().filter(buyer=organisation, pk__in=values.forecast_ids))
    if len(forecasts) != len(set(values.forecast_ids)):
        errors.setdefault("forecasts", []).append("Choisissez des prévisions publiées de votre organisation.")
    if errors:
        raise FairInvalid(errors)
    with transaction.atomic():
        if fair is None:
            fair = Fair(organiser=organisation, created_by=user)
        else:
            fair = Fair.objects.select_for_update().get(pk=fair.pk)
            if any(getattr(fair, name) != getattr(values, name) for name in SCHEDULE_FIELDS):
                fair.sequence += 1
        for name in (*SCHEDULE_FIELDS, "title", "description", "capacity", "registration_required"):
            setattr(fair, name, getattr(values, name))
        fair.registration_deadline = values.registration_deadline
        fair.contact_email = values.contact_email
        fair.save()
        fair.forecasts.set(forecasts)
        promoted = _promote(fair)
    _notify_promoted(promoted)
    return fair


def cancel_fair(user, fair: Fair) -> Fair:
    if not policy.can_manage_fair(user, fair):
        raise PermissionDenied("Seuls les agents acheteurs de l'organisateur peuvent annuler ce salon.")
    with transaction.atomic():
        fair = Fair.objects.select_for_update().get(pk=fair.pk)
        if fair.is_cancelled:
            raise FairError("Ce salon est déjà annulé.")
        fair.cancelled_at = timezone.now()
        fair.sequence += 1
        fair.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        registrations = list(fair.registrations.exclude(status=rules.CANCELLED).select_related("user", "organisation"))
    for registration in registrations:
        _mail(registration, f"Salon annulé : {fair.title}", "opportunities/emails/fair_cancelled.txt")
    return fair


def register(user, fair: Fair, organisation: Organisation) -> Registration:
    """Register `organisation` to `fair`: confirmed while seats remain, else on the waiting list."""
    if not policy.can_register_to_fair(user, organisation):
        raise PermissionDenied("Vous n'agissez pas pour cette entreprise en tant que membre.")
    with transaction.atomic():
        fair = Fair.objects.select_for_update().get(pk=fair.pk)
        now = timezone.now()
        reason = rules.registration_closed_reason(now, fair.starts_at, fair.registration_deadline, fair.is_cancelled)
        if reason:
            raise FairError(reason)
        registration = Registration.objects.filter(fair=fair, organisation=organisation).first()
        if registration and registration.status == rules.CONFIRMED:
            raise FairError(f"{organisation.name} est déjà inscrite à ce salon.")
        if registration and registration.status == rules.WAITING:
            raise FairError(f"{organisation.name} est déjà sur la liste d'attente de ce salon.")
        confirmed = fair.registrations.filter(status=rules.CONFIRMED).count()
        registration = registration or Registration(fair=fair, organisation=organisation)
        registration.user = user
        registration.status = rules.registration_status_for(fair.capacity, confirmed)
        registration.requested_at = now
        registration.promoted_at = registration.cancelled_at = None
        registration.save()
    registration.fair = fair
    subject = "Inscription confirmée" if registration.status == rules.CONFIRMED else "Liste d'attente"
    _mail(registration, f"{subject} : {fair.title}", "opportunities/emails/registration.txt")
    return registration


def cancel_registration(user, registration: Registration) -> list[Registration]:
    """Cancel a registration; returns the registrations promoted from the waiting list into the freed seat."""
    if not policy.can_cancel_registration(user, registration):
        raise PermissionDenied("Vous ne pouvez pas annuler cette inscription.")
    with transaction.atomic():
        fair = Fair.objects.select_for_update().get(pk=registration.fair_id)
        registration = Registration.objects.select_related("organisation", "user").get(pk=registration.pk)
        if registration.status == rules.CANCELLED:
            raise FairError("Cette inscription est déjà annulée.")
        registration.status = rules.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _promote(fair)
    registration.fair = fair
    if not policy.is_member(user, registration.organisation):  # the organiser cancelled it: say so
        _mail(registration, f"Inscription annulée : {fair.title}", "opportunities/emails/registration_cancelled.txt")
    _notify_promoted(promoted)
    return promoted


def _promote(fair: Fair) -> list[Registration]:
    """Move the first of the waiting list into free seats; the caller holds the fair's lock."""
    if fair.is_cancelled:
        return []
    confirmed = fair.registrations.filter(status=rules.CONFIRMED).count()
    waiting = fair.registrations.filter(status=rules.WAITING).order_by("requested_at", "pk")
    count = rules.seats_to_promote(fair.capacity, confirmed, waiting.count())
    promoted = list(waiting.select_related("user", "organisation")[:count])
    now = timezone.now()
    for registration in promoted:
        registration.status = rules.CONFIRMED
        registration.promoted_at = now
        registration.fair = fair
    Registration.objects.bulk_update(promoted, ["status", "promoted_at"])
    return promoted


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in line; None when the registration is not waiting."""
    if registration.status != rules.WAITING:
        return None
    before = Q(requested_at__lt=registration.requested_at) | Q(
        requested_at=registration.requested_at, pk__lt=registration.pk
    )
    return Registration.objects.filter(before, fair_id=registration.fair_id, status=rules.WAITING).count() + 1


def _notify_promoted(promoted: list[Registration]) -> None:
    for registration in promoted:
        _mail(
            registration,
            f"Une place s'est libérée : {registration.fair.title}",
            "opportunities/emails/registration_promoted.txt",
        )


def _mail(registration: Registration, subject: str, template: str) -> None:
    user = registration.user
    if user is None or not user.email:
        return
    fair = registration.fair
    context = {
        "registration": registration,
        "fair": fair,
        "url": absolute_url(reverse("opportunities:fair", args=[fair.pk])),
        "ics_url": absolute_url(reverse("opportunities:fair_ics", args=[fair.pk])),
        "position": waiting_position(registration),
    }
    transaction.on_commit(lambda: send_templated([user.email], subject, template, context))
