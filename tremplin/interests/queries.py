"""Reading the funnel: the counts a buyer sees, the interested companies, a company's followed opportunities."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from tremplin.interests import rules
from tremplin.interests.models import Interest, Thread
from tremplin.opportunities.models import Lot

STEPS = [
    ("notified", "Notifiées"),
    ("viewed", "Ont consulté"),
    ("following", "Suivent"),
    ("interested", "Intéressées"),
    ("not_interested", "Pas intéressées"),
]


def funnel(**lookup) -> dict:
    """Counts per step for `forecast=` or `notice=`, and the reasons of the companies not interested."""
    rows = Interest.objects.filter(**lookup)
    counts = rows.aggregate(
        notified=Count("pk", filter=Q(notified_at__isnull=False)),
        viewed=Count("pk", filter=Q(viewed_at__isnull=False)),
        following=Count("pk", filter=Q(followed_at__isnull=False)),
        interested=Count("pk", filter=Q(interested_at__isnull=False)),
        not_interested=Count("pk", filter=Q(not_interested_at__isnull=False)),
    )
    reasons = dict(
        rows.filter(not_interested_at__isnull=False).values_list("reason").annotate(n=Count("pk")).order_by()
    )
    return {
        "steps": [{"key": key, "label": label, "count": counts[key]} for key, label in STEPS],
        "counts": counts,
        "reasons": [
            {"key": key, "label": label, "count": reasons[key]}
            for key, label in rules.REASONS.items()
            if key in reasons
        ],
    }


def interested(**lookup):
    """The interested companies of `forecast=` or `notice=`, latest first, with their lots."""
    return (
        Interest.objects.filter(interested_at__isnull=False, **lookup)
        .select_related("organisation__department")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("number")))
        .order_by("-interested_at", "pk")
    )


def threads_by_organisation(forecast) -> dict[int, Thread]:
    threads = Thread.objects.filter(forecast=forecast).annotate(n=Count("messages"))
    return {thread.organisation_id: thread for thread in threads}


def followed_by(organisations):
    """The rows of these companies: every opportunity they follow or answered, or were notified of."""
    answered = (
        Q(followed_at__isnull=False)
        | Q(interested_at__isnull=False)
        | Q(not_interested_at__isnull=False)
        | Q(notified_at__isnull=False)
    )
    return (
        Interest.objects.filter(answered, organisation__in=organisations)
        .select_related("organisation", "forecast__buyer", "notice")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("number")))
        .order_by("-updated_at", "pk")
    )
