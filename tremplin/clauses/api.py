"""Clauses API. Reads are public (a clause of a draft forecast exists only for the members of its buyer: 404 to
anyone else); writes need a token (or a session with CSRF): buyer agents attach clauses, holders' company members
and facilitators declare insertion hours."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from tremplin import policy
from tremplin.accounts.auth import token_auth
from tremplin.clauses import rules, services
from tremplin.clauses.models import Clause, ClauseType
from tremplin.clauses.schemas import (
    ClauseFilters,
    ClauseIn,
    ClauseOut,
    ClauseTypeOut,
    EgalimOut,
    ErrorOut,
    HoursIn,
    HoursOut,
    InvalidOut,
    SummaryFilters,
    SummaryOut,
)
from tremplin.contracts.models import Contract
from tremplin.opportunities.api import optional_auth
from tremplin.opportunities.models import Forecast, Lot
from tremplin.organisations.models import Organisation

router = Router()

UNKNOWN_CLAUSE = "Clause inconnue."
SUMMARY_DEFINITION = (
    "Clauses d'insertion des marchés attribués suivis sur Tremplin. Année : notification du marché ; département : "
    "lieu d'exécution ; heures réalisées : toutes les périodes déclarées."
)


def progress_out(progress: rules.Progress) -> dict:
    return {
        "hours_due": progress.due,
        "hours_done": progress.done,
        "remaining": progress.remaining,
        "achieved_percent": progress.achieved,
    }


def clause_out(clause: Clause) -> dict:
    forecast = policy.clause_forecast(clause)
    progress = services.clause_progress(clause) if clause.is_insertion and clause.contract_id else None
    return {
        "id": clause.pk,
        "type": clause.clause_type.code,
        "type_name": clause.clause_type.name,
        "forecast": forecast.pk if forecast else None,
        "lot": clause.lot_id,
        "lot_number": clause.lot.number if clause.lot_id else None,
        "contract": clause.contract.key if clause.contract_id else None,
        "amount_excl_vat": clause.amount_excl_vat,
        "labour_share": clause.labour_share,
        "insertion_rate": clause.insertion_rate,
        "hourly_cost": clause.hourly_cost,
        "hours_due": clause.hours_due,
        "target_percent": clause.target_percent,
        "target_text": clause.target_text,
        "notes": clause.notes,
        "progress": progress_out(progress) if progress else None,
        "created_at": clause.created_at,
    }


@router.get("/types", response=list[ClauseTypeOut], summary="Catalogue des types de clauses")
def types(request):
    return [
        {
            "code": t.code,
            "name": t.name,
            "family": t.family,
            "family_label": t.get_family_display(),
            "target_unit": t.target_unit,
            "description": t.description,
            "legal_basis": t.legal_basis,
        }
        for t in ClauseType.objects.all()
    ]


@router.get(
    "",
    auth=optional_auth,
    response={200: list[ClauseOut], 401: ErrorOut, 404: ErrorOut},
    summary="Clauses d'une prévision, d'un lot ou d'un marché",
    description="Public. Une prévision en brouillon (ou son lot) répond 404 sauf aux membres de son acheteur.",
)
def list_clauses(request: HttpRequest, filters: Query[ClauseFilters]):
    user = request.auth
    clauses = services.clause_queryset().filter(policy.visible_clauses_filter(user))
    if filters.forecast is not None:
        forecast = Forecast.objects.filter(pk=filters.forecast).first()
        if forecast is None or not policy.can_view_forecast(user, forecast):
            raise HttpError(404, "Prévision inconnue.")
        clauses = clauses.filter(forecast=forecast) | clauses.filter(lot__forecast=forecast)
    if filters.lot is not None:
        lot = Lot.objects.select_related("forecast").filter(pk=filters.lot).first()
        if lot is None or not policy.can_view_forecast(user, lot.forecast):
            raise HttpError(404, "Lot inconnu.")
        clauses = clauses.filter(lot=lot)
    if filters.contract:
        contract = Contract.objects.filter(key=filters.contract).first()
        if contract is None:
            raise HttpError(404, "Marché inconnu.")
        clauses = clauses.filter(contract=contract)
    if filters.type:
        clauses = clauses.filter(clause_type__code=filters.type)
    clauses = clauses.order_by("pk")[filters.offset : filters.offset + filters.limit]
    return [clause_out(clause) for clause in clauses]


def _target(user, payload: ClauseIn):
    given = [name for name in ("forecast", "lot", "contract") if getattr(payload, name) not in (None, "")]
    if len(given) != 1:
        return None, Status(
            400,
            {
                "detail": "Indiquez une seule cible : forecast, lot ou contract.",
                "errors": {"target": "Une clause s'attache à une seule prévision, un seul lot ou un seul marché."},
            },
        )
    if payload.contract:
        contract = Contract.objects.select_related("buyer").filter(key=payload.contract).first()
        if contract is None:
            raise HttpError(404, "Marché inconnu.")
        return contract, None
    if payload.lot is not None:
        lot = Lot.objects.select_related("forecast__buyer").filter(pk=payload.lot).first()
        if lot is None or not policy.can_view_forecast(user, lot.forecast):
            raise HttpError(404, "Lot inconnu.")
        return lot, None
    forecast = Forecast.objects.select_related("buyer").filter(pk=payload.forecast).first()
    if forecast is None or not policy.can_view_forecast(user, forecast):
        raise HttpError(404, "Prévision inconnue.")
    return forecast, None


@router.post(
    "",
    auth=token_auth,
    response={201: ClauseOut, 400: InvalidOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Attacher une clause à une prévision, un lot ou un marché",
    description="Par un agent de l'acheteur. Pour une clause d'insertion, les heures dues sont calculées à partir du "
    "montant, de la part de main-d'œuvre, du taux et du coût horaire si elles ne sont pas données.",
)
def create_clause(request: HttpRequest, payload: ClauseIn):
    user = request.auth
    target, invalid = _target(user, payload)
    if invalid:
        return invalid
    clause_type = ClauseType.objects.filter(code=payload.type).first()
    if clause_type is None:
        codes = ", ".join(ClauseType.objects.values_list("code", flat=True))
        return Status(400, {"detail": f"Type de clause inconnu (attendu : {codes}).", "errors": {"type": "Inconnu."}})
    data = payload.dict(exclude={"type", "forecast", "lot", "contract"})
    try:
        clause = services.attach_clause(user, target, clause_type, data)
    except services.NotAllowed as error:
        raise HttpError(403, str(error)) from error
    except services.ClauseError as error:
        return Status(400, {"detail": str(error), "errors": error.errors})
    return Status(201, clause_out(services.clause_queryset().get(pk=clause.pk)))


@router.post(
    "/{clause_id}/hours",
    auth=token_auth,
    response={201: HoursOut, 400: InvalidOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Déclarer des heures d'insertion réalisées sur une période",
    description="Par un membre d'une entreprise titulaire du marché ou par un facilitateur d'un réseau. Les "
    "périodes d'une même clause ne se chevauchent pas.",
)
def declare_hours(request: HttpRequest, clause_id: int, payload: HoursIn):
    user = request.auth
    clause = services.clause_queryset().filter(pk=clause_id).first()
    if clause is None or not policy.can_view_clause(user, clause):
        raise HttpError(404, UNKNOWN_CLAUSE)
    organisation = None
    if payload.organisation:
        siret = "".join(payload.organisation.split())
        organisation = Organisation.objects.filter(siret=siret).first()
        if organisation is None:
            return Status(400, {"detail": "Organisation inconnue.", "errors": {"organisation": "SIRET inconnu."}})
    try:
        declaration = services.declare_hours(
            user,
            clause,
            organisation,
            payload.period_start,
            payload.period_end,
            payload.hours,
            payload.comment,
            today=datetime.date.today(),
        )
    except services.NotAllowed as error:
        raise HttpError(403, str(error)) from error
    except services.ClauseError as error:
        return Status(400, {"detail": str(error), "errors": error.errors})
    return Status(
        201,
        {
            "id": declaration.pk,
            "clause": clause.pk,
            "period_start": declaration.period_start,
            "period_end": declaration.period_end,
            "hours": declaration.hours,
            "comment": declaration.comment,
            "organisation": declaration.organisation.siret,
            "organisation_name": declaration.organisation.name,
            "created_at": declaration.created_at,
            "progress": progress_out(services.clause_progress(clause)),
        },
    )


def _row_out(row: services.InsertionRow) -> dict:
    return {
        "year": row.year,
        "buyer_siret": row.buyer_siret,
        "buyer_name": row.buyer_name,
        "department": row.department,
        "department_name": row.department_name,
        "contracts": row.contracts,
        "hours_due": row.hours_due,
        "hours_done": row.hours_done,
        "achieved_percent": row.achieved,
    }


@router.get(
    "/insertion/summary",
    response=SummaryOut,
    summary="Heures d'insertion dues et réalisées par année, acheteur et département",
)
def insertion_summary(request, filters: Query[SummaryFilters]):
    rows = services.insertion_summary(
        services.InsertionFilters(
            buyer="".join(filters.buyer.split()), department=filters.department.strip().upper(), year=filters.year
        )
    )
    return {
        "definition": SUMMARY_DEFINITION,
        "total": _row_out(services.insertion_total(rows)),
        "rows": [_row_out(row) for row in rows],
    }


def _share_out(share: rules.ShareResult) -> dict:
    return {
        "label": share.label,
        "value": share.numerator,
        "base": share.denominator,
        "share_percent": share.share,
        "target_percent": share.target,
        "status": share.status,
    }


@router.get(
    "/egalim/{buyer_siret}",
    response={200: EgalimOut, 404: ErrorOut},
    summary="Parts EGalim d'un acheteur pour une année",
    description="Public (agrégats). Produits durables et de qualité ≥ 50 %, dont bio ≥ 20 %, viandes et poissons "
    "≥ 60 %, en valeur HT des achats déclarés de l'année civile. Sans `year` : l'année en cours.",
)
def egalim(request, buyer_siret: str, year: int | None = None):
    buyer = Organisation.objects.filter(siret="".join(buyer_siret.split()), is_buyer=True).first()
    if buyer is None:
        raise HttpError(404, "Acheteur inconnu.")
    year = year or datetime.date.today().year
    result = services.egalim_result(buyer, year)
    return {
        "buyer": buyer.siret,
        "buyer_name": buyer.name,
        "year": year,
        "total": result.total,
        "by_category": result.by_category,
        "quality": _share_out(result.quality),
        "organic": _share_out(result.organic),
        "meat_fish": _share_out(result.meat_fish),
    }
