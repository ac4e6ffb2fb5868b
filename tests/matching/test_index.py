"""The indexes' vectorised pre-ranking against a brute-force exact ranking: every record scored one by one with
``rules`` (through ``explain``), filtered by plain Python, sorted by (score, row). On randomized small indexes the
search must return the same count and the same top 10 — even with no margin of extra rows scored by ``rules``,
so the pre-score itself ranks as ``rules`` does and never drops a candidate of the exact top 10."""

import math
import random
import threading

import numpy as np
import pytest

from tremplin.matching import opportunity_index, rules, supplier_index, vectors
from tremplin.matching.cache import LazyIndex
from tremplin.matching.opportunity_index import OpportunityFeatures, OpportunityIndex
from tremplin.matching.supplier_index import Place, SupplierFeatures, SupplierIndex
from tremplin.matching.types import OPPORTUNITY_KINDS, OpportunityQuery, SupplierQuery
from tremplin.suppliers.rules import distance_km

CODES = ["45210000", "45214200", "45214000", "45261000", "45000000", "45310000", "71000000", "71240000", "60100000",
         "90910000", "33100000", "", "4521"]  # fmt: skip
WORDS = [f"mot{n}" for n in range(25)] + ["commun"]
DEPARTMENTS = {"69": "84", "01": "84", "38": "84", "13": "93", "83": "93", "75": "11"}
POINTS = {"69": (45.76, 4.83), "01": (46.2, 5.22), "38": (45.19, 5.72), "13": (43.3, 5.37), "83": (43.12, 5.93),
          "75": (48.86, 2.35)}  # fmt: skip
ARTICLES = [rules.INSERTION, rules.HANDICAP, rules.ESS, rules.RESERVED_UNSPECIFIED]
NOW = 1_800_000_000.0
SIZE = 600  # above rules.COMMON_STEM_MIN_INDEX: "commun", in half of the records, is too common to count


def words(rng, count):
    return tuple(dict.fromkeys(rng.sample(WORDS[:-1], count) + (["commun"] if rng.random() < 0.5 else [])))


def point(rng, department):
    if rng.random() < 0.15:
        return None
    lat, lon = POINTS[department]
    return (lat + rng.choice((0, 0, 0.1, 0.73)), lon + rng.choice((0, 0, 0.2, 0.41)))


def opportunities(rng):
    records = []
    for pk in range(SIZE):
        departments = tuple(rng.sample(list(DEPARTMENTS), rng.choice((0, 1, 1, 1, 2))))
        foreign = not departments and rng.random() < 0.4  # abroad: no French place
        regions = tuple(DEPARTMENTS[d] for d in departments)
        if not departments and not foreign and rng.random() < 0.5:
            regions = (rng.choice(sorted(set(DEPARTMENTS.values()))),)  # a place known by its region only
        records.append(OpportunityFeatures(
            kind=rng.choice(OPPORTUNITY_KINDS), pk=pk, title=f"Besoin {pk}",
            deadline_ts=rng.choice((None, NOW - 10, NOW + 86400)), published_ts=rng.choice((None, NOW - 100, NOW - 9)),
            cpv=(rng.choice(CODES),) if rng.random() < 0.9 else (),
            secondary_cpv=tuple(rng.sample(CODES, rng.choice((0, 0, 1, 3)))),
            departments=departments, regions=regions,
            point=point(rng, departments[0]) if departments else None,
            amount=rng.choice((None, 0.0, 50_000.0, 120_000.0, 400_000.0, 3e6)),
            reservations=tuple(rng.sample(ARTICLES, 1)) if rng.random() < 0.1 else (),
            stems=words(rng, rng.randint(0, 4)), foreign=foreign,
        ))  # fmt: skip
    return records


def suppliers(rng):
    records = []
    for pk in range(SIZE):
        department = rng.choice(list(DEPARTMENTS))
        scope = rng.random()
        records.append(SupplierFeatures(
            organisation_pk=pk, siret=f"{pk:014d}", name=f"Fournisseur {pk}",
            inclusive_status=rng.choice(("", "", "", "EI", "ACI", "EA", "ESAT", "GEIQ")), is_ess=rng.random() < 0.2,
            size_category=rng.choice(("micro", "pme", "eti", "ge", "")), department=department,
            point=point(rng, department), cpv=tuple(rng.sample(CODES, rng.randint(0, 3))),
            stems=words(rng, rng.randint(0, 5)), national=scope < 0.1,
            departments=tuple(rng.sample(list(DEPARTMENTS), 2)) if 0.1 <= scope < 0.6 else (),
            regions=(DEPARTMENTS[department],) if 0.6 <= scope < 0.75 else (),
            radius_km=rng.choice((30.0, 80.0)) if scope >= 0.75 else None,
            turnover=rng.choice((None, 0.0, 100_000.0, 1e6)),
            won=({rng.choice(("452", "450", "710", "601")): rng.randint(1, 4)} if rng.random() < 0.4 else {}),
        ))  # fmt: skip
    return records


def opportunity_query(rng):
    department = rng.choice(list(DEPARTMENTS))
    scope = rng.random()
    return OpportunityQuery(
        text="",
        cpv=tuple(c for c in rng.sample(CODES[:-2], rng.choice((0, 1, 1, 2, 3)))),
        departments=tuple(rng.sample(list(DEPARTMENTS), 2)) if scope < 0.5 else (),
        regions=(DEPARTMENTS[department],) if 0.5 <= scope < 0.65 else (),
        national=0.65 <= scope < 0.75,
        origin=point(rng, department) if rng.random() < 0.8 else None,
        radius_km=rng.choice((None, 50.0, 150.0)),
        kinds=tuple(rng.sample(OPPORTUNITY_KINDS, rng.choice((1, 3, 3)))),
        inclusive_status=rng.choice(("", "", "EI", "ESAT")),
        is_ess=rng.random() < 0.2,
        turnover=rng.choice((None, 0, 500_000)),
        min_amount=rng.choice((None, None, 60_000)),
        max_amount=rng.choice((None, None, 1_000_000)),
    )


def brute_opportunities(index, query, stems, track, since_ts, everything=False):
    """Every opportunity the query may see, best first, scored by ``rules`` (`everything`: with foreign notices
    and scores below the floor)."""
    size = index.query_size(stems)
    stems = index.query_stems(stems)
    if query.text and not stems and not query.cpv:
        return []
    judged = bool(query.national or query.departments or query.regions or query.radius_km or query.origin)
    ranked = []
    for row, r in enumerate(index.records):
        coded = any(r.cpv) or any(r.secondary_cpv)  # without codes: judged on words (CPV_UNKNOWN), not a candidate
        criteria = {"cpv": rules.cpv_criterion(query.cpv, r.cpv, r.secondary_cpv),
                    "text": rules.text_criterion(stems, r.stems, size=size)}  # fmt: skip
        cpv, text = criteria["cpv"].value if coded else None, criteria["text"].value
        if (query.cpv or stems) and not ((cpv or 0) > 0 or (text or 0) > 0):
            continue
        if r.kind not in query.kinds or (r.deadline_ts is not None and r.deadline_ts <= NOW):
            continue
        if since_ts is not None and (r.published_ts is None or r.published_ts < since_ts):
            continue
        if r.amount is not None and query.min_amount is not None and r.amount < query.min_amount:
            continue
        if r.amount is not None and query.max_amount is not None and r.amount > query.max_amount:
            continue
        if r.reservations and not rules.is_eligible(r.reservations, query.inclusive_status, query.is_ess):
            continue
        if r.foreign and judged and not everything:
            continue
        wide = {*query.regions, *(DEPARTMENTS[d] for d in query.departments)}
        perimeter = query.departments or query.regions or query.radius_km
        if (r.departments or r.regions) and not query.national and perimeter:
            km = distance_km(query.origin, r.point) if query.origin and r.point else None
            near = query.radius_km and km is not None and km <= query.radius_km
            in_region = not r.departments and set(r.regions) & wide
            if not (set(r.departments) & set(query.departments) or set(r.regions) & set(query.regions) or near
                    or in_region) and not everything:  # fmt: skip
                continue
        match, _row = index.explain(row, query, stems, {}, track, size, tuple(sorted(wide)))
        if everything or rules.shown(match.score, rules.relevance(criteria)):
            ranked.append((-match.score, row, match))
    return [match for _score, _row, match in sorted(ranked, key=lambda item: item[:2])]


def brute_suppliers(index, query, stems, place):
    size = index.query_size(stems)
    stems = index.query_stems(stems)
    if query.text and not stems and not query.cpv:
        return []
    groups = sorted({rules.track_group(c) for c in query.cpv} - {""})
    ranked = []
    for row, r in enumerate(index.records):
        criteria = {"cpv": rules.cpv_criterion(query.cpv, r.cpv, covering=rules.CANDIDATE),
                    "text": rules.text_criterion(stems, r.stems, size=size)}  # fmt: skip
        cpv, text = criteria["cpv"].value if any(r.cpv) else None, criteria["text"].value
        if (query.cpv or stems) and not ((cpv or 0) > 0 or (text or 0) > 0):
            continue
        wanted = {
            "inclusive": r.inclusive_status in supplier_index.INCLUSIVE_FILTERS["inclusive"],
            "siae": r.inclusive_status in rules.SIAE,
            "ess": r.is_ess,
            "sme": r.size_category in supplier_index.SME,
            "local": r.department in place.departments,
            "pme": r.size_category == "pme",
        }
        if not all(wanted[name] for name in query.filters):
            continue
        if query.reservation and not rules.is_eligible([query.reservation], r.inclusive_status, r.is_ess):
            continue
        if place.departments or place.point:
            km = distance_km(r.point, place.point) if r.point and place.point else None
            if place.point:
                near = r.radius_km is not None and km is not None and km <= r.radius_km
            else:
                near = r.radius_km is not None and r.department in place.departments
            perimeter = set(r.departments) & set(place.departments) or set(r.regions) & set(place.regions)
            if not (r.national or perimeter or near):
                continue
        match, _row = index.explain(row, query, stems, {}, place, groups, size)
        if rules.shown(match.score, rules.relevance(criteria)):
            ranked.append((-match.score, row, match))
    return [match for _score, _row, match in sorted(ranked, key=lambda item: item[:2])]


@pytest.fixture(scope="module")
def indexes():
    rng = random.Random(20261122)
    return OpportunityIndex(opportunities(rng)), SupplierIndex(suppliers(rng))


@pytest.mark.parametrize("margin", [0, opportunity_index.PRE_RANKING_MARGIN])
def test_opportunities_pre_ranking_keeps_the_exact_top_10(indexes, monkeypatch, margin):
    monkeypatch.setattr(opportunity_index, "PRE_RANKING_MARGIN", margin)
    index, _suppliers = indexes
    rng = random.Random(margin)
    checked = hidden = 0
    for _ in range(40):
        query = opportunity_query(rng)
        stems = list(words(rng, rng.choice((0, 1, 2, 3)))) + rng.choice(([], [], ["absent"]))  # unknown to the index
        track = rng.choice(({}, {"452": 2}, {"710": 1, "601": 5, "450": 3}))
        since_ts = rng.choice((None, NOW - 50))
        query = OpportunityQuery(**{**query.__dict__, "text": " ".join(stems)})
        wide = tuple(sorted({DEPARTMENTS[d] for d in query.departments}))
        count, found = index.search(
            query, stems, {}, track, limit=10, offset=0, since_ts=since_ts, now_ts=NOW, department_regions=wide
        )
        expected = brute_opportunities(index, query, stems, track, since_ts)
        hidden += len(brute_opportunities(index, query, stems, track, since_ts, everything=True)) > len(expected)
        assert count == len(expected)
        assert [(m.id, m.score, m.reasons) for m in found] == [(m.id, m.score, m.reasons) for m in expected[:10]]
        checked += bool(expected)
    assert checked > 25  # most queries find something: the comparison is not vacuous
    assert hidden > 5  # … and the floor and the foreign notices do hide some


@pytest.mark.parametrize("margin", [0, supplier_index.PRE_RANKING_MARGIN])
def test_suppliers_pre_ranking_keeps_the_exact_top_10(indexes, monkeypatch, margin):
    monkeypatch.setattr(supplier_index, "PRE_RANKING_MARGIN", margin)
    _opportunities, index = indexes
    rng = random.Random(100 + margin)
    checked = 0
    for _ in range(40):
        department = rng.choice(list(DEPARTMENTS))
        departments = (department,) if rng.random() < 0.8 else ()
        place = Place(departments, tuple(DEPARTMENTS[d] for d in departments), point(rng, department), "")
        stems = list(words(rng, rng.choice((0, 1, 2, 3)))) + rng.choice(([], [], ["absent"]))
        query = SupplierQuery(
            text=" ".join(stems),
            cpv=tuple(rng.sample(CODES[:-2], rng.choice((0, 1, 1, 2)))),
            departments=departments,
            amount=rng.choice((None, 0, 30_000, 300_000)),
            reservation=rng.choice(("", "", rules.INSERTION, rules.HANDICAP)),
            filters=tuple(rng.sample(["inclusive", "siae", "ess", "sme", "local", "pme"], rng.choice((0, 0, 1)))),
        )
        count, found = index.search(query, stems, {}, place, limit=10, offset=0)
        expected = brute_suppliers(index, query, stems, place)
        assert count == len(expected)
        assert [(m.id, m.score, m.reasons) for m in found] == [(m.id, m.score, m.reasons) for m in expected[:10]]
        checked += bool(expected)
    assert checked > 25


def test_pages_follow_the_exact_ranking(indexes):
    index, _suppliers = indexes
    query = OpportunityQuery(cpv=("45210000",), origin=POINTS["69"])
    expected = [m.id for m in brute_opportunities(index, query, [], {}, None)]
    assert len(expected) > 60
    pages = [index.search(query, [], {}, {}, limit=20, offset=o, since_ts=None, now_ts=NOW)[1] for o in (0, 20, 40)]
    assert [m.id for page in pages for m in page] == expected[:60]
    _count, page = index.search(query, [], {}, {}, limit=7, offset=13, since_ts=None, now_ts=NOW)
    assert [m.id for m in page] == expected[13:20]


@pytest.mark.parametrize(
    "wanted, codes, secondary",
    [
        (["45210000"], ["45210000"], []),
        (["45210000"], ["45214200"], []),
        (["45210000"], ["45261000"], ["45214200"]),
        (["45000000"], ["45310000"], []),
        (["45210000", "71240000"], ["71240000", "45000000"], []),
        (["60100000"], ["45210000"], ["60100000"]),
        (["60100000"], ["45210000"], []),
        (["45210000"], ["", "4521"], ["452100"]),
        (["03000000"], ["03100000"], []),
        (["45214000"], ["45214200", "45000000"], ["45214210"]),
        (["45214200"], ["45214000", "45200000"], ["45000000"]),
        (["71240000", "45112700"], ["71000000", "45100000"], ["45112000"]),
    ],
)
@pytest.mark.parametrize("covering", [rules.WANTED, rules.CANDIDATE])
def test_cpv_columns_give_the_rules_value(wanted, codes, secondary, covering):
    rows = [0] * len(codes) + [1] * len(secondary) + [2]
    columns = vectors.CpvColumns(4, rows, [vectors.cpv_int(c) for c in [*codes, *secondary, "45210000"]],
                                 [False] * len(codes) + [True] * len(secondary) + [False], covering)  # fmt: skip
    best = vectors.cpv_values(columns.best(wanted), np.array([bool(codes), bool(secondary), True, False]))
    assert best[0] == rules.cpv_criterion(wanted, codes, covering=covering).value
    assert best[1] == rules.cpv_criterion(wanted, [], secondary, covering=covering).value
    assert best[2] == rules.cpv_criterion(wanted, ["45210000"], covering=covering).value
    assert best[3] == rules.cpv_criterion(wanted, [], []).value == rules.CPV_UNKNOWN  # a row without codes


def test_tenths_round_as_python_does():
    rng = random.Random(3)
    values = [0.05, 0.15, 0.25, 2.675, 80.05, 70.05, 99.95, 100.0, 0.0, 33.35, 66.65, 42.45]
    values += [rng.uniform(0, 100) for _ in range(2000)] + [round(rng.uniform(0, 100), 2) for _ in range(2000)]
    assert vectors.tenths(np.array(values)).tolist() == [round(round(v, 1) * 10) for v in values]


def test_vectorised_criteria_match_rules():
    km = np.array([0.0, 19.9, 20.0, 150.0, 299.9, 300.0, 1000.0, math.nan])
    assert vectors.closeness(km).tolist() == [rules.closeness(None if math.isnan(k) else k) for k in km]
    amounts = [None, 0.0, 10.0, 29_999.0, 30_000.0, 40_000.0, 50_000.0, 60_000.0]
    for turnover in (0.0, 100_000.0):  # the query's side is known, else the criterion is not judged
        values = vectors.size_values(vectors.floats(amounts), turnover)
        assert values.tolist() == [rules.size_criterion(a, turnover).value for a in amounts]
        assert vectors.size_values(turnover, vectors.floats(amounts)).tolist() == [
            rules.size_criterion(turnover, a).value for a in amounts
        ]
    assert vectors.text_values(np.array([0, 1, 2, 3, 5]), 5).tolist() == [
        rules.text_criterion(list("abcde"), list("abcde"[:n])).value for n in (0, 1, 2, 3, 5)
    ]
    assert vectors.track_values(np.array([0, 1, 2, 3, 9])).tolist() == [
        rules.track_criterion(n).value for n in (0, 1, 2, 3, 9)
    ]
    lyon, grenoble = POINTS["69"], POINTS["38"]
    points = vectors.Points([grenoble, None, lyon])
    assert points.km(np.array([0, 1, 2]), lyon)[0] == distance_km(lyon, grenoble)
    assert math.isnan(points.km(np.array([1]), lyon)[0])
    assert points.km(np.array([2]), lyon)[0] == 0.0


def test_codes_tables_are_false_for_unknown_and_missing_values():
    codes = vectors.Codes()
    ids = np.array([codes.id("69"), codes.id("13"), codes.id(""), codes.id("69")])
    assert ids.tolist() == [0, 1, vectors.NO_CODE, 0]
    assert codes.table(["69", "99"])[ids].tolist() == [True, False, False, True]


def test_empty_indexes_find_nothing():
    assert OpportunityIndex([]).search(
        OpportunityQuery(cpv=("45210000",)), [], {}, {}, limit=10, offset=0, since_ts=None, now_ts=NOW
    ) == (0, [])
    assert SupplierIndex([]).search(SupplierQuery(cpv=("45210000",)), [], {}, Place(), limit=10, offset=0) == (0, [])


def test_a_rebuild_does_not_block_searches_on_the_current_index(settings):
    settings.MATCHING_INDEX_CHECK_SECONDS = 0
    generation, checking, release = [1], threading.Event(), threading.Event()

    def slow_generation():
        if generation[0] == 2:
            checking.set()
            release.wait(5)
        return generation[0]

    lazy = LazyIndex(lambda: [generation[0]], lambda records: ("index", *records), slow_generation)
    assert lazy.get() == ("index", 1) and lazy.builds == 1
    generation[0] = 2
    rebuild = threading.Thread(target=lazy.get)
    rebuild.start()
    assert checking.wait(5)
    assert lazy.get() == ("index", 1)  # served at once while the other thread rebuilds
    release.set()
    rebuild.join(5)
    assert lazy.get() == ("index", 2) and lazy.builds == 2
    lazy.reset()
    assert lazy.get() == ("index", 2) and lazy.builds == 3
