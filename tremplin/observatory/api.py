"""Observatory API (public, read-only), mounted at /api/v1/observatory. Every filter is combinable; the
definitions are those of `tremplin.observatory.queries` (also stated on the observatory pages)."""

from ninja import Query, Router
from ninja.errors import HttpError

from tremplin.observatory import queries
from tremplin.observatory.filters import FilterError, Filters
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
