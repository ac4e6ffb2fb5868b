"""Inclusive potential of a need (a lot, a forecast, a free description): pure rules. No ORM, no request.

Given how many eligible structures the matching engine found within the perimeter (SIAE, eligible under CCP
L2113-13; EA/EATT/ESAT, eligible under L2113-12), their known turnovers and the amount of the need, recommend:
reserve the whole contract, reserve the lot, add a social-insertion clause, or nothing. Every threshold is named
here, once, and shown to the user with its reason (``THRESHOLDS``). Labels are French, ready for the user."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

# ---------------------------------------------------------------- thresholds (the one place they live)

MIN_ELIGIBLE_FOR_RESERVATION = 3
"""Reserving needs real competition among eligible structures: three comparable offers is the usual floor of a
consultation (and the minimum number of candidates of the negotiated and dialogue procedures)."""

MAX_DEPENDENCY = Decimal("0.30")
"""Above 30 % of a structure's annual turnover, one contract makes it economically dependent on the buyer (and
risks outgrowing its capacity): prefer a clause, or smaller lots, to a reservation."""

CLAUSE_LABOUR_SHARE = Decimal("0.50")  # average labour share of a contract (practice, building contracts)
CLAUSE_INSERTION_RATE = Decimal("0.05")  # low end of the usual 5–10 % insertion effort
CLAUSE_HOURLY_COST = Decimal("30")  # fully loaded hourly labour cost, euros
MIN_CLAUSE_HOURS = 150
"""An insertion clause is worth its follow-up from about one month of full-time work (151.67 h): below that,
sourcing and checking eligible people costs more than it brings."""

MONTHS_PER_YEAR = 12

# Recommendation codes (stable: the API returns them).
RESERVE_CONTRACT = "reserve_contract"
RESERVE_LOT = "reserve_lot"
SOCIAL_CLAUSE = "social_clause"
NOTHING = "none"
RECOMMENDATION_CODES = (RESERVE_CONTRACT, RESERVE_LOT, SOCIAL_CLAUSE, NOTHING)

SIAE_ARTICLE = "L2113-13"
HANDICAP_ARTICLE = "L2113-12"


def clause_min_amount() -> int:
    """The amount (euros excl. VAT, annual) from which the estimated insertion hours reach MIN_CLAUSE_HOURS."""
    per_euro = CLAUSE_LABOUR_SHARE * CLAUSE_INSERTION_RATE / CLAUSE_HOURLY_COST
    return int((Decimal(MIN_CLAUSE_HOURS) / per_euro).to_integral_value())


def _euros(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f") + " €"


THRESHOLDS: dict[str, str] = {
    "competition": f"Au moins {MIN_ELIGIBLE_FOR_RESERVATION} structures éligibles dans le périmètre : concurrence "
    "suffisante pour réserver (trois offres comparables, plancher usuel d'une consultation).",
    "dependency": f"Dépendance économique au plus {int(MAX_DEPENDENCY * 100)} % du chiffre d'affaires médian des "
    "structures éligibles (montant annuel ÷ chiffre d'affaires) : au-delà, le marché pèserait trop lourd pour "
    "elles ; préférez une clause d'insertion ou un allotissement plus fin.",
    "clause": f"Clause d'insertion utile dès {MIN_CLAUSE_HOURS} heures d'insertion estimées (montant annuel × "
    f"{int(CLAUSE_LABOUR_SHARE * 100)} % de main-d'œuvre × {int(CLAUSE_INSERTION_RATE * 100)} % d'insertion ÷ "
    f"{int(CLAUSE_HOURLY_COST)} €/h), soit à partir de {_euros(clause_min_amount())} HT par an, ou dès qu'une "
    "structure éligible peut être cotraitante ou sous-traitante.",
}


# ---------------------------------------------------------------- inputs and outputs


@dataclass(frozen=True)
class NeedFigures:
    """What the engine and the profiles tell about one need."""

    siae: int  # eligible SIAE found within the perimeter
    ea_esat: int  # eligible EA / EATT / ESAT found within the perimeter
    turnovers: tuple[int, ...] = ()  # known annual turnovers (euros) of those structures
    amount: Decimal | int | None = None  # estimated amount of the need (euros excl. VAT), whole duration
    duration_months: int | None = None  # maximum duration, to annualise the amount
    reserved: tuple[str, ...] = ()  # articles the buyer already plans to reserve under (L2113-12, L2113-13…)
    is_lot: bool = False  # a lot of an allotted forecast (else the whole contract or a free need)


@dataclass(frozen=True)
class Recommendation:
    code: str
    label: str
    reasons: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # reservation articles to cite when reserving
    thresholds: tuple[str, ...] = ()  # the keys of THRESHOLDS this decision rests on


@dataclass(frozen=True)
class Potential:
    siae: int
    ea_esat: int
    eligible: int
    known_turnovers: int
    unknown_turnovers: int
    median_turnover: int | None
    annual_amount: int | None
    dependency: Decimal | None  # annual amount ÷ median turnover, e.g. Decimal("0.25")
    insertion_hours: int | None
    recommendation: Recommendation
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def dependency_label(self) -> str:
        return percent(self.dependency)


# ---------------------------------------------------------------- computations


def annual_amount(amount, duration_months: int | None) -> int | None:
    """The yearly share of an amount spread over more than a year (a turnover is annual)."""
    if amount is None:
        return None
    amount = Decimal(amount)
    if amount < 0:
        return None
    if duration_months and duration_months > MONTHS_PER_YEAR:
        amount = amount * MONTHS_PER_YEAR / duration_months
    return int(amount.to_integral_value())


def median_turnover(turnovers: Iterable[int | None]) -> int | None:
    known = [value for value in turnovers if value is not None and value > 0]
    return int(median(known)) if known else None


def dependency(amount: int | None, turnover: int | None) -> Decimal | None:
    """amount ÷ turnover, rounded to the hundredth (0.25 = 25 %); unknown when either is unknown."""
    if amount is None or not turnover:
        return None
    return (Decimal(amount) / Decimal(turnover)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def insertion_hours(amount: int | None) -> int | None:
    """The practice formula: amount × labour share × insertion rate ÷ hourly cost (domain rules §3.3)."""
    if amount is None:
        return None
    hours = Decimal(amount) * CLAUSE_LABOUR_SHARE * CLAUSE_INSERTION_RATE / CLAUSE_HOURLY_COST
    return int(hours.to_integral_value(rounding=ROUND_HALF_UP))


def plural(count: int, singular: str, many: str) -> str:
    """French: 0 and 1 are singular."""
    return f"{count} {many if count >= 2 else singular}"


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{int((value * 100).to_integral_value())} %"


def reservation_articles(siae: int, ea_esat: int) -> tuple[str, ...]:
    """Which reservation the competition supports: SIAE alone, EA/ESAT alone (both when each reaches the floor),
    or — since the loi ASAP — one reservation to both together when only their sum does."""
    articles = []
    if ea_esat >= MIN_ELIGIBLE_FOR_RESERVATION:
        articles.append(HANDICAP_ARTICLE)
    if siae >= MIN_ELIGIBLE_FOR_RESERVATION:
        articles.append(SIAE_ARTICLE)
    if not articles and siae + ea_esat >= MIN_ELIGIBLE_FOR_RESERVATION:
        articles = [HANDICAP_ARTICLE, SIAE_ARTICLE]
    return tuple(articles)


def _audience(articles: Sequence[str]) -> str:
    if set(articles) == {HANDICAP_ARTICLE, SIAE_ARTICLE}:
        return "aux SIAE et aux EA/ESAT (L2113-13 et L2113-12)"
    if articles == (SIAE_ARTICLE,):
        return "aux SIAE (L2113-13)"
    return "aux EA/ESAT (L2113-12)"


def recommend(figures: NeedFigures) -> Potential:
    """The inclusive potential of one need and what to do about it."""
    eligible = figures.siae + figures.ea_esat
    known = [value for value in figures.turnovers if value is not None and value > 0]
    middle = median_turnover(known)
    yearly = annual_amount(figures.amount, figures.duration_months)
    ratio = dependency(yearly, middle)
    hours = insertion_hours(yearly)
    articles = reservation_articles(figures.siae, figures.ea_esat)
    warnings = []
    if figures.amount is None:
        warnings.append("Montant inconnu : la dépendance économique et les heures d'insertion ne sont pas calculées.")
    elif eligible and not known:
        warnings.append("Aucun chiffre d'affaires connu parmi les structures éligibles : dépendance non calculée.")
    if figures.reserved and eligible < MIN_ELIGIBLE_FOR_RESERVATION:
        few = plural(eligible, "structure éligible", "structures éligibles")
        warnings.append(
            f"Une réservation est prévue, mais seulement {few} dans le périmètre : risque de procédure infructueuse."
        )

    competition = bool(articles)
    too_dependent = ratio is not None and ratio > MAX_DEPENDENCY
    if competition and not too_dependent:
        code = RESERVE_LOT if figures.is_lot else RESERVE_CONTRACT
        what = "ce lot" if figures.is_lot else "le marché"
        reasons = [
            f"{figures.siae} SIAE et {figures.ea_esat} EA/ESAT éligibles dans le périmètre (au moins "
            f"{MIN_ELIGIBLE_FOR_RESERVATION} pour réserver)."
        ]
        if ratio is not None:
            reasons.append(
                f"Dépendance économique de {percent(ratio)} du chiffre d'affaires médian "
                f"(au plus {percent(MAX_DEPENDENCY)})."
            )
        recommendation = Recommendation(
            code, f"Réserver {what} {_audience(articles)}", tuple(reasons), articles, ("competition", "dependency")
        )
    elif eligible or (hours is not None and hours >= MIN_CLAUSE_HOURS):
        reasons = []
        if too_dependent:
            reasons.append(
                f"Dépendance économique de {percent(ratio)} du chiffre d'affaires médian, au-delà de "
                f"{percent(MAX_DEPENDENCY)} : une réservation ferait peser le marché trop lourd ; une clause, ou "
                "des lots plus petits, les associent sans les exposer."
            )
        elif eligible:
            reasons.append(
                f"{plural(eligible, 'structure éligible', 'structures éligibles')} seulement (moins de "
                f"{MIN_ELIGIBLE_FOR_RESERVATION}) : "
                "trop peu pour réserver, assez pour une cotraitance ou une sous-traitance."
            )
        if hours is not None:
            reasons.append(f"Environ {hours} heures d'insertion par an à {percent(CLAUSE_INSERTION_RATE)}.")
        recommendation = Recommendation(
            SOCIAL_CLAUSE, "Ajouter une clause sociale d'insertion", tuple(reasons), (), ("competition", "clause")
        )
    else:
        reasons = ["Aucune structure éligible dans le périmètre."]
        if hours is not None:
            reasons.append(f"Environ {hours} heures d'insertion par an : moins de {MIN_CLAUSE_HOURS}.")
        recommendation = Recommendation(
            NOTHING, "Pas de démarche inclusive spécifique", tuple(reasons), (), ("clause",)
        )

    return Potential(
        siae=figures.siae,
        ea_esat=figures.ea_esat,
        eligible=eligible,
        known_turnovers=len(known),
        unknown_turnovers=max(eligible - len(known), 0),
        median_turnover=middle,
        annual_amount=yearly,
        dependency=ratio,
        insertion_hours=hours,
        recommendation=recommendation,
        warnings=tuple(warnings),
    )


def _lots(numbers: Sequence[int]) -> str:
    return ("le lot " if len(numbers) == 1 else "les lots ") + ", ".join(map(str, numbers))


def combine(lots: Sequence[tuple[int, Potential]], whole: Potential) -> Recommendation:
    """The recommendation for an allotted forecast from those of its lots: reserve the whole contract when every
    lot may be reserved, else the lots that may be, else a clause when one lot calls for it. Without lots, the
    forecast's own assessment stands."""
    if not lots:
        return whole.recommendation
    reservable = [number for number, potential in lots if potential.recommendation.code == RESERVE_LOT]
    if len(reservable) == len(lots):
        articles = tuple(sorted({a for _, p in lots for a in p.recommendation.articles}))
        return Recommendation(
            RESERVE_CONTRACT,
            "Réserver le marché entier : chaque lot réunit assez de structures éligibles",
            tuple(f"Lot {number} : {p.recommendation.label}." for number, p in lots),
            articles,
            ("competition", "dependency"),
        )
    if reservable:
        numbers = ", ".join(str(number) for number in reservable)
        label = f"Réserver le lot {numbers}" if len(reservable) == 1 else f"Réserver les lots {numbers}"
        articles = tuple(sorted({a for n, p in lots if n in reservable for a in p.recommendation.articles}))
        others = [number for number, p in lots if p.recommendation.code == SOCIAL_CLAUSE]
        reasons = [f"Lot {number} : {p.recommendation.label}." for number, p in lots if number in reservable]
        if others:
            reasons.append(f"Clause d'insertion conseillée sur {_lots(others)}.")
        return Recommendation(RESERVE_LOT, label, tuple(reasons), articles, ("competition", "dependency"))
    clauses = [number for number, p in lots if p.recommendation.code == SOCIAL_CLAUSE]
    if clauses:
        return Recommendation(
            SOCIAL_CLAUSE,
            "Ajouter une clause sociale d'insertion",
            (f"Conseillée sur {_lots(clauses)}.",),
            (),
            ("competition", "clause"),
        )
    return Recommendation(
        NOTHING, "Pas de démarche inclusive spécifique", ("Aucun lot ne s'y prête.",), (), ("clause",)
    )
