"""The inclusive-potential rules, with hand-worked values."""

from decimal import Decimal

import pytest

from tremplin.matching import inclusive
from tremplin.matching.inclusive import (
    NOTHING,
    RESERVE_CONTRACT,
    RESERVE_LOT,
    SOCIAL_CLAUSE,
    NeedFigures,
    Potential,
    combine,
    recommend,
)

CASES = [
    # id, figures, code, articles, median, annual amount, dependency, hours
    (
        "3 SIAE, 90 000 € for a median of 400 000 € = 22.5 % → reserve the lot",
        NeedFigures(3, 0, (200_000, 400_000, 600_000), 90_000, is_lot=True),
        RESERVE_LOT,
        ("L2113-13",),
        400_000,
        90_000,
        Decimal("0.23"),
        75,  # 90 000 × 50 % × 5 % ÷ 30 = 75
    ),
    (
        "60 000 € over 24 months = 30 000 €/year = exactly 30 % of 100 000 € → still reservable",
        NeedFigures(3, 0, (100_000, 100_000, 100_000), 60_000, 24),
        RESERVE_CONTRACT,
        ("L2113-13",),
        100_000,
        30_000,
        Decimal("0.30"),
        25,
    ),
    (
        "62 000 € over 24 months = 31 % of the median turnover → too dependent: a clause",
        NeedFigures(3, 0, (100_000, 100_000, 100_000), 62_000, 24),
        SOCIAL_CLAUSE,
        (),
        100_000,
        31_000,
        Decimal("0.31"),
        26,  # 31 000 × 0.025 ÷ 30 = 25.83
    ),
    (
        "1 SIAE and 1 EA: too few to reserve, enough to co-contract → a clause",
        NeedFigures(1, 1, (), 50_000),
        SOCIAL_CLAUSE,
        (),
        None,
        50_000,
        None,
        42,  # 41.67
    ),
    (
        "nobody eligible but 180 000 €/year = 150 insertion hours → a clause",
        NeedFigures(0, 0, (), 180_000),
        SOCIAL_CLAUSE,
        (),
        None,
        180_000,
        None,
        150,
    ),
    (
        "nobody eligible and 179 000 € = 149 hours → nothing",
        NeedFigures(0, 0, (), 179_000),
        NOTHING,
        (),
        None,
        179_000,
        None,
        149,
    ),
    (
        "2 SIAE + 1 ESAT: only together do they reach 3 → one reservation to both (loi ASAP)",
        NeedFigures(2, 1, (1_000_000,), 100_000),
        RESERVE_CONTRACT,
        ("L2113-12", "L2113-13"),
        1_000_000,
        100_000,
        Decimal("0.10"),
        83,
    ),
    (
        "4 EA/ESAT and 1 SIAE → reserve to EA/ESAT (L2113-12)",
        NeedFigures(1, 4, (300_000, 500_000), 20_000, is_lot=True),
        RESERVE_LOT,
        ("L2113-12",),
        400_000,  # median of an even count: the mean of the middle two
        20_000,
        Decimal("0.05"),
        17,
    ),
    (
        "amount unknown: competition alone decides, nothing else is computed",
        NeedFigures(3, 0, (400_000,), None),
        RESERVE_CONTRACT,
        ("L2113-13",),
        400_000,
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("figures", "code", "articles", "middle", "yearly", "ratio", "hours"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_recommendation(figures, code, articles, middle, yearly, ratio, hours):
    potential = recommend(figures)
    assert potential.recommendation.code == code
    assert potential.recommendation.articles == articles
    assert potential.median_turnover == middle
    assert potential.annual_amount == yearly
    assert potential.dependency == ratio
    assert potential.insertion_hours == hours
    assert potential.eligible == figures.siae + figures.ea_esat
    assert all(key in inclusive.THRESHOLDS for key in potential.recommendation.thresholds)


def test_labels_and_reasons_are_french_and_say_why():
    lot = recommend(NeedFigures(3, 0, (200_000, 400_000, 600_000), 90_000, is_lot=True))
    assert lot.recommendation.label == "Réserver ce lot aux SIAE (L2113-13)"
    assert lot.recommendation.reasons == (
        "3 SIAE et 0 EA/ESAT éligibles dans le périmètre (au moins 3 pour réserver).",
        "Dépendance économique de 23 % du chiffre d'affaires médian (au plus 30 %).",
    )
    dependent = recommend(NeedFigures(3, 0, (100_000,) * 3, 62_000, 24))
    assert "au-delà de 30 %" in dependent.recommendation.reasons[0]
    both = recommend(NeedFigures(2, 1, (), 10_000))
    assert both.recommendation.label == "Réserver le marché aux SIAE et aux EA/ESAT (L2113-13 et L2113-12)"
    assert recommend(NeedFigures(0, 0, (), 1_000)).recommendation.label == "Pas de démarche inclusive spécifique"
    one = recommend(NeedFigures(1, 0, (), 10_000))
    assert one.recommendation.reasons[0].startswith("1 structure éligible seulement (moins de 3)")


def test_unknown_turnovers_are_counted_and_said():
    potential = recommend(NeedFigures(3, 1, (500_000, None, 0), 50_000))
    assert (potential.known_turnovers, potential.unknown_turnovers, potential.median_turnover) == (1, 3, 500_000)
    none_known = recommend(NeedFigures(3, 0, (), 50_000))
    assert none_known.unknown_turnovers == 3
    assert none_known.warnings == (
        "Aucun chiffre d'affaires connu parmi les structures éligibles : dépendance non calculée.",
    )
    assert recommend(NeedFigures(3, 0, (), None)).warnings[0].startswith("Montant inconnu")


def test_a_planned_reservation_with_too_few_candidates_is_flagged():
    potential = recommend(NeedFigures(1, 0, (), 50_000, reserved=("L2113-13",), is_lot=True))
    assert potential.warnings[-1] == (
        "Une réservation est prévue, mais seulement 1 structure éligible dans le périmètre : "
        "risque de procédure infructueuse."
    )
    assert recommend(NeedFigures(3, 0, (), 50_000, reserved=("L2113-13",))).warnings == (
        "Aucun chiffre d'affaires connu parmi les structures éligibles : dépendance non calculée.",
    )


@pytest.mark.parametrize(
    ("amount", "months", "expected"),
    [
        (120_000, None, 120_000),
        (120_000, 12, 120_000),
        (120_000, 36, 40_000),
        (Decimal("99.50"), 6, 100),
        (-1, 3, None),
    ],
)
def test_annual_amount(amount, months, expected):
    assert inclusive.annual_amount(amount, months) == expected


def test_the_clause_threshold_is_derived_from_the_hours_and_shown():
    assert inclusive.clause_min_amount() == 180_000  # 150 h × 30 €/h ÷ (50 % × 5 %)
    assert "180\u202f000 € HT" in inclusive.THRESHOLDS["clause"]
    assert "Au moins 3 structures éligibles" in inclusive.THRESHOLDS["competition"]
    assert "30 %" in inclusive.THRESHOLDS["dependency"]


def lot(code, *articles) -> Potential:
    figures = {
        RESERVE_LOT: NeedFigures(3, 0, (), 1_000, is_lot=True),
        SOCIAL_CLAUSE: NeedFigures(1, 0, (), 1_000, is_lot=True),
        NOTHING: NeedFigures(0, 0, (), 1_000, is_lot=True),
    }[code]
    return recommend(figures)


WHOLE = recommend(NeedFigures(0, 0, (), None))


@pytest.mark.parametrize(
    ("codes", "expected", "label"),
    [
        ((RESERVE_LOT, RESERVE_LOT), RESERVE_CONTRACT, "Réserver le marché entier"),
        ((RESERVE_LOT, SOCIAL_CLAUSE, NOTHING), RESERVE_LOT, "Réserver le lot 1"),
        ((SOCIAL_CLAUSE, RESERVE_LOT, RESERVE_LOT), RESERVE_LOT, "Réserver les lots 2, 3"),
        ((NOTHING, SOCIAL_CLAUSE), SOCIAL_CLAUSE, "Ajouter une clause sociale d'insertion"),
        ((NOTHING, NOTHING), NOTHING, "Pas de démarche inclusive spécifique"),
    ],
)
def test_combining_the_lots(codes, expected, label):
    result = combine([(number, lot(code)) for number, code in enumerate(codes, start=1)], WHOLE)
    assert result.code == expected
    assert result.label.startswith(label)


def test_without_lots_the_forecast_assessment_stands():
    assert combine([], WHOLE) is WHOLE.recommendation
