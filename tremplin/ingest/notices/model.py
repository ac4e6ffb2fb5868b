"""Normalised published notices (BOAMP, TED, eForms): frozen records, quality flags, rejections.

A parser yields ``Notice`` (one published notice, normalised) or ``Rejection`` (a file or a
record that cannot be a notice, with a stable ``reason_code`` and a French reason for people).
Data-level problems never raise and never reject a notice that has an identifier: the value is
dropped (None) and the notice is flagged (``Notice.flags``, names in ``FLAGS``).

Conventions:

- ``kind`` is one of ``KINDS`` (call for competition, award, prior information, contract
  modification, correction of a notice, cancellation); ``form_type`` / ``form_subtype`` keep the
  source's own classification (eForms notice type + subtype 1–40, TED form F02…, BOAMP
  ``FAMILLE`` + ``NATURE``).
- Amounts are ``Decimal`` with an ISO 4217 ``currency``; dates are ``date``; the deadline is
  kept as published: a date, a wall-clock time and the time zone (an IANA name such as
  ``Europe/Paris`` or a UTC offset such as ``+02:00``); ``deadline_at`` combines them when all
  three are known.
- ``buyer_siret`` is set only for a well-formed 14-digit identifier (spaces removed); a bad
  check digit keeps the value and adds ``siret_checksum``. ``buyer_legal_id`` is the identifier
  as published (SIRET, SIREN, VAT number, national registry number…).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

KIND_COMPETITION = "competition"
KIND_AWARD = "award"
KIND_PRIOR_INFORMATION = "prior_information"
KIND_MODIFICATION = "modification"
KIND_CORRECTION = "correction"
KIND_CANCELLATION = "cancellation"

KINDS: dict[str, str] = {
    KIND_COMPETITION: "Avis d'appel à la concurrence",
    KIND_AWARD: "Avis d'attribution",
    KIND_PRIOR_INFORMATION: "Avis de préinformation",
    KIND_MODIFICATION: "Avis de modification de marché",
    KIND_CORRECTION: "Avis rectificatif",
    KIND_CANCELLATION: "Avis d'annulation",
}

SOURCE_BOAMP = "boamp"
SOURCE_TED = "ted"

FORMAT_BOAMP_XML = "boamp_v230"
FORMAT_BOAMP_JSON = "boamp_json"
FORMAT_BOAMP_SUMMARY = "boamp_summary"
FORMAT_EFORMS = "eforms"
FORMAT_TED_R209 = "ted_r209"

FLAGS: dict[str, str] = {
    "no_cpv": "Aucun code CPV (les anciens avis BOAMP n'ont souvent que des descripteurs)",
    "cpv_invalid": "Code CPV illisible, ignoré",
    "siret_checksum": "SIRET de l'acheteur ou d'un attributaire invalide (clé de contrôle de Luhn fausse)",
    "siret_malformed": "Identifiant d'un organisme français qui n'est pas un SIRET à 14 chiffres",
    "no_deadline": "Avis d'appel à la concurrence sans date limite de réception des offres",
    "deadline_before_publication": "Date limite de réception antérieure à la date de publication",
    "deadline_tz_mismatch": "Décalage horaire déclaré pour la date limite différent de l'heure légale française",
    "deadline_varies_by_lot": "Dates limites différentes selon les lots : la plus proche est retenue",
    "value_missing": "Aucun montant (ni valeur estimée, ni montant attribué)",
    "no_buyer_name": "Nom de l'acheteur absent",
    "no_title": "Objet (titre) de l'avis absent",
    "no_publication_date": "Date de publication absente",
    "publication_date_from_issue": "Avis non encore publié : date d'envoi utilisée comme date de publication",
    "place_from_buyer": "Lieu d'exécution absent : adresse de l'acheteur utilisée",
    "award_winner_unresolved": "Attribution sans attributaire identifiable (non indiqué ou référence non résolue)",
    "summary_only": "Résumé d'avis seulement (référence, objet, date limite) : avis complet non disponible",
    "text_unescaped": "Texte contenant des entités HTML doublement échappées, décodées",
    "date_invalid": "Date illisible ou impossible, ignorée",
    "amount_invalid": "Montant illisible ou négatif, ignoré",
    "several_buyers": "Achat groupé : plusieurs acheteurs, le premier est retenu",
}

REJECTIONS: dict[str, str] = {
    "empty_file": "Fichier vide",
    "unknown_format": "Format non reconnu (ni avis BOAMP, ni avis TED / eForms)",
    "syntax_error": "Erreur de syntaxe : fichier tronqué ou mal formé",
    "forbidden_markup": "Balisage XML refusé (DOCTYPE ou entités)",
    "read_error": "Fichier ou archive illisible (corrompu ou tronqué)",
    "record_too_large": "Avis trop volumineux",
    "unsupported_form": "Formulaire TED non pris en charge",
    "not_procurement": "Avis hors commande publique (registre des sociétés européennes)",
    "missing_id": "Identifiant de l'avis absent",
    "invalid_payload": "Entrée inexploitable : un avis était attendu",
    "internal_error": "Avis illisible par le lecteur (erreur inattendue, à signaler)",
}


@lru_cache(maxsize=64)
def tzinfo_for(name: str | None):
    """``tzinfo`` for an IANA name or a ``±HH:MM`` / ``Z`` offset; None when unknown."""
    if not name:
        return None
    if name in ("Z", "UTC", "+00:00", "-00:00"):
        return UTC
    if name[0] in "+-" and len(name) == 6 and name[3] == ":":
        try:
            hours, minutes = int(name[1:3]), int(name[4:6])
        except ValueError:
            return None
        if hours > 14 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(delta if name[0] == "+" else -delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class RawRef:
    """Where a notice or a rejection comes from: the file (``archive.tar.gz:member.xml``
    for archive members) and the position inside it (``$`` for a whole-file notice,
    ``summary["20-152081"]`` for an entry of the BOAMP summary)."""

    file: str
    position: str = "$"

    def __str__(self) -> str:
        return f"{self.file}#{self.position}"


@dataclass(frozen=True, slots=True)
class Rejection:
    position: str
    reason_code: str
    reason_fr: str
    file: str | None = None


@dataclass(frozen=True, slots=True)
class Winner:
    name: str | None
    siret: str | None
    legal_id: str | None  # identifier as published (SIRET, VAT number, foreign registry…)
    country: str | None  # ISO 3166-1 alpha-2
    town: str | None = None
    postcode: str | None = None
    sme: bool | None = None


@dataclass(frozen=True, slots=True)
class Award:
    """One award decision: a lot (or the whole contract when ``lot_id`` is None) awarded to
    ``winners``, or not awarded (``awarded`` False: unsuccessful, discontinued).

    With several winners, ``joint`` tells a group of co-contractors (True; the first one is
    the lead when the notice says so) from several separate holders of a multi-operator
    framework agreement or design contest (False); None when the notice does not say.
    ``value`` is the value of the whole decision, never to be added once per winner."""

    lot_id: str | None
    title: str | None
    awarded: bool
    winners: tuple[Winner, ...]
    value: Decimal | None
    currency: str | None
    award_date: date | None
    tenders_received: int | None
    contract_id: str | None = None
    joint: bool | None = None


@dataclass(frozen=True, slots=True)
class Lot:
    id: str | None
    title: str | None
    description: str | None
    cpv: str | None
    additional_cpv: tuple[str, ...]
    estimated_value: Decimal | None
    currency: str | None
    nuts: str | None
    department: str | None


@dataclass(frozen=True, slots=True)
class Notice:
    source: str  # SOURCE_BOAMP / SOURCE_TED
    format: str  # FORMAT_*
    source_id: str  # BOAMP IDWEB, TED document number, eForms notice id + version
    publication_number: str | None  # BOAMP IDWEB, TED / eForms OJ S number (123456-2024)
    kind: str  # KINDS
    form_type: str | None
    form_subtype: str | None
    title: str | None
    description: str | None
    buyer_reference: str | None  # the buyer's own reference of the procedure
    buyer_name: str | None
    buyer_siret: str | None
    buyer_legal_id: str | None
    buyer_legal_type: str | None
    buyer_country: str | None
    buyer_town: str | None
    buyer_postcode: str | None
    buyer_nuts: str | None
    cpv: str | None
    additional_cpv: tuple[str, ...]
    descriptors: tuple[str, ...]  # BOAMP keyword thesaurus (labels); empty for TED
    contract_nature: str | None  # Travaux / Fournitures / Services
    procedure: str | None  # canonical French label
    procedure_code: str | None  # as published
    place_nuts: str | None
    place_department: str | None
    place_region: str | None
    place_postcode: str | None
    place_town: str | None
    place_country: str | None
    publication_date: date | None
    deadline_date: date | None
    deadline_time: time | None
    deadline_tz: str | None
    estimated_value: Decimal | None
    currency: str | None
    notice_url: str | None
    buyer_profile_url: str | None
    documents_url: str | None
    related_notice_id: str | None  # notice changed / cancelled / preceding call for competition
    language: str | None
    lots: tuple[Lot, ...]
    awards: tuple[Award, ...]
    social: bool
    environmental: bool
    innovative: bool
    reserved: bool
    strategic_details: tuple[str, ...]  # codes as published (eForms BT-06/774/775/776, reserved codes…)
    flags: tuple[str, ...]
    raw_ref: RawRef = field(compare=False)

    @property
    def deadline_at(self) -> datetime | None:
        """The deadline as an aware datetime, when its date, time and time zone are known."""
        tz = tzinfo_for(self.deadline_tz)
        if self.deadline_date is None or self.deadline_time is None or tz is None:
            return None
        return datetime.combine(self.deadline_date, self.deadline_time, tzinfo=tz)

    @property
    def value(self) -> Decimal | None:
        """Estimated value, else the sum of the lots' estimated values (same currency)."""
        if self.estimated_value is not None:
            return self.estimated_value
        values = [lot.estimated_value for lot in self.lots if lot.estimated_value is not None]
        currencies = {lot.currency for lot in self.lots if lot.estimated_value is not None}
        return sum(values, Decimal(0)) if values and len(currencies) <= 1 else None
