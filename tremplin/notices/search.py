"""Searching published notices: the filters of the list page and of ``GET /api/v1/notices`` (one form validates
both, ``forms.NoticeSearchForm``) applied to the notices, in their order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F
from django.utils import timezone

from tremplin.core.text import search_words
from tremplin.notices.models import Kind, Notice

SHOW_OPEN = "open"
SHOW_ALL = "all"
SHOW_CHOICES = [
    (SHOW_OPEN, "Consultations ouvertes"),
    (SHOW_ALL, "Tous les avis"),
    (Kind.COMPETITION, "Consultations, ouvertes ou closes"),
    (Kind.AWARD, "Attributions"),
    (Kind.PRIOR_INFORMATION, "Préinformations"),
    (Kind.CORRECTION, "Rectificatifs"),
    (Kind.CANCELLATION, "Annulations"),
    (Kind.MODIFICATION, "Modifications de marché"),
]


@dataclass(frozen=True)
class NoticeFilters:
    show: str = SHOW_OPEN
    q: str = ""
    cpv: str = ""  # a prefix of digits (rules.cpv_prefix)
    department: str = ""
    deadline_from: date | None = None
    deadline_to: date | None = None
    procedure: str = ""
    reserved: bool = False

    @classmethod
    def from_cleaned(cls, data: dict) -> NoticeFilters:
        return cls(
            show=data.get("show") or SHOW_OPEN,
            q=(data.get("q") or "").strip(),
            cpv=data.get("cpv") or "",
            department=data.get("department") or "",
            deadline_from=data.get("deadline_from"),
            deadline_to=data.get("deadline_to"),
            procedure=data.get("procedure") or "",
            reserved=bool(data.get("reserved")),
        )


def search_notices(filters: NoticeFilters, now=None):
    """The notices matching ``filters``: open calls by nearest deadline first, other lists by latest publication
    first. Each notice carries ``cancelled`` (for ``Notice.is_open``) and its buyer."""
    notices = Notice.objects.select_related("buyer").with_cancelled()
    if filters.show == SHOW_OPEN:
        notices = notices.open(now or timezone.now())
    elif filters.show != SHOW_ALL:
        notices = notices.filter(kind=filters.show)
    for word in search_words(filters.q):
        notices = notices.filter(search_text__contains=word)
    if filters.cpv:
        notices = notices.with_cpv_prefixes([filters.cpv])
    if filters.department:
        notices = notices.filter(place_department=filters.department)
    if filters.deadline_from:
        notices = notices.filter(deadline_date__gte=filters.deadline_from)
    if filters.deadline_to:
        notices = notices.filter(deadline_date__lte=filters.deadline_to)
    if filters.procedure:
        notices = notices.filter(procedure=filters.procedure)
    if filters.reserved:
        notices = notices.filter(is_reserved=True)
    if filters.show == SHOW_OPEN:
        return notices.order_by("deadline_date", F("deadline_at").asc(nulls_last=True), "id")
    return notices.order_by(F("publication_date").desc(nulls_last=True), "-id")
