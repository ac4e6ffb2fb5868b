"""Carbon API: the emission factors (public), the public calculator, and an estimate (its owner only)."""

import datetime
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from tremplin.accounts.auth import token_auth
from tremplin.carbon import rules, services
from tremplin.carbon.models import EmissionFactor
from tremplin.core.text import search_words

router = Router()


class FactorOut(Schema):
    reference: str = Field(..., description="Identifiant du facteur dans sa source.")
    name: str
    kind: str = Field(..., description="production, transport ou energy.")
    unit: str = Field(..., description="Unité : la valeur est en kgCO2e par cette unité.")
    value: float = Field(..., description="kgCO2e par unité.")
    transport_mode: str
    valid_from: date
    valid_to: date | None
    source_name: str
    source_url: str
    uncertainty_percent: float | None

    @staticmethod
    def resolve_reference(obj):
        return obj.source_reference


class FactorListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[FactorOut]


class FactorFilters(Schema):
    kind: str | None = Field(None, description="production, transport ou energy.")
    q: str | None = Field(None, max_length=100, description="Mots du nom, de la source ou de la référence.")
    date: datetime.date | None = Field(None, description="Seulement les facteurs valides à cette date.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


@router.get("/factors", response=FactorListOut, summary="Facteurs d'émission, avec leur source et leur validité")
def list_factors(request, filters: Query[FactorFilters]):
    factors = EmissionFactor.objects.order_by("kind", "name", "-valid_from")
    if filters.kind:
        if filters.kind not in rules.KINDS:
            raise ValidationError([_error(["query", "kind"], "Type inconnu : production, transport ou energy.")])
        factors = factors.filter(kind=filters.kind)
    for word in search_words(filters.q):
        factors = factors.filter(search_text__contains=word)
    if filters.date:
        on = filters.date
        factors = factors.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
    items = list(factors[filters.offset : filters.offset + filters.limit])
    return {"count": factors.count(), "limit": filters.limit, "offset": filters.offset, "items": items}


class LineIn(Schema):
    section: str = Field(..., description="production, transport ou use.")
    description: str = Field("", max_length=200)
    factor: str = Field(..., description="Référence du facteur dans sa source (champ `reference` de /factors).")
    quantity: Decimal | None = Field(None, description="Production : la quantité.")
    unit: str = Field(
        "", description="Unité de la quantité (production) ou de l'énergie (use) ; par défaut celle du facteur."
    )
    tonnes: Decimal | None = Field(None, description="Transport : tonnes transportées.")
    km: Decimal | None = Field(None, description="Transport : distance en km.")
    energy_per_year: Decimal | None = Field(None, description="Utilisation : consommation par an.")
    years: Decimal | None = Field(None, description="Utilisation : nombre d'années.")


class CalculateIn(Schema):
    reference_date: date | None = Field(None, description="Les facteurs valides à cette date (défaut : aujourd'hui).")
    lines: list[LineIn] = Field(..., max_length=200)


class LineOut(Schema):
    section: str
    description: str
    kgco2e: float = Field(..., description="Arrondi au gramme.")
    factor: FactorOut


class TotalsOut(Schema):
    production: float
    transport: float
    use: float
    total: float


class CalculateOut(Schema):
    reference_date: date
    lines: list[LineOut]
    totals: TotalsOut
    rounding: str


class EstimateLineOut(LineOut):
    quantity: float | None
    unit: str
    tonnes: float | None
    km: float | None
    transport_mode: str
    energy_per_year: float | None
    years: float | None
    factor_value_used: float = Field(..., description="Valeur du facteur au moment du calcul.")
    factor_unit_used: str


class EstimateOut(Schema):
    id: int
    title: str
    organisation_siret: str
    reference_date: date
    forecast_id: int | None
    lot_number: int | None
    contract_key: str | None
    shared_with_buyer: bool
    lines: list[EstimateLineOut]
    totals: TotalsOut
    rounding: str


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict]


def _error(loc: list, message: str) -> dict:
    return {"loc": loc, "msg": message, "type": "value_error"}


def _unit_code(raw: str, index: int, name: str) -> str:
    if not raw:
        return ""
    try:
        return rules.parse_unit(raw)
    except rules.CarbonError as error:
        raise ValidationError([_error(["body", "payload", "lines", index, name], str(error))]) from error


def _totals(totals: rules.Totals) -> dict:
    return {**totals.by_section(), "total": totals.total}


@router.post(
    "/estimate",
    response={200: CalculateOut, 422: ValidationErrorOut},
    summary="Calculer une estimation carbone (sans compte, rien n'est enregistré)",
    description="Chaque ligne cite son facteur par sa référence ; la réponse donne, pour chaque ligne, le facteur "
    "valide à la date de référence, sa valeur et sa source. Une entrée incohérente (facteur inconnu ou non valide à "
    "la date, unité incompatible, quantité négative…) est refusée en 422 : `detail[].loc` nomme le champ, "
    "`detail[].msg` explique en français.",
)
def calculate(request, payload: CalculateIn):
    on = payload.reference_date or timezone.localdate()
    lines = [
        services.LineData(
            section=line.section,
            description=line.description,
            factor_reference=line.factor,
            quantity=line.quantity,
            unit=_unit_code(line.unit, index, "unit"),
            tonnes=line.tonnes,
            km=line.km,
            energy_per_year=line.energy_per_year,
            years=line.years,
        )
        for index, line in enumerate(payload.lines)
    ]
    try:
        computed, totals = services.calculate(lines, on)
    except rules.CarbonError as error:
        loc = ["body", "payload", *[int(p) if p.isdigit() else p for p in error.field.split(".")]]
        raise ValidationError([_error(loc, str(error))]) from error
    return {
        "reference_date": on,
        "lines": [
            {"section": c.data.section, "description": c.data.description, "kgco2e": c.kgco2e, "factor": c.factor}
            for c in computed
        ],
        "totals": _totals(totals),
        "rounding": rules.ROUNDING_NOTE,
    }


@router.get(
    "/estimates/{estimate_id}",
    auth=token_auth,
    response={200: EstimateOut, 401: ErrorOut, 404: ErrorOut},
    summary="Une estimation carbone (membres de l'organisation qui l'a établie)",
)
def get_estimate(request, estimate_id: int):
    try:
        estimate = services.get_estimate_for(request.auth, estimate_id)
    except services.EstimateNotFound as error:
        raise HttpError(404, "Estimation inconnue.") from error
    lines = list(estimate.lines.select_related("factor"))
    return {
        "id": estimate.pk,
        "title": estimate.title,
        "organisation_siret": estimate.organisation.siret,
        "reference_date": estimate.reference_date,
        "forecast_id": estimate.forecast_id,
        "lot_number": estimate.lot.number if estimate.lot else None,
        "contract_key": estimate.contract.key if estimate.contract else None,
        "shared_with_buyer": estimate.shared_with_buyer,
        "lines": [
            {
                "section": line.section,
                "description": line.description,
                "kgco2e": line.kgco2e,
                "factor": line.factor,
                "quantity": line.quantity,
                "unit": line.unit,
                "tonnes": line.tonnes,
                "km": line.km,
                "transport_mode": line.transport_mode,
                "energy_per_year": line.energy_per_year,
                "years": line.years,
                "factor_value_used": line.factor_value,
                "factor_unit_used": line.factor_unit,
            }
            for line in lines
        ],
        "totals": _totals(rules.totals((line.section, line.kgco2e) for line in lines)),
        "rounding": rules.ROUNDING_NOTE,
    }
