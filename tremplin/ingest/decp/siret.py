"""SIRET / SIREN check digits (Luhn), with the La Poste exception."""

from __future__ import annotations

from functools import lru_cache

LA_POSTE_SIREN = "356000000"
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # digit × 2, digits summed


def luhn_ok(digits: str) -> bool:
    """Luhn check on a string of digits (doubling every second digit from the right)."""
    reverse = digits[::-1]
    total = sum(map(int, reverse[0::2])) + sum(_DOUBLED[int(c)] for c in reverse[1::2])
    return total % 10 == 0


@lru_cache(maxsize=1 << 20)  # ~200,000 holders and 27,000 buyers nationally
def siret_is_valid(value: str) -> bool:
    """True when ``value`` is 14 digits with a valid check digit.

    La Poste's establishments (SIREN 356000000) cannot all satisfy Luhn: INSEE accepts them
    when the sum of the 14 digits is a multiple of 5 (its head office, 35600000000048,
    satisfies Luhn). Same rule as ``tremplin.organisations.rules.siret_checksum_valid``.
    """
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if luhn_ok(value):
        return True
    return value.startswith(LA_POSTE_SIREN) and sum(ord(c) - 48 for c in value) % 5 == 0


def siren_is_valid(value: str) -> bool:
    """True when ``value`` is 9 digits with a valid Luhn check digit."""
    return len(value) == 9 and value.isascii() and value.isdigit() and luhn_ok(value)
