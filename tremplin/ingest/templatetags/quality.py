"""Template filters of the data-quality pages."""

from django import template

register = template.Library()


@register.filter
def entier(value) -> str:
    """An integer with French digit grouping (narrow no-break space): 1 539 892."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return ""
