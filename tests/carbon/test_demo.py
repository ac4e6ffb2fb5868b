"""The demo builder invents no factor: without factors it does nothing and says so."""

import pytest

from tremplin.carbon.demo import NO_FACTORS, create_demo_estimates
from tremplin.carbon.models import Estimate

pytestmark = pytest.mark.django_db


def test_without_factors_nothing_is_built(world):
    assert create_demo_estimates(world.buyer, world.buyer_agent) == ([], NO_FACTORS)
    assert not Estimate.objects.exists()


def test_with_factors_one_estimate_with_a_line_per_section(world, fake_factors):
    estimates, message = create_demo_estimates(world.buyer, world.buyer_agent)
    [estimate] = estimates
    assert {line.section for line in estimate.lines.all()} == {"production", "transport", "use"}
    assert all(line.factor.source_name == "Jeu d'essai FICTIF" for line in estimate.lines.all())
    assert "3 ligne(s)" in message
    create_demo_estimates(world.buyer, world.buyer_agent)  # again: replaced, not duplicated
    assert Estimate.objects.count() == 1 and Estimate.objects.get().lines.count() == 3
