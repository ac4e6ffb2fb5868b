"""The payment rules (tremplin.payments.rules), worked by hand from the legal text (domain-rules §1).

Conventions checked here: due date = clock start + period (calendar days); days late = paid − due date (the
days from the day after the due date up to and including the payment); interest = amount TTC × (ECB + 8) ×
days late / 365, rounded half-up to the cent; ECB rate in force on 1 January / 1 July of the half-year in
which the interest starts (the day after the due date)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from tremplin.organisations.models import BuyerType
from tremplin.payments import rules
from tremplin.payments.rules import Interruption, InvalidInput, PaymentRequest, compute

# The ECB main refinancing rate as given in issue 5 (date of effect, %) …
ISSUE_RATES = [
    (date(2016, 3, 16), D("0.00")),
    (date(2022, 7, 27), D("0.50")),
    (date(2022, 9, 14), D("1.25")),
    (date(2022, 11, 2), D("2.00")),
    (date(2022, 12, 21), D("2.50")),
    (date(2023, 2, 8), D("3.00")),
    (date(2023, 3, 22), D("3.50")),
    (date(2023, 5, 10), D("3.75")),
    (date(2023, 6, 21), D("4.00")),
    (date(2023, 9, 20), D("4.50")),
    (date(2024, 6, 12), D("4.25")),
    (date(2024, 9, 18), D("3.65")),
    (date(2024, 10, 23), D("3.40")),
    (date(2024, 12, 18), D("3.15")),
    (date(2025, 2, 5), D("2.90")),
    (date(2025, 3, 12), D("2.65")),
    (date(2025, 4, 23), D("2.40")),
    (date(2025, 6, 11), D("2.15")),
]
# … and as shipped: plus the confirmation that 2.15 % was still in force on 1 January 2026 (ECB hold of
# 18 December 2025, domain-rules §1.4), so the table is known up to 2026-01-01.
SHIPPED_RATES = [*ISSUE_RATES, (date(2026, 1, 1), D("2.15"))]


def request(buyer_type="commune", amount="12000.00", **kwargs) -> PaymentRequest:
    return PaymentRequest(buyer_type=buyer_type, amount_ttc=D(amount), **kwargs)


def test_buyer_type_keys_are_those_of_the_organisations_app():
    assert set(rules.BUYER_TYPES) == set(BuyerType.values)


# Each row: the request, then what a person computing by hand from the articles finds.
# Columns of the expected tuple: (period applied, due date, days late, interest rate %, interest €, indemnity €,
# payable by, rate to confirm).
CASES = [
    pytest.param(
        # domain-rules §1.4: collectivité, received 2 Sep 2025, 30 days → due 2 Oct; paid 22 Oct → 22 − 2 = 20 days
        # (3..22 Oct inclusive). Interest from 3 Oct (H2 2025): ECB on 1 Jul 2025 = 2.15 (since 11 Jun) + 8 = 10.15.
        # 12 000 × 10.15 % × 20 / 365 = 24 360 / 365 = 66.7397… → 66.74. Payable by 22 Oct + 45 = 6 Dec 2025.
        request(received=date(2025, 9, 2), paid=date(2025, 10, 22)),
        (30, date(2025, 10, 2), 20, D("10.15"), D("66.74"), D("40.00"), date(2025, 12, 6), False),
        id="worked-example-domain-rules",
    ),
    pytest.param(
        # Hospital (R2192-11 1°): 50 days. 3 Mar 2025 + 50 = 3 Mar + 28 (31 Mar) + 22 = 22 Apr. Paid 2 May → 10 days.
        # Interest from 23 Apr (H1 2025): ECB on 1 Jan 2025 = 3.15 (since 18 Dec 2024) + 8 = 11.15.
        # 10 000 × 11.15 % × 10 / 365 = 11 150 / 365 = 30.5479… → 30.55. Payable by 2 May + 45 = 16 Jun.
        request("etablissement_public_sante", "10000.00", received=date(2025, 3, 3), paid=date(2025, 5, 2)),
        (50, date(2025, 4, 22), 10, D("11.15"), D("30.55"), D("40.00"), date(2025, 6, 16), False),
        id="hospital-50-days",
    ),
    pytest.param(
        # Entreprise publique (R2192-11 2°): 60 days. 10 Jan 2025 + 60 = 10 Jan + 21 (31 Jan) + 28 (28 Feb) + 11
        # = 11 Mar. Paid 20 Mar → 9 days. From 12 Mar (H1 2025): 11.15 %. 5 000 × 11.15 % × 9 / 365
        # = 5 017.5 / 365 = 13.7465… → 13.75. Payable by 20 Mar + 45 = 4 May.
        request("entreprise_publique", "5000.00", received=date(2025, 1, 10), paid=date(2025, 3, 20)),
        (60, date(2025, 3, 11), 9, D("11.15"), D("13.75"), D("40.00"), date(2025, 5, 4), False),
        id="entreprise-publique-60-days",
    ),
    pytest.param(
        # Entreprise publique paid on day 60 exactly: on time.
        request("entreprise_publique", "5000.00", received=date(2025, 1, 10), paid=date(2025, 3, 11)),
        (60, date(2025, 3, 11), 0, None, D("0.00"), D("0.00"), None, False),
        id="entreprise-publique-paid-on-day-60",
    ),
    pytest.param(
        # Contract delay shorter (20 < 30): used. 1 Sep 2025 + 20 = 21 Sep; paid 30 Sep → 9 days; from 22 Sep (H2
        # 2025) 10.15 %. 3 650 × 10.15 % × 9 / 365 = 10 × 0.1015 × 9 = 9.135 → 9.14 (half-up).
        request(amount="3650.00", received=date(2025, 9, 1), paid=date(2025, 9, 30), contract_delay_days=20),
        (20, date(2025, 9, 21), 9, D("10.15"), D("9.14"), D("40.00"), date(2025, 11, 14), False),
        id="contract-delay-shorter-is-used",
    ),
    pytest.param(
        # Contract delay longer (45 > 30): capped at 30 (L2192-10), so the worked example again: 20 days, 66.74.
        request(received=date(2025, 9, 2), paid=date(2025, 10, 22), contract_delay_days=45),
        (30, date(2025, 10, 2), 20, D("10.15"), D("66.74"), D("40.00"), date(2025, 12, 6), False),
        id="contract-delay-longer-is-capped",
    ),
    pytest.param(
        # Service done after receipt (R2192-13): received 1 Sep, executed 15 Sep → clock starts 15 Sep; due 15 Oct;
        # paid 20 Oct → 5 days; from 16 Oct (H2 2025) 10.15 %. 7 300 × 10.15 % × 5 / 365 = 20 × 0.1015 × 5
        # = 10.15. Payable by 20 Oct + 45 = 4 Dec.
        request(amount="7300.00", received=date(2025, 9, 1), execution=date(2025, 9, 15), paid=date(2025, 10, 20)),
        (30, date(2025, 10, 15), 5, D("10.15"), D("10.15"), D("40.00"), date(2025, 12, 4), False),
        id="clock-starts-on-later-execution",
    ),
    pytest.param(
        # Service done before receipt: the clock starts on receipt (2 Sep), as in the worked example.
        request(received=date(2025, 9, 2), execution=date(2025, 8, 20), paid=date(2025, 10, 22)),
        (30, date(2025, 10, 2), 20, D("10.15"), D("66.74"), D("40.00"), date(2025, 12, 6), False),
        id="earlier-execution-does-not-move-the-clock",
    ),
    pytest.param(
        # Hospital, interruption with a balance > 30 (R2192-29): received 3 Mar 2025 (day 0), due 22 Apr (day 50).
        # Notice received 13 Mar (day 10): balance 22 Apr − 13 Mar = 40 days > 30 → new period of 40 days from the
        # documents, received 20 Mar: 20 Mar + 40 = 29 Apr. Paid 9 May → 10 days; from 30 Apr (H1 2025) 11.15 %:
        # 10 000 × 11.15 % × 10 / 365 = 30.5479… → 30.55. Payable by 9 May + 45 = 23 Jun.
        request(
            "etablissement_public_sante",
            "10000.00",
            received=date(2025, 3, 3),
            paid=date(2025, 5, 9),
            interruption=Interruption(date(2025, 3, 13), date(2025, 3, 20)),
        ),
        (50, date(2025, 4, 29), 10, D("11.15"), D("30.55"), D("40.00"), date(2025, 6, 23), False),
        id="interruption-balance-over-30",
    ),
    pytest.param(
        # Commune, interruption with a balance ≤ 30: received 1 Sep, due 1 Oct; notice 21 Sep → balance 10 days
        # → new period of 30 days from the documents (25 Sep): due 25 Oct. Paid 25 Oct: on time.
        request(
            received=date(2025, 9, 1),
            paid=date(2025, 10, 25),
            interruption=Interruption(date(2025, 9, 21), date(2025, 9, 25)),
        ),
        (30, date(2025, 10, 25), 0, None, D("0.00"), D("0.00"), None, False),
        id="interruption-balance-under-30-paid-on-new-due-date",
    ),
    pytest.param(
        # Same, paid 4 Nov → 10 days; from 26 Oct (H2 2025) 10.15 %. 36 500 × 10.15 % × 10 / 365 = 101.50.
        request(
            amount="36500.00",
            received=date(2025, 9, 1),
            paid=date(2025, 11, 4),
            interruption=Interruption(date(2025, 9, 21), date(2025, 9, 25)),
        ),
        (30, date(2025, 10, 25), 10, D("10.15"), D("101.50"), D("40.00"), date(2025, 12, 19), False),
        id="interruption-balance-under-30-paid-late",
    ),
    pytest.param(
        # Leap year: 1 Feb 2024 + 30 = 1 Feb + 28 (29 Feb) + 2 = 2 Mar 2024. Paid 12 Mar → 10 days; from 3 Mar
        # (H1 2024): ECB on 1 Jan 2024 = 4.50 (since 20 Sep 2023) + 8 = 12.50. 7 300 × 12.5 % × 10 / 365 = 25.00.
        request(amount="7300.00", received=date(2024, 2, 1), paid=date(2024, 3, 12)),
        (30, date(2024, 3, 2), 10, D("12.50"), D("25.00"), D("40.00"), date(2024, 4, 26), False),
        id="leap-year-due-date",
    ),
    pytest.param(
        # Leap year, interest over 29 Feb: received 20 Jan 2024, due 19 Feb; paid 5 Mar → 10 days in Feb (20..29)
        # + 5 in March = 15 days; the base stays 365. 7 300 × 12.5 % × 15 / 365 = 37.50.
        request(amount="7300.00", received=date(2024, 1, 20), paid=date(2024, 3, 5)),
        (30, date(2024, 2, 19), 15, D("12.50"), D("37.50"), D("40.00"), date(2024, 4, 19), False),
        id="leap-year-interest-over-29-february",
    ),
    pytest.param(
        # Half-year boundary: received 31 May 2025 → due 30 Jun; interest starts 1 Jul → H2 2025: 2.15 + 8 = 10.15.
        # Paid 10 Jul → 10 days: 36 500 × 10.15 % × 10 / 365 = 101.50.
        request(amount="36500.00", received=date(2025, 5, 31), paid=date(2025, 7, 10)),
        (30, date(2025, 6, 30), 10, D("10.15"), D("101.50"), D("40.00"), date(2025, 8, 24), False),
        id="due-30-june-interest-starts-in-h2",
    ),
    pytest.param(
        # Received 30 May 2025 → due 29 Jun; interest starts 30 Jun → still H1 2025: rate in force on 1 Jan 2025
        # = 3.15 + 8 = 11.15 (not the 2.15 of June). Paid 9 Jul → 10 days: 36 500 × 11.15 % × 10 / 365 = 111.50.
        request(amount="36500.00", received=date(2025, 5, 30), paid=date(2025, 7, 9)),
        (30, date(2025, 6, 29), 10, D("11.15"), D("111.50"), D("40.00"), date(2025, 8, 23), False),
        id="due-29-june-interest-starts-in-h1",
    ),
    pytest.param(
        # H2 2023 (verified 12.00 % in domain-rules): received 1 Jul 2023, due 31 Jul, paid 10 Aug → 10 days;
        # from 1 Aug: ECB on 1 Jul 2023 = 4.00 (since 21 Jun) + 8 = 12.00. 36 500 × 12 % × 10 / 365 = 120.00.
        request(amount="36500.00", received=date(2023, 7, 1), paid=date(2023, 8, 10)),
        (30, date(2023, 7, 31), 10, D("12.00"), D("120.00"), D("40.00"), date(2023, 9, 24), False),
        id="h2-2023-twelve-percent",
    ),
    pytest.param(
        # Paid on the due date itself: on time, nothing owed.
        request(received=date(2025, 9, 2), paid=date(2025, 10, 2)),
        (30, date(2025, 10, 2), 0, None, D("0.00"), D("0.00"), None, False),
        id="paid-on-the-due-date",
    ),
    pytest.param(
        # Rounding half-up: 3 650 × 10.15 % × 3 / 365 = 10 × 0.1015 × 3 = 3.045 exactly → 3.05 (half-even, the
        # default rounding of Python's Decimal, would give 3.04).
        request(amount="3650.00", received=date(2025, 9, 2), paid=date(2025, 10, 5)),
        (30, date(2025, 10, 2), 3, D("10.15"), D("3.05"), D("40.00"), date(2025, 11, 19), False),
        id="rounding-half-up",
    ),
    pytest.param(
        # First day of a half-year equal to the table's last date (1 Jan 2026, confirmed 2.15 %): certain.
        # Received 1 Dec 2025, due 31 Dec, paid 10 Jan 2026 → 10 days from 1 Jan 2026: 101.50.
        request(amount="36500.00", received=date(2025, 12, 1), paid=date(2026, 1, 10)),
        (30, date(2025, 12, 31), 10, D("10.15"), D("101.50"), D("40.00"), date(2026, 2, 24), False),
        id="h1-2026-known",
    ),
    pytest.param(
        # Taux à confirmer: received 31 May 2026, due 30 Jun, interest from 1 Jul 2026 (H2 2026), later than the
        # last known date (1 Jan 2026): last rate 2.15 + 8 = 10.15, flagged. Paid 10 Jul → 10 days: 101.50.
        request(amount="36500.00", received=date(2026, 5, 31), paid=date(2026, 7, 10)),
        (30, date(2026, 6, 30), 10, D("10.15"), D("101.50"), D("40.00"), date(2026, 8, 24), True),
        id="h2-2026-rate-to-confirm",
    ),
]


@pytest.mark.parametrize(("payment", "expected"), CASES)
def test_hand_worked_cases(payment, expected):
    delay, due, days_late, rate, interest, indemnity, payable_by, to_confirm = expected
    result = compute(payment, SHIPPED_RATES)
    assert result.delay_days == delay
    assert result.due_date == due
    assert result.days_late == days_late
    assert result.interest_rate == rate
    assert result.interest == interest
    assert result.indemnity == indemnity
    assert result.payable_by == payable_by
    assert result.rate_to_confirm is to_confirm
    assert result.total_owed == interest + indemnity
    if days_late:
        assert result.interest_start == date.fromordinal(due.toordinal() + 1)
    assert (result.status == "late") is bool(days_late)


def test_legal_delays_by_buyer_type():
    expected = {key: 30 for key in rules.BUYER_TYPES} | {"etablissement_public_sante": 50, "entreprise_publique": 60}
    assert {key: rules.legal_delay_days(key) for key in rules.BUYER_TYPES} == expected


def test_a_longer_contract_delay_is_capped_with_a_warning():
    result = compute(request(received=date(2025, 9, 2), paid=date(2025, 10, 22), contract_delay_days=45), SHIPPED_RATES)
    assert result.legal_delay_days == 30 and result.delay_days == 30
    assert result.warnings == (
        "Le marché prévoit un délai de 45 jours, plus long que le maximum légal de 30 jours : le délai est ramené à "
        "30 jours (article L2192-10).",
    )


def test_a_shorter_contract_delay_is_explained():
    result = compute(request(received=date(2025, 9, 1), paid=date(2025, 9, 30), contract_delay_days=20), SHIPPED_RATES)
    assert not result.warnings
    assert "Le marché prévoit un délai plus court, de 20 jours : c'est lui qui s'applique." in result.steps


def test_the_worked_example_is_explained_step_by_step():
    result = compute(request(received=date(2025, 9, 2), paid=date(2025, 10, 22)), SHIPPED_RATES)
    assert result.steps == (
        "Délai maximal de paiement pour ce type d'acheteur : 30 jours (article R2192-10 du code de la commande "
        "publique).",
        "Le délai court à partir du 2 septembre 2025, date de réception de la demande de paiement (article R2192-12).",
        "Date limite de paiement : 2 septembre 2025 + 30 jours = 2 octobre 2025.",
        "Paiement le 22 octobre 2025 : 20 jours de retard (22 octobre 2025 − 2 octobre 2025).",
        "Les intérêts moratoires courent à partir du 3 octobre 2025, lendemain de la date limite (article L2192-13). "
        "Ce jour tombe au second semestre 2025 : taux de la BCE en vigueur au 1er juillet 2025 = 2,15\u202f%, majoré "
        "de 8 points = 10,15\u202f% (article R2192-31).",
        "Intérêts moratoires : 12\u202f000,00\u202f€ × 10,15\u202f% × 20 / 365 = 66,74\u202f€ (arrondi au centime).",
        "Indemnité forfaitaire pour frais de recouvrement : 40,00\u202f€ (article D2192-35).",
        "Intérêts et indemnité, soit 106,74\u202f€, doivent être versés au plus tard le 6 décembre 2025, 45 jours "
        "après le paiement (article R2192-36).",
    )


def test_interruption_steps_name_the_balance_and_the_new_period():
    payment = request(
        "etablissement_public_sante",
        received=date(2025, 3, 3),
        paid=date(2025, 5, 9),
        interruption=Interruption(date(2025, 3, 13), date(2025, 3, 20)),
    )
    result = compute(payment, SHIPPED_RATES)
    assert result.initial_due_date == date(2025, 4, 22)
    assert result.interruption_applied and result.new_period_days == 40
    assert "il restait alors 40 jours (article R2192-27)" in result.steps[3]
    assert "un nouveau délai de 40 jours s'ouvre (le solde restant, plus long que 30 jours" in result.steps[4]
    # 3 Mar → 9 May = 67 days, minus the 7 days the clock was stopped (13 → 20 Mar).
    assert result.payment_days == 60


def test_the_rate_is_to_confirm_for_a_half_year_after_the_last_known_date():
    """With the issue's table only (last decision 11 Jun 2025), the rate of H2 2025 (from 1 Jul) is uncertain:
    a decision between 11 Jun and 1 Jul could have changed it. The shipped confirmation of 1 Jan 2026 lifts it."""
    payment = request(received=date(2025, 9, 2), paid=date(2025, 10, 22))
    uncertain = compute(payment, ISSUE_RATES)
    assert uncertain.rate_to_confirm is True
    assert uncertain.interest == D("66.74")  # computed with the last known rate all the same
    assert uncertain.warnings == (
        "Taux à confirmer : le barème des taux de la BCE n'est connu que jusqu'au 11 juin 2025. Le dernier taux "
        "connu (2,15\u202f%) est utilisé pour le second semestre 2025.",
    )
    assert compute(payment, SHIPPED_RATES).rate_to_confirm is False
    # A half-year starting on or before the last known date is certain: H1 2025 (1 Jan ≤ 11 Jun 2025).
    assert compute(request(received=date(2025, 3, 3), paid=date(2025, 5, 2)), ISSUE_RATES).rate_to_confirm is False


def test_no_rate_is_to_confirm_when_payment_is_on_time():
    result = compute(request(received=date(2026, 9, 1), paid=date(2026, 9, 2)), SHIPPED_RATES)
    assert result.rate_to_confirm is False and result.interest_rate is None


def test_an_interruption_notified_after_the_due_date_has_no_effect():
    payment = request(
        received=date(2025, 9, 2),
        paid=date(2025, 10, 22),
        interruption=Interruption(date(2025, 10, 5), date(2025, 10, 8)),
    )
    result = compute(payment, SHIPPED_RATES)
    assert result.due_date == date(2025, 10, 2) and result.days_late == 20
    assert not result.interruption_applied
    assert "sans effet" in result.warnings[0]


def test_an_interruption_notified_on_the_due_date_opens_30_days():
    payment = request(
        received=date(2025, 9, 2),
        paid=date(2025, 11, 5),
        interruption=Interruption(date(2025, 10, 2), date(2025, 10, 6)),
    )
    result = compute(payment, SHIPPED_RATES)
    assert result.new_period_days == 30 and result.due_date == date(2025, 11, 5) and result.days_late == 0


def test_an_interruption_before_the_clock_starts_leaves_at_most_the_whole_period():
    # Received 1 Sep, executed 20 Sep (clock start) → due 20 Oct; notice 5 Sep: 45 days before the due date, but
    # the balance cannot exceed the 30-day period: new period max(30, 30) = 30 from 10 Sep → 10 Oct.
    payment = request(
        received=date(2025, 9, 1),
        execution=date(2025, 9, 20),
        interruption=Interruption(date(2025, 9, 5), date(2025, 9, 10)),
        paid=date(2025, 10, 10),
    )
    result = compute(payment, SHIPPED_RATES)
    assert result.new_period_days == 30 and result.due_date == date(2025, 10, 10) and result.days_late == 0


def test_while_documents_are_awaited_the_clock_is_stopped():
    payment = request(received=date(2025, 9, 1), interruption=Interruption(date(2025, 9, 10)))
    result = compute(payment, SHIPPED_RATES, as_of=date(2026, 3, 1))
    assert result.due_date is None and result.days_late == 0 and result.status == "suspended"
    assert "Le délai est suspendu jusqu'à la réception des pièces manquantes" in result.steps[-1]


def test_an_unpaid_request_is_late_as_of_today_with_provisional_interest():
    result = compute(request(amount="36500.00", received=date(2025, 9, 2)), SHIPPED_RATES, as_of=date(2025, 10, 12))
    assert result.status == "overdue" and result.days_late == 10
    assert result.interest == D("101.50") and result.payable_by is None and result.as_of == date(2025, 10, 12)
    assert compute(request(received=date(2025, 9, 2)), SHIPPED_RATES, as_of=date(2025, 9, 20)).status == "pending"
    assert compute(request(received=date(2025, 9, 2)), SHIPPED_RATES).days_late == 0  # no clock, never late


def test_a_partial_payment_is_flagged():
    payment = request(received=date(2025, 9, 2), paid=date(2025, 9, 20), amount_paid=D("10000.00"))
    assert (
        "Paiement partiel (10\u202f000,00\u202f€ sur 12\u202f000,00\u202f€)"
        in compute(payment, SHIPPED_RATES).warnings[0]
    )


def test_no_rate_before_the_table():
    with pytest.raises(InvalidInput) as error:
        compute(request(received=date(2015, 1, 5), paid=date(2015, 3, 1)), SHIPPED_RATES)
    assert list(error.value.errors) == ["received"]


def test_the_rate_table_order_does_not_matter():
    payment = request(received=date(2025, 9, 2), paid=date(2025, 10, 22))
    assert compute(payment, list(reversed(SHIPPED_RATES))).interest == D("66.74")


VALID = request(received=date(2025, 9, 2), paid=date(2025, 10, 22))
INVALID = [
    pytest.param(replace(VALID, buyer_type="mairie"), "buyer_type", id="unknown-buyer-type"),
    pytest.param(replace(VALID, amount_ttc=D("-1")), "amount_ttc", id="negative-amount"),
    pytest.param(replace(VALID, amount_ttc=D("0")), "amount_ttc", id="zero-amount"),
    pytest.param(replace(VALID, paid=date(2025, 9, 1)), "paid", id="paid-before-received"),
    pytest.param(replace(VALID, contract_delay_days=0), "contract_delay_days", id="zero-contract-delay"),
    pytest.param(
        replace(VALID, interruption=Interruption(date(2025, 9, 1), date(2025, 9, 10))),
        "interruption.notified",
        id="interruption-before-receipt",
    ),
    pytest.param(
        replace(VALID, interruption=Interruption(date(2025, 9, 10), date(2025, 9, 5))),
        "interruption.documents_received",
        id="documents-before-notification",
    ),
    pytest.param(replace(VALID, amount_paid=D("-5")), "amount_paid", id="negative-amount-paid"),
    pytest.param(replace(VALID, paid=None, amount_paid=D("5")), "paid", id="amount-paid-without-date"),
]


@pytest.mark.parametrize(("payment", "field"), INVALID)
def test_inconsistent_requests_name_the_field(payment, field):
    assert list(rules.validate(payment)) == [field]
    with pytest.raises(InvalidInput) as error:
        compute(payment, SHIPPED_RATES)
    assert list(error.value.errors) == [field]


def test_french_formatting():
    assert rules.french_date(date(2025, 7, 1)) == "1er juillet 2025"
    assert rules.french_date(date(2025, 10, 22)) == "22 octobre 2025"
    assert rules.french_euros(D("1234567.5")) == "1\u202f234\u202f567,50\u202f€"
    assert rules.french_percent(D("10.15")) == "10,15\u202f%"
    assert rules.days(1) == "1 jour" and rules.days(2) == "2 jours"
