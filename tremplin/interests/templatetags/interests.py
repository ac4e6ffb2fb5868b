"""`{% interest_panel forecast=… %}` / `{% interest_panel notice=… %}`: the interest panel of a page."""

from django import template

from tremplin.interests.panels import panel_context
from tremplin.interests.services import for_forecast, for_notice

register = template.Library()


@register.inclusion_tag("interests/includes/panel.html", takes_context=True)
def interest_panel(context, forecast=None, notice=None):
    request = context.get("request")
    if request is None or (forecast is None and notice is None):
        return {"hidden": True}
    opportunity = for_forecast(forecast) if forecast is not None else for_notice(notice)
    return {**panel_context(request, opportunity), "csrf_token": context.get("csrf_token"), "request": request}
