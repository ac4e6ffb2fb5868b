"""Pure rules on reference codes: CPV normalisation and hierarchy, NAF code forms. No database access.

About the CPV check digit: the ninth digit of a CPV code is *not* derivable by one formula from the
eight others. `sum(d × w) mod 10` with weights 3, 7, 1, 3, 7, 1, 3, 7 gives the published digit for
8,922 of the 9,454 codes of CPV 2008; the 532 others sit in whole sub-trees (033*, 034*, 09*, 421*,
722*…) that kept the digit of an earlier version. So the check digit is stored from the official file,
never computed, and a check digit given by a user is dropped, not verified.
"""

import re

CPV_LEVEL_SLUGS = {1: "division", 2: "groupe", 3: "classe", 4: "categorie", 5: "sous-categorie"}
"""CPV level number → the French name used in the source file and by the API."""
NAF_LEVEL_SLUGS = {1: "section", 2: "division", 3: "groupe", 4: "classe", 5: "sous-classe"}

_CPV_IGNORED = re.compile(r"[\s.]+")  # any whitespace, non-breaking spaces included
_CPV_FORM = re.compile(r"(\d+)(?:-(\d))?", re.ASCII)


class CpvCodeError(ValueError):
    """A CPV code that cannot be read; the message is in French, for end users."""


class NafCodeError(ValueError):
    """A NAF code that cannot be read; the message is in French, for end users."""


def split_cpv(raw: object) -> tuple[str, str | None]:
    """The 8-digit code and the check digit given with it (None when absent).

    Accepted forms: ``45000000-7``, ``450000007`` (9 digits = 8 + check digit), ``45000000``, spaces and
    dots anywhere (``45 00 00 00-7``, ``45.000.000``), and 2 to 7 digits, right-padded with zeros as the
    DECP pipelines do (``4500000`` → ``45000000``). Beware: a code that lost a *leading* zero in a
    spreadsheet (``3000000`` for ``03000000``) is padded on the right too, like in DECP.
    """
    text = _CPV_IGNORED.sub("", "" if raw is None else str(raw))
    if not text:
        raise CpvCodeError("Code CPV vide.")
    match = _CPV_FORM.fullmatch(text)
    if match is None:
        raise CpvCodeError(
            f"Code CPV invalide « {raw} » : 8 chiffres attendus, éventuellement suivis de « -chiffre de contrôle »."
        )
    digits, check_digit = match.groups()
    if len(digits) == 9 and check_digit is None:
        digits, check_digit = digits[:8], digits[8]
    if len(digits) > 8:
        raise CpvCodeError(f"Code CPV invalide « {raw} » : trop de chiffres ({len(digits)}), 8 attendus.")
    if len(digits) < 2:
        raise CpvCodeError(f"Code CPV invalide « {raw} » : au moins les 2 chiffres de la division sont attendus.")
    return digits.ljust(8, "0"), check_digit


def normalize_cpv(raw: object) -> str:
    """The 8-digit CPV code (check digit dropped) of any accepted input form; see `split_cpv`.

    >>> normalize_cpv("45000000-7"), normalize_cpv("4500000"), normalize_cpv("452 100 00")
    ('45000000', '45000000', '45210000')
    """
    return split_cpv(raw)[0]


def cpv_significant_digits(code: str) -> str:
    """The prefix shared by a code and all its descendants: the code without trailing zeros, at least the
    2 digits of the division (``45210000`` → ``4521``, ``30000000`` → ``30``)."""
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]


def cpv_level(code: str) -> int:
    """Level from the trailing zeros: XX000000 division (1), XXX00000 group (2), XXXX0000 class (3),
    XXXXX000 category (4), anything longer sub-category (5)."""
    return min(max(len(cpv_significant_digits(code)) - 1, 1), 5)


def cpv_ancestor_candidates(code: str) -> list[str]:
    """Every shorter prefix-code of `code` padded with zeros, nearest first (``45214200`` → ``45214000``,
    ``45210000``, ``45200000``, ``45000000``). Which of them exist depends on the vocabulary: the
    ancestors are the existing ones, the parent the first existing one."""
    significant = cpv_significant_digits(code)
    return [significant[:n].ljust(8, "0") for n in range(len(significant) - 1, 1, -1)]


def cpv_parent(code: str, existing: set[str] | frozenset[str]) -> str | None:
    """The nearest existing ancestor of `code` among `existing` codes, None for a division (or an orphan)."""
    return next((candidate for candidate in cpv_ancestor_candidates(code) if candidate in existing), None)


_NAF_SECTION = re.compile(r"[A-U]", re.ASCII)
_NAF_NUMERIC = re.compile(r"(\d{2})(?:\.?(\d)(\d)?([A-Z])?)?", re.ASCII)


def normalize_naf(raw: object) -> str:
    """The canonical NAF rév. 2 code of any level: section ``J``, division ``62``, group ``62.0``,
    class ``62.01``, sub-class ``62.01Z``. Accepts lower case, spaces and a missing dot (``6201z``).

    >>> normalize_naf("6201z"), normalize_naf(" 62.0 "), normalize_naf("j")
    ('62.01Z', '62.0', 'J')
    """
    text = re.sub(r"\s+", "", "" if raw is None else str(raw)).upper()
    if not text:
        raise NafCodeError("Code NAF vide.")
    if _NAF_SECTION.fullmatch(text):
        return text
    match = _NAF_NUMERIC.fullmatch(text)
    if match is None or (match[4] and not match[3]):
        raise NafCodeError(
            f"Code NAF invalide « {raw} » : attendu une section (J), une division (62), un groupe (62.0), "
            "une classe (62.01) ou une sous-classe (62.01Z)."
        )
    division, group_digit, class_digit, letter = match.groups()
    if group_digit is None:
        return division
    return f"{division}.{group_digit}{class_digit or ''}{letter or ''}"


def naf_level(code: str) -> int:
    """1 section, 2 division, 3 group, 4 class, 5 sub-class, for a canonical code."""
    if _NAF_SECTION.fullmatch(code):
        return 1
    return {2: 2, 4: 3, 5: 4, 6: 5}[len(code)]
