"""Helpers shared by the notice parsers: XML document reading, text, dates, amounts,
identifiers, and ``build_notice`` which derives the places and the generic quality flags.

XML documents are read with ``xml.etree.ElementTree.XMLPullParser`` fed with text decoded by
``tremplin.ingest.decp.detect.iter_text`` (declared or sniffed encoding, BOM, control
characters XML forbids removed). A TED or eForms file is one notice, so the parser builds
the tree of one document; ``prune`` drops subtrees as soon as they are complete (the 23
machine translations of a TED notice), so memory holds one notice in one language. DOCTYPE
and entity declarations are refused (no entity expansion on files from outside).
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from tremplin.ingest.decp.detect import iter_text
from tremplin.ingest.decp.siret import siret_is_valid

from .geo import department_region, department_tz, nuts_place, postcode_department
from .model import KIND_COMPETITION, Award, Lot, Notice, RawRef, Winner, tzinfo_for

MAX_DOCUMENT_CHARS = 64 * 1024 * 1024  # one notice; the largest real one is 2.8 MB
MAX_DEPTH = 128
_FORBIDDEN = ("<!DOCTYPE", "<!ENTITY")

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
_DATE = re.compile(
    r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:\d{2})?\s*$"
)
_TIME = re.compile(r"^\s*(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:\d{2})?\s*$")
_EPOCH_MS = re.compile(r"^\s*-?\d{11,14}\s*$")
_CPV = re.compile(r"^\s*(\d{8})(?:\s*-\s*\d)?\s*$")
MIN_YEAR, MAX_YEAR = 1990, 2100

# ISO 3166-1 alpha-3 → alpha-2 for the countries that publish on TED (EU, EEA, candidates,
# Switzerland, United Kingdom); other codes are kept as published.
_ALPHA3 = {
    "AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ", "DNK": "DK",
    "EST": "EE", "FIN": "FI", "FRA": "FR", "DEU": "DE", "GRC": "GR", "HUN": "HU", "IRL": "IE",
    "ITA": "IT", "LVA": "LV", "LTU": "LT", "LUX": "LU", "MLT": "MT", "NLD": "NL", "POL": "PL",
    "PRT": "PT", "ROU": "RO", "SVK": "SK", "SVN": "SI", "ESP": "ES", "SWE": "SE", "ISL": "IS",
    "LIE": "LI", "NOR": "NO", "CHE": "CH", "GBR": "GB", "MKD": "MK", "MNE": "ME", "SRB": "RS",
    "ALB": "AL", "TUR": "TR", "UKR": "UA", "MDA": "MD", "BIH": "BA",
}  # fmt: skip


class DocumentError(Exception):
    """A document that cannot be read as a notice; becomes a ``Rejection``."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --------------------------------------------------------------------------------------
# XML
# --------------------------------------------------------------------------------------


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag[:1] == "{" else tag.rsplit(":", 1)[-1]


def read_xml(
    stream: BinaryIO,
    encoding: str,
    *,
    rename: Callable[[str], str] | None = None,
    prune: Callable[[ET.Element, list[ET.Element]], bool] | None = None,
    max_chars: int = MAX_DOCUMENT_CHARS,
) -> ET.Element:
    """Parse one XML document and return its root element.

    ``rename`` maps each tag when its element starts; ``prune(element, ancestors)`` is
    called when an element ends and drops it from the tree when it returns True. Raises
    ``DocumentError`` (``syntax_error``, ``forbidden_markup``, ``record_too_large``,
    ``empty_file``).
    """
    parser = ET.XMLPullParser(events=("start", "end"))
    stack: list[ET.Element] = []
    root: ET.Element | None = None
    total = 0
    carry = ""

    def drain() -> None:
        nonlocal root
        for event, element in parser.read_events():
            if event == "start":
                if rename is not None:
                    element.tag = rename(element.tag)
                if root is None:
                    root = element
                stack.append(element)
                if len(stack) > MAX_DEPTH:
                    raise DocumentError("record_too_large", f"imbrication de plus de {MAX_DEPTH} niveaux")
            else:
                stack.pop()
                if prune is not None and stack and prune(element, stack):
                    element.clear()
                    stack[-1].remove(element)

    try:
        for chunk in iter_text(stream, encoding, xml=True):
            total += len(chunk)
            if total > max_chars:
                raise DocumentError(
                    "record_too_large", f"avis de plus de {max_chars // 1_000_000} millions de caractères"
                )
            window = carry + chunk
            if "<!" in window and any(token in window for token in _FORBIDDEN):
                raise DocumentError("forbidden_markup", "déclaration DOCTYPE ou ENTITY refusée")
            carry = chunk[-9:]
            parser.feed(chunk)
            drain()
        parser.close()
        drain()
    except ET.ParseError as exc:
        line, column = exc.position
        if root is None and total == 0:
            raise DocumentError("empty_file", "fichier vide") from exc
        raise DocumentError(
            "syntax_error", f"XML mal formé ligne {line}, colonne {column + 1} ({_expat_message(exc)})"
        ) from exc
    if root is None:
        raise DocumentError("empty_file", "aucun élément XML")
    return root


def _expat_message(exc: ET.ParseError) -> str:
    return str(exc).split(":", 1)[0]


def text_of(element: ET.Element | None) -> str | None:
    """All the text inside ``element`` (paragraph children joined by new lines), cleaned."""
    if element is None:
        return None
    if len(element):
        parts = [t for t in (_inline_text(child) for child in element) if t]
        own = (element.text or "").strip()
        raw = "\n".join(([own] if own else []) + parts)
    else:
        raw = element.text or ""
    return clean_text(raw)


def _inline_text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def clean_text(value: Any) -> str | None:
    """Strip, normalise line ends and Unicode (NFC), decode HTML entities left in the text
    (BOAMP text is entity-encoded, sometimes twice: ``a&amp;#768;``). None when empty."""
    if value is None:
        return None
    text = str(value)
    if "&" in text and _ENTITY.search(text):
        for _ in range(3):
            decoded = html.unescape(text)
            if decoded == text:
                break
            text = decoded
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    text = unicodedata.normalize("NFC", text)
    return text or None


def had_entities(value: str | None) -> bool:
    """True when ``value`` holds an HTML entity that survived XML parsing (double escape)."""
    return bool(value) and "&" in value and _ENTITY.search(value) is not None


# --------------------------------------------------------------------------------------
# Dates, amounts, codes
# --------------------------------------------------------------------------------------


def parse_date(value: Any) -> tuple[date | None, time | None, str | None]:
    """(date, time or None, time zone or None) from ``2024-01-22Z``, ``2024-03-04+02:00``,
    ``20180915``, ``2017-02-07T12:00:00+01:00``; (None, None, None) when unreadable."""
    if value is None:
        return None, None, None
    match = _DATE.match(str(value))
    if not match:
        return None, None, None
    year, month, day, hour, minute, second, tz = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        clock = time(int(hour), int(minute), int(second or 0)) if hour is not None else None
    except ValueError:
        return None, None, None
    if not MIN_YEAR <= day_value.year <= MAX_YEAR:
        return None, None, None
    if tz in ("Z", "-00:00"):
        tz = "+00:00"
    return day_value, clock, tz if tzinfo_for(tz) is not None else None


def parse_time(value: Any) -> tuple[time | None, str | None]:
    """(time, time zone or None) from ``12:00:00+02:00``, ``15:00``, ``17h30``."""
    if value is None:
        return None, None
    match = _TIME.match(str(value))
    if not match:
        return None, None
    hour, minute, second, tz = match.groups()
    try:
        clock = time(int(hour), int(minute), int(second or 0))
    except ValueError:
        return None, None
    if tz in ("Z", "-00:00"):
        tz = "+00:00"
    return clock, tz if tzinfo_for(tz) is not None else None


def is_epoch_ms(value: Any) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and _EPOCH_MS.match(value) is not None)


def epoch_ms_local(value: Any, tz_name: str) -> datetime | None:
    """Local wall-clock datetime in ``tz_name`` of an epoch timestamp in milliseconds."""
    try:
        instant = datetime.fromtimestamp(int(str(value).strip()) / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    tz = tzinfo_for(tz_name)
    local = instant.astimezone(tz) if tz is not None else instant
    return local if MIN_YEAR <= local.year <= MAX_YEAR else None


def parse_amount(value: Any) -> Decimal | None:
    """A non-negative finite amount; None when absent or unreadable."""
    if value is None:
        return None
    text = "".join(str(value).split()).replace(",", ".")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    return amount


def parse_int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 10**9 else None


def clean_cpv(value: Any) -> tuple[str | None, bool]:
    """(8-digit CPV code, invalid?) — the check digit (``-3``) is dropped."""
    if value is None or not str(value).strip():
        return None, False
    match = _CPV.match(str(value))
    return (match.group(1), False) if match else (None, True)


def country_code(value: Any) -> str | None:
    if not value:
        return None
    code = str(value).strip().upper()
    if len(code) == 3:
        return _ALPHA3.get(code, code)
    return code if len(code) == 2 and code.isalpha() else None


def french_siret(value: Any, country: str | None) -> tuple[str | None, str | None, set[str]]:
    """(siret, legal id as published, flags) for an organisation identifier.

    Only organisations in France (or of unknown country) can have a SIRET: 14 digits once
    spaces, dots and dashes are removed (a leading space is in a real eForms notice). A bad
    check digit keeps the SIRET and flags ``siret_checksum``; a French identifier that is
    not 14 digits (a SIREN, a made-up code) is kept as legal id and flagged.
    """
    legal_id = clean_text(value)
    if not legal_id:
        return None, None, set()
    if country not in (None, "FR"):
        return None, legal_id, set()
    digits = re.sub(r"[\s.\-]", "", legal_id)
    if len(digits) == 14 and digits.isascii() and digits.isdigit():
        return digits, legal_id, set() if siret_is_valid(digits) else {"siret_checksum"}
    return None, legal_id, {"siret_malformed"} if country == "FR" else set()


# --------------------------------------------------------------------------------------
# Notice assembly
# --------------------------------------------------------------------------------------


def first(values: Iterable[Any]) -> Any:
    return next((value for value in values if value not in (None, "", ())), None)


def build_notice(fields: dict[str, Any], flags: set[str]) -> Notice:
    """Fill the derived fields (place, main CPV from the lots) and the generic flags, and
    return the ``Notice``. ``fields`` holds every ``Notice`` field but ``flags``; place
    fields may be missing."""
    lots: tuple[Lot, ...] = fields["lots"]
    awards: tuple[Award, ...] = fields["awards"]
    summary = "summary_only" in flags  # a summary has no buyer, CPV, place, value: no flag for each
    if not fields.get("cpv"):
        fields["cpv"] = first(lot.cpv for lot in lots)
    _place(fields, flags)
    publication = fields.get("publication_date")
    if not summary:
        missing = {
            "no_cpv": fields["cpv"],
            "no_title": fields.get("title"),
            "no_buyer_name": fields.get("buyer_name"),
            "no_publication_date": publication,
        }
        flags.update(flag for flag, value in missing.items() if not value)
    deadline = fields.get("deadline_date")
    if deadline is None and fields["kind"] == KIND_COMPETITION and "summary_only" not in flags:
        flags.add("no_deadline")
    if deadline is not None and publication is not None and deadline < publication:
        flags.add("deadline_before_publication")
    if _tz_mismatch(fields):
        flags.add("deadline_tz_mismatch")
    has_value = (
        fields.get("estimated_value") is not None
        or any(lot.estimated_value is not None for lot in lots)
        or any(award.value is not None for award in awards)
    )
    if not has_value and not summary:
        flags.add("value_missing")
    sirets = [fields.get("buyer_siret")] + [w.siret for a in awards for w in a.winners]
    if any(s and not siret_is_valid(s) for s in sirets):
        flags.add("siret_checksum")
    if any(a.awarded and not a.winners for a in awards):
        flags.add("award_winner_unresolved")
    return Notice(**fields, flags=tuple(sorted(flags)))


def _place(fields: dict[str, Any], flags: set[str]) -> None:
    for key in ("place_nuts", "place_department", "place_region", "place_postcode", "place_town", "place_country"):
        fields.setdefault(key, None)
    performance = any(fields[key] for key in ("place_nuts", "place_department", "place_postcode", "place_town"))
    if not performance:
        buyer_place = (fields.get("buyer_nuts"), fields.get("buyer_postcode"), fields.get("buyer_town"))
        if any(buyer_place):
            flags.add("place_from_buyer")
            fields["place_nuts"], fields["place_postcode"], fields["place_town"] = buyer_place
            fields["place_country"] = fields["place_country"] or fields.get("buyer_country")
    nuts_department, nuts_region = nuts_place(fields["place_nuts"])
    country = fields["place_country"] or (
        "FR" if (fields["place_nuts"] or "").startswith("FR") else fields.get("buyer_country")
    )
    fields["place_country"] = country
    department = fields["place_department"] or nuts_department
    if department is None and country in (None, "FR"):
        department = postcode_department(fields["place_postcode"])
    fields["place_department"] = department
    fields["place_region"] = fields["place_region"] or nuts_region or department_region(department)


def _tz_mismatch(fields: dict[str, Any]) -> bool:
    """A UTC offset published with a French deadline that is not the legal time there."""
    tz = fields.get("deadline_tz")
    day, clock = fields.get("deadline_date"), fields.get("deadline_time")
    if not tz or tz[0] not in "+-" or day is None or clock is None:
        return False
    if fields.get("buyer_country") != "FR":
        return False
    department = fields.get("place_department") or postcode_department(fields.get("buyer_postcode"))
    local = tzinfo_for(department_tz(department))
    offset = tzinfo_for(tz)
    if local is None or offset is None:
        return False
    moment = datetime.combine(day, clock, tzinfo=offset)
    return moment.utcoffset() != moment.astimezone(local).utcoffset()


def with_raw_ref(notice: Notice, raw_ref: RawRef) -> Notice:
    return replace(notice, raw_ref=raw_ref)


def winner(
    name: Any,
    legal_id: Any,
    country: Any,
    *,
    town: Any = None,
    postcode: Any = None,
    sme: bool | None = None,
) -> tuple[Winner, set[str]]:
    country_value = country_code(country)
    siret, legal, flags = french_siret(legal_id, country_value)
    return (
        Winner(
            name=clean_text(name),
            siret=siret,
            legal_id=legal,
            country=country_value,
            town=clean_text(town),
            postcode=clean_text(postcode),
            sme=sme,
        ),
        flags,
    )
