"""The partner finder on a real forecast, through the matching engine."""

import pytest

from tests.matching.inclusive_world import inclusive_world  # noqa: F401
from tremplin.matching.inclusive_services import ForecastNotFound
from tremplin.matching.partners_services import find_partners, supplier_viewpoints

pytestmark = pytest.mark.django_db


def member_names(groupement) -> list[str]:
    return [member.candidate.name for member in groupement.members]


def test_from_a_works_company_one_partner_covers_electricity_and_transport(inclusive_world):  # noqa: F811
    w = inclusive_world
    finder = find_partners(None, w.forecast, w.lead)
    assert finder.plan.lead_lots == (1,)
    assert finder.lead_lot_labels == ["Lot 1 — Gros œuvre"]
    assert finder.plan.to_cover == (2, 3)
    assert [member_names(g) for g in finder.plan.groupements] == [["Élec et Transports du 92"]]
    member = finder.plan.groupements[0].members[0]
    assert member.reasons[:2] == ("couvre le lot 2 — Électricité", "couvre le lot 3 — Transport")
    assert "établie dans le département d'exécution" in member.reasons
    assert "PME" in member.reasons
    # For the electricity lot, the EA is also suggested, and said to be one.
    electricity = dict(finder.per_lot_rows)["Lot 2 — Électricité"]
    lumiere = next(s for s in electricity if s.candidate.name == "Lumière Adaptée")
    assert "EA/ESAT" in lumiere.reasons


def test_from_scratch_the_best_pair_prefers_the_local_inclusive_sme(inclusive_world):  # noqa: F811
    w = inclusive_world
    finder = find_partners(None, w.forecast)
    assert finder.plan.lead_lots == ()
    assert member_names(finder.plan.groupements[0]) == ["Bâtir Insertion", "Élec et Transports du 92"]
    assert all(len(g.members) == 2 for g in finder.plan.groupements)


def test_a_forecast_without_lots_is_one_whole_contract(inclusive_world):  # noqa: F811
    w = inclusive_world
    w.forecast.lots.all().delete()
    finder = find_partners(None, w.forecast, w.lead)
    assert not finder.allotted
    assert finder.plan.to_cover == ()  # the works company takes the whole contract


def test_drafts_and_viewpoints(inclusive_world):  # noqa: F811
    w = inclusive_world
    with pytest.raises(ForecastNotFound):
        find_partners(w.lead_member, w.draft, w.lead)
    assert find_partners(w.agent, w.draft).forecast == w.draft
    assert supplier_viewpoints(w.lead_member) == [w.lead]
    assert supplier_viewpoints(w.agent) == []
    assert supplier_viewpoints(None) == []
