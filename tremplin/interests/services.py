"""Use cases of the interest funnel and of messaging. Access is decided by tremplin.policy; the rules are in
tremplin.interests.rules. Errors carry a French message ready for the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tremplin import policy
from tremplin.core.mail import absolute_url, send_templated
from tremplin.interests import rules
from tremplin.interests.models import Interest, InterestEvent, Message, Thread
from tremplin.opportunities.models import Forecast, Lot
from tremplin.organisations.models import Membership, Organisation


class InterestError(Exception):
    """A refused action; the message is French."""


class UnknownOpportunity(InterestError):
    """An opportunity that does not exist for this person (pages and API answer 404)."""


class NotAllowed(InterestError):
    """The person may not act (pages and API answer 404: the object does not exist for them)."""


class Invalid(InterestError):
    """Bad input: `errors` maps field names to French messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass
class Opportunity:
    forecast: Forecast | None = None
    notice: object | None = None
    lot: Lot | None = None
    lots: list[Lot] = field(default_factory=list)

    @property
    def lookup(self) -> dict:
        return {"forecast": self.forecast} if self.forecast else {"notice": self.notice}

    @property
    def title(self) -> str:
        return (self.forecast or self.notice).title

    @property
    def key(self) -> str:
        return f"forecast:{self.forecast.pk}" if self.forecast else f"notice:{self.notice.pk}"


def resolve(opportunity_id: str, user=None) -> Opportunity:
    """`"forecast:<pk>"`, `"lot:<pk>"` or `"notice:<pk>"` → the opportunity, if public (drafts do not exist)."""
    from tremplin.notices.models import Notice

    try:
        kind, pk = rules.parse_opportunity(opportunity_id)
    except rules.RuleError as error:
        raise Invalid({"opportunity": str(error)}) from error
    if kind == rules.NOTICE:
        notice = Notice.objects.select_related("buyer").filter(pk=pk).first()
        if notice is None or not policy.can_view_notice(user, notice):
            raise UnknownOpportunity("Avis inconnu.")
        return Opportunity(notice=notice)
    lot = None
    if kind == rules.LOT:
        lot = Lot.objects.select_related("forecast__buyer").filter(pk=pk).first()
        forecast = lot.forecast if lot else None
    else:
        forecast = Forecast.objects.select_related("buyer").filter(pk=pk).first()
    if forecast is None or forecast.is_draft:
        raise UnknownOpportunity("Lot inconnu." if kind == rules.LOT else "Prévision inconnue.")
    return Opportunity(forecast=forecast, lot=lot, lots=list(forecast.lots.order_by("number")))


def for_forecast(forecast: Forecast) -> Opportunity:
    return Opportunity(forecast=forecast, lots=list(forecast.lots.order_by("number")))


def for_notice(notice) -> Opportunity:
    return Opportunity(notice=notice)


def _row(organisation: Organisation, opportunity: Opportunity) -> Interest:
    try:
        with transaction.atomic():
            row, _ = Interest.objects.get_or_create(organisation=organisation, **opportunity.lookup)
    except IntegrityError:  # created meanwhile by a concurrent request
        row = Interest.objects.get(organisation=organisation, **opportunity.lookup)
    return row


def mark_notified(organisation: Organisation, opportunity_id: str, when: datetime | None = None) -> Interest | None:
    """Called by the apps that notify companies (alerts): records the first notification of `organisation`
    about a published forecast (`"forecast:<pk>"` or `"lot:<pk>"`) or a notice (`"notice:<pk>"`). Returns None,
    recording nothing, for an unknown or draft opportunity or an organisation that is not a supplier."""
    if not organisation.is_supplier:
        return None
    try:
        opportunity = resolve(opportunity_id)
    except InterestError:
        return None
    when = when or timezone.now()
    row = _row(organisation, opportunity)
    if row.notified_at is None or when < row.notified_at:
        Interest.objects.filter(pk=row.pk).update(notified_at=when)
        row.notified_at = when
    lots = [opportunity.lot.number] if opportunity.lot else []
    InterestEvent.objects.create(interest=row, action="notified", lots=lots, at=when)
    return row


def record_view(user, opportunity) -> None:
    """The first view of a published forecast or a notice by a company member, for each of their companies."""
    if not policy.is_authenticated(user) or getattr(opportunity, "is_draft", False):
        return
    organisations = policy.interest_organisations(user)
    if not organisations:
        return
    lookup = {"notice": opportunity} if not isinstance(opportunity, Forecast) else {"forecast": opportunity}
    now = timezone.now()
    for organisation in organisations:
        if getattr(opportunity, "buyer_id", None) == organisation.pk:
            continue
        row = _row(organisation, Opportunity(**lookup))
        if row.viewed_at is None and Interest.objects.filter(pk=row.pk, viewed_at__isnull=True).update(viewed_at=now):
            InterestEvent.objects.create(interest=row, action="viewed", by=user, at=now)


def find_interest(organisation: Organisation, opportunity: Opportunity) -> Interest | None:
    return Interest.objects.filter(organisation=organisation, **opportunity.lookup).first()


def answer(
    user,
    organisation: Organisation,
    opportunity: Opportunity,
    action: str,
    reason: str = "",
    details: str = "",
    lot_ids=(),
) -> Interest:
    """Follow, unfollow, declare an interest (with the chosen lots of a forecast) or say why not."""
    if not policy.can_answer_interest(user, organisation):
        raise NotAllowed("Vous n'agissez pas pour cette entreprise.")
    if opportunity.forecast and opportunity.forecast.buyer_id == organisation.pk:
        raise Invalid({"organisation": "Une organisation ne répond pas à ses propres prévisions."})
    errors = rules.answer_errors(action, reason, details)
    lots = _chosen_lots(opportunity, lot_ids, errors) if action == rules.INTERESTED else []
    if errors:
        raise Invalid(errors)
    now = timezone.now()
    with transaction.atomic():
        row = _row(organisation, opportunity)
        row = Interest.objects.select_for_update().get(pk=row.pk)
        row.set_answer(rules.apply(row.answer, action, now, reason, details))
        row.save()
        if action == rules.INTERESTED:
            row.lots.set(lots)
        elif action == rules.NOT_INTERESTED:
            row.lots.clear()
        InterestEvent.objects.create(
            interest=row,
            action=action,
            reason=row.reason if action == rules.NOT_INTERESTED else "",
            details=row.reason_details if action == rules.NOT_INTERESTED else "",
            lots=[lot.number for lot in lots],
            by=user,
            at=now,
        )
    return row


def _chosen_lots(opportunity: Opportunity, lot_ids, errors: dict) -> list[Lot]:
    wanted = {str(value).strip() for value in lot_ids if str(value).strip()}
    if opportunity.lot is not None:
        wanted.add(str(opportunity.lot.pk))
    if not wanted:
        return []
    if opportunity.forecast is None:
        errors["lots"] = "Les lots se choisissent sur une prévision d'achat, pas sur un avis."
        return []
    by_id = {str(lot.pk): lot for lot in opportunity.lots}
    unknown = sorted(wanted - set(by_id))
    if unknown:
        errors["lots"] = f"Lot(s) inconnu(s) sur cette prévision : {', '.join(unknown)}."
        return []
    return sorted((by_id[key] for key in wanted), key=lambda lot: lot.number)


# ---------------------------------------------------------------- messaging


def get_thread(forecast: Forecast, organisation: Organisation) -> Thread | None:
    return Thread.objects.filter(forecast=forecast, organisation=organisation).first()


def start_or_continue(user, forecast: Forecast, organisation: Organisation, body: str) -> Message:
    """A company member writes to the buyer: opens the thread on the first message (after declaring interest)."""
    if not policy.can_start_thread(user, forecast, organisation):
        raise NotAllowed("La messagerie n'est pas ouverte sur cette prévision.")
    thread = get_thread(forecast, organisation)
    if thread is None:
        row = find_interest(organisation, for_forecast(forecast))
        if row is None or not rules.may_start_thread(row.answer):
            raise Invalid({"body": "Déclarez d'abord votre intérêt pour cette prévision, puis écrivez à l'acheteur."})
        thread, _ = Thread.objects.get_or_create(forecast=forecast, organisation=organisation)
    return post(user, thread, body)


def post(user, thread: Thread, body: str) -> Message:
    """A message in a thread, by its company's members or the buyer's agents; e-mails the other side."""
    if not policy.can_view_thread(user, thread):
        raise NotAllowed("Fil d'échanges inconnu.")
    side = policy.thread_side(user, thread)
    if not side:
        raise NotAllowed("Vous ne pouvez pas écrire dans ce fil d'échanges.")
    try:
        text = rules.clean_message(body)
    except rules.RuleError as error:
        raise Invalid({"body": str(error)}) from error
    message = Message.objects.create(thread=thread, side=side, author=user, body=text)
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    thread.last_message_at = message.created_at
    transaction.on_commit(lambda: notify_message(message))
    return message


def notify_message(message: Message) -> int:
    thread = message.thread
    forecast = thread.forecast
    if message.side == rules.SUPPLIER:
        recipients = Membership.objects.active().filter(organisation=forecast.buyer)
        sender = thread.organisation.name
    else:
        recipients = Membership.objects.active().filter(organisation=thread.organisation)
        sender = forecast.buyer.name
    if message.author_id:
        recipients = recipients.exclude(user_id=message.author_id)
    addresses = recipients.filter(user__is_active=True).values_list("user__email", flat=True)
    return send_templated(
        addresses,
        f"Nouveau message de {sender} sur « {forecast.title[:80]} »",
        "interests/emails/new_message.txt",
        {"thread": thread, "forecast": forecast, "sender": sender, "url": absolute_url(thread.get_absolute_url())},
    )
