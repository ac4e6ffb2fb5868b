"""A case, its messages and its documents exist only for the members of its two parties, its mediator and staff.
Everyone else gets 404 on every page and every API endpoint (anonymous people: the login page, or 401 on the
API, exactly as for a case that does not exist). Denied writes change nothing."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from tests.mediation.conftest import upload
from tremplin import policy
from tremplin.mediation import exchanges, services
from tremplin.mediation.models import Event, Message
from tremplin.organisations.models import MembershipStatus, Role

pytestmark = pytest.mark.django_db

DENIED = [
    "other_company_member",
    "other_buyer_agent",
    "other_region_mediator",
    "same_region_mediator",
    "pending_company_member",
    "pending_buyer_agent",
]
ALLOWED = ["company_member", "buyer_agent", "mediator", "staff"]


@pytest.fixture
def case(world):
    case = world.file(uploads=[upload("piece.pdf")])
    exchanges.post_message(world.buyer_agent, case, "Message confidentiel de l'acheteur.")
    return case


def page_urls(case):
    document = case.documents.get()
    return {
        "case": reverse("mediation:case", args=[case.pk]),
        "document": reverse("mediation:document", args=[case.pk, document.pk]),
        "assign": reverse("mediation:assign", args=[case.pk]),
    }


def api_urls(case):
    document = case.documents.get()
    return {
        "case": f"/api/v1/mediation/cases/{case.pk}",
        "document": f"/api/v1/mediation/cases/{case.pk}/documents/{document.pk}",
    }


def audit_trail(case):
    return list(Event.objects.filter(case=case).values_list("action", flat=True))


def test_the_policy_gives_roles_only_to_the_parties_the_mediator_and_staff(world, case):
    assert policy.mediation_roles(world.company_member, case) == {"filing_party"}
    assert policy.mediation_roles(world.buyer_agent, case) == {"other_party"}
    assert policy.mediation_roles(world.mediator, case) == {"mediator"}
    assert policy.mediation_roles(world.staff, case) == {"staff"}
    for who in DENIED:
        assert policy.mediation_roles(getattr(world, who), case) == set(), who
        assert not policy.can_view_mediation_case(getattr(world, who), case)


@pytest.mark.parametrize("who", DENIED)
def test_denied_people_get_404_on_every_page_and_every_endpoint_and_change_nothing(client, world, case, who, bearer):
    user = getattr(world, who)
    before = audit_trail(case)
    client.force_login(user)

    # Pages: reading, then writing, acting and assigning.
    for name, url in page_urls(case).items():
        assert client.get(url).status_code == 404, name
    assert case.reference not in client.get(reverse("mediation:list")).content.decode()
    url = reverse("mediation:message", args=[case.pk])
    assert client.post(url, {"body": "Intrusion", "documents": [upload("x.pdf")]}).status_code == 404
    for action in ("accept", "decline", "withdraw"):
        response = client.post(reverse("mediation:action", args=[case.pk]), {"action": action, f"{action}-reason": "x"})
        assert response.status_code == 404, action
    response = client.post(reverse("mediation:assign", args=[case.pk]), {"mediator": world.same_region_mediator.pk})
    assert response.status_code == 404

    # API: the same, with a token.
    headers = bearer(user)
    for name, url in api_urls(case).items():
        response = client.get(url, headers=headers)
        assert response.status_code == 404, name
        assert response.json() == {"detail": "Demande de médiation introuvable.", "field": None}
    base = f"/api/v1/mediation/cases/{case.pk}"
    assert client.post(base + "/messages", {"body": "x"}, "application/json", headers=headers).status_code == 404
    for action in ("accept", "withdraw"):
        body = {"action": action, "reason": "x"}
        assert client.post(base + "/actions", body, "application/json", headers=headers).status_code == 404
    assert client.post(base + "/documents", {"files": [upload("x.pdf")]}, headers=headers).status_code == 404
    listing = client.get("/api/v1/mediation/cases", headers=headers).json()
    assert case.pk not in [item["id"] for item in listing["items"]]

    case.refresh_from_db()
    assert (case.status, case.mediator) == ("filed", world.mediator)
    assert audit_trail(case) == before
    assert Message.objects.filter(case=case).count() == 1 and case.documents.count() == 1


def test_a_missing_case_looks_exactly_like_a_forbidden_one(client, world, case, bearer):
    client.force_login(world.other_company_member)
    missing = reverse("mediation:case", args=[case.pk + 1000])
    assert client.get(missing).status_code == 404
    headers = bearer(world.other_company_member)
    forbidden = client.get(f"/api/v1/mediation/cases/{case.pk}", headers=headers).json()
    assert client.get(f"/api/v1/mediation/cases/{case.pk + 1000}", headers=headers).json() == forbidden


def test_anonymous_people_are_sent_to_the_login_page_whether_the_case_exists_or_not(client, case):
    login = reverse("accounts:login")
    urls = [*page_urls(case).values(), reverse("mediation:case", args=[case.pk + 1000]), reverse("mediation:list")]
    urls += [reverse("mediation:file"), reverse("mediation:dashboard")]
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"{login}?next={url}"), url
    response = client.post(reverse("mediation:message", args=[case.pk]), {"body": "x"})
    assert response.status_code == 302 and response.url.startswith(login)
    assert Message.objects.filter(case=case).count() == 1


def test_anonymous_api_calls_are_401(client, case):
    for url in [*api_urls(case).values(), "/api/v1/mediation/cases"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert "Authentification requise" in response.json()["detail"]
    response = client.post(f"/api/v1/mediation/cases/{case.pk}/messages", {"body": "x"}, "application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("who", ALLOWED)
def test_the_parties_the_mediator_and_staff_see_the_case_its_messages_and_documents(client, world, case, who, bearer):
    user = getattr(world, who)
    client.force_login(user)
    html = client.get(page_urls(case)["case"]).content.decode()
    assert "Message confidentiel de l&#x27;acheteur." in html and "piece.pdf" in html
    assert client.get(page_urls(case)["document"]).status_code == 200
    assert client.get(page_urls(case)["assign"]).status_code == (200 if who == "staff" else 404)
    data = client.get(api_urls(case)["case"], headers=bearer(user)).json()
    assert data["messages"][0]["body"] == "Message confidentiel de l'acheteur."
    assert client.get(api_urls(case)["document"], headers=bearer(user)).status_code == 200
    assert case.reference in client.get(reverse("mediation:list")).content.decode()


def test_a_refused_or_deactivated_member_loses_access(client, world, case):
    refused = MembershipFactory(organisation=world.company, role=Role.COMPANY_MEMBER, status=MembershipStatus.REJECTED)
    client.force_login(refused.user)
    assert client.get(page_urls(case)["case"]).status_code == 404
    world.buyer_agent.is_active = False
    world.buyer_agent.save()
    assert not policy.can_view_mediation_case(world.buyer_agent, case)
    membership = world.company_member.memberships.get()
    membership.status = MembershipStatus.REJECTED
    membership.save()
    client.force_login(world.company_member)
    assert client.get(page_urls(case)["case"]).status_code == 404


def test_a_replaced_mediator_loses_access_and_the_new_one_gains_it(client, world, case):
    services.assign_mediator(world.staff, case, world.same_region_mediator)
    client.force_login(world.mediator)
    assert client.get(page_urls(case)["case"]).status_code == 404
    assert client.get(page_urls(case)["document"]).status_code == 404
    client.force_login(world.same_region_mediator)
    assert client.get(page_urls(case)["case"]).status_code == 200


def test_the_dashboard_is_for_mediators_and_staff(client, world):
    for who, status in [
        ("mediator", 200),
        ("other_region_mediator", 200),
        ("staff", 200),
        ("company_member", 404),
        ("buyer_agent", 404),
    ]:
        client.force_login(getattr(world, who))
        assert client.get(reverse("mediation:dashboard")).status_code == status, who


def test_the_dashboard_lists_only_the_mediators_own_cases(client, world, case):
    client.force_login(world.same_region_mediator)
    assert case.reference not in client.get(reverse("mediation:dashboard")).content.decode()
    client.force_login(world.mediator)
    assert case.reference in client.get(reverse("mediation:dashboard")).content.decode()


def test_csrf_is_enforced_on_the_pages_and_on_session_api_calls(world, case):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.company_member)
    assert client.post(reverse("mediation:message", args=[case.pk]), {"body": "x"}).status_code == 403
    url = f"/api/v1/mediation/cases/{case.pk}/messages"
    response = client.post(url, {"body": "x"}, "application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Message.objects.filter(case=case).count() == 1
