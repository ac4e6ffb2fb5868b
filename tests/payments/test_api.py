"""POST /api/v1/payments/compute (public calculator) and GET /api/v1/payments/ecb-rates."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/compute"
WORKED_EXAMPLE = {"buyer_type": "commune", "amount_ttc": 12000, "received": "2025-09-02", "paid": "2025-10-22"}


def post(client, payload):
    return client.post(URL, payload, content_type="application/json")


def test_the_worked_example_needs_no_account(client):
    response = post(client, WORKED_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in body if key not in ("steps", "warnings")} == {
        "legal_delay_days": 30,
        "applied_delay_days": 30,
        "clock_start": "2025-09-02",
        "due_date": "2025-10-02",
        "days_late": 20,
        "interest_start": "2025-10-03",
        "ecb_rate": 2.15,
        "interest_rate": 10.15,
        "rate_to_confirm": False,
        "interest": 66.74,
        "indemnity": 40.0,
        "total": 106.74,
        "payable_by": "2025-12-06",
    }
    assert body["warnings"] == []
    assert len(body["steps"]) == 8
    assert body["steps"][2] == "Date limite de paiement : 2 septembre 2025 + 30 jours = 2 octobre 2025."


def test_amounts_may_be_sent_as_strings(client):
    assert post(client, {**WORKED_EXAMPLE, "amount_ttc": "12000.00"}).json()["interest"] == 66.74


def test_hospital_with_interruption_and_capped_contract_delay(client):
    payload = {
        "buyer_type": "etablissement_public_sante",
        "amount_ttc": "10000",
        "received": "2025-03-03",
        "paid": "2025-05-09",
        "contract_delay_days": 70,
        "interruption": {"notified": "2025-03-13", "documents_received": "2025-03-20"},
    }
    body = post(client, payload).json()
    assert (body["legal_delay_days"], body["applied_delay_days"], body["due_date"]) == (50, 50, "2025-04-29")
    assert (body["days_late"], body["interest_rate"], body["interest"]) == (10, 11.15, 30.55)
    assert "ramené à 50 jours" in body["warnings"][0]


def test_paid_on_time(client):
    body = post(client, {**WORKED_EXAMPLE, "paid": "2025-10-02"}).json()
    assert (body["days_late"], body["interest"], body["indemnity"], body["payable_by"]) == (0, 0, 0, None)
    assert body["interest_rate"] is None


def test_rate_to_confirm(client):
    body = post(client, {**WORKED_EXAMPLE, "received": "2026-05-31", "paid": "2026-07-10"}).json()
    assert body["rate_to_confirm"] is True and body["interest_rate"] == 10.15
    assert body["warnings"][0].startswith("Taux à confirmer")


def error_fields(response):
    assert response.status_code == 422
    return {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"paid": "2025-09-01"}, ("body", "payload", "paid"), "La date de paiement ne peut pas précéder"),
        ({"buyer_type": "mairie"}, ("body", "payload", "buyer_type"), "Type d'acheteur inconnu : « mairie »"),
        ({"amount_ttc": -5}, ("body", "payload", "amount_ttc"), "strictement positif"),
        ({"contract_delay_days": 0}, ("body", "payload", "contract_delay_days"), "au moins 1 jour"),
        (
            {"interruption": {"notified": "2025-09-10", "documents_received": "2025-09-05"}},
            ("body", "payload", "interruption", "documents_received"),
            "ne peuvent pas être reçues avant la notification",
        ),
        (
            {"interruption": {"notified": "2025-08-10", "documents_received": "2025-09-05"}},
            ("body", "payload", "interruption", "notified"),
            "ne peut pas être notifiée avant la réception",
        ),
        ({"received": "2025-02-30"}, ("body", "payload", "received"), ""),
        ({"amount_ttc": "douze mille"}, ("body", "payload", "amount_ttc"), ""),
    ],
)
def test_invalid_input_is_a_422_naming_the_field(client, change, loc, message):
    errors = error_fields(post(client, {**WORKED_EXAMPLE, **change}))
    assert list(errors) == [loc]
    assert message in errors[loc]


def test_missing_fields_are_named(client):
    errors = error_fields(post(client, {"buyer_type": "commune"}))
    assert set(errors) == {("body", "payload", name) for name in ("amount_ttc", "received", "paid")}


def test_several_errors_are_reported_together(client):
    errors = error_fields(post(client, {**WORKED_EXAMPLE, "buyer_type": "x", "amount_ttc": -1, "paid": "2025-01-01"}))
    assert {loc[-1] for loc in errors} == {"buyer_type", "amount_ttc", "paid"}


def test_ecb_rates(client):
    body = client.get("/api/v1/payments/ecb-rates").json()
    assert body["known_until"] == "2026-01-01"
    assert body["items"][0] == {"effective_date": "2026-01-01", "rate": 2.15}
    assert body["items"][-1] == {"effective_date": "2016-03-16", "rate": 0.0}
    assert len(body["items"]) == 19
