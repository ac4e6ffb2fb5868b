"""CPV hierarchy and searches on the sample rows."""

import pytest

from tremplin.referentials.models import Commune, CpvCode, NafCode

pytestmark = pytest.mark.django_db


def codes(queryset) -> list[str]:
    return [row.code for row in queryset]


def test_cpv_ancestors_run_from_the_division_down_to_the_parent(small_referentials):
    assert codes(small_referentials.cpv["45214210"].ancestors()) == [
        "45000000",
        "45200000",
        "45210000",
        "45214000",
        "45214200",
    ]
    assert codes(small_referentials.cpv["60112000"].ancestors()) == ["60000000", "60100000"]
    assert codes(small_referentials.cpv["09000000"].ancestors()) == []


def test_cpv_descendants_share_the_significant_digits(small_referentials):
    assert codes(CpvCode.objects.descendants_of("45200000")) == ["45210000", "45214000", "45214200", "45214210"]
    assert codes(small_referentials.cpv["45214200"].descendants()) == ["45214210"]
    assert codes(CpvCode.objects.descendants_of("45214210")) == []
    assert codes(CpvCode.objects.descendants_of("09000000")) == ["09300000", "09310000"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("electricite", ["09310000", "09000000", "09300000"]),  # exact label first, then by level
        ("ÉLECTRICITÉ", ["09310000", "09000000", "09300000"]),
        ("construction batiments", ["45210000", "45214200"]),
        ("batiment", ["45210000", "45214200"]),  # inside a word counts too
        ("transport routier", ["60100000", "60112000"]),
        ("452", ["45200000", "45210000", "45214000", "45214200", "45214210"]),  # code prefix, general first
        ("45 21", ["45210000", "45214000", "45214200", "45214210"]),
        ("45214210-5", ["45214210"]),
        ("452142105", ["45214210"]),
        ("beton", []),
        ("", []),
        ("  ", []),
    ],
)
def test_cpv_search(small_referentials, query, expected):
    assert codes(CpvCode.objects.search(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("62", ["62", "62.0", "62.01", "62.02", "62.01Z", "62.02A"]),
        ("6201z", ["62.01Z"]),
        ("f", ["F"]),
        ("informatique", ["62.01", "62.02", "62.01Z", "62", "62.0", "62.02A"]),  # whole word before "informatiques"
        ("electrique", ["43.2", "43.21", "43.21A"]),
        ("programmation informatique", ["62.01", "62.01Z", "62", "62.0"]),  # exact labels first
    ],
)
def test_naf_search(small_referentials, query, expected):
    assert codes(NafCode.objects.search(query)) == expected


def test_naf_ancestors_run_from_the_section(small_referentials):
    assert [n.code for n in small_referentials.naf["43.21A"].ancestors()] == ["F", "43", "43.2", "43.21"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("paris", ["75056", "75102", "75101"]),  # exact name, then the most populated
        ("saint etienne", ["42218"]),
        ("SAINT-ÉTIENNE", ["42218"]),
        ("chatillon", ["92020"]),
        ("saint", ["42218", "97411"]),  # same rank: the most populated first
        ("aix provence", ["13001"]),
        ("", []),
    ],
)
def test_commune_search(small_referentials, query, expected):
    assert codes(Commune.objects.search(query)) == expected


def test_commune_postcode_lookup(small_referentials):
    assert codes(Commune.objects.with_postcode("75001")) == ["75056", "75101"]
    assert codes(Commune.objects.with_postcode("42230")) == ["42218"]
    assert codes(Commune.objects.with_postcode("00000")) == []
