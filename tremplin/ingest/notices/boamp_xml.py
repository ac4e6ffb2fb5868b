"""BOAMP notices in the legacy v230 schema (``ANNONCE``, ``Boamp_v230.xsd``) → ``Notice``.

The same extraction serves the XML files and the former DILA JSON API (``boamp_json``),
whose notices mirror the XML with keys in lower case and without ``_`` / ``-``: element tags
are normalised the same way here (``DATE_PUBLICATION`` → ``datepublication``, ``CMP-2006``
→ ``cmp2006``), so one code path reads both.

Field mapping:

- id: ``GESTION/REFERENCE/IDWEB``; kind from ``TYPE_AVIS``: ``NATURE`` (``APPEL_OFFRE`` call
  for competition, ``ATTRIBUTION`` / ``INTENTION_CONCLURE`` award, ``PREINFORMATION`` /
  ``PERIODIQUE`` / ``PROFIL_ACHETEUR`` prior information, ``MODIFICATION``, ``RECTIFICATIF``)
  and ``STATUT`` (``ANNULATION`` → cancellation, ``RECTIFICATIF`` → correction);
  ``form_type`` is ``FAMILLE:NATURE[/sub-nature]`` (``JOUE:APPELOFFRE/STANDARD``),
  ``form_subtype`` the ``PERIMETRE`` (``DIRECTIVE24``, ``CMP2006``, ``DSP``).
- dates: ``INDEXATION/DATE_PUBLICATION``; deadline ``CONDITION_DELAI/RECEPT_OFFRES`` (with
  its UTC offset), else ``RECEPT_CANDIDAT``, else ``INDEXATION/DATE_LIMITE_REPONSE``.
- buyer: ``DONNEES/IDENTITE`` (``DENOMINATION``, ``CODE_IDENT_NATIONAL`` = SIRET, else the
  SIRET of an additional address with the same name, ``ADJUDICATEUR_NUTS``, ``CP``,
  ``VILLE``, ``URL_PROFIL_ACHETEUR``, ``URL_DOCUMENT``), type ``TYPE_ORGANISME`` /
  ``TYPE_POUVOIR_ADJUDICATEUR``.
- object: first ``OBJET`` (``TITRE_MARCHE`` else ``INDEXATION/RESUME_OBJET``,
  ``OBJET_COMPLET``, ``REF_MARCHE``, ``TYPE_MARCHE``, ``CPV/PRINCIPAL`` — absent from most
  MAPA/FNS notices, which only have ``DESCRIPTEURS`` —, ``CARACTERISTIQUES/VALEUR_TOTALE``
  else ``VALEUR`` else ``VALEUR_MAX``, ``LIEU_EXEC_LIVR``), lots ``LOTS/LOT``.
- place: ``LIEU_EXEC_LIVR`` / lot ``CODE_NUTS``, department ``INDEXATION/DEP_PRESTATION``
  else the NUTS / postcode; ``DEP_PUBLICATION`` is only the department of publication.
- awards: each ``ATTRIBUTION/DECISION`` (``NUM_LOT``, ``INTITULE``, ``TITULAIRE`` each with
  the following ``RENSEIGNEMENT``: ``MONTANT`` summed over the decision, ``DATE_ATTRIBUTION``,
  ``NB_OFFRE_RECU``; ``INFRUCTUEUX`` / ``SANS_SUITE`` → not awarded).
- strategic: ``INDEXATION/CRITERES_SOCIAUX_ENV`` (``SOCIAUX``, ``ENVIRONNEMENTAUX``),
  reserved ``CONDITION_PARTICIPATION/MARCHE_RESERVE_OUI`` / ``PRESTATION_RESERVEE_OUI``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, time
from decimal import Decimal
from typing import Any

from tremplin.ingest.decp.vocabulary import fold

from .common import (
    build_notice,
    clean_cpv,
    clean_text,
    epoch_ms_local,
    french_siret,
    had_entities,
    is_epoch_ms,
    local_name,
    parse_amount,
    parse_date,
    parse_int,
    winner,
)
from .geo import clean_nuts, department_tz, nuts_place, postcode_department
from .model import (
    FORMAT_BOAMP_XML,
    KIND_AWARD,
    KIND_CANCELLATION,
    KIND_COMPETITION,
    KIND_CORRECTION,
    KIND_MODIFICATION,
    KIND_PRIOR_INFORMATION,
    REJECTIONS,
    SOURCE_BOAMP,
    Award,
    Lot,
    Notice,
    RawRef,
    Rejection,
    Winner,
)
from .vocabulary import BOAMP_PROCEDURES, CONTRACT_NATURES, PROC_CONCESSION, PROC_CONCOURS

BOAMP_NOTICE_URL = "https://www.boamp.fr/pages/avis/?q=idweb:{idweb}"
NATURE_KINDS = {
    "appeloffre": KIND_COMPETITION,
    "attribution": KIND_AWARD,
    "intentionconclure": KIND_AWARD,
    "preinformation": KIND_PRIOR_INFORMATION,
    "periodique": KIND_PRIOR_INFORMATION,
    "profilacheteur": KIND_PRIOR_INFORMATION,
    "qualification": KIND_COMPETITION,
    "modification": KIND_MODIFICATION,
    "rectificatif": KIND_CORRECTION,
}
_GROUP_MEMBER = re.compile(r"mandataire|co-?traitant", re.I)
_DEPARTMENT = re.compile(r"^(?:\d{2,3}|2[AB])$", re.I)


def normalise_tag(tag: str) -> str:
    """``DATE_PUBLICATION`` / ``datepublication`` → ``datepublication``."""
    return local_name(tag).lower().replace("_", "").replace("-", "")


def is_boamp(root: ET.Element) -> bool:
    return normalise_tag(root.tag) == "annonce"


class _Reader:
    """Path lookups on a normalised BOAMP tree, remembering text repairs."""

    def __init__(self) -> None:
        self.flags: set[str] = set()

    def text(self, element: ET.Element | None, path: str | None = None) -> str | None:
        if element is None:
            return None
        found = element.find(path) if path else element
        if found is None:
            return None
        raw = "".join(found.itertext()) if len(found) else found.text
        if had_entities(raw):
            self.flags.add("text_unescaped")
        return clean_text(raw)

    def child_name(self, element: ET.Element | None, path: str) -> str | None:
        """Name of the first child of ``path`` (BOAMP encodes choices as empty elements)."""
        found = element.find(path) if element is not None else None
        if found is None or not len(found):
            return None
        return found[0].tag

    def money(self, element: ET.Element | None, path: str) -> tuple[Decimal | None, str | None]:
        found = element.find(path) if element is not None else None
        if found is None:
            return None, None
        amount = parse_amount(found.text)
        if amount is None:
            if clean_text(found.text):
                self.flags.add("amount_invalid")
            return None, None
        currency = found.get("DEVISE") or found.get("devise") or None
        return amount, currency

    def moment(
        self, element: ET.Element | None, path: str, tz_name: str
    ) -> tuple[date | None, time | None, str | None]:
        """(date, time, time zone) of an ISO date or an epoch in milliseconds (JSON API)."""
        value = self.text(element, path)
        if value is None:
            return None, None, None
        if is_epoch_ms(value):
            local = epoch_ms_local(value, tz_name)
            if local is None:
                self.flags.add("date_invalid")
                return None, None, None
            clock = local.time() if (local.hour, local.minute, local.second) != (0, 0, 0) else None
            return local.date(), clock, tz_name
        day, clock, tz = parse_date(value)
        if day is None:
            self.flags.add("date_invalid")
        return day, clock, tz


def _reject(raw_ref: RawRef, code: str, detail: str) -> Rejection:
    return Rejection(raw_ref.position, code, f"{REJECTIONS[code]} : {detail}.", raw_ref.file)


def parse_boamp(root: ET.Element, raw_ref: RawRef, *, notice_format: str = FORMAT_BOAMP_XML) -> Notice | Rejection:
    """Normalise one BOAMP ``ANNONCE`` tree whose tags went through ``normalise_tag``."""
    r = _Reader()
    gestion = root.find("gestion")
    idweb = r.text(gestion, "reference/idweb")
    if not idweb:
        return _reject(raw_ref, "missing_id", "avis BOAMP sans IDWEB")
    type_avis = gestion.find("reference/typeavis") if gestion is not None else None
    famille = r.child_name(type_avis, "famille")
    nature_element = type_avis.find("nature") if type_avis is not None else None
    nature = nature_element[0].tag if nature_element is not None and len(nature_element) else None
    sub_nature = (
        nature_element[0][0].tag
        if nature_element is not None and len(nature_element) and len(nature_element[0])
        else None
    )
    statut = r.child_name(type_avis, "statut")
    kind = NATURE_KINDS.get(nature or "", KIND_COMPETITION)
    if statut == "annulation":
        kind = KIND_CANCELLATION
    elif statut == "rectificatif":
        kind = KIND_CORRECTION
    form_type = ":".join(filter(None, [(famille or "").upper(), "/".join(filter(None, [nature, sub_nature])).upper()]))

    indexation = gestion.find("indexation") if gestion is not None else None
    donnees = root.find("donnees")
    identite = donnees.find("identite") if donnees is not None else None
    objet = donnees.find("objet") if donnees is not None else None

    # Buyer
    buyer_name = r.text(identite, "denomination")
    legal_id = r.text(identite, "codeidentnational") or _siret_from_addresses(r, donnees, buyer_name)
    buyer_siret, buyer_legal_id, id_flags = french_siret(legal_id, "FR")
    r.flags |= id_flags
    buyer_postcode = r.text(identite, "cp")
    buyer_nuts = clean_nuts(r.text(identite, "adjudicateurnuts"))
    buyer_department = nuts_place(buyer_nuts)[0] or postcode_department(buyer_postcode)
    publication_department = _department(r.text(indexation, "deppublication"))
    tz_name = department_tz(buyer_department or publication_department)

    # Place of performance
    place = objet.find("lieuexeclivr") if objet is not None else None
    lots = _lots(r, objet)
    place_nuts = clean_nuts(r.text(place, "codenuts")) or next((lot.nuts for lot in lots if lot.nuts), None)
    place_department = _department(r.text(indexation, "depprestation"))

    # Object
    cpv, additional, invalid = None, [], False
    for code_element in _children(objet, "cpv"):
        code, bad = clean_cpv(code_element.text)
        invalid = invalid or bad
        if code and code_element.tag == "principal" and cpv is None:
            cpv = code
        elif code and code not in additional:
            additional.append(code)
    if invalid:
        r.flags.add("cpv_invalid")
    value, currency = r.money(objet, "caracteristiques/valeurtotale")
    for path in ("caracteristiques/valeur", "caracteristiques/valeurmax"):
        if value is None:
            value, currency = r.money(objet, path)
    nature_marche = r.child_name(objet, "typemarche")

    procedure_code = r.child_name(donnees, "procedure/typeprocedure")
    procedure = BOAMP_PROCEDURES.get(procedure_code or "")
    if procedure is None and sub_nature == "concession":
        procedure = PROC_CONCESSION
    if sub_nature == "concours":
        procedure = PROC_CONCOURS

    # Dates
    publication_date, _, _ = r.moment(indexation, "datepublication", tz_name)
    deadline = r.moment(donnees, "conditiondelai/receptoffres", tz_name)
    if deadline[0] is None:
        deadline = r.moment(donnees, "conditiondelai/receptcandidat", tz_name)
    if deadline[0] is None:
        deadline = r.moment(indexation, "datelimitereponse", tz_name)
    deadline_tz = deadline[2] or (tz_name if deadline[1] is not None else None)

    # Strategic markers
    markers, details = set(), []
    for element in _children(indexation, "criteressociauxenv"):
        if element.tag.startswith("soci"):
            markers.add("social")
        elif element.tag.startswith("environ"):
            markers.add("environmental")
        details.append(f"CRITERES_SOCIAUX_ENV:{element.tag.upper()}")
    for tag in ("marchereserveoui", "prestationreserveeoui"):
        if donnees is not None and donnees.find(f"conditionparticipation/{tag}") is not None:
            markers.add("reserved")
            details.append(tag.upper())

    descriptors = tuple(
        dict.fromkeys(
            label
            for label in (
                r.text(d, "libelle")
                for d in (indexation.findall("descripteurs/descripteur") if indexation is not None else [])
            )
            if label
        )
    )
    related = None
    if gestion is not None:
        previous = [r.text(e, "reference/idweb") for e in gestion.findall("marche/annonceanterieur")]
        related = next((p for p in reversed(previous) if p), None)

    fields: dict[str, Any] = {
        "source": SOURCE_BOAMP,
        "format": notice_format,
        "source_id": idweb,
        "publication_number": idweb,
        "kind": kind,
        "form_type": form_type or None,
        "form_subtype": (r.child_name(type_avis, "perimetre") or "").upper() or None,
        "title": r.text(objet, "titremarche") or r.text(indexation, "resumeobjet"),
        "description": r.text(objet, "objetcomplet"),
        "buyer_reference": r.text(objet, "refmarche"),
        "buyer_name": buyer_name,
        "buyer_siret": buyer_siret,
        "buyer_legal_id": buyer_legal_id,
        "buyer_legal_type": r.child_name(donnees, "typeorganisme") or r.child_name(donnees, "typepouvoiradjudicateur"),
        "buyer_country": "FR",
        "buyer_town": r.text(identite, "ville"),
        "buyer_postcode": buyer_postcode,
        "buyer_nuts": buyer_nuts,
        "cpv": cpv,
        "additional_cpv": tuple(additional),
        "descriptors": descriptors,
        "contract_nature": CONTRACT_NATURES.get(nature_marche or ""),
        "procedure": procedure,
        "procedure_code": procedure_code.upper() if procedure_code else None,
        "place_nuts": place_nuts,
        "place_department": place_department,
        "place_postcode": r.text(place, "cp"),
        "place_town": r.text(place, "ville"),
        "place_country": "FR" if (place_nuts or place_department or r.text(place, "cp")) else None,
        "publication_date": publication_date,
        "deadline_date": deadline[0],
        "deadline_time": deadline[1],
        "deadline_tz": deadline_tz if deadline[0] is not None else None,
        "estimated_value": value,
        "currency": currency,
        "notice_url": BOAMP_NOTICE_URL.format(idweb=idweb),
        "buyer_profile_url": r.text(identite, "urlprofilacheteur"),
        "documents_url": r.text(identite, "urldocument"),
        "related_notice_id": related,
        "language": "fr",
        "lots": tuple(lots),
        "awards": tuple(_awards(r, donnees)),
        "social": "social" in markers,
        "environmental": "environmental" in markers,
        "innovative": procedure_code == "partenariatinnovation",
        "reserved": "reserved" in markers,
        "strategic_details": tuple(details),
        "raw_ref": raw_ref,
    }
    return build_notice(fields, r.flags)


def _children(element: ET.Element | None, path: str) -> list[ET.Element]:
    found = element.find(path) if element is not None else None
    return list(found) if found is not None else []


def _department(value: str | None) -> str | None:
    if not value:
        return None
    first = value.split()[0].upper()
    if first.isdigit() and len(first) == 1:
        first = "0" + first
    return first if _DEPARTMENT.match(first) else None


def _siret_from_addresses(r: _Reader, donnees: ET.Element | None, buyer_name: str | None) -> str | None:
    """The SIRET given with an additional address of the buyer itself (same name)."""
    if donnees is None or not buyer_name:
        return None
    for address in donnees.findall("renseignementscomplementaires/adressescomplementaires/adresse"):
        if fold(r.text(address, "denomination") or "") == fold(buyer_name):
            legal_id = r.text(address, "codeidentnational")
            if legal_id:
                return legal_id
    return None


def _lots(r: _Reader, objet: ET.Element | None) -> list[Lot]:
    lots = []
    for element in objet.findall("lots/lot") if objet is not None else []:
        codes = []
        for code_element in _children(element, "cpv"):
            code, bad = clean_cpv(code_element.text)
            if bad:
                r.flags.add("cpv_invalid")
            if code and code not in codes:
                codes.append(code)
        value, currency = r.money(element, "valeur")
        nuts = clean_nuts(r.text(element, "codenuts"))
        lots.append(
            Lot(
                id=r.text(element, "num"),
                title=r.text(element, "intitule"),
                description=r.text(element, "description"),
                cpv=codes[0] if codes else None,
                additional_cpv=tuple(codes[1:]),
                estimated_value=value,
                currency=currency,
                nuts=nuts,
                department=nuts_place(nuts)[0],
            )
        )
    return lots


def _awards(r: _Reader, donnees: ET.Element | None) -> list[Award]:
    attribution = donnees.find("attribution") if donnees is not None else None
    if attribution is None:
        return []
    decision_date = r.moment(attribution, "datedecision", "Europe/Paris")[0]
    awards = []
    for decision in attribution.findall("decision"):
        winners: list[Winner] = []
        amounts: list[tuple[Decimal, str | None]] = []
        award_date, received = None, None
        for element in decision:
            if element.tag == "titulaire":
                person, flags = winner(
                    r.text(element, "denomination"),
                    r.text(element, "codeidentnational"),
                    r.text(element, "pays") or "FR",
                    town=r.text(element, "ville"),
                    postcode=r.text(element, "cp"),
                    sme=True
                    if element.find("pmeoui") is not None
                    else False
                    if element.find("pmenon") is not None
                    else None,
                )
                r.flags |= flags
                winners.append(person)
            elif element.tag == "renseignement":
                amount = r.money(element, "montant")
                if amount[0] is not None:
                    amounts.append(amount)
                award_date = award_date or r.moment(element, "dateattribution", "Europe/Paris")[0]
                received = received if received is not None else parse_int(r.text(element, "nboffrerecu"))
        currencies = {currency for _, currency in amounts}
        value = sum((amount for amount, _ in amounts), Decimal(0)) if amounts and len(currencies) == 1 else None
        awarded = decision.find("infructueux") is None and decision.find("sanssuite") is None
        joint = None
        if len(winners) > 1 and any(_GROUP_MEMBER.search(w.name or "") for w in winners):
            joint = True
        awards.append(
            Award(
                lot_id=r.text(decision, "numlot"),
                title=r.text(decision, "intitule"),
                awarded=awarded,
                winners=tuple(winners),
                value=value,
                currency=next(iter(currencies)) if value is not None else None,
                award_date=award_date or decision_date,
                tenders_received=received,
                joint=joint,
            )
        )
    return awards
