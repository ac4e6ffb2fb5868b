"""API: catalogue, listing and attaching clauses, declaring hours, the insertion summary, EGalim shares — and the
refusals (401 without credentials, 403 for who may not write, 404 for what one may not see)."""

import datetime
from decimal import Decimal as D

from tests.clauses.conftest import bearer, insertion_type
from tremplin.clauses import services
from tremplin.clauses.models import Clause, HoursDeclaration

API = "/api/v1/clauses"
TODAY = datetime.date(2025, 6, 1)


def post(client, url, payload, user=None):
    headers = bearer(user) if user else {}
    return client.post(url, payload, content_type="application/json", **headers)


def test_types_are_public(client, db):
    body = client.get(f"{API}/types").json()
    assert [t["code"] for t in body][:2] == ["insertion", "reserve"]
    assert body[2]["family"] == "language" and "Molière" in body[2]["description"]


def test_buyer_attaches_an_insertion_clause(client, world):
    payload = {
        "type": "insertion",
        "contract": world.contract.key,
        "amount_excl_vat": "1000000",
        "labour_share": "50",
        "insertion_rate": "5",
        "hourly_cost": "30",
    }
    response = post(client, API, payload, world.agent)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hours_due"] == 833 and body["contract"] == world.contract.key
    assert D(body["progress"]["hours_done"]) == 0 and D(body["progress"]["achieved_percent"]) == 0


def test_attach_refusals(client, world):
    payload = {"type": "insertion", "contract": world.contract.key, "hours_due": 10}
    assert post(client, API, payload).status_code == 401
    assert post(client, API, payload, world.other_agent).status_code == 403
    assert post(client, API, payload, world.company_member).status_code == 403
    assert post(client, API, payload | {"contract": "inconnu"}, world.agent).status_code == 404
    draft = {"type": "insertion", "forecast": world.draft.pk, "hours_due": 10}
    assert post(client, API, draft, world.other_agent).status_code == 404
    assert post(client, API, payload | {"forecast": world.forecast.pk}, world.agent).status_code == 400
    bad = post(client, API, {"type": "molière", "forecast": world.forecast.pk}, world.agent)
    assert bad.status_code == 400 and "Type de clause inconnu" in bad.json()["detail"]
    incomplete = post(client, API, {"type": "insertion", "lot": world.lot.pk}, world.agent)
    assert incomplete.status_code == 400 and "hours_due" in incomplete.json()["errors"]
    assert not Clause.objects.exists()


def test_list_filters_and_hides_drafts(client, world):
    services.attach_clause(world.agent, world.lot, insertion_type(), {"hours_due": 10})
    services.attach_clause(world.agent, world.draft, insertion_type(), {"hours_due": 20})
    services.attach_clause(world.agent, world.contract, insertion_type(), {"hours_due": 30})
    assert [c["hours_due"] for c in client.get(API).json()] == [10, 30]
    by_forecast = client.get(f"{API}?forecast={world.forecast.pk}").json()
    assert [(c["lot"], c["forecast"], c["lot_number"]) for c in by_forecast] == [(world.lot.pk, world.forecast.pk, 1)]
    assert client.get(f"{API}?forecast={world.draft.pk}").status_code == 404
    assert client.get(f"{API}?forecast={world.draft.pk}", **bearer(world.agent)).json()[0]["hours_due"] == 20
    assert [c["hours_due"] for c in client.get(f"{API}?contract={world.contract.key}").json()] == [30]
    assert client.get(f"{API}?contract=nope").status_code == 404


def test_declare_hours(client, world):
    clause = services.attach_clause(world.agent, world.contract, insertion_type(), {"hours_due": 800})
    url = f"{API}/{clause.pk}/hours"
    payload = {"period_start": "2025-01-01", "period_end": "2025-03-31", "hours": "200"}
    response = post(client, url, payload, world.company_member)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == world.company.siret
    assert D(body["progress"]["achieved_percent"]) == D(25)
    overlap = post(client, url, payload | {"organisation": world.network.siret}, world.facilitator)
    assert overlap.status_code == 400 and "chevauche" in overlap.json()["errors"]["period_start"]
    later = {"period_start": "2025-04-01", "period_end": "2025-04-30", "hours": "10"}
    assert post(client, url, later | {"organisation": world.network.siret}, world.facilitator).status_code == 201


def test_declare_hours_refusals(client, world):
    clause = services.attach_clause(world.agent, world.contract, insertion_type(), {"hours_due": 800})
    draft_clause = services.attach_clause(world.agent, world.draft, insertion_type(), {"hours_due": 8})
    payload = {"period_start": "2025-01-01", "period_end": "2025-01-31", "hours": "5"}
    assert post(client, f"{API}/{clause.pk}/hours", payload).status_code == 401
    assert post(client, f"{API}/{clause.pk}/hours", payload, world.other_company_member).status_code == 403
    assert post(client, f"{API}/{clause.pk}/hours", payload, world.agent).status_code == 403
    assert post(client, f"{API}/{draft_clause.pk}/hours", payload, world.other_company_member).status_code == 404
    assert post(client, f"{API}/999999/hours", payload, world.company_member).status_code == 404
    wrong_org = payload | {"organisation": world.other_company.siret}
    assert post(client, f"{API}/{clause.pk}/hours", wrong_org, world.company_member).status_code == 400
    future = payload | {"period_start": "2999-01-01", "period_end": "2999-01-31"}
    assert post(client, f"{API}/{clause.pk}/hours", future, world.company_member).status_code == 400
    assert not HoursDeclaration.objects.exists()


def test_insertion_summary(client, world):
    clause = services.attach_clause(world.agent, world.contract, insertion_type(), {"hours_due": 800})
    services.declare_hours(world.company_member, clause, None, TODAY, TODAY, D(200), today=TODAY)
    body = client.get(f"{API}/insertion/summary?department=69&year=2024").json()
    assert body["total"]["hours_due"] == 800 and D(body["total"]["achieved_percent"]) == D(25)
    assert body["rows"][0]["buyer_siret"] == world.buyer.siret
    assert client.get(f"{API}/insertion/summary?year=2023").json()["rows"] == []
    assert client.get(f"{API}/insertion/summary?year=abc").status_code == 422


def test_egalim_shares_are_public(client, world):
    services.declare_egalim(world.agent, world.buyer, 2024, "bio", "autres_denrees", D(25))
    services.declare_egalim(world.agent, world.buyer, 2024, "autres", "viandes_poissons", D(75))
    body = client.get(f"{API}/egalim/{world.buyer.siret}?year=2024").json()
    assert (D(body["organic"]["share_percent"]), body["organic"]["status"]) == (D(25), "atteint")
    assert (D(body["quality"]["share_percent"]), body["quality"]["status"]) == (D(25), "non atteint")
    assert (D(body["meat_fish"]["share_percent"]), body["meat_fish"]["status"]) == (D(0), "non atteint")
    assert client.get(f"{API}/egalim/{world.company.siret}").status_code == 404
    assert client.get(f"{API}/egalim/123").status_code == 404
