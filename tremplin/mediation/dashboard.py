"""The mediators' dashboard: a mediator's open cases with their deadlines, overdue first contacts first; for staff,
the cases waiting for a mediator and every overdue first contact."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from tremplin import policy
from tremplin.mediation import conf, rules, services
from tremplin.mediation.models import Case

RECENTLY_CLOSED = 10


@dataclass(frozen=True)
class Row:
    case: Case
    deadlines: list[rules.Deadline]

    @property
    def next_deadline(self) -> rules.Deadline | None:
        """The earliest deadline still to meet (overdue ones included)."""
        waiting = [d for d in self.deadlines if d.state in {rules.PENDING, rules.OVERDUE}]
        return min(waiting, key=lambda d: d.due, default=None)

    @property
    def is_overdue(self) -> bool:
        return any(d.state == rules.OVERDUE for d in self.deadlines)


def rows_of(cases, today=None) -> list[Row]:
    """The cases with their deadlines, in the given order."""
    today = today or timezone.localdate()
    return [Row(case, services.deadlines_for(case, today)) for case in cases]


def _urgent_first(cases, today) -> list[Row]:
    rows = rows_of(cases, today)
    return sorted(rows, key=lambda row: (not row.is_overdue, row.next_deadline.due if row.next_deadline else today))


def build(user, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    cases = services.case_queryset()
    mine = cases.filter(mediator=user)
    rows = _urgent_first(mine.filter(status__in=rules.OPEN_STATUSES), today)
    context = {
        "rows": rows,
        "counts": {
            "open": len(rows),
            "to_accept": sum(1 for row in rows if row.case.status == rules.FILED),
            "in_mediation": sum(1 for row in rows if row.case.status == rules.IN_MEDIATION),
            "overdue": sum(1 for row in rows if row.is_overdue),
        },
        "recently_closed": rows_of(
            mine.filter(status__in=rules.CLOSED_STATUSES).order_by("-closed_at")[:RECENTLY_CLOSED], today
        ),
        "first_contact_days": conf.first_contact_days(),
        "is_mediator": user.mediator_region_id is not None,
        "is_staff": policy.is_platform_staff(user),
    }
    if context["is_staff"]:
        open_cases = cases.filter(status__in=rules.OPEN_STATUSES)
        context["unassigned"] = _urgent_first(open_cases.filter(mediator__isnull=True), today)
        context["overdue_everywhere"] = _urgent_first(
            open_cases.filter(services.overdue_first_contact_filter(now)).exclude(mediator__isnull=True), today
        )
    return context
