"""The interests API: answering with a token, my followed opportunities, a forecast's funnel for its buyer,
threads — and every denial (404 for what the caller may not see)."""

import json

import pytest
from django.core import mail

from tests.interests.conftest import bearer
from tremplin.interests import services
from tremplin.interests.models import Interest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/interests"


def post(client, user, path, payload):
    return client.post(BASE + path, json.dumps(payload), content_type="application/json", **bearer(user))


def get(client, user, path, **params):
    return client.get(BASE + path, params, **(bearer(user) if user else {}))


def test_declaring_an_interest_on_a_lot(client, world):
    payload = {"opportunity": f"lot:{world.lots[1].pk}", "organisation": world.company.siret, "action": "interested"}
    response = post(client, world.member, "", payload)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["opportunity"] == f"forecast:{world.forecast.pk}"
    assert (body["state"], body["following"], body["organisation_name"]) == ("interested", True, "Menuiserie Solidaire")
    assert [lot["number"] for lot in body["lots"]] == [2]
    assert body["url"].endswith(f"/previsions/{world.forecast.pk}/")


def test_not_interested_with_a_reason_then_listed_in_mine(client, world):
    payload = {
        "opportunity": f"notice:{world.notice.pk}",
        "organisation": world.company.siret,
        "action": "not_interested",
        "reason": "too_far",
    }
    assert post(client, world.member, "", payload).status_code == 200
    mine = get(client, world.member, "/mine", organisation=world.company.siret).json()
    assert [(r["opportunity"], r["state"], r["reason_label"]) for r in mine] == [
        (f"notice:{world.notice.pk}", "not_interested", "Lieu d'exécution trop éloigné")
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"action": "like"}, "action", "Action inconnue"),
        ({"action": "not_interested"}, "reason", "Indiquez pourquoi"),
        ({"action": "not_interested", "reason": "other"}, "details", "Précisez"),
        ({"opportunity": "forecast:douze"}, "opportunity", "mal formée"),
        ({"lots": [999999]}, "lots", "Lot(s) inconnu(s)"),
    ],
)
def test_bad_input_gets_a_french_400(client, world, change, field, message):
    payload = {
        "opportunity": f"forecast:{world.forecast.pk}",
        "organisation": world.company.siret,
        "action": "interested",
    }
    response = post(client, world.member, "", payload | change)
    assert response.status_code == 400
    assert message in response.json()["errors"][field]
    assert not Interest.objects.filter(interested_at__isnull=False).exists()


def test_drafts_and_unknown_opportunities_are_404(client, world):
    for opportunity in (f"forecast:{world.draft.pk}", "forecast:999999", "notice:999999"):
        payload = {"opportunity": opportunity, "organisation": world.company.siret, "action": "follow"}
        assert post(client, world.member, "", payload).status_code == 404


@pytest.mark.parametrize("who", ["agent", "other_member", "company_pending", "staff"])
def test_acting_for_a_company_one_is_not_a_member_of_is_refused(client, world, who):
    payload = {"opportunity": f"forecast:{world.forecast.pk}", "organisation": world.company.siret, "action": "follow"}
    assert post(client, getattr(world, who), "", payload).status_code == 403
    assert get(client, getattr(world, who), "/mine", organisation=world.company.siret).status_code == 403
    assert not Interest.objects.exists()


def test_a_token_is_needed(client, world):
    payload = {"opportunity": f"forecast:{world.forecast.pk}", "organisation": world.company.siret, "action": "follow"}
    assert client.post(BASE, json.dumps(payload), content_type="application/json").status_code == 401
    assert get(client, None, "/mine", organisation=world.company.siret).status_code == 401
    bad = {"HTTP_AUTHORIZATION": "Bearer faux"}
    assert client.get(f"{BASE}/forecasts/{world.forecast.pk}", **bad).status_code == 401


def test_the_forecast_funnel_for_its_buyer(client, world):
    services.mark_notified(world.company, f"forecast:{world.forecast.pk}")
    opportunity = services.for_forecast(world.forecast)
    services.answer(world.member, world.company, opportunity, "interested", lot_ids=[world.lots[0].pk])
    services.answer(world.other_member, world.other_company, opportunity, "not_interested", "timing")
    body = get(client, world.buyer_colleague, f"/forecasts/{world.forecast.pk}").json()
    assert body["counts"] == {"notified": 1, "viewed": 0, "following": 1, "interested": 1, "not_interested": 1}
    assert body["reasons"] == [{"reason": "timing", "label": "Calendrier qui ne nous convient pas", "count": 1}]
    [company] = body["interested"]
    assert (company["siret"], company["inclusive_status"], company["department"], company["size_category"]) == (
        world.company.siret,
        "EI",
        "69",
        "micro",
    )
    assert [lot["number"] for lot in company["lots"]] == [1]


@pytest.mark.parametrize("who", ["other_agent", "member", "buyer_pending", "staff"])
def test_the_forecast_funnel_is_404_for_everybody_else(client, world, who):
    assert get(client, getattr(world, who), f"/forecasts/{world.forecast.pk}").status_code == 404
    assert get(client, getattr(world, who), "/forecasts/999999").status_code == 404


@pytest.fixture
def thread(world):
    services.answer(world.member, world.company, services.for_forecast(world.forecast), "interested")
    return services.start_or_continue(world.member, world.forecast, world.company, "Question ?\nMerci").thread


def test_thread_messages_both_ways(client, world, thread, django_capture_on_commit_callbacks):
    url = f"/threads/{thread.pk}/messages"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, world.agent, url, {"body": "Réponse <b>ici</b>"})
    assert response.status_code == 201
    body = response.json()
    assert [(m["side"], m["organisation"], m["body"]) for m in body["messages"]] == [
        ("supplier", "Menuiserie Solidaire", "Question ?\nMerci"),
        ("buyer", "Ville de Lyon", "Réponse <b>ici</b>"),
    ]
    assert body["can_write"] is True
    assert len(mail.outbox) == 2  # the company's two active members
    read = get(client, world.member, url).json()
    assert len(read["messages"]) == 2 and read["organisation"] == world.company.siret


@pytest.mark.parametrize("who", ["other_agent", "other_member", "buyer_pending", "company_pending", "staff"])
def test_threads_are_404_for_everybody_else(client, world, thread, who):
    url = f"/threads/{thread.pk}/messages"
    assert get(client, getattr(world, who), url).status_code == 404
    assert post(client, getattr(world, who), url, {"body": "Intrusion"}).status_code == 404
    assert thread.messages.count() == 1


def test_a_reader_who_may_not_write_gets_403_and_bad_bodies_400(client, world, thread):
    url = f"/threads/{thread.pk}/messages"
    assert get(client, world.buyer_colleague, url).json()["can_write"] is False
    assert post(client, world.buyer_colleague, url, {"body": "Réponse"}).status_code == 403
    response = post(client, world.member, url, {"body": "  "})
    assert response.status_code == 400 and response.json()["errors"]["body"] == "Écrivez votre message."
    assert get(client, world.member, "/threads/999999/messages").status_code == 404


def test_the_api_is_documented_in_french(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = {path for path in schema["paths"] if path.startswith(BASE)}
    assert paths >= {
        BASE,
        f"{BASE}/mine",
        f"{BASE}/forecasts/{{forecast_id}}",
        f"{BASE}/threads/{{thread_id}}/messages",
    }
    assert schema["paths"][BASE]["post"]["summary"].startswith("Suivre une opportunité")
