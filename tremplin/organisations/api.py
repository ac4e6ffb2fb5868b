"""Organisations API: public profiles and search (no auth), membership requests and decisions (token)."""

from typing import Literal

from django.db.models import Q
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from tremplin import policy
from tremplin.accounts.auth import token_auth
from tremplin.core.text import search_words
from tremplin.organisations.models import (
    HANDICAP_STATUSES,
    SIAE_STATUSES,
    InclusiveStatus,
    Membership,
    Organisation,
    Role,
)
from tremplin.organisations.rules import InvalidIdentifier, clean_identifier, is_ascii_digits, validate_siret
from tremplin.organisations.schemas import (
    ErrorOut,
    MembershipOut,
    OrganisationListOut,
    OrganisationProfileOut,
)
from tremplin.organisations.services import MembershipError, PermissionDenied, decide_membership, request_membership

router = Router()

UNKNOWN_ORGANISATION = "Aucune organisation n'est enregistrée avec ce SIRET."
UNKNOWN_REQUEST = "Demande de rattachement introuvable."

InclusiveFilter = Literal["true", "false", "siae", "handicap", *InclusiveStatus.values]
INCLUSIVE_FILTERS = {
    "true": ~Q(inclusive_status=""),
    "false": Q(inclusive_status=""),
    "siae": Q(inclusive_status__in=SIAE_STATUSES),
    "handicap": Q(inclusive_status__in=HANDICAP_STATUSES),
}


class OrganisationFilters(Schema):
    q: str = Field("", description="Mots de la raison sociale (sans accents ni casse), ou début de SIRET/SIREN.")
    is_buyer: bool | None = None
    is_supplier: bool | None = None
    department: str | None = Field(None, description="Code INSEE du département, par ex. 59 ou 2A.")
    inclusive: InclusiveFilter | None = Field(
        None,
        description="true : toute structure inclusive ; false : aucune ; siae : SIAE (L2113-13) ; "
        "handicap : EA, EATT, ESAT (L2113-12) ; ou un statut précis (EI, ESAT…).",
    )
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


class MembershipRequestIn(Schema):
    role: Role
    message: str = ""
    name: str = Field("", description="Raison sociale, pour créer l'organisation si ce SIRET est inconnu.")


class DecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=255)


def exact_siret(raw: str) -> str:
    """The path value must be the 14 digits themselves; a malformed one is a 400 that says why."""
    try:
        siret = validate_siret(raw)
    except InvalidIdentifier as exc:
        raise HttpError(400, str(exc)) from exc
    if siret != raw:
        raise HttpError(400, f"Indiquez le SIRET sans espaces ni séparateurs : {siret}.")
    return siret


@router.get("/", response=OrganisationListOut, summary="Rechercher des organisations")
def search_organisations(request, filters: Query[OrganisationFilters]):
    queryset = Organisation.objects.select_related("commune", "department").order_by("search_text", "siret")
    digits = clean_identifier(filters.q)
    if is_ascii_digits(digits):
        queryset = queryset.filter(siret__startswith=digits)
    else:
        for word in search_words(filters.q):
            queryset = queryset.filter(search_text__contains=word)
    if filters.is_buyer is not None:
        queryset = queryset.filter(is_buyer=filters.is_buyer)
    if filters.is_supplier is not None:
        queryset = queryset.filter(is_supplier=filters.is_supplier)
    if filters.department:
        queryset = queryset.filter(department_id=filters.department.strip().upper())
    if filters.inclusive:
        queryset = queryset.filter(INCLUSIVE_FILTERS.get(filters.inclusive, Q(inclusive_status=filters.inclusive)))
    items = list(queryset[filters.offset : filters.offset + filters.limit])
    return {"count": queryset.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/{siret}",
    response={200: OrganisationProfileOut, 400: ErrorOut, 404: ErrorOut},
    summary="Profil public d'une organisation",
)
def organisation_profile(request, siret: str):
    organisation = (
        Organisation.objects.select_related("naf", "commune", "department__region")
        .prefetch_related("labels")
        .filter(siret=exact_siret(siret))
        .first()
    )
    if organisation is None:
        raise HttpError(404, UNKNOWN_ORGANISATION)
    return organisation


@router.post(
    "/{siret}/membership-requests",
    auth=token_auth,
    response={201: MembershipOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="Demander à être rattaché(e) à une organisation",
)
def create_membership_request(request, siret: str, payload: MembershipRequestIn):
    try:
        membership = request_membership(
            request.auth, exact_siret(siret), payload.role, message=payload.message, name=payload.name
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except MembershipError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, membership)


@router.post(
    "/membership-requests/{membership_id}/decision",
    auth=token_auth,
    response={200: MembershipOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Accepter ou refuser une demande de rattachement",
)
def decide_membership_request(request, membership_id: int, payload: DecisionIn):
    membership = Membership.objects.select_related("organisation", "user").filter(pk=membership_id).first()
    if membership is None or not policy.can_view_membership(request.auth, membership):
        raise HttpError(404, UNKNOWN_REQUEST)
    try:
        return decide_membership(request.auth, membership, payload.approve, payload.reason)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except MembershipError as exc:
        raise HttpError(409, str(exc)) from exc
