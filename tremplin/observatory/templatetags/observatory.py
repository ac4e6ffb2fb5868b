"""Template filters of the observatory: French numbers, amounts, rates."""

from django import template

from tremplin.observatory import formatting

register = template.Library()


@register.filter
def euros(value) -> str:
    return formatting.euros(value)


@register.filter
def euros_court(value) -> str:
    return formatting.euros_short(value)


@register.filter
def nombre(value) -> str:
    return formatting.count(value)


@register.filter
def pourcent(rate) -> str:
    return formatting.percent(rate)
