"""The pure scoring rules, table-driven."""

import pytest

from tremplin.matching import rules
from tremplin.matching.text import stems


@pytest.mark.parametrize(
    ("wanted", "main", "secondary", "value", "reason"),
    [
        (["45210000"], ["45210000"], [], 1.0, "CPV 45210000 dans vos activités"),
        (["45210000"], ["45214200"], [], 0.8, "CPV 45214200 : même classe que vos activités"),
        (["45210000"], ["45200000"], [], 0.6, "CPV 45200000 : même groupe que vos activités"),
        (["45210000"], ["45400000"], [], 0.35, "CPV 45400000 : même division que vos activités"),
        (["45210000"], ["60100000"], ["45210000"], 0.6, "CPV secondaire 45210000 dans vos activités"),
        (["45210000"], ["60100000"], [], 0.0, ""),
        ([], ["60100000"], [], None, ""),
    ],
)
def test_cpv(wanted, main, secondary, value, reason):
    criterion = rules.cpv_criterion(wanted, main, secondary)
    assert criterion.value == (pytest.approx(value) if value is not None else None)
    assert criterion.reason == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Menuiseries", ["menuiser"]),
        ("menuiserie", ["menuiser"]),
        ("Électricité", ["electricit"]),
        ("electricite", ["electricit"]),
        ("Travaux de la commune et des écoles", ["ecol"]),  # stop words and short words out
    ],
)
def test_french_stems(text, expected):
    assert stems(text) == expected


@pytest.mark.parametrize(
    ("query", "candidate", "value"),
    [(["a"], ["a", "b"], 1.0), (["a", "b", "c", "d"], ["a"], 1 / 3), (["a", "b"], ["c"], 0.0), ([], ["a"], None)],
)
def test_text(query, candidate, value):
    assert rules.text_criterion(query, candidate).value == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize(
    ("km", "value", "reason"),
    [(5, 1.0, "à 5 km de votre établissement"), (160, 0.75, "à 160 km de votre établissement"),
     (400, 0.5, "à 400 km de votre établissement"), (None, 0.5, "dans votre zone d'intervention (Rhône (69))")],
)  # fmt: skip
def test_geo(km, value, reason):
    criterion = rules.geo_criterion(True, True, km, "Rhône (69)")
    assert criterion.value == pytest.approx(value) and criterion.reason == reason


def test_geo_unknown_place_and_unjudged():
    assert rules.geo_criterion(True, None, None).value == rules.GEO_UNKNOWN_PLACE
    assert rules.geo_criterion(False, True, 3).value is None


@pytest.mark.parametrize(
    ("amount", "turnover", "value", "warning"),
    [(100, 1000, 1.0, False), (300, 1000, 1.0, False), (400, 1000, 0.5, True), (600, 1000, 0.0, True),
     (None, 1000, 0.5, False), (100, None, 0.5, False)],
)  # fmt: skip
def test_size(amount, turnover, value, warning):
    criterion = rules.size_criterion(amount, turnover)
    assert criterion.value == value and criterion.warning == warning


@pytest.mark.parametrize(
    ("articles", "status", "ess", "eligible"),
    [
        (["L2113-13"], "EI", False, True),
        (["L2113-13"], "GEIQ", False, False),  # not an SIAE under L5132-4
        (["L2113-13"], "ESAT", False, False),
        (["L2113-12"], "EA", False, True),
        (["L2113-15"], "", True, True),
        (["L2113-15"], "EI", False, False),
        (["L2113-12", "L2113-13"], "ACI", False, True),
        (["reserved"], "", True, True),
        (["reserved"], "", False, False),
        ([], "", False, True),
    ],
)
def test_eligibility(articles, status, ess, eligible):
    assert rules.is_eligible(articles, status, ess) is eligible


@pytest.mark.parametrize(
    ("won", "value", "reason"),
    [
        (0, 0.0, ""),
        (1, 0.5, "1 marché remporté dans ce secteur"),
        (3, 1.0, "3 marchés remportés dans ce secteur"),
        (9, 1.0, "9 marchés remportés dans ce secteur"),
    ],
)
def test_track(won, value, reason):
    criterion = rules.track_criterion(won)
    assert criterion.value == value and criterion.reason == reason


def test_combine_weights_only_judged_criteria_and_caps_the_bonus():
    full = {"cpv": rules.Criterion(1.0), "geo": rules.Criterion(0.5), "size": rules.Criterion(None)}
    assert rules.combine(full) == round(100 * (40 + 10) / 60, 1)
    assert rules.combine({"cpv": rules.Criterion(1.0)}, eligible_reserved=True) == 100.0
    assert rules.combine({}) == 0.0
    assert sum(rules.WEIGHTS.values()) == 100
