"""Pure rules of supplier profiles: where a supplier works (perimeters, distances), how close two CPV codes are,
capacity bands. No ORM, no request: plain values in, plain values out.

The matching of purchase needs to suppliers reuses `perimeter_covers` and `cpv_proximity`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from tremplin.referentials.rules import CpvCodeError, normalize_cpv

# ---------- Service types (le marché de l'inclusion's PRESTA_CHOICES, domain-rules §3.2) ----------

SERVICE_TYPES: dict[str, str] = {
    "PREST": "Prestation de services",
    "BUILD": "Fabrication et commercialisation de biens",
    "DISP": "Mise à disposition de personnel (intérim)",
}
"""Code → French label, in display order."""

# ---------- Perimeters ----------

NATIONAL, REGION, DEPARTMENT, RADIUS = "national", "region", "department", "radius"
PERIMETER_KINDS: dict[str, str] = {
    NATIONAL: "Toute la France",
    REGION: "Régions",
    DEPARTMENT: "Départements",
    RADIUS: "Rayon autour de l'établissement",
}
RADIUS_KM_MIN, RADIUS_KM_MAX = 1, 1000

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

Point = tuple[float, float]
"""(latitude, longitude) in decimal degrees (WGS 84)."""


@dataclass(frozen=True)
class Perimeter:
    """An area a supplier works in.

    - `kind` NATIONAL: the whole of France (overseas included);
    - REGION / DEPARTMENT: the INSEE codes in `codes` (e.g. {"84"} or {"69", "42", "2A"});
    - RADIUS: `radius_km` around `origin`, the establishment's commune (latitude, longitude). `origin_department`
      is the establishment's department: a circle always covers the department it is drawn in, which is what
      decides when a place has no coordinates (or the establishment's commune has none).
    """

    kind: str
    codes: frozenset[str] = frozenset()
    radius_km: float | None = None
    origin: Point | None = None
    origin_department: str = ""


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two (latitude, longitude) points, in km (haversine formula).

    >>> round(distance_km((45.7676, 4.8357), (45.4397, 4.3872)))  # Lyon – Saint-Étienne (town halls)
    50
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def perimeter_covers(
    perimeter: Perimeter, department_code: str | None, region_code: str | None, point: Point | None = None
) -> bool:
    """Whether `perimeter` covers a place (a need's place of execution, a buyer's site…).

    The place is given by its department and region INSEE codes and, when known, its (latitude, longitude)
    `point`. A radius perimeter covers the place when the point lies within `radius_km` of the establishment;
    when either point is unknown, it covers the establishment's own department only.

    >>> perimeter_covers(Perimeter(DEPARTMENT, frozenset({"69", "42"})), "42", "84")
    True
    """
    kind = perimeter.kind
    if kind == NATIONAL:
        return True
    if kind == REGION:
        return bool(region_code) and region_code in perimeter.codes
    if kind == DEPARTMENT:
        return bool(department_code) and department_code in perimeter.codes
    if kind == RADIUS:
        if point is not None and perimeter.origin is not None and perimeter.radius_km is not None:
            return distance_km(perimeter.origin, point) <= perimeter.radius_km
        return bool(department_code) and department_code == perimeter.origin_department
    raise ValueError(f"Unknown perimeter kind: {kind!r}")


def perimeters_cover(
    perimeters: Iterable[Perimeter], department_code: str | None, region_code: str | None, point: Point | None = None
) -> bool:
    """Whether any of a supplier's perimeters covers the place (see `perimeter_covers`)."""
    return any(perimeter_covers(p, department_code, region_code, point) for p in perimeters)


def reaches_any(origin: Point, radius_km: float, points: Iterable[Point]) -> bool:
    """Whether a circle of `radius_km` around `origin` contains at least one of `points` (e.g. the communes of a
    department: the circle then reaches that department)."""
    return any(distance_km(origin, point) <= radius_km for point in points)


KM_PER_DEGREE_LATITUDE_MIN = 110.5
KM_PER_DEGREE_LONGITUDE_MIN = 50.0  # true up to latitude 63°: all of France, overseas included


def degree_margins(radius_km: float) -> tuple[float, float]:
    """Latitude and longitude spans (degrees) certainly larger than `radius_km`, to pre-select candidates in a
    bounding box before computing exact distances."""
    return radius_km / KM_PER_DEGREE_LATITUDE_MIN, radius_km / KM_PER_DEGREE_LONGITUDE_MIN


def check_radius_km(radius_km: float) -> None:
    if not RADIUS_KM_MIN <= radius_km <= RADIUS_KM_MAX:
        raise RuleError(f"Le rayon doit être compris entre {RADIUS_KM_MIN} et {RADIUS_KM_MAX} km.")


# ---------- CPV proximity ----------


class CpvProximity(IntEnum):
    """How close two CPV codes are, from nothing in common to the same code; larger is closer, so the values
    can be compared and used as scores."""

    NONE = 0
    DIVISION = 1  # same 2 first digits (e.g. 45 Travaux de construction)
    GROUP = 2  # same 3 first digits (452 …)
    CLASS = 3  # same 4 first digits (4521 …)
    SAME = 4  # same 8-digit code

    @property
    def label(self) -> str:
        return CPV_PROXIMITY_LABELS[self]


CPV_PROXIMITY_LABELS = {
    CpvProximity.NONE: "Sans rapport",
    CpvProximity.DIVISION: "Même division",
    CpvProximity.GROUP: "Même groupe",
    CpvProximity.CLASS: "Même classe",
    CpvProximity.SAME: "Même code",
}


def cpv_proximity(a: object, b: object) -> CpvProximity:
    """How close two CPV codes are: SAME code, same CLASS (4 first digits), same GROUP (3), same DIVISION (2),
    or NONE. Symmetric. Codes are read with `normalize_cpv` (check digit, spaces and dots ignored); an empty or
    unreadable code is close to nothing (NONE).

    A broader code is as close as the digits it shares: the division 45000000 and 45214200 are in the same
    DIVISION, the group 45200000 and 45214200 in the same GROUP.

    >>> cpv_proximity("45214200-2", "45210000"), cpv_proximity("45000000", "60100000")
    (<CpvProximity.CLASS: 3>, <CpvProximity.NONE: 0>)
    """
    try:
        first, second = normalize_cpv(a), normalize_cpv(b)
    except CpvCodeError:
        return CpvProximity.NONE
    if first == second:
        return CpvProximity.SAME
    for digits, proximity in ((4, CpvProximity.CLASS), (3, CpvProximity.GROUP), (2, CpvProximity.DIVISION)):
        if first[:digits] == second[:digits]:
            return proximity
    return CpvProximity.NONE


SUPPLY_DIVISIONS = frozenset(f"{n:02d}" for n in [*range(3, 45), 48])
"""CPV divisions of supplies (goods): 03 to 44 and 48 (software packages)."""
STAFFING_PREFIX = "796"
"""CPV 796 Services de mise à disposition de personnel (intérim, portage…)."""


def service_types_for_cpv(code: str) -> list[str]:
    """The service type a CPV code most likely implies (to pre-fill a profile from contracts won): supplies →
    BUILD, staff provision (796…) → DISP, works and other services → PREST."""
    if code.startswith(STAFFING_PREFIX):
        return ["DISP"]
    if code[:2] in SUPPLY_DIVISIONS:
        return ["BUILD"]
    return ["PREST"]


# ---------- Capacity ----------


class RuleError(ValueError):
    """Input a rule refuses; the message is French, for the user."""


TURNOVER_BANDS: list[tuple[int | None, str]] = [
    (2_000_000, "Jusqu'à 2 M€"),
    (10_000_000, "De 2 à 10 M€"),
    (50_000_000, "De 10 à 50 M€"),
    (1_500_000_000, "De 50 M€ à 1,5 Md€"),
    (None, "Plus de 1,5 Md€"),
]
"""(upper bound included, label): the turnover ceilings of the micro, small and medium enterprise (EU
recommendation 2003/361, décret 2008-1354) and of the ETI."""


def turnover_band(turnover: int | None) -> str:
    """The band of an exact turnover in euros ("" when unknown)."""
    if turnover is None:
        return ""
    for ceiling, label in TURNOVER_BANDS:
        if ceiling is None or turnover <= ceiling:
            return label
    raise AssertionError("unreachable")


TURNOVER_FIRST_YEAR = 1990


def check_turnover(turnover: int | None, year: int | None, current_year: int) -> dict[str, str]:
    """Errors on a declared turnover and its year, by field name ({} when both are fine). Both or neither are
    given; the year is a closed or current financial year."""
    errors: dict[str, str] = {}
    if turnover is not None and turnover < 0:
        errors["turnover"] = "Le chiffre d'affaires ne peut pas être négatif."
    if turnover is not None and year is None:
        errors["turnover_year"] = "Indiquez l'année de l'exercice de ce chiffre d'affaires."
    if year is not None and turnover is None:
        errors["turnover"] = "Indiquez le chiffre d'affaires de cet exercice, ou effacez l'année."
    if year is not None and not TURNOVER_FIRST_YEAR <= year <= current_year:
        errors["turnover_year"] = (
            f"L'année de l'exercice doit être comprise entre {TURNOVER_FIRST_YEAR} et {current_year}."
        )
    return errors


# ---------- Text ----------


def french_list(items: Iterable[str]) -> str:
    """["a", "b", "c"] → "a, b et c"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def format_km(radius_km: float) -> str:
    return f"{radius_km:g}".replace(".", ",") + "\u202fkm"
