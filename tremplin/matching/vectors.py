"""Dense numpy columns for the in-memory indexes, and the vectorised pre-ranking kernels: every criterion of
``rules`` computed for all candidates at once with the same float operations in the same order, so that the
pre-score of a candidate is the score ``rules.combine`` gives it (no per-candidate Python loop over the index).
The few best are then scored again one by one with ``rules`` to get their reasons."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from tremplin.matching import rules
from tremplin.referentials.rules import CpvCodeError, cpv_significant_digits, normalize_cpv
from tremplin.suppliers.rules import CpvProximity

EARTH_RADIUS_KM = 6371.0088  # as tremplin.suppliers.rules.distance_km
NO_CODE = -1
ROW_BITS = 2**31  # rows fit in 31 bits: a ranking key is score tenths × ROW_BITS + reversed row
LEVELS = (CpvProximity.NONE, CpvProximity.DIVISION, CpvProximity.GROUP, CpvProximity.CLASS, CpvProximity.SAME)


@lru_cache(maxsize=100_000)
def cpv_int(code: str) -> int:
    """The 8-digit CPV code as an int (``normalize_cpv``), ``NO_CODE`` when empty or unreadable."""
    if not code:
        return NO_CODE
    try:
        return int(normalize_cpv(code))
    except CpvCodeError:
        return NO_CODE


def level_values(factor: float) -> np.ndarray:
    """``rules.CPV_LEVEL_SCORES[level] * factor`` for level 0 (none) to 4 (same code), as ``rules`` computes it."""
    return np.array([rules.CPV_LEVEL_SCORES[level] * factor for level in LEVELS], np.float64)


class CpvColumns:
    """The CPV codes of every row, flat, sorted by division, with their group and class packed as ints: only the
    slice of a wanted code's division can be close to it, and there the proximity level is 1 plus three integer
    comparisons (the prefixes are nested), or the same code's value where the supplier's code covers the other
    (``rules.covers``: the same prefix over the broader code's significant digits); the best value per row is a
    ``maximum.at`` over that slice. `covering` says which side holds the supplier's codes (``rules.WANTED``: the
    query's; ``rules.CANDIDATE``: the rows')."""

    def __init__(
        self, size: int, rows: list[int], codes: list[int], secondary: list[bool], covering: str = rules.WANTED
    ):
        code = np.asarray(codes, np.int64).reshape(-1)
        division = np.where(code >= 0, code // 10**6, NO_CODE)
        order = np.lexsort((np.asarray(rows, np.int64).reshape(-1), division))
        self.size = size
        self.row = np.asarray(rows, np.int32).reshape(-1)[order]
        self.code = code[order]
        self.group = (self.code // 10**5).astype(np.int32)
        self.klass = (self.code // 10**4).astype(np.int32)
        self.covering = covering
        if covering == rules.CANDIDATE:
            # Each row's code over its own significant digits: it covers a wanted code with the same prefix.
            self.scale = np.array([10 ** (8 - significant(int(c))) for c in self.code.tolist()], np.int32)
            self.prefix = (self.code // self.scale).astype(np.int32)
        self.code = self.code.astype(np.int32)
        self.table_offset = np.asarray(secondary, np.int8).reshape(-1)[order] * len(LEVELS)
        self.values = np.concatenate([level_values(1.0), level_values(rules.SECONDARY_CPV_FACTOR)])
        divisions, starts = np.unique(division[order], return_index=True)
        ends = [*starts[1:].tolist(), len(order)][: len(starts)]
        self.slices = {d: (lo, hi) for d, lo, hi in zip(divisions.tolist(), starts.tolist(), ends, strict=True)}

    def best(self, wanted: Iterable[str]) -> np.ndarray:
        """For each row, the best ``rules.cpv_criterion`` value over its codes and the `wanted` ones."""
        dense = np.zeros(self.size, np.float64)
        by_division: dict[int, list[int]] = {}
        for code in (cpv_int(c) for c in wanted):
            if code >= 0:
                by_division.setdefault(code // 10**6, []).append(code)
        for division, codes in by_division.items():
            lo, hi = self.slices.get(division, (0, 0))
            if lo == hi:
                continue
            group, klass, code = self.group[lo:hi], self.klass[lo:hi], self.code[lo:hi]
            level = np.ones(hi - lo, np.int8)  # same division
            for wanted_code in codes:
                here = (group == wanted_code // 10**5).view(np.int8) + 1
                here += klass == wanted_code // 10**4
                here += code == wanted_code
                np.maximum(level, here, out=level)
                if self.covering == rules.CANDIDATE:
                    covered = (wanted_code // self.scale[lo:hi]) == self.prefix[lo:hi]
                else:
                    scale = 10 ** (8 - significant(wanted_code))
                    covered = (code // scale) == wanted_code // scale
                level[covered] = len(LEVELS) - 1  # covered: the same code's value
            np.maximum.at(dense, self.row[lo:hi], self.values[self.table_offset[lo:hi] + level])
        return dense


def significant(code: int) -> int:
    """How many significant digits an 8-digit CPV code has (``referentials.rules.cpv_significant_digits``): at
    least the 2 of the division; 8 for no code (``NO_CODE`` covers nothing but itself, and is never compared)."""
    if code < 0:
        return 8
    return len(cpv_significant_digits(f"{code:08d}"))


class Codes:
    """Strings (departments, regions, statuses…) as small ints, and boolean lookup tables over them; -1 (none)
    reads the table's last cell, always False."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def id(self, value: str | None) -> int:
        return NO_CODE if not value else self.ids.setdefault(value, len(self.ids))

    def ids_of(self, values: Iterable[str | None]) -> list[int]:
        ids = self.ids
        add = ids.setdefault
        return [add(value, len(ids)) if value else NO_CODE for value in values]

    def table(self, wanted: Iterable[str]) -> np.ndarray:
        table = np.zeros(len(self.ids) + 1, np.bool_)
        table[[self.ids[w] for w in wanted if w in self.ids]] = True
        return table


class Places:
    """A few codes per row (departments, regions) as ids: the first in a dense column, the others (rare) as flat
    (row, id) pairs, so that "does a row have one of these codes" is one gather per row."""

    def __init__(self, codes: Codes, per_row: list[tuple[str, ...]]):
        self.codes = codes
        self.size = len(per_row)
        self.first = np.array(codes.ids_of(values[0] if values else None for values in per_row), np.int32)
        self.other_rows = np.array([row for row, values in enumerate(per_row) for _code in values[1:]], np.int32)
        self.other_ids = np.array(codes.ids_of(code for values in per_row for code in values[1:]), np.int32)

    def known(self, rows: np.ndarray) -> np.ndarray:
        return self.first[rows] >= 0

    def any_of(self, wanted: Iterable[str], rows: np.ndarray) -> np.ndarray:
        """For each of `rows`, whether one of its codes is in `wanted`."""
        table = self.codes.table(wanted)
        found = table[self.first[rows]]
        if len(self.other_rows):
            dense = np.zeros(self.size, np.bool_)
            dense[self.other_rows[table[self.other_ids]]] = True
            found |= dense[rows]
        return found


def postings(stems_by_row: Iterable[Iterable[str]]) -> dict[str, np.ndarray]:
    """Stem → the rows that have it (ascending, each once)."""
    rows_by_stem: dict[str, list[int]] = {}
    add = rows_by_stem.setdefault
    for row, stems in enumerate(stems_by_row):
        for stem in set(stems):
            add(stem, []).append(row)
    return {stem: np.array(rows, np.int32) for stem, rows in rows_by_stem.items()}


def count_postings(size: int, lists: list[np.ndarray]) -> np.ndarray:
    """How many of the posting `lists` (rows, each list without duplicates) each row appears in."""
    counts = np.zeros(size, np.int16)
    for rows in lists:
        counts[rows] += 1
    return counts


def cpv_values(best: np.ndarray, has_codes: np.ndarray) -> np.ndarray:
    """``rules.cpv_criterion`` values: the best pair's, ``rules.CPV_UNKNOWN`` for rows without codes."""
    return np.where(has_codes, best, rules.CPV_UNKNOWN)


def matching(size: int, cpv: np.ndarray | None, counts: np.ndarray | None) -> np.ndarray:
    """The candidates: rows close to the query's CPV codes or sharing one of its stems (all rows when the query
    has neither)."""
    if cpv is None and counts is None:
        return np.ones(size, np.bool_)
    if counts is None:
        return cpv > 0
    if cpv is None:
        return counts > 0
    return (cpv > 0) | (counts > 0)


def floats(values: Iterable[float | None]) -> np.ndarray:
    """A float64 column, NaN where unknown (None)."""
    return np.array(list(values), np.float64)


class Points:
    """Each row's (latitude, longitude) in radians and the cosine of its latitude, NaN where unknown, so that a
    query computes only two sines, a square root and an arc sine per row."""

    def __init__(self, points: Iterable[tuple[float, float] | None]):
        points = list(points)
        self.lat = np.radians(floats(p[0] if p else None for p in points))
        self.lon = np.radians(floats(p[1] if p else None for p in points))
        self.cos_lat = np.cos(self.lat)

    def km(self, rows: np.ndarray, origin: tuple[float, float], within: np.ndarray | float = math.inf) -> np.ndarray:
        """``suppliers.rules.distance_km`` from `origin` to each row, same formula; NaN where unknown. A row whose
        latitude alone puts it farther than `within` (km) gets +inf without computing its distance (the distance
        along a meridian is a lower bound of the great-circle distance)."""
        lat0, lon0 = math.radians(origin[0]), math.radians(origin[1])
        lat = self.lat[rows]
        km = np.full(len(rows), np.nan)
        with np.errstate(invalid="ignore"):
            gap = np.abs(lat - lat0) * EARTH_RADIUS_KM
            far = gap > np.asarray(within) * (1 + 1e-9) + 1e-6
        km[far] = math.inf
        near = np.flatnonzero(~far & ~np.isnan(lat))
        lat, lon, cos_lat = lat[near], self.lon[rows[near]], self.cos_lat[rows[near]]
        h = np.sin((lat - lat0) / 2) ** 2 + math.cos(lat0) * cos_lat * np.sin((lon - lon0) / 2) ** 2
        km[near] = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        return km


def closeness(km: np.ndarray) -> np.ndarray:
    """``rules.closeness`` on an array (0 where unknown)."""
    linear = (rules.FAR_KM - km) / (rules.FAR_KM - rules.NEAR_KM)
    value = np.where(km <= rules.NEAR_KM, 1.0, np.where(km >= rules.FAR_KM, 0.0, linear))
    return np.where(np.isnan(km), 0.0, value)


def geo_values(covered: np.ndarray, known: np.ndarray, km: np.ndarray) -> np.ndarray:
    """``rules.geo_criterion`` values: covered places by closeness, unknown places neutral, others 0."""
    covered_value = rules.GEO_COVERED + (1 - rules.GEO_COVERED) * closeness(km)
    return np.where(known, np.where(covered, covered_value, 0.0), rules.GEO_UNKNOWN_PLACE)


def size_values(amount: np.ndarray | float, turnover: np.ndarray | float) -> np.ndarray:
    """``rules.size_criterion`` values (amount or turnover NaN or ≤ 0: neutral)."""
    amount, turnover = np.broadcast_arrays(np.asarray(amount, np.float64), np.asarray(turnover, np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = amount / turnover
    value = np.where(share <= rules.SAFE_SHARE, 1.0, np.where(share <= rules.RISKY_SHARE, 0.5, 0.0))
    return np.where((amount > 0) & (turnover > 0), value, rules.SIZE_UNKNOWN)


def text_values(matches: np.ndarray, query_size: int) -> np.ndarray:
    """``rules.text_criterion`` values from the count of the query's stems each row has (`query_size`: the
    query's own stems, as ``rules.text_criterion``'s ``size``)."""
    return np.minimum(1.0, matches / min(rules.TEXT_FULL_MATCHES, query_size))


def track_values(won: np.ndarray) -> np.ndarray:
    scores = np.asarray(rules.TRACK_SCORES, np.float64)
    return scores[np.minimum(won, len(scores) - 1).astype(np.intp)]


def combine(parts: dict[str, np.ndarray], bonus: np.ndarray | bool, count: int) -> np.ndarray:
    """``rules.combine`` before rounding, same operations in the same order: `parts` maps each criterion the query
    judges (in ``explain``'s order) to its values."""
    total = sum(rules.WEIGHTS[name] for name in parts)
    if not total:
        score = np.zeros(count, np.float64)
    else:
        weighted = None
        for name, values in parts.items():
            term = rules.WEIGHTS[name] * values
            weighted = term if weighted is None else weighted + term
        score = 100 * weighted / total
    score = score + np.where(bonus, float(rules.RESERVED_BONUS), 0.0)
    return np.minimum(100.0, score)


def shown(score: np.ndarray, parts: dict[str, np.ndarray]) -> np.ndarray:
    """``rules.shown`` on the scores as ``rules.combine`` rounds them and ``rules.relevance`` of the `parts`,
    same operations in the same order."""
    judged = [name for name in rules.RELEVANCE if name in parts]
    if not judged:
        return np.ones(len(score), np.bool_)
    weighted = None
    for name in judged:
        term = rules.WEIGHTS[name] * parts[name]
        weighted = term if weighted is None else weighted + term
    relevance = weighted / sum(rules.WEIGHTS[name] for name in judged)
    return (tenths(score) >= round(rules.MIN_SCORE * 10)) & (relevance >= rules.MIN_RELEVANCE)


def tenths(score: np.ndarray) -> np.ndarray:
    """``round(score, 1) * 10`` as ints, exactly as Python rounds: numpy's ``rint(x * 10)`` may differ when
    ``x * 10`` is within a hair of a half, so those few values are rounded by Python."""
    scaled = score * 10
    rounded = np.rint(scaled)
    result = rounded.astype(np.int64)
    near_half = np.abs(np.abs(scaled - rounded) - 0.5) < 1e-6
    if near_half.any():
        ambiguous = np.unique(score[near_half])
        fixed = np.array([round(round(float(v), 1) * 10) for v in ambiguous], np.int64)
        result[near_half] = fixed[np.searchsorted(ambiguous, score[near_half])]
    return result


def top(score: np.ndarray, rows: np.ndarray, count: int) -> list[int]:
    """The `count` best rows, best first: by score rounded as ``rules.combine`` rounds it, then by row number
    (the index's stable order), as the exact ranking orders them."""
    count = min(count, len(rows))
    if count <= 0:
        return []
    key = tenths(score) * ROW_BITS + (ROW_BITS - 1 - rows.astype(np.int64))
    if count < len(key):
        chosen = np.argpartition(-key, count - 1)[:count]
    else:
        chosen = np.arange(len(key))
    chosen = chosen[np.argsort(-key[chosen], kind="stable")]
    return rows[chosen].tolist()
