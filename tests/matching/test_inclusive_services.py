"""The inclusive potential of a real forecast and of a free need, through the matching engine."""

from decimal import Decimal

import pytest

from tests.matching.inclusive_world import WORKS, inclusive_world  # noqa: F401
from tremplin.matching import inclusive
from tremplin.matching.inclusive_services import (
    ForecastNotFound,
    forecast_potential,
    free_need_potential,
    visible_forecast,
)

pytestmark = pytest.mark.django_db


def names(need) -> set[str]:
    return {structure.match.name for structure in need.structures}


def test_each_lot_and_the_whole_forecast(inclusive_world):  # noqa: F811
    w = inclusive_world
    result = forecast_potential(None, w.forecast)
    works, electricity, transport = result.lots
    # Lot 1: three SIAE and an ESAT do works in the 92; 90 000 € over 18 months = 60 000 €/year, 15 % of the
    # 400 000 € median turnover (the ESAT's is unknown).
    p = works.potential
    assert (p.siae, p.ea_esat, p.median_turnover, p.unknown_turnovers) == (3, 1, 400_000, 1)
    assert p.dependency == Decimal("0.15")
    assert p.recommendation.code == inclusive.RESERVE_LOT
    assert p.recommendation.articles == ("L2113-13",)
    assert names(works) == {"Bâtir Insertion", "Chantier École 92", "Intérim Solidaire", "ESAT des Coteaux"}
    # Lot 2: one EA only (the electrician is not inclusive) → a clause; lot 3: nobody and 17 hours → nothing.
    assert (electricity.potential.siae, electricity.potential.ea_esat) == (0, 1)
    assert electricity.potential.recommendation.code == inclusive.SOCIAL_CLAUSE
    assert names(electricity) == {"Lumière Adaptée"}
    assert transport.potential.eligible == 0
    assert transport.potential.recommendation.code == inclusive.NOTHING
    # The whole: 180 000 € over 18 months = 120 000 €/year = 30 % of 400 000 €.
    assert result.whole.potential.dependency == Decimal("0.30")
    assert result.recommendation.code == inclusive.RESERVE_LOT
    assert result.recommendation.label == "Réserver le lot 1"


def test_a_planned_reservation_does_not_hide_the_other_eligible_structures(inclusive_world):  # noqa: F811
    w = inclusive_world
    w.forecast.lots.filter(number=1).update(reservation="L2113-12")
    works = forecast_potential(None, w.forecast).lots[0].potential
    assert (works.siae, works.ea_esat) == (3, 1)
    assert "risque de procédure infructueuse" not in " ".join(works.warnings)


def test_drafts_exist_only_for_the_buyer_members(inclusive_world):  # noqa: F811
    w = inclusive_world
    assert visible_forecast(w.agent, w.draft.pk) == w.draft
    for user in (None, w.lead_member, w.other_agent):
        with pytest.raises(ForecastNotFound):
            visible_forecast(user, w.draft.pk)
        with pytest.raises(ForecastNotFound):
            forecast_potential(user, w.draft)
    with pytest.raises(ForecastNotFound):
        visible_forecast(None, 999_999)


def test_a_free_need(inclusive_world):  # noqa: F811
    need = free_need_potential("", WORKS, "92", 240_000)
    assert (need.potential.siae, need.potential.ea_esat) == (3, 1)
    # 240 000 € is 60 % of the median turnover: too much for a reservation.
    assert need.potential.dependency == Decimal("0.60")
    assert need.potential.recommendation.code == inclusive.SOCIAL_CLAUSE
    elsewhere = free_need_potential("", WORKS, "13", 240_000)
    assert elsewhere.potential.eligible == 0
