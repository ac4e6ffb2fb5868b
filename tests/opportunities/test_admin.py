"""Admin pages of forecasts and fairs render; statuses are read-only; lots edited there update the
denormalised reservations."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.opportunities.factories import FairFactory, ForecastFactory, LotFactory

pytestmark = pytest.mark.django_db


def test_admin_pages(client, world):
    forecast = ForecastFactory(buyer=world.buyer)
    lot = LotFactory(forecast=forecast, number=1, title="Nettoyage")
    fair = FairFactory(organiser=world.buyer)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name, args in (
        ("admin:opportunities_forecast_changelist", []),
        ("admin:opportunities_forecast_change", [forecast.pk]),
        ("admin:opportunities_fair_changelist", []),
        ("admin:opportunities_fair_change", [fair.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200
    page = client.get(reverse("admin:opportunities_forecast_change", args=[forecast.pk])).content.decode()
    assert 'name="status"' not in page  # read-only

    form = client.get(reverse("admin:opportunities_forecast_change", args=[forecast.pk])).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        buyer=world.buyer.pk,
        cpv=forecast.cpv_id,
        keywords='["école"]',
        social_kinds="[]",
        environmental_kinds="[]",
        reservations="[]",
        departments=["69"],
        **{
            "lots-TOTAL_FORMS": "1",
            "lots-INITIAL_FORMS": "1",
            "lots-0-id": str(lot.pk),
            "lots-0-forecast": str(forecast.pk),
            "lots-0-number": "1",
            "lots-0-title": "Nettoyage",
            "lots-0-reservation": "L2113-12",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )
    data = {key: value for key, value in data.items() if key not in ("cpv_secondary", "communes", "created_by")}
    response = client.post(reverse("admin:opportunities_forecast_change", args=[forecast.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    forecast.refresh_from_db()
    assert forecast.reserved_articles == "L2113-12"
