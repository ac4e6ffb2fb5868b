"""Inclusive potential and partner finder API, mounted at /api/v1/matching/inclusion.

Reads: a published forecast is public; a draft exists only for the members of its buyer (token or session),
to anyone else it is a 404. The free need is computed, never stored: open to anyone."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from tremplin.matching import inclusive
from tremplin.matching.inclusive_services import (
    ForecastNotFound,
    NeedPotential,
    forecast_potential,
    free_need_potential,
    visible_forecast,
)
from tremplin.matching.partners_services import find_partners
from tremplin.opportunities.api import optional_auth
from tremplin.opportunities.schemas import ErrorOut
from tremplin.organisations.models import Organisation
from tremplin.organisations.rules import InvalidIdentifier, validate_siret
from tremplin.referentials.models import CpvCode, Department
from tremplin.referentials.rules import CpvCodeError, normalize_cpv

router = Router()

MAX_AMOUNT = 10**11
MAX_TEXT = 1000


class RecommendationOut(Schema):
    code: str = Field(description="reserve_contract, reserve_lot, social_clause ou none.")
    label: str = Field(description="La recommandation en français.")
    reasons: list[str] = Field(description="Pourquoi, chiffres à l'appui.")
    articles: list[str] = Field(description="Articles du code de la commande publique à citer pour réserver.")
    thresholds: list[str] = Field(description="Les seuils sur lesquels repose la recommandation, expliqués.")


class StructureOut(Schema):
    siret: str
    name: str
    kind: str = Field(description="siae ou ea_esat.")
    inclusive_status: str = Field(description="EI, ETTI, AI, ACI, EITI, EA, EATT ou ESAT.")
    department: str
    distance_km: float | None
    turnover: int | None = Field(description="Chiffre d'affaires déclaré (euros), s'il est connu.")
    url: str


class NeedOut(Schema):
    siae: int = Field(description="SIAE éligibles (L2113-13) dans le périmètre, dont l'activité correspond.")
    ea_esat: int = Field(description="EA, EATT et ESAT éligibles (L2113-12) dans le périmètre.")
    truncated: bool = Field(
        description="Vrai quand la liste « structures » ne les donne pas toutes (les 100 premières de chaque type)."
    )
    median_turnover: int | None = Field(description="Chiffre d'affaires médian des structures dont il est connu.")
    known_turnovers: int
    unknown_turnovers: int = Field(description="Structures éligibles dont le chiffre d'affaires est inconnu.")
    annual_amount: int | None = Field(description="Montant annuel (euros HT) : le montant ramené à un an.")
    dependency: float | None = Field(description="Montant annuel ÷ chiffre d'affaires médian (0.25 = 25 %).")
    insertion_hours: int | None = Field(description="Heures d'insertion estimées par an (pratique courante).")
    recommendation: RecommendationOut
    warnings: list[str]
    structures: list[StructureOut]


class LotOut(Schema):
    number: int
    title: str
    estimated_amount: float | None
    reservation: str


class LotPotentialOut(NeedOut):
    lot: LotOut


class ForecastRefOut(Schema):
    id: int
    title: str
    status: str


class ForecastPotentialOut(Schema):
    forecast: ForecastRefOut
    siae: int = Field(description="SIAE éligibles distinctes (tous lots confondus pour une prévision allotie).")
    ea_esat: int = Field(description="EA/ESAT éligibles distinctes (tous lots confondus pour une prévision allotie).")
    recommendation: RecommendationOut = Field(description="Pour l'ensemble de la prévision (lots combinés).")
    whole: NeedOut = Field(
        description="La prévision prise comme un seul marché (pour une prévision allotie, ce sont les lots qui "
        "décident de la recommandation d'ensemble)."
    )
    lots: list[LotPotentialOut]


class NeedIn(Schema):
    text: str = Field("", description="Description du besoin (1 000 caractères au plus).")
    cpv: str = Field("", description="Code CPV à 8 chiffres, avec ou sans clé (45210000-2).")
    department: str = Field("", description="Code du département d'exécution (69, 2A, 974…), obligatoire.")
    amount: int | None = Field(None, description="Montant estimé annuel, euros HT (entier positif).")


class PartnerQuery(Schema):
    supplier: str = Field("", description="SIRET de l'entreprise qui cherche des partenaires (facultatif).")


class MemberOut(Schema):
    siret: str
    name: str
    url: str
    lots: list[int] = Field(description="Les lots à couvrir qu'elle couvre (0 : le marché entier).")
    reasons: list[str]


class GroupementOut(Schema):
    covers_all: bool = Field(description="Faux quand un lot n'a aucun candidat.")
    members: list[MemberOut]


class LotCandidatesOut(Schema):
    lot: int
    title: str
    candidates: list[MemberOut]


class SupplierRefOut(Schema):
    siret: str
    name: str


class PartnersOut(Schema):
    forecast: ForecastRefOut
    supplier: SupplierRefOut | None
    lead_lots: list[int] = Field(description="Lots que l'entreprise peut prendre elle-même.")
    to_cover: list[int] = Field(description="Lots à confier à des partenaires.")
    uncovered: list[int] = Field(description="Lots pour lesquels aucune entreprise n'a été trouvée.")
    groupements: list[GroupementOut] = Field(description="Les combinaisons proposées, la meilleure d'abord.")
    per_lot: list[LotCandidatesOut]


def _invalid(field: str, message: str, location: str = "body") -> ValidationError:
    return ValidationError([{"loc": [location, field], "msg": message, "type": "value_error"}])


def _recommendation(recommendation: inclusive.Recommendation) -> dict:
    return {
        "code": recommendation.code,
        "label": recommendation.label,
        "reasons": list(recommendation.reasons),
        "articles": list(recommendation.articles),
        "thresholds": [inclusive.THRESHOLDS[key] for key in recommendation.thresholds],
    }


def _need(need: NeedPotential) -> dict:
    p = need.potential
    return {
        "siae": p.siae,
        "ea_esat": p.ea_esat,
        "truncated": need.truncated,
        "median_turnover": p.median_turnover,
        "known_turnovers": p.known_turnovers,
        "unknown_turnovers": p.unknown_turnovers,
        "annual_amount": p.annual_amount,
        "dependency": float(p.dependency) if p.dependency is not None else None,
        "insertion_hours": p.insertion_hours,
        "recommendation": _recommendation(p.recommendation),
        "warnings": list(p.warnings),
        "structures": [
            {
                "siret": s.match.siret,
                "name": s.match.name,
                "kind": s.kind,
                "inclusive_status": s.match.inclusive_status,
                "department": s.match.department,
                "distance_km": s.match.distance_km,
                "turnover": s.turnover,
                "url": s.match.url,
            }
            for s in need.structures
        ],
    }


def _forecast_ref(forecast) -> dict:
    return {"id": forecast.pk, "title": forecast.title, "status": forecast.status}


def _visible(user, forecast_id: int):
    try:
        return visible_forecast(user, forecast_id)
    except ForecastNotFound as error:
        raise HttpError(404, str(error)) from error


@router.get(
    "/forecasts/{forecast_id}",
    auth=optional_auth,
    response={200: ForecastPotentialOut, 401: ErrorOut, 404: ErrorOut},
    summary="Potentiel inclusif d'une prévision",
    description="Pour la prévision entière et pour chaque lot : nombre de SIAE et d'EA/ESAT éligibles dans le "
    "périmètre dont l'activité correspond, chiffre d'affaires médian, dépendance économique, et la recommandation "
    "(réserver le marché, réserver un lot, clause sociale d'insertion ou rien) avec les seuils appliqués. Un "
    "brouillon n'existe que pour les membres de l'acheteur (404 pour les autres).",
)
def forecast_inclusive_potential(request, forecast_id: int):
    forecast = _visible(request.auth, forecast_id)
    result = forecast_potential(request.auth, forecast)
    return {
        "forecast": _forecast_ref(forecast),
        "siae": result.siae,
        "ea_esat": result.ea_esat,
        "recommendation": _recommendation(result.recommendation),
        "whole": _need(result.whole),
        "lots": [
            {
                **_need(need),
                "lot": {
                    "number": need.lot.number,
                    "title": need.lot.title,
                    "estimated_amount": need.lot.estimated_amount,
                    "reservation": need.lot.reservation,
                },
            }
            for need in result.lots
        ],
    }


@router.post(
    "/need",
    auth=optional_auth,
    response={200: NeedOut, 401: ErrorOut, 403: ErrorOut, 422: dict},
    summary="Potentiel inclusif d'un besoin libre",
    description="Un besoin décrit librement (texte et/ou code CPV, département d'exécution, montant annuel) : "
    "structures éligibles, dépendance économique et recommandation. Rien n'est enregistré ; aucun compte n'est "
    "nécessaire.",
)
def need_inclusive_potential(request, payload: NeedIn):
    if len(payload.text) > MAX_TEXT:
        raise _invalid("text", f"Description trop longue : {MAX_TEXT} caractères au plus.")
    if payload.amount is not None and not 0 <= payload.amount <= MAX_AMOUNT:
        raise _invalid("amount", "Montant invalide : un nombre entier d'euros, positif, sans excès de zéros.")
    cpv = ""
    if payload.cpv.strip():
        try:
            cpv = normalize_cpv(payload.cpv)
        except CpvCodeError as error:
            raise _invalid("cpv", str(error)) from error
        if not CpvCode.objects.filter(code=cpv).exists():
            raise _invalid("cpv", f"Code CPV inconnu : {cpv}.")
    department = payload.department.strip().upper()
    if not department:
        raise _invalid("department", "Indiquez le département où le besoin sera exécuté.")
    if not Department.objects.filter(code=department).exists():
        raise _invalid("department", f"Département inconnu : {payload.department}.")
    if not payload.text.strip() and not cpv:
        raise _invalid("text", "Décrivez le besoin ou indiquez un code CPV : sans eux, rien à comparer.")
    return _need(free_need_potential(payload.text.strip(), cpv, department, payload.amount))


@router.get(
    "/forecasts/{forecast_id}/partners",
    auth=optional_auth,
    response={200: PartnersOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Partenaires pour un groupement",
    description="Pour une prévision allotie, du point de vue d'une entreprise (paramètre supplier, facultatif) : "
    "les lots qu'elle ne peut pas prendre, les meilleures entreprises pour chacun, et les combinaisons qui couvrent "
    "tous les lots avec le moins de membres (préférence aux entreprises locales, aux PME et aux structures "
    "inclusives), chaque proposition expliquée.",
)
def forecast_partners(request, forecast_id: int, filters: Query[PartnerQuery]):
    forecast = _visible(request.auth, forecast_id)
    lead = None
    if filters.supplier:
        try:
            siret = validate_siret(filters.supplier)
        except InvalidIdentifier as error:
            raise HttpError(400, str(error)) from error
        lead = Organisation.objects.filter(siret=siret, is_supplier=True).first()
        if lead is None:
            raise HttpError(404, "Aucun fournisseur n'est enregistré avec ce SIRET.")
    finder = find_partners(request.auth, forecast, lead)
    plan = finder.plan

    def member(suggestion) -> dict:
        c = suggestion.candidate
        return {
            "siret": c.siret,
            "name": c.name,
            "url": c.url,
            "lots": list(suggestion.lots),
            "reasons": list(suggestion.reasons),
        }

    return {
        "forecast": _forecast_ref(forecast),
        "supplier": {"siret": lead.siret, "name": lead.name} if lead else None,
        "lead_lots": list(plan.lead_lots),
        "to_cover": list(plan.to_cover),
        "uncovered": list(plan.uncovered),
        "groupements": [
            {"covers_all": g.covers_all, "members": [member(m) for m in g.members]} for g in plan.groupements
        ],
        "per_lot": [
            {"lot": number, "title": finder.label(number), "candidates": [member(s) for s in suggestions]}
            for number, suggestions in plan.per_lot.items()
        ],
    }
