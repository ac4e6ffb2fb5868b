"""Pure rules: hand-worked cases (values are fake factors, chosen to make the arithmetic checkable)."""

from datetime import date
from decimal import Decimal as D

import pytest

from tremplin.carbon import rules


def factor(kind="production", unit="kg", value="2", valid_from=date(2024, 1, 1), valid_to=None, name="FICTIF"):
    return rules.FactorVersion("REF", name, kind, unit, D(value), valid_from, valid_to)


@pytest.mark.parametrize(
    ("quantity", "unit", "factor_unit", "value", "expected"),
    [
        ("1200", "kg", "kg", "2", "2400.000"),  # 1 200 kg × 2 kgCO2e/kg
        ("1.5", "t", "kg", "2", "3000.000"),  # 1,5 t = 1 500 kg × 2
        ("1200", "kg", "t", "450", "540.000"),  # 1 200 kg = 1,2 t × 450 kgCO2e/t
        ("3", "unit", "unit", "12.3456", "37.037"),  # 37,0368 rounded half-up to the gram
        ("1", "kg", "kg", "0.0005", "0.001"),  # half-up at the gram
        ("1", "kg", "kg", "0.0004", "0.000"),
        ("2", "m3", "l", "0.5", "1000.000"),  # 2 m³ = 2 000 l × 0,5
        ("25", "keur", "eur", "0.4", "10000.000"),  # 25 k€ = 25 000 € × 0,4
        ("0", "kg", "kg", "2", "0.000"),
    ],
)
def test_production_is_quantity_times_factor(quantity, unit, factor_unit, value, expected):
    assert rules.production(D(quantity), unit, factor(unit=factor_unit, value=value)) == D(expected)


@pytest.mark.parametrize(
    ("tonnes", "km", "value", "expected"),
    [
        ("12", "250", "0.1", "300.000"),  # 12 t × 250 km × 0,1 kgCO2e/t·km
        ("0.5", "33", "0.0961", "1.586"),  # 1,58565 → 1,586
        ("20", "1000", "0.005", "100.000"),
    ],
)
def test_transport_is_tonnes_times_km_times_mode_factor(tonnes, km, value, expected):
    truck = factor(kind="transport", unit="tkm", value=value)
    assert rules.transport(D(tonnes), D(km), truck) == D(expected)


@pytest.mark.parametrize(
    ("energy", "unit", "factor_unit", "value", "years", "expected"),
    [
        ("2500", "kwh", "kwh", "0.05", "8", "1000.000"),  # 2 500 kWh/an × 0,05 × 8 ans
        ("2", "mwh", "kwh", "0.06", "3", "360.000"),  # 2 MWh = 2 000 kWh × 0,06 × 3
        ("3.6", "gj", "kwh", "0.1", "1", "100.000"),  # 3,6 GJ = 1 000 kWh × 0,1
        ("1000", "l", "l", "3", "2.5", "7500.000"),  # 1 000 l de gazole/an × 3 × 2,5 ans
    ],
)
def test_use_is_energy_per_year_times_factor_times_years(energy, unit, factor_unit, value, years, expected):
    energy_factor = factor(kind="energy", unit=factor_unit, value=value)
    assert rules.use(D(energy), unit, D(years), energy_factor) == D(expected)


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (lambda: rules.production(D(5), "unit", factor(unit="kg")), "unit", "indiquez une masse (kg ou t), pas un"),
        (lambda: rules.production(D(5), "kwh", factor(unit="t")), "unit", "pas une énergie"),
        (lambda: rules.production(D(-1), "kg", factor()), "quantity", "La quantité doit être un nombre positif"),
        (lambda: rules.production(None, "kg", factor()), "quantity", "Indiquez la quantité"),
        (lambda: rules.production(D("NaN"), "kg", factor()), "quantity", "nombre positif"),
        (lambda: rules.production(D(1), "kg", factor(kind="energy")), "factor", "ne peut pas servir pour une ligne"),
        (lambda: rules.transport(D(1), None, factor(kind="transport", unit="tkm")), "km", "Indiquez la distance"),
        (lambda: rules.transport(D(-2), D(1), factor(kind="transport", unit="tkm")), "tonnes", "positif"),
        (lambda: rules.use(D(1), "kwh", D(101), factor(kind="energy", unit="kwh")), "years", "100 ans"),
        (lambda: rules.use(D(1), "kg", D(1), factor(kind="energy", unit="kwh")), "unit", "une énergie"),
    ],
)
def test_bad_input_is_a_french_error_naming_the_field(call, field, message):
    with pytest.raises(rules.CarbonError) as error:
        call()
    assert error.value.field == field
    assert message in str(error.value)


def test_factor_choice_by_date():
    old = factor(value="0.1", valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31))
    new = factor(value="0.0961", valid_from=date(2025, 1, 1))
    assert rules.pick_factor([old, new], date(2024, 12, 31)) is old
    assert rules.pick_factor([old, new], date(2025, 1, 1)) is new
    assert rules.pick_factor([old, new], date(2030, 6, 1)) is new  # open end: still valid


def test_overlapping_versions_the_most_recent_start_wins():
    first = factor(value="1", valid_from=date(2024, 1, 1))
    second = factor(value="2", valid_from=date(2024, 6, 1))
    assert rules.pick_factor([second, first], date(2024, 7, 1)) is second
    assert rules.pick_factor([second, first], date(2024, 3, 1)) is first


def test_no_factor_valid_at_the_date_is_an_error_never_a_default():
    old = factor(valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31), name="FICTIF camion")
    with pytest.raises(rules.CarbonError) as error:
        rules.pick_factor([old], date(2023, 5, 1))
    assert error.value.field == "factor"
    assert str(error.value).startswith("Aucune valeur du facteur « FICTIF camion » n'est valide au 01/05/2023")
    assert "du 01/01/2024 au 31/12/2024" in str(error.value)
    with pytest.raises(rules.CarbonError, match="inconnu"):
        rules.pick_factor([], date(2024, 5, 1))


def test_totals_per_section_and_overall():
    totals = rules.totals(
        [("production", D("37.037")), ("transport", D("1.586")), ("production", D("540.000")), ("use", D("360.000"))]
    )
    assert (totals.production, totals.transport, totals.use) == (D("577.037"), D("1.586"), D("360.000"))
    assert totals.total == D("938.623")
    assert rules.totals([]).total == D(0)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("kg", "kg"),
        ("kgCO2e/kWh", "kwh"),
        ("t.km", "tkm"),
        ("t·km", "tkm"),
        ("tonne", "t"),
        ("k€", "keur"),
        ("m³", "m3"),
        ("Unité", "unit"),
        (" kWh PCI ", "kwh"),
    ],
)
def test_units_as_people_and_sources_write_them(raw, code):
    assert rules.parse_unit(raw) == code


def test_unknown_unit_and_unit_not_allowed_for_the_kind():
    with pytest.raises(rules.CarbonError, match="Unité « parsec » inconnue"):
        rules.parse_unit("parsec")
    with pytest.raises(rules.CarbonError, match="ne peut pas être exprimé par kg"):
        rules.check_factor_unit("transport", "kg")
    rules.check_factor_unit("energy", "l")
