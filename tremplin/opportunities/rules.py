"""Pure rules on purchase forecasts (prévisions d'achat) and purchase fairs: lifecycle, completeness, lots and
reservations, quarters, registrations. No ORM, no request: every entry point (pages, API, APProch import,
purchase-programme upload) builds a `ForecastData` and goes through the same checks.

Messages are in French, ready for the user."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tremplin.referentials.rules import cpv_significant_digits

# ---------------------------------------------------------------- lifecycle

DRAFT = "draft"
PUBLISHED = "published"
IN_CONSULTATION = "in_consultation"
AWARDED = "awarded"
ABANDONED = "abandoned"

STATUS_LABELS = {
    DRAFT: "Brouillon",
    PUBLISHED: "Publiée",
    IN_CONSULTATION: "En consultation",
    AWARDED: "Attribuée",
    ABANDONED: "Abandonnée",
}

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({PUBLISHED, ABANDONED}),
    PUBLISHED: frozenset({IN_CONSULTATION, ABANDONED}),
    IN_CONSULTATION: frozenset({AWARDED, ABANDONED}),
    AWARDED: frozenset(),
    ABANDONED: frozenset(),
}
"""draft → published → in consultation → awarded, and abandoned from any non-final state. A published forecast
never goes back to draft: companies may already have planned around it."""

TRANSITION_ACTIONS = {
    PUBLISHED: "Publier",
    IN_CONSULTATION: "Passer en consultation",
    AWARDED: "Marquer comme attribuée",
    ABANDONED: "Abandonner",
}
EDITABLE_STATUSES = frozenset({DRAFT, PUBLISHED, IN_CONSULTATION})
OPEN_STATUSES = (PUBLISHED, IN_CONSULTATION)


class RuleError(ValueError):
    """A value that breaks a rule; the message is French."""


def allowed_transitions(current: str) -> list[str]:
    order = list(STATUS_LABELS)
    return sorted(TRANSITIONS.get(current, frozenset()), key=order.index)


def transition_errors(current: str, target: str, data: ForecastData) -> list[str]:
    """Why `current` → `target` is refused (empty when allowed)."""
    if target not in STATUS_LABELS:
        return [f"Statut inconnu « {target} »."]
    if current == target:
        return [f"La prévision est déjà au statut « {STATUS_LABELS[target]} »."]
    if target not in TRANSITIONS.get(current, frozenset()):
        allowed = allowed_transitions(current)
        hint = (
            "Statuts possibles : " + ", ".join(f"« {STATUS_LABELS[s]} »" for s in allowed) + "."
            if allowed
            else "Ce statut est définitif."
        )
        return [
            f"Une prévision au statut « {STATUS_LABELS.get(current, current)} » ne peut pas passer au statut "
            f"« {STATUS_LABELS[target]} ». {hint}"
        ]
    if target == PUBLISHED:
        return publication_blockers(data)
    if target == IN_CONSULTATION and not data.consultation_url:
        return ["Indiquez le lien vers la consultation publiée avant de passer la prévision en consultation."]
    return []


# ---------------------------------------------------------------- vocabularies

CATEGORIES = {"travaux": "Travaux", "fournitures": "Fournitures", "services": "Services"}

PROCEDURES = {
    "mapa": "Procédure adaptée (MAPA)",
    "aoo": "Appel d'offres ouvert",
    "aor": "Appel d'offres restreint",
    "negociee": "Procédure avec négociation",
    "dialogue": "Dialogue compétitif",
    "concours": "Concours",
    "sans_publicite": "Marché sans publicité ni mise en concurrence préalables",
    "autre": "Autre procédure",
}

RESERVATIONS = {
    "L2113-12": "Réservé aux entreprises adaptées et ESAT (L2113-12)",
    "L2113-13": "Réservé aux structures d'insertion, SIAE (L2113-13)",
    "L2113-15": "Réservé aux entreprises de l'ESS pour des services sociaux (L2113-15)",
}
RESERVATION_SHORT = {"L2113-12": "EA / ESAT", "L2113-13": "SIAE", "L2113-15": "ESS"}
ESS_RESERVATION = "L2113-15"
ESS_MAX_MONTHS = 36  # an ESS-reserved contract lasts 3 years at most (CCP L2113-15 and following)

SOCIAL_KINDS = {
    "clause_sociale": "Clause sociale d'insertion",
    "critere_social": "Critère social d'attribution",
    "marche_reserve": "Marché ou lot réservé",
}
ENVIRONMENTAL_KINDS = {
    "clause_environnementale": "Clause environnementale",
    "critere_environnemental": "Critère environnemental d'attribution",
}

MAX_TITLE = 300
MAX_LENGTHS = {  # the columns' sizes, for values that do not come through a form
    "contact_name": 150,
    "contact_email": 254,
    "contact_phone": 30,
    "procedure_details": 200,
    "consultation_url": 500,
}
MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 50
MAX_AMOUNT = Decimal("999999999999.99")
CENTS = Decimal("0.01")
MAX_DURATION_MONTHS = 600


# ---------------------------------------------------------------- data


@dataclass
class LotData:
    number: int
    title: str
    cpv: str = ""
    estimated_amount: Decimal | None = None
    reservation: str = ""


@dataclass
class ForecastData:
    """A forecast as plain values (codes, not objects): what every entry point fills and the checks read."""

    title: str = ""
    description: str = ""
    category: str = ""
    cpv: str = ""
    cpv_secondary: list[str] = field(default_factory=list)
    estimated_amount: Decimal | None = None
    max_duration_months: int | None = None
    publication_target_date: date | None = None
    publication_quarter: str = ""
    offer_deadline: date | None = None
    procedure_type: str = ""
    procedure_details: str = ""
    departments: list[str] = field(default_factory=list)
    communes: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    messaging_enabled: bool = False
    consultation_url: str = ""
    social_considerations: bool = False
    social_kinds: list[str] = field(default_factory=list)
    environmental_considerations: bool = False
    environmental_kinds: list[str] = field(default_factory=list)
    considerations_details: str = ""
    reservations: list[str] = field(default_factory=list)
    lots: list[LotData] = field(default_factory=list)
    status: str = DRAFT

    def reserved_articles(self) -> list[str]:
        """Every reservation of the forecast or of one of its lots, in article order."""
        found = set(self.reservations) | {lot.reservation for lot in self.lots if lot.reservation}
        return sorted(found & set(RESERVATIONS))


def normalise(data: ForecastData) -> ForecastData:
    """Derived values: the quarter of an exact date (or the canonical form of a typed quarter), the
    consideration flags implied by their kinds, the "reserved" social consideration implied by a reservation.
    Returns the same object."""
    if data.publication_target_date and not data.publication_quarter:
        data.publication_quarter = quarter_of(data.publication_target_date)
    elif data.publication_quarter:
        try:
            data.publication_quarter = parse_quarter(data.publication_quarter)
        except RuleError:
            pass  # forecast_errors says why
    if data.reserved_articles() and "marche_reserve" not in data.social_kinds:
        data.social_kinds = [*data.social_kinds, "marche_reserve"]
    data.social_considerations = data.social_considerations or bool(data.social_kinds)
    data.environmental_considerations = data.environmental_considerations or bool(data.environmental_kinds)
    data.keywords = list(dict.fromkeys(data.keywords))
    if valid_amount(data.estimated_amount):
        data.estimated_amount = data.estimated_amount.quantize(CENTS)
    for lot in data.lots:
        if valid_amount(lot.estimated_amount):
            lot.estimated_amount = lot.estimated_amount.quantize(CENTS)
    data.lots = sorted(data.lots, key=lambda lot: lot.number)
    return data


def forecast_errors(data: ForecastData) -> dict[str, list[str]]:
    """Consistency errors by field name ("lots" for the lots); empty when the forecast can be saved. A draft
    may be incomplete (see `publication_blockers`), never inconsistent."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.title.strip():
        add("title", "Donnez un intitulé à la prévision.")
    elif len(data.title) > MAX_TITLE:
        add("title", f"L'intitulé compte {MAX_TITLE} caractères au plus.")
    if data.category and data.category not in CATEGORIES:
        add("category", f"Catégorie inconnue « {data.category} » : travaux, fournitures ou services.")
    if data.procedure_type and data.procedure_type not in PROCEDURES:
        add("procedure_type", f"Type de procédure inconnu « {data.procedure_type} ».")
    if data.status not in STATUS_LABELS:
        add("status", f"Statut inconnu « {data.status} ».")
    if data.estimated_amount is not None and not valid_amount(data.estimated_amount):
        add("estimated_amount", "Le montant estimé doit être positif (et inférieur à mille milliards d'euros).")
    if data.max_duration_months is not None and not (1 <= data.max_duration_months <= MAX_DURATION_MONTHS):
        add("max_duration_months", f"La durée maximale s'exprime en mois, de 1 à {MAX_DURATION_MONTHS}.")
    for name, limit in MAX_LENGTHS.items():
        if len(getattr(data, name)) > limit:
            add(name, f"{limit} caractères au plus.")
    if data.consultation_url and not is_web_address(data.consultation_url):
        add("consultation_url", "Le lien vers la consultation doit être une adresse web (http:// ou https://).")
    if data.contact_email and not is_email(data.contact_email):
        add("contact_email", f"« {data.contact_email} » n'est pas une adresse e-mail.")
    if data.cpv and data.cpv in data.cpv_secondary:
        add("cpv_secondary", "Le code CPV principal ne doit pas être répété parmi les codes secondaires.")

    if data.publication_quarter:
        try:
            quarter = parse_quarter(data.publication_quarter)
        except RuleError as error:
            add("publication_quarter", str(error))
        else:
            day = data.publication_target_date
            if day and quarter_of(day) != quarter:
                add(
                    "publication_quarter",
                    f"La date de publication prévue ({day:%d/%m/%Y}) n'est pas dans le {quarter_label(quarter)}.",
                )
    if data.offer_deadline:
        start = publication_start(data)
        if start and data.offer_deadline <= start:
            add(
                "offer_deadline",
                "La date limite de remise des offres doit suivre la publication prévue de la consultation.",
            )

    for reservation in data.reservations:
        if reservation not in RESERVATIONS:
            add("reservations", f"Réservation inconnue « {reservation} ».")
    for kind in data.social_kinds:
        if kind not in SOCIAL_KINDS:
            add("social_kinds", f"Considération sociale inconnue « {kind} ».")
    for kind in data.environmental_kinds:
        if kind not in ENVIRONMENTAL_KINDS:
            add("environmental_kinds", f"Considération environnementale inconnue « {kind} ».")
    if len(data.keywords) > MAX_KEYWORDS:
        add("keywords", f"{MAX_KEYWORDS} mots-clés au plus.")
    for keyword in data.keywords:
        if len(keyword) > MAX_KEYWORD_LENGTH:
            add("keywords", f"Mot-clé trop long (« {keyword[:20]}… ») : {MAX_KEYWORD_LENGTH} caractères au plus.")

    for message in ess_errors(data.category, data.max_duration_months, data.reserved_articles()):
        add("reservations", message)
    for message in lot_errors(data.lots, data.estimated_amount):
        add("lots", message)
    return errors


def valid_amount(amount: Decimal | None) -> bool:
    """A finite amount in euros, from 0 to MAX_AMOUNT (what the columns hold)."""
    return amount is not None and amount.is_finite() and 0 <= amount <= MAX_AMOUNT


def is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(ch.isspace() for ch in value)


def is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def ess_errors(category: str, max_duration_months: int | None, articles: list[str]) -> list[str]:
    """An ESS reservation (L2113-15) covers social and other specific services only, for three years at most."""
    if ESS_RESERVATION not in articles:
        return []
    messages = []
    if category and category != "services":
        messages.append("Une réservation à l'ESS (L2113-15) ne concerne que des services (services sociaux).")
    if max_duration_months and max_duration_months > ESS_MAX_MONTHS:
        messages.append(f"Un marché réservé à l'ESS (L2113-15) dure {ESS_MAX_MONTHS} mois (3 ans) au plus.")
    return messages


def lot_errors(lots: list[LotData], total: Decimal | None) -> list[str]:
    """Lots: distinct positive numbers, a title, a known reservation, and amounts that fit in the total (the
    estimated value of a purchase is that of all its lots, CCP R2121-1)."""
    messages = []
    seen: set[int] = set()
    for lot in lots:
        label = f"Lot {lot.number}"
        if lot.number < 1:
            messages.append(f"{label} : le numéro d'un lot est un entier positif.")
        elif lot.number in seen:
            messages.append(f"{label} : ce numéro de lot est utilisé deux fois.")
        seen.add(lot.number)
        if not lot.title.strip():
            messages.append(f"{label} : donnez un intitulé au lot.")
        elif len(lot.title) > MAX_TITLE:
            messages.append(f"{label} : l'intitulé compte {MAX_TITLE} caractères au plus.")
        if lot.reservation and lot.reservation not in RESERVATIONS:
            messages.append(f"{label} : réservation inconnue « {lot.reservation} ».")
        if lot.estimated_amount is not None and not valid_amount(lot.estimated_amount):
            messages.append(f"{label} : le montant estimé doit être positif.")
    amounts = [lot.estimated_amount for lot in lots if valid_amount(lot.estimated_amount)]
    if valid_amount(total) and amounts and sum(amounts) > total:
        messages.append(
            f"La somme des montants des lots ({format_euros(sum(amounts))}) dépasse le montant estimé de la "
            f"prévision ({format_euros(total)})."
        )
    return messages


def publication_blockers(data: ForecastData) -> list[str]:
    """What a forecast must say before companies see it."""
    missing = []
    if not data.title.strip():
        missing.append("l'intitulé")
    if not data.description.strip():
        missing.append("la description du besoin")
    if not data.category:
        missing.append("la catégorie (travaux, fournitures ou services)")
    if not data.cpv:
        missing.append("le code CPV principal")
    if not (data.publication_target_date or data.publication_quarter):
        missing.append("la date ou le trimestre de publication prévu")
    if not (data.departments or data.communes):
        missing.append("au moins un lieu d'exécution (département ou commune)")
    if not missing:
        return []
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " et " + missing[-1]
    return [f"Avant de publier, indiquez {listed}."]


def format_euros(amount: Decimal) -> str:
    """12345.5 → "12 345,50 €" (narrow no-break spaces, as French typography wants)."""
    whole, _, cents = f"{amount:.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return "\u202f".join([whole, *groups]) + f",{cents}\u202f€"


# ---------------------------------------------------------------- quarters

_QUARTER_FORMS = (
    re.compile(r"(?P<year>\d{4})\s*[-/ ]?\s*[TQ](?P<quarter>[1-4])", re.ASCII | re.IGNORECASE),
    re.compile(r"[TQ](?P<quarter>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})", re.ASCII | re.IGNORECASE),
    re.compile(r"(?P<quarter>[1-4])\s*(?:T|er trimestre|e trimestre|ème trimestre)\s*(?P<year>\d{4})", re.IGNORECASE),
)


def parse_quarter(raw: str) -> str:
    """ "2026-T3", "T3 2026", "2026 Q3", "3e trimestre 2026" → "2026-T3"."""
    text = (raw or "").strip()
    for pattern in _QUARTER_FORMS:
        match = pattern.fullmatch(text)
        if match and 2000 <= int(match["year"]) <= 2100:
            return f"{match['year']}-T{match['quarter']}"
    raise RuleError(f"Trimestre illisible « {text} » : écrivez par exemple 2026-T3 ou T3 2026.")


def quarter_of(day: date) -> str:
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    year, number = int(quarter[:4]), int(quarter[-1])
    start = date(year, 3 * number - 2, 1)
    end = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def quarter_label(quarter: str) -> str:
    number = int(quarter[-1])
    return f"{number}{'er' if number == 1 else 'e'} trimestre {quarter[:4]}"


def upcoming_quarters(today: date, count: int = 8) -> list[str]:
    year, number = today.year, (today.month - 1) // 3 + 1
    quarters = []
    for _ in range(count):
        quarters.append(f"{year}-T{number}")
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return quarters


def publication_start(data: ForecastData) -> date | None:
    if data.publication_target_date:
        return data.publication_target_date
    if data.publication_quarter:
        try:
            return quarter_bounds(parse_quarter(data.publication_quarter))[0]
        except RuleError:
            return None
    return None


# ---------------------------------------------------------------- typed lists

_SEPARATORS = re.compile(r"[\s,;|]+")


def split_codes(raw: str | list | None) -> list[str]:
    """Codes typed in one field ("69, 42;13") → ["69", "42", "13"], duplicates dropped."""
    items = raw if isinstance(raw, list) else _SEPARATORS.split(raw or "")
    return list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))


def normalise_department(raw: str) -> str:
    """ "1" → "01", "2a" → "2A"; the code is checked against the referential by the caller."""
    code = raw.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def parse_keywords(raw: str | list | None) -> list[str]:
    """Keywords are separated by commas or semicolons (spaces belong to a keyword)."""
    items = raw if isinstance(raw, list) else re.split(r"[,;\n]+", raw or "")
    return list(dict.fromkeys(" ".join(str(item).split()) for item in items if str(item).strip()))


def cpv_prefix(raw: str) -> str:
    """What a person types to filter by CPV ("45", "4521", "45210000-2", "452100002") → the digits to match as
    a prefix of 8-digit codes; "" when nothing usable was typed."""
    digits = "".join(ch for ch in (raw or "").split("-")[0] if ch.isascii() and ch.isdigit())
    if len(digits) == 9:  # check digit typed without its dash
        digits = digits[:8]
    if len(digits) == 8:
        return cpv_significant_digits(digits)
    return digits[:8] if len(digits) >= 2 else ""


# ---------------------------------------------------------------- fairs

CONFIRMED = "confirmed"
WAITING = "waiting"
CANCELLED = "cancelled"
REGISTRATION_LABELS = {CONFIRMED: "Inscription confirmée", WAITING: "Liste d'attente", CANCELLED: "Annulée"}


def registration_status_for(capacity: int | None, confirmed: int) -> str:
    """A new registration is confirmed while seats remain, else it joins the waiting list."""
    return CONFIRMED if capacity is None or confirmed < capacity else WAITING


def seats_to_promote(capacity: int | None, confirmed: int, waiting: int) -> int:
    """How many of the waiting list move up (after a cancellation or a larger capacity)."""
    if capacity is None:
        return waiting
    return max(0, min(waiting, capacity - confirmed))


def registration_closed_reason(now, starts_at, deadline, cancelled: bool) -> str:
    """Why nobody may register any more ("" when registration is open)."""
    if cancelled:
        return "Ce salon est annulé."
    if now >= starts_at:
        return "Ce salon a déjà commencé : les inscriptions sont closes."
    if deadline and now > deadline:
        return "La date limite d'inscription est passée."
    return ""


def fair_errors(starts_at, ends_at, capacity: int | None, deadline) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = ["La fin du salon doit suivre son début."]
    if capacity is not None and capacity < 1:
        errors["capacity"] = ["La capacité est d'au moins une entreprise (laissez vide pour ne pas la limiter)."]
    if deadline and starts_at and deadline > starts_at:
        errors["registration_deadline"] = ["La date limite d'inscription doit précéder le début du salon."]
    return errors
