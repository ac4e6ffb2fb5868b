"""The demo builder: believable rows and a thread, and a second call changes nothing."""

import pytest

from tests.opportunities.factories import ForecastFactory
from tremplin.interests.demo import create_demo_interests
from tremplin.interests.models import Interest, InterestEvent, Message

pytestmark = pytest.mark.django_db


def test_demo_interests_are_idempotent(world):
    second = ForecastFactory(buyer=world.buyer)
    forecasts = [world.forecast, second, world.draft]
    result = create_demo_interests(world.buyer, world.company, forecasts)
    assert result.created == 2  # the draft is left alone
    first = Interest.objects.get(forecast=world.forecast)
    assert (first.state, list(first.lots.all())) == ("interested", [world.lots[0]])
    assert Interest.objects.get(forecast=second).reason == "too_large"
    assert [m.side for m in result.thread.messages.all()] == ["supplier", "buyer"]
    counts = (Interest.objects.count(), InterestEvent.objects.count(), Message.objects.count())

    again = create_demo_interests(world.buyer, world.company, forecasts)
    assert again.created == 0 and again.thread == result.thread
    assert (Interest.objects.count(), InterestEvent.objects.count(), Message.objects.count()) == counts
