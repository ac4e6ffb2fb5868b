"""Token authentication (and the CSRF-checked session fallback) on GET /api/v1/accounts/me."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tremplin.accounts.models import ApiToken
from tremplin.organisations.models import MembershipStatus

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"


@pytest.fixture
def user():
    return UserFactory(email="agent@ville-croix.fr", full_name="Claude Agent")


@pytest.fixture
def raw_token(user):
    return ApiToken.issue(user, "script")[1]


def test_me_with_a_valid_token(client, user, raw_token):
    croix = OrganisationFactory(siret="21590163800019", name="Ville de Croix", is_buyer=True)
    MembershipFactory(user=user, organisation=croix, role="buyer_agent")
    MembershipFactory(user=user, organisation__name="Autre", status=MembershipStatus.PENDING)

    response = client.get(ME, headers={"Authorization": f"Bearer {raw_token}"})

    assert response.status_code == 200
    data = response.json()
    assert (data["email"], data["full_name"], data["email_verified"]) == ("agent@ville-croix.fr", "Claude Agent", True)
    summary = [(m["organisation"]["name"], m["role"], m["status"]) for m in data["memberships"]]
    assert summary == [("Autre", "company_member", "pending"), ("Ville de Croix", "buyer_agent", "active")]
    assert data["memberships"][1]["organisation"]["siret"] == "21590163800019"
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="missing"),
        pytest.param("Bearer trp_not-a-real-token", id="invalid"),
        pytest.param("Bearer ", id="empty"),
        pytest.param("Token {raw}", id="wrong-scheme"),
        pytest.param("Basic YWdlbnQ6eA==", id="basic"),
    ],
)
def test_missing_or_invalid_token_is_a_401(client, raw_token, header):
    headers = {"Authorization": header.format(raw=raw_token)} if header else {}
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] in {
        "Jeton d'API invalide ou révoqué.",
        "Authentification requise : envoyez l'en-tête « Authorization: Bearer <jeton> ».",
    }


def test_revoked_token_is_a_401(client, raw_token):
    ApiToken.objects.update(revoked_at=timezone.now())
    response = client.get(ME, headers={"Authorization": f"Bearer {raw_token}"})
    assert (response.status_code, response.json()) == (401, {"detail": "Jeton d'API invalide ou révoqué."})


def test_token_of_a_deactivated_user_is_a_401(client, user, raw_token):
    user.is_active = False
    user.save()
    assert client.get(ME, headers={"Authorization": f"Bearer {raw_token}"}).status_code == 401


def test_tokens_are_stored_hashed(user, raw_token):
    token = ApiToken.objects.get()
    dump = StringIO()
    call_command("dumpdata", "accounts", stdout=dump)
    assert raw_token not in dump.getvalue()
    assert raw_token[len(token.prefix) :] not in dump.getvalue()
    assert token.key_hash in dump.getvalue()
    assert token.prefix == raw_token[:8]


# Session fallback for same-site browser calls


def test_session_without_a_token_reads_me(client, user):
    client.force_login(user)
    assert client.get(ME).json()["email"] == "agent@ville-croix.fr"


def test_session_writes_need_the_csrf_token(user):
    organisation = OrganisationFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    url = f"/api/v1/organisations/{organisation.siret}/membership-requests"

    forged = browser.post(url, {"role": "company_member"}, content_type="application/json")
    assert forged.status_code == 403
    assert forged.json() == {"detail": "Vérification CSRF échouée : rechargez la page puis réessayez."}

    csrf = "abcdefghijklmnopqrstuvwxyzABCDEF"  # a CSRF secret: 32 characters, as the cookie a page would set
    browser.cookies["csrftoken"] = csrf
    wrong = browser.post(
        url, {"role": "company_member"}, content_type="application/json", headers={"X-CSRFToken": "x" * 32}
    )
    assert wrong.status_code == 403
    accepted = browser.post(
        url, {"role": "company_member"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201, accepted.content


def test_a_wrong_token_is_refused_even_with_a_session(client, user):
    client.force_login(user)
    response = client.get(ME, headers={"Authorization": "Bearer trp_wrong"})
    assert response.status_code == 401
