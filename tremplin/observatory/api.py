"""Observatory API (public, read-only), mounted at /api/v1/observatory. Every filter is combinable; the
definitions are those of `tremplin.observatory.queries` (also stated on the observatory pages)."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from tremplin.observatory import clause_stats, payment_stats, queries
from tremplin.observatory.filters import YEAR_MAX, YEAR_MIN, FilterError, Filters
from tremplin.observatory.schemas import BreakdownOut, By, FilterParams, IndicatorsOut, Pagination
from tremplin.observatory.snapshot import SnapshotUnavailable

router = Router()


def read_filters(params: FilterParams) -> Filters:
    try:
        return params.filters()
    except FilterError as error:
        raise HttpError(422, str(error)) from error


@router.get(
    "/indicators",
    response=IndicatorsOut,
    summary="Indicateurs de la commande publique",
    description=(
        "Nombre de marchés, montants à la notification (somme et médiane, hors montants suspects sauf "
        "`include_suspicious`), parts des PME, des titulaires locaux (département, région) et des structures "
        "inclusives (oui / non / inconnu, en nombre et en montant ; un marché à plusieurs titulaires est réparti à "
        "parts égales), concurrence (offres reçues) et anomalies."
    ),
)
def indicators(request, filters: Query[FilterParams]):
    try:
        return queries.indicators(read_filters(filters))
    except SnapshotUnavailable as error:
        raise HttpError(503, str(error)) from error


@router.get(
    "/breakdown",
    response=BreakdownOut,
    summary="Répartition par dimension",
    description=(
        "Marchés et montants regroupés par `by`, triés par montant décroissant, paginés (`limit`, `offset`, "
        "`total` = nombre de groupes). Par titulaire ou par taille, un marché co-attribué compte pour chacun de "
        "ses titulaires et son montant est réparti à parts égales."
    ),
)
def breakdown(request, by: By, filters: Query[FilterParams], page: Query[Pagination]):
    try:
        return queries.breakdown(by, read_filters(filters), page.limit, page.offset, page.sort)
    except SnapshotUnavailable as error:
        raise HttpError(503, str(error)) from error


# ---------------------------------------------------------------- payment delays and clause uptake


class PaymentPeriodParams(Schema):
    by: Literal["buyer", "buyer_type"] = Field("buyer_type", description="Regroupement : acheteur ou type d'acheteur.")
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Année de paiement.")
    date_from: datetime.date | None = Field(None, description="Payées à partir de cette date (AAAA-MM-JJ).")
    date_to: datetime.date | None = Field(None, description="Payées jusqu'à cette date incluse (AAAA-MM-JJ).")


class PaymentGroupOut(Schema):
    key: str = Field(description="SIRET de l'acheteur, ou clé du type d'acheteur (vide : non renseigné).")
    label: str
    buyer_type: str
    paid_invoices: int
    average_delay_days: Decimal | None
    median_delay_days: Decimal | None
    paid_late: int
    late_share: float | None = Field(None, description="Payées en retard / payées (0 à 1).")
    interest: Decimal
    indemnities: Decimal
    owed: Decimal = Field(description="Intérêts moratoires + indemnités forfaitaires, en euros.")
    unpaid_past_due: int


class PaymentDelaysOut(Schema):
    by: str
    period: dict[str, str]
    min_paid_invoices: int = Field(description="Seuil de factures payées pour qu'un acheteur soit nommé.")
    hidden_buyers: int
    excluded_invoices: int
    total: PaymentGroupOut
    rows: list[PaymentGroupOut]


@router.get(
    "/payment-delays",
    response=PaymentDelaysOut,
    url_name="observatory_payment_delays",
    summary="Délais de paiement par acheteur ou par type d'acheteur",
    description=(
        "Sur les factures enregistrées sur Tremplin payées dans la période (date de paiement) : nombre, délai moyen "
        "et médian en jours (du départ du délai au paiement, interruptions exclues), part payée en retard, intérêts "
        "moratoires et indemnités dus ; nombre d'impayées dont la date limite, dépassée, tombe dans la période. "
        "Un acheteur n'est nommé qu'à partir de `min_paid_invoices` factures payées ; aucune facture n'est listée."
    ),
)
def payment_delays(request, params: Query[PaymentPeriodParams]):
    period, errors = payment_stats.period_or_error(params.dict())
    if errors:
        raise HttpError(422, "; ".join(f"{name} : {message}" for name, message in errors.items()))
    return payment_stats.payment_delays(params.by, period).as_dict()


class ConsiderationOut(Schema):
    yes: int
    no: int
    unknown: int = Field(description="Non renseigné (format 2019) : jamais compté comme non.")
    rate: float | None = Field(None, description="oui / (oui + non).")


class UptakeOut(Schema):
    key: str
    label: str
    contracts: int
    social: ConsiderationOut
    environmental: ConsiderationOut
    coverage: float | None


class ClauseUptakeOut(Schema):
    by: str
    total: UptakeOut
    rows: list[UptakeOut]
    forecasts: UptakeOut = Field(description="Prévisions d'achat publiées (brouillons exclus).")


@router.get(
    "/clause-uptake",
    response=ClauseUptakeOut,
    url_name="observatory_clause_uptake",
    summary="Part des marchés avec des considérations sociales ou environnementales",
    description=(
        "Marchés (DECP) avec au moins une considération sociale (clause, critère, marché réservé) ou "
        "environnementale (clause, critère), regroupés par `by`. Les marchés au format 2019, qui ne portent pas "
        "ces champs, sont « non renseignés » (`unknown`), jamais comptés comme « non ». Mêmes filtres que les "
        "autres indicateurs ; `forecasts` : les prévisions d'achat publiées."
    ),
)
def clause_uptake(
    request,
    filters: Query[FilterParams],
    by: Literal["year", "region", "department", "cpv_division"] = "year",
):
    chosen = read_filters(filters)
    try:
        uptake = clause_stats.contract_uptake(chosen, by)
    except SnapshotUnavailable as error:
        raise HttpError(503, str(error)) from error
    return {
        "by": by,
        "total": uptake["total"].as_dict(),
        "rows": [row.as_dict() for row in uptake["rows"]],
        "forecasts": clause_stats.forecast_uptake(chosen)["total"].as_dict(),
    }
