"""Demo data for the interest funnel: `create_demo_interests(buyer_org, company_org, forecasts)` makes
`company_org` notified of, having viewed and followed each published forecast of `buyer_org`, interested in the
first one (in its first lot when it has lots) and not interested in the second one; when the first one accepts
questions, it opens a thread with a question of the company and the buyer's answer. Idempotent: a second call
changes nothing (rows and threads that exist are left as they are)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tremplin.interests import rules
from tremplin.interests.models import Interest, InterestEvent, Message, Thread
from tremplin.organisations.models import Membership, Role

QUESTION = (
    "Bonjour,\n\nNous sommes une entreprise d'insertion de la métropole et ce lot correspond à notre activité.\n"
    "Prévoyez-vous une visite des lieux avant la remise des offres ?\n\nMerci d'avance."
)
ANSWER = (
    "Bonjour,\n\nOui : une visite sera organisée deux semaines après la publication de l'avis. "
    "La date figurera dans le règlement de la consultation.\n\nBien cordialement."
)


@dataclass
class DemoInterests:
    created: int = 0
    thread: Thread | None = None


def _member(organisation, role):
    membership = Membership.objects.active().filter(organisation=organisation, role=role).select_related("user").first()
    return membership.user if membership else None


@transaction.atomic
def create_demo_interests(buyer_org, company_org, forecasts) -> DemoInterests:
    result = DemoInterests()
    published = [f for f in forecasts if not f.is_draft and f.buyer_id == buyer_org.pk]
    now = timezone.now()
    company_user = _member(company_org, Role.COMPANY_MEMBER)
    for index, forecast in enumerate(published):
        row, created = Interest.objects.get_or_create(forecast=forecast, organisation=company_org)
        if not created:
            continue
        result.created += 1
        notified = now - datetime.timedelta(days=6, hours=index)
        viewed = notified + datetime.timedelta(hours=3)
        answer = rules.Answer(followed_at=viewed)
        events = [("notified", notified, None), ("viewed", viewed, company_user), (rules.FOLLOW, viewed, company_user)]
        lots = []
        if index == 0:
            answer = rules.apply(answer, rules.INTERESTED, viewed + datetime.timedelta(minutes=5))
            lots = list(forecast.lots.order_by("number")[:1])
            events.append((rules.INTERESTED, answer.interested_at, company_user))
        elif index == 1:
            answer = rules.apply(answer, rules.NOT_INTERESTED, viewed, "too_large")
            events.append((rules.NOT_INTERESTED, viewed, company_user))
        row.notified_at, row.viewed_at = notified, viewed
        row.set_answer(answer)
        row.save()
        row.lots.set(lots)
        for action, at, by in events:
            reason = row.reason if action == rules.NOT_INTERESTED else ""
            numbers = [lot.number for lot in lots] if action == rules.INTERESTED else []
            InterestEvent.objects.create(interest=row, action=action, reason=reason, lots=numbers, by=by, at=at)
    if published and published[0].messaging_enabled:
        thread, created = Thread.objects.get_or_create(forecast=published[0], organisation=company_org)
        if created:
            Message.objects.create(thread=thread, side=rules.SUPPLIER, author=company_user, body=QUESTION)
            reply = Message.objects.create(
                thread=thread, side=rules.BUYER, author=_member(buyer_org, Role.BUYER_AGENT), body=ANSWER
            )
            Thread.objects.filter(pk=thread.pk).update(last_message_at=reply.created_at)
        result.thread = thread
    return result
