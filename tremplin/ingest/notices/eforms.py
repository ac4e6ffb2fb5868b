"""eForms UBL notices (``ContractNotice``, ``ContractAwardNotice``, ``PriorInformationNotice``)
→ ``Notice``.

Field mapping (business terms of the eForms SDK):

- id: ``cbc:ID`` (BT-701 notice identifier) + ``-`` + ``cbc:VersionID`` (BT-757);
  publication number ``efac:Publication/efbc:NoticePublicationID`` (OPP-010,
  ``00041387-2024``), publication date ``efbc:PublicationDate`` (OPP-012), else the issue
  date (``cbc:IssueDate``, BT-05) flagged ``publication_date_from_issue``.
- kind: ``cbc:NoticeTypeCode`` (BT-02), else the subtype ``efac:NoticeSubType`` (OPP-070,
  1–40); a change notice (``efac:Changes``, BT-140 reason ``cancel`` or others) is a
  cancellation or a correction; BRIN notices (X01, X02) are rejected (not procurement).
- organisations are resolved through their ``ORG-xxxx`` identifiers: the buyer is
  ``cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID`` → ``efac:Organization/
  efac:Company``; SIRET from ``cac:PartyLegalEntity/cbc:CompanyID`` (BT-501) for French
  organisations; winners through ``efac:LotTender`` → ``efac:TenderingParty`` (``TPA-``) →
  ``efac:Tenderer`` (``ORG-``).
- lots: ``cac:ProcurementProjectLot`` (``LOT-``; lot groups ``GLO-`` skipped); deadline
  ``cac:TenderSubmissionDeadlinePeriod`` (BT-131), else the deadline for requests to
  participate (BT-1311); the notice keeps the earliest lot deadline.
- awards: one per winning tender of each ``efac:LotResult`` with ``selec-w`` (BT-142); a
  winning tender is one that a ``efac:SettledContract`` references, else the rank-1 tender,
  else the only tender of the lot result; lots closed without winner give
  ``Award(awarded=False)``. Tenders received: ``efac:ReceivedSubmissionsStatistics`` with
  code ``tenders`` (or without code).
- strategic procurement: ``cac:ProcurementAdditionalType/cbc:ProcurementTypeCode`` lists
  ``strategic-procurement`` (BT-06), ``environmental-impact`` (BT-774), ``social-objective``
  (BT-775), ``innovative-acquisition`` (BT-776), ``gpp-criteria`` (BT-805); reserved
  participation ``reserved-procurement`` (BT-71) and reserved execution (BT-736).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from typing import Any

from .common import (
    build_notice,
    clean_cpv,
    clean_text,
    country_code,
    french_siret,
    local_name,
    parse_amount,
    parse_date,
    parse_int,
    parse_time,
    winner,
)
from .geo import clean_nuts, nuts_place
from .model import (
    FORMAT_EFORMS,
    KIND_CANCELLATION,
    KIND_CORRECTION,
    KIND_PRIOR_INFORMATION,
    REJECTIONS,
    SOURCE_TED,
    Award,
    Lot,
    Notice,
    RawRef,
    Rejection,
    Winner,
)
from .vocabulary import (
    CONTRACT_NATURES,
    EFORMS_NOTICE_TYPES,
    EFORMS_PROCEDURES,
    EFORMS_SUBTYPES,
    PROC_CONCOURS,
    RESERVED_CODES,
    STRATEGIC_CODES,
    STRATEGIC_LISTS,
)

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
ROOTS = frozenset({"ContractNotice", "ContractAwardNotice", "PriorInformationNotice"})
NOT_PROCUREMENT = frozenset({"BusinessRegistrationInformationNotice"})
_EXTENSION = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
TED_NOTICE_URL = "https://ted.europa.eu/fr/notice/-/detail/{number}-{year}"

LANGUAGES = {
    "BUL": "bg", "CES": "cs", "DAN": "da", "DEU": "de", "ELL": "el", "ENG": "en", "EST": "et",
    "FIN": "fi", "FRA": "fr", "GLE": "ga", "HRV": "hr", "HUN": "hu", "ITA": "it", "LAV": "lv",
    "LIT": "lt", "MLT": "mt", "NLD": "nl", "POL": "pl", "POR": "pt", "RON": "ro", "SLK": "sk",
    "SLV": "sl", "SPA": "es", "SWE": "sv",
}  # fmt: skip
SME_SIZES = {"micro": True, "small": True, "medium": True, "sme": True, "large": False}


def is_eforms(root: ET.Element) -> bool:
    return local_name(root.tag) in ROOTS | NOT_PROCUREMENT and root.tag.startswith("{urn:oasis:names")


def _t(element: ET.Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path, NS)
    return clean_text(found.text) if found is not None else None


def _all(element: ET.Element | None, path: str) -> list[ET.Element]:
    return element.findall(path, NS) if element is not None else []


class _Context:
    def __init__(self, root: ET.Element):
        self.root = root
        self.language = (_t(root, "cbc:NoticeLanguageCode") or "").upper()
        self.flags: set[str] = set()

    def pick(self, element: ET.Element | None, path: str) -> str | None:
        """Multilingual text: French first, then the notice language, then the first one."""
        candidates = _all(element, path)
        if not candidates:
            return None
        by_language = {(c.get("languageID") or "").upper(): c for c in candidates}
        chosen = by_language.get("FRA") or by_language.get(self.language) or candidates[0]
        return clean_text(chosen.text)


def parse_eforms(root: ET.Element, raw_ref: RawRef) -> Notice | Rejection:
    """Normalise one eForms document."""
    name = local_name(root.tag)
    if name in NOT_PROCUREMENT:
        return _reject(raw_ref, "not_procurement", f"avis eForms « {name} » (registre des sociétés)")
    if name not in ROOTS:
        return _reject(raw_ref, "unknown_format", f"élément racine « {name} » inconnu")
    ctx = _Context(root)
    notice_id = _t(root, "cbc:ID")
    if not notice_id:
        return _reject(raw_ref, "missing_id", "avis eForms sans identifiant (cbc:ID)")
    version = _t(root, "cbc:VersionID")
    ext = root.find(_EXTENSION, NS)
    organisations = _organisations(ext, ctx)

    notice_type = _t(root, "cbc:NoticeTypeCode")
    subtype = _t(ext, "efac:NoticeSubType/cbc:SubTypeCode")
    kind = EFORMS_NOTICE_TYPES.get(notice_type or "") or EFORMS_SUBTYPES.get(subtype or "") or KIND_PRIOR_INFORMATION
    related = _t(root, "cac:TenderingProcess/cac:NoticeDocumentReference/cbc:ID")
    changes = ext.find("efac:Changes", NS) if ext is not None else None
    if changes is not None:
        reasons = {clean_text(e.text) for e in _all(changes, "efac:ChangeReason/cbc:ReasonCode")}
        kind = KIND_CANCELLATION if "cancel" in reasons else KIND_CORRECTION
        related = _t(changes, "efbc:ChangedNoticeIdentifier") or related

    publication_number = _t(ext, "efac:Publication/efbc:NoticePublicationID")
    publication_date, _, _ = parse_date(_t(ext, "efac:Publication/efbc:PublicationDate"))
    if publication_date is None:
        publication_date, _, _ = parse_date(_t(root, "cbc:IssueDate"))
        if publication_date is not None:
            ctx.flags.add("publication_date_from_issue")

    # Buyer
    parties = _all(root, "cac:ContractingParty")
    if len(parties) > 1:
        ctx.flags.add("several_buyers")
    party = parties[0] if parties else None
    buyer = organisations.get(_t(party, "cac:Party/cac:PartyIdentification/cbc:ID") or "", {})
    buyer_siret, buyer_legal_id, id_flags = french_siret(buyer.get("legal_id"), buyer.get("country"))
    ctx.flags |= id_flags

    # Procurement project
    project = root.find("cac:ProcurementProject", NS)
    cpv, additional = _cpvs(project, ctx)
    nature = CONTRACT_NATURES.get(_t(project, "cbc:ProcurementTypeCode") or "")
    location = _location(project)
    value, currency = _amount(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
    if value is None:
        value, currency = _amount(project, "cac:RequestedTenderTotal/efbc:FrameworkMaximumAmount")
    markers: set[str] = set()
    details: list[str] = []
    _strategic(project, markers, details)

    procedure_code = _t(root, "cac:TenderingProcess/cbc:ProcedureCode")
    procedure = EFORMS_PROCEDURES.get(procedure_code or "")
    if notice_type in ("cn-desg", "can-desg"):
        procedure = PROC_CONCOURS

    lots, deadlines, documents_url = _lots(root, ctx, markers, details)
    deadline = min(deadlines, key=lambda d: (d[0], d[1] or time.min)) if deadlines else (None, None, None)
    if len({(d[0], d[1]) for d in deadlines}) > 1:
        ctx.flags.add("deadline_varies_by_lot")
    if location == {} and lots:
        first_nuts = next((lot.nuts for lot in lots if lot.nuts), None)
        location = {"nuts": first_nuts} if first_nuts else {}
    awards = _awards(ext, root, organisations, ctx) if ext is not None else ()

    fields: dict[str, Any] = {
        "source": SOURCE_TED,
        "format": FORMAT_EFORMS,
        "source_id": f"{notice_id}-{version}" if version else notice_id,
        "publication_number": publication_number,
        "kind": kind,
        "form_type": notice_type,
        "form_subtype": subtype,
        "title": ctx.pick(project, "cbc:Name"),
        "description": ctx.pick(project, "cbc:Description"),
        "buyer_reference": _t(project, "cbc:ID"),
        "buyer_name": buyer.get("name"),
        "buyer_siret": buyer_siret,
        "buyer_legal_id": buyer_legal_id,
        "buyer_legal_type": _t(party, "cac:ContractingPartyType/cbc:PartyTypeCode"),
        "buyer_country": buyer.get("country"),
        "buyer_town": buyer.get("town"),
        "buyer_postcode": buyer.get("postcode"),
        "buyer_nuts": buyer.get("nuts"),
        "cpv": cpv,
        "additional_cpv": additional,
        "descriptors": (),
        "contract_nature": nature,
        "procedure": procedure,
        "procedure_code": procedure_code,
        "place_nuts": location.get("nuts"),
        "place_postcode": location.get("postcode"),
        "place_town": location.get("town"),
        "place_country": location.get("country"),
        "publication_date": publication_date,
        "deadline_date": deadline[0],
        "deadline_time": deadline[1],
        "deadline_tz": deadline[2],
        "estimated_value": value,
        "currency": currency,
        "notice_url": _notice_url(publication_number),
        "buyer_profile_url": _t(party, "cbc:BuyerProfileURI"),
        "documents_url": documents_url,
        "related_notice_id": related,
        "language": LANGUAGES.get(ctx.language, ctx.language.lower() or None),
        "lots": tuple(lots),
        "awards": tuple(awards),
        "social": "social" in markers,
        "environmental": "environmental" in markers,
        "innovative": "innovative" in markers,
        "reserved": "reserved" in markers,
        "strategic_details": tuple(dict.fromkeys(details)),
        "raw_ref": raw_ref,
    }
    return build_notice(fields, ctx.flags)


def _reject(raw_ref: RawRef, code: str, detail: str) -> Rejection:
    return Rejection(raw_ref.position, code, f"{REJECTIONS[code]} : {detail}.", raw_ref.file)


def _notice_url(publication_number: str | None) -> str | None:
    if not publication_number or "-" not in publication_number:
        return None
    number, _, year = publication_number.partition("-")
    if not (number.isdigit() and year.isdigit() and len(year) == 4):
        return None
    return TED_NOTICE_URL.format(number=int(number), year=year)


def _organisations(ext: ET.Element | None, ctx: _Context) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for organisation in _all(ext, "efac:Organizations/efac:Organization"):
        company = organisation.find("efac:Company", NS)
        org_id = _t(company, "cac:PartyIdentification/cbc:ID")
        if company is None or not org_id:
            continue
        address = company.find("cac:PostalAddress", NS)
        result[org_id] = {
            "name": ctx.pick(company, "cac:PartyName/cbc:Name"),
            "legal_id": _t(company, "cac:PartyLegalEntity/cbc:CompanyID"),
            "country": country_code(_t(address, "cac:Country/cbc:IdentificationCode")),
            "town": _t(address, "cbc:CityName"),
            "postcode": _t(address, "cbc:PostalZone"),
            "nuts": clean_nuts(_t(address, "cbc:CountrySubentityCode")),
            "sme": SME_SIZES.get((_t(company, "efbc:CompanySizeCode") or "").lower()),
        }
    return result


def _cpvs(project: ET.Element | None, ctx: _Context) -> tuple[str | None, tuple[str, ...]]:
    main, invalid = clean_cpv(_t(project, "cac:MainCommodityClassification/cbc:ItemClassificationCode"))
    additional = []
    for element in _all(project, "cac:AdditionalCommodityClassification/cbc:ItemClassificationCode"):
        code, bad = clean_cpv(element.text)
        invalid = invalid or bad
        if code and code != main and code not in additional:
            additional.append(code)
    if invalid:
        ctx.flags.add("cpv_invalid")
    return main, tuple(additional)


def _location(project: ET.Element | None) -> dict[str, Any]:
    for address in _all(project, "cac:RealizedLocation/cac:Address"):
        place = {
            "nuts": clean_nuts(_t(address, "cbc:CountrySubentityCode")),
            "postcode": _t(address, "cbc:PostalZone"),
            "town": _t(address, "cbc:CityName"),
            "country": country_code(_t(address, "cac:Country/cbc:IdentificationCode")),
        }
        if place["nuts"] or place["postcode"] or place["town"]:
            return place
    return {}


def _amount(element: ET.Element | None, path: str) -> tuple[Decimal | None, str | None]:
    found = element.find(path, NS) if element is not None else None
    if found is None:
        return None, None
    amount = parse_amount(found.text)
    return amount, (found.get("currencyID") or None) if amount is not None else None


def _strategic(project: ET.Element | None, markers: set[str], details: list[str]) -> None:
    for element in _all(project, "cac:ProcurementAdditionalType/cbc:ProcurementTypeCode"):
        list_name, code = element.get("listName") or "", clean_text(element.text) or ""
        if list_name == "strategic-procurement" and code in STRATEGIC_CODES:
            markers.add(STRATEGIC_CODES[code])
            details.append(f"{list_name}:{code}")
        elif list_name in STRATEGIC_LISTS and code and code not in STRATEGIC_LISTS[list_name][1]:
            markers.add(STRATEGIC_LISTS[list_name][0])
            details.append(f"{list_name}:{code}")


def _deadline(process: ET.Element | None, period: str) -> tuple[date, time | None, str | None] | None:
    day, _, date_tz = parse_date(_t(process, f"{period}/cbc:EndDate"))
    if day is None:
        return None
    clock, time_tz = parse_time(_t(process, f"{period}/cbc:EndTime"))
    return day, clock, time_tz or date_tz


def _lots(
    root: ET.Element, ctx: _Context, markers: set[str], details: list[str]
) -> tuple[list[Lot], list[tuple[date, time | None, str | None]], str | None]:
    lots: list[Lot] = []
    deadlines = []
    documents_url = None
    for element in _all(root, "cac:ProcurementProjectLot"):
        lot_id = _t(element, "cbc:ID")
        if (lot_id or "").startswith("GLO-"):
            continue
        project = element.find("cac:ProcurementProject", NS)
        cpv, additional = _cpvs(project, ctx)
        value, currency = _amount(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
        if value is None:
            value, currency = _amount(project, "cac:RequestedTenderTotal/efbc:FrameworkMaximumAmount")
        nuts = _location(project).get("nuts")
        lots.append(
            Lot(
                id=lot_id,
                title=ctx.pick(project, "cbc:Name"),
                description=ctx.pick(project, "cbc:Description"),
                cpv=cpv,
                additional_cpv=additional,
                estimated_value=value,
                currency=currency,
                nuts=nuts,
                department=None,
            )
        )
        _strategic(project, markers, details)
        process = element.find("cac:TenderingProcess", NS)
        deadline = _deadline(process, "cac:TenderSubmissionDeadlinePeriod") or _deadline(
            process, "cac:ParticipationRequestReceptionPeriod"
        )
        if deadline:
            deadlines.append(deadline)
        terms = element.find("cac:TenderingTerms", NS)
        documents_url = documents_url or _t(
            terms, "cac:CallForTendersDocumentReference/cac:Attachment/cac:ExternalReference/cbc:URI"
        )
        for code_element in _all(
            terms, "cac:TendererQualificationRequest/cac:SpecificTendererRequirement/cbc:TendererRequirementTypeCode"
        ):
            code = clean_text(code_element.text) or ""
            if code_element.get("listName") == "reserved-procurement" and code in RESERVED_CODES:
                markers.add("reserved")
                markers.update(RESERVED_CODES[code])
                details.append(f"reserved-procurement:{code}")
        for code_element in _all(terms, "cac:ContractExecutionRequirement/cbc:ExecutionRequirementCode"):
            if code_element.get("listName") == "reserved-execution" and clean_text(code_element.text) == "yes":
                markers.add("reserved")
                details.append("reserved-execution:yes")
    lots = [replace(lot, department=nuts_place(lot.nuts)[0]) if lot.nuts else lot for lot in lots]
    return lots, deadlines, documents_url


def _awards(ext: ET.Element, root: ET.Element, organisations: dict[str, dict[str, Any]], ctx: _Context) -> list[Award]:
    result_element = ext.find("efac:NoticeResult", NS)
    if result_element is None:
        return []
    tenders: dict[str, dict[str, Any]] = {}
    for tender in _all(result_element, "efac:LotTender"):
        tender_id = _t(tender, "cbc:ID")
        if not tender_id:
            continue
        value, currency = _amount(tender, "cac:LegalMonetaryTotal/cbc:PayableAmount")
        tenders[tender_id] = {
            "lot": _t(tender, "efac:TenderLot/cbc:ID"),
            "value": value,
            "currency": currency,
            "party": _t(tender, "efac:TenderingParty/cbc:ID"),
            "rank": parse_int(_t(tender, "cbc:RankCode")),
        }
    parties: dict[str, list[str]] = {}
    for party in _all(result_element, "efac:TenderingParty"):
        party_id = _t(party, "cbc:ID")
        members = []
        for tenderer in _all(party, "efac:Tenderer"):
            org_id = _t(tenderer, "cbc:ID")
            lead = _t(tenderer, "efbc:GroupLeadIndicator") == "true"
            if org_id:
                members.insert(0, org_id) if lead else members.append(org_id)
        if party_id:
            parties[party_id] = members
    contracts: dict[str, dict[str, Any]] = {}
    settled_tenders: dict[str, str] = {}
    for contract in _all(result_element, "efac:SettledContract"):
        contract_id = _t(contract, "cbc:ID")
        if not contract_id:
            continue
        award_date = parse_date(_t(contract, "cbc:AwardDate"))[0] or parse_date(_t(contract, "cbc:IssueDate"))[0]
        contracts[contract_id] = {"date": award_date, "reference": _t(contract, "efac:ContractReference/cbc:ID")}
        for ref in _all(contract, "efac:LotTender/cbc:ID"):
            if ref.text:
                settled_tenders.setdefault(ref.text.strip(), contract_id)
    notice_award_date = parse_date(_t(root, "cac:TenderResult/cbc:AwardDate"))[0]

    awards: list[Award] = []
    for lot_result in _all(result_element, "efac:LotResult"):
        lot_id = _t(lot_result, "efac:TenderLot/cbc:ID")
        status = _t(lot_result, "cbc:TenderResultCode")
        received = None
        for stats in _all(lot_result, "efac:ReceivedSubmissionsStatistics"):
            if (_t(stats, "efbc:StatisticsCode") or "tenders") == "tenders":
                received = parse_int(_t(stats, "efbc:StatisticsNumeric"))
                break
        if status != "selec-w":
            awards.append(Award(lot_id, None, False, (), None, None, None, received))
            continue
        refs = [r.text.strip() for r in _all(lot_result, "efac:LotTender/cbc:ID") if r.text and r.text.strip()]
        winning = [r for r in refs if r in settled_tenders]
        if not winning:
            winning = [r for r in refs if tenders.get(r, {}).get("rank") == 1] or (refs if len(refs) == 1 else [])
        if not winning:
            lot_contracts = [c.text.strip() for c in _all(lot_result, "efac:SettledContract/cbc:ID") if c.text]
            contract = contracts.get(lot_contracts[0]) if lot_contracts else None
            date_value = contract["date"] if contract else notice_award_date
            awards.append(Award(lot_id, None, True, (), None, None, date_value, received))
            continue
        for tender_id in winning:
            tender = tenders.get(tender_id, {})
            winners: list[Winner] = []
            for org_id in parties.get(tender.get("party") or "", []):
                org = organisations.get(org_id)
                if not org:
                    continue
                person, flags = winner(org["name"], org["legal_id"], org["country"], town=org["town"], sme=org["sme"])
                winners.append(person)
                ctx.flags |= flags
            contract_id = settled_tenders.get(tender_id)
            contract = contracts.get(contract_id or "", {})
            awards.append(
                Award(
                    lot_id=lot_id or tender.get("lot"),
                    title=None,
                    awarded=True,
                    winners=tuple(winners),
                    value=tender.get("value"),
                    currency=tender.get("currency"),
                    award_date=contract.get("date") or notice_award_date,
                    tenders_received=received,
                    contract_id=contract.get("reference") or contract_id,
                    joint=True if len(winners) > 1 else None,
                )
            )
    return awards
