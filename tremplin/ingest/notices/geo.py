"""Places of French notices: NUTS code → department and region, postcode → department,
department → time zone.

The NUTS table (``nuts_fr``) covers the NUTS 3 codes of both generations in use in the
notices (2006–2013 codes in BOAMP 2017, 2016/2021 codes in TED and eForms). A shorter code
(NUTS 1 or 2) gives a region when every department under it is in the same region (FRK2
Rhône-Alpes → 84; FR8 Méditerranée spans three regions → none), and a department when it
has a single NUTS 3 (FRY1 → 971).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .nuts_fr import NUTS3_FR

_POSTCODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")

# Overseas departments and collectivities: time zone of the wall-clock times they publish.
_OVERSEAS_TZ = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "975": "America/Miquelon",
    "976": "Indian/Mayotte",
    "977": "America/St_Barthelemy",
    "978": "America/Marigot",
    "986": "Pacific/Wallis",
    "987": "Pacific/Tahiti",
    "988": "Pacific/Noumea",
}
PARIS_TZ = "Europe/Paris"


def clean_nuts(value: str | None) -> str | None:
    """Upper-case NUTS code without spaces, or None when it does not look like one."""
    if not value:
        return None
    code = "".join(value.split()).upper()
    if 2 <= len(code) <= 5 and code[:2].isalpha() and code.isalnum():
        return code
    return None


@lru_cache(maxsize=1024)
def nuts_place(code: str | None) -> tuple[str | None, str | None]:
    """(department, region) INSEE codes for a French NUTS code, as far as it determines them."""
    code = clean_nuts(code)
    if not code or not code.startswith("FR"):
        return None, None
    if code in NUTS3_FR:
        return NUTS3_FR[code]
    matches = {value for key, value in NUTS3_FR.items() if key.startswith(code)}
    if not matches:
        return None, None
    departments = {dep for dep, _ in matches}
    regions = {reg for _, reg in matches}
    return (
        next(iter(departments)) if len(departments) == 1 else None,
        next(iter(regions)) if len(regions) == 1 else None,
    )


def postcode_department(postcode: str | None) -> str | None:
    """Department of a French postcode (CEDEX codes included): the first two digits, three
    overseas (97x, 98x), Corsica split at 20200 (200xx–201xx Corse-du-Sud, 202xx–206xx
    Haute-Corse). None when no 5-digit code is found, or for 00xxx / 99xxx."""
    if not postcode:
        return None
    match = _POSTCODE.search(postcode)
    if not match:
        return None
    code = match.group(1)
    if code.startswith("20"):
        return "2A" if code < "20200" else "2B"
    if code[:2] in ("97", "98"):
        return code[:3]
    if code[:2] in ("00", "99"):
        return None
    return code[:2]


def department_tz(department: str | None) -> str:
    """IANA time zone of the wall-clock times published by a French buyer."""
    return _OVERSEAS_TZ.get(department or "", PARIS_TZ)


DEPARTMENT_REGION: dict[str, str] = {dep: reg for dep, reg in NUTS3_FR.values()}


def department_region(department: str | None) -> str | None:
    """INSEE region of a department (the 101 departments of the NUTS table)."""
    return DEPARTMENT_REGION.get(department or "")
