"""The public calculator page (/paiements/): a GET form that works without JavaScript."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("payments:calculator")
WORKED_EXAMPLE = {"buyer_type": "commune", "amount_ttc": "12 000,00", "received": "2025-09-02", "paid": "2025-10-22"}


def test_the_empty_page_explains_the_rules_without_an_account(client):
    html = client.get(URL).content.decode()
    assert "<h1>Calculer un retard de paiement</h1>" in html
    assert 'method="get"' in html and 'action="/paiements/#resultat"' in html
    assert '<label class="field__label" for="id_buyer_type">Type d&#x27;acheteur' in html
    assert '<option value="etablissement_public_sante">Établissement public de santé</option>' in html
    assert 'type="date" name="received"' in html
    assert "Les règles appliquées" in html
    assert "Tremplin connaît les taux de la BCE jusqu'au 1er janvier 2026 (dernier taux : 2,15\u202f%)" in html
    assert 'aria-current="page">Délais de paiement</a>' in html
    assert "Mes factures" not in html


def test_the_worked_example_is_explained(client):
    html = client.get(URL, WORKED_EXAMPLE).content.decode()
    assert "À réclamer : <strong>106,74\u202f€</strong>" in html
    assert "à verser au plus tard le 6 décembre 2025" in html
    assert "<dt>Retard</dt><dd>20 jours</dd>" in html
    assert '10,15\u202f% <span class="muted">(taux de la BCE 2,15\u202f% + 8 points)</span>' in html
    assert "<li>Date limite de paiement : 2 septembre 2025 + 30 jours = 2 octobre 2025.</li>" in html
    assert "Intérêts moratoires : 12\u202f000,00\u202f€ × 10,15\u202f% × 20 / 365 = 66,74\u202f€" in html
    assert 'value="12 000,00"' in html  # the form keeps what was typed


def test_dates_may_be_typed_the_french_way(client):
    html = client.get(URL, {**WORKED_EXAMPLE, "received": "02/09/2025", "paid": "22/10/2025"}).content.decode()
    assert "106,74\u202f€" in html


def test_an_unpaid_request_is_counted_to_today(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2025, 10, 12))
    html = client.get(URL, {**WORKED_EXAMPLE, "paid": ""}).content.decode()
    assert "Non payée, en retard de <strong>10 jours</strong>" in html
    assert "au 12 octobre 2025" in html


def test_capped_contract_delay_and_rate_to_confirm_are_shown(client):
    html = client.get(
        URL, {**WORKED_EXAMPLE, "received": "2026-05-31", "paid": "2026-07-10", "contract_delay_days": "45"}
    ).content.decode()
    assert "ramené à 30 jours (article L2192-10)" in html
    assert '<span class="badge badge--warning">Taux à confirmer</span>' in html
    assert "Taux à confirmer : le barème des taux de la BCE n&#x27;est connu que jusqu&#x27;au 1er janvier 2026" in html


def test_interruption_is_explained(client):
    html = client.get(
        URL,
        {
            **WORKED_EXAMPLE,
            "buyer_type": "etablissement_public_sante",
            "amount_ttc": "10000",
            "received": "2025-03-03",
            "paid": "2025-05-09",
            "interruption_notified": "2025-03-13",
            "documents_received": "2025-03-20",
        },
    ).content.decode()
    assert "<dt>Nouveau délai après interruption</dt><dd>40 jours</dd>" in html
    assert "<dt>Date limite de paiement</dt><dd>29 avril 2025</dd>" in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"paid": "2025-09-01"}, "paid", "La date de paiement ne peut pas précéder"),
        ({"amount_ttc": "douze"}, "amount_ttc", "« douze » n&#x27;est pas un montant"),
        ({"amount_ttc": "-3"}, "amount_ttc", "strictement positif"),
        ({"buyer_type": "mairie"}, "buyer_type", "Sélectionnez un choix valide"),
        ({"received": "31/02/2025"}, "received", "Saisissez une date valide"),
        (
            {"interruption_notified": "2025-09-10", "documents_received": "2025-09-05"},
            "documents_received",
            "ne peuvent pas être reçues avant la notification",
        ),
        ({"documents_received": "2025-09-05"}, "interruption_notified", "Indiquez la date de notification"),
    ],
)
def test_errors_are_shown_next_to_their_field_and_in_the_summary(client, change, field, message):
    html = client.get(URL, {**WORKED_EXAMPLE, **change}).content.decode()
    assert 'class="error-summary"' in html
    assert f'<ul class="errorlist" id="id_{field}_error"><li>' in html
    assert message in html
    assert "À réclamer" not in html
    assert "<title>Erreur : " in html


def test_logged_in_people_find_their_invoices(client):
    client.force_login(UserFactory())
    assert f'href="{reverse("payments:hub")}"' in client.get(URL).content.decode()
