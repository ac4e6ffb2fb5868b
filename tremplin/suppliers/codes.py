"""Reading the codes people type (CPV, NAF, departments, regions) and checking them against the reference
tables. Shared by the forms and the API, so that both refuse the same input with the same French message."""

from __future__ import annotations

import re

from tremplin.referentials.models import CpvCode, Department, NafCode, Region
from tremplin.referentials.rules import CpvCodeError, NafCodeError, normalize_cpv, normalize_naf
from tremplin.suppliers.errors import ProfileError

_LEADING_CODE = re.compile(r"\s*([0-9][0-9 .\u00a0]*(?:-\s*[0-9])?)(?![0-9])")
_SEPARATORS = re.compile(r"[\s,;]+")


def resolve_cpv(raw: str | None, field: str = "cpv") -> CpvCode | None:
    """The CPV code typed as `45210000`, `45210000-2`, `4521 0000` or picked from a list as
    `45210000-2 Travaux de construction de bâtiments`; None when blank."""
    text = (raw or "").strip()
    if not text:
        return None
    match = _LEADING_CODE.match(text)
    if match is None:
        raise ProfileError(
            "Indiquez un code CPV en chiffres (par ex. 45210000) ; pour le trouver à partir de mots, utilisez la "
            "recherche de codes CPV.",
            field,
        )
    try:
        code = normalize_cpv(match.group(1))
    except CpvCodeError as error:
        raise ProfileError(str(error), field) from error
    cpv = CpvCode.objects.filter(code=code).first()
    if cpv is None:
        raise ProfileError(f"Le code CPV {code} n'existe pas dans la nomenclature CPV 2008.", field)
    return cpv


def resolve_naf(raw: str | None, field: str = "naf") -> NafCode | None:
    """The NAF rév. 2 code typed as `62.01Z`, `6201z`, `62.01`… (its label after it is ignored); None when blank."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        code = normalize_naf(text.split()[0])
    except NafCodeError as error:
        raise ProfileError(str(error), field) from error
    naf = NafCode.objects.filter(code=code).first()
    if naf is None:
        raise ProfileError(f"Le code NAF {code} n'existe pas dans la nomenclature NAF rév. 2.", field)
    return naf


def split_codes(raw: str | list[str] | None) -> list[str]:
    """Codes typed in one field ("69, 42 01") or given as a list, upper-cased, each once, in order."""
    items = raw if isinstance(raw, list) else _SEPARATORS.split(raw or "")
    codes = []
    for item in items:
        code = str(item).strip().upper()
        if code.isdigit() and len(code) == 1:
            code = "0" + code  # "1" for Ain (01)
        if code and code not in codes:
            codes.append(code)
    return codes


def _plural(codes: list[str], singular: str, plural: str) -> str:
    return (plural if len(codes) > 1 else singular) + " " + ", ".join(codes)


def resolve_departments(raw: str | list[str] | None, field: str = "departments") -> list[Department]:
    codes = split_codes(raw)
    found = Department.objects.in_bulk(codes)
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ProfileError(
            _plural(unknown, "Code de département inconnu :", "Codes de département inconnus :")
            + ". Indiquez les codes INSEE (par ex. 69, 2A, 974), séparés par des virgules.",
            field,
        )
    return [found[code] for code in codes]


def resolve_regions(raw: str | list[str] | None, field: str = "regions") -> list[Region]:
    codes = split_codes(raw)
    found = Region.objects.in_bulk(codes)
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ProfileError(_plural(unknown, "Code de région inconnu :", "Codes de région inconnus :") + ".", field)
    return [found[code] for code in codes]
