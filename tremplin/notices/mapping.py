"""Parsed notice (``tremplin.ingest.notices.Notice``) → the field values of our models. Pure: no ORM.

Values are fitted to the columns: text longer than its column is cut (the full text is in the source file), an
amount the column cannot hold (≥ 10¹⁵, more than 2 decimals are rounded) is dropped and flagged
``amount_invalid``, so that no notice is lost to a database error."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tremplin.core.text import search_key
from tremplin.ingest.notices import Award, Lot
from tremplin.ingest.notices import Notice as ParsedNotice
from tremplin.notices import rules

MAX_AMOUNT = Decimal(10) ** 15
CENT = Decimal("0.01")

# Column widths of tremplin.notices.models (kept here so that the mapping stays pure; a test checks them).
WIDTHS = {
    "source_id": 100,
    "publication_number": 40,
    "publication_key": 40,
    "format": 20,
    "form_type": 40,
    "form_subtype": 40,
    "buyer_reference": 200,
    "buyer_name": 500,
    "buyer_legal_id": 60,
    "buyer_country": 2,
    "buyer_town": 200,
    "buyer_postcode": 20,
    "contract_nature": 20,
    "procedure": 120,
    "procedure_code": 60,
    "place_department": 3,
    "place_region": 3,
    "place_nuts": 5,
    "place_postcode": 20,
    "place_town": 200,
    "place_country": 2,
    "deadline_tz": 40,
    "currency": 3,
    "notice_url": 500,
    "documents_url": 500,
    "buyer_profile_url": 500,
    "related_reference": 100,
    "related_key": 100,
    "language": 5,
    "raw_file": 500,
    "raw_position": 200,
}
LOT_WIDTHS = {"lot_ref": 60, "cpv": 8, "currency": 3, "nuts": 5, "department": 3}
AWARD_WIDTHS = {"lot_ref": 60, "currency": 3, "contract_id": 100}
WINNER_WIDTHS = {"name": 500, "siret": 14, "legal_id": 60, "country": 2, "town": 200, "postcode": 20}


def clip(value: Any, width: int) -> str:
    return (value or "")[:width] if isinstance(value, str) or value is None else str(value)[:width]


def fit_amount(value: Decimal | None, flags: set[str]) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        flags.add("amount_invalid")
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def url(value: str | None, width: int) -> str:
    """A link is kept only when it is an http(s) URL that fits its column (a cut URL would be wrong)."""
    text = (value or "").strip()
    if not text.lower().startswith(("http://", "https://")) or len(text) > width:
        return ""
    return text


def content_hash(notice: ParsedNotice) -> str:
    """Fingerprint of everything the parser read (provenance apart): equal hashes, equal notices."""
    data = dataclasses.asdict(notice)
    data.pop("raw_ref", None)
    payload = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


@dataclass
class MappedNotice:
    """What the importer writes for one parsed notice."""

    key: str
    version: int
    fields: dict[str, Any]
    lots: list[dict[str, Any]]
    awards: list[tuple[dict[str, Any], list[dict[str, Any]]]]  # (award fields, winners' fields)
    cpv_codes: dict[str, bool]  # code → is main
    buyer_siret: str
    buyer_postcode: str
    flags: list[str] = field(default_factory=list)


def map_notice(notice: ParsedNotice, hash_value: str | None = None) -> MappedNotice:
    key, version = rules.notice_identity(notice.source_id)
    flags = set(notice.flags)
    value = fit_amount(notice.value, flags)
    lots = [_lot(index, lot, flags, single=len(notice.lots) == 1, reserved=notice.reserved) for index, lot in
            enumerate(notice.lots)]  # fmt: skip
    awards = [_award(index, award, flags) for index, award in enumerate(notice.awards)]
    text: dict[str, Any] = {
        "source_id": key,
        "publication_number": notice.publication_number,
        "publication_key": rules.reference_key(notice.source, notice.publication_number),
        "format": notice.format,
        "form_type": notice.form_type,
        "form_subtype": notice.form_subtype,
        "buyer_reference": notice.buyer_reference,
        "buyer_name": notice.buyer_name,
        "buyer_legal_id": notice.buyer_legal_id,
        "buyer_country": notice.buyer_country,
        "buyer_town": notice.buyer_town,
        "buyer_postcode": notice.buyer_postcode,
        "contract_nature": notice.contract_nature,
        "procedure": notice.procedure,
        "procedure_code": notice.procedure_code,
        "place_department": notice.place_department,
        "place_region": notice.place_region,
        "place_nuts": notice.place_nuts,
        "place_postcode": notice.place_postcode,
        "place_town": notice.place_town,
        "place_country": notice.place_country,
        "deadline_tz": notice.deadline_tz,
        "currency": notice.currency,
        "related_reference": notice.related_notice_id,
        "related_key": rules.reference_key(notice.source, notice.related_notice_id),
        "language": notice.language,
        "raw_file": notice.raw_ref.file,
        "raw_position": notice.raw_ref.position,
    }
    fields = {name: clip(value_, WIDTHS[name]) for name, value_ in text.items()}
    if value is not None and not fields["currency"]:
        fields["currency"] = next((lot["currency"] for lot in lots if lot["currency"]), "")
    fields.update(
        source=notice.source,
        version=version,
        kind=notice.kind,
        title=notice.title or "",
        description=notice.description or "",
        search_text=search_key(" ".join(filter(None, (notice.title, notice.buyer_name, notice.place_town)))),
        cpv=notice.cpv or "",
        additional_cpv=list(notice.additional_cpv),
        descriptors=list(notice.descriptors),
        publication_date=notice.publication_date,
        deadline_at=notice.deadline_at,
        deadline_date=notice.deadline_date,
        deadline_time=notice.deadline_time,
        estimated_value=value,
        notice_url=url(notice.notice_url, WIDTHS["notice_url"]),
        documents_url=url(notice.documents_url, WIDTHS["documents_url"]),
        buyer_profile_url=url(notice.buyer_profile_url, WIDTHS["buyer_profile_url"]),
        is_social=notice.social,
        is_environmental=notice.environmental,
        is_innovative=notice.innovative,
        is_reserved=notice.reserved,
        strategic_details=list(notice.strategic_details),
        flags=sorted(flags),
        content_hash=hash_value or content_hash(notice),
    )
    return MappedNotice(
        key=key,
        version=version,
        fields=fields,
        lots=lots,
        awards=awards,
        cpv_codes=cpv_codes(notice),
        buyer_siret=notice.buyer_siret or "",
        buyer_postcode=notice.buyer_postcode or "",
        flags=sorted(flags),
    )


def cpv_codes(notice: ParsedNotice) -> dict[str, bool]:
    """Every 8-digit CPV code of the notice and of its lots, main one first (code → is main)."""
    codes: dict[str, bool] = {}
    if notice.cpv:
        codes[notice.cpv] = True
    for code in (*notice.additional_cpv, *(c for lot in notice.lots for c in (lot.cpv, *lot.additional_cpv))):
        if code and len(code) == 8 and code.isdigit():
            codes.setdefault(code, False)
    return codes


def _lot(index: int, lot: Lot, flags: set[str], *, single: bool, reserved: bool) -> dict[str, Any]:
    values = {
        "lot_ref": lot.id,
        "cpv": lot.cpv,
        "currency": lot.currency,
        "nuts": lot.nuts,
        "department": lot.department,
    }
    fields: dict[str, Any] = {name: clip(value, LOT_WIDTHS[name]) for name, value in values.items()}
    fields.update(
        position=index,
        title=lot.title or "",
        description=lot.description or "",
        additional_cpv=list(lot.additional_cpv),
        estimated_value=fit_amount(lot.estimated_value, flags),
        is_reserved=reserved if single else None,
    )
    return fields


def _award(index: int, award: Award, flags: set[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    values = {"lot_ref": award.lot_id, "currency": award.currency, "contract_id": award.contract_id}
    fields: dict[str, Any] = {name: clip(value, AWARD_WIDTHS[name]) for name, value in values.items()}
    fields.update(
        position=index,
        title=award.title or "",
        awarded=award.awarded,
        value=fit_amount(award.value, flags),
        award_date=award.award_date,
        tenders_received=award.tenders_received,
        joint=award.joint,
    )
    winners = []
    for position, winner in enumerate(award.winners):
        values = {
            "name": winner.name,
            "siret": winner.siret,
            "legal_id": winner.legal_id,
            "country": winner.country,
            "town": winner.town,
            "postcode": winner.postcode,
        }
        winner_fields: dict[str, Any] = {name: clip(value, WINNER_WIDTHS[name]) for name, value in values.items()}
        winner_fields.update(position=position, is_sme=winner.sme)
        winners.append(winner_fields)
    return fields, winners
