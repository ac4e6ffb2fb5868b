import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tremplin.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def add_user(admin_client, email):
    return admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": email,
            "full_name": "Dominique Acheteur",
            "usable_password": "true",
            "password1": "un-mot-de-passe-robuste-2024",
            "password2": "un-mot-de-passe-robuste-2024",
        },
    )


def test_admin_creates_a_user_by_email_with_a_hashed_password(admin_client):
    response = add_user(admin_client, " Dominique@Exemple.FR ")

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="dominique@exemple.fr")
    assert user.full_name == "Dominique Acheteur"
    assert user.password != "un-mot-de-passe-robuste-2024"
    assert user.check_password("un-mot-de-passe-robuste-2024")


def test_an_address_differing_only_in_case_is_a_form_error(admin_client):
    UserFactory(email="dominique@exemple.fr")
    response = add_user(admin_client, "DOMINIQUE@exemple.fr")
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="dominique@exemple.fr").count() == 1


def test_user_pages_work_without_a_username(admin_client):
    user = UserFactory(email="agent@ville-croix.fr")
    changelist = admin_client.get(reverse("admin:accounts_user_changelist") + "?q=ville-croix")
    assert changelist.status_code == 200
    assert "agent@ville-croix.fr" in changelist.content.decode()
    change = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert change.status_code == 200
    assert user.password not in change.content.decode()


def test_token_admin_never_shows_the_hash_and_cannot_create(admin_client):
    token, raw = ApiToken.issue(UserFactory(), "script")
    page = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert token.prefix in page
    assert token.key_hash not in page and raw not in page
    assert 'name="key_hash"' not in page and 'name="prefix"' not in page
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_revoke_action(admin_client):
    user = UserFactory()
    kept_raw = ApiToken.issue(user, "garder")[1]
    revoked, revoked_raw = ApiToken.issue(user, "révoquer")

    response = admin_client.post(
        reverse("admin:accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [revoked.pk]}
    )

    assert response.status_code == 302
    assert ApiToken.authenticate(revoked_raw) is None
    assert ApiToken.authenticate(kept_raw) == user
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None
