"""The demo cases: two cases in different states, created once."""

import pytest

from tremplin.mediation.demo import create_demo_cases
from tremplin.mediation.models import Case

pytestmark = pytest.mark.django_db


def test_demo_cases_are_created_once_in_two_states(world, mailoutbox):
    created = create_demo_cases(world.company, world.buyer, world.mediator)
    assert sorted(case.status for case in Case.objects.all()) == ["agreement", "in_mediation"]
    assert len(created) == 2
    assert create_demo_cases(world.company, world.buyer, world.mediator) == []
    assert Case.objects.count() == 2
    assert mailoutbox == []
    live = Case.objects.get(status="in_mediation")
    assert live.mediator == world.mediator and live.region == world.region and live.filed_by == world.company_member
    assert [m.author_role for m in live.messages.all()] == ["mediator", "buyer"]
    assert [e.action for e in live.events.order_by("created_at", "pk")] == [
        "filed",
        "assigned",
        "accept",
        "start",
        "message",
        "message",
    ]
    closed = Case.objects.get(status="agreement")
    assert (closed.closed_at - closed.filed_at).days == 38
    assert closed.status_reason.startswith("L'acheteur applique la révision")
