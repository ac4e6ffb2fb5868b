"""BOAMP JSON from the former DILA API: full notices and the summary of notices.

Full notice (``{"gestion": {...}, "donnees": {...}}``): a lower-case mirror of the v230 XML.
It is turned into the element tree ``boamp_xml`` reads (keys are already the normalised
tags): ``null`` and ``[]`` mean "absent"; a list repeats the element; an object is an
element even when all its members are ``null`` (``"appeloffre": {"standard": null…}`` is a
call for competition without sub-nature); the choice elements of the XML (``<MAPA/>``) are
embedded as strings holding an XML fragment that declares UTF-16
(``'<?xml version="1.0" encoding="UTF-16"?>\\n<MAPA …/>'``): only their presence matters, so
they become empty elements and are never parsed; dates are epoch timestamps in
milliseconds (``1614596400000`` = 2021-03-01 12:00 in Paris), converted by ``boamp_xml``.

Summary (``{"20-152081": [reference, objet, deadline], …}``, 34 entries in the sample):
streamed entry by entry with ijson; each entry gives a minimal notice flagged
``summary_only`` (IDWEB, buyer's reference, object as title, deadline in Paris time; the
string ``"None"`` means absent).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson
import orjson

from .boamp_xml import BOAMP_NOTICE_URL, parse_boamp
from .common import DocumentError, build_notice, clean_text, parse_date
from .geo import PARIS_TZ
from .model import (
    FORMAT_BOAMP_JSON,
    FORMAT_BOAMP_SUMMARY,
    KIND_COMPETITION,
    REJECTIONS,
    SOURCE_BOAMP,
    Notice,
    RawRef,
    Rejection,
)

MAX_NOTICE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
_FRAGMENT = re.compile(r"^\s*<\?xml[^>]*\?>\s*<", re.S)
_NULLS = {"", "none", "null"}


def looks_like_notice(head: str) -> bool:
    """A full notice starts with ``{"gestion":`` (possibly after ``"donnees"``)."""
    return re.match(r'^\s*\{\s*"(?:gestion|donnees)"\s*:', head) is not None


def looks_like_summary(head: str) -> bool:
    return re.match(r'^\s*\{\s*"[^"]{1,40}"\s*:\s*\[', head) is not None


def to_element(tag: str, value: Any, depth: int = 0) -> ET.Element | list[ET.Element] | None:
    """JSON value → element(s) named ``tag``; None when the value means "absent"."""
    if depth > MAX_DEPTH:
        raise DocumentError("record_too_large", f"imbrication de plus de {MAX_DEPTH} niveaux")
    if value is None:
        return None
    if isinstance(value, list):
        elements: list[ET.Element] = []
        for item in value:
            converted = to_element(tag, item, depth + 1)
            if isinstance(converted, list):
                elements.extend(converted)
            elif converted is not None:
                elements.append(converted)
        return elements or None
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "value" and not isinstance(item, (dict, list)):
                element.text = None if item is None else str(item)
                continue
            if not isinstance(item, (dict, list)) and item is not None and key in ("devise", "ordre", "poids"):
                element.set(key, str(item))
                continue
            converted = to_element(key, item, depth + 1)
            if isinstance(converted, list):
                element.extend(converted)
            elif converted is not None:
                element.append(converted)
        return element
    if isinstance(value, str) and _FRAGMENT.match(value):
        return element  # a choice element of the XML, present
    element.text = str(value) if not isinstance(value, bool) else ("true" if value else "false")
    return element


def parse_notice_json(data: bytes, raw_ref: RawRef) -> Notice | Rejection:
    try:
        payload = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        return Rejection(raw_ref.position, "syntax_error", f"{REJECTIONS['syntax_error']} : {exc}.", raw_ref.file)
    if not isinstance(payload, dict) or not isinstance(payload.get("gestion"), dict):
        return Rejection(
            raw_ref.position,
            "invalid_payload",
            f"{REJECTIONS['invalid_payload']} : objet BOAMP sans « gestion ».",
            raw_ref.file,
        )
    root = to_element("annonce", payload)
    assert isinstance(root, ET.Element)
    return parse_boamp(root, raw_ref, notice_format=FORMAT_BOAMP_JSON)


def read_notice_json(stream: BinaryIO, raw_ref: RawRef) -> Notice | Rejection:
    data = stream.read(MAX_NOTICE_BYTES + 1)
    if len(data) > MAX_NOTICE_BYTES:
        return Rejection(raw_ref.position, "record_too_large", REJECTIONS["record_too_large"] + ".", raw_ref.file)
    return parse_notice_json(data, raw_ref)


def iter_summary(stream: BinaryIO, file: str) -> Iterator[Notice | Rejection]:
    """Stream the entries of a summary file; a syntax error ends the file with a rejection."""
    count = 0
    try:
        for key, value in ijson.kvitems(stream, "", use_float=True):
            count += 1
            yield summary_notice(str(key), value, RawRef(file, f'summary["{key}"]'))
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError) as exc:
        position = f"summary #{count + 1}"
        yield Rejection(position, "syntax_error", f"{REJECTIONS['syntax_error']} : {exc}.", file)


def _value(item: Any) -> str | None:
    text = clean_text(item) if item is not None else None
    return None if text is None or text.lower() in _NULLS else text


def summary_notice(idweb: str, value: Any, raw_ref: RawRef) -> Notice | Rejection:
    idweb = clean_text(idweb) or ""
    if not idweb:
        return Rejection(raw_ref.position, "missing_id", REJECTIONS["missing_id"] + ".", raw_ref.file)
    if not isinstance(value, list) or not value or len(value) > 3:
        detail = "une liste [référence, objet, date limite] était attendue"
        return Rejection(
            raw_ref.position, "invalid_payload", f"{REJECTIONS['invalid_payload']} : {detail}.", raw_ref.file
        )
    reference, title, deadline = ([*value, None, None, None])[:3]
    flags = {"summary_only"}
    day, clock, tz = parse_date(_value(deadline))
    if _value(deadline) and day is None:
        flags.add("date_invalid")
    fields: dict[str, Any] = {
        "source": SOURCE_BOAMP,
        "format": FORMAT_BOAMP_SUMMARY,
        "source_id": idweb,
        "publication_number": idweb,
        "kind": KIND_COMPETITION,
        "form_type": None,
        "form_subtype": None,
        "title": _value(title),
        "description": None,
        "buyer_reference": _value(reference),
        "buyer_name": None,
        "buyer_siret": None,
        "buyer_legal_id": None,
        "buyer_legal_type": None,
        "buyer_country": "FR",
        "buyer_town": None,
        "buyer_postcode": None,
        "buyer_nuts": None,
        "cpv": None,
        "additional_cpv": (),
        "descriptors": (),
        "contract_nature": None,
        "procedure": None,
        "procedure_code": None,
        "publication_date": None,
        "deadline_date": day,
        "deadline_time": clock,
        "deadline_tz": (tz or PARIS_TZ) if day is not None and clock is not None else None,
        "estimated_value": None,
        "currency": None,
        "notice_url": BOAMP_NOTICE_URL.format(idweb=idweb),
        "buyer_profile_url": None,
        "documents_url": None,
        "related_notice_id": None,
        "language": "fr",
        "lots": (),
        "awards": (),
        "social": False,
        "environmental": False,
        "innovative": False,
        "reserved": False,
        "strategic_details": (),
        "raw_ref": raw_ref,
    }
    return build_notice(fields, flags)
