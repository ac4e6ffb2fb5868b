"""Clause uptake: the share of awarded contracts and of published purchase forecasts that carry social or
environmental considerations.

Contracts (DECP). The 2024 format (arrêté of 22 December 2022, in force for contracts notified from 1 January
2024) carries `considerationsSociales` (Clause sociale, Critère social, Marché réservé…) and
`considerationsEnvironnementales` (Clause environnementale, Critère environnemental); "Pas de considération…" is
stored as an empty list. The 2019 format has no such field. Hence three statuses (`consideration_status`):
1 (at least one consideration), 0 (a record that carries the field and declares none), None (not reported: a
2019-format record, or a consolidated tabular record notified before 2024). "Not reported" is counted apart,
never as "no": `rate` = yes / (yes + no) and `coverage` = (yes + no) / contracts.

The flags are computed once per contract when the observatory snapshot is built (`snapshot.py`), so that uptake
over 1.5 M contracts is one GROUP BY in DuckDB. Forecasts (a few thousand at most) are counted in the database:
their two booleans are ticked by the buyer, so an unticked box counts as "no".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from tremplin.observatory import queries, snapshot
from tremplin.observatory.filters import Filters

FORMATS_2024 = frozenset({"2024", "2022"})  # "2022": the arrêté's year, used by some sources for the same format
TABULAR_FORMAT = "tabular"
FORMAT_2024_FROM = date(2024, 1, 1)  # contracts notified from this day are published in the 2024 format

BY_CHOICES = ("year", "region", "department", "cpv_division")
BY_LABELS = {
    "year": "Année de notification",
    "region": "Région",
    "department": "Département",
    "cpv_division": "Secteur (division CPV)",
}
COLUMNS = {  # facts columns, fixed here: never taken from the request
    "year": "year",
    "region": "territory_region",
    "department": "territory_department",
    "cpv_division": "cpv_division",
}
UNKNOWN_LABELS = {
    "year": "Date inconnue",
    "region": "Territoire inconnu",
    "department": "Département inconnu",
    "cpv_division": "CPV non renseigné",
}


# ---------------------------------------------------------------- the rule (pure)


def _values(raw) -> list:
    if raw is None:
        return []
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return []
        try:
            raw = json.loads(text)
        except ValueError:
            return [text]
    if isinstance(raw, (list, tuple)):
        return [value for value in raw if value not in (None, "")]
    return [raw] if raw else []


def consideration_status(raw_values, contract_format: str | None, notified: date | None) -> int | None:
    """1: at least one consideration; 0: the record carries the field and declares none; None: not reported.

    `raw_values`: the stored list (or its JSON text); `contract_format`: "2019", "2024" or "tabular"."""
    if _values(raw_values):
        return 1
    if (contract_format or "") in FORMATS_2024:
        return 0
    if contract_format == TABULAR_FORMAT and notified is not None and notified >= FORMAT_2024_FROM:
        return 0
    return None


def ratio(part: float | int | None, whole: float | int | None) -> float | None:
    return None if not whole else (part or 0) / whole


@dataclass(frozen=True)
class Uptake:
    """Counts for one group of contracts (or forecasts)."""

    key: str
    label: str
    contracts: int
    social_yes: int
    social_known: int
    environmental_yes: int
    environmental_known: int

    @property
    def social_rate(self) -> float | None:
        return ratio(self.social_yes, self.social_known)

    @property
    def environmental_rate(self) -> float | None:
        return ratio(self.environmental_yes, self.environmental_known)

    @property
    def social_unknown(self) -> int:
        return self.contracts - self.social_known

    @property
    def environmental_unknown(self) -> int:
        return self.contracts - self.environmental_known

    @property
    def coverage(self) -> float | None:
        """Share of contracts whose considerations are reported (social and environmental go together)."""
        return ratio(max(self.social_known, self.environmental_known), self.contracts)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "contracts": self.contracts,
            "social": {
                "yes": self.social_yes,
                "no": self.social_known - self.social_yes,
                "unknown": self.social_unknown,
                "rate": self.social_rate,
            },
            "environmental": {
                "yes": self.environmental_yes,
                "no": self.environmental_known - self.environmental_yes,
                "unknown": self.environmental_unknown,
                "rate": self.environmental_rate,
            },
            "coverage": self.coverage,
        }


# ---------------------------------------------------------------- contracts (DuckDB snapshot)

# In the order of Uptake's counts: contracts, social yes, social known, environmental yes, environmental known.
_AGGREGATES = "count(*), coalesce(sum(social), 0), count(social), coalesce(sum(environmental), 0), count(environmental)"


def _where(filters: Filters) -> tuple[str, list]:
    where, params = filters.sql()
    # One row per contract: its first holder's row (with a holder filter, that holder's own row).
    return (f"({where})" if filters.by_holder else f"({where}) AND is_first"), params


def contract_uptake(filters: Filters, by: str | None = None) -> dict:
    """{"total": Uptake, "rows": [Uptake…]} for the contracts matching `filters`, grouped by `by` (one of
    BY_CHOICES; rows sorted by key) or not grouped (rows empty)."""
    result = contract_uptake_all(filters, (by,) if by else ())
    return {"total": result["total"], "rows": result.get(by, [])}


def contract_uptake_all(filters: Filters, groupings: tuple[str, ...] = BY_CHOICES) -> dict:
    """The total and every grouping asked for, in one scan of the snapshot (GROUPING SETS): {"total": Uptake,
    grouping: [Uptake…]}. Cached per snapshot version, like the other observatory queries."""
    unknown = set(groupings) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown grouping: {sorted(unknown)}")
    snapshot.cursor().close()  # opens (or builds, or refreshes) the snapshot before the cache is consulted
    return queries._cached("clause_uptake", (filters, tuple(groupings)), lambda: _uptake_all(filters, groupings))


def _uptake_all(filters: Filters, groupings: tuple[str, ...]) -> dict:
    where, params = _where(filters)
    columns = [COLUMNS[by] for by in groupings]
    keys = ", ".join(columns + [f"grouping({column})" for column in columns]) + ", " if columns else ""
    sets = ", ".join([f"({column})" for column in columns] + ["()"])
    cursor = snapshot.cursor()
    try:
        rows = cursor.execute(
            f"SELECT {keys}{_AGGREGATES} FROM facts WHERE {where} GROUP BY GROUPING SETS ({sets})", params
        ).fetchall()
    finally:
        cursor.close()
    n = len(columns)
    result: dict = {by: [] for by in groupings}
    result["total"] = Uptake("", "Ensemble", 0, 0, 0, 0, 0)
    for row in rows:
        values, flags, counts = row[:n], row[n : 2 * n], row[2 * n :]
        grouped = [by for by, flag in zip(groupings, flags, strict=True) if flag == 0]
        if not grouped:
            result["total"] = Uptake("", "Ensemble", *(int(value or 0) for value in counts))
            continue
        by = grouped[0]
        key = values[groupings.index(by)]
        result[by].append(_uptake((key, *counts), by, {} if by == "year" else snapshot.labels(by)))
    for by in groupings:
        result[by].sort(key=lambda uptake: (uptake.key == "", uptake.key))
    return result


def _uptake(row: tuple, by: str, labels: dict) -> Uptake:
    key = "" if row[0] is None else str(row[0])
    if not key:
        label = UNKNOWN_LABELS[by]
    elif by in ("region", "department", "cpv_division"):
        label = f"{labels[key]} ({key})" if key in labels else key
    else:
        label = key
    return Uptake(key, label, *(int(value or 0) for value in row[1:]))


# ---------------------------------------------------------------- forecasts (database)


def forecast_uptake(filters: Filters) -> dict:
    """Published forecasts (drafts excluded) with social / environmental considerations planned, by year of
    publication. Honours the year, date, region and department filters (departments of execution)."""
    from tremplin.opportunities.models import Forecast

    forecasts = Forecast.objects.public()
    if filters.year:
        forecasts = forecasts.filter(published_at__year=filters.year)
    if filters.date_from:
        forecasts = forecasts.filter(published_at__date__gte=filters.date_from)
    if filters.date_to:
        forecasts = forecasts.filter(published_at__date__lte=filters.date_to)
    if filters.department:
        forecasts = forecasts.filter(departments__code=filters.department)
    elif filters.region:
        forecasts = forecasts.filter(departments__region__code=filters.region)
    if filters.cpv:
        forecasts = forecasts.filter(cpv__code__startswith=filters.cpv)
    if filters.buyer:
        forecasts = forecasts.filter(buyer__siret=filters.buyer)
    ids = forecasts.values("pk").distinct()
    counts = Forecast.objects.filter(pk__in=ids).aggregate(
        total=Count("pk"),
        social=Count("pk", filter=Q(social_considerations=True)),
        environmental=Count("pk", filter=Q(environmental_considerations=True)),
    )
    total = counts["total"] or 0
    return {
        "total": Uptake("", "Prévisions publiées", total, counts["social"], total, counts["environmental"], total),
    }
