"""Pure rules, with values worked out by hand."""

import datetime
from decimal import Decimal as D

import pytest

from tremplin.clauses import rules
from tremplin.clauses.rules import MEAT_FISH, OTHER_FOOD, Period, Purchase

day = datetime.date


@pytest.mark.parametrize(
    ("amount", "share", "rate", "cost", "expected"),
    [
        # domain-rules §3.3: 1 000 000 × 50 % × 5 % ÷ 30 = 833,33 → 833
        ("1000000", "50", "5", "30", 833),
        # 1 500 000 × 70 % × 10 % ÷ 30 = 3 500 exactly
        ("1500000", "70", "10", "30", 3500),
        # 100 000 × 50 % × 5 % ÷ 30 = 83,33 → 83
        ("100000", "50", "5", "30", 83),
        # 45 000 × 50 % × 5 % ÷ 30 = 37,5 → 38 (half up)
        ("45000", "50", "5", "30", 38),
        # 44 999 × 50 % × 5 % ÷ 30 = 37,499… → 37
        ("44999", "50", "5", "30", 37),
        # 250 000 × 20 % × 7,5 % ÷ 27,50 = 136,36 → 136
        ("250000", "20", "7.5", "27.50", 136),
        ("0", "50", "5", "30", 0),
        ("1000000", "0", "5", "30", 0),
    ],
)
def test_hours_due(amount, share, rate, cost, expected):
    assert rules.hours_due(D(amount), D(share), D(rate), D(cost)) == expected


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        (("-1", "50", "5", "30"), "amount_excl_vat", "négatif"),
        (("1000", "120", "5", "30"), "labour_share", "entre 0 et 100"),
        (("1000", "50", "-1", "30"), "insertion_rate", "entre 0 et 100"),
        (("1000", "50", "5", "0"), "hourly_cost", "supérieur à zéro"),
        (("beaucoup", "50", "5", "30"), "amount_excl_vat", "nombre"),
    ],
)
def test_hours_due_refuses_bad_input_in_french(args, field, message):
    with pytest.raises(rules.InvalidInput) as error:
        rules.hours_due(*args)
    assert message in error.value.errors[field]


@pytest.mark.parametrize(
    ("cpv", "expected"),
    [("45210000", D(50)), ("45", D(50)), ("90910000", D(40)), ("79000000", D(30)), ("", D(30)), (None, D(30))],
)
def test_labour_share_by_division_else_default(cpv, expected):
    assert rules.labour_share_for(cpv, {"45": D(50), "90": D(40)}, D(30)) == expected


def test_progress_sorts_periods_and_cumulates():
    periods = [
        Period(day(2024, 7, 1), day(2024, 9, 30), D(300)),
        Period(day(2024, 4, 1), day(2024, 6, 30), D(200)),
        Period(day(2024, 10, 1), day(2024, 12, 31), D("333.5")),
    ]
    progress = rules.insertion_progress(833, periods)
    assert [(row.start, row.cumulated, row.achieved) for row in progress.rows] == [
        (day(2024, 4, 1), D(200), D("24.0")),  # 200 ÷ 833 = 24,01 %
        (day(2024, 7, 1), D(500), D("60.0")),  # 500 ÷ 833 = 60,02 %
        (day(2024, 10, 1), D("833.5"), D("100.1")),  # 833,5 ÷ 833 = 100,06 %
    ]
    assert progress.done == D("833.5")
    assert progress.remaining == 0
    assert progress.is_reached


def test_progress_without_hours_due_has_no_rate():
    progress = rules.insertion_progress(0, [Period(day(2024, 1, 1), day(2024, 1, 31), D(10))])
    assert progress.achieved is None and not progress.is_reached
    assert rules.insertion_progress(100, []).remaining == 100


TODAY = day(2025, 6, 1)
EXISTING = [(day(2025, 1, 1), day(2025, 3, 31))]


@pytest.mark.parametrize(
    ("start", "end", "hours", "errors"),
    [
        (day(2025, 4, 1), day(2025, 5, 31), 10, {}),  # right after: fine
        (day(2024, 10, 1), day(2024, 12, 31), 10, {}),  # right before: fine
        (day(2025, 3, 31), day(2025, 4, 30), 10, {"period_start": "chevauche"}),  # shares a day
        (day(2024, 12, 1), day(2025, 6, 1), 10, {"period_start": "chevauche"}),  # contains it
        (day(2025, 2, 1), day(2025, 2, 28), 10, {"period_start": "chevauche"}),  # inside it
        (day(2025, 5, 1), day(2025, 4, 1), 10, {"period_end": "postérieure"}),
        (day(2025, 7, 1), day(2025, 7, 31), 10, {"period_start": "futur"}),
        (day(2025, 4, 1), day(2025, 4, 30), 0, {"hours": "supérieur à zéro"}),
        (day(2025, 4, 1), day(2025, 4, 30), "abc", {"hours": "nombre"}),
    ],
)
def test_period_errors(start, end, hours, errors):
    found = rules.period_errors(start, end, hours, EXISTING, TODAY)
    assert found.keys() == errors.keys()
    for field, fragment in errors.items():
        assert fragment in found[field]


def test_egalim_shares_hand_worked():
    # Other food: organic 30, SIQO 10, other 40. Meat & fish: label 12, organic 3, other 5. Total 100.
    purchases = [
        Purchase(rules.ORGANIC, OTHER_FOOD, D(30)),
        Purchase(rules.SIQO, OTHER_FOOD, D(10)),
        Purchase(rules.NON_QUALIFYING, OTHER_FOOD, D(40)),
        Purchase(rules.SIQO, MEAT_FISH, D(12)),
        Purchase(rules.ORGANIC, MEAT_FISH, D(3)),
        Purchase(rules.NON_QUALIFYING, MEAT_FISH, D(5)),
    ]
    result = rules.egalim_shares(purchases)
    assert result.total == D(100)
    # quality = 30 + 10 + 12 + 3 = 55 → 55 % ≥ 50 %
    assert (result.quality.share, result.quality.status) == (D("55.0"), "atteint")
    # organic = 30 + 3 = 33 → 33 % ≥ 20 %
    assert (result.organic.share, result.organic.status) == (D("33.0"), "atteint")
    # meat & fish = (12 + 3) ÷ 20 = 75 % ≥ 60 %
    assert (result.meat_fish.share, result.meat_fish.status) == (D("75.0"), "atteint")
    assert result.by_category[rules.ORGANIC] == D(33)


def test_egalim_shares_not_reached_and_rounding():
    purchases = [
        Purchase(rules.ORGANIC, OTHER_FOOD, D(19)),
        Purchase(rules.OTHER_LABELS, OTHER_FOOD, D(30)),
        Purchase(rules.NON_QUALIFYING, OTHER_FOOD, D(51)),
        Purchase(rules.SIQO, MEAT_FISH, D(2)),
        Purchase(rules.NON_QUALIFYING, MEAT_FISH, D(1)),
    ]
    result = rules.egalim_shares(purchases)
    # quality = 19 + 30 + 2 = 51 of 103 = 49,51 % < 50 %; organic 19 of 103 = 18,45 %; meat 2 of 3 = 66,7 %
    assert (result.quality.share, result.quality.status) == (D("49.5"), "non atteint")
    assert (result.organic.share, result.organic.reached) == (D("18.4"), False)
    assert (result.meat_fish.share, result.meat_fish.reached) == (D("66.7"), True)


def test_egalim_without_purchases():
    result = rules.egalim_shares([Purchase(rules.ORGANIC, OTHER_FOOD, D(10))])
    assert result.meat_fish.share is None
    assert result.meat_fish.status == "sans achats déclarés"
    assert rules.egalim_shares([]).quality.reached is None


def test_egalim_refuses_unknown_category():
    with pytest.raises(rules.InvalidInput):
        rules.egalim_shares([Purchase("local", OTHER_FOOD, D(10))])
