"""The demo forecasts: believable, complete enough to be published, and created once."""

import pytest

from tremplin.opportunities.demo import create_demo_forecasts
from tremplin.opportunities.models import Fair, Forecast

pytestmark = pytest.mark.django_db


def test_demo_forecasts_are_created_once(world):
    first = create_demo_forecasts(world.buyer, world.agent)
    assert (first.created, first.fair_created) == (4, True)
    statuses = sorted(Forecast.objects.filter(buyer=world.buyer).values_list("status", flat=True))
    assert statuses == ["draft", "published", "published", "published"]
    school = Forecast.objects.get(external_id="demo-renovation-ecole")
    assert school.reserved_list == ["L2113-12", "L2113-13"]
    assert list(school.lots.values_list("reservation", flat=True)) == ["", "L2113-13", "L2113-12"]
    assert school.cpv_id == "45214200" and school.publication_quarter
    assert first.fair.forecasts.count() == 3 and first.fair.capacity == 40

    again = create_demo_forecasts(world.buyer, world.agent)
    assert (again.created, again.fair_created) == (0, False)
    assert Forecast.objects.count() == 4 and Fair.objects.count() == 1
    assert [f.pk for f in again.forecasts] == [f.pk for f in first.forecasts]
