"""The cases API (token): filing, reading a case, writing, documents, actions; errors are French, with the field."""

import pytest

from tests.mediation.conftest import PDF_BYTES, upload
from tremplin.mediation import services
from tremplin.mediation.models import Case

pytestmark = pytest.mark.django_db

CASES = "/api/v1/mediation/cases"


def payload(world, **overrides):
    data = {
        "organisation_siret": world.company.siret,
        "other_party_siret": world.buyer.siret,
        "category": "penalties",
        "amount_at_stake": "15000.50",
        "description": "Pénalités de retard appliquées alors que le retard vient d'un ordre de service tardif.",
    }
    data.update(overrides)
    return data


def test_filing_a_case_returns_it_with_its_mediator_deadlines_and_log(client, world, bearer, mailoutbox):
    response = client.post(
        CASES, payload(world, contract_key=world.contract.key), "application/json", headers=bearer(world.company_member)
    )
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get()
    assert data["id"] == case.pk and data["reference"] == case.reference
    assert data["status"] == "filed" and data["status_label"] == "Déposée"
    assert data["category_label"] == "Pénalités" and data["amount_at_stake"] == "15000.50"
    assert data["company"] == {"siret": world.company.siret, "name": "Menuiserie Durand"}
    assert data["buyer"] == {"siret": world.buyer.siret, "name": "Métropole de Lyon"}
    assert data["contract"] == {"key": world.contract.key, "object": world.contract.object}
    assert data["region"] == {"code": "84", "name": "Auvergne-Rhône-Alpes"}
    assert data["mediator"] == "Marie Médiatrice" and data["filed_by_side"] == "company"
    assert data["allowed_actions"] == ["withdraw"] and data["can_post_message"] is True
    assert [d["key"] for d in data["deadlines"]] == ["first_contact"]
    assert data["deadlines"][0]["state"] == "pending" and data["deadlines"][0]["days_left"] == 7
    assert [e["action"] for e in data["events"]] == ["filed", "assigned"]
    assert data["events"][0]["actor"] == "Claire Durand (Menuiserie Durand)"
    assert len(mailoutbox) == 2


def test_a_buyer_agent_files_with_the_buyer_side_deduced(client, world, bearer):
    data = payload(world, organisation_siret=world.buyer.siret, other_party_siret=world.company.siret)
    response = client.post(CASES, data, "application/json", headers=bearer(world.buyer_agent))
    assert response.status_code == 201
    assert response.json()["filed_by_side"] == "buyer"


def test_the_side_given_must_be_one_the_person_acts_in(client, world, bearer):
    world.buyer.is_supplier = True  # a public body that also sells (a SPL, a régie…)
    world.buyer.save()
    data = payload(world, organisation_siret=world.buyer.siret, other_party_siret=world.company.siret)
    response = client.post(CASES, {**data, "side": "company"}, "application/json", headers=bearer(world.buyer_agent))
    assert response.status_code == 403  # a buyer agent does not act for the company side
    response = client.post(CASES, {**data, "side": "buyer"}, "application/json", headers=bearer(world.buyer_agent))
    assert response.status_code == 201 and response.json()["filed_by_side"] == "buyer"


@pytest.mark.parametrize(
    ("overrides", "status", "field", "message"),
    [
        ({"organisation_siret": "42"}, 400, "organisation_siret", "Un SIRET compte exactement 14 chiffres"),
        ({"other_party_siret": "73282932000074"}, 400, "other_party_siret", "Aucune organisation n'est enregistrée"),
        ({"description": "court"}, 400, "description", "20 caractères au moins"),
        ({"contract_key": "nope"}, 400, "contract_key", "Aucun marché ne porte cette référence"),
    ],
)
def test_filing_errors(client, world, bearer, overrides, status, field, message):
    response = client.post(CASES, payload(world, **overrides), "application/json", headers=bearer(world.company_member))
    assert response.status_code == status
    assert response.json()["field"] == field and message in response.json()["detail"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "overrides", [{"category": "vengeance"}, {"amount_at_stake": "-3"}, {"amount_at_stake": "douze"}, {"side": "x"}]
)
def test_schema_errors_are_422(client, world, bearer, overrides):
    response = client.post(CASES, payload(world, **overrides), "application/json", headers=bearer(world.company_member))
    assert response.status_code == 422
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["pending_company_member", "other_company_member", "mediator", "staff"])
def test_filing_for_an_organisation_one_does_not_act_for_is_403(client, world, bearer, who):
    response = client.post(CASES, payload(world), "application/json", headers=bearer(getattr(world, who)))
    assert response.status_code == 403
    assert "il faut en être membre actif" in response.json()["detail"]
    assert not Case.objects.exists()


def test_a_wrong_token_is_refused(client, world):
    response = client.post(CASES, payload(world), "application/json", headers={"Authorization": "Bearer trp_faux"})
    assert response.status_code == 401 and response.json()["detail"] == "Jeton d'API invalide ou révoqué."


def test_messages_through_the_api(client, world, bearer, mailoutbox):
    case = world.file()
    mailoutbox.clear()
    url = f"{CASES}/{case.pk}/messages"
    response = client.post(url, {"body": "Nous contestons."}, "application/json", headers=bearer(world.buyer_agent))
    assert response.status_code == 201
    data = response.json()
    assert data["author"] == "Bruno Achat (Métropole de Lyon)" and data["author_role"] == "buyer"
    assert data["body"] == "Nous contestons." and data["documents"] == []
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.company_member.email, world.mediator.email])
    response = client.post(url, {"body": " "}, "application/json", headers=bearer(world.buyer_agent))
    assert response.status_code == 400 and response.json()["field"] == "body"
    response = client.post(url, {"body": "Je lis."}, "application/json", headers=bearer(world.staff))
    assert response.status_code == 403
    services.perform_action(world.company_member, case, "withdraw")
    response = client.post(url, {"body": "Encore ?"}, "application/json", headers=bearer(world.buyer_agent))
    assert response.status_code == 409 and "close" in response.json()["detail"]


def test_documents_through_the_api_are_type_checked_and_downloadable(client, world, bearer):
    case = world.file()
    url = f"{CASES}/{case.pk}/documents"
    headers = bearer(world.company_member)
    files = [upload("f1.pdf"), upload("f2.pdf")]
    response = client.post(url, {"body": "Les factures", "files": files}, headers=headers)
    assert response.status_code == 201, response.content
    documents = response.json()["documents"]
    assert [d["name"] for d in documents] == ["f1.pdf", "f2.pdf"]
    download = client.get(documents[0]["download_url"], headers=bearer(world.mediator))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    response = client.post(url, {"files": [upload("f3.pdf", b"<?php system($_GET[1]);")]}, headers=headers)
    assert response.status_code == 400 and response.json()["field"] == "documents"
    response = client.post(url, {}, headers=headers)
    assert response.status_code == 400 and "Écrivez un message ou joignez" in response.json()["detail"]
    assert case.documents.count() == 2


def test_actions_through_the_api(client, world, bearer):
    case = world.file()
    url = f"{CASES}/{case.pk}/actions"
    mediator = bearer(world.mediator)
    response = client.post(url, {"action": "decline"}, "application/json", headers=mediator)
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = client.post(url, {"action": "accept"}, "application/json", headers=bearer(world.company_member))
    assert response.status_code == 403
    response = client.post(url, {"action": "agreement"}, "application/json", headers=mediator)
    assert response.status_code == 409
    for action, status in [("accept", "accepted"), ("start", "in_mediation"), ("agreement", "agreement")]:
        response = client.post(url, {"action": action, "reason": ""}, "application/json", headers=mediator)
        assert response.status_code == 200 and response.json()["status"] == status
    assert response.json()["allowed_actions"] == [] and response.json()["closed_at"]
    assert client.post(url, {"action": "fly"}, "application/json", headers=mediator).status_code == 422


def test_listing_my_cases(client, world, bearer):
    first, second = world.file(), world.file(category="termination")
    services.perform_action(world.company_member, first, "withdraw")
    data = client.get(CASES, headers=bearer(world.buyer_agent)).json()
    assert data["count"] == 2 and [item["id"] for item in data["items"]] == [second.pk, first.pk]
    data = client.get(CASES, {"status": "withdrawn"}, headers=bearer(world.mediator)).json()
    assert [item["id"] for item in data["items"]] == [first.pk]
    assert client.get(CASES, headers=bearer(world.other_buyer_agent)).json()["count"] == 0


def test_the_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    mediation = sorted(path for path in paths if path.startswith("/api/v1/mediation/"))
    assert mediation == [
        "/api/v1/mediation/cases",
        "/api/v1/mediation/cases/{case_id}",
        "/api/v1/mediation/cases/{case_id}/actions",
        "/api/v1/mediation/cases/{case_id}/documents",
        "/api/v1/mediation/cases/{case_id}/documents/{document_id}",
        "/api/v1/mediation/cases/{case_id}/messages",
        "/api/v1/mediation/statistics",
    ]
    assert "security" not in paths["/api/v1/mediation/statistics"]["get"]  # public
    assert paths["/api/v1/mediation/cases/{case_id}"]["get"]["security"]
