"""Pure rules of supplier profiles: distances, perimeters, CPV proximity, capacity bands (table-driven)."""

import pytest

from tremplin.suppliers import rules
from tremplin.suppliers.rules import (
    DEPARTMENT,
    NATIONAL,
    RADIUS,
    REGION,
    CpvProximity,
    Perimeter,
    cpv_proximity,
    distance_km,
    perimeter_covers,
    perimeters_cover,
)

# Town-hall coordinates (WGS 84).
LYON = (45.7676, 4.8357)
SAINT_ETIENNE = (45.4397, 4.3872)
VILLEURBANNE = (45.7667, 4.8800)
PARIS = (48.8566, 2.3522)
MARSEILLE = (43.2965, 5.3698)
LILLE = (50.6292, 3.0573)
ROUBAIX = (50.6942, 3.1746)
SAINT_DENIS_REUNION = (-20.8823, 55.4504)
AJACCIO = (41.9192, 8.7386)


@pytest.mark.parametrize(
    ("a", "b", "expected_km", "tolerance"),
    [
        (LYON, SAINT_ETIENNE, 50, 2),
        (LYON, VILLEURBANNE, 3.5, 0.5),
        (PARIS, MARSEILLE, 661, 3),
        (LILLE, ROUBAIX, 11, 1),
        (PARIS, AJACCIO, 917, 5),
        (PARIS, SAINT_DENIS_REUNION, 9346, 20),
        (LYON, LYON, 0, 0),
    ],
)
def test_distance_km(a, b, expected_km, tolerance):
    assert distance_km(a, b) == pytest.approx(expected_km, abs=tolerance)
    assert distance_km(b, a) == pytest.approx(distance_km(a, b))


def radius(km, origin=LYON, origin_department="69"):
    return Perimeter(RADIUS, radius_km=km, origin=origin, origin_department=origin_department)


@pytest.mark.parametrize(
    ("perimeter", "department", "region", "point", "covered"),
    [
        # National: everywhere, overseas included, even without any place detail.
        (Perimeter(NATIONAL), "974", "04", None, True),
        (Perimeter(NATIONAL), None, None, None, True),
        # Regions: by the place's region code.
        (Perimeter(REGION, frozenset({"84"})), "42", "84", None, True),
        (Perimeter(REGION, frozenset({"84", "93"})), "13", "93", MARSEILLE, True),
        (Perimeter(REGION, frozenset({"84"})), "13", "93", None, False),
        (Perimeter(REGION, frozenset({"84"})), "42", None, None, False),
        # Departments: by the place's department code (Corsica's letters included).
        (Perimeter(DEPARTMENT, frozenset({"69", "42"})), "42", "84", None, True),
        (Perimeter(DEPARTMENT, frozenset({"2A"})), "2A", "94", AJACCIO, True),
        (Perimeter(DEPARTMENT, frozenset({"69", "42"})), "01", "84", None, False),
        (Perimeter(DEPARTMENT, frozenset({"69"})), "", "84", None, False),
        # Radius: the distance decides when both points are known (Lyon–Saint-Étienne ≈ 50 km)…
        (radius(60), "42", "84", SAINT_ETIENNE, True),
        (radius(51), "42", "84", SAINT_ETIENNE, True),
        (radius(50), "42", "84", SAINT_ETIENNE, False),  # 50.5 km between the town halls
        (radius(45), "42", "84", SAINT_ETIENNE, False),
        (radius(5), "69", "84", VILLEURBANNE, True),
        (radius(1000), "13", "93", MARSEILLE, True),
        (radius(200), "75", "11", PARIS, False),
        # … else only the establishment's own department is covered.
        (radius(60), "42", "84", None, False),
        (radius(60), "69", "84", None, True),
        (radius(60, origin=None), "69", "84", SAINT_ETIENNE, True),
        (radius(60, origin=None), "42", "84", SAINT_ETIENNE, False),
        (radius(60, origin=None, origin_department=""), "", "84", None, False),
    ],
)
def test_perimeter_covers(perimeter, department, region, point, covered):
    assert perimeter_covers(perimeter, department, region, point) is covered


def test_any_of_several_perimeters_covers():
    perimeters = [Perimeter(DEPARTMENT, frozenset({"69"})), radius(60)]
    assert perimeters_cover(perimeters, "42", "84", SAINT_ETIENNE)
    assert not perimeters_cover(perimeters, "13", "93", MARSEILLE)
    assert not perimeters_cover([], "69", "84", LYON)


def test_an_unknown_perimeter_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown perimeter kind"):
        perimeter_covers(Perimeter("commune"), "69", "84")


@pytest.mark.parametrize(
    ("a", "b", "proximity"),
    [
        ("45214200", "45214200", CpvProximity.SAME),
        ("45214200-2", "452142002", CpvProximity.SAME),  # check digit and forms ignored
        ("45 21 42 00", "45214200", CpvProximity.SAME),
        ("45214200", "45214210", CpvProximity.CLASS),  # 4521…
        ("45214000", "45210000", CpvProximity.CLASS),
        ("45214200", "45200000", CpvProximity.GROUP),  # 452…
        ("60112000", "60100000", CpvProximity.GROUP),  # a category right under its group
        ("45214200", "45300000", CpvProximity.DIVISION),  # 45…
        ("45000000", "45214200", CpvProximity.DIVISION),  # the division itself
        ("09310000", "09300000", CpvProximity.GROUP),  # leading zero kept
        ("09310000", "90000000", CpvProximity.NONE),
        ("45000000", "60100000", CpvProximity.NONE),
        ("", "45000000", CpvProximity.NONE),  # a contract without CPV is close to nothing
        (None, None, CpvProximity.NONE),
        ("travaux", "45000000", CpvProximity.NONE),
    ],
)
def test_cpv_proximity(a, b, proximity):
    assert cpv_proximity(a, b) is proximity
    assert cpv_proximity(b, a) is proximity


def test_cpv_proximities_are_ordered_scores_with_french_labels():
    assert CpvProximity.SAME > CpvProximity.CLASS > CpvProximity.GROUP > CpvProximity.DIVISION > CpvProximity.NONE
    assert CpvProximity.CLASS.label == "Même classe"
    assert max(cpv_proximity("45214200", other) for other in ["60100000", "45300000", "45210000"]) == 3


@pytest.mark.parametrize(
    ("turnover", "band"),
    [
        (None, ""),
        (0, "Jusqu'à 2 M€"),
        (2_000_000, "Jusqu'à 2 M€"),
        (2_000_001, "De 2 à 10 M€"),
        (10_000_000, "De 2 à 10 M€"),
        (49_999_999, "De 10 à 50 M€"),
        (50_000_001, "De 50 M€ à 1,5 Md€"),
        (1_500_000_000, "De 50 M€ à 1,5 Md€"),
        (1_500_000_001, "Plus de 1,5 Md€"),
    ],
)
def test_turnover_band(turnover, band):
    assert rules.turnover_band(turnover) == band


@pytest.mark.parametrize(
    ("turnover", "year", "errors"),
    [
        (None, None, {}),
        (850_000, 2024, {}),
        (850_000, 2026, {}),
        (850_000, None, {"turnover_year": "Indiquez l'année de l'exercice de ce chiffre d'affaires."}),
        (None, 2024, {"turnover": "Indiquez le chiffre d'affaires de cet exercice, ou effacez l'année."}),
        (850_000, 2027, {"turnover_year": "L'année de l'exercice doit être comprise entre 1990 et 2026."}),
        (850_000, 1989, {"turnover_year": "L'année de l'exercice doit être comprise entre 1990 et 2026."}),
        (-1, 2024, {"turnover": "Le chiffre d'affaires ne peut pas être négatif."}),
    ],
)
def test_check_turnover(turnover, year, errors):
    assert rules.check_turnover(turnover, year, current_year=2026) == errors


@pytest.mark.parametrize(("km", "ok"), [(0, False), (1, True), (50, True), (1000, True), (1001, False)])
def test_check_radius_km(km, ok):
    if ok:
        rules.check_radius_km(km)
    else:
        with pytest.raises(rules.RuleError, match="entre 1 et 1000 km"):
            rules.check_radius_km(km)


@pytest.mark.parametrize(
    ("code", "types"),
    [
        ("45210000", ["PREST"]),  # works
        ("90911200", ["PREST"]),  # cleaning services
        ("79620000", ["DISP"]),  # staff supply
        ("79621000", ["DISP"]),
        ("39100000", ["BUILD"]),  # furniture
        ("03000000", ["BUILD"]),
        ("48000000", ["BUILD"]),  # software packages
        ("72000000", ["PREST"]),
    ],
)
def test_service_types_for_cpv(code, types):
    assert rules.service_types_for_cpv(code) == types


def test_degree_margins_exceed_the_radius_everywhere_in_france():
    lat_margin, lon_margin = rules.degree_margins(100)
    north = (51.09, 2.55)  # Bray-Dunes, the northernmost commune
    assert distance_km(north, (north[0] + lat_margin, north[1])) > 100
    assert distance_km(north, (north[0], north[1] + lon_margin)) > 100


@pytest.mark.parametrize(
    ("items", "text"),
    [([], ""), (["Rhône"], "Rhône"), (["Rhône", "Loire"], "Rhône et Loire"), (["a", "b", "c"], "a, b et c")],
)
def test_french_list(items, text):
    assert rules.french_list(items) == text


def test_format_km():
    assert rules.format_km(50) == "50\u202fkm"
    assert rules.format_km(2.5) == "2,5\u202fkm"
