"""Finding forecasts: what a person may see, narrowed by the public filters (shared by pages and API)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tremplin import policy
from tremplin.core.text import search_words
from tremplin.opportunities import rules
from tremplin.opportunities.models import Forecast


@dataclass(frozen=True)
class Filters:
    q: str = ""
    cpv: str = ""
    department: str = ""
    category: str = ""
    quarter: str = ""
    reserved: str = ""  # "" | "oui" (any) | an article (L2113-12…) | a short name (SIAE…)
    status: str = ""  # "" open ones | "tous" every public one | a status code
    buyer: str = ""  # SIRET


SHORT_RESERVATIONS = {short: article for article, short in rules.RESERVATION_SHORT.items()}


def visible_forecasts(user) -> QuerySet:
    return Forecast.objects.filter(policy.visible_forecasts_filter(user))


def public_forecasts(filters: Filters) -> QuerySet:
    """Published forecasts (never drafts), filtered; ordered by target publication."""
    queryset = Forecast.objects.public()
    if filters.status in ("", "open"):
        queryset = queryset.open()
    elif filters.status != "tous":
        queryset = queryset.filter(status=filters.status)  # "draft" or an unknown status: nothing
    for word in search_words(filters.q):
        queryset = queryset.filter(search_text__contains=word)
    if prefix := rules.cpv_prefix(filters.cpv):
        matching = Forecast.objects.filter(
            Q(cpv__code__startswith=prefix)
            | Q(cpv_secondary__code__startswith=prefix)
            | Q(lots__cpv__code__startswith=prefix)
        )
        queryset = queryset.filter(pk__in=matching.values("pk"))
    if filters.department:
        code = rules.normalise_department(filters.department)
        matching = Forecast.objects.filter(Q(departments=code) | Q(communes__department=code))
        queryset = queryset.filter(pk__in=matching.values("pk"))
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.quarter:
        try:
            queryset = queryset.filter(publication_quarter=rules.parse_quarter(filters.quarter))
        except rules.RuleError:
            queryset = queryset.none()
    if filters.reserved:
        article = SHORT_RESERVATIONS.get(filters.reserved, filters.reserved)
        if article in rules.RESERVATIONS:
            queryset = queryset.filter(reserved_articles__contains=article)
        else:
            queryset = queryset.exclude(reserved_articles="")
    if filters.buyer:
        queryset = queryset.filter(buyer__siret=filters.buyer)
    return queryset.select_related("buyer", "cpv").order_by("publication_quarter", "publication_target_date", "pk")
