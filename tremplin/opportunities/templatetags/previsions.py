"""Template helpers of the forecast pages: amounts in euros, status badges, reservation names."""

from django import template

from tremplin.opportunities import rules

register = template.Library()

STATUS_BADGES = {
    rules.DRAFT: "neutral",
    rules.PUBLISHED: "success",
    rules.IN_CONSULTATION: "warning",
    rules.AWARDED: "neutral",
    rules.ABANDONED: "error",
}


@register.filter
def euros(amount) -> str:
    """12345.5 → "12 345,50 €"; whole amounts without cents ("480 000 €")."""
    if amount in (None, ""):
        return ""
    text = rules.format_euros(amount)
    return text.replace(",00\u202f€", "\u202f€")


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "neutral")


@register.filter
def reservation_short(article: str) -> str:
    return rules.RESERVATION_SHORT.get(article, article)


@register.filter
def reservation_label(article: str) -> str:
    return rules.RESERVATIONS.get(article, article)


@register.filter
def category_label(code: str) -> str:
    return rules.CATEGORIES.get(code, "")


@register.filter
def quarter(code: str) -> str:
    """ "2027-T1" → "1er trimestre 2027"."""
    try:
        return rules.quarter_label(rules.parse_quarter(code)) if code else ""
    except rules.RuleError:
        return code
