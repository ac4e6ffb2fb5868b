"""Use cases of the matching engine, both ways: the open opportunities for a supplier (its profile, a saved search)
and the suppliers for a buyer's need (a description, a forecast or one of its lots, a notice).

Searches read the per-process indexes (``cache``), rebuilt from the database when it changes. Only published
opportunities are ever indexed (drafts never appear) and supplier profiles are public."""

from __future__ import annotations

from dataclasses import dataclass, replace  # noqa: F401  (replace is used by the API too)
from datetime import datetime
from functools import lru_cache

from django.utils import timezone

from tremplin.matching import loaders, rules
from tremplin.matching.cache import LazyIndex
from tremplin.matching.opportunity_index import OpportunityIndex
from tremplin.matching.supplier_index import KNOWN_FILTERS, Place, SupplierIndex
from tremplin.matching.text import meaningful, stem_words
from tremplin.matching.types import OPPORTUNITY_KINDS, OpportunityMatch, OpportunityQuery, SupplierMatch, SupplierQuery
from tremplin.referentials.rules import CpvCodeError, normalize_cpv

MAX_LIMIT = 100
MAX_TEXT = 2000  # characters of a query's text that are read

opportunity_index = LazyIndex(loaders.OpportunityLoader(), OpportunityIndex, loaders.opportunities_generation)
supplier_index = LazyIndex(loaders.load_suppliers, SupplierIndex, loaders.suppliers_generation)


class MatchingError(ValueError):
    """A query the engine refuses; the message is French, for the user. `field` names the culprit."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Page:
    count: int
    items: list


@lru_cache(maxsize=100_000)
def _normalized(code: str) -> str:
    """``normalize_cpv``, cached: queries repeat the same few codes (CpvCodeError is not cached, it is raised)."""
    return normalize_cpv(code)


def _cpv_codes(codes, strict: bool = False) -> tuple[str, ...]:
    result = []
    for code in codes:
        if not str(code).strip():
            continue
        try:
            result.append(_normalized(str(code)))
        except CpvCodeError as error:
            if strict:
                raise MatchingError(f"Code CPV invalide « {code} » : {error}", "cpv") from error
    return tuple(dict.fromkeys(result))


def _bounds(limit: int, offset: int) -> tuple[int, int]:
    return max(0, min(int(limit), MAX_LIMIT)), max(0, int(offset))


# ---------- opportunities for a supplier ----------


def query_for_profile(profile) -> OpportunityQuery:
    """What a supplier's profile looks for: its activities' CPV codes and words (their descriptions, not the demo's
    generated "D'après 3 marchés remportés.", and their CPV labels: notices without CPV codes are reached by words
    only), its perimeter, the distance from its establishment, its eligibility to reserved lots, its turnover and
    its track record (contracts won per CPV group)."""
    organisation = profile.organisation
    activities = list(profile.activities.select_related("cpv", "naf"))
    perimeters = list(profile.perimeters.all())
    commune = organisation.commune
    origin = (commune.latitude, commune.longitude) if commune and commune.latitude is not None else None
    radius = next((p.radius_km for p in perimeters if p.kind == "radius"), None)
    if origin is None and radius and organisation.department_id:
        # A radius needs a centre: without the establishment's commune, its department's centre stands in. Only
        # then — otherwise no distance is claimed ("à moins de 1 km" between two department centres is no fact).
        _d, _r, origin, _l = loaders.Geography().place([organisation.department_id])
    # The same words as the supplier index reads (``loaders.supplier_records``): labels of the CPV and NAF codes.
    words = meaningful([organisation.description, *(a.description for a in activities)])
    words += [a.cpv.label for a in activities if a.cpv_id] + [a.naf.label for a in activities if a.naf_id]
    words += [organisation.naf.label] if organisation.naf_id else []
    won = loaders.contracts_won([organisation.pk], digits=rules.TRACK_DIGITS).get(organisation.pk, {})
    return OpportunityQuery(
        text=" ".join(w for w in words if w)[:MAX_TEXT],
        cpv=tuple(dict.fromkeys(a.cpv_id for a in activities if a.cpv_id)),
        departments=tuple(p.department_id for p in perimeters if p.kind == "department"),
        regions=tuple(p.region_id for p in perimeters if p.kind == "region"),
        national=any(p.kind == "national" for p in perimeters),
        origin=origin,
        radius_km=float(radius) if radius else None,
        inclusive_status=organisation.inclusive_status,
        is_ess=organisation.is_ess,
        turnover=profile.turnover,
        track_record=tuple(sorted(won.items())),
    )


def department_regions(departments) -> tuple[str, ...]:
    """The regions of a perimeter's departments (a notice placed in a region only may be in one of them)."""
    from tremplin.referentials.models import Department

    if not departments:
        return ()
    return tuple(sorted(set(Department.objects.filter(code__in=departments).values_list("region_id", flat=True))))


def match_opportunities(
    query: OpportunityQuery,
    *,
    limit: int = 20,
    offset: int = 0,
    published_since: datetime | None = None,
    now: datetime | None = None,
) -> Page:
    """The open opportunities ranked for `query`, with how many match in all."""
    limit, offset = _bounds(limit, offset)
    query = replace(
        query,
        cpv=_cpv_codes(query.cpv),
        kinds=tuple(k for k in query.kinds if k in OPPORTUNITY_KINDS),
        text=(query.text or "")[:MAX_TEXT],
    )
    index: OpportunityIndex = opportunity_index.get()
    words = stem_words(query.text)
    now_ts = (now or timezone.now()).timestamp()
    since_ts = published_since.timestamp() if published_since else None
    count, items = index.search(
        query,
        list(words),
        words,
        dict(query.track_record),
        limit=limit,
        offset=offset,
        since_ts=since_ts,
        now_ts=now_ts,
        department_regions=department_regions(query.departments),
    )
    return Page(count, items)


def search_opportunities(
    query: OpportunityQuery,
    *,
    limit: int = 20,
    offset: int = 0,
    published_since: datetime | None = None,
    now: datetime | None = None,
) -> list[OpportunityMatch]:
    """Open opportunities only: published or in-consultation forecasts (as a whole and per lot) and open notices
    (call for competition, deadline not passed, not cancelled), best first, each with its reasons."""
    return match_opportunities(query, limit=limit, offset=offset, published_since=published_since, now=now).items


# ---------- suppliers for a need ----------


def check_supplier_query(query: SupplierQuery) -> SupplierQuery:
    """The query with its CPV codes normalised; MatchingError (French) on a bad CPV code, an unknown department
    or commune, a negative amount, an unknown filter or reservation."""
    from tremplin.opportunities.rules import RESERVATIONS
    from tremplin.referentials.models import Commune, Department

    cpv = _cpv_codes(query.cpv, strict=True)
    departments = tuple(dict.fromkeys(d.strip().upper() for d in query.departments if d.strip()))
    known = set(Department.objects.filter(code__in=departments).values_list("code", flat=True))
    unknown = [d for d in departments if d not in known]
    if unknown:
        raise MatchingError(f"Département inconnu : {', '.join(unknown)}.", "department")
    commune = query.commune.strip()
    if commune and not Commune.objects.filter(code=commune).exists():
        raise MatchingError(f"Commune inconnue (code INSEE) : {commune}.", "commune")
    if query.amount is not None and query.amount < 0:
        raise MatchingError("Le montant ne peut pas être négatif.", "amount")
    if query.reservation and query.reservation not in RESERVATIONS:
        raise MatchingError(f"Réservation inconnue : {query.reservation}.", "reservation")
    bad = [f for f in query.filters if f not in KNOWN_FILTERS]
    if bad:
        raise MatchingError(f"Filtre inconnu : {', '.join(bad)}.", "filters")
    return replace(query, cpv=cpv, departments=departments, commune=commune, text=(query.text or "")[:MAX_TEXT])


def place_for(query: SupplierQuery) -> Place:
    from tremplin.referentials.models import Commune

    departments, point = list(query.departments), None
    if query.commune:
        commune = Commune.objects.filter(code=query.commune).first()
        if commune is not None:
            departments.insert(0, commune.department_id)
            if commune.latitude is not None:
                point = (commune.latitude, commune.longitude)
    if not departments and point is None:
        return Place()
    geography = loaders.Geography()
    departments, regions, point, label = geography.place(departments, point)
    return Place(departments, regions, point, label)


def match_suppliers(query: SupplierQuery, *, limit: int = 20, offset: int = 0) -> Page:
    limit, offset = _bounds(limit, offset)
    query = replace(
        query,
        cpv=_cpv_codes(query.cpv),
        filters=tuple(f for f in query.filters if f in KNOWN_FILTERS),
        text=(query.text or "")[:MAX_TEXT],
    )
    index: SupplierIndex = supplier_index.get()
    words = stem_words(query.text)
    count, items = index.search(query, list(words), words, place_for(query), limit=limit, offset=offset)
    return Page(count, items)


def search_suppliers(query: SupplierQuery, *, limit: int = 20, offset: int = 0) -> list[SupplierMatch]:
    """Supplier profiles ranked for a need, each with its reasons; `filters` restrict (inclusive, siae, ea_esat,
    ess, local, sme, micro, pme, eti, ge) and a reservation excludes ineligible suppliers."""
    return match_suppliers(query, limit=limit, offset=offset).items


def query_for_forecast(forecast, lot=None) -> SupplierQuery:
    """A forecast's need (or one lot's): its CPV codes, words, places, amount and reservation."""
    departments = [d.code for d in forecast.departments.all()]
    commune = next((c.code for c in forecast.communes.all()), "")
    text = " ".join([forecast.title, forecast.description, " ".join(forecast.keywords or [])])
    if lot is None:
        cpv = [forecast.cpv_id, *(c.code for c in forecast.cpv_secondary.all())]
        amount, reservation = forecast.estimated_amount, next(iter(forecast.reservations or []), "")
    else:
        cpv = [lot.cpv_id or forecast.cpv_id]
        text = f"{lot.title} {text}"
        amount, reservation = lot.estimated_amount, lot.reservation or next(iter(forecast.reservations or []), "")
    return SupplierQuery(
        text=text[:MAX_TEXT],
        cpv=tuple(c for c in cpv if c),
        departments=tuple(departments),
        commune=commune,
        amount=int(amount) if amount is not None else None,
        reservation=reservation,
    )


def query_for_notice(notice) -> SupplierQuery:
    cpv = [notice.cpv, *(notice.additional_cpv or [])]
    return SupplierQuery(
        text=f"{notice.title} {(notice.description or '')[: loaders.NOTICE_TEXT_CHARS]}",
        cpv=_cpv_codes(cpv),
        departments=(notice.place_department,) if notice.place_department else (),
        amount=int(notice.estimated_value) if notice.estimated_value is not None else None,
        reservation="",
    )


__all__ = [
    "MatchingError",
    "query_for_forecast",
    "query_for_notice",
    "query_for_profile",
    "rules",
    "search_opportunities",
    "search_suppliers",
]
