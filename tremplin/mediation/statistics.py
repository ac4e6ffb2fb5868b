"""Anonymised statistics on mediation cases, for the public page, the API and the observatory.

Only counts by category, region and outcome, and the median duration of closed cases: no names, no SIRETs, no
amounts, no free text. Any count below rules.MIN_CELL_SIZE (3) is suppressed, and a second cell when a single
suppressed one could be recomputed from the total."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from tremplin.mediation import rules
from tremplin.mediation.models import Case
from tremplin.referentials.models import Region

UNKNOWN_REGION = "unknown"
OPEN = "open"
OUTCOME_LABELS = {
    OPEN: rules.OPEN_LABEL,
    rules.AGREEMENT: rules.STATUS_LABELS[rules.AGREEMENT],
    rules.FAILURE: rules.STATUS_LABELS[rules.FAILURE],
    rules.DECLINED: rules.STATUS_LABELS[rules.DECLINED],
    rules.WITHDRAWN: rules.STATUS_LABELS[rules.WITHDRAWN],
}


@dataclass(frozen=True)
class StatisticsFilters:
    year: int | None = None  # year of filing
    region: str | None = None  # INSEE code of the buyer's region
    category: str | None = None

    @classmethod
    def from_mapping(cls, data: dict | None) -> StatisticsFilters:
        data = data or {}
        year = data.get("year")
        return cls(
            year=int(year) if year not in (None, "") else None,
            region=(data.get("region") or None),
            category=(data.get("category") or None),
        )

    def as_dict(self) -> dict:
        return {"year": self.year, "region": self.region, "category": self.category}


@dataclass(frozen=True)
class Statistics:
    filters: StatisticsFilters
    total: int | None
    by_category: list[rules.Cell]
    by_region: list[rules.Cell]
    by_outcome: list[rules.Cell]
    closed: int | None
    median_duration_days: float | None
    min_cell_size: int = rules.MIN_CELL_SIZE


def filing_years() -> list[int]:
    """The years in which cases were filed, most recent first (the choices of the year filter)."""
    return sorted({moment.year for moment in Case.objects.dates("filed_at", "year")}, reverse=True)


def _filtered(filters: StatisticsFilters):
    cases = Case.objects.all()
    if filters.year:
        cases = cases.filter(filed_at__year=filters.year)
    if filters.region:
        cases = cases.filter(region_id=filters.region)
    if filters.category:
        cases = cases.filter(category=filters.category)
    return cases


def _counts(cases, field: str) -> dict[str, int]:
    return {key or UNKNOWN_REGION: n for key, n in cases.values_list(field).annotate(n=Count("pk")).order_by()}


def region_labels() -> dict[str, str]:
    """Every region, with or without cases (listing only those with cases would tell where the rare ones are)."""
    labels = dict(Region.objects.order_by("code").values_list("code", "name"))
    labels[UNKNOWN_REGION] = "Région inconnue"
    return labels


def mediation_statistics(filters: StatisticsFilters | dict | None = None) -> Statistics:
    """Counts by category, region (the buyer's) and outcome, and the median duration in days from filing to closing,
    for the cases matching `filters` (year of filing, region code, category)."""
    if not isinstance(filters, StatisticsFilters):
        filters = StatisticsFilters.from_mapping(filters)
    cases = _filtered(filters)
    total = cases.count()
    shown_total = rules.suppressed_total(total)
    statuses = _counts(cases, "status")
    outcomes = {OPEN: sum(n for status, n in statuses.items() if status in rules.OPEN_STATUSES)}
    outcomes.update({status: n for status, n in statuses.items() if status in rules.CLOSED_STATUSES})
    regions = _counts(cases, "region_id")
    labels = region_labels()
    if filters.region:
        labels = {code: name for code, name in labels.items() if code == filters.region}
    closed = cases.filter(status__in=rules.CLOSED_STATUSES, closed_at__isnull=False)
    durations = [(end - start).days for start, end in closed.values_list("filed_at", "closed_at")]
    return Statistics(
        filters=filters,
        total=shown_total,
        by_category=rules.suppress_small_cells(
            _counts(cases, "category"), rules.CATEGORY_LABELS, shown_total is not None
        ),
        by_region=rules.suppress_small_cells(regions, labels, shown_total is not None),
        by_outcome=rules.suppress_small_cells(outcomes, OUTCOME_LABELS, shown_total is not None),
        closed=rules.suppressed_total(len(durations)),
        median_duration_days=rules.median_days(durations),
    )
