"""The "Mon compte" page: profile, API tokens (raw value shown once, only its hash stored), CSRF."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tremplin.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return UserFactory(full_name="Paul Durand", email="paul@exemple.fr")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["accounts:account", "accounts:password_change"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login") + "?next=")


def test_account_page_shows_profile_and_tokens(signed_in, user):
    ApiToken.issue(user, "Logiciel financier")
    html = signed_in.get(reverse("accounts:account")).content.decode()
    assert "<h1>Mon compte</h1>" in html
    assert "paul@exemple.fr" in html
    assert "Confirmée" in html
    assert 'value="Paul Durand"' in html
    assert "Logiciel financier" in html
    assert "Révoquer" in html


def test_profile_update(signed_in, user):
    response = signed_in.post(
        reverse("accounts:account"), {"full_name": "Paul Durand-Petit", "phone": "04 72 00 00 00"}
    )
    assert response.url == reverse("accounts:account")
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("Paul Durand-Petit", "04 72 00 00 00")


def test_profile_needs_a_name(signed_in, user):
    html = signed_in.post(reverse("accounts:account"), {"full_name": "", "phone": ""}).content.decode()
    assert "Ce champ est obligatoire." in html
    user.refresh_from_db()
    assert user.full_name == "Paul Durand"


def test_token_creation_shows_the_raw_value_once_and_stores_only_its_hash(signed_in, user):
    response = signed_in.post(reverse("accounts:create_token"), {"name": "Import ERP"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    raw = response.context["raw_token"]
    html = response.content.decode()
    assert raw.startswith("trp_") and f'value="{raw}"' in html
    assert "il ne sera plus jamais affiché" in html
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.name, token.prefix, token.key_hash}
    assert token.prefix == raw[:8]
    assert ApiToken.authenticate(raw) == user

    assert raw not in signed_in.get(reverse("accounts:account")).content.decode()


def test_token_needs_a_name(signed_in):
    html = signed_in.post(reverse("accounts:create_token"), {"name": ""}).content.decode()
    assert "Ce champ est obligatoire." in html
    assert not ApiToken.objects.exists()


def test_token_revocation(signed_in, user):
    token, raw = ApiToken.issue(user, "Ancien")
    response = signed_in.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert response.url == reverse("accounts:account")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.authenticate(raw) is None
    assert "Révoqué" in signed_in.get(reverse("accounts:account")).content.decode()


def test_nobody_revokes_someone_else_s_token(signed_in):
    token, _ = ApiToken.issue(UserFactory(), "À autrui")
    assert signed_in.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revocation_needs_a_post(signed_in, user):
    token, _ = ApiToken.issue(user, "Jeton")
    assert signed_in.get(reverse("accounts:revoke_token", args=[token.pk])).status_code == 405


def test_csrf_is_enforced_on_token_creation(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("accounts:create_token"), {"name": "Sans jeton CSRF"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()

    client.get(reverse("accounts:account"))
    csrf = client.cookies["csrftoken"].value
    response = client.post(reverse("accounts:create_token"), {"name": "Avec jeton CSRF", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert ApiToken.objects.filter(name="Avec jeton CSRF").exists()
