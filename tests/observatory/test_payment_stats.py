"""Payment-delay statistics on hand-worked invoices: every per-invoice figure comes from payments.rules, the
statistics only count, average, take medians and sum; buyers below the threshold are never named.

Rates used: ECB 3.15 % from 2025-01-01 (→ 11.15 % interest), 2.15 % from 2025-07-01 (→ 10.15 %). An amount of
36 500 € makes the interest easy: 36 500 × r % × d / 365 = r × d (e.g. 11.15 × 10 = 111.50 €).

| buyer      | type     | received   | paid       | clock                          | delay | late | interest |
|------------|----------|------------|------------|--------------------------------|-------|------|----------|
| A commune  | commune  | 2025-01-06 | 2025-01-26 | due 02-05                      | 20    | 0    |          |
| A          |          | 2025-02-03 | 2025-03-05 | due 03-05 (last day)           | 30    | 0    |          |
| A          |          | 2025-03-03 | 2025-04-12 | due 04-02                      | 40    | 10   | 111.50   |
| A          |          | 2025-05-05 | 2025-06-24 | interrupted 05-15 → 05-25 (10) | 40    | 0    |          |
| A          |          | 2025-09-01 | 2025-10-11 | due 10-01, H2 rate             | 40    | 10   | 101.50   |
| B hospital | EPS (50) | 2025-01-06 | 2025-03-07 | due 02-25                      | 60    | 10   | 111.50   |
| B          |          | 2025-04-01 | 2025-04-21 |                                | 20    | 0    |          |
| B          |          | 2025-10-01 | unpaid     | due 11-20, overdue on 2026-01-15 |     |      |          |
"""

import datetime
from decimal import Decimal

import pytest

from tests.contracts.factories import ContractFactory
from tests.factories import BuyerFactory, OrganisationFactory
from tremplin import policy
from tremplin.observatory import payment_stats
from tremplin.observatory.filters import FilterError
from tremplin.observatory.payment_stats import Observation, Period, aggregate
from tremplin.payments import rules
from tremplin.payments.models import Invoice

D = datetime.date
RATES = [(D(2024, 1, 1), Decimal("4.50")), (D(2025, 1, 1), Decimal("3.15")), (D(2025, 7, 1), Decimal("2.15")),
         (D(2026, 1, 1), Decimal("2.15"))]  # fmt: skip
TODAY = D(2026, 1, 15)
AMOUNT = Decimal("36500.00")
A = ("21690123400012", "Commune d'Alpha", "commune")
B = ("26590456700019", "Centre hospitalier Bêta", "etablissement_public_sante")


def result(buyer_type, received, paid=None, interruption=None):
    request = rules.PaymentRequest(buyer_type, AMOUNT, received, paid=paid, interruption=interruption)
    return rules.compute(request, RATES, as_of=TODAY)


def observe(buyer, received, paid=None, interruption=None):
    key, name, buyer_type = buyer
    return Observation(key, name, buyer_type, result(buyer_type, received, paid, interruption))


def invoices():
    return [
        observe(A, D(2025, 1, 6), D(2025, 1, 26)),
        observe(A, D(2025, 2, 3), D(2025, 3, 5)),
        observe(A, D(2025, 3, 3), D(2025, 4, 12)),
        observe(A, D(2025, 5, 5), D(2025, 6, 24), rules.Interruption(D(2025, 5, 15), D(2025, 5, 25))),
        observe(A, D(2025, 9, 1), D(2025, 10, 11)),
        observe(B, D(2025, 1, 6), D(2025, 3, 7)),
        observe(B, D(2025, 4, 1), D(2025, 4, 21)),
        observe(B, D(2025, 10, 1)),
    ]


def figures(group):
    return (group.paid, group.average_days, group.median_days, group.late, group.owed, group.unpaid_past_due)


def test_the_hand_worked_invoices_are_what_the_rules_say():
    delays = [(o.result.payment_days, o.result.days_late, o.result.interest) for o in invoices()[:7]]
    assert delays == [(20, 0, 0), (30, 0, 0), (40, 10, Decimal("111.50")), (40, 0, 0), (40, 10, Decimal("101.50")),
                      (60, 10, Decimal("111.50")), (20, 0, 0)]  # fmt: skip
    assert invoices()[7].result.status == "overdue" and invoices()[7].result.due_date == D(2025, 11, 20)


@pytest.mark.parametrize(
    "period, by_type",
    [
        (
            Period(),
            {
                "commune": (5, Decimal("34.0"), Decimal("40.0"), 2, Decimal("293.00"), 0),
                "etablissement_public_sante": (2, Decimal("40.0"), Decimal("40.0"), 1, Decimal("151.50"), 1),
            },
        ),
        (
            Period(date_to=D(2025, 3, 31)),  # the overdue invoice is due in November: out of this period
            {
                "commune": (2, Decimal("25.0"), Decimal("25.0"), 0, Decimal("0.00"), 0),
                "etablissement_public_sante": (1, Decimal("60.0"), Decimal("60.0"), 1, Decimal("151.50"), 0),
            },
        ),
        (
            Period(year=2025, date_from=D(2025, 4, 1)),
            {
                "commune": (3, Decimal("40.0"), Decimal("40.0"), 2, Decimal("293.00"), 0),
                "etablissement_public_sante": (1, Decimal("20.0"), Decimal("20.0"), 0, Decimal("0.00"), 1),
            },
        ),
        (Period(year=2024), {}),
    ],
)
def test_by_buyer_type_over_a_period(period, by_type):
    stats = aggregate(invoices(), "buyer_type", period)
    assert {row.key: figures(row) for row in stats.rows} == by_type
    assert [row.key for row in stats.rows] == [
        key for key in ("commune", "etablissement_public_sante") if key in by_type
    ]


def test_total_median_late_share_and_owed():
    total = aggregate(invoices(), "buyer_type", Period()).total
    # delays 20, 20, 30, 40, 40, 40, 60: mean 250 / 7 = 35.71…, median 40
    assert figures(total) == (7, Decimal("35.7"), Decimal("40.0"), 3, Decimal("444.50"), 1)
    assert total.interest == Decimal("324.50") and total.indemnities == Decimal("120.00")
    assert total.late_share == pytest.approx(3 / 7)


@pytest.mark.parametrize(
    "delays, median, average",
    [([20, 60], "40.0", "40.0"), ([20, 30], "25.0", "25.0"), ([21, 30], "25.5", "25.5"), ([1, 2, 30], "2.0", "11.0"),
     ([10, 10, 11], "10.0", "10.3")],
)  # fmt: skip
def test_median_and_average_rounding(delays, median, average):
    observations = [observe(A, D(2025, 1, 1), D(2025, 1, 1) + datetime.timedelta(days=days)) for days in delays]
    total = aggregate(observations, "buyer_type", Period()).total
    assert (total.median_days, total.average_days) == (Decimal(median), Decimal(average))


def test_a_buyer_is_named_only_from_the_threshold():
    assert payment_stats.MIN_PAID_INVOICES == policy.PAYMENT_STATS_MIN_PAID_INVOICES == 5
    stats = aggregate(invoices(), "buyer", Period())
    assert [(row.key, row.label, row.paid) for row in stats.rows] == [(A[0], A[1], 5)]
    assert stats.hidden_buyers == 1
    assert stats.total.paid == 7  # the hidden buyer still counts in the total
    # One paid invoice fewer and A is hidden too.
    fewer = aggregate(invoices()[1:], "buyer", Period())
    assert fewer.rows == [] and fewer.hidden_buyers == 2 and fewer.total.paid == 6
    # Over a shorter period A has only 2 paid invoices: hidden.
    assert aggregate(invoices(), "buyer", Period(date_to=D(2025, 3, 31))).rows == []


def test_unknown_buyer_type_is_apart_and_unknown_grouping_refused():
    unknown = Observation("99999999999999", "Acheteur X", "", result("autre", D(2025, 1, 6), D(2025, 2, 15)))
    stats = aggregate([unknown], "buyer_type", Period())
    assert [(row.key, row.label, row.late) for row in stats.rows] == [("", "Type d'acheteur non renseigné", 1)]
    with pytest.raises(ValueError):
        aggregate([], "supplier", Period())


@pytest.mark.parametrize(
    "params, error",
    [
        ({"year": "deux"}, "year"),
        ({"date_from": "2025-13-01"}, "date_from"),
        ({"date_from": "2025-06-01", "date_to": "2025-01-01"}, "date_to"),
    ],
)
def test_bad_periods_are_explained_in_french(params, error):
    with pytest.raises(FilterError) as raised:
        Period.from_params(params)
    assert error in raised.value.errors
    assert any(word in raised.value.errors[error] for word in ("invalide", "précède"))


@pytest.mark.django_db
def test_from_the_database(small_referentials):
    alpha = BuyerFactory(name="Commune d'Alpha", buyer_type="commune")
    supplier = OrganisationFactory(name="Fournisseur")
    contract = ContractFactory(buyer=alpha)
    unknown = ContractFactory(buyer=None, buyer_identifier="88888888888888", buyer_name="ACHETEUR INCONNU")
    common = {"supplier": supplier, "amount_ttc": AMOUNT}
    Invoice.objects.create(contract=contract, number="1", received_on=D(2025, 3, 3), paid_on=D(2025, 4, 12), **common)
    Invoice.objects.create(contract=contract, number="2", received_on=D(2024, 3, 3), paid_on=D(2024, 3, 13), **common)
    Invoice.objects.create(contract=contract, number="3", received_on=D(2025, 10, 1), **common)  # overdue
    Invoice.objects.create(contract=unknown, number="4", received_on=D(2025, 1, 6), paid_on=D(2025, 1, 16), **common)
    # Inconsistent stored data (paid before received): counted apart, never a 500.
    Invoice.objects.create(contract=contract, number="5", received_on=D(2025, 5, 5), paid_on=D(2025, 5, 1), **common)

    stats = payment_stats.payment_delays("buyer_type", Period(year=2025), today=TODAY, rates=RATES)
    assert {row.key: figures(row) for row in stats.rows} == {
        "commune": (1, Decimal("40.0"), Decimal("40.0"), 1, Decimal("151.50"), 1),
        "": (1, Decimal("10.0"), Decimal("10.0"), 0, Decimal("0.00"), 0),
    }
    assert stats.excluded == 1
    data = payment_stats.payment_delays("buyer", Period(), today=TODAY, rates=RATES).as_dict()
    assert (data["rows"], data["hidden_buyers"], data["total"]["paid_invoices"]) == ([], 2, 3), data
