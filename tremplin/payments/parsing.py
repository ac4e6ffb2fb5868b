"""Reading amounts and dates as people type them in France ("12 000,50 €", "02/09/2025"). Pure functions."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


class ParseError(ValueError):
    """The message is in French, ready for the user."""


def parse_amount(raw: str) -> Decimal:
    """ "12 000,50 €" / "12000.50" / "1.234,56" / "1,234.56" → Decimal; at most two decimals."""
    text = "".join(ch for ch in raw.strip() if ch not in " \u00a0\u202f€'")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "")
    text = text.replace(",", ".")
    if not AMOUNT.match(text):
        raise ParseError(f"« {raw.strip()} » n'est pas un montant (par exemple 12 000,50).")
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern already guarantees a number
        raise ParseError(f"« {raw.strip()} » n'est pas un montant.") from error


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
