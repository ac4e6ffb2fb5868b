"""Stored perimeters: as rules, as French text, and the "covers department D" filter of the directory."""

import pytest

from tests.factories import OrganisationFactory
from tremplin.referentials.models import Commune, Department
from tremplin.suppliers import rules
from tremplin.suppliers.models import PerimeterKind, SupplierPerimeter, SupplierProfile
from tremplin.suppliers.perimeters import as_rules, covering_department, describe

pytestmark = pytest.mark.django_db


def profile_with(organisation, *rows):
    profile = SupplierProfile.objects.create(organisation=organisation)
    for kind, value in rows:
        field = {"region": "region_id", "department": "department_id", "radius": "radius_km"}.get(kind)
        SupplierPerimeter.objects.create(profile=profile, kind=kind, **({field: value} if field else {}))
    return profile


def covering(code):
    department = Department.objects.get(pk=code)
    return set(
        SupplierProfile.objects.filter(covering_department(department)).values_list("organisation__name", flat=True)
    )


def test_covering_department(world):
    refs = world.refs
    profile_with(OrganisationFactory(name="Partout"), (PerimeterKind.NATIONAL, None))
    profile_with(OrganisationFactory(name="Région ARA"), (PerimeterKind.REGION, "84"))
    profile_with(OrganisationFactory(name="Loire seule"), (PerimeterKind.DEPARTMENT, "42"))
    profile_with(world.company, (PerimeterKind.RADIUS, 40))  # Lyon + 40 km
    profile_with(OrganisationFactory(name="Lyon 80 km", commune=world.company.commune), (PerimeterKind.RADIUS, 80))
    profile_with(OrganisationFactory(name="Boulogne 20 km", commune=refs.communes["92012"]), (PerimeterKind.RADIUS, 20))
    profile_with(OrganisationFactory(name="Sans zone"))

    # Saint-Étienne, the only Loire commune with coordinates in the sample, is 50 km from Lyon.
    assert covering("42") == {"Partout", "Région ARA", "Loire seule", "Lyon 80 km"}
    # The establishment's own department is always covered by its radius.
    assert covering("69") == {"Partout", "Région ARA", "Menuiserie Solidaire du Rhône", "Lyon 80 km"}
    # Paris districts are ~10 km from Boulogne-Billancourt.
    assert covering("75") == {"Partout", "Boulogne 20 km"}
    assert covering("13") == {"Partout"}
    assert covering("974") == {"Partout"}


def test_a_radius_without_coordinates_covers_its_department_only(world):
    marseille = Commune.objects.get(pk="13055")  # no coordinates in the sample
    profile_with(OrganisationFactory(name="Marseille 500 km", commune=marseille), (PerimeterKind.RADIUS, 500))
    assert covering("13") == {"Marseille 500 km"}
    assert covering("42") == set()


def test_as_rules_groups_codes_and_locates_the_radius(world):
    profile = profile_with(
        world.company,
        (PerimeterKind.DEPARTMENT, "69"),
        (PerimeterKind.DEPARTMENT, "42"),
        (PerimeterKind.REGION, "93"),
        (PerimeterKind.RADIUS, 60),
    )
    perimeters = as_rules(profile)
    assert perimeters == [
        rules.Perimeter(rules.REGION, frozenset({"93"})),
        rules.Perimeter(rules.DEPARTMENT, frozenset({"69", "42"})),
        rules.Perimeter(rules.RADIUS, radius_km=60, origin=(45.7676, 4.8357), origin_department="69"),
    ]
    saint_etienne = (45.4301235512, 4.37913997076)
    assert rules.perimeters_cover(perimeters, "42", "84", saint_etienne)
    assert rules.perimeters_cover(perimeters, "01", "84", (45.8998, 5.3536))  # Ambérieu-en-Bugey, 45 km
    assert not rules.perimeters_cover(perimeters, "38", "84", (45.1885, 5.7245))  # Grenoble, 95 km


def test_describe(world):
    assert describe(None) == []
    profile = profile_with(
        world.company,
        (PerimeterKind.DEPARTMENT, "69"),
        (PerimeterKind.DEPARTMENT, "42"),
        (PerimeterKind.REGION, "11"),
        (PerimeterKind.RADIUS, 25),
    )
    assert describe(profile) == [
        "Région : Île-de-France",
        "Départements : Loire (42) et Rhône (69)",
        "Dans un rayon de 25\u202fkm autour de Lyon",
    ]
    national = profile_with(OrganisationFactory(), (PerimeterKind.NATIONAL, None))
    assert describe(national) == ["Toute la France"]
