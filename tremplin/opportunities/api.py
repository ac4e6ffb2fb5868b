"""Forecasts and fairs API. Reading published forecasts and fairs needs no account; drafts are returned only to
the members of their organisation (token or session), to anyone else they do not exist (404). Writing needs a
token: forecasts by the buyer agents of their organisation, registrations by the members of the company."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from tremplin import policy
from tremplin.accounts.auth import TokenAuth, token_auth
from tremplin.opportunities import fairs as fair_services
from tremplin.opportunities import rules
from tremplin.opportunities.exports import approch_payload, ocds_package, with_relations
from tremplin.opportunities.models import Fair, Forecast, Registration
from tremplin.opportunities.queries import Filters, public_forecasts
from tremplin.opportunities.rules import ForecastData, LotData
from tremplin.opportunities.schemas import (
    CancellationOut,
    ErrorOut,
    FairOut,
    ForecastCreateIn,
    ForecastIn,
    ForecastListOut,
    ForecastOut,
    ImportOut,
    InvalidOut,
    RegistrationIn,
    RegistrationOut,
    TransitionIn,
)
from tremplin.opportunities.services import (
    ForecastInvalid,
    PermissionDenied,
    TransitionRefused,
    import_approch,
    save_forecast,
    transition,
)
from tremplin.organisations.models import Organisation
from tremplin.referentials.rules import CpvCodeError, normalize_cpv

router = Router()

UNKNOWN_FORECAST = "Prévision inconnue."
UNKNOWN_FAIR = "Salon inconnu."
MAX_IMPORT = 500


class OptionalTokenAuth(TokenAuth):
    """A token or a session when one is sent, else an anonymous caller (reads of public data)."""

    def __call__(self, request):
        header = request.headers.get(self.header)
        user = getattr(request, "user", None)
        if not header and not (user is not None and user.is_authenticated and user.is_active):
            return AnonymousUser()
        return super().__call__(request)


optional_auth = OptionalTokenAuth()


class ForecastFilters(Schema):
    q: str = Field("", description="Mots de l'intitulé, de la description ou des mots-clés.")
    cpv: str = Field("", description="Début de code CPV (45, 4523…) : code principal, secondaire ou d'un lot.")
    department: str = Field("", description="Code du département d'exécution (communes comprises).")
    category: str = Field("", description="travaux, fournitures ou services.")
    quarter: str = Field("", description="Trimestre de publication prévu, par ex. 2026-T3.")
    reserved: str = Field("", description="oui (tout marché ou lot réservé), L2113-12, L2113-13, L2113-15.")
    status: str = Field("", description="Vide : publiées et en consultation ; tous ; ou un statut.")
    buyer: str = Field("", description="SIRET de l'acheteur.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)

    def to_filters(self) -> Filters:
        return Filters(**self.dict(exclude={"limit", "offset"}))


class ExportFilters(ForecastFilters):
    limit: int = Field(100, ge=1, le=1000)


def _visible_or_404(user, forecast_id: int) -> Forecast:
    forecast = with_relations(Forecast.objects.filter(pk=forecast_id)).first()
    if forecast is None or not policy.can_view_forecast(user, forecast):
        raise HttpError(404, UNKNOWN_FORECAST)
    return forecast


def _invalid(error: ForecastInvalid):
    return Status(400, {"detail": str(error), "errors": error.errors})


def _data(payload: ForecastIn) -> ForecastData:
    """The payload as rule data; CPV codes are read in every accepted form (45210000-2, 452100002…)."""
    errors: dict[str, list[str]] = {}

    def cpv(raw: str, name: str) -> str:
        try:
            return normalize_cpv(raw) if raw.strip() else ""
        except CpvCodeError as error:
            errors.setdefault(name, []).append(str(error))
            return ""

    values = payload.dict(exclude={"lots", "buyer_siret"})
    values["cpv"] = cpv(payload.cpv, "cpv")
    values["cpv_secondary"] = [code for raw in payload.cpv_secondary if (code := cpv(raw, "cpv_secondary"))]
    values["departments"] = [rules.normalise_department(code) for code in payload.departments]
    values["communes"] = [code.strip().upper() for code in payload.communes]
    values["keywords"] = rules.parse_keywords(payload.keywords)
    values["title"] = payload.title.strip()
    lots = [
        LotData(lot.number, lot.title.strip(), cpv(lot.cpv, "lots"), lot.estimated_amount, lot.reservation)
        for lot in payload.lots
    ]
    if errors:
        raise ForecastInvalid(errors)
    return ForecastData(**values, lots=lots)


# ---------------------------------------------------------------- forecasts: reading


@router.get("/forecasts", response=ForecastListOut, summary="Prévisions d'achat publiées")
def list_forecasts(request, filters: Query[ForecastFilters]):
    queryset = public_forecasts(filters.to_filters())
    items = list(queryset[filters.offset : filters.offset + filters.limit])
    return {"count": queryset.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/forecasts/mine",
    auth=token_auth,
    response={200: list[ForecastOut], 401: ErrorOut},
    summary="Les prévisions de mes organisations, brouillons compris",
)
def my_forecasts(request):
    ids = policy.member_organisation_ids(request.auth)
    return list(with_relations(Forecast.objects.filter(buyer_id__in=ids)).order_by("-updated_at")[:500])


@router.get("/forecasts/approch", summary="Export au format APProch (JSON)")
def export_approch(request, filters: Query[ExportFilters]):
    queryset = with_relations(public_forecasts(filters.to_filters()))
    items = [approch_payload(f) for f in queryset[filters.offset : filters.offset + filters.limit]]
    body = {"count": queryset.count(), "limit": filters.limit, "offset": filters.offset, "items": items}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@router.get(
    "/forecasts/ocds",
    summary="Export OCDS 1.1 (releases de planification)",
    description="Un paquet de releases OCDS, une par prévision publiée (jamais les brouillons) ; voir "
    "`tremplin/opportunities/ocds.py` pour la correspondance des champs.",
)
def export_ocds(request, filters: Query[ExportFilters]):
    queryset = with_relations(public_forecasts(filters.to_filters()))
    forecasts = list(queryset[filters.offset : filters.offset + filters.limit])
    return JsonResponse(
        ocds_package(forecasts, request.build_absolute_uri()), json_dumps_params={"ensure_ascii": False}
    )


@router.get(
    "/forecasts/{forecast_id}",
    auth=optional_auth,
    response={200: ForecastOut, 401: ErrorOut, 404: ErrorOut},
    summary="Une prévision d'achat",
)
def forecast_detail(request, forecast_id: int):
    return _visible_or_404(request.auth, forecast_id)


@router.get(
    "/forecasts/{forecast_id}/approch",
    auth=optional_auth,
    response={401: ErrorOut, 404: ErrorOut},
    summary="Une prévision au format APProch",
)
def forecast_approch(request, forecast_id: int):
    forecast = _visible_or_404(request.auth, forecast_id)
    return JsonResponse(approch_payload(forecast), json_dumps_params={"ensure_ascii": False})


@router.get(
    "/forecasts/{forecast_id}/ocds",
    response={404: ErrorOut},
    summary="Une prévision au format OCDS (paquet d'une release)",
)
def forecast_ocds(request, forecast_id: int):
    forecast = with_relations(Forecast.objects.public().filter(pk=forecast_id)).first()
    if forecast is None:
        raise HttpError(404, UNKNOWN_FORECAST)
    return JsonResponse(
        ocds_package([forecast], request.build_absolute_uri()), json_dumps_params={"ensure_ascii": False}
    )


# ---------------------------------------------------------------- forecasts: writing


@router.post(
    "/forecasts",
    auth=token_auth,
    response={201: ForecastOut, 400: InvalidOut, 401: ErrorOut, 403: ErrorOut},
    summary="Créer une prévision (brouillon)",
)
def create_forecast(request, payload: ForecastCreateIn):
    organisation = Organisation.objects.filter(siret=payload.buyer_siret.replace(" ", "")).first()
    if organisation is None or not policy.can_write_forecasts(request.auth, organisation):
        raise HttpError(403, "Vous n'êtes pas agent acheteur de cette organisation sur Tremplin.")
    try:
        forecast = save_forecast(request.auth, organisation, _data(payload), source="api")
    except ForecastInvalid as error:
        return _invalid(error)
    return Status(201, _visible_or_404(request.auth, forecast.pk))


@router.put(
    "/forecasts/{forecast_id}",
    auth=token_auth,
    response={200: ForecastOut, 400: InvalidOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Remplacer le contenu d'une prévision (le statut ne change pas)",
)
def update_forecast(request, forecast_id: int, payload: ForecastIn):
    forecast = _visible_or_404(request.auth, forecast_id)
    if not policy.can_edit_forecast(request.auth, forecast):
        raise HttpError(403, "Seuls les agents acheteurs de l'organisation peuvent modifier cette prévision.")
    try:
        save_forecast(request.auth, forecast.buyer, _data(payload), forecast)
    except ForecastInvalid as error:
        return _invalid(error)
    return _visible_or_404(request.auth, forecast.pk)


@router.post(
    "/forecasts/{forecast_id}/transition",
    auth=token_auth,
    response={200: ForecastOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Changer le statut (publier, passer en consultation, attribuer, abandonner)",
)
def forecast_transition(request, forecast_id: int, payload: TransitionIn):
    forecast = _visible_or_404(request.auth, forecast_id)
    try:
        transition(request.auth, forecast, payload.status)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except TransitionRefused as exc:
        raise HttpError(409, str(exc)) from exc
    return _visible_or_404(request.auth, forecast.pk)


@router.post(
    "/forecasts/approch",
    auth=token_auth,
    response={200: ImportOut, 201: ImportOut, 400: InvalidOut, 401: ErrorOut, 403: ErrorOut},
    summary="Importer des projets d'achat au format APProch",
    description="Un projet (objet JSON) ou une liste de projets (500 au plus), enregistrés tous ou aucun. Un "
    "projet déjà importé (même acheteur, même `id`) est mis à jour. `purchasingEntity.siret` doit être une "
    "organisation dont vous êtes agent acheteur. Correspondance des champs : `tremplin/opportunities/approch.py`.",
)
def import_approch_projects(request, payload: Body[Any]):
    items = payload if isinstance(payload, list) else [payload]
    if not items or len(items) > MAX_IMPORT:
        raise HttpError(400, f"Envoyez de 1 à {MAX_IMPORT} projets d'achat.")
    results = []
    try:
        with transaction.atomic():
            for index, item in enumerate(items):
                try:
                    results.append(import_approch(request.auth, item))
                except ForecastInvalid as error:
                    prefix = f"[{index}] " if len(items) > 1 else ""
                    errors = {f"{prefix}{key}".strip(): value for key, value in error.errors.items()}
                    raise ForecastInvalid(errors) from error
    except ForecastInvalid as error:
        return _invalid(error)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    created = sum(1 for _, was_created in results if was_created)
    body = {
        "created": created,
        "updated": len(results) - created,
        "items": [
            {"id": f.pk, "url": request.build_absolute_uri(f.get_absolute_url()), "created": c} for f, c in results
        ],
    }
    return Status(201 if created else 200, body)


# ---------------------------------------------------------------- fairs


def _fair_or_404(fair_id: int) -> Fair:
    fair = Fair.objects.select_related("organiser", "commune").filter(pk=fair_id).first()
    if fair is None:
        raise HttpError(404, UNKNOWN_FAIR)
    return fair


@router.get("/fairs", response=list[FairOut], summary="Salons acheteurs à venir (ou passés)")
def list_fairs(request, past: bool = False):
    now = timezone.now()
    fairs = Fair.objects.select_related("organiser", "commune")
    return list(fairs.filter(ends_at__lt=now).order_by("-starts_at")[:200] if past else fairs.filter(ends_at__gte=now))


@router.get("/fairs/{fair_id}", response={200: FairOut, 404: ErrorOut}, summary="Un salon acheteurs")
def fair_detail(request, fair_id: int):
    return _fair_or_404(fair_id)


@router.get(
    "/fairs/{fair_id}/registrations",
    auth=token_auth,
    response={200: list[RegistrationOut], 401: ErrorOut, 404: ErrorOut},
    summary="Inscriptions : toutes pour l'organisateur, celles de mes entreprises sinon",
)
def fair_registrations(request, fair_id: int):
    fair = _fair_or_404(fair_id)
    registrations = fair.registrations.select_related("organisation").order_by("requested_at", "pk")
    if not policy.can_manage_fair(request.auth, fair):
        registrations = registrations.filter(organisation_id__in=policy.member_organisation_ids(request.auth))
    return list(registrations)


@router.post(
    "/fairs/{fair_id}/registrations",
    auth=token_auth,
    response={201: RegistrationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Inscrire mon entreprise (liste d'attente si le salon est complet)",
)
def register_to_fair(request, fair_id: int, payload: RegistrationIn):
    fair = _fair_or_404(fair_id)
    organisation = Organisation.objects.filter(siret=payload.siret.replace(" ", "")).first()
    if organisation is None or not policy.can_register_to_fair(request.auth, organisation):
        raise HttpError(403, "Vous n'êtes pas membre de cette entreprise sur Tremplin.")
    try:
        registration = fair_services.register(request.auth, fair, organisation)
    except fair_services.PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except fair_services.FairError as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201, registration)


@router.delete(
    "/fairs/{fair_id}/registrations/{registration_id}",
    auth=token_auth,
    response={200: CancellationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Annuler une inscription (la première entreprise en attente prend la place)",
)
def cancel_fair_registration(request, fair_id: int, registration_id: int):
    fair = _fair_or_404(fair_id)
    registration = Registration.objects.select_related("organisation").filter(pk=registration_id, fair=fair).first()
    if registration is None or not policy.can_view_registration(request.auth, registration):
        raise HttpError(404, "Inscription inconnue.")
    try:
        promoted = fair_services.cancel_registration(request.auth, registration)
    except fair_services.PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except fair_services.FairError as exc:
        raise HttpError(409, str(exc)) from exc
    registration.refresh_from_db()
    return {"registration": registration, "promoted": promoted}
