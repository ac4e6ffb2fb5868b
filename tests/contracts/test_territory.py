"""A contract's territory: place of execution → department and region, else the buyer's department, else
unknown. Table-driven over the messy codes real DECP files carry (data-notes §4)."""

import pytest

from tests.contracts.factories import ContractFactory
from tests.factories import BuyerFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.contracts.models import Contract, TerritorySource
from tremplin.contracts.territory import (
    BUYER,
    EXECUTION,
    UNKNOWN,
    UNKNOWN_SOURCE,
    Territory,
    TerritoryLookup,
    refresh_territories,
    resolve_territory,
)

LOOKUP = TerritoryLookup(
    postcode_departments={
        "75001": ["75"],
        "69001": ["69"],
        "01000": ["01"],
        "63100": ["63"],
        "20000": ["2A"],
        "20200": ["2B"],
        "97400": ["974"],
        "05110": ["04", "05"],  # a postcode serving communes of two departments
        "60000": ["60"],
    },
    commune_departments={
        "75056": "75",
        "69123": "69",
        "2A004": "2A",
        "2B033": "2B",
        "97411": "974",
        "62041": "62",
    },
    department_regions={
        "01": "84",
        "04": "93",
        "05": "93",
        "09": "76",
        "13": "93",
        "15": "84",
        "2A": "94",
        "2B": "94",
        "54": "44",
        "60": "32",
        "62": "32",
        "63": "84",
        "69": "84",
        "75": "11",
        "971": "01",
        "974": "04",
        "987": "987",
    },  # fmt: skip
    regions=["01", "04", "11", "32", "44", "76", "84", "93", "94", "987"],
)


def execution(department: str, region: str) -> Territory:
    return Territory(department, region, EXECUTION)


def buyer(department: str, region: str) -> Territory:
    return Territory(department, region, BUYER)


CASES = [
    # (type as published, code as published, buyer's department) → territory
    ("Code postal", "75001", None, execution("75", "11")),
    ("Code Postal", " 69 001 ", None, execution("69", "84")),
    ("CODE POSTAL", "FR63100", None, execution("63", "84")),
    ("Code postal", "1000", None, execution("01", "84")),  # leading zero lost in a spreadsheet
    ("Code postal", "20000", None, execution("2A", "94")),  # Corsica through the postcode table
    ("Code postal", "20200", None, execution("2B", "94")),
    ("Code postal", "20290", None, execution("2B", "94")),  # not in the table: 202xx-209xx is Haute-Corse
    ("Code postal", "20090", None, execution("2A", "94")),  # not in the table: 200xx-201xx is Corse-du-Sud
    ("Code postal", "97400", None, execution("974", "04")),  # overseas: three-digit department
    ("Code postal", "97139", None, execution("971", "01")),  # not in the table: 971xx prefix
    ("Code postal", "15003", None, execution("15", "84")),  # a CEDEX code: its prefix
    ("Code postal", "05110", "05", execution("05", "93")),  # ambiguous postcode: the buyer's department decides
    ("Code postal", "05110", "75", execution("05", "93")),  # … else the department of its prefix
    ("Code postal", "13", None, execution("13", "93")),  # a department published as a postcode
    ("Code postal", "00", "2A", buyer("2A", "94")),
    ("Code postal", "200068781", None, UNKNOWN),  # a SIREN, not a place
    ("Code commune", "69123", None, execution("69", "84")),
    ("Code commune", "2A004", None, execution("2A", "94")),
    ("Code commune", "2B033", None, execution("2B", "94")),
    ("Code commune", "97411", None, execution("974", "04")),
    ("Code commune", "DEP", "13", buyer("13", "93")),
    ("Code commune", "75056", "99", execution("75", "11")),
    ("Code département", "62041", None, execution("62", "32")),  # a commune code published as a department
    ("Code département", "60000", None, execution("60", "32")),  # a postcode published as a department
    ("Code departement", "2a", None, execution("2A", "94")),
    ("CODE DEPARTEMENT", "974", None, execution("974", "04")),
    ("Code département", "1", None, execution("01", "84")),
    ("Code département", "20", "75", Territory("", "94", EXECUTION)),  # former Corsica: region only
    ("Code département", "99", None, UNKNOWN),  # no such department, no buyer department
    ("Code région", "94", "75", Territory("", "94", EXECUTION)),  # a region: region-only territory
    ("Code r\ufffdgion", "11", None, Territory("", "11", EXECUTION)),  # mojibake in the type
    ("Code région", "820", "69", buyer("69", "84")),  # not a region code
    ("Code région", "FRF2", "69", buyer("69", "84")),  # NUTS: not resolvable
    ("Code pays", "FR", "69", buyer("69", "84")),  # France says nothing more: the buyer's department
    ("Code pays", "FRK26", "69", buyer("69", "84")),
    ("Code pays", "FR63100", None, execution("63", "84")),
    ("Code pays", "BE", "69", UNKNOWN),  # abroad: unknown, not the buyer's department
    ("Code pays", "56", "69", UNKNOWN),  # ISO numeric for Belgium
    ("Code arrondissement", "544", None, execution("54", "44")),  # departmental arrondissement: 54 + 4
    ("Code canton", "0905", None, execution("09", "76")),  # canton: 09 + 05
    ("", "563", "13", buyer("13", "93")),  # no type, no such department
    ("", "75001", None, execution("75", "11")),  # no type: read by shape
    (None, None, None, UNKNOWN),
    (None, None, "69", buyer("69", "84")),
    ("", "", "2b", buyer("2B", "94")),
    ("Code postal", "75001", "42", execution("75", "11")),  # the place wins over the buyer
]


@pytest.mark.parametrize(("place_type", "place_code", "buyer_department", "expected"), CASES)
def test_resolve_territory(place_type, place_code, buyer_department, expected):
    assert resolve_territory(place_type, place_code, buyer_department, LOOKUP) == expected


def test_sources_are_the_model_choices():
    assert {EXECUTION, BUYER, UNKNOWN_SOURCE} == set(TerritorySource.values)
    assert not UNKNOWN.is_known and execution("75", "11").is_known


def test_lookup_from_the_database_reads_each_table_once(small_referentials, django_assert_num_queries):  # noqa: F811
    lookup = TerritoryLookup.from_database()
    with django_assert_num_queries(3):  # postcodes, communes, departments (regions not needed yet)
        assert resolve_territory("Code postal", "13090", None, lookup) == execution("13", "93")
        assert resolve_territory("Code commune", "92012", None, lookup) == execution("92", "11")
        assert resolve_territory("Code postal", "97417", None, lookup) == execution("974", "04")
        assert resolve_territory("Code postal", "75116", None, lookup) == execution("75", "11")
    with django_assert_num_queries(1):
        assert resolve_territory("Code région", "84", None, lookup) == Territory("", "84", EXECUTION)
    with django_assert_num_queries(0):
        assert resolve_territory("Code postal", "42100", "13", lookup) == execution("42", "84")


@pytest.mark.django_db
def test_refresh_territories_recomputes_in_batches_and_only_writes_changes(small_referentials):  # noqa: F811
    deps = small_referentials.departments
    lyon = BuyerFactory(department=deps["69"])
    placed = ContractFactory(buyer=lyon, place_type="Code postal", place_code="13090")
    unplaced = ContractFactory(buyer=lyon, place_type="", place_code="")
    abroad = ContractFactory(buyer=lyon, place_type="Code pays", place_code="DE")
    nobody = ContractFactory(buyer=None, buyer_identifier="12345678900011", place_code="")
    assert refresh_territories(batch_size=3) == 2  # `abroad` and `nobody` were already "unknown"
    for contract, expected in [
        (placed, ("13", "93", "execution")),
        (unplaced, ("69", "84", "buyer")),
        (abroad, ("", "", "unknown")),
        (nobody, ("", "", "unknown")),
    ]:
        contract.refresh_from_db()
        assert (contract.territory_department, contract.territory_region, contract.territory_source) == expected
    before = Contract.objects.get(pk=unplaced.pk).updated_at
    assert refresh_territories() == 0

    # SIRENE moves the buyer's establishment: only the contracts that fell back on it change.
    lyon.department = deps["42"]
    lyon.save()
    assert refresh_territories(Contract.objects.filter(buyer=lyon)) == 1
    unplaced.refresh_from_db()
    assert (unplaced.territory_department, unplaced.territory_source) == ("42", "buyer")
    assert unplaced.updated_at > before  # so that the observatory snapshot sees the change
