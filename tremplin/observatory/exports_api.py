"""CSV and OCDS exports of awarded contracts, mounted at /api/v1/exports. Same filters as the observatory.

CSV: UTF-8 with BOM, `;` separator, decimal comma, ISO dates (see `tremplin.observatory.exports`). Responses
are streamed: contracts are read from the database with `.iterator()`, in constant memory."""

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from tremplin.observatory import exports, queries
from tremplin.observatory.api import read_filters
from tremplin.observatory.formatting import decimal_comma
from tremplin.observatory.schemas import By, FilterParams, Sort
from tremplin.observatory.snapshot import SnapshotUnavailable

router = Router()


class OcdsPage(Schema):
    limit: int | None = Field(None, ge=1, description="Nombre de publications au plus (toutes par défaut).")
    offset: int = Field(0, ge=0)


INDICATOR_HEADER = ["indicateur", "mesure", "valeur", "oui", "non", "inconnu", "taux", "couverture"]
SHARE_LABELS = {
    "sme": "Part des PME (micro, PME)",
    "local_department": "Titulaires du département du marché",
    "local_region": "Titulaires de la région du marché",
    "inclusive": "Structures inclusives (SIAE, EA, ESAT)",
}


@router.get(
    "/contracts.csv",
    summary="Marchés (CSV)",
    description="Un marché par ligne ; `;` séparateur, UTF-8 avec BOM, virgule décimale. Flux continu.",
)
def contracts_csv(request, filters: Query[FilterParams]):
    parsed = read_filters(filters)
    base_url = request.build_absolute_uri("/").rstrip("/")
    return exports.csv_response("marches.csv", exports.CONTRACT_COLUMNS, exports.contract_rows(parsed, base_url))


@router.get(
    "/breakdown.csv",
    summary="Répartition (CSV)",
    description="Toutes les lignes d'une répartition (mêmes `by` et filtres que /observatory/breakdown).",
)
def breakdown_csv(request, by: By, filters: Query[FilterParams], sort: Sort = "amount"):
    parsed = read_filters(filters)
    try:
        queries.breakdown(by, parsed, limit=1)  # fail now (503) rather than in the middle of the stream
    except SnapshotUnavailable as error:
        raise HttpError(503, str(error)) from error
    header = [by, "libelle", "marches", "montant"]
    rows = (
        [row["key"], exports.safe_text(row["label"]), row["contracts"], decimal_comma(row["amount"])]
        for row in queries.iter_breakdown(by, parsed, sort=sort)
    )
    return exports.csv_response(f"repartition-{by}.csv", header, rows)


@router.get("/indicators.csv", summary="Indicateurs (CSV)", description="Les indicateurs, une mesure par ligne.")
def indicators_csv(request, filters: Query[FilterParams]):
    parsed = read_filters(filters)
    try:
        data = queries.indicators(parsed)
    except SnapshotUnavailable as error:
        raise HttpError(503, str(error)) from error

    def scalar(label: str, unit: str, value) -> list:
        return [label, unit, value, "", "", "", "", ""]

    offers, flagged = data["offers"], data["flagged"]
    rows = [
        scalar("Marchés", "nombre", data["contracts"]),
        scalar("Montant total", "euros", decimal_comma(data["amount"])),
        scalar("Montant médian", "euros", decimal_comma(data["amount_median"])),
        scalar("Marchés dont le montant est retenu", "nombre", data["amount_contracts"]),
    ]
    for share, label in SHARE_LABELS.items():
        for measure, digits, name in (("count", 4, "nombre"), ("amount", 2, "montant")):
            values = data[share][measure]
            rows.append(
                [label, name, ""]
                + [decimal_comma(values[key], digits) for key in ("yes", "no", "unknown")]
                + [decimal_comma(values["rate"], 4), decimal_comma(values["coverage"], 4)]
            )
    rows += [
        scalar("Offres reçues en moyenne", "offres", decimal_comma(offers["mean"], 4)),
        [
            "Offre unique",
            "nombre",
            "",
            offers["single_bid"],
            offers["known"] - offers["single_bid"],
            offers["unknown"],
            decimal_comma(offers["single_bid_rate"], 4),
            "",
        ],
        scalar("Marchés signalés (anomalies)", "nombre", flagged["contracts"]),
        scalar("Montants suspects", "nombre", flagged["suspicious_amounts"]),
    ]
    return exports.csv_response("indicateurs.csv", INDICATOR_HEADER, rows)


@router.get(
    "/ocds",
    summary="Marchés au format OCDS 1.1",
    description=(
        "Un paquet de publications (release package) OCDS 1.1, une publication par marché, en flux continu ; "
        "`limit`/`offset` facultatifs pour le découper. Préfixe d'ocid : réglage OCDS_PREFIX (par défaut "
        "`ocds-tremplin-`, provisoire : un préfixe enregistré auprès de l'Open Contracting Partnership doit être "
        "configuré). 404 si aucun marché ne correspond (un paquet OCDS compte au moins une publication)."
    ),
)
def ocds(request, filters: Query[FilterParams], page: Query[OcdsPage]):
    parsed = read_filters(filters)
    queryset = exports.contracts_queryset(parsed)
    if not queryset[page.offset : page.offset + 1].exists():
        raise HttpError(404, "Aucun marché ne correspond à ces filtres.")
    return exports.ocds_response(parsed, request.build_absolute_uri(), page.limit, page.offset)
