"""Use cases of the inclusive potential: of a forecast (each lot and the whole) or of a free need.

Who is eligible is the matching engine's decision (``search_suppliers`` with the "siae" and "ea_esat" filters,
the lot's own reservation set aside so that every eligible structure counts); the recommendation is
``inclusive.recommend``; access is ``tremplin.policy``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tremplin import policy
from tremplin.matching import inclusive
from tremplin.matching.types import SupplierMatch, SupplierQuery
from tremplin.organisations.models import HANDICAP_STATUSES, SIAE_STATUSES

LIST_LIMIT = 100  # structures listed per kind (all are counted)
SIAE = "siae"
EA_ESAT = "ea_esat"
KIND_LABELS = {SIAE: "SIAE", EA_ESAT: "EA/ESAT"}


class ForecastNotFound(LookupError):
    """The forecast does not exist for this person (a draft of another organisation): pages and API answer 404."""


@dataclass(frozen=True)
class Structure:
    match: SupplierMatch
    kind: str  # SIAE or EA_ESAT
    turnover: int | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class NeedPotential:
    title: str
    potential: inclusive.Potential
    structures: list[Structure] = field(default_factory=list)
    truncated: bool = False  # more structures than listed (LIST_LIMIT per kind)
    lot: object = None  # opportunities.Lot, or None for the whole forecast or a free need


@dataclass(frozen=True)
class StructureLots:
    structure: Structure
    lots: tuple[int, ...]  # the lots it is eligible for (empty: a forecast without lots)


@dataclass
class ForecastPotential:
    """`whole` is the forecast taken as one contract; for an allotted forecast, the lots decide the
    recommendation and the structures are those of the lots, each once."""

    forecast: object
    whole: NeedPotential
    lots: list[NeedPotential]
    recommendation: inclusive.Recommendation

    @property
    def structures(self) -> list[StructureLots]:
        if not self.lots:
            return [StructureLots(structure, ()) for structure in self.whole.structures]
        found: dict[int, tuple[Structure, list[int]]] = {}
        for need in self.lots:
            for structure in need.structures:
                entry = found.setdefault(structure.match.organisation_pk, (structure, []))
                entry[1].append(need.lot.number)
        return [StructureLots(structure, tuple(lots)) for structure, lots in found.values()]

    def _count(self, kind: str) -> int:
        if not self.lots:
            return self.whole.potential.siae if kind == SIAE else self.whole.potential.ea_esat
        return sum(1 for entry in self.structures if entry.structure.kind == kind)

    @property
    def siae(self) -> int:
        return self._count(SIAE)

    @property
    def ea_esat(self) -> int:
        return self._count(EA_ESAT)

    @property
    def truncated(self) -> bool:
        """Some lot has more eligible structures than listed: the distinct counts are floors."""
        return any(need.truncated for need in self.lots) if self.lots else self.whole.truncated


def inclusive_kind(status: str) -> str:
    """ "SIAE", "EA/ESAT", another inclusive status's code (GEIQ) or ""."""
    if status in SIAE_STATUSES:
        return KIND_LABELS[SIAE]
    if status in HANDICAP_STATUSES:
        return KIND_LABELS[EA_ESAT]
    return status


def engine():
    """The matching engine (imported late: it is built beside this module)."""
    from tremplin.matching import services

    return services


def _search(query: SupplierQuery, limit: int) -> tuple[int, list[SupplierMatch]]:
    """(total count, best `limit` matches) from the engine: its paged search when it offers one."""
    matcher = engine()
    if hasattr(matcher, "match_suppliers"):
        page = matcher.match_suppliers(query, limit=limit, offset=0)
        return page.count, list(page.items)
    matches = matcher.search_suppliers(query, limit=limit, offset=0)
    return len(matches), matches


def eligible_structures(query: SupplierQuery) -> tuple[dict[str, int], list[Structure], bool]:
    """How many SIAE and EA/ESAT the engine finds fit for the need, the best of them (each once) with their
    turnover, and whether some were left out of the list."""
    counts: dict[str, int] = {}
    found: list[tuple[str, SupplierMatch]] = []
    seen: set[int] = set()
    for kind in (SIAE, EA_ESAT):
        kind_query = replace(query, reservation="", filters=(*query.filters, kind))
        counts[kind], matches = _search(kind_query, LIST_LIMIT)
        for match in matches:
            if match.organisation_pk not in seen:
                seen.add(match.organisation_pk)
                found.append((kind, match))
    truncated = len(found) < sum(counts.values())
    turnovers = _turnovers([match.organisation_pk for _, match in found])
    structures = [Structure(match, kind, turnovers.get(match.organisation_pk)) for kind, match in found]
    return counts, structures, truncated


def _turnovers(organisation_pks: list[int]) -> dict[int, int | None]:
    from tremplin.suppliers.models import SupplierProfile

    if not organisation_pks:
        return {}
    rows = SupplierProfile.objects.filter(organisation_id__in=organisation_pks).values_list(
        "organisation_id", "turnover"
    )
    return dict(rows)


def need_potential(
    title: str,
    query: SupplierQuery,
    *,
    amount=None,
    duration_months: int | None = None,
    reserved: tuple[str, ...] = (),
    is_lot: bool = False,
    lot=None,
) -> NeedPotential:
    counts, structures, truncated = eligible_structures(query)
    figures = inclusive.NeedFigures(
        siae=counts[SIAE],
        ea_esat=counts[EA_ESAT],
        turnovers=tuple(s.turnover for s in structures if s.turnover),
        amount=amount,
        duration_months=duration_months,
        reserved=reserved,
        is_lot=is_lot,
    )
    return NeedPotential(title, inclusive.recommend(figures), structures, truncated, lot)


def visible_forecast(user, pk: int):
    """The forecast `pk` if `user` may see it (policy.can_view_forecast), else ForecastNotFound."""
    from tremplin.opportunities.models import Forecast

    forecast = Forecast.objects.select_related("buyer", "cpv").filter(pk=pk).first()
    if forecast is None or not policy.can_view_inclusive_potential(user, forecast):
        raise ForecastNotFound("Prévision inconnue.")
    return forecast


def whole_amount(forecast, lots):
    """The forecast's estimated amount, else the sum of its lots' when every lot has one."""
    if forecast.estimated_amount is not None:
        return forecast.estimated_amount
    amounts = [lot.estimated_amount for lot in lots]
    return sum(amounts) if amounts and None not in amounts else None


def forecast_potential(user, forecast) -> ForecastPotential:
    """The potential of the whole forecast and of each of its lots (the caller got `forecast` through
    ``visible_forecast``; checked again here)."""
    if not policy.can_view_inclusive_potential(user, forecast):
        raise ForecastNotFound("Prévision inconnue.")
    matcher = engine()
    lots = list(forecast.lots.select_related("cpv").order_by("number"))
    whole = need_potential(
        "Marché entier",
        matcher.query_for_forecast(forecast),
        amount=whole_amount(forecast, lots),
        duration_months=forecast.max_duration_months,
        reserved=tuple(forecast.reservations or ()),
    )
    per_lot = [
        need_potential(
            str(lot),
            matcher.query_for_forecast(forecast, lot),
            amount=lot.estimated_amount,
            duration_months=forecast.max_duration_months,
            reserved=tuple(sorted({*(forecast.reservations or ()), *([lot.reservation] if lot.reservation else [])})),
            is_lot=True,
            lot=lot,
        )
        for lot in lots
    ]
    recommendation = inclusive.combine([(p.lot.number, p.potential) for p in per_lot], whole.potential)
    return ForecastPotential(forecast, whole, per_lot, recommendation)


def free_need_potential(text: str, cpv: str, department: str, amount: int | None) -> NeedPotential:
    """A need typed by anyone: description, CPV code (8 digits), department code, amount (euros excl. VAT)."""
    query = SupplierQuery(
        text=text,
        cpv=(cpv,) if cpv else (),
        departments=(department,) if department else (),
        amount=amount,
    )
    return need_potential("Votre besoin", query, amount=amount)
