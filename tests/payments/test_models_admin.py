"""The ECB rate table shipped by the data migration, the services reading it, and the admin pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.payments.test_rules import SHIPPED_RATES
from tremplin.payments.models import EcbRate
from tremplin.payments.services import known_until, rate_table

pytestmark = pytest.mark.django_db


def test_the_data_migration_ships_the_rate_table():
    assert rate_table() == SHIPPED_RATES
    assert known_until(rate_table()) == date(2026, 1, 1)
    assert str(EcbRate.objects.get(effective_date=date(2025, 6, 11))) == "2.15 % à partir du 11/06/2025"


def test_staff_extend_the_table_and_the_flag_moves(client):
    EcbRate.objects.create(effective_date=date(2026, 7, 1), rate=Decimal("2.15"), note="Confirmation")
    body = client.post(
        "/api/v1/payments/compute",
        {"buyer_type": "commune", "amount_ttc": 36500, "received": "2026-05-31", "paid": "2026-07-10"},
        content_type="application/json",
    ).json()
    assert body["rate_to_confirm"] is False and body["interest"] == 101.5


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_rate_list_says_how_far_the_table_is_known(admin_client):
    html = admin_client.get(reverse("admin:payments_ecbrate_changelist")).content.decode()
    assert "connus jusqu&#x27;au 1er janvier 2026" in html
    assert "Confirmation : taux inchangé au 1er janvier 2026" in html


def test_admin_rate_can_be_added(admin_client):
    response = admin_client.post(
        reverse("admin:payments_ecbrate_add"), {"effective_date": "2026-02-11", "rate": "2,00", "note": "Baisse"}
    )
    assert response.status_code == 302
    assert EcbRate.objects.get(effective_date=date(2026, 2, 11)).rate == Decimal("2.00")


def test_admin_invoice_list_shows_the_status(admin_client, world):
    html = admin_client.get(reverse("admin:payments_invoice_changelist")).content.decode()
    assert "F-2025-001" in html and "Payée en retard" in html
    assert admin_client.get(reverse("admin:payments_invoice_change", args=[world.invoice.pk])).status_code == 200
