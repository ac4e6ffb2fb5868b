"""Indicators and breakdowns, computed in the DuckDB snapshot with parameterised SQL.

The Python API the pages, the JSON API and the benchmarks share:

    indicators(Filters(year=2024, region="84"))           -> dict
    breakdown("department", Filters(cpv="45"), limit=20)  -> dict

Definitions (stated on the pages too):
- Amounts are amounts at notification; contracts whose amount is marked suspicious are left out of every sum,
  median and share by amount (they still count as contracts) unless `include_suspicious` is set.
- A contract with several holders is split evenly between them, in amount and in count (decp-augmente's
  convention): each of n holders weighs 1/n contract and amount/n. So yes + no + unknown = contracts (count) and
  = amount (amount), whatever the number of holders.
- SME share: holders whose size category is micro or PME (yes), ETI or GE (no); unknown when the holder is not
  identified in the directory or its size is not known. Local share: holders whose establishment is in the
  contract's territory department (resp. region); unknown when either side is unknown. Inclusive share: holders
  with an SIAE (EI, ETTI, AI, ACI, EITI) or disability (EA, EATT, ESAT) status; unknown when the holder is not
  identified. `rate` = yes / (yes + no): unknown is never counted as no; `coverage` = (yes + no) / total.
- Competition: over the contracts whose number of offers received is known (≥ 1): mean offers and the share
  with a single offer.
- With a holder filter, each contract is that holder's part only: its row, weight 1, amount = its share.
- Breakdowns by a contract attribute put each contract in one group (groups add up to the total); breakdowns by
  holder or size category put a co-held contract in the group of each of its holders (counts may then add up
  to more than the total; amounts are split and add up).
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass

from tremplin.observatory import snapshot
from tremplin.observatory.filters import Filters
from tremplin.organisations.models import SizeCategory

SHARES = ("sme", "local_department", "local_region", "inclusive")
MAX_LIMIT = 500

MONTHS = [
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@dataclass(frozen=True)
class Dimension:
    name: str
    column: str  # a column of `facts`, fixed here: never taken from the request
    label: str  # French, for pages and CSV headers
    per_holder: bool = False  # a contract can fall in several groups
    table: str = ""  # for integer keys: the table giving their SIRET and name
    first: str = "first"  # the column that is 1 once per contract and group


DIMENSIONS: dict[str, Dimension] = {
    dimension.name: dimension
    for dimension in (
        Dimension("year", "CAST(year AS VARCHAR)", "Année"),
        Dimension("month", "month", "Mois"),
        Dimension("region", "territory_region", "Région"),
        Dimension("department", "territory_department", "Département"),
        Dimension("cpv_division", "cpv_division", "Secteur (division CPV)"),
        Dimension("buyer", "buyer_key", "Acheteur", table="buyers"),
        Dimension("holder", "holder_key", "Titulaire", per_holder=True, table="holders", first="holder_first"),
        Dimension("procedure", "procedure", "Procédure"),
        Dimension("nature", "nature", "Nature"),
        Dimension("size_category", "holder_size", "Taille du titulaire", per_holder=True, first="size_first"),
    )
}
BY_CHOICES = list(DIMENSIONS)
SORTS = {"amount": "amount DESC NULLS LAST, contracts DESC, key", "key": "key", "contracts": "contracts DESC, key"}

UNKNOWN_LABELS = {
    "year": "Date inconnue",
    "month": "Date inconnue",
    "region": "Territoire inconnu",
    "department": "Département inconnu",
    "cpv_division": "CPV non renseigné",
    "buyer": "Acheteur non identifié",
    "holder": "Titulaire non identifié",
    "procedure": "Procédure non renseignée",
    "nature": "Nature non renseignée",
    "size_category": "Taille inconnue",
}


class UnknownDimension(ValueError):
    pass


def _columns(filters: Filters) -> dict[str, str]:
    """Column names chosen from fixed alternatives by the (validated) filters, never built from their values.
    With a holder filter every row is one contract (the holder's part); otherwise contract-level sums read the
    `_first` columns."""
    ok = "" if filters.include_suspicious else "_ok"
    if filters.by_holder:
        return {
            "first": "1",
            "amount": f"holder_amount{ok}",
            "offers": "offers",
            "single": "single",
            "flagged": "flagged",
            "suspicious": "suspicious",
            "weight": "1",
            "share_amount": f"holder_amount{ok}",
        }
    return {
        "first": "first",
        "amount": "amount_first" + ok,
        "offers": "offers_first",
        "single": "single_first",
        "flagged": "flagged_first",
        "suspicious": "suspicious_first",
        "weight": "weight",
        "share_amount": f"holder_amount{ok}",
    }


def _number(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def _share(yes, no, unknown, digits: int) -> dict:
    known, total = yes + no, yes + no + unknown
    return {
        "yes": round(yes, digits),
        "no": round(no, digits),
        "unknown": round(unknown, digits),
        "rate": round(yes / known, 4) if known else None,
        "coverage": round(known / total, 4) if total else None,
    }


# Results are cached per snapshot version: the same question (the overview without filter, a popular filter)
# is answered from memory until the snapshot is rebuilt.
CACHE_SIZE = 512
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def _cached(name: str, args: tuple, compute):
    key = (snapshot.version(), name, args)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return copy.deepcopy(_cache[key])
    value = compute()
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return copy.deepcopy(value)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _fetch(sql: str, params: list) -> list[tuple]:
    cur = snapshot.cursor()
    try:
        return cur.execute(sql, params).fetchall()
    finally:
        cur.close()


def indicators(filters: Filters) -> dict:
    """The headline indicators for the contracts matching `filters` (see the module docstring)."""
    snapshot.cursor().close()  # opens (or builds, or refreshes) the snapshot before the cache is consulted
    return _cached("indicators", (filters,), lambda: _indicators(filters))


def _indicators(filters: Filters) -> dict:
    c = _columns(filters)
    where, params = filters.sql()
    # One pass: every measure summed per share_key (at most 81 groups), then added up here.
    rows = _fetch(
        f"""
        SELECT share_key, sum({c["first"]}), sum({c["amount"]}), count({c["amount"]}), sum({c["suspicious"]}),
            sum({c["flagged"]}), count({c["offers"]}), sum({c["offers"]}), sum({c["single"]}),
            sum({c["weight"]}), sum({c["share_amount"]})
        FROM facts WHERE {where} GROUP BY share_key
        """,
        params,
    )
    totals = [0.0] * 8
    shares = {share: {"count": [0.0, 0.0, 0.0], "amount": [0.0, 0.0, 0.0]} for share in SHARES}
    any_amount = False
    for share_key, *values in rows:
        *measures, weight, share_amount = (float(value or 0) for value in values)
        any_amount = any_amount or values[2] > 0
        totals = [total + value for total, value in zip(totals, measures, strict=True)]
        codes = (share_key // 27, share_key // 9 % 3, share_key // 3 % 3, share_key % 3)
        for share, code in zip(SHARES, codes, strict=True):
            index = {1: 0, 0: 1, 2: 2}[code]  # yes, no, unknown
            shares[share]["count"][index] += weight
            shares[share]["amount"][index] += share_amount
    contracts, amount, amount_contracts, suspicious, flagged, offers_known, offers_sum, single = totals
    contracts, amount_contracts, offers_known = int(contracts), int(amount_contracts), int(offers_known)
    return {
        "contracts": contracts,
        "amount": _number(amount) if any_amount else None,
        "amount_median": _median(filters, c, where, params) if any_amount else None,
        "amount_contracts": amount_contracts,
        **{
            share: {"count": _share(*counts["count"], digits=4), "amount": _share(*counts["amount"], digits=2)}
            for share, counts in shares.items()
        },
        "offers": {
            "known": offers_known,
            "unknown": contracts - offers_known,
            "mean": round(offers_sum / offers_known, 4) if offers_known else None,
            "single_bid": int(single),
            "single_bid_rate": round(single / offers_known, 4) if offers_known else None,
        },
        "flagged": {
            "contracts": int(flagged),
            "rate": round(flagged / contracts, 4) if contracts else None,
            "suspicious_amounts": int(suspicious),
        },
        "include_suspicious": filters.include_suspicious,
    }


def _median(filters: Filters, c: dict, where: str, params: list) -> float | None:
    if filters.is_empty or filters == Filters(include_suspicious=True):
        meta = snapshot.metadata()
        key = "median_all" if filters.include_suspicious else "median"
        if key in meta:
            return _number(meta[key])
    return _number(_fetch(f"SELECT median({c['amount']}) FROM facts WHERE {where}", params)[0][0])


def breakdown(by: str, filters: Filters, limit: int = 20, offset: int = 0, sort: str = "amount") -> dict:
    """Contracts and amounts grouped by one dimension (`DIMENSIONS`), sorted by amount descending (or by key,
    for time series), `limit` rows from `offset`; `total` is the number of groups."""
    dimension = DIMENSIONS.get(by)
    if dimension is None:
        raise UnknownDimension(f"Dimension inconnue : {by!r} (possibles : {', '.join(BY_CHOICES)}).")
    if sort not in SORTS:
        raise UnknownDimension(f"Tri inconnu : {sort!r}.")
    limit, offset = max(0, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    snapshot.cursor().close()
    return _cached(
        "breakdown", (by, filters, limit, offset, sort), lambda: _breakdown(dimension, filters, limit, offset, sort)
    )


def _breakdown(dimension: Dimension, filters: Filters, limit: int, offset: int, sort: str) -> dict:
    c = _columns(filters)
    if filters.by_holder:  # one row per contract: the holder's row, with its share
        contracts, amount = "count(*)", f"sum({c['share_amount']})"
    elif dimension.per_holder:
        contracts, amount = f"sum({dimension.first})", f"sum({c['share_amount']})"
    else:
        contracts, amount = "sum(first)", f"sum({c['amount']})"
    where, params = filters.sql()
    grouped = f"""
        SELECT {dimension.column} AS key, {contracts} AS contracts, {amount} AS amount, count(*) OVER () AS total
        FROM facts WHERE {where} GROUP BY 1 ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?
    """
    if dimension.table:  # integer keys: SIRET and name joined for the rows of this page only
        key_column = f"{dimension.name}_key"
        sql = f"""
            SELECT coalesce(d.siret, '') AS key, d.name, g.contracts, g.amount, g.total
            FROM ({grouped}) g LEFT JOIN {dimension.table} d ON d.{key_column} = g.key
            ORDER BY {SORTS[sort].replace("key", "g.key")}
        """
    else:
        sql = f"SELECT coalesce(key, ''), NULL, contracts, amount, total FROM ({grouped}) ORDER BY {SORTS[sort]}"
    rows = _fetch(sql, [*params, limit, offset])
    if rows:
        total = rows[0][4]
    else:
        total = _fetch(f"SELECT count(DISTINCT {dimension.column}) FROM facts WHERE {where}", params)[0][0]
    return {
        "by": dimension.name,
        "total": total,
        "limit": limit,
        "offset": offset,
        "rows": [
            {
                "key": key,
                "label": label_for(dimension.name, key, name),
                "contracts": int(count or 0),
                "amount": _number(value),
            }
            for key, name, count, value, _total in rows
        ],
    }


def iter_breakdown(by: str, filters: Filters, sort: str = "amount", page: int = MAX_LIMIT):
    """Every row of a breakdown (for CSV downloads), page by page."""
    offset = 0
    while True:
        result = breakdown(by, filters, limit=page, offset=offset, sort=sort)
        yield from result["rows"]
        offset += page
        if offset >= result["total"]:
            return


def label_for(by: str, key: str, name: str | None = None) -> str:
    """The French label of a breakdown key."""
    if not key:
        return UNKNOWN_LABELS[by]
    if by in ("region", "department", "cpv_division"):
        label = snapshot.labels(by).get(key)
        if by == "department":
            return f"{label} ({key})" if label else key
        if by == "cpv_division":
            return f"{key} — {label}" if label else key
        return label or key
    if by == "month":
        year, _, month = key.partition("-")
        return f"{MONTHS[int(month)]} {year}" if month.isdigit() and 1 <= int(month) <= 12 else key
    if by == "size_category":
        return dict(SizeCategory.choices).get(key, key)
    if by in ("buyer", "holder"):
        return name or key
    return key


def distinct_values(column: str) -> list[str]:
    """The procedures or natures present in the snapshot (for the filter form's choices)."""
    if column not in ("procedure", "nature"):
        raise ValueError(column)
    cur = snapshot.cursor()
    try:
        rows = cur.execute(f"SELECT DISTINCT {column} FROM facts WHERE {column} <> '' ORDER BY 1").fetchall()
    finally:
        cur.close()
    return [value for (value,) in rows]


def years() -> list[int]:
    cur = snapshot.cursor()
    try:
        rows = cur.execute("SELECT DISTINCT year FROM facts WHERE year IS NOT NULL ORDER BY 1 DESC").fetchall()
    finally:
        cur.close()
    return [value for (value,) in rows]
