"""French number formatting for pages, charts and CSV files (no locale dependency)."""

from __future__ import annotations

NBSP = "\u202f"  # narrow no-break space: the French thousands separator


def _float(value) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def number(value, digits: int = 0) -> str:
    """1234567.891 → "1 234 568"; with digits=1 → "1 234 567,9"; "—" for no value."""
    value = _float(value)
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    return text.replace(",", NBSP).replace(".", ",")


def euros(value) -> str:
    return "—" if _float(value) is None else f"{number(value)}{NBSP}€"


def euros_short(value) -> str:
    """Amounts for charts and key figures: "350 k€", "1,2 M€", "5,0 Md€"."""
    value = _float(value)
    if value is None:
        return "—"
    for threshold, suffix in ((1e9, "Md€"), (1e6, "M€"), (1e3, "k€")):
        if abs(value) >= threshold:
            scaled = value / threshold
            return f"{number(scaled, 1 if abs(scaled) < 100 else 0)}{NBSP}{suffix}"
    return f"{number(value)}{NBSP}€"


def percent(rate, digits: int = 1) -> str:
    """0.6667 → "66,7 %"; None → "—" (no known value)."""
    rate = _float(rate)
    return "—" if rate is None else f"{number(rate * 100, digits)}{NBSP}%"


def count(value) -> str:
    """Contract counts, possibly fractional (co-held contracts are split): 2.5 → "2,5"; 3.0 → "3"."""
    value = _float(value)
    if value is None:
        return "—"
    return number(value) if value == int(value) else number(value, 1)


def decimal_comma(value, digits: int = 2) -> str:
    """For CSV cells: 1234.5 → "1234,50" (no thousands separator, so spreadsheets read a number)."""
    value = _float(value)
    return "" if value is None else f"{value:.{digits}f}".replace(".", ",")
