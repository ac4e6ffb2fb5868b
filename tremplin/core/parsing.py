"""Reading amounts, numbers and dates as people type them in France ("12 000,50 €", "0,0961", "02/09/2025"), in
forms and imported files alike. Pure functions."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


class ParseError(ValueError):
    """The message is in French, ready for the user."""


def _plain_number(raw: str, ignored: str) -> str:
    """Spaces (and `ignored` characters) removed; of "," and ".", the last one is the decimal mark."""
    text = "".join(ch for ch in raw.strip() if ch not in ignored)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "")
    return text.replace(",", ".")


def parse_amount(raw: str) -> Decimal:
    """ "12 000,50 €" / "12000.50" / "1.234,56" / "1,234.56" → Decimal; at most two decimals."""
    text = _plain_number(raw, " \u00a0\u202f€'")
    if not AMOUNT.match(text):
        raise ParseError(f"« {raw.strip()} » n'est pas un montant (par exemple 12 000,50).")
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern already guarantees a number
        raise ParseError(f"« {raw.strip()} » n'est pas un montant.") from error


def parse_decimal(raw: str) -> Decimal:
    """ "0,0961" / "1 234,5" / "1.2E-02" → Decimal, any number of decimals."""
    text = _plain_number(raw, " \u00a0\u202f")
    if not NUMBER.match(text):
        raise ParseError(f"« {raw.strip()} » n'est pas un nombre (par exemple 0,0961).")
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern guarantees a number
        raise ParseError(f"« {raw.strip()} » n'est pas un nombre.") from error


def parse_date(raw: str) -> date:
    text = raw.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ParseError(f"« {text} » n'est pas une date valide (JJ/MM/AAAA, par exemple 02/09/2025).")


def parse_days(raw: str) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):
        raise ParseError(f"« {text} » n'est pas un nombre entier de jours.")
    return int(text)
