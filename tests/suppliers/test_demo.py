"""Demo profiles built from the contracts suppliers won."""

import pytest

from tests.factories import OrganisationFactory
from tests.suppliers.helpers import make_profile, win
from tremplin.suppliers.demo import create_demo_profiles
from tremplin.suppliers.models import SupplierProfile

pytestmark = pytest.mark.django_db


def test_profiles_from_contracts_are_prefilled_and_idempotent(world):
    # The Lyon company won works in the Rhône and the Loire (same region) → its region.
    win(world.company, cpv="45210000", territory_department="69")
    win(world.company, cpv="45210000", territory_department="42")
    win(world.company, cpv="45214299", territory_department="69")  # not in the vocabulary → 45214200
    win(world.company, cpv="09310000", territory_department="69")
    win(world.company, cpv="60112000", territory_department="69")  # a fourth code: only the 3 most frequent
    # No establishment department: the most frequent department of its contracts.
    nomad = OrganisationFactory(name="Nomade")
    win(nomad, cpv="60100000", territory_department="13")
    # Contracts in three regions: national.
    insurer = OrganisationFactory(name="Assureur")
    for department in ["75", "69", "13"]:
        win(insurer, cpv="45000000", territory_department=department)
    # No CPV at all: its SIRENE NAF code; nothing at all: no profile.
    naf_only = OrganisationFactory(name="NAF seulement", naf_id="62.01Z")
    win(naf_only, cpv="")
    win(OrganisationFactory(name="Rien"), cpv="79620000")  # a division missing from the sample vocabulary
    # An existing profile is never touched.
    make_profile(world.rival_member, world.rival, activities=[("60100000", None, ["PREST"])])
    win(world.rival, cpv="45000000")

    assert create_demo_profiles() == 4
    assert create_demo_profiles() == 0

    profile = SupplierProfile.objects.get(organisation=world.company)
    assert profile.prefilled
    assert [(a.cpv_id, a.service_types, a.description) for a in profile.activities.all()] == [
        ("45210000", ["PREST"], "D'après 2 marchés remportés."),
        ("09310000", ["BUILD"], "D'après 1 marché remporté."),
        ("45214200", ["PREST"], "D'après 1 marché remporté."),
    ]
    assert [(p.kind, p.region_id) for p in profile.perimeters.all()] == [("region", "84")]

    nomad_profile = SupplierProfile.objects.get(organisation=nomad)
    assert [(a.cpv_id, a.service_types) for a in nomad_profile.activities.all()] == [("60100000", ["PREST"])]
    assert [(p.kind, p.department_id) for p in nomad_profile.perimeters.all()] == [("department", "13")]

    insurer_profile = SupplierProfile.objects.get(organisation=insurer)
    assert [p.kind for p in insurer_profile.perimeters.all()] == ["national"]

    naf_profile = SupplierProfile.objects.get(organisation=naf_only)
    assert [(a.cpv_id, a.naf_id) for a in naf_profile.activities.all()] == [(None, "62.01Z")]
    assert not naf_profile.perimeters.exists()

    assert not SupplierProfile.objects.filter(organisation__name="Rien").exists()
    assert not SupplierProfile.objects.get(organisation=world.rival).prefilled


def test_limit_takes_the_busiest_suppliers(world):
    busy = OrganisationFactory(name="Très active")
    for _ in range(3):
        win(busy, cpv="45000000")
    active = OrganisationFactory(name="Active")
    win(active, cpv="45000000")
    win(active, cpv="45210000")
    win(OrganisationFactory(name="Peu active"), cpv="45000000")
    assert create_demo_profiles(limit=2) == 2
    assert create_demo_profiles(limit=2) == 0  # idempotent
    assert set(SupplierProfile.objects.values_list("organisation__name", flat=True)) == {"Très active", "Active"}
