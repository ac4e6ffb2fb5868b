"""The suppliers ranked for a forecast, for the short panel at the bottom of its page."""

from django import template

from tremplin.matching import services

register = template.Library()

PANEL_SIZE = 3


@register.simple_tag
def top_suppliers(forecast, count: int = PANEL_SIZE):
    """The best suppliers for the forecast as a whole (an empty list when matching is not possible)."""
    return services.search_suppliers(services.query_for_forecast(forecast), limit=count)
