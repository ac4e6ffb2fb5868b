"""French number formatting for the carbon pages."""

from decimal import Decimal

from django import template
from django.utils import numberformat

from tremplin.carbon import rules

register = template.Library()


def french_number(value, decimals: int | None = None) -> str:
    if value is None or value == "":
        return "—"
    number = Decimal(value)
    if decimals is None:
        number = number.normalize()
        decimals = max(0, -number.as_tuple().exponent)
    text = numberformat.format(
        number, ",", decimal_pos=decimals, grouping=3, thousand_sep="\u202f", force_grouping=True
    )
    return text


@register.filter
def nombre(value) -> str:
    """A number with all its significant decimals: 0,0961 · 1 200,5."""
    return french_number(value)


@register.filter
def kgco2e(value) -> str:
    """An emission in kgCO2e, to the gram: 1 234,568 kgCO2e."""
    return f"{french_number(value, 3)}\u00a0kgCO2e"


@register.filter
def tco2e(value) -> str:
    """An emission in tonnes CO2e, 3 decimals: 1,235 tCO2e."""
    if value is None:
        return "—"
    return f"{french_number(Decimal(value) / 1000, 3)}\u00a0tCO2e"


@register.filter
def unite(code) -> str:
    return rules.unit_label(code)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
