"""Supplier profiles API, mounted at /api/v1/suppliers: the directory and public profiles (no account), and the
replacement of a profile by its company's members (token)."""

from __future__ import annotations

import re
from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from tremplin.accounts.auth import token_auth
from tremplin.organisations.api import exact_siret
from tremplin.organisations.models import Organisation
from tremplin.referentials.models import Department
from tremplin.suppliers import directory
from tremplin.suppliers.errors import PermissionDenied, ProfileError
from tremplin.suppliers.models import SupplierActivity, SupplierProfile
from tremplin.suppliers.references import reference_counts, references_for
from tremplin.suppliers.schemas import (
    ErrorOut,
    ProfileIn,
    SupplierListOut,
    SupplierOut,
    summary_data,
    supplier_data,
)
from tremplin.suppliers.services import ActivityInput, ProfileInput, replace_profile

router = Router()

UNKNOWN_SUPPLIER = "Aucun fournisseur n'est enregistré avec ce SIRET."
API_FIELD_NAMES = {"headcount_band": "declared_headcount_band"}


class DirectoryQuery(Schema):
    cpv: str = Field("", description="Début de code CPV : 45 (travaux), 4521, 45210000-2…")
    department: str = Field("", description="Code INSEE d'un département que le fournisseur couvre (69, 2A, 974…).")
    inclusive: Literal["", "true", "siae", "handicap"] = Field(
        "", description="true : toute structure inclusive ; siae : insertion (L2113-13) ; handicap : EA, EATT, ESAT."
    )
    size: Literal["", "tpe_pme", "micro", "pme", "eti", "ge"] = Field("", description="Catégorie de taille.")
    q: str = Field("", description="Mots de la raison sociale, ou début de SIRET.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


def _invalid(location: str, field: str | None, message: str) -> ValidationError:
    path = [int(part) if part.isdigit() else part for part in re.split(r"[.\[\]]+", field or "") if part]
    return ValidationError([{"loc": [location, *path], "msg": message, "type": "value_error"}])


def _activities():
    return Prefetch("activities", SupplierActivity.objects.select_related("cpv", "naf"))


@router.get(
    "",
    response={200: SupplierListOut, 422: dict},
    summary="Annuaire des fournisseurs",
    description="Les entreprises qui ont un profil fournisseur, filtrées par code CPV (activités déclarées ou "
    "marchés remportés), département couvert par leur zone d'intervention, économie inclusive et taille.",
)
def list_suppliers(request, filters: Query[DirectoryQuery]):
    try:
        prefix = directory.cpv_prefix(filters.cpv)
    except ProfileError as error:
        raise _invalid("query", "cpv", str(error)) from error
    department = None
    if filters.department.strip():
        code = filters.department.strip().upper()
        department = Department.objects.select_related("region").filter(code=code).first()
        if department is None:
            raise _invalid("query", "department", f"Département inconnu : {code}.")
    profiles = directory.search_profiles(
        directory.DirectoryFilters(
            q=filters.q, cpv=prefix, department=department, inclusive=filters.inclusive, size=filters.size
        )
    ).prefetch_related(_activities(), "perimeters__region", "perimeters__department")
    items = list(profiles[filters.offset : filters.offset + filters.limit])
    counts = reference_counts(profile.organisation_id for profile in items)
    return {
        "count": profiles.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [summary_data(profile, counts.get(profile.organisation_id, 0)) for profile in items],
    }


def _organisation_or_404(siret: str) -> Organisation:
    organisation = (
        Organisation.objects.select_related("commune", "department__region")
        .prefetch_related("labels")
        .filter(siret=exact_siret(siret))
        .first()
    )
    if organisation is None:
        raise HttpError(404, UNKNOWN_SUPPLIER)
    return organisation


def _profile(organisation: Organisation) -> SupplierProfile | None:
    profile = (
        SupplierProfile.objects.prefetch_related(_activities(), "perimeters__region", "perimeters__department")
        .filter(organisation=organisation)
        .first()
    )
    if profile is not None:
        profile.organisation = organisation
    return profile


def _supplier(organisation: Organisation) -> dict:
    profile = _profile(organisation)
    if profile is None and not organisation.is_supplier:
        raise HttpError(404, UNKNOWN_SUPPLIER)
    return supplier_data(organisation, profile, references_for(organisation))


@router.get(
    "/{siret}",
    response={200: SupplierOut, 400: ErrorOut, 404: ErrorOut},
    summary="Profil public d'un fournisseur et ses références",
    description="Activités, zone d'intervention, capacités, statut inclusif et labels, et les marchés remportés "
    "d'après les données DECP (nombre, montant total hors montants douteux, divisions CPV, acheteurs, dates).",
)
def get_supplier(request, siret: str):
    return _supplier(_organisation_or_404(siret))


def _profile_input(payload: ProfileIn) -> ProfileInput:
    return ProfileInput(
        activities=[
            ActivityInput(cpv=a.cpv, naf=a.naf, description=a.description, service_types=list(a.service_types))
            for a in payload.activities
        ],
        national=payload.perimeter.national,
        regions=payload.perimeter.regions,
        departments=payload.perimeter.departments,
        radius_km=payload.perimeter.radius_km,
        headcount_band=payload.declared_headcount_band,
        turnover=payload.turnover,
        turnover_year=payload.turnover_year,
        declared_size_category=payload.declared_size_category,
        inclusive_status=payload.inclusive_status,
        labels=payload.labels,
        is_ess=payload.is_ess,
        is_esus=payload.is_esus,
    )


@router.put(
    "/{siret}/profile",
    auth=token_auth,
    response={200: SupplierOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: dict},
    summary="Remplacer le profil fournisseur d'une entreprise",
    description="Réservé aux membres de l'entreprise (jeton d'API). Remplace les activités, la zone "
    "d'intervention et les capacités ; le statut inclusif, les labels, ESS et ESUS (portés par l'organisation) "
    "ne changent que s'ils sont donnés. Rien n'est enregistré si une valeur est refusée (422, `detail[].loc` "
    "nomme le champ, `detail[].msg` explique en français).",
)
def put_profile(request, siret: str, payload: ProfileIn):
    organisation = _organisation_or_404(siret)
    try:
        replace_profile(request.auth, organisation, _profile_input(payload))
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    except ProfileError as error:
        raise _invalid("body", API_FIELD_NAMES.get(error.field, error.field), str(error)) from error
    organisation = _organisation_or_404(siret)
    return _supplier(organisation)
