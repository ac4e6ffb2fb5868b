"""Interests and messaging API. Everything here is private and needs a token (or a session with CSRF): a company
member answers for their company and reads its followed opportunities; a forecast's funnel is read by the
members of its buyer; a thread is read and written by the members of its two organisations. What a caller may
not see answers 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from tremplin import policy
from tremplin.accounts.auth import token_auth
from tremplin.core.mail import absolute_url
from tremplin.interests import queries, rules
from tremplin.interests.models import Interest, Message, Thread
from tremplin.interests.schemas import (
    ErrorOut,
    ForecastInterestsOut,
    InterestIn,
    InterestOut,
    InvalidOut,
    MessageIn,
    ThreadOut,
)
from tremplin.interests.services import Invalid, NotAllowed, UnknownOpportunity, answer, resolve
from tremplin.opportunities.models import Forecast
from tremplin.organisations.models import Organisation

router = Router(auth=token_auth)

NOT_YOURS = "Vous n'agissez pas pour cette entreprise sur Tremplin (membre de l'entreprise requis)."
UNKNOWN_THREAD = "Fil d'échanges inconnu."


def _lots(lots) -> list[dict]:
    return [{"id": lot.pk, "number": lot.number, "title": lot.title} for lot in lots]


def interest_out(row: Interest) -> dict:
    target = row.forecast or row.notice
    kind = "forecast" if row.forecast_id else "notice"
    thread = Thread.objects.filter(forecast_id=row.forecast_id, organisation_id=row.organisation_id).first()
    return {
        "opportunity": f"{kind}:{target.pk}",
        "title": target.title,
        "url": absolute_url(target.get_absolute_url()),
        "organisation": row.organisation.siret,
        "organisation_name": row.organisation.name,
        "state": row.state,
        "following": row.followed_at is not None,
        "notified_at": row.notified_at,
        "viewed_at": row.viewed_at,
        "followed_at": row.followed_at,
        "interested_at": row.interested_at,
        "not_interested_at": row.not_interested_at,
        "reason": row.reason,
        "reason_label": rules.REASONS.get(row.reason, ""),
        "details": row.reason_details,
        "lots": _lots(row.lots.order_by("number")),
        "thread": thread.pk if thread and row.forecast_id else None,
    }


def _company(user, siret: str) -> Organisation:
    organisation = Organisation.objects.filter(siret="".join((siret or "").split())).first()
    if organisation is None or not policy.can_answer_interest(user, organisation):
        raise HttpError(403, NOT_YOURS)
    return organisation


@router.post(
    "",
    response={200: InterestOut, 400: InvalidOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Suivre une opportunité, déclarer son intérêt ou dire pourquoi elle n'intéresse pas",
    description="La dernière réponse remplace la précédente (avec sa date) ; l'historique est conservé. Une "
    "prévision en brouillon ou inconnue répond 404.",
)
def post_interest(request: HttpRequest, payload: InterestIn):
    organisation = _company(request.auth, payload.organisation)
    try:
        opportunity = resolve(payload.opportunity, request.auth)
        row = answer(
            request.auth,
            organisation,
            opportunity,
            payload.action,
            payload.reason,
            payload.details,
            [str(pk) for pk in payload.lots],
        )
    except UnknownOpportunity as error:
        raise HttpError(404, str(error)) from error
    except NotAllowed as error:
        raise HttpError(403, NOT_YOURS) from error
    except Invalid as error:
        return Status(400, {"detail": str(error), "errors": error.errors})
    return interest_out(row)


class MineFilters(Schema):
    organisation: str


@router.get(
    "/mine",
    response={200: list[InterestOut], 401: ErrorOut, 403: ErrorOut},
    summary="Les opportunités suivies par mon entreprise, avec ses réponses",
)
def mine(request: HttpRequest, filters: Query[MineFilters]):
    organisation = _company(request.auth, filters.organisation)
    return [interest_out(row) for row in queries.followed_by([organisation])]


@router.get(
    "/forecasts/{forecast_id}",
    response={200: ForecastInterestsOut, 401: ErrorOut, 404: ErrorOut},
    summary="Le suivi d'une prévision : chiffres par étape et entreprises intéressées (membres de l'acheteur)",
)
def forecast_interests(request: HttpRequest, forecast_id: int):
    forecast = Forecast.objects.select_related("buyer").filter(pk=forecast_id).first()
    if forecast is None or not policy.can_view_forecast_interests(request.auth, forecast):
        raise HttpError(404, "Prévision inconnue.")
    funnel = queries.funnel(forecast=forecast)
    threads = queries.threads_by_organisation(forecast)
    interested = []
    for row in queries.interested(forecast=forecast):
        o = row.organisation
        interested.append(
            {
                "siret": o.siret,
                "name": o.name,
                "size_category": o.size_category,
                "inclusive_status": o.inclusive_status,
                "department": o.department_id or "",
                "lots": _lots(row.lots.all()),
                "interested_at": row.interested_at,
                "profile_url": absolute_url(reverse("suppliers:detail", args=[o.siret])),
                "thread": threads[o.pk].pk if o.pk in threads else None,
            }
        )
    return {
        "forecast": forecast.pk,
        "title": forecast.title,
        "counts": funnel["counts"],
        "reasons": [{"reason": r["key"], "label": r["label"], "count": r["count"]} for r in funnel["reasons"]],
        "interested": interested,
    }


def _thread_or_404(user, thread_id: int) -> Thread:
    thread = Thread.objects.select_related("forecast__buyer", "organisation").filter(pk=thread_id).first()
    if thread is None or not policy.can_view_thread(user, thread):
        raise HttpError(404, UNKNOWN_THREAD)
    return thread


def thread_out(user, thread: Thread) -> dict:
    names = {rules.BUYER: thread.forecast.buyer.name, rules.SUPPLIER: thread.organisation.name}
    messages = Message.objects.filter(thread=thread).select_related("author")
    return {
        "id": thread.pk,
        "forecast": thread.forecast_id,
        "forecast_title": thread.forecast.title,
        "buyer": thread.forecast.buyer.siret,
        "organisation": thread.organisation.siret,
        "can_write": bool(policy.thread_side(user, thread)),
        "messages": [
            {
                "id": m.pk,
                "side": m.side,
                "organisation": names[m.side],
                "author": m.author.get_full_name() if m.author else "",
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in messages
        ],
    }


@router.get(
    "/threads/{thread_id}/messages",
    response={200: ThreadOut, 401: ErrorOut, 404: ErrorOut},
    summary="Les messages d'un fil d'échanges (membres de l'acheteur et de l'entreprise)",
)
def thread_messages(request: HttpRequest, thread_id: int):
    return thread_out(request.auth, _thread_or_404(request.auth, thread_id))


@router.post(
    "/threads/{thread_id}/messages",
    response={201: ThreadOut, 400: InvalidOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Écrire dans un fil d'échanges (membres de l'entreprise, agents de l'acheteur)",
    description="L'autre partie est prévenue par e-mail. Texte simple : le HTML n'est jamais interprété.",
)
def post_message(request: HttpRequest, thread_id: int, payload: MessageIn):
    from tremplin.interests.services import post

    thread = _thread_or_404(request.auth, thread_id)
    try:
        post(request.auth, thread, payload.body)
    except NotAllowed as error:
        raise HttpError(
            403, "Vous ne pouvez pas écrire dans ce fil (messagerie fermée ou rôle insuffisant)."
        ) from error
    except Invalid as error:
        return Status(400, {"detail": str(error), "errors": error.errors})
    return Status(201, thread_out(request.auth, thread))
