"""APProch-style JSON for purchase forecasts: reading a payload into a `ForecastData`, writing one back. Pure.

APProch (projets-achats.marches-publics.gouv.fr, State purchasing directorate) is closed source; its project
payload is known from partners' code (field names and shapes, not a published schema). Our forecast is a
superset of it: every APProch field maps to one of ours, and what APProch lacks travels in a `tremplin`
object that APProch consumers ignore.

APProch field → forecast field (notes):
- id → external_id on import (export: our id; a re-import of the same id updates the forecast)
- url → — (export: the forecast's page)
- label → title (required)
- description → description
- purchasingCategory → category (travaux / fournitures / services; works, goods, supplies are read too)
- CPVPrimary → cpv ("45210000", "45210000-2", or a number whose lost leading zero is restored)
- status → status (our codes; French labels are read too)
- publicationTargetDate → publication_target_date (ISO date, or date-time read in Paris time)
- dlro → offer_deadline ("date limite de remise des offres")
- marketEstimatedAmount → estimated_amount (euros excl. VAT, a JSON number)
- marketMaxDuration → max_duration_months
- socialConsiderationsConcerned, environmentalConsiderationsConcerned → social_considerations,
  environmental_considerations (booleans; "oui"/"non", "true"/"false" are read too)
- consultationLink → consultation_url (http or https only)
- keywords → keywords (one comma-separated string; a list is read too)
- messagingActive → messaging_enabled
- procedureType {code, label} → procedure_type (unknown procedures: "autre", the label kept in procedure_details)
- purchasingEntity {siret, siren, label} → buyer (must be an organisation the importer acts for)
- reservedPublicMarkets [{code, label}] → reservations and lot reservations (codes L2113-12, L2113-13,
  L2113-15; labels mentioning EA/ESAT/handicap, SIAE/insertion, ESS are recognised)
- departments [{department}] → departments (INSEE codes)
- createdAt, updatedAt → — (export only)
Our extension, under `tremplin`: publicationTargetQuarter → publication_quarter ("2026-T3"), secondaryCPV →
cpv_secondary, communes → communes (INSEE codes), contact {name, email, phone} → contact_*,
socialConsiderations / environmentalConsiderations → social_kinds / environmental_kinds, considerationsDetails,
procedureDetails, reservations (of the whole contract), lots [{number, label, CPV, estimatedAmount,
reservation}].

`reservedPublicMarkets` on export is the union of the contract's and the lots' reservations; on import, when
lots are given, the reservations they carry are not repeated at contract level, so a round trip is lossless.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from tremplin.core.text import search_key
from tremplin.opportunities import rules
from tremplin.opportunities.rules import ForecastData, LotData
from tremplin.referentials.rules import CpvCodeError, normalize_cpv

PARIS = ZoneInfo("Europe/Paris")
TRUE_WORDS = {"true", "oui", "yes", "1", "vrai", "o", "y"}
FALSE_WORDS = {"false", "non", "no", "0", "faux", "n", ""}

STATUS_WORDS = {
    "brouillon": rules.DRAFT,
    "publie": rules.PUBLISHED,
    "publiee": rules.PUBLISHED,
    "en consultation": rules.IN_CONSULTATION,
    "consultation": rules.IN_CONSULTATION,
    "attribue": rules.AWARDED,
    "attribuee": rules.AWARDED,
    "abandonne": rules.ABANDONED,
    "abandonnee": rules.ABANDONED,
}
CATEGORY_WORDS = {"works": "travaux", "goods": "fournitures", "supplies": "fournitures"}
PROCEDURE_WORDS = [  # (words that must all appear in the label, our code), first match wins
    (("adapt",), "mapa"),
    (("mapa",), "mapa"),
    (("sans", "publicite"), "sans_publicite"),
    (("sans", "mise en concurrence"), "sans_publicite"),
    (("appel d offres", "ouvert"), "aoo"),
    (("appel d offres", "restreint"), "aor"),
    (("dialogue",), "dialogue"),
    (("negoci",), "negociee"),
    (("concours",), "concours"),
]
RESERVATION_WORDS = [
    (("2113 12",), "L2113-12"),
    (("2113 13",), "L2113-13"),
    (("2113 15",), "L2113-15"),
    (("handicap",), "L2113-12"),
    (("esat ",), "L2113-12"),
    (("ea ",), "L2113-12"),
    (("entreprise", "adaptee"), "L2113-12"),
    (("insertion",), "L2113-13"),
    (("siae",), "L2113-13"),
    (("iae ",), "L2113-13"),
    (("ess ",), "L2113-15"),
    (("economie sociale",), "L2113-15"),
]


def match_words(raw: str, table) -> str:
    """The code of the first row of `table` whose words all appear in `raw` (accents and case ignored): a word
    matches the start of a word of `raw`, a word ending with a space a whole word, a number anywhere."""
    text = f" {search_key(raw)} "
    for words, code in table:
        if all((word in text) if word[0].isdigit() else (f" {word}" in text) for word in words):
            return code
    return ""


class ApprochError(ValueError):
    """A payload that cannot be read; `messages` are French, one per problem."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Meta:
    """What a payload says besides the forecast itself."""

    external_id: str = ""
    url: str = ""
    siret: str = ""
    siren: str = ""
    buyer_name: str = ""
    created_at: str = ""
    updated_at: str = ""


# ---------------------------------------------------------------- export


def _number(amount: Decimal | None):
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def to_payload(data: ForecastData, meta: Meta) -> dict:
    lot_reservations = {lot.reservation for lot in data.lots if lot.reservation}
    return {
        "id": meta.external_id,
        "url": meta.url,
        "label": data.title,
        "description": data.description,
        "purchasingCategory": data.category or None,
        "CPVPrimary": data.cpv or None,
        "status": data.status,
        "publicationTargetDate": _date(data.publication_target_date),
        "dlro": _date(data.offer_deadline),
        "marketEstimatedAmount": _number(data.estimated_amount),
        "marketMaxDuration": data.max_duration_months,
        "socialConsiderationsConcerned": data.social_considerations,
        "environmentalConsiderationsConcerned": data.environmental_considerations,
        "consultationLink": data.consultation_url or None,
        "keywords": ", ".join(data.keywords),
        "messagingActive": data.messaging_enabled,
        "createdAt": meta.created_at or None,
        "updatedAt": meta.updated_at or None,
        "procedureType": {"code": data.procedure_type, "label": rules.PROCEDURES[data.procedure_type]}
        if data.procedure_type
        else None,
        "purchasingEntity": {"siret": meta.siret, "siren": meta.siret[:9], "label": meta.buyer_name},
        "reservedPublicMarkets": [
            {"code": code, "label": rules.RESERVATIONS[code]}
            for code in sorted(set(data.reservations) | lot_reservations)
        ],
        "departments": [{"department": code} for code in data.departments],
        "tremplin": {
            "publicationTargetQuarter": data.publication_quarter or None,
            "secondaryCPV": data.cpv_secondary,
            "communes": data.communes,
            "contact": {"name": data.contact_name, "email": data.contact_email, "phone": data.contact_phone},
            "socialConsiderations": data.social_kinds,
            "environmentalConsiderations": data.environmental_kinds,
            "considerationsDetails": data.considerations_details,
            "procedureDetails": data.procedure_details,
            "reservations": data.reservations,
            "lots": [
                {
                    "number": lot.number,
                    "label": lot.title,
                    "CPV": lot.cpv or None,
                    "estimatedAmount": _number(lot.estimated_amount),
                    "reservation": lot.reservation or None,
                }
                for lot in data.lots
            ],
        },
    }


# ---------------------------------------------------------------- import


class _Reader:
    """Reads values out of a payload, collecting one French message per problem."""

    def __init__(self):
        self.errors: list[str] = []

    def fail(self, name: str, message: str) -> None:
        self.errors.append(f"{name} : {message}")

    def text(self, payload: dict, name: str, limit: int | None = None) -> str:
        value = payload.get(name)
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(name, "texte attendu.")
            return ""
        text = str(value).strip()
        if limit and len(text) > limit:
            self.fail(name, f"{limit} caractères au plus.")
        return text

    def boolean(self, payload: dict, name: str) -> bool:
        value = payload.get(name)
        if isinstance(value, bool) or value is None:
            return bool(value)
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word not in FALSE_WORDS:
            self.fail(name, f"« {value} » n'est ni vrai ni faux.")
        return False

    def amount(self, value, name: str) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self.fail(name, "montant attendu.")
            return None
        text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace("€", "")
        if isinstance(value, str) and "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            self.fail(name, f"« {value} » n'est pas un montant en euros.")
            return None
        return amount

    def integer(self, value, name: str) -> int | None:
        if value is None or value == "":
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if isinstance(value, bool) or number is None or number != number.to_integral_value():
            self.fail(name, f"« {value} » n'est pas un nombre entier.")
            return None
        return int(number)

    def day(self, payload: dict, name: str) -> datetime.date | None:
        value = payload.get(name)
        if value in (None, ""):
            return None
        text = str(value).strip()
        try:
            if len(text) == 10:
                return datetime.date.fromisoformat(text)
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(name, f"« {text} » n'est pas une date (AAAA-MM-JJ).")
            return None
        return moment.astimezone(PARIS).date() if moment.tzinfo else moment.date()

    def cpv(self, value, name: str) -> str:
        if value in (None, ""):
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value).zfill(8)  # a number lost the leading zero of divisions 03, 09…
        try:
            return normalize_cpv(value)
        except CpvCodeError as error:
            self.fail(name, str(error))
            return ""

    def url(self, payload: dict, name: str) -> str:
        text = self.text(payload, name, 500)
        if text:
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError:
                self.fail(name, f"« {text} » n'est pas une adresse web (http:// ou https://).")
                return ""
        return text

    def choice(self, value, name: str, known: dict, words) -> str:
        """A code of `known`, or the first code whose words all appear in the value's text form."""
        if value in (None, ""):
            return ""
        if isinstance(value, dict):
            code, label = str(value.get("code") or ""), str(value.get("label") or "")
        else:
            code, label = str(value), str(value)
        if code in known:
            return code
        return match_words(f"{code} {label}", words)


def _items(value, name: str, reader: _Reader) -> list:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        reader.fail(name, "liste attendue.")
        return []
    return value


def from_payload(payload) -> tuple[ForecastData, Meta]:
    """Read an APProch (or Tremplin-extended) payload; raise ApprochError listing every problem."""
    if not isinstance(payload, dict):
        raise ApprochError(["Un objet JSON est attendu pour chaque projet d'achat."])
    read = _Reader()
    data = ForecastData()
    data.title = read.text(payload, "label", rules.MAX_TITLE)
    if not data.title:
        read.fail("label", "l'intitulé du projet est obligatoire.")
    data.description = read.text(payload, "description")

    category = search_key(read.text(payload, "purchasingCategory"))
    if category:
        data.category = next((code for code in rules.CATEGORIES if category.startswith(code[:5])), "")
        data.category = data.category or CATEGORY_WORDS.get(category, "")
        if not data.category:
            read.fail("purchasingCategory", f"catégorie inconnue « {category} » (travaux, fournitures, services).")
    data.cpv = read.cpv(payload.get("CPVPrimary"), "CPVPrimary")

    status = read.text(payload, "status")
    if status:
        data.status = status if status in rules.STATUS_LABELS else STATUS_WORDS.get(search_key(status), "")
        if not data.status:
            read.fail("status", f"statut inconnu « {status} ».")
            data.status = rules.DRAFT
    data.publication_target_date = read.day(payload, "publicationTargetDate")
    data.offer_deadline = read.day(payload, "dlro")
    data.estimated_amount = read.amount(payload.get("marketEstimatedAmount"), "marketEstimatedAmount")
    data.max_duration_months = read.integer(payload.get("marketMaxDuration"), "marketMaxDuration")
    data.social_considerations = read.boolean(payload, "socialConsiderationsConcerned")
    data.environmental_considerations = read.boolean(payload, "environmentalConsiderationsConcerned")
    data.consultation_url = read.url(payload, "consultationLink")
    keywords = payload.get("keywords")
    data.keywords = rules.parse_keywords(keywords if isinstance(keywords, list | str) else None)
    data.messaging_enabled = read.boolean(payload, "messagingActive")

    procedure = payload.get("procedureType")
    if procedure not in (None, "", {}):
        data.procedure_type = read.choice(procedure, "procedureType", rules.PROCEDURES, PROCEDURE_WORDS)
        if not data.procedure_type:
            data.procedure_type = "autre"
            raw_label = procedure.get("label") if isinstance(procedure, dict) else procedure
            data.procedure_details = str(raw_label or "")[:200]

    reserved = []
    for item in _items(payload.get("reservedPublicMarkets"), "reservedPublicMarkets", read):
        code = read.choice(item, "reservedPublicMarkets", rules.RESERVATIONS, RESERVATION_WORDS)
        if code:
            reserved.append(code)
        else:
            read.fail("reservedPublicMarkets", f"réservation non reconnue {item!r}.")
    for item in _items(payload.get("departments"), "departments", read):
        code = item.get("department") or item.get("code") if isinstance(item, dict) else item
        if code in (None, ""):
            read.fail("departments", f"département illisible {item!r}.")
        else:
            data.departments.append(rules.normalise_department(str(code)))
    data.departments = list(dict.fromkeys(data.departments))

    entity = payload.get("purchasingEntity") or {}
    if not isinstance(entity, dict):
        read.fail("purchasingEntity", "objet attendu ({siret, label}).")
        entity = {}
    meta = Meta(
        external_id=read.text(payload, "id", 200),
        url=read.text(payload, "url", 500),
        siret="".join(str(entity.get("siret") or "").split()),
        siren="".join(str(entity.get("siren") or "").split()),
        buyer_name=str(entity.get("label") or ""),
    )

    extension = payload.get("tremplin") or {}
    if not isinstance(extension, dict):
        read.fail("tremplin", "objet attendu.")
        extension = {}
    _read_extension(extension, data, reserved, read)
    if read.errors:
        raise ApprochError(read.errors)
    return rules.normalise(data), meta


def _read_extension(extension: dict, data: ForecastData, reserved: list[str], read: _Reader) -> None:
    quarter = read.text(extension, "publicationTargetQuarter")
    if quarter:
        try:
            data.publication_quarter = rules.parse_quarter(quarter)
        except rules.RuleError as error:
            read.fail("tremplin.publicationTargetQuarter", str(error))
    data.cpv_secondary = [
        code
        for value in _items(extension.get("secondaryCPV"), "tremplin.secondaryCPV", read)
        if (code := read.cpv(value, "tremplin.secondaryCPV"))
    ]
    data.communes = [str(code).strip() for code in _items(extension.get("communes"), "tremplin.communes", read)]
    contact = extension.get("contact") or {}
    if isinstance(contact, dict):
        data.contact_name = read.text(contact, "name", 150)
        data.contact_email = read.text(contact, "email", 254)
        data.contact_phone = read.text(contact, "phone", 30)
    data.social_kinds = [str(k) for k in _items(extension.get("socialConsiderations"), "tremplin", read)]
    data.environmental_kinds = [str(k) for k in _items(extension.get("environmentalConsiderations"), "tremplin", read)]
    data.considerations_details = read.text(extension, "considerationsDetails")
    data.procedure_details = read.text(extension, "procedureDetails", 200) or data.procedure_details
    for index, item in enumerate(_items(extension.get("lots"), "tremplin.lots", read), start=1):
        if not isinstance(item, dict):
            read.fail("tremplin.lots", f"le lot n° {index} doit être un objet.")
            continue
        number = read.integer(item.get("number", index), f"tremplin.lots[{index}].number")
        reservation = str(item.get("reservation") or "")
        data.lots.append(
            LotData(
                number=number if number is not None else index,
                title=read.text(item, "label", rules.MAX_TITLE),
                cpv=read.cpv(item.get("CPV"), f"tremplin.lots[{index}].CPV"),
                estimated_amount=read.amount(item.get("estimatedAmount"), f"tremplin.lots[{index}].estimatedAmount"),
                reservation=reservation,
            )
        )
    if "reservations" in extension:
        data.reservations = [str(r) for r in _items(extension.get("reservations"), "tremplin.reservations", read)]
    else:
        carried = {lot.reservation for lot in data.lots}
        data.reservations = [code for code in dict.fromkeys(reserved) if code not in carried]
