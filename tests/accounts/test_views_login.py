"""Login by e-mail, POST-only logout, password reset and change."""

import re

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_has_labelled_email_and_password(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<label class="field__label" for="id_username">Adresse e-mail' in html
    assert 'type="email" name="username"' in html
    assert '<label class="field__label" for="id_password">Mot de passe' in html
    assert f'href="{reverse("accounts:password_reset")}"' in html


def test_login_with_email_in_any_case_goes_to_my_organisation(client):
    user = UserFactory(email="jeanne@exemple.fr")
    response = client.post(reverse("accounts:login"), {"username": "Jeanne@Exemple.FR", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("organisations:mine")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_follows_next(client):
    UserFactory(email="jeanne@exemple.fr")
    response = client.post(
        reverse("accounts:login") + "?next=/compte/",
        {"username": "jeanne@exemple.fr", "password": DEFAULT_PASSWORD, "next": "/compte/"},
    )
    assert response.url == "/compte/"


def test_wrong_password_is_refused_in_french(client):
    UserFactory(email="jeanne@exemple.fr")
    response = client.post(reverse("accounts:login"), {"username": "jeanne@exemple.fr", "password": "mauvais"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect." in html
    assert 'class="error-summary"' in html
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("core:home")
    assert "_auth_user_id" not in client.session


def reset_link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/compte/mot-de-passe/reinitialiser/\S+/)", mail.body).group(1)


def test_password_reset_sends_a_link_that_sets_a_new_password(client, mailoutbox, settings):
    settings.SITE_URL = "https://tremplin.example.org"
    user = UserFactory(email="jeanne@exemple.fr")
    response = client.post(reverse("accounts:password_reset"), {"email": "jeanne@exemple.fr"})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[Tremplin] Réinitialisation de votre mot de passe"
    assert mail.to == ["jeanne@exemple.fr"]
    assert "https://tremplin.example.org/compte/mot-de-passe/reinitialiser/" in mail.body

    form_page = client.get(reset_link(mail), follow=True)
    assert "Choisissez un nouveau mot de passe" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    new_password = "un-tout-nouveau-secret-2025"
    done = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)

    again = client.get(reset_link(mail), follow=True).content.decode()
    assert "Lien de réinitialisation invalide" in again


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "inconnue@exemple.fr"}, follow=True)
    assert "Consultez votre messagerie" in response.content.decode()
    assert mailoutbox == []


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    new_password = "encore-un-autre-secret-77"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Votre mot de passe a été modifié." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(new_password)
