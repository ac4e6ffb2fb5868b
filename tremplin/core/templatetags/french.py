"""French text helpers for templates."""

from django import template

register = template.Library()


@register.filter
def pluriel(count, suffixes: str = "s") -> str:
    """French plural, where 0 and 1 are singular.

    `{{ n }} acheteur{{ n|pluriel }}`; with "singular,plural" suffixes: `{{ n }} journ{{ n|pluriel:"al,aux" }}`."""
    singular, _, plural = suffixes.rpartition(",")
    try:
        many = abs(int(count)) >= 2
    except (TypeError, ValueError):
        try:
            many = len(count) >= 2
        except TypeError:
            return singular
    return plural if many else singular
