"""End to end with the real matching engine: a published forecast reaches the supplier's digest (and its
follow-up is marked notified), the feeds and the preview; a draft never does."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.alerts.conftest import make_search
from tests.opportunities.factories import ForecastFactory
from tremplin.interests.models import Interest
from tremplin.opportunities import rules as forecast_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_index(settings):
    from tremplin.matching import services

    settings.MATCHING_INDEX_CHECK_SECONDS = 0
    services.opportunity_index.reset()
    yield
    services.opportunity_index.reset()


def test_a_published_forecast_is_e_mailed_once_and_marked_notified(client, people, smtp_inbox, fresh_index):
    forecast = ForecastFactory(title="Rénovation de l'école Jean Macé", buyer__name="Ville de Lyon")
    ForecastFactory(title="Rénovation de l'école secrète", status=forecast_rules.DRAFT)
    search = make_search(people.owner, text="", cpv=["45000000"], kinds=["forecast"], organisation=people.company)

    call_command("send_alerts", stdout=StringIO())
    [(_, rcpt, message)] = smtp_inbox.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert rcpt == [people.owner.email]
    assert "Rénovation de l'école Jean Macé" in text and "secrète" not in text
    assert "Ville de Lyon" in text
    assert Interest.objects.get(organisation=people.company, forecast=forecast).notified_at is not None

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    call_command("send_alerts", "--now", tomorrow.isoformat(), stdout=StringIO())
    assert len(smtp_inbox.messages) == 1  # nothing new, nothing twice

    client.force_login(people.owner)
    assert "Jean Macé" in client.get(search.get_absolute_url()).content.decode()
    assert "Jean Macé" in client.get(reverse("alerts:atom", args=[search.feed_token])).content.decode()
    ics = client.get(reverse("alerts:ics", args=[search.feed_token])).content.decode()
    assert "DTSTART;VALUE=DATE:20261020" in ics  # the forecast's offer deadline
