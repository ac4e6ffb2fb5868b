"""Pure rules about organisations: identifiers (SIREN/SIRET) and company size. No ORM, no request."""

from dataclasses import dataclass

LA_POSTE_SIREN = "356000000"


class InvalidIdentifier(ValueError):
    """A SIREN or SIRET that is not well formed; the message is in French, ready for the user."""


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_ascii_digits(value: str) -> bool:
    """str.isdigit() also accepts "²" or full-width digits, which int() rejects or the registers never use."""
    return value.isascii() and value.isdigit()


def clean_identifier(raw: str | None) -> str:
    """Remove the spaces, dots and dashes people type inside identifiers."""
    return "".join(ch for ch in (raw or "") if ch not in " \t\u00a0.-")


def validate_siren(raw: str | None) -> str:
    siren = clean_identifier(raw)
    if len(siren) != 9 or not is_ascii_digits(siren):
        raise InvalidIdentifier("Un SIREN compte exactement 9 chiffres.")
    if not luhn_valid(siren):
        raise InvalidIdentifier("Ce SIREN n'est pas valide (clé de contrôle incorrecte).")
    return siren


def siret_checksum_valid(siret: str) -> bool:
    """Luhn on the 14 digits; La Poste's establishments (SIREN 356000000) use instead a digit sum that is a
    multiple of 5, so that it can number more establishments than the Luhn key allows."""
    if siret.startswith(LA_POSTE_SIREN):
        return luhn_valid(siret) or sum(int(c) for c in siret) % 5 == 0
    return luhn_valid(siret)


def validate_siret(raw: str | None) -> str:
    """Return the 14-digit SIRET or raise InvalidIdentifier with a French message."""
    siret = clean_identifier(raw)
    if len(siret) != 14 or not is_ascii_digits(siret):
        raise InvalidIdentifier("Un SIRET compte exactement 14 chiffres (SIREN à 9 chiffres + NIC à 5 chiffres).")
    if not luhn_valid(siret[:9]):
        raise InvalidIdentifier("Ce SIRET n'est pas valide : son SIREN (9 premiers chiffres) a une clé incorrecte.")
    if not siret_checksum_valid(siret):
        raise InvalidIdentifier("Ce SIRET n'est pas valide (clé de contrôle incorrecte).")
    return siret


def is_valid_siret(raw: str | None) -> bool:
    try:
        validate_siret(raw)
    except InvalidIdentifier:
        return False
    return True


# SIRENE "tranche d'effectif salarié" codes (INSEE; domain-rules §5.3) → size category by headcount alone.
HEADCOUNT_BANDS: dict[str, tuple[str, int | None, int | None]] = {
    # code: (label, min employees, max employees)
    "NN": ("Unité non employeuse ou effectif non renseigné", None, None),
    "00": ("0 salarié", 0, 0),
    "01": ("1 ou 2 salariés", 1, 2),
    "02": ("3 à 5 salariés", 3, 5),
    "03": ("6 à 9 salariés", 6, 9),
    "11": ("10 à 19 salariés", 10, 19),
    "12": ("20 à 49 salariés", 20, 49),
    "21": ("50 à 99 salariés", 50, 99),
    "22": ("100 à 199 salariés", 100, 199),
    "31": ("200 à 249 salariés", 200, 249),
    "32": ("250 à 499 salariés", 250, 499),
    "41": ("500 à 999 salariés", 500, 999),
    "42": ("1 000 à 1 999 salariés", 1000, 1999),
    "51": ("2 000 à 4 999 salariés", 2000, 4999),
    "52": ("5 000 à 9 999 salariés", 5000, 9999),
    "53": ("10 000 salariés et plus", 10000, None),
}


def size_from_headcount_band(band: str | None) -> str:
    """Size category implied by headcount alone (décret 2008-1354: micro < 10, PME < 250, ETI < 5000),
    or "" when the band is unknown or not an employer (NN)."""
    info = HEADCOUNT_BANDS.get((band or "").strip())
    if info is None or info[1] is None:
        return ""
    upper = info[2] if info[2] is not None else info[1]
    if upper < 10:
        return "micro"
    if upper < 250:
        return "pme"
    if upper < 5000:
        return "eti"
    return "ge"


@dataclass(frozen=True)
class SizeDecision:
    category: str
    source: str

    def __iter__(self):
        return iter((self.category, self.source))


def derive_size_category(
    headcount_band: str | None, company_category: str | None, declared: str | None
) -> SizeDecision:
    """Size category of a supplier and where it comes from.

    SIRENE wins when it says something: the headcount band gives the category; INSEE's company category
    (computed at group level, so more reliable for ETI/GE) raises it when larger, and caps a band-derived
    ETI/GE at PME when INSEE classifies the company as a PME. Without SIRENE data, the declared size is used.
    """
    by_band = size_from_headcount_band(headcount_band)
    category = (company_category or "").strip().upper()
    order = ["micro", "pme", "eti", "ge"]
    if category in {"ETI", "GE"}:
        insee = category.lower()
        if not by_band or order.index(insee) > order.index(by_band):
            return SizeDecision(insee, "sirene")
        return SizeDecision(by_band, "sirene")
    if category == "PME":
        if by_band in {"micro", "pme"}:
            return SizeDecision(by_band, "sirene")
        return SizeDecision("pme", "sirene")
    if by_band:
        return SizeDecision(by_band, "sirene")
    if declared:
        return SizeDecision(declared, "declared")
    return SizeDecision("", "")
