"""The full reference data from TREMPLIN_DATA_DIR: real counts, hierarchy integrity, idempotent second load."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F

from tremplin.referentials.loaders import load_referentials
from tremplin.referentials.models import Commune, CommunePostcode, CpvCode, Department, NafCode, Region
from tremplin.referentials.readers import CPV_FILE
from tremplin.referentials.rules import cpv_significant_digits

SOURCE_DIR = Path(settings.TREMPLIN_DATA_DIR) / "reference"


@pytest.mark.django_db
@pytest.mark.skipif(not (SOURCE_DIR / CPV_FILE).is_file(), reason=f"no reference data under {SOURCE_DIR}")
def test_full_reference_data_loads_with_real_counts_and_reloads_as_a_no_op():
    load_referentials(SOURCE_DIR)

    assert CpvCode.objects.count() == 9454
    assert Counter(CpvCode.objects.values_list("level", flat=True)) == {1: 45, 2: 272, 3: 1002, 4: 2379, 5: 5756}
    assert CpvCode.objects.filter(parent__isnull=True).count() == 45  # every non-division has a parent
    assert not CpvCode.objects.filter(parent__level__gt=F("level")).exists()
    pairs = CpvCode.objects.filter(parent__isnull=False).values_list("code", "parent_id")
    assert all(code != parent and code.startswith(cpv_significant_digits(parent)) for code, parent in pairs)
    assert Counter(NafCode.objects.values_list("level", flat=True)) == {1: 21, 2: 88, 3: 272, 4: 615, 5: 732}
    assert NafCode.objects.get(code="62.01Z").parent.parent.parent.parent.code == "J"

    assert Region.objects.exclude(zone="com").count() == 18
    assert Region.objects.count() == 26  # + 8 overseas collectivities, each its own region
    assert Department.objects.exclude(zone="com").count() == 101
    assert Department.objects.count() == 109
    assert Commune.objects.filter(kind="commune").count() == 34969
    assert Commune.objects.filter(kind="arrondissement").count() == 45
    assert Commune.objects.filter(department__zone="com").count() == 94  # 975, 977, 978, 984, 986-989
    assert Commune.objects.filter(latitude__isnull=False).count() > 34900
    paris = Commune.objects.get(code="75056")
    assert 48.8 < paris.latitude < 48.9 and 2.3 < paris.longitude < 2.4  # mean of its districts
    assert set(Commune.objects.with_postcode("75001").values_list("code", flat=True)) == {"75056", "75101"}
    assert Commune.objects.get(code="97701").department.region.name == "Saint-Barthélemy"
    before = [model.objects.count() for model in (Region, Department, Commune, CommunePostcode, CpvCode, NafCode)]

    reports = load_referentials(SOURCE_DIR)

    assert not any(report.changed for report in reports), [str(report) for report in reports]
    assert [report.unchanged for report in reports] == before
