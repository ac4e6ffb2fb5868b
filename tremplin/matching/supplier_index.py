"""The in-memory index of supplier profiles and its search for a buyer's need (a description, a forecast, one of
its lots, a notice): same two steps as the opportunity index — vectorised pre-ranking, then ``rules`` for the best
ones and their reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tremplin.matching import places, rules, vectors
from tremplin.matching.types import SupplierMatch, SupplierQuery
from tremplin.suppliers.rules import distance_km

SIZE_CODES = ("", "micro", "pme", "eti", "ge")
SME = ("micro", "pme")
INCLUSIVE_FILTERS = {
    "inclusive": rules.SIAE | rules.HANDICAP_STATUSES,
    "siae": rules.SIAE,
    "ea_esat": rules.HANDICAP_STATUSES,
}
PRE_RANKING_MARGIN = 5  # rows scored by ``rules`` on each side of a page (the pre-score is the same: a margin)
KNOWN_FILTERS = ("inclusive", "siae", "ea_esat", "ess", "local", "sme", "micro", "pme", "eti", "ge")


@dataclass(frozen=True)
class SupplierFeatures:
    organisation_pk: int
    siret: str
    name: str
    url: str = ""
    inclusive_status: str = ""
    is_ess: bool = False
    size_category: str = ""
    department: str = ""  # the establishment's
    point: tuple[float, float] | None = None  # the establishment (its commune, else its department's centre)
    cpv: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()
    national: bool = False
    regions: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    radius_km: float | None = None
    turnover: float | None = None
    won: dict = field(default_factory=dict)  # CPV group (``rules.track_group``) → contracts won


@dataclass(frozen=True)
class Place:
    """Where a need is executed, resolved by the service: departments, their regions, a point for distances."""

    departments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    point: tuple[float, float] | None = None
    label: str = ""


class SupplierIndex:
    """Dense columns over the supplier profiles (one row each, by organisation); see ``vectors``."""

    def __init__(self, records: list[SupplierFeatures]):
        records = sorted(records, key=lambda r: r.organisation_pk)
        self.records = records
        self.size = n = len(records)
        cpv_int = vectors.cpv_int
        cpv_rows = [row for row, r in enumerate(records) for _code in r.cpv]
        cpv_codes = [cpv_int(code) for r in records for code in r.cpv]
        self.cpv = vectors.CpvColumns(n, cpv_rows, cpv_codes, [False] * len(cpv_rows), rules.CANDIDATE)
        self.postings = vectors.postings(r.stems for r in records)
        self.department_ids, self.region_ids, self.group_ids = vectors.Codes(), vectors.Codes(), vectors.Codes()
        self.status_ids, self.size_ids = vectors.Codes(), vectors.Codes()
        self.per_row = np.array([row for row, r in enumerate(records) for _code in r.departments], np.int32)
        self.per_dept = np.array(self.department_ids.ids_of(c for r in records for c in r.departments), np.int32)
        self.reg_row = np.array([row for row, r in enumerate(records) for _code in r.regions], np.int32)
        self.per_reg = np.array(self.region_ids.ids_of(c for r in records for c in r.regions), np.int32)
        self.won_row = np.array([row for row, r in enumerate(records) for _division in r.won], np.int32)
        self.won_group = np.array(self.group_ids.ids_of(g for r in records for g in r.won), np.int32)
        self.won_count = np.array([count for r in records for count in r.won.values()], np.int64)
        self.department = np.array(self.department_ids.ids_of(r.department for r in records), np.int32)
        self.status = np.array(self.status_ids.ids_of(r.inclusive_status for r in records), np.int32)
        self.size_category = np.array(self.size_ids.ids_of(r.size_category for r in records), np.int32)
        self.national = np.array([r.national for r in records], np.bool_)
        self.radius = vectors.floats(r.radius_km for r in records)
        self.points = vectors.Points(r.point for r in records)
        self.ess = np.array([r.is_ess for r in records], np.bool_)
        self.turnover = vectors.floats(r.turnover for r in records)
        self.has_cpv = np.array([any(r.cpv) for r in records], np.bool_)

    def query_stems(self, stems) -> list[str]:
        """The query's stems the index knows, without those too common to mean anything."""
        return [s for s in stems if s in self.postings and not self.too_common(s)]

    def query_size(self, stems) -> int:
        """How many stems the query has of its own: unknown ones count, too common ones do not."""
        return sum(1 for s in stems if not self.too_common(s))

    def too_common(self, stem: str) -> bool:
        if self.size < rules.COMMON_STEM_MIN_INDEX or stem not in self.postings:
            return False
        return len(self.postings[stem]) > self.size * rules.COMMON_STEM_SHARE

    def statuses(self, allowed) -> np.ndarray:
        """A lookup table over status ids: which statuses `allowed(status)` accepts."""
        table = np.zeros(len(self.status_ids.ids) + 1, np.bool_)
        for value, index in self.status_ids.ids.items():
            table[index] = allowed(value)
        table[-1] = allowed("")
        return table

    def filtered(self, query: SupplierQuery, place: Place, keep: np.ndarray) -> np.ndarray:
        """`keep` narrowed by the query's filters and its reservation (whose ineligible suppliers are excluded)."""
        for name in query.filters:
            if name in INCLUSIVE_FILTERS:
                keep &= self.statuses(INCLUSIVE_FILTERS[name].__contains__)[self.status]
            elif name == "ess":
                keep &= self.ess
            elif name == "sme":
                keep &= self.size_ids.table(SME)[self.size_category]
            elif name in SIZE_CODES[1:]:
                keep &= self.size_ids.table([name])[self.size_category]
            elif name == "local":
                keep &= self.department_ids.table(place.departments)[self.department]
        if query.reservation:
            with_ess = self.statuses(lambda status: rules.is_eligible([query.reservation], status, True))
            without = self.statuses(lambda status: rules.is_eligible([query.reservation], status, False))
            keep &= np.where(self.ess, with_ess[self.status], without[self.status])
        return keep

    def covered(self, place: Place, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether each row's perimeter covers the place, and its distance to it (NaN when unknown)."""
        covered = self.national.copy()
        if place.departments:
            covered[self.per_row[self.department_ids.table(place.departments)[self.per_dept]]] = True
        if place.regions:
            covered[self.reg_row[self.region_ids.table(place.regions)[self.per_reg]]] = True
        covered = covered[rows]
        radius = self.radius[rows]
        km = np.full(len(rows), np.nan)
        if place.point:
            # Distances matter for the rows covered (closeness) and those that may be within their radius.
            maybe = np.flatnonzero(~covered & ~np.isnan(radius))
            km[maybe] = self.points.km(rows[maybe], place.point, radius[maybe])
            covered |= km <= radius
            scored = np.flatnonzero(covered & np.isnan(km))
            km[scored] = self.points.km(rows[scored], place.point, rules.FAR_KM)
        else:
            in_dept = self.department_ids.table(place.departments)[self.department[rows]]
            covered |= ~np.isnan(radius) & in_dept
        return covered, km

    def search(self, query: SupplierQuery, stems, words, place: Place, *, limit, offset):
        n = self.size
        if not n:
            return 0, []
        size = self.query_size(stems)
        stems = self.query_stems(stems)
        if query.text and not stems and not query.cpv:
            return 0, []
        cpv = self.cpv.best(query.cpv) if query.cpv else None
        counts = vectors.count_postings(n, [self.postings[s] for s in stems]) if stems else None
        keep = vectors.matching(n, cpv, counts)
        rows = np.flatnonzero(self.filtered(query, place, keep))
        geo = None
        if place.departments or place.point:
            covered, km = self.covered(place, rows)
            rows, km = rows[covered], km[covered]
            geo = vectors.geo_values(True, True, km)
        if not len(rows):
            return 0, []
        parts: dict[str, np.ndarray] = {}
        if cpv is not None:
            parts["cpv"] = vectors.cpv_values(cpv[rows], self.has_cpv[rows])
        if counts is not None:
            parts["text"] = vectors.text_values(counts[rows], size)
        if geo is not None:
            parts["geo"] = geo
        if query.amount is not None:
            parts["size"] = vectors.size_values(float(query.amount), self.turnover[rows])
        groups = sorted({g for c in query.cpv if (g := rules.track_group(c))})
        if groups:
            hit = self.group_ids.table(groups)[self.won_group]
            won = np.bincount(self.won_row[hit], weights=self.won_count[hit], minlength=n)
            parts["track"] = vectors.track_values(won[rows])
        score = vectors.combine(parts, bool(query.reservation), len(rows))
        shown = vectors.shown(score, parts)
        rows, score = rows[shown], score[shown]
        count = len(rows)
        if not count:
            return 0, []
        # The pre-score is the score: ``rules`` scores only the page and a margin around it (float noise).
        start = max(0, offset - PRE_RANKING_MARGIN)
        best = vectors.top(score, rows, offset + limit + PRE_RANKING_MARGIN)[start:]
        matches = [self.explain(row, query, stems, words, place, groups, size) for row in best]
        matches.sort(key=lambda pair: (-pair[0].score, pair[1]))
        return count, [match for match, _row in matches[offset - start : offset - start + limit]]

    def explain(self, row, query: SupplierQuery, stems, words, place: Place, groups, size=0) -> tuple:
        """One supplier scored by ``rules``, with its reasons (`groups`: the need's CPV groups, for the track
        record; `size`: the query's own stems, see ``query_size``)."""
        r = self.records[row]
        criteria = {
            "cpv": rules.cpv_criterion(query.cpv, r.cpv, you=False, covering=rules.CANDIDATE),
            "text": rules.text_criterion(stems, r.stems, words, size),
        }
        km = distance_km(r.point, place.point) if r.point and place.point else None
        shown_km = places.claimed_km(km, r.point, place.point)
        if place.departments or place.point:
            criteria["geo"] = rules.geo_criterion(True, True, km, place.label, you=False, shown_km=shown_km)
        if query.amount is not None:
            criteria["size"] = rules.size_criterion(query.amount, r.turnover, you=False)
        if groups:
            criteria["track"] = rules.track_criterion(sum(r.won.get(g, 0) for g in groups), you=False)
        reservation = rules.reservation_reason([query.reservation], you=False) if query.reservation else ""
        score = rules.combine(criteria, bool(query.reservation))
        extra_reasons = []
        if r.inclusive_status and not query.reservation:
            extra_reasons.append(f"structure inclusive ({r.inclusive_status})")
        match = SupplierMatch(
            id=f"supplier:{r.organisation_pk}",
            organisation_pk=r.organisation_pk,
            siret=r.siret,
            name=r.name,
            score=score,
            reasons=(*rules.reasons(criteria, reservation), *extra_reasons),
            url=r.url,
            inclusive_status=r.inclusive_status,
            size_category=r.size_category,
            department=r.department,
            distance_km=round(shown_km, 1) if shown_km is not None else None,
        )
        return match, row
