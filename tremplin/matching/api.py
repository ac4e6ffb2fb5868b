"""Matching API, mounted at /api/v1/matching: open opportunities for a supplier, suppliers for a need. Public
reads: profiles and published opportunities are public, drafts never appear."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from tremplin.matching import services
from tremplin.matching.schemas import ErrorOut, NeedIn, OpportunityListOut, SupplierListOut
from tremplin.matching.types import OPPORTUNITY_KINDS, SupplierQuery
from tremplin.organisations.api import exact_siret
from tremplin.suppliers.models import SupplierProfile

router = Router()


class OpportunityFilters(Schema):
    supplier: str = Field(..., description="SIRET du fournisseur (14 chiffres).")
    kind: Literal["", "forecast", "lot", "notice"] = Field("", description="Ne garder qu'un type d'opportunité.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


@router.get(
    "/opportunities",
    response={200: OpportunityListOut, 400: ErrorOut, 404: ErrorOut},
    summary="Opportunités ouvertes pour un fournisseur",
    description="Prévisions publiées (entières et par lot) et avis ouverts, classés pour le profil du fournisseur, "
    "chacun avec les raisons de son score.",
)
def opportunities(request: HttpRequest, filters: Query[OpportunityFilters]):
    siret = exact_siret(filters.supplier)
    profile = SupplierProfile.objects.select_related("organisation__commune").filter(organisation__siret=siret).first()
    if profile is None:
        raise HttpError(404, "Aucun profil fournisseur n'est enregistré avec ce SIRET.")
    query = services.query_for_profile(profile)
    if filters.kind:
        query = services.replace(query, kinds=(filters.kind,))
    page = services.match_opportunities(query, limit=filters.limit, offset=filters.offset)
    return {
        "supplier": siret,
        "count": page.count,
        "items": [
            {
                "id": m.id,
                "kind": m.kind,
                "title": m.title,
                "score": m.score,
                "reasons": list(m.reasons),
                "url": m.url,
                "buyer": m.buyer_name,
                "deadline": m.deadline,
            }
            for m in page.items
        ],
    }


@router.post(
    "/suppliers",
    response={200: SupplierListOut, 400: ErrorOut},
    summary="Fournisseurs pour un besoin",
    description="Profils fournisseurs classés pour un besoin (description, codes CPV, lieu, montant, réservation), "
    "chacun avec les raisons de son score. Les filtres restreignent sans noter.",
)
def suppliers(request: HttpRequest, need: NeedIn):
    query = SupplierQuery(
        text=need.text,
        cpv=tuple(need.cpv),
        departments=(need.department,) if need.department.strip() else (),
        commune=need.commune,
        amount=need.amount,
        reservation=need.reservation,
        filters=tuple(need.filters),
    )
    try:
        query = services.check_supplier_query(query)
    except services.MatchingError as error:
        raise HttpError(400, str(error)) from error
    page = services.match_suppliers(query, limit=need.limit, offset=need.offset)
    return {
        "count": page.count,
        "items": [
            {
                "id": m.id,
                "kind": "supplier",
                "title": m.name,
                "score": m.score,
                "reasons": list(m.reasons),
                "url": m.url,
                "siret": m.siret,
                "inclusive_status": m.inclusive_status,
                "size_category": m.size_category,
            }
            for m in page.items
        ],
    }


__all__ = ["router", "OPPORTUNITY_KINDS"]
