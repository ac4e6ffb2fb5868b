"""Indicators over the five contracts of conftest.py, every value computed by hand.

Amounts: c1 100 k, c2 200 k (alpha + gamma: 100 k each), c3 300 k, c4 5 bn (suspicious), c5 400 k."""

import datetime

import pytest

from tremplin.observatory.filters import FilterError, Filters, cpv_prefix
from tremplin.observatory.queries import indicators

pytestmark = pytest.mark.django_db


def share(yes, no, unknown, rate, coverage):
    return {"yes": yes, "no": no, "unknown": unknown, "rate": rate, "coverage": coverage}


def test_every_indicator_without_filter(dataset):
    data = indicators(Filters())
    assert data["contracts"] == 5
    assert data["amount"] == 1_000_000  # c4's suspicious 5 bn left out
    assert data["amount_median"] == 250_000  # median of 100, 200, 300, 400 k
    assert data["amount_contracts"] == 4
    # SME: c1 alpha micro (1), c2 alpha + gamma PME (½ + ½), c3 beta GE (no), c4 delta size unknown, c5 foreign.
    assert data["sme"] == {
        "count": share(2.0, 1.0, 2.0, 0.6667, 0.6),
        "amount": share(300_000, 300_000, 400_000, 0.5, 0.6),
    }
    # Department: c1 alpha 69 = 69; c2 alpha yes ½, gamma (42) no ½; c3 beta 75 = 75; c4 delta 13 ≠ 75; c5 unknown.
    assert data["local_department"] == {
        "count": share(2.5, 1.5, 1.0, 0.625, 0.8),
        "amount": share(500_000, 100_000, 400_000, 0.8333, 0.6),
    }
    # Region: gamma's 42 is in 84 like c2's territory; delta's 93 differs from c4's 11.
    assert data["local_region"] == {
        "count": share(3.0, 1.0, 1.0, 0.75, 0.8),
        "amount": share(600_000, 0, 400_000, 1.0, 0.6),
    }
    # Inclusive: gamma (ESAT) is half of c2; the foreign holder, not in the directory, is unknown.
    assert data["inclusive"] == {
        "count": share(0.5, 3.5, 1.0, 0.125, 0.8),
        "amount": share(100_000, 500_000, 400_000, 0.1667, 0.6),
    }
    # Offers known for c1 (1), c2 (3), c3 (2), c5 (1).
    assert data["offers"] == {"known": 4, "unknown": 1, "mean": 1.75, "single_bid": 2, "single_bid_rate": 0.5}
    assert data["flagged"] == {"contracts": 1, "rate": 0.2, "suspicious_amounts": 1}
    assert data["include_suspicious"] is False


def test_the_switch_includes_suspicious_amounts(dataset):
    data = indicators(Filters(include_suspicious=True))
    assert data["contracts"] == 5
    assert data["amount"] == 5_001_000_000
    assert data["amount_median"] == 300_000
    assert data["amount_contracts"] == 5
    assert data["sme"]["amount"]["unknown"] == 5_000_400_000  # delta's size is unknown
    assert data["sme"]["count"] == share(2.0, 1.0, 2.0, 0.6667, 0.6)  # counts do not change
    assert data["local_department"]["amount"]["no"] == 5_000_100_000


FILTER_CASES = [
    ({"year": 2024}, 4, 900_000),
    ({"year": 2023}, 1, 100_000),
    ({"date_from": "2024-06-01", "date_to": "2024-07-31"}, 2, 700_000),  # c3, c5
    ({"date_from": "2024-07-14"}, 2, 400_000),  # c5, c4 (suspicious)
    ({"date_to": "2024-02-20"}, 2, 300_000),  # bounds included
    ({"year": 2024, "date_to": "2024-06-30"}, 2, 500_000),  # both: c2, c3
    ({"region": "84"}, 2, 300_000),
    ({"department": "75"}, 2, 300_000),
    ({"department": "13"}, 0, None),
    ({"cpv": "45"}, 3, 700_000),  # division
    ({"cpv": "4521"}, 2, 300_000),  # class
    ({"cpv": "45210000"}, 2, 300_000),  # a full code stands for its level: 4521…
    ({"cpv": "45210000-2"}, 2, 300_000),  # with its check digit
    ({"cpv": "452142"}, 1, 200_000),
    ({"cpv": "45214200"}, 1, 200_000),
    ({"cpv": "09"}, 1, 300_000),
    ({"cpv": "6"}, 1, None),
    ({"procedure": "Appel d'offres ouvert"}, 2, 400_000),
    ({"nature": "Accord-cadre"}, 1, 400_000),
    ({"year": 2024, "procedure": "Procédure adaptée"}, 2, 200_000),
    ({"year": 2024, "region": "84", "cpv": "45"}, 1, 200_000),
]


def test_filters(dataset):
    """One dataset for the whole table (building it is what takes time)."""
    for params, contracts, amount in FILTER_CASES:
        data = indicators(Filters.from_params(params))
        assert (data["contracts"], data["amount"]) == (contracts, amount), params


def test_buyer_filter(dataset):
    data = indicators(Filters(buyer=dataset.lyon.siret))
    assert (data["contracts"], data["amount"]) == (3, 700_000)
    assert indicators(Filters(buyer=dataset.lyon.siret, year=2024))["contracts"] == 2


def test_holder_filter_counts_the_holders_share(dataset):
    data = indicators(Filters(holder=dataset.alpha.siret))
    assert data["contracts"] == 2  # c1 and c2
    assert data["amount"] == 200_000  # 100 k + half of c2
    assert data["amount_median"] == 100_000
    assert data["sme"]["count"] == share(2.0, 0, 0, 1.0, 1.0)  # weight 1: the holder's own contracts
    assert data["local_department"]["count"] == share(2.0, 0, 0, 1.0, 1.0)
    assert data["offers"]["single_bid"] == 1
    gamma = indicators(Filters(holder=dataset.gamma.siret))
    assert (gamma["contracts"], gamma["amount"]) == (1, 100_000)
    assert gamma["inclusive"]["count"] == share(1.0, 0, 0, 1.0, 1.0)
    assert indicators(Filters(holder="00000000000000"))["contracts"] == 0


def test_nothing_matches(dataset):
    data = indicators(Filters(year=1999))
    assert data["contracts"] == 0
    assert data["amount"] is None and data["amount_median"] is None
    assert data["sme"]["count"] == share(0, 0, 0, None, None)
    assert data["offers"]["single_bid_rate"] is None and data["flagged"]["rate"] is None


def test_empty_database_gives_zeros(small_referentials):
    assert indicators(Filters())["contracts"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "deux-mille"}, "year"),
        ({"year": "1800"}, "year"),
        ({"date_from": "2024-13-01"}, "date_from"),
        ({"date_from": "2024-05-01", "date_to": "2024-04-01"}, "date_to"),
        ({"buyer": "1234"}, "buyer"),
        ({"holder": "1234567890123A"}, "holder"),
        ({"department": "9A"}, "department"),
        ({"region": "ARA"}, "region"),
        ({"cpv": "45x"}, "cpv"),
        ({"cpv": "123456789"}, "cpv"),
        ({"procedure": "x" * 121}, "procedure"),
    ],
)
def test_invalid_filters_are_refused_with_a_french_message(params, field):
    with pytest.raises(FilterError) as raised:
        Filters.from_params(params)
    assert list(raised.value.errors) == [field]


def test_filters_round_trip_through_the_query_string():
    filters = Filters.from_params(
        {"year": "2024", "date_from": "2024-01-01", "department": "2a", "cpv": "45210000", "include_suspicious": "1"}
    )
    assert filters == Filters(
        year=2024, date_from=datetime.date(2024, 1, 1), department="2A", cpv="4521", include_suspicious=True
    )
    assert filters.querystring() == "year=2024&date_from=2024-01-01&department=2A&cpv=4521&include_suspicious=1"
    assert Filters.from_params(filters.params()) == filters
    assert Filters.from_params({"buyer": "000 079 194 00015"}, lenient_identifiers=True).buyer == "00007919400015"


@pytest.mark.parametrize(
    ("value", "prefix"),
    [("45", "45"), ("4521", "4521"), ("45210000", "4521"), ("45000000", "45"), ("45214210-5", "4521421"),
     ("10000000", "10"), ("450", "450")],
)  # fmt: skip
def test_cpv_prefix(value, prefix):
    assert cpv_prefix(value) == prefix
