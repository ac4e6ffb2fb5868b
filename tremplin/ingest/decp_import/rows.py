"""Normalised DECP contracts as compact rows, ready for the database (pure Python, no Django).

The producer (``producer.py``) turns each ``normalize.Contract`` into one ``entry`` tuple — plain strings,
numbers and tuples, cheap to pickle between processes — and the writer (``writer.py``) only adds what needs
the database (organisation ids, territory, file, timestamps). Values are in their database form already:
ISO dates, amounts as text rounded to the cent, JSON lists as text, "" for absent text.

Identity (see ``tremplin.contracts.models``): a contract is identified by its uid (buyer id + contract id) and,
among the records sharing a uid, by its notification date and its initial holders (2019/2024 formats) or by
its notification date and amount (tabular rows, one per holder: the holders of one contract come on several
rows, ``normalize.tabular_contract_key``). ``key`` is the uid followed by a short hash of that identity:
stable whatever order files are imported in, distinct for lots sharing an id.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from tremplin.ingest.decp.normalize import Contract, Holder, Rejection
from tremplin.ingest.decp.records import FORMAT_TABULAR, ParseFault, RawRecord
from tremplin.ingest.decp.siret import siren_is_valid, siret_is_valid
from tremplin.organisations.rules import is_valid_siret

# Contract columns filled here, in this order; the writer appends buyer, territory, file and timestamps.
CONTRACT_FIELDS = (
    "key",
    "uid",
    "decp_id",
    "kind",
    "buyer_identifier",
    "buyer_name",
    "nature",
    "object",
    "cpv",
    "procedure",
    "price_form",
    "place_code",
    "place_type",
    "place_name",
    "notification_date",
    "publication_date",
    "amount_initial",
    "duration_initial",
    "amount_current",
    "duration_current",
    "offers_received",
    "techniques",
    "execution_modalities",
    "social_considerations",
    "environmental_considerations",
    "flags",
    "amount_suspicious",
    "format",
    "source_position",
    "content_hash",
)
F = {name: index for index, name in enumerate(CONTRACT_FIELDS)}
F_KEY, F_UID, F_DATE, F_AMOUNT, F_FLAGS, F_FORMAT = (F[n] for n in ("key", "uid", "notification_date",
                                                                   "amount_initial", "flags", "format"))  # fmt: skip
F_PUBLICATION, F_HASH, F_POSITION = F["publication_date"], F["content_hash"], F["source_position"]

# Holder rows: (id_type, identifier, name, position, is_initial, is_current, valid SIRET or None).
HOLDER_FIELDS = ("id_type", "identifier", "name", "position", "is_initial", "is_current")
H_SIRET = 6
# Modification rows, in date order.
MODIFICATION_FIELDS = (
    "seq",
    "decp_id",
    "notification_date",
    "publication_date",
    "object",
    "duration_months",
    "amount",
    "holders",
)

# Entry tuples. Contract: (CONTRACT, fields, holders, modifications, identities, version, buyer SIRET, flags).
CONTRACT, REJECTION, FAULT = "C", "R", "F"
E_FIELDS, E_HOLDERS, E_MODIFICATIONS, E_IDENTITIES, E_VERSION, E_BUYER_SIRET, E_FLAGS = range(1, 8)

# Published labels of the place types (the normaliser's codes → DECP's « Code … » wording, shown as such).
PLACE_TYPE_LABELS = {
    "postcode": "Code postal",
    "commune": "Code commune",
    "arrondissement": "Code arrondissement",
    "canton": "Code canton",
    "department": "Code département",
    "region": "Code région",
    "country": "Code pays",
}
# DecimalField(max_digits=17, decimal_places=2) holds less than 10^15: larger amounts are stored as null
# (they are flagged amount_suspicious by the normaliser anyway).
AMOUNT_LIMIT = Decimal(10) ** 15
CENT = Decimal("0.01")
FORMAT_RANK = {FORMAT_TABULAR: 0}  # 2019 and 2024 records (1) carry more than a tabular row (0)


def amount_text(value: Any) -> str | None:
    """An amount as stored and compared: text rounded to the cent, None when absent or out of range."""
    if value is None:
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        if not amount.is_finite() or abs(amount) >= AMOUNT_LIMIT:
            return None
        return str(amount.quantize(CENT))
    except InvalidOperation:
        return None


def iso(value: Any) -> str | None:
    """A date as ISO text (also accepts the ISO text or datetime that database drivers return)."""
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()[:10]


def holder_identity(identifier: str | None, name: str | None) -> str:
    """What tells two holders apart: the identifier, else the name."""
    return identifier if identifier else "~" + (name or "").casefold()


def key_prefix(uid: str) -> str:
    """The uid as the start of a key: usable in a URL path segment."""
    if uid.isascii() and uid.replace("_", "").replace("-", "").isalnum():
        return uid
    return "".join(c if c.isalnum() or c in "_-." else "_" for c in uid)


def make_key(uid: str, identity: str, attempt: int = 0) -> str:
    """uid + "-" + 10 hex digits of SHA-1(uid | identity) (``attempt`` > 0 on the rare hash collision)."""
    text = f"{uid}|{identity}" if not attempt else f"{uid}|{identity}|{attempt}"
    return f"{key_prefix(uid)}-{hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:10]}"


def identity_text(contract_format: str, date_text: str | None, amount: str | None, identities: tuple[str, ...]) -> str:
    if contract_format == FORMAT_TABULAR:
        return f"{date_text or ''}|€{amount or ''}"
    return f"{date_text or ''}|" + "|".join(identities)


_VALID_SIRETS: dict[str, bool] = {}


def valid_siret(value: str) -> bool:
    """The platform's rule (``organisations.rules.is_valid_siret``: 14 digits, SIREN key, SIRET key with La
    Poste's exception), memoised — the same few hundred thousand SIRETs come back over and over in a national
    file — and computed with the normaliser's faster Luhn for identifiers already cleaned (digits only):
    ``tests/ingest/importer/test_rows.py`` checks both give the same answer."""
    valid = _VALID_SIRETS.get(value)
    if valid is None:
        if value.isascii() and value.isdigit():
            valid = siret_is_valid(value) and siren_is_valid(value[:9])
        else:
            valid = is_valid_siret(value)
        if len(_VALID_SIRETS) < 1_000_000:
            _VALID_SIRETS[value] = valid
    return valid


def _json(values: tuple[str, ...]) -> str:
    return orjson.dumps(values).decode() if values else "[]"


def _holder_row(holder: Holder, position: int, initial: bool, current: bool) -> tuple:
    siret = holder.id if holder.id_type == "SIRET" and holder.id and valid_siret(holder.id) else None
    return (holder.id_type or "", holder.id or "", holder.name or "", position, initial, current, siret)


def pack_contract(contract: Contract) -> tuple:
    """The entry of a normalised contract (see the module docstring)."""
    notified = _iso(contract.notification_date)
    published = _iso(contract.publication_date)
    amount = amount_text(contract.amount)
    flags = contract.flags
    initial = contract.holders
    modifications: tuple = ()
    if contract.modifications:
        current_amount = amount_text(contract.current_amount)
        current_duration = contract.current_duration_months
        current = contract.current_holders
        modifications = tuple(
            (
                seq,
                m.id or "",
                _iso(m.notification_date),
                _iso(m.publication_date),
                m.object or "",
                m.duration_months,
                amount_text(m.amount),
                orjson.dumps(
                    [{"id_type": h.id_type or "", "identifier": h.id or "", "name": h.name or ""} for h in m.holders]
                ).decode(),  # fmt: skip
            )
            for seq, m in enumerate(contract.modifications, start=1)
        )
        last_change = max((m[2] or m[3] or "" for m in modifications), default="")
    else:
        current_amount, current_duration, current, last_change = amount, contract.duration_months, initial, ""
    if len(initial) == 1:
        holder = initial[0]
        identities: tuple[str, ...] = (holder.id if holder.id else "~" + (holder.name or "").casefold(),)
    else:
        identities = tuple(sorted({holder_identity(h.id, h.name) for h in initial}))
    holders = [_holder_row(h, i, True, current is initial or h in current) for i, h in enumerate(initial)]
    if current is not initial:
        holders.extend(
            _holder_row(h, len(initial) + i, False, True) for i, h in enumerate(h for h in current if h not in initial)
        )
    fmt = contract.format
    uid = contract.uid
    key = make_key(uid, identity_text(fmt, notified, amount, identities))
    place_type = contract.place_type
    fields = (
        key,
        uid,
        contract.id,
        contract.kind,
        contract.buyer_id,
        contract.buyer_name or "",
        contract.nature or "",
        contract.object or "",
        contract.cpv or "",
        contract.procedure or "",
        contract.price_form or "",
        contract.place_code or "",
        PLACE_TYPE_LABELS.get(place_type, "") if place_type else "",
        contract.place_name or "",
        notified,
        published,
        amount,
        contract.duration_months,
        current_amount,
        current_duration,
        contract.offers_received,
        _json(contract.techniques) if contract.techniques else "[]",
        _json(contract.execution_modalities) if contract.execution_modalities else "[]",
        _json(contract.social_considerations) if contract.social_considerations else "[]",
        _json(contract.environmental_considerations) if contract.environmental_considerations else "[]",
        _json(flags) if flags else "[]",
        "amount_suspicious" in flags,
        fmt,
        contract.position,
    )
    holders = tuple(holders)
    content_hash = _sha1(orjson.dumps((fields[1:F_POSITION], holders, modifications))).hexdigest()
    version = (len(modifications), last_change, FORMAT_RANK.get(fmt, 1), published or "", content_hash)
    buyer_siret = contract.buyer_id if valid_siret(contract.buyer_id) else None
    return (CONTRACT, (*fields, content_hash), holders, modifications, identities, version, buyer_siret, flags)


_ISO: dict[Any, str] = {}


def _iso(value: Any) -> str | None:
    """``iso`` memoised for dates (a few thousand distinct days)."""
    if value is None:
        return None
    text = _ISO.get(value)
    if text is None:
        text = iso(value)
        if len(_ISO) < 100_000:
            _ISO[value] = text
    return text


def _sha1(data: bytes) -> Any:
    return hashlib.sha1(data, usedforsecurity=False)


def pack_rejection(rejection: Rejection, raw: RawRecord) -> tuple:
    return (REJECTION, rejection.position, rejection.reason_code, rejection.reason_fr, payload_text(raw.payload))


def pack_fault(fault: ParseFault) -> tuple:
    return (FAULT, fault.position, fault.code, fault.reason, fault.fatal)


def payload_text(payload: Any) -> str:
    """The raw record as JSON text (as found: XML already turned into the JSON shape)."""
    try:
        return orjson.dumps(payload, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        return repr(payload)
