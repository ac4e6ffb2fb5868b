"""The matching score: one place for its weights and thresholds, and the pure functions that score one criterion
and say why in plain French. No ORM, no request: plain values in, plain values out.

A score is 0–100: each criterion the query can judge gives a value in [0, 1], weighted by ``WEIGHTS``; the sum is
divided by the weights of the criteria the query can judge (a need without an amount is not scored on size), then
eligibility to a reserved lot adds ``RESERVED_BONUS``. Both directions (a supplier's opportunities, a need's
suppliers) use the same functions; ``you`` says whether the reasons address the supplier ("vos activités") or
speak of it to a buyer ("ses activités").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from tremplin.referentials.rules import CpvCodeError, cpv_significant_digits, normalize_cpv
from tremplin.suppliers.rules import CpvProximity, cpv_proximity, distance_km, french_list

WEIGHTS: dict[str, int] = {
    "cpv": 40,  # what is bought vs. what the supplier does (CPV codes)
    "text": 25,  # words in common (stems, French-aware)
    "geo": 20,  # perimeter covers the place, and how far the establishment is
    "size": 8,  # amount vs. turnover (economic dependency)
    "track": 7,  # contracts already won in the same CPV group (3 first digits)
}
RESERVED_BONUS = 10  # an eligible supplier for a reserved lot: the reservation exists for it
MIN_SCORE = 30.0
MIN_RELEVANCE = 0.3
"""A search on CPV codes or words shows nothing scored below ``MIN_SCORE``, nor anything whose "what" (the CPV and
text criteria alone, weighted as in ``WEIGHTS``) is below ``MIN_RELEVANCE``: a division in common, one word out of
several, a place in the perimeter is not a recommendation. A search with neither codes nor words lists everything."""
RELEVANCE = ("cpv", "text")  # the criteria that say whether the candidate is about what is looked for

CPV_LEVEL_SCORES: dict[CpvProximity, float] = {
    CpvProximity.SAME: 1.0,  # also a code the supplier's code covers (45210000 covers 45214200)
    CpvProximity.CLASS: 0.8,
    CpvProximity.GROUP: 0.6,
    CpvProximity.DIVISION: 0.1,  # divisions are broad (45 is every kind of works, 71 architects to inspectors)
    CpvProximity.NONE: 0.0,
}
SECONDARY_CPV_FACTOR = 0.6  # a secondary CPV of the need says less about it than its main one
CPV_UNKNOWN = 0.3  # the candidate has no CPV code (BOAMP summaries, NAF-only profiles): judged on its words alone
WANTED, CANDIDATE = "wanted", "candidate"  # which side of ``cpv_criterion`` holds the supplier's codes

TEXT_FULL_MATCHES = 3  # this many stems in common (or all the query's, when fewer) is a full text match
COMMON_STEM_SHARE = 0.2  # stems found in more than 20 % of the candidates (of a large index) are too common to count
COMMON_STEM_MIN_INDEX = 500  # … an index smaller than this keeps every stem

GEO_COVERED = 0.5  # the perimeter covers the place…
NEAR_KM = 20.0  # … and the closer the establishment, the more: full within 20 km,
FAR_KM = 300.0  # nothing more beyond 300 km (linear in between)
GEO_UNKNOWN_PLACE = 0.25  # the place is not known: neither excluded nor favoured

SAFE_SHARE = 0.30  # amount ≤ 30 % of turnover: no economic dependency (the threshold le marché de l'inclusion uses)
RISKY_SHARE = 0.50  # 30–50 %: a risk; more than half of the turnover: a serious risk
SIZE_UNKNOWN = 0.5  # amount or turnover unknown: neutral

TRACK_SCORES = (0.0, 0.5, 0.75, 1.0)  # 0, 1, 2, 3 or more contracts won in the CPV group
TRACK_DIGITS = 3  # the track record counts per CPV group ("452"): a division ("45") says too little

# ---------- reservations (CCP L2113-12, L2113-13, L2113-15) ----------

HANDICAP, INSERTION, ESS = "L2113-12", "L2113-13", "L2113-15"
RESERVED_UNSPECIFIED = "reserved"
"""A notice says it is (partly) reserved without saying to whom: any inclusive structure or ESS enterprise."""
RESERVATION_AUDIENCES = {
    HANDICAP: "aux entreprises adaptées et ESAT",
    INSERTION: "aux SIAE",
    ESS: "aux entreprises de l'ESS",
    RESERVED_UNSPECIFIED: "aux structures inclusives",
}
SIAE = frozenset({"EI", "ETTI", "AI", "ACI", "EITI"})  # C. trav. L5132-4 (not GEIQ)
HANDICAP_STATUSES = frozenset({"EA", "EATT", "ESAT"})


def eligible_articles(inclusive_status: str, is_ess: bool) -> frozenset[str]:
    """The reservations a supplier may answer: SIAE → L2113-13, EA/EATT/ESAT → L2113-12, ESS → L2113-15."""
    articles = set()
    if inclusive_status in SIAE:
        articles.add(INSERTION)
    if inclusive_status in HANDICAP_STATUSES:
        articles.add(HANDICAP)
    if is_ess:
        articles.add(ESS)
    if articles:
        articles.add(RESERVED_UNSPECIFIED)
    return frozenset(articles)


def is_eligible(reservations: Iterable[str], inclusive_status: str, is_ess: bool) -> bool:
    """Whether a supplier may answer a lot reserved under any of `reservations` (True when not reserved)."""
    wanted = set(reservations)
    return not wanted or bool(wanted & eligible_articles(inclusive_status, is_ess))


def reservation_reason(reservations: Iterable[str], you: bool = True) -> str:
    wanted = sorted(set(reservations))
    if not wanted:
        return ""
    audience = " ou ".join(RESERVATION_AUDIENCES[a] for a in wanted if a in RESERVATION_AUDIENCES)
    return f"lot réservé {audience} — {'vous êtes éligible' if you else 'structure éligible'}"


# ---------- criteria ----------


@dataclass(frozen=True)
class Criterion:
    """One criterion's value in [0, 1] (None: the query cannot judge it) and why, in French ("" for nothing)."""

    value: float | None
    reason: str = ""
    warning: bool = False  # the reason is a caution (economic dependency), not a strength


def _yours(you: bool) -> str:
    return "vos" if you else "ses"


@lru_cache(maxsize=200_000)
def proximity(a: str, b: str) -> CpvProximity:
    """``suppliers.rules.cpv_proximity``, cached: the same few codes are compared again and again."""
    return cpv_proximity(a, b)


@lru_cache(maxsize=200_000)
def covers(broad: str, code: str) -> bool:
    """Whether the CPV code `broad` is `code` or one of its ancestors (45210000 covers 45214200, 45000000 covers
    every works code); unreadable codes cover nothing.

    >>> covers("45210000", "45214200"), covers("45214200", "45210000")
    (True, False)
    """
    try:
        broad, code = normalize_cpv(broad), normalize_cpv(code)
    except CpvCodeError:
        return False
    return code.startswith(cpv_significant_digits(broad))


def cpv_value(mine: str, code: str, covering: str = WANTED) -> tuple[float, CpvProximity, bool]:
    """The value of one pair (the query's code `mine`, the candidate's `code`), its proximity, and whether the
    supplier's code covers the other (``covering`` says which side is the supplier's)."""
    level = proximity(mine, code)
    covered = level != CpvProximity.SAME and (covers(mine, code) if covering == WANTED else covers(code, mine))
    return CPV_LEVEL_SCORES[CpvProximity.SAME if covered else level], level, covered


def cpv_criterion(
    wanted: Iterable[str], main: Iterable[str], secondary: Iterable[str] = (), you=True, covering: str = WANTED
) -> Criterion:
    """How close the query's CPV codes (`wanted`) are to a candidate's main and secondary codes: the best pair
    counts (same code > same class > group > division; secondary codes count ``SECONDARY_CPV_FACTOR`` less). A
    supplier's code that covers the need's (a broader code: its division, group or class) counts as the same
    code: `covering` says whether the supplier's codes are the ``WANTED`` ones (its profile, a saved search) or the
    ``CANDIDATE``'s (a need's suppliers).

    >>> cpv_criterion(["45210000"], ["45210000"]).reason
    'CPV 45210000 dans vos activités'
    """
    wanted = [code for code in wanted if code]
    if not wanted:
        return Criterion(None)
    main, secondary = [c for c in main if c], [c for c in secondary if c]
    if not main and not secondary:
        return Criterion(CPV_UNKNOWN)
    best, best_code, best_mine, best_level, best_covered, best_secondary = 0.0, "", "", CpvProximity.NONE, False, False
    for factor, codes, secondary_codes in ((1.0, main, False), (SECONDARY_CPV_FACTOR, secondary, True)):
        for code in codes:
            for mine in wanted:
                base, level, covered = cpv_value(mine, code, covering)
                value = base * factor
                if value > best:
                    best, best_code, best_mine = value, code, mine
                    best_level, best_covered, best_secondary = level, covered, secondary_codes
    if not best:
        return Criterion(0.0)
    label = "CPV secondaire" if best_secondary else "CPV"
    if best_level == CpvProximity.SAME:
        return Criterion(best, f"{label} {best_code} dans {_yours(you)} activités")
    if best_covered and covering == WANTED:
        return Criterion(best, f"{label} {best_code} : compris dans le code {best_mine} de {_yours(you)} activités")
    if best_covered:
        return Criterion(best, f"{label} {best_mine} : compris dans le code {best_code} de {_yours(you)} activités")
    level_name = {CpvProximity.CLASS: "classe", CpvProximity.GROUP: "groupe", CpvProximity.DIVISION: "division"}
    return Criterion(best, f"{label} {best_code} : même {level_name[best_level]} que {_yours(you)} activités")


def text_criterion(
    query_stems: Iterable[str], candidate_stems: Iterable[str], words: dict[str, str] | None = None, size=None
) -> Criterion:
    """Stems in common: ``TEXT_FULL_MATCHES`` of them (or all the query's when it has fewer) is a full match.
    `query_stems` are those the index can match; `size` is how many stems the query has of its own (those the
    index does not know included, too common ones not): one word in common out of ten is not a full match
    because the nine others are found nowhere."""
    query_stems = list(query_stems)
    if not query_stems:
        return Criterion(None)
    size = max(size or 0, len(query_stems))
    common = [s for s in query_stems if s in set(candidate_stems)]
    value = min(1.0, len(common) / min(TEXT_FULL_MATCHES, size))
    if not common:
        return Criterion(0.0)
    quoted = [(words or {}).get(s, s) for s in common[:4]]
    return Criterion(value, f"mots en commun : {', '.join(quoted)}")


def closeness(km: float | None) -> float:
    """1 within ``NEAR_KM``, 0 beyond ``FAR_KM``, linear in between; 0 when unknown."""
    if km is None:
        return 0.0
    if km <= NEAR_KM:
        return 1.0
    if km >= FAR_KM:
        return 0.0
    return (FAR_KM - km) / (FAR_KM - NEAR_KM)


def geo_criterion(
    judged: bool, covered: bool | None, km: float | None, place: str = "", you=True, shown_km=...
) -> Criterion:
    """`judged`: the query has a perimeter or a place; `covered`: the perimeter covers the place (None: the place
    is unknown); `km`: distance from the establishment to the place (None: unknown). Uncovered places are
    excluded before scoring (``covered`` False gives 0). `shown_km`: the distance the reason may state (None when
    a point is only a department's centre — ``places.claimed_km``); by default `km`."""
    if not judged:
        return Criterion(None)
    if covered is None:
        return Criterion(GEO_UNKNOWN_PLACE)
    if not covered:
        return Criterion(0.0)
    value = GEO_COVERED + (1 - GEO_COVERED) * closeness(km)
    shown_km = km if shown_km is ... else shown_km
    if shown_km is not None:
        where = "de votre établissement" if you else "du lieu d'exécution"
        return Criterion(value, f"à {format_km(shown_km)} {where}")
    zone = f" : {place}" if place else ""  # place labels carry their code in brackets: « Rhône (69) »
    return Criterion(value, f"dans {'votre' if you else 'sa'} zone d'intervention{zone}")


def format_km(km: float) -> str:
    return "moins de 1 km" if km < 1 else f"{round(km)} km"


def size_criterion(amount: float | None, turnover: float | None, you=True) -> Criterion:
    """Economic dependency: the amount as a share of the supplier's yearly turnover. Up to ``SAFE_SHARE`` it
    fits; up to ``RISKY_SHARE`` it is a risk; beyond, a serious one. Unknown amount or turnover: neutral."""
    if turnover is None and amount is None:
        return Criterion(None)
    if not amount or not turnover or amount <= 0 or turnover <= 0:
        return Criterion(SIZE_UNKNOWN)
    share = amount / turnover
    yours = "votre" if you else "son"
    if share <= SAFE_SHARE:
        return Criterion(1.0, f"montant adapté à {yours} chiffre d'affaires")
    percent = min(999, round(share * 100))
    if share <= RISKY_SHARE:
        return Criterion(
            0.5, f"montant égal à {percent} % de {yours} chiffre d'affaires : risque de dépendance économique", True
        )
    return Criterion(0.0, f"montant égal à {percent} % de {yours} chiffre d'affaires : dépendance économique", True)


def track_group(code: str) -> str:
    """The key of the track record for a CPV code: its group ("45214200" → "452"); "" when it has none."""
    return code[:TRACK_DIGITS] if len(code) >= TRACK_DIGITS and code[:TRACK_DIGITS].isdigit() else ""


def track_criterion(won: int | None, you=True) -> Criterion:
    """Contracts already won in the CPV group of the need (from the awarded-contract data)."""
    if won is None:
        return Criterion(None)
    value = TRACK_SCORES[min(won, len(TRACK_SCORES) - 1)]
    if not won:
        return Criterion(0.0)
    noun = "marché remporté" if won == 1 else "marchés remportés"
    return Criterion(value, f"{won} {noun} dans ce secteur")


def combine(criteria: dict[str, Criterion], eligible_reserved: bool = False) -> float:
    """The 0–100 score, rounded to one decimal: weighted mean over the criteria the query can judge, plus the
    reservation bonus, at most 100."""
    judged = {name: c.value for name, c in criteria.items() if c.value is not None}
    total = sum(WEIGHTS[name] for name in judged)
    score = 100 * sum(WEIGHTS[name] * value for name, value in judged.items()) / total if total else 0.0
    if eligible_reserved:
        score += RESERVED_BONUS
    return round(min(100.0, score), 1)


def reasons(criteria: dict[str, Criterion], reservation: str = "") -> tuple[str, ...]:
    """Strengths first (in ``WEIGHTS`` order), the reservation, then cautions."""
    strengths = [c.reason for name in WEIGHTS if (c := criteria.get(name)) and c.reason and not c.warning]
    cautions = [c.reason for name in WEIGHTS if (c := criteria.get(name)) and c.reason and c.warning]
    return tuple([*strengths, *([reservation] if reservation else []), *cautions])


def relevance(criteria: dict[str, Criterion]) -> float | None:
    """The weighted mean of the ``RELEVANCE`` criteria the query judges (None: it judges none of them)."""
    judged = [(name, c.value) for name in RELEVANCE if (c := criteria.get(name)) and c.value is not None]
    total = sum(WEIGHTS[name] for name, _value in judged)
    return sum(WEIGHTS[name] * value for name, value in judged) / total if total else None


def shown(score: float, relevance: float | None) -> bool:
    """Whether a result is shown (`relevance`: see ``relevance``; None for a search without codes nor words)."""
    return relevance is None or (score >= MIN_SCORE and relevance >= MIN_RELEVANCE)


def outside_france(place_country: str, buyer_country: str) -> bool:
    """A notice executed abroad: its place's country, else its buyer's, is known and is not France. It is
    outside every French perimeter (a "national" perimeter is France).

    >>> outside_france("DE", "FR"), outside_france("", "BE"), outside_france("FR", "BE"), outside_france("", "")
    (True, True, False, False)
    """
    country = (place_country or buyer_country or "").strip().upper()
    return bool(country) and country != "FR"


def upper_bound(criteria_values: dict[str, float | None], eligible_reserved: bool = False) -> float:
    """``combine`` on raw values (the index's vectorised pre-ranking uses the same formula)."""
    return combine({k: Criterion(v) for k, v in criteria_values.items()}, eligible_reserved)


__all__ = ["WEIGHTS", "combine", "distance_km", "french_list", "reasons", "shown"]
