"""Template filters for the payment pages: French amounts, rates and dates, as the rules write them."""

from decimal import Decimal

from django import template

from tremplin.payments import rules

register = template.Library()


@register.filter
def euros(value) -> str:
    return "—" if value is None or value == "" else rules.french_euros(Decimal(value))


@register.filter
def pourcent(value) -> str:
    return "—" if value is None or value == "" else rules.french_percent(Decimal(value))


@register.filter
def date_fr(value) -> str:
    return "—" if not value else rules.french_date(value)


@register.filter
def jours(value) -> str:
    return "—" if value is None or value == "" else rules.days(int(value))
