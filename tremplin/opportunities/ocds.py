"""OCDS 1.1 `planning` releases for purchase forecasts (drafts are never exported). Pure functions.

One release per forecast, in a release package. `ocid` = settings.OCDS_PREFIX (default "ocds-tremplin-", a
placeholder until a prefix is registered with the Open Contracting Partnership) + "prevision-" + the forecast id.
Mapping:
- tag: "planning" while published, "planningUpdate" once the forecast moved on (in consultation, awarded,
  abandoned);
- parties: the buyer (role "buyer", FR-SIRET), with the forecast's contact as contactPoint;
- planning.budget.amount: the estimated amount (EUR, excl. VAT);
- tender.status: planned (published), active (in consultation), complete (awarded), withdrawn (abandoned);
- tender.tenderPeriod: from the target publication date (or the first day of the target quarter) to the
  expected offer deadline; tender.contractPeriod.durationInDays: maximum duration × 30;
- tender.procurementMethod from the procedure (omitted for a MAPA, which fits no OCDS code), and
  procurementMethodDetails its French name; mainProcurementCategory from the category;
- tender.items: the whole purchase (main CPV, secondary CPV as additionalClassifications, places of execution
  as deliveryAddresses — location extension), then one item per lot (relatedLot);
- tender.lots (lots extension) and otherRequirements.reservedParticipation (other requirements extension):
  L2113-12 and L2113-13 → "shelteredWorkshop", L2113-15 → "publicServiceMissionOrganization"; the French
  article is spelled out in eligibilityCriteria;
- tender.documents: the consultation link, once there is one ("tenderNotice").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tremplin.opportunities import rules
from tremplin.opportunities.rules import ForecastData

PARIS = ZoneInfo("Europe/Paris")
LICENSE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_otherRequirements_extension/master/"
    "extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/master/extension.json",
]
PROCUREMENT_METHODS = {
    "aoo": "open",
    "aor": "selective",
    "negociee": "selective",
    "dialogue": "selective",
    "concours": "selective",
    "sans_publicite": "limited",
}
MAIN_CATEGORIES = {"travaux": "works", "fournitures": "goods", "services": "services"}
TENDER_STATUSES = {
    rules.PUBLISHED: "planned",
    rules.IN_CONSULTATION: "active",
    rules.AWARDED: "complete",
    rules.ABANDONED: "withdrawn",
}
RESERVED_PARTICIPATION = {
    "L2113-12": "shelteredWorkshop",
    "L2113-13": "shelteredWorkshop",
    "L2113-15": "publicServiceMissionOrganization",
}


@dataclass(frozen=True)
class Context:
    """What a release needs besides the forecast's values: identifiers, buyer, labels of the codes."""

    forecast_id: int
    ocid_prefix: str
    updated_at: datetime.datetime
    url: str
    buyer_siret: str
    buyer_name: str
    buyer_address: dict = field(default_factory=dict)
    cpv_labels: dict = field(default_factory=dict)
    department_names: dict = field(default_factory=dict)
    commune_places: dict = field(default_factory=dict)  # code → (name, department code)


def _midnight(day: datetime.date | None) -> str | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=PARIS).isoformat()


def _value(amount) -> dict | None:
    return None if amount is None else {"amount": float(amount), "currency": "EUR"}


def prune(data):
    """OCDS forbids empty strings, nulls and empty objects or arrays where a value is expected: drop them."""
    if isinstance(data, dict):
        pruned = {key: prune(value) for key, value in data.items()}
        return {key: value for key, value in pruned.items() if value not in (None, "", [], {})}
    if isinstance(data, list):
        return [item for item in (prune(value) for value in data) if item not in (None, "", [], {})]
    return data


def _classification(code: str, labels: dict) -> dict | None:
    return {"scheme": "CPV", "id": code, "description": labels.get(code)} if code else None


def _reserved(articles: list[str]) -> dict | None:
    codes = sorted({RESERVED_PARTICIPATION[a] for a in articles if a in RESERVED_PARTICIPATION})
    return {"reservedParticipation": codes} if codes else None


def _addresses(data: ForecastData, ctx: Context) -> list[dict]:
    addresses = [{"region": ctx.department_names.get(code, code), "countryName": "France"} for code in data.departments]
    for code in data.communes:
        name, department = ctx.commune_places.get(code, (code, ""))
        region = ctx.department_names.get(department, department)
        addresses.append({"locality": name, "region": region, "countryName": "France"})
    return addresses


def planning_release(data: ForecastData, ctx: Context) -> dict:
    buyer_id = f"FR-SIRET-{ctx.buyer_siret}"
    tender_status = TENDER_STATUSES.get(data.status, "planned")
    start = data.publication_target_date or (
        rules.quarter_bounds(data.publication_quarter)[0] if data.publication_quarter else None
    )
    articles = data.reserved_articles()
    lot_items = [
        {
            "id": f"lot-{lot.number}",
            "description": lot.title,
            "classification": _classification(lot.cpv or data.cpv, ctx.cpv_labels),
            "relatedLot": f"LOT-{lot.number}",
        }
        for lot in data.lots
    ]
    release = {
        "ocid": f"{ctx.ocid_prefix}prevision-{ctx.forecast_id}",
        "id": f"prevision-{ctx.forecast_id}-{ctx.updated_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        "date": ctx.updated_at.isoformat(),
        "tag": ["planning"] if data.status == rules.PUBLISHED else ["planningUpdate"],
        "initiationType": "tender",
        "language": "fr",
        "parties": [
            {
                "id": buyer_id,
                "name": ctx.buyer_name,
                "identifier": {"scheme": "FR-SIRET", "id": ctx.buyer_siret, "legalName": ctx.buyer_name},
                "address": ctx.buyer_address,
                "contactPoint": {
                    "name": data.contact_name,
                    "email": data.contact_email,
                    "telephone": data.contact_phone,
                },
                "roles": ["buyer"],
            }
        ],
        "buyer": {"id": buyer_id, "name": ctx.buyer_name},
        "planning": {
            "budget": {"description": "Montant estimé hors taxes", "amount": _value(data.estimated_amount)}
            if data.estimated_amount is not None
            else None,
        },
        "tender": {
            "id": f"prevision-{ctx.forecast_id}",
            "title": data.title,
            "description": data.description,
            "status": tender_status,
            "procurementMethod": PROCUREMENT_METHODS.get(data.procedure_type),
            "procurementMethodDetails": rules.PROCEDURES.get(data.procedure_type) or data.procedure_details,
            "mainProcurementCategory": MAIN_CATEGORIES.get(data.category),
            "value": _value(data.estimated_amount),
            "tenderPeriod": {"startDate": _midnight(start), "endDate": _midnight(data.offer_deadline)},
            "contractPeriod": {"durationInDays": data.max_duration_months * 30} if data.max_duration_months else None,
            "eligibilityCriteria": " ".join(
                f"{rules.RESERVATIONS[a]} du code de la commande publique." for a in articles
            ),
            "otherRequirements": _reserved(data.reservations),
            "items": [
                {
                    "id": "1",
                    "description": data.title,
                    "classification": _classification(data.cpv, ctx.cpv_labels),
                    "additionalClassifications": [_classification(c, ctx.cpv_labels) for c in data.cpv_secondary],
                    "deliveryAddresses": _addresses(data, ctx),
                },
                *lot_items,
            ],
            "lots": [
                {
                    "id": f"LOT-{lot.number}",
                    "title": lot.title,
                    "status": tender_status,
                    "value": _value(lot.estimated_amount),
                    "otherRequirements": _reserved([lot.reservation] if lot.reservation else []),
                }
                for lot in data.lots
            ],
            "documents": [
                {
                    "id": "consultation",
                    "documentType": "tenderNotice",
                    "title": "Consultation publiée",
                    "url": data.consultation_url,
                    "language": "fr",
                }
            ]
            if data.consultation_url
            else None,
        },
    }
    return prune(release)


def package(releases: list[dict], uri: str, publisher_uri: str, published: datetime.datetime) -> dict:
    return {
        "uri": uri,
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": published.replace(microsecond=0).isoformat(),
        "publisher": {"name": "Tremplin", "uri": publisher_uri},
        "license": LICENSE,
        "publicationPolicy": publisher_uri + "/previsions/",
        "releases": releases,
    }
