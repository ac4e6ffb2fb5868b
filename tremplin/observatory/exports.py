"""Streamed exports of awarded contracts: CSV (contracts, breakdowns, indicators) and OCDS 1.1 release packages.

CSV dialect (« CSV à la française », what spreadsheets in French locales open by a double click): UTF-8 with a
byte-order mark, `;` between fields, decimal comma without thousands separator ("1234,50"), ISO dates
(AAAA-MM-JJ), CRLF line ends, quotes only where needed. With pandas: `read_csv(path, sep=";", decimal=",",
encoding="utf-8-sig")`. Text cells starting with = + - @ are prefixed with an apostrophe so that a spreadsheet
never runs a formula from published data.

Contract exports read the database (the source of truth) with `.iterator()` and stream the response
(StreamingHttpResponse): memory stays constant whatever the number of rows.

OCDS: one release per contract, in a release package (schema 1.1, validated by the tests against the official
release and release-package schemas). `ocid` = settings.OCDS_PREFIX (default "ocds-tremplin-", a placeholder:
a prefix registered with the Open Contracting Partnership must be configured before publishing) + the contract
key. Mapping:
- parties: the buyer (role "buyer") and each holder at notification (role "supplier"), identified by SIRET
  (scheme "FR-SIRET") or by the published identifier;
- tender: procurementMethodDetails = the French procedure as published; procurementMethod mapped with
  `procurement_method()` (omitted for « Procédure adaptée », which fits none of the codes);
  mainProcurementCategory from the CPV division (45 works, 50-98 services, other goods); items[0].classification
  the CPV code; numberOfTenderers = offers received;
- awards[0]: status active, date of notification, value at notification (EUR), suppliers;
- contracts[0]: awardID, dateSigned = notification date, value = current amount, period.durationInDays from
  the current duration (months × 30), amendments from the modifications.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable, Iterator
from urllib.parse import quote

import orjson
from django.conf import settings
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from tremplin.contracts.models import Contract, ContractHolder, Kind, TerritorySource
from tremplin.core.text import search_key
from tremplin.observatory.filters import Filters
from tremplin.observatory.formatting import decimal_comma

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
CHUNK_SIZE = 2000
DEFAULT_OCDS_PREFIX = "ocds-tremplin-"
OCDS_LICENSE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def ocds_prefix() -> str:
    return getattr(settings, "OCDS_PREFIX", None) or DEFAULT_OCDS_PREFIX


# ---------------------------------------------------------------- CSV


class _Echo:
    def write(self, value: str) -> str:
        return value


def safe_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(header, rows)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def contracts_queryset(filters: Filters):
    holders = ContractHolder.objects.filter(is_initial=True).select_related("organisation").order_by("position", "id")
    return (
        filters.queryset(Contract.objects.all())
        .select_related("buyer", "source_file__source")
        .prefetch_related(Prefetch("holders", queryset=holders, to_attr="initial_holders"))
        .order_by("-notification_date", "key")
    )


def flag_codes(flags) -> list[str]:
    codes = []
    for flag in flags or []:
        if isinstance(flag, dict):
            codes.append(str(flag.get("code") or flag.get("label") or flag.get("message") or json.dumps(flag)))
        else:
            codes.append(str(flag))
    return codes


def holder_siret(holder: ContractHolder) -> str:
    return holder.organisation.siret if holder.organisation else holder.identifier


def holder_name(holder: ContractHolder) -> str:
    return holder.organisation.name if holder.organisation else holder.name


CONTRACT_COLUMNS = [
    "cle",
    "uid",
    "identifiant",
    "type",
    "acheteur_siret",
    "acheteur_nom",
    "objet",
    "nature",
    "procedure",
    "code_cpv",
    "date_notification",
    "montant_notification",
    "montant_suspect",
    "montant_actuel",
    "duree_mois",
    "offres_recues",
    "titulaires_siret",
    "titulaires_noms",
    "nombre_titulaires",
    "departement",
    "region",
    "origine_territoire",
    "lieu_type_code",
    "lieu_code",
    "anomalies",
    "source",
    "url",
]


_ROW_FIELDS = [
    "id",
    "key",
    "uid",
    "decp_id",
    "kind",
    "buyer__siret",
    "buyer_identifier",
    "buyer__name",
    "buyer_name",
    "object",
    "nature",
    "procedure",
    "cpv",
    "notification_date",
    "amount_initial",
    "amount_suspicious",
    "amount_current",
    "duration_initial",
    "offers_received",
    "territory_department",
    "territory_region",
    "territory_source",
    "place_type",
    "place_code",
    "flags",
    "source_file__source__name",
]


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def contract_rows(filters: Filters, base_url: str = "") -> Iterator[list]:
    """CSV rows, read as plain tuples (no model instances: ~5 times faster), with the holders of each chunk of
    contracts read in one query."""
    kinds, sources = dict(Kind.choices), dict(TerritorySource.choices)
    url_prefix = base_url + reverse("contracts:detail", args=["KEY"]).removesuffix("KEY/")
    rows = filters.queryset(Contract.objects.all()).order_by("-notification_date", "key").values_list(*_ROW_FIELDS)
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        holders: dict[int, list[tuple[str, str]]] = {}
        initial = (
            ContractHolder.objects.filter(contract_id__in=[row[0] for row in chunk], is_initial=True)
            .order_by("contract_id", "position", "id")
            .values_list("contract_id", "organisation__siret", "organisation__name", "identifier", "name")
        )
        for contract_id, org_siret, org_name, identifier, name in initial:
            holders.setdefault(contract_id, []).append((org_siret or identifier, org_name or name))
        for row in chunk:
            c = dict(zip(_ROW_FIELDS, row, strict=True))
            held = holders.get(c["id"], [])
            yield [
                c["key"],
                c["uid"],
                safe_text(c["decp_id"]),
                kinds.get(c["kind"], c["kind"]),
                c["buyer__siret"] or c["buyer_identifier"],
                safe_text(c["buyer__name"] or c["buyer_name"]),
                safe_text(c["object"]),
                safe_text(c["nature"]),
                safe_text(c["procedure"]),
                c["cpv"],
                c["notification_date"].isoformat() if c["notification_date"] else "",
                decimal_comma(c["amount_initial"]),
                "oui" if c["amount_suspicious"] else "non",
                decimal_comma(c["amount_current"]),
                "" if c["duration_initial"] is None else c["duration_initial"],
                "" if c["offers_received"] is None else c["offers_received"],
                " | ".join(safe_text(siret) for siret, _ in held),
                " | ".join(safe_text(name) for _, name in held),
                len(held),
                c["territory_department"],
                c["territory_region"],
                sources.get(c["territory_source"], c["territory_source"]),
                safe_text(c["place_type"]),
                safe_text(c["place_code"]),
                " | ".join(safe_text(code) for code in flag_codes(c["flags"])),
                safe_text(c["source_file__source__name"] or ""),
                f"{url_prefix}{quote(c['key'])}/",
            ]


# ---------------------------------------------------------------- OCDS

PROCUREMENT_METHODS = [
    # (words that must all appear in the normalised French procedure, OCDS procurementMethod)
    (("sans", "publicite"), "limited"),
    (("sans", "mise en concurrence"), "limited"),
    (("appel d offres ouvert",), "open"),
    (("non negociee ouverte",), "open"),
    (("negociee ouverte",), "open"),
    (("restreint",), "selective"),
    (("dialogue competitif",), "selective"),
    (("negociation",), "selective"),
    (("negocie",), "selective"),
    (("concours",), "selective"),
    (("partenariat d innovation",), "selective"),
]


def procurement_method(procedure: str) -> str | None:
    """The OCDS procurementMethod of a French procedure, or None when none fits (« Procédure adaptée » is a
    national procedure whose publicity and competition the buyer sets: OCDS says to omit the code then)."""
    text = search_key(procedure)
    if not text or "adaptee" in text:
        return None
    for words, method in PROCUREMENT_METHODS:
        if all(word in text for word in words):
            return method
    return None


def main_category(cpv: str) -> str | None:
    if not cpv[:2].isdigit():
        return None
    division = int(cpv[:2])
    if division == 45:
        return "works"
    return "services" if division >= 50 else "goods"


def _datetime(day: datetime.date | None) -> str | None:
    if day is None:
        return None
    moment = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=timezone.get_default_timezone())
    return moment.isoformat()


def _party_id(siret_or_identifier: str, id_type: str = "SIRET") -> str:
    if len(siret_or_identifier) == 14 and siret_or_identifier.isdigit():
        return f"FR-SIRET-{siret_or_identifier}"
    return f"{id_type or 'ID'}-{siret_or_identifier}"


def _value(amount) -> dict | None:
    return None if amount is None else {"amount": float(amount), "currency": "EUR"}


def _prune(data):
    """OCDS forbids empty strings, nulls and empty objects or arrays where a value is expected: drop them."""
    if isinstance(data, dict):
        pruned = {key: _prune(value) for key, value in data.items()}
        return {key: value for key, value in pruned.items() if value not in (None, "", [], {})}
    if isinstance(data, list):
        return [item for item in (_prune(value) for value in data) if item not in (None, "", [], {})]
    return data


def contract_release(contract: Contract, cpv_labels: dict[str, str] | None = None) -> dict:
    """One OCDS release for a contract fetched with `contracts_queryset()` (holders in `initial_holders`)."""
    key = contract.key
    buyer_siret = contract.buyer.siret if contract.buyer else contract.buyer_identifier
    buyer_name = (contract.buyer.name if contract.buyer else contract.buyer_name) or buyer_siret
    buyer_id = _party_id(buyer_siret)
    parties = {
        buyer_id: {
            "id": buyer_id,
            "name": buyer_name,
            "identifier": {"scheme": "FR-SIRET", "id": buyer_siret, "legalName": buyer_name}
            if len(buyer_siret) == 14
            else None,
            "roles": ["buyer"],
        }
    }
    suppliers = []
    for holder in getattr(contract, "initial_holders", None) or []:
        identifier = holder_siret(holder) or f"titulaire-{holder.pk}"
        party_id = _party_id(identifier, holder.id_type)
        name = holder_name(holder) or identifier
        if party_id in parties:
            if "supplier" not in parties[party_id]["roles"]:
                parties[party_id]["roles"].append("supplier")
        else:
            scheme = "FR-SIRET" if party_id.startswith("FR-SIRET-") else None
            parties[party_id] = {
                "id": party_id,
                "name": name,
                "identifier": {"scheme": scheme, "id": identifier, "legalName": name} if scheme else None,
                "roles": ["supplier"],
            }
        suppliers.append({"id": party_id, "name": name})
    cpv_label = (cpv_labels or {}).get(contract.cpv)
    notified = _datetime(contract.notification_date)
    amendments = [
        {
            "id": str(modification.seq),
            "date": _datetime(modification.notification_date or modification.publication_date),
            "description": modification.object,
        }
        for modification in contract.modifications.all()
    ]
    release = {
        "ocid": f"{ocds_prefix()}{key}",
        "id": f"{key}-{(contract.content_hash or 'v1')[:12]}",
        "date": _datetime(contract.publication_date or contract.notification_date) or contract.updated_at.isoformat(),
        "tag": ["award", "contract"] + (["contractAmendment"] if amendments else []),
        "initiationType": "tender",
        "language": "fr",
        "parties": list(parties.values()),
        "buyer": {"id": buyer_id, "name": buyer_name},
        "tender": {
            "id": contract.decp_id or key,
            "title": contract.object[:300],
            "procurementMethod": procurement_method(contract.procedure),
            "procurementMethodDetails": contract.procedure,
            "mainProcurementCategory": main_category(contract.cpv),
            "numberOfTenderers": contract.offers_received,
            "items": [
                {
                    "id": "1",
                    "description": contract.object[:300],
                    "classification": {"scheme": "CPV", "id": contract.cpv, "description": cpv_label},
                }
            ]
            if contract.cpv
            else None,
        },
        "awards": [
            {
                "id": key,
                "status": "active",
                "date": notified,
                "value": _value(contract.amount_initial),
                "suppliers": suppliers,
            }
        ],
        "contracts": [
            {
                "id": key,
                "awardID": key,
                "title": contract.object[:300],
                "status": "active",
                "dateSigned": notified,
                "value": _value(contract.amount_current),
                "period": {"durationInDays": contract.duration_current * 30} if contract.duration_current else None,
                "amendments": amendments,
            }
        ],
    }
    return _prune(release)


def ocds_package_chunks(filters: Filters, uri: str, limit: int | None = None, offset: int = 0) -> Iterator[bytes]:
    """A release package, streamed: the envelope, then the releases one by one."""
    from tremplin.referentials.models import CpvCode

    queryset = contracts_queryset(filters).prefetch_related("modifications")
    if limit is not None:
        queryset = queryset[offset : offset + limit]
    elif offset:
        queryset = queryset[offset:]
    envelope = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": timezone.now().replace(microsecond=0).isoformat(),
        "publisher": {"name": "Tremplin", "uri": settings.SITE_URL},
        "license": OCDS_LICENSE,
        "publicationPolicy": settings.SITE_URL + "/observatoire/#definitions",
    }
    head = orjson.dumps(envelope)[:-1] + b',"releases":['
    yield head
    labels = dict(CpvCode.objects.values_list("code", "label"))  # ~9,500 short rows, read once
    first = True
    for contract in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield (b"" if first else b",") + orjson.dumps(contract_release(contract, labels))
        first = False
    yield b"]}"


def ocds_response(filters: Filters, uri: str, limit: int | None = None, offset: int = 0) -> StreamingHttpResponse:
    response = StreamingHttpResponse(ocds_package_chunks(filters, uri, limit, offset), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="marches-ocds.json"'
    return response
