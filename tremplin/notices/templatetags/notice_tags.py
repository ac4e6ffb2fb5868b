"""Template filters of the notice pages."""

from django import template

from tremplin.notices.presenters import format_amount

register = template.Library()


@register.filter
def amount(value, currency="EUR") -> str:
    """``{{ notice.estimated_value|amount:notice.currency }}`` → ``855 500 €``; "Non renseignée" without a value."""
    return format_amount(value, currency) or "Non renseigné"
