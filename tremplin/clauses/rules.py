"""Pure rules of responsible-procurement clauses: insertion hours (due, done, achieved) and EGalim shares.
No ORM, no request: plain values in, plain values out, French messages for the user.

Sources: domain-rules §3.3 (insertion hours — a practice, not a legal formula) and §4.2 (EGalim, Code rural
L230-5-1 and R230-30-1)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


class InvalidInput(ValueError):
    """Input that cannot be computed; `errors` maps a field name to a French message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


# ---------- Social insertion: hours due ----------


def cpv_division(cpv: str | None) -> str:
    """The 2-digit CPV division of a code ("45210000" → "45"), "" when it has none."""
    digits = "".join(ch for ch in (cpv or "") if ch.isascii() and ch.isdigit())
    return digits[:2] if len(digits) >= 2 else ""


def labour_share_for(cpv: str | None, shares: dict[str, Decimal], default: Decimal) -> Decimal:
    """The labour share (in %) of a CPV code: its division's row when there is one, else the default."""
    return shares.get(cpv_division(cpv), default)


def hours_due(amount_excl_vat, labour_share, insertion_rate, hourly_cost) -> int:
    """Insertion hours due, by the usual practice (not a legal formula, domain-rules §3.3):

        amount excl. VAT × labour share × insertion rate ÷ fully loaded hourly cost

    shares and rate in percent; the result is rounded to the nearest whole hour (half up), the unit in which
    facilitators count hours. 1 000 000 € × 50 % × 5 % ÷ 30 €/h = 833,3 → 833 h."""
    values = {
        "amount_excl_vat": amount_excl_vat,
        "labour_share": labour_share,
        "insertion_rate": insertion_rate,
        "hourly_cost": hourly_cost,
    }
    errors: dict[str, str] = {}
    numbers: dict[str, Decimal] = {}
    for name, value in values.items():
        try:
            numbers[name] = Decimal(str(value))
        except (ArithmeticError, ValueError, TypeError):
            errors[name] = "Indiquez un nombre."
    if not errors:
        if numbers["amount_excl_vat"] < 0:
            errors["amount_excl_vat"] = "Le montant HT ne peut pas être négatif."
        for name in ("labour_share", "insertion_rate"):
            if not 0 <= numbers[name] <= 100:
                errors[name] = "Indiquez un pourcentage entre 0 et 100."
        if numbers["hourly_cost"] <= 0:
            errors["hourly_cost"] = "Le coût horaire doit être supérieur à zéro."
    if errors:
        raise InvalidInput(errors)
    raw = (
        numbers["amount_excl_vat"]
        * numbers["labour_share"]
        * numbers["insertion_rate"]
        / (HUNDRED * HUNDRED * numbers["hourly_cost"])
    )
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ---------- Social insertion: hours done per period ----------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    hours: Decimal


@dataclass(frozen=True)
class PeriodRow:
    start: datetime.date
    end: datetime.date
    hours: Decimal
    cumulated: Decimal
    achieved: Decimal | None  # cumulated ÷ due, in %, one decimal; None when nothing is due


@dataclass(frozen=True)
class Progress:
    due: Decimal
    done: Decimal
    remaining: Decimal  # never negative
    achieved: Decimal | None  # done ÷ due in %, one decimal (may exceed 100); None when nothing is due
    rows: tuple[PeriodRow, ...]

    @property
    def is_reached(self) -> bool:
        return self.due > 0 and self.done >= self.due


def achieved_percent(done, due) -> Decimal | None:
    """done ÷ due in %, rounded to one decimal (half up); None when nothing is due."""
    due = Decimal(str(due or 0))
    if due <= 0:
        return None
    return (Decimal(str(done)) * HUNDRED / due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def insertion_progress(due, periods: Iterable[Period]) -> Progress:
    """Hours due vs done: each period in date order with the running total and the % achieved so far."""
    due = Decimal(str(due or 0))
    cumulated = Decimal(0)
    rows = []
    for period in sorted(periods, key=lambda p: (p.start, p.end)):
        cumulated += Decimal(str(period.hours))
        rows.append(PeriodRow(period.start, period.end, period.hours, cumulated, achieved_percent(cumulated, due)))
    return Progress(due, cumulated, max(due - cumulated, Decimal(0)), achieved_percent(cumulated, due), tuple(rows))


def period_errors(
    start: datetime.date | None,
    end: datetime.date | None,
    hours,
    existing: Iterable[tuple[datetime.date, datetime.date]],
    today: datetime.date,
) -> dict[str, str]:
    """Why a declaration of hours for [start, end] (both included) cannot be recorded, by field ({} when it
    can): a period ends after it starts, is not in the future, and does not overlap a period already declared
    for the same clause (hours would be counted twice)."""
    errors: dict[str, str] = {}
    try:
        value = Decimal(str(hours))
    except (ArithmeticError, ValueError, TypeError):
        value = None
    if value is None or not value.is_finite():
        errors["hours"] = "Indiquez un nombre d'heures."
    elif value <= 0:
        errors["hours"] = "Le nombre d'heures doit être supérieur à zéro."
    elif value > 100_000:
        errors["hours"] = "Ce nombre d'heures paraît excessif pour une période : vérifiez la saisie."
    if start is None or end is None:
        return errors
    if end < start:
        errors["period_end"] = "La fin de la période doit être postérieure à son début."
        return errors
    if start > today:
        errors["period_start"] = "La période ne peut pas commencer dans le futur : déclarez les heures réalisées."
        return errors
    for other_start, other_end in existing:
        if start <= other_end and other_start <= end:
            errors["period_start"] = (
                f"Cette période chevauche celle du {other_start:%d/%m/%Y} au {other_end:%d/%m/%Y}, déjà déclarée "
                "pour cette clause."
            )
            break
    return errors


# ---------- EGalim: public catering (Code rural L230-5-1, R230-30-1) ----------

ORGANIC = "bio"
SIQO = "siqo"
OTHER_LABELS = "autres_labels"
ENVIRONMENTAL_COST = "cout_environnemental"
NON_QUALIFYING = "autres"

CATEGORIES = {
    ORGANIC: "Agriculture biologique (ou en conversion)",
    SIQO: "Signes officiels de qualité : Label Rouge, AOP/AOC, IGP, STG",
    OTHER_LABELS: "Mentions valorisantes, écolabels, HVE, pêche durable",
    ENVIRONMENTAL_COST: "Produits choisis sur leurs externalités environnementales (R2152-9/R2152-10)",
    NON_QUALIFYING: "Autres produits (hors EGalim)",
}
QUALIFYING = frozenset({ORGANIC, SIQO, OTHER_LABELS, ENVIRONMENTAL_COST})

MEAT_FISH = "viandes_poissons"
OTHER_FOOD = "autres_denrees"
FAMILIES = {MEAT_FISH: "Viandes et poissons", OTHER_FOOD: "Autres denrées"}

QUALITY_TARGET = Decimal(50)
ORGANIC_TARGET = Decimal(20)
MEAT_FISH_TARGET = Decimal(60)


@dataclass(frozen=True)
class Purchase:
    category: str
    family: str
    amount: Decimal


@dataclass(frozen=True)
class ShareResult:
    label: str
    numerator: Decimal
    denominator: Decimal
    share: Decimal | None  # in %, one decimal; None without purchases to divide by
    target: Decimal

    @property
    def reached(self) -> bool | None:
        return None if self.share is None else self.share >= self.target

    @property
    def status(self) -> str:
        return {True: "atteint", False: "non atteint", None: "sans achats déclarés"}[self.reached]


@dataclass(frozen=True)
class EgalimResult:
    total: Decimal
    by_category: dict[str, Decimal]
    quality: ShareResult
    organic: ShareResult
    meat_fish: ShareResult

    @property
    def shares(self) -> tuple[ShareResult, ShareResult, ShareResult]:
        return (self.quality, self.organic, self.meat_fish)


def _share(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= 0:
        return None
    return (numerator * HUNDRED / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def egalim_shares(purchases: Iterable[Purchase]) -> EgalimResult:
    """A buyer's shares for one calendar year, in value excl. VAT of food purchases (R230-30-1):

    - sustainable and quality = (organic + SIQO + other labels + environmental cost) ÷ all food ≥ 50 %;
    - organic = organic ÷ all food ≥ 20 % (organic also counts in the 50 %);
    - meat and fish = qualifying meat and fish ÷ all meat and fish ≥ 60 % (since 1 January 2024).

    The law measures them per restaurant; Tremplin sums a buyer's declarations (all its restaurants)."""
    by_category = {code: Decimal(0) for code in CATEGORIES}
    total = quality = organic = meat_fish = meat_fish_quality = Decimal(0)
    for purchase in purchases:
        if purchase.category not in CATEGORIES or purchase.family not in FAMILIES:
            raise InvalidInput({"category": f"Catégorie ou famille inconnue : {purchase.category}/{purchase.family}."})
        amount = Decimal(str(purchase.amount))
        by_category[purchase.category] += amount
        total += amount
        qualifies = purchase.category in QUALIFYING
        if qualifies:
            quality += amount
        if purchase.category == ORGANIC:
            organic += amount
        if purchase.family == MEAT_FISH:
            meat_fish += amount
            if qualifies:
                meat_fish_quality += amount
    return EgalimResult(
        total=total,
        by_category=by_category,
        quality=ShareResult("Produits durables et de qualité", quality, total, _share(quality, total), QUALITY_TARGET),
        organic=ShareResult("dont produits biologiques", organic, total, _share(organic, total), ORGANIC_TARGET),
        meat_fish=ShareResult(
            "Viandes et poissons durables et de qualité",
            meat_fish_quality,
            meat_fish,
            _share(meat_fish_quality, meat_fish),
            MEAT_FISH_TARGET,
        ),
    )
