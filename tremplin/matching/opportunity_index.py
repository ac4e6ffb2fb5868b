"""The in-memory index of open opportunities (forecasts, their lots, open notices) and its search: candidates
come from the CPV columns and the stems' postings, are filtered and pre-scored with vectorised numpy kernels over
dense columns, and the best ones are scored again one by one with ``rules`` to get their reasons (so what is shown
is exactly what ``rules`` says)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from tremplin.matching import places, rules, vectors
from tremplin.matching.types import OPPORTUNITY_KINDS, OpportunityMatch, OpportunityQuery
from tremplin.suppliers.rules import distance_km

RESERVATION_BITS = {rules.HANDICAP: 1, rules.INSERTION: 2, rules.ESS: 4, rules.RESERVED_UNSPECIFIED: 8}
MAX_PLACES = 3  # departments (and their regions) kept per opportunity
PRE_RANKING_MARGIN = 5  # rows scored by ``rules`` on each side of a page (the pre-score is the same: a margin)


def reservation_bits(articles) -> int:
    return sum(RESERVATION_BITS.get(a, 0) for a in set(articles)) if articles else 0


@dataclass(frozen=True)
class OpportunityFeatures:
    """What the index keeps of one open opportunity."""

    kind: str
    pk: int
    title: str
    url: str = ""
    buyer_name: str = ""
    deadline: date | None = None
    deadline_ts: float | None = None  # the offers deadline (epoch seconds): closed once passed
    published_ts: float | None = None
    cpv: tuple[str, ...] = ()  # main codes
    secondary_cpv: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    point: tuple[float, float] | None = None  # the place (a commune, else the department's centre)
    place_label: str = ""
    amount: float | None = None
    reservations: tuple[str, ...] = ()  # articles the lot is reserved under (ineligible suppliers are excluded)
    partly_reserved: bool = False  # a notice with several lots, one of which is reserved (not said which)
    stems: tuple[str, ...] = ()
    foreign: bool = False  # executed abroad (``rules.outside_france``): outside every French perimeter
    extra: dict = field(default_factory=dict)


class OpportunityIndex:
    """Dense columns over the open opportunities (one row each, in a stable order); see ``vectors``."""

    def __init__(self, records: list[OpportunityFeatures]):
        records = sorted(records, key=lambda r: (OPPORTUNITY_KINDS.index(r.kind), r.pk))
        self.records = records
        self.size = n = len(records)
        cpv_int = vectors.cpv_int
        self.cpv = vectors.CpvColumns(
            n,
            [row for row, r in enumerate(records) for _code in (*r.cpv, *r.secondary_cpv)],
            [cpv_int(code) for r in records for code in (*r.cpv, *r.secondary_cpv)],
            [secondary for r in records for secondary in (*(False for _ in r.cpv), *(True for _ in r.secondary_cpv))],
        )
        self.postings = vectors.postings(r.stems for r in records)
        self.department_ids, self.region_ids, self.group_ids = vectors.Codes(), vectors.Codes(), vectors.Codes()
        self.departments = vectors.Places(self.department_ids, [r.departments[:MAX_PLACES] for r in records])
        self.regions = vectors.Places(self.region_ids, [r.regions[:MAX_PLACES] for r in records])
        groups = (rules.track_group(r.cpv[0]) if r.cpv else "" for r in records)
        self.group = np.array(self.group_ids.ids_of(groups), np.int32)  # the main code's, for the track record
        self.points = vectors.Points(r.point for r in records)
        self.amount = vectors.floats(r.amount for r in records)
        self.reserved = np.array([reservation_bits(r.reservations) for r in records], np.int8)
        self.kind = np.array([OPPORTUNITY_KINDS.index(r.kind) for r in records], np.int8)
        self.deadline = vectors.floats(r.deadline_ts for r in records)
        self.published = vectors.floats(r.published_ts for r in records)
        self.foreign = np.array([r.foreign for r in records], np.bool_)
        self.has_cpv = np.array([any(r.cpv) or any(r.secondary_cpv) for r in records], np.bool_)

    # ---------- search ----------

    def query_stems(self, stems) -> list[str]:
        """The query's stems the index knows, without those too common to mean anything."""
        return [s for s in stems if s in self.postings and not self.too_common(s)]

    def query_size(self, stems) -> int:
        """How many stems the query has of its own (``rules.text_criterion``'s ``size``): unknown ones count, too
        common ones do not."""
        return sum(1 for s in stems if not self.too_common(s))

    def too_common(self, stem: str) -> bool:
        if self.size < rules.COMMON_STEM_MIN_INDEX or stem not in self.postings:
            return False
        return len(self.postings[stem]) > self.size * rules.COMMON_STEM_SHARE

    def candidates(self, query: OpportunityQuery, stems, since_ts, now_ts):
        """The rows the query may show before geography (CPV or words in common, kind, open, published since,
        amount bounds, reserved lots the supplier may answer), and the CPV values and word counts of all rows."""
        n = self.size
        cpv = self.cpv.best(query.cpv) if query.cpv else None
        counts = vectors.count_postings(n, [self.postings[s] for s in stems]) if stems else None
        keep = vectors.matching(n, cpv, counts)
        kinds = np.zeros(len(OPPORTUNITY_KINDS), np.bool_)
        kinds[[OPPORTUNITY_KINDS.index(k) for k in query.kinds if k in OPPORTUNITY_KINDS]] = True
        keep &= kinds[self.kind]
        if now_ts is not None:
            keep &= ~(self.deadline <= now_ts)  # an unknown deadline (NaN) stays open
        if since_ts is not None:
            keep &= self.published >= since_ts  # an unknown publication date (NaN) is not "since"
        if query.min_amount is not None:
            keep &= ~(self.amount < float(query.min_amount))  # unknown amounts pass
        if query.max_amount is not None:
            keep &= ~(self.amount > float(query.max_amount))
        mine = reservation_bits(rules.eligible_articles(query.inclusive_status, query.is_ess))
        keep &= (self.reserved == 0) | ((self.reserved & mine) != 0)
        return keep, cpv, counts

    def geography(self, query: OpportunityQuery, rows: np.ndarray, wide_regions) -> tuple:
        """The rows whose place the supplier covers (or is unknown), and their ``rules.geo_criterion`` values
        (None when the query has no perimeter nor place). A place known by its region only is covered when the
        region is in the perimeter or holds one of its departments (`wide_regions`)."""
        if not (query.national or query.departments or query.regions or query.radius_km or query.origin):
            return rows, None
        rows = rows[~self.foreign[rows]]  # abroad: outside every French perimeter
        in_department = self.departments.known(rows)
        known = in_department | self.regions.known(rows)
        if query.national or not (query.departments or query.regions or query.radius_km):
            covered = np.ones(len(rows), np.bool_)
        else:
            covered = self.departments.any_of(query.departments, rows)
            covered |= self.regions.any_of(query.regions, rows)
            covered |= ~in_department & self.regions.any_of(wide_regions, rows)
        km = np.full(len(rows), np.nan)
        radius = float(query.radius_km) if query.radius_km and query.origin else None
        if query.origin:
            # Distances matter where the place is known and covered (closeness), or may be within the radius.
            wanted = np.flatnonzero(known & covered) if radius is None else np.flatnonzero(known)
            km[wanted] = self.points.km(rows[wanted], query.origin, max(rules.FAR_KM, radius or 0.0))
            if radius is not None:
                covered |= km <= radius
        inside = np.flatnonzero(~known | covered)
        return rows[inside], vectors.geo_values(covered[inside], known[inside], km[inside])

    def search(
        self,
        query: OpportunityQuery,
        stems,
        words,
        track: dict[str, int],
        *,
        limit,
        offset,
        since_ts,
        now_ts,
        department_regions=(),
    ) -> tuple[int, list[OpportunityMatch]]:
        """The page of matches and how many in all. `department_regions`: the regions of the query's departments
        (for places known by their region only)."""
        wide = (*query.regions, *department_regions)
        if not self.size:
            return 0, []
        size = self.query_size(stems)
        stems = self.query_stems(stems)
        if query.text and not stems and not query.cpv:
            return 0, []  # words the index does not know: nothing matches
        keep, cpv, counts = self.candidates(query, stems, since_ts, now_ts)
        rows, geo = self.geography(query, np.flatnonzero(keep), wide)
        parts: dict[str, np.ndarray] = {}  # in ``explain``'s order, as ``rules.combine`` adds them
        if cpv is not None:
            parts["cpv"] = vectors.cpv_values(cpv[rows], self.has_cpv[rows])
        if counts is not None:
            parts["text"] = vectors.text_values(counts[rows], size)
        if geo is not None:
            parts["geo"] = geo
        if query.turnover is not None:
            parts["size"] = vectors.size_values(self.amount[rows], float(query.turnover))
        if track:
            won = np.zeros(len(self.group_ids.ids) + 1, np.int64)
            for group, contracts in track.items():
                if group in self.group_ids.ids:
                    won[self.group_ids.ids[group]] = contracts
            parts["track"] = vectors.track_values(won[self.group[rows]])
        if not len(rows):
            return 0, []
        mine = reservation_bits(rules.eligible_articles(query.inclusive_status, query.is_ess))
        eligible = (self.reserved[rows] & mine) != 0
        score = vectors.combine(parts, eligible, len(rows))
        shown = vectors.shown(score, parts)
        rows, score = rows[shown], score[shown]
        count = len(rows)
        if not count:
            return 0, []
        # The pre-score is the score: ``rules`` scores only the page and a margin around it (float noise).
        start = max(0, offset - PRE_RANKING_MARGIN)
        best = vectors.top(score, rows, offset + limit + PRE_RANKING_MARGIN)[start:]
        matches = [self.explain(row, query, stems, words, track, size, wide) for row in best]
        matches.sort(key=lambda pair: (-pair[0].score, pair[1]))
        return count, [match for match, _row in matches[offset - start : offset - start + limit]]

    def explain(self, row: int, query: OpportunityQuery, stems, words, track, size=0, wide_regions=()):
        """One candidate scored by ``rules``, with its reasons (`size`: the query's own stems, see ``query_size``;
        `wide_regions`: see ``geography``)."""
        record = self.records[row]
        criteria = {
            "cpv": rules.cpv_criterion(query.cpv, record.cpv, record.secondary_cpv),
            "text": rules.text_criterion(stems, record.stems, words, size),
        }
        judged = bool(query.national or query.departments or query.regions or query.radius_km or query.origin)
        km = distance_km(query.origin, record.point) if query.origin and record.point else None
        if record.foreign:
            covered = False
        elif not record.departments and not record.regions:
            covered = None
        elif query.national or not (query.departments or query.regions or query.radius_km):
            covered = True
        else:
            covered = bool(
                set(record.departments[:MAX_PLACES]) & set(query.departments)
                or set(record.regions[:MAX_PLACES]) & set(query.regions)
                or (query.radius_km and km is not None and km <= query.radius_km)
                or (not record.departments and set(record.regions[:MAX_PLACES]) & set(wide_regions))
            )
        criteria["geo"] = rules.geo_criterion(
            judged, covered, km, record.place_label, shown_km=places.claimed_km(km, query.origin, record.point)
        )
        criteria["size"] = (
            rules.size_criterion(record.amount, query.turnover) if query.turnover is not None else rules.Criterion(None)
        )
        group = rules.track_group(record.cpv[0]) if record.cpv else ""
        criteria["track"] = rules.track_criterion(track.get(group, 0)) if track else rules.Criterion(None)
        eligible = bool(record.reservations) and rules.is_eligible(
            record.reservations, query.inclusive_status, query.is_ess
        )
        reservation = rules.reservation_reason(record.reservations) if eligible else ""
        if record.partly_reserved and not record.reservations:
            reservation = "marché en partie réservé (structures inclusives)"
        score = rules.combine(criteria, eligible)
        match = OpportunityMatch(
            id=f"{record.kind}:{record.pk}",
            kind=record.kind,
            pk=record.pk,
            title=record.title,
            score=score,
            reasons=rules.reasons(criteria, reservation),
            url=record.url,
            buyer_name=record.buyer_name,
            deadline=record.deadline,
            published_at=None,
            extra={**record.extra, "amount": record.amount, "place": record.place_label},
        )
        return match, row
