"""TED XML R2.0.9 (``TED_EXPORT``, standard forms of 2014) → ``Notice``.

The reader keeps only the ORIGINAL language versions of the form (``FORM_SECTION/F02_2014
CATEGORY="ORIGINAL"``); machine translations are dropped while parsing. When a notice has
several originals (Swiss notices in French and German), the French one is used.

Field mapping:

- id: ``TED_EXPORT/@DOC_ID`` (``404080-2018``, the TED document number; also the publication
  number), publication date ``CODED_DATA_SECTION/REF_OJS/DATE_PUB``, notice URL
  ``NOTICE_DATA/URI_LIST/URI_DOC`` (French version first).
- kind: the form (F02, F05, F12, F24: call for competition; F03, F06, F13, F15 (VEAT), F25:
  award; F01/F04/F21/F22/F23/F07 by their ``NOTICE/@TYPE``; F08: prior information; F14:
  correction; F20: modification). Other forms (defence F16–F19, pre-2014 forms, MOVE,
  EEIG…) are rejected as ``unsupported_form`` with the form name.
- buyer: ``CONTRACTING_BODY/ADDRESS_CONTRACTING_BODY`` (``OFFICIALNAME``, ``NATIONALID`` —
  the SIRET for French buyers when present —, ``TOWN``, ``POSTAL_CODE``, ``COUNTRY``,
  ``NUTS``), buyer profile ``URL_BUYER``, documents ``URL_DOCUMENT``, type ``CA_TYPE``.
- object: ``OBJECT_CONTRACT`` (``TITLE``, ``CPV_MAIN``, ``TYPE_CONTRACT``, ``SHORT_DESCR``,
  ``VAL_ESTIMATED_TOTAL``), lots ``OBJECT_DESCR`` (``LOT_NO``, ``TITLE``, ``CPV_ADDITIONAL``,
  ``NUTS``, ``VAL_OBJECT``; a lot's main CPV is the contract's ``CPV_MAIN``).
- procedure: the ``PROCEDURE/PT_*`` element, else ``CODIF_DATA/PR_PROC``; deadline
  ``PROCEDURE/DATE_RECEIPT_TENDERS`` + ``TIME_RECEIPT_TENDERS`` (local time: time zone set
  for French buyers only), else ``CODIF_DATA/DT_DATE_FOR_SUBMISSION``; a F14 correction
  gives the new deadline of its ``CHANGE`` on section IV.2.2.
- awards: ``AWARD_CONTRACT`` (``LOT_NO``, ``AWARDED_CONTRACT/CONTRACTORS/CONTRACTOR``,
  ``VALUES/VAL_TOTAL``, ``DATE_CONCLUSION_CONTRACT``, ``TENDERS/NB_TENDERS_RECEIVED``,
  ``NO_AWARDED_CONTRACT``); design contest results (F13) ``RESULTS/AWARDED_PRIZE``.
- reserved participation: ``LEFTI/RESTRICTED_SHELTERED_WORKSHOP``,
  ``RESTRICTED_SHELTERED_PROGRAM`` (also social), ``RESERVED_ORGANISATIONS_SERVICE_MISSION``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, time
from decimal import Decimal
from typing import Any

from .common import (
    build_notice,
    clean_cpv,
    clean_text,
    country_code,
    french_siret,
    parse_amount,
    parse_date,
    parse_int,
    parse_time,
    text_of,
    winner,
)
from .geo import clean_nuts, department_tz, nuts_place, postcode_department
from .model import (
    FORMAT_TED_R209,
    KIND_AWARD,
    KIND_COMPETITION,
    KIND_CORRECTION,
    KIND_MODIFICATION,
    KIND_PRIOR_INFORMATION,
    REJECTIONS,
    SOURCE_TED,
    Award,
    Lot,
    Notice,
    RawRef,
    Rejection,
)
from .vocabulary import (
    CONTRACT_NATURES,
    PROC_CONCOURS,
    TED_PR_PROC,
    TED_PROCEDURE_ELEMENTS,
)

_FORM = re.compile(r"^F(\d\d)_2014$")
FORM_KINDS = {
    "F02": KIND_COMPETITION,
    "F05": KIND_COMPETITION,
    "F12": KIND_COMPETITION,
    "F24": KIND_COMPETITION,
    "F03": KIND_AWARD,
    "F06": KIND_AWARD,
    "F13": KIND_AWARD,
    "F15": KIND_AWARD,
    "F25": KIND_AWARD,
    "F08": KIND_PRIOR_INFORMATION,
    "F14": KIND_CORRECTION,
    "F20": KIND_MODIFICATION,
}
TYPED_FORMS = frozenset({"F01", "F04", "F07", "F21", "F22", "F23"})  # kind given by NOTICE/@TYPE
_SUBMISSION = re.compile(r"^\s*(\d{8})(?:\s+(\d{1,2}:\d{2}))?\s*$")


def rename(tag: str) -> str:
    """Local name: TED uses a default namespace plus ``n2016:``/``n2021:`` for NUTS."""
    return tag.rsplit("}", 1)[-1]


def prune(element: ET.Element, ancestors: list[ET.Element]) -> bool:
    """Drop the machine translations of the form as soon as they are parsed."""
    return ancestors[-1].tag == "FORM_SECTION" and element.get("CATEGORY") == "TRANSLATION"


def is_ted_r209(root: ET.Element) -> bool:
    return rename(root.tag) == "TED_EXPORT"


def _t(element: ET.Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path)
    return text_of(found) if found is not None else None


def _attr(element: ET.Element | None, path: str, name: str) -> str | None:
    found = element.find(path) if element is not None else None
    return clean_text(found.get(name)) if found is not None else None


def _money(element: ET.Element | None, path: str) -> tuple[Decimal | None, str | None]:
    found = element.find(path) if element is not None else None
    if found is None:
        return None, None
    amount = parse_amount(found.text)
    return amount, (found.get("CURRENCY") or None) if amount is not None else None


def _reject(raw_ref: RawRef, code: str, detail: str) -> Rejection:
    return Rejection(raw_ref.position, code, f"{REJECTIONS[code]} : {detail}.", raw_ref.file)


def _kind(form: str, form_element: ET.Element) -> str | None:
    if form in FORM_KINDS:
        return FORM_KINDS[form]
    if form not in TYPED_FORMS:
        return None
    notice_type = (_attr(form_element, "NOTICE", "TYPE") or "").upper()
    if "AWARD" in notice_type:
        return KIND_AWARD
    if "CALL_COMPETITION" in notice_type or notice_type in ("CONTRACT", "CONCESSION", "QSU_CALL_COMPETITION"):
        return KIND_COMPETITION
    if form == "F07" and not notice_type:
        return KIND_COMPETITION
    return KIND_PRIOR_INFORMATION


def _choose_form(section: ET.Element | None) -> ET.Element | None:
    if section is None or not len(section):
        return None
    forms = [f for f in section if f.get("CATEGORY") or f.get("FORM")]  # not NOTICE_UUID
    if not forms:
        return None
    originals = [f for f in forms if f.get("CATEGORY") != "TRANSLATION"] or forms
    return next((f for f in originals if (f.get("LG") or "").upper() == "FR"), originals[0])


def parse_ted(root: ET.Element, raw_ref: RawRef) -> Notice | Rejection:
    """Normalise one TED_EXPORT document."""
    coded = root.find("CODED_DATA_SECTION")
    notice_data = coded.find("NOTICE_DATA") if coded is not None else None
    codif = coded.find("CODIF_DATA") if coded is not None else None
    doc_id = clean_text(root.get("DOC_ID")) or _t(notice_data, "NO_DOC_OJS")
    if not doc_id:
        return _reject(raw_ref, "missing_id", "avis TED sans numéro (DOC_ID)")
    form_element = _choose_form(root.find("FORM_SECTION"))
    if form_element is None:
        return _reject(raw_ref, "unknown_format", "avis TED sans formulaire (FORM_SECTION vide)")
    match = _FORM.match(form_element.tag)
    form = f"F{match.group(1)}" if match else form_element.tag
    kind = _kind(form, form_element)
    if kind is None:
        return _reject(raw_ref, "unsupported_form", f"formulaire {form} ({doc_id})")
    flags: set[str] = set()

    # Buyer
    body = form_element.find("CONTRACTING_BODY/ADDRESS_CONTRACTING_BODY")
    buyer_country = country_code(_attr(body, "COUNTRY", "VALUE")) or country_code(
        _attr(notice_data, "ISO_COUNTRY", "VALUE")
    )
    buyer_siret, buyer_legal_id, id_flags = french_siret(_t(body, "NATIONALID"), buyer_country)
    flags |= id_flags
    buyer_postcode = _t(body, "POSTAL_CODE")
    buyer_nuts = clean_nuts(_attr(body, "NUTS", "CODE")) or clean_nuts(_attr(notice_data, "CA_CE_NUTS", "CODE"))
    contracting = form_element.find("CONTRACTING_BODY")
    legal_type = _attr(contracting, "CA_TYPE", "VALUE") or _t(contracting, "CA_TYPE_OTHER")

    # Object and lots
    objects = form_element.findall("OBJECT_CONTRACT")
    main_object = objects[0] if objects else None
    cpv, invalid = clean_cpv(_attr(main_object, "CPV_MAIN/CPV_CODE", "CODE"))
    if cpv is None:
        cpv, bad = clean_cpv(_attr(notice_data, "ORIGINAL_CPV", "CODE"))
        invalid = invalid or bad
    nature = CONTRACT_NATURES.get((_attr(main_object, "TYPE_CONTRACT", "CTYPE") or "").lower()) or CONTRACT_NATURES.get(
        _attr(codif, "NC_CONTRACT_NATURE", "CODE") or ""
    )
    value, currency = _money(main_object, "VAL_ESTIMATED_TOTAL")
    lots: list[Lot] = []
    additional: list[str] = []
    for contract in objects:
        contract_cpv, _ = clean_cpv(_attr(contract, "CPV_MAIN/CPV_CODE", "CODE"))
        for item in contract.findall("OBJECT_DESCR"):
            lot_codes = []
            for code_element in item.findall("CPV_ADDITIONAL/CPV_CODE"):
                code, bad = clean_cpv(code_element.get("CODE"))
                invalid = invalid or bad
                if code and code != (contract_cpv or cpv) and code not in lot_codes:
                    lot_codes.append(code)
            additional.extend(c for c in lot_codes if c not in additional and c != cpv)
            lot_value, lot_currency = _money(item, "VAL_OBJECT")
            lot_nuts = clean_nuts(_attr(item, "NUTS", "CODE"))
            lots.append(
                Lot(
                    id=_t(item, "LOT_NO"),
                    title=_t(item, "TITLE"),
                    description=_t(item, "SHORT_DESCR"),
                    cpv=contract_cpv or cpv,
                    additional_cpv=tuple(lot_codes),
                    estimated_value=lot_value,
                    currency=lot_currency,
                    nuts=lot_nuts,
                    department=nuts_place(lot_nuts)[0],
                )
            )
    if invalid:
        flags.add("cpv_invalid")
    place_nuts = next((lot.nuts for lot in lots if lot.nuts), None) or clean_nuts(
        _attr(notice_data, "PERFORMANCE_NUTS", "CODE")
    )

    # Procedure and deadline
    procedure_element = form_element.find("PROCEDURE")
    procedure_code, procedure = _procedure(procedure_element)
    if procedure is None:
        procedure_code = _attr(codif, "PR_PROC", "CODE")
        procedure = TED_PR_PROC.get(procedure_code or "")
    if form in ("F12", "F13"):
        procedure = PROC_CONCOURS
    deadline_date, deadline_time = _deadline(procedure_element, form_element, codif)
    deadline_tz = None
    if deadline_date is not None and buyer_country == "FR":
        department = nuts_place(buyer_nuts)[0] or postcode_department(buyer_postcode)
        deadline_tz = department_tz(department)

    awards = _awards(form_element, flags)
    markers, details = _reserved(form_element)
    publication_date, _, _ = parse_date(_t(coded, "REF_OJS/DATE_PUB"))
    related = _t(procedure_element, "NOTICE_NUMBER_OJ") or _t(form_element, "COMPLEMENTARY_INFO/NOTICE_NUMBER_OJ")
    related = related or _t(notice_data, "REF_NOTICE/NO_DOC_OJS")

    fields: dict[str, Any] = {
        "source": SOURCE_TED,
        "format": FORMAT_TED_R209,
        "source_id": doc_id,
        "publication_number": doc_id,
        "kind": kind,
        "form_type": form,
        "form_subtype": _attr(codif, "TD_DOCUMENT_TYPE", "CODE"),
        "title": _t(main_object, "TITLE"),
        "description": _t(main_object, "SHORT_DESCR"),
        "buyer_reference": _t(main_object, "REFERENCE_NUMBER"),
        "buyer_name": _t(body, "OFFICIALNAME"),
        "buyer_siret": buyer_siret,
        "buyer_legal_id": buyer_legal_id,
        "buyer_legal_type": legal_type,
        "buyer_country": buyer_country,
        "buyer_town": _t(body, "TOWN"),
        "buyer_postcode": buyer_postcode,
        "buyer_nuts": buyer_nuts,
        "cpv": cpv,
        "additional_cpv": tuple(additional),
        "descriptors": (),
        "contract_nature": nature,
        "procedure": procedure,
        "procedure_code": procedure_code,
        "place_nuts": place_nuts,
        "publication_date": publication_date,
        "deadline_date": deadline_date,
        "deadline_time": deadline_time,
        "deadline_tz": deadline_tz,
        "estimated_value": value,
        "currency": currency,
        "notice_url": _notice_url(notice_data),
        "buyer_profile_url": _t(body, "URL_BUYER"),
        "documents_url": _t(contracting, "URL_DOCUMENT"),
        "related_notice_id": related,
        "language": (form_element.get("LG") or "").lower() or None,
        "lots": tuple(lots),
        "awards": tuple(awards),
        "social": "social" in markers,
        "environmental": False,
        "innovative": form_element.find("PROCEDURE/PT_INNOVATION_PARTNERSHIP") is not None,
        "reserved": "reserved" in markers,
        "strategic_details": tuple(details),
        "raw_ref": raw_ref,
    }
    return build_notice(fields, flags)


def _procedure(procedure: ET.Element | None) -> tuple[str | None, str | None]:
    if procedure is None:
        return None, None
    for element in procedure.iter():
        if element.tag in TED_PROCEDURE_ELEMENTS:
            return element.tag, TED_PROCEDURE_ELEMENTS[element.tag]
    return None, None


def _deadline(
    procedure: ET.Element | None, form_element: ET.Element, codif: ET.Element | None
) -> tuple[date | None, time | None]:
    for change in form_element.findall("CHANGES/CHANGE"):
        if (_t(change, "WHERE/SECTION") or "").startswith("IV.2.2"):
            day, _, _ = parse_date(_t(change, "NEW_VALUE/DATE"))
            if day is not None:
                return day, parse_time(_t(change, "NEW_VALUE/TIME"))[0]
    day, _, _ = parse_date(_t(procedure, "DATE_RECEIPT_TENDERS"))
    if day is not None:
        return day, parse_time(_t(procedure, "TIME_RECEIPT_TENDERS"))[0]
    match = _SUBMISSION.match(_t(codif, "DT_DATE_FOR_SUBMISSION") or "")
    if match:
        day, _, _ = parse_date(match.group(1))
        return day, parse_time(match.group(2))[0] if day and match.group(2) else None
    return None, None


def _notice_url(notice_data: ET.Element | None) -> str | None:
    uris = notice_data.findall("URI_LIST/URI_DOC") if notice_data is not None else []
    chosen = next((u for u in uris if u.get("LG") == "FR"), uris[0] if uris else None)
    return clean_text(chosen.text) if chosen is not None else None


def _reserved(form_element: ET.Element) -> tuple[set[str], list[str]]:
    markers: set[str] = set()
    details: list[str] = []
    lefti = form_element.find("LEFTI")
    if lefti is None:
        return markers, details
    for tag in ("RESTRICTED_SHELTERED_WORKSHOP", "RESTRICTED_SHELTERED_PROGRAM"):
        if lefti.find(tag) is not None:
            markers |= {"reserved", "social"}
            details.append(tag)
    if lefti.find("RESERVED_ORGANISATIONS_SERVICE_MISSION") is not None:
        markers.add("reserved")
        details.append("RESERVED_ORGANISATIONS_SERVICE_MISSION")
    return markers, details


def _contractor(element: ET.Element, flags: set[str]):
    address = element.find("ADDRESS_CONTRACTOR")
    if address is None:
        address = element.find("ADDRESS_WINNER")
    sme = True if element.find("SME") is not None else False if element.find("NO_SME") is not None else None
    person, id_flags = winner(
        _t(address, "OFFICIALNAME"),
        _t(address, "NATIONALID"),
        _attr(address, "COUNTRY", "VALUE"),
        town=_t(address, "TOWN"),
        postcode=_t(address, "POSTAL_CODE"),
        sme=sme,
    )
    flags |= id_flags
    return person


def _awards(form_element: ET.Element, flags: set[str]) -> list[Award]:
    awards: list[Award] = []
    for item in form_element.findall("AWARD_CONTRACT"):
        lot_id = _t(item, "LOT_NO")
        title = _t(item, "TITLE")
        contract_id = _t(item, "CONTRACT_NO")
        awarded = item.find("AWARDED_CONTRACT")
        if awarded is None:
            awards.append(Award(lot_id, title, False, (), None, None, None, None, contract_id))
            continue
        winners = tuple(_contractor(c, flags) for c in awarded.iter("CONTRACTOR"))
        joint = None
        if awarded.find("CONTRACTORS/AWARDED_TO_GROUP") is not None or awarded.find("AWARDED_TO_GROUP") is not None:
            joint = True
        elif len(winners) > 1:
            joint = False
        value, currency = _money(awarded, "VALUES/VAL_TOTAL")
        if value is None:
            value, currency = _money(awarded, "VAL_TOTAL")
        awards.append(
            Award(
                lot_id=lot_id,
                title=title,
                awarded=True,
                winners=winners,
                value=value,
                currency=currency,
                award_date=parse_date(_t(awarded, "DATE_CONCLUSION_CONTRACT"))[0],
                tenders_received=parse_int(_t(awarded, "TENDERS/NB_TENDERS_RECEIVED")),
                contract_id=contract_id,
                joint=joint,
            )
        )
    for prize in form_element.findall("RESULTS/AWARDED_PRIZE"):
        winners = tuple(_contractor(w, flags) for w in prize.iter("WINNER"))
        value, currency = _money(prize, "VAL_PRIZE")
        awards.append(
            Award(
                lot_id=_t(prize, "LOT_NO"),
                title=_t(prize, "TITLE"),
                awarded=bool(winners),
                winners=winners,
                value=value,
                currency=currency,
                award_date=parse_date(_t(prize, "DATE_DECISION_JURY"))[0],
                tenders_received=parse_int(_t(prize, "NB_PARTICIPANTS") or _t(prize, "PARTICIPANTS/NB_PARTICIPANTS")),
                joint=False if len(winners) > 1 else None,
            )
        )
    return awards
