"""Pure rules of the carbon estimate (domain-rules §4.1): three blocks, each a quantity × an emission factor.

- production: quantity × factor (kgCO2e per kg, t, unit, m², m³, litre, k€…);
- transport: tonnes × km × factor of the mode (kgCO2e per t·km);
- use: energy per year × factor × years (kgCO2e per kWh, MWh, litre or m³ of fuel…).

No factor value lives here: factors are dated data imported with their source. A factor is chosen by date (the
version valid at the reference date of the estimate); when none is valid, it is an error, never a default.

Rounding: computations are exact (Decimal); each line is rounded half-up to the gram (0.001 kgCO2e) and stored
so; totals are sums of the rounded lines. No ORM, no request: unit-testable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PRODUCTION = "production"
TRANSPORT = "transport"
USE = "use"
SECTIONS = {PRODUCTION: "Production", TRANSPORT: "Transport", USE: "Utilisation"}

# Factor kinds: which section each serves.
KIND_PRODUCTION = "production"
KIND_TRANSPORT = "transport"
KIND_ENERGY = "energy"
KINDS = {KIND_PRODUCTION: "Production (biens et services)", KIND_TRANSPORT: "Transport", KIND_ENERGY: "Énergie"}
SECTION_KIND = {PRODUCTION: KIND_PRODUCTION, TRANSPORT: KIND_TRANSPORT, USE: KIND_ENERGY}

MASS, COUNT, AREA, VOLUME, ENERGY, FREIGHT, SPEND, DISTANCE = (
    "mass",
    "count",
    "area",
    "volume",
    "energy",
    "freight",
    "spend",
    "distance",
)
DIMENSION_LABELS = {
    MASS: "une masse (kg ou t)",
    COUNT: "un nombre d'unités",
    AREA: "une surface (m²)",
    VOLUME: "un volume (litres ou m³)",
    ENERGY: "une énergie (kWh, MWh ou GJ)",
    FREIGHT: "des tonnes-kilomètres",
    SPEND: "un montant (€ ou k€ HT)",
    DISTANCE: "une distance (km)",
}


@dataclass(frozen=True)
class Unit:
    code: str
    label: str
    dimension: str
    to_base: Decimal  # how many base units (kg, unit, m², litre, kWh, t·km, €, km) one of this unit is


UNITS: dict[str, Unit] = {
    unit.code: unit
    for unit in (
        Unit("kg", "kg", MASS, Decimal(1)),
        Unit("t", "tonne", MASS, Decimal(1000)),
        Unit("unit", "unité", COUNT, Decimal(1)),
        Unit("m2", "m²", AREA, Decimal(1)),
        Unit("l", "litre", VOLUME, Decimal(1)),
        Unit("m3", "m³", VOLUME, Decimal(1000)),
        Unit("kwh", "kWh", ENERGY, Decimal(1)),
        Unit("mwh", "MWh", ENERGY, Decimal(1000)),
        Unit("gj", "GJ", ENERGY, Decimal("277.7777777777777777777777778")),  # 1 GJ = 1000/3.6 kWh
        Unit("tkm", "t·km", FREIGHT, Decimal(1)),
        Unit("eur", "€ HT", SPEND, Decimal(1)),
        Unit("keur", "k€ HT", SPEND, Decimal(1000)),
        Unit("km", "km", DISTANCE, Decimal(1)),
    )
}
# Which factor units each kind accepts.
KIND_UNITS = {
    KIND_PRODUCTION: ("kg", "t", "unit", "m2", "l", "m3", "eur", "keur", "km"),
    KIND_TRANSPORT: ("tkm",),
    KIND_ENERGY: ("kwh", "mwh", "gj", "l", "m3", "kg", "t"),
}

TRANSPORT_MODES = {
    "road": "Routier",
    "rail": "Ferroviaire",
    "waterway": "Fluvial",
    "sea": "Maritime",
    "air": "Aérien",
}

GRAM = Decimal("0.001")
MAX_YEARS = 100


class CarbonError(ValueError):
    """A computation that cannot be made; `field` names the input at fault, the message is French."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FactorVersion:
    """What the rules need of an emission factor."""

    reference: str
    name: str
    kind: str
    unit: str
    value: Decimal
    valid_from: date
    valid_to: date | None = None
    key: object = None  # the caller's handle (e.g. the model's pk)


def unit_label(code: str) -> str:
    unit = UNITS.get(code)
    return unit.label if unit else code


def parse_unit(raw: str) -> str:
    """A unit as people and Base Empreinte® write it ("kgCO2e/kWh", "t.km", "tonne", "m3", "k€") → its code."""
    text = (raw or "").strip().lower().replace(" ", "").replace("\u00a0", "")
    for prefix in ("kgco2e/", "kgco2eq/", "kgeqco2/", "kgco2/"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    text = text.replace("·", ".").replace("²", "2").replace("³", "3")
    aliases = {
        "kg": "kg",
        "kilogramme": "kg",
        "t": "t",
        "tonne": "t",
        "unit": "unit",
        "unite": "unit",
        "unité": "unit",
        "u": "unit",
        "pièce": "unit",
        "piece": "unit",
        "m2": "m2",
        "l": "l",
        "litre": "l",
        "m3": "m3",
        "kwh": "kwh",
        "kwhpci": "kwh",
        "kwhpcs": "kwh",
        "mwh": "mwh",
        "gj": "gj",
        "t.km": "tkm",
        "tkm": "tkm",
        "tonne.km": "tkm",
        "€": "eur",
        "eur": "eur",
        "euro": "eur",
        "k€": "keur",
        "keur": "keur",
        "km": "km",
    }
    if text in aliases:
        return aliases[text]
    raise CarbonError(
        f"Unité « {(raw or '').strip()} » inconnue. Unités reconnues : "
        + ", ".join(unit.label for unit in UNITS.values())
        + ".",
        "unit",
    )


def check_factor_unit(kind: str, unit: str) -> None:
    if kind not in KINDS:
        raise CarbonError(f"Type de facteur « {kind} » inconnu : production, transport ou énergie.", "kind")
    if unit not in KIND_UNITS[kind]:
        allowed = ", ".join(unit_label(code) for code in KIND_UNITS[kind])
        raise CarbonError(
            f"Un facteur de type « {KINDS[kind]} » ne peut pas être exprimé par {unit_label(unit)} "
            f"(unités possibles : {allowed}).",
            "unit",
        )


def convert(quantity: Decimal, from_unit: str, factor: FactorVersion, field: str = "unit") -> Decimal:
    """`quantity` in `from_unit`, expressed in the factor's unit. Units of different dimensions are refused."""
    source, target = UNITS.get(from_unit), UNITS[factor.unit]
    if source is None:
        raise CarbonError(f"Unité « {from_unit} » inconnue.", field)
    if source.dimension != target.dimension:
        raise CarbonError(
            f"Le facteur « {factor.name} » est exprimé en kgCO2e par {target.label} : indiquez "
            f"{DIMENSION_LABELS[target.dimension]}, pas {DIMENSION_LABELS[source.dimension]}.",
            field,
        )
    return quantity * source.to_base / target.to_base


def pick_factor(versions: Iterable[FactorVersion], on: date) -> FactorVersion:
    """The version valid on `on` (valid_from ≤ on ≤ valid_to, an open end meaning "still valid"); when several
    overlap, the most recent valid_from wins. None valid → CarbonError naming the known periods."""
    versions = list(versions)
    if not versions:
        raise CarbonError("Facteur d'émission inconnu.", "factor")
    valid = [v for v in versions if v.valid_from <= on and (v.valid_to is None or on <= v.valid_to)]
    if valid:
        return max(valid, key=lambda v: v.valid_from)
    periods = "; ".join(sorted(validity_label(v.valid_from, v.valid_to) for v in versions))
    raise CarbonError(
        f"Aucune valeur du facteur « {versions[0].name} » n'est valide au {on:%d/%m/%Y} (valeurs connues : "
        f"{periods}). Changez la date de référence ou importez une valeur valide à cette date.",
        "factor",
    )


def validity_label(valid_from: date, valid_to: date | None) -> str:
    if valid_to is None:
        return f"depuis le {valid_from:%d/%m/%Y}"
    return f"du {valid_from:%d/%m/%Y} au {valid_to:%d/%m/%Y}"


def _positive(value, field: str, label: str, allow_zero: bool = True) -> Decimal:
    if value is None:
        raise CarbonError(f"Indiquez {label}.", field)
    value = Decimal(value)
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise CarbonError(f"{label[0].upper()}{label[1:]} doit être un nombre positif.", field)
    return value


def _check_kind(factor: FactorVersion, section: str) -> None:
    if factor.kind != SECTION_KIND[section]:
        raise CarbonError(
            f"Le facteur « {factor.name} » est un facteur « {KINDS[factor.kind]} » : il ne peut pas servir pour une "
            f"ligne « {SECTIONS[section]} ».",
            "factor",
        )


def round_kg(value: Decimal) -> Decimal:
    return value.quantize(GRAM, rounding=ROUND_HALF_UP)


def production(quantity, unit: str, factor: FactorVersion) -> Decimal:
    """quantity × factor, the quantity converted into the factor's unit (t → kg, m³ → litres…)."""
    _check_kind(factor, PRODUCTION)
    quantity = _positive(quantity, "quantity", "la quantité")
    return round_kg(convert(quantity, unit, factor) * factor.value)


def transport(tonnes, km, factor: FactorVersion) -> Decimal:
    """tonnes × km × factor of the mode (kgCO2e per t·km)."""
    _check_kind(factor, TRANSPORT)
    if factor.unit != "tkm":
        raise CarbonError(f"Le facteur « {factor.name} » n'est pas exprimé par t·km.", "factor")
    tonnes = _positive(tonnes, "tonnes", "le tonnage transporté")
    km = _positive(km, "km", "la distance")
    return round_kg(tonnes * km * factor.value)


def use(energy_per_year, unit: str, years, factor: FactorVersion) -> Decimal:
    """energy per year × factor × years."""
    _check_kind(factor, USE)
    energy = _positive(energy_per_year, "energy_per_year", "la consommation annuelle")
    years = _positive(years, "years", "la durée d'utilisation")
    if years > MAX_YEARS:
        raise CarbonError(f"La durée d'utilisation ne peut dépasser {MAX_YEARS} ans.", "years")
    return round_kg(convert(energy, unit, factor, "unit") * factor.value * years)


@dataclass(frozen=True)
class LineInput:
    section: str
    quantity: Decimal | None = None  # production: the quantity; use: the energy per year
    unit: str = ""
    tonnes: Decimal | None = None
    km: Decimal | None = None
    years: Decimal | None = None


def compute_line(line: LineInput, factor: FactorVersion) -> Decimal:
    if line.section == PRODUCTION:
        return production(line.quantity, line.unit, factor)
    if line.section == TRANSPORT:
        return transport(line.tonnes, line.km, factor)
    if line.section == USE:
        if line.quantity is None:
            raise CarbonError("Indiquez la consommation annuelle.", "energy_per_year")
        return use(line.quantity, line.unit, line.years, factor)
    raise CarbonError("Section inconnue : production, transport ou use.", "section")


@dataclass(frozen=True)
class Totals:
    production: Decimal
    transport: Decimal
    use: Decimal

    @property
    def total(self) -> Decimal:
        return self.production + self.transport + self.use

    def by_section(self) -> dict[str, Decimal]:
        return {PRODUCTION: self.production, TRANSPORT: self.transport, USE: self.use}


def totals(lines: Iterable[tuple[str, Decimal]]) -> Totals:
    """Sums of the (already rounded) line results, per section and overall."""
    sums = dict.fromkeys(SECTIONS, Decimal("0.000"))
    for section, kgco2e in lines:
        if section not in sums:
            raise CarbonError(f"Section inconnue : {section}.", "section")
        sums[section] += kgco2e
    return Totals(sums[PRODUCTION], sums[TRANSPORT], sums[USE])


ROUNDING_NOTE = (
    "Chaque ligne est arrondie au gramme près (0,001 kgCO2e, arrondi au plus proche) ; les totaux sont la somme "
    "des lignes arrondies. Les facteurs sont ceux valides à la date de référence de l'estimation."
)
