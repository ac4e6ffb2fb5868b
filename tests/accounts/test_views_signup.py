"""Sign-up page: creates an unverified account, logs the person in, sends the verification link."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tremplin.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "une-phrase-de-passe-longue"


def signup(client, **overrides):
    data = {
        "email": "Claire.Martin@Exemple.fr",
        "full_name": "Claire Martin",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def test_signup_page_labels_every_field_and_marks_required_ones(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    for field_id, label in [
        ("id_email", "Adresse e-mail"),
        ("id_full_name", "Nom complet"),
        ("id_password1", "Mot de passe"),
        ("id_password2", "Confirmation du mot de passe"),
    ]:
        assert f'<label class="field__label" for="{field_id}">{label} <span class="required"' in html
        assert f'id="{field_id}"' in html
    assert 'aria-describedby="id_email_helptext"' in html
    assert "Les champs marqués d'un astérisque" in html


def test_signup_creates_an_unverified_account_logs_in_and_sends_the_link(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("organisations:mine")
    user = User.objects.get()
    assert user.email == "claire.martin@exemple.fr"
    assert user.full_name == "Claire Martin"
    assert not user.email_verified
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["claire.martin@exemple.fr"]
    assert mail.subject == "[Tremplin] Confirmez votre adresse e-mail"
    assert re.search(r"http://\S+/compte/confirmation/\S+/", mail.body)
    assert "valable 3 jours" in mail.body

    page = client.get(response.url).content.decode()
    assert "Un lien de confirmation vient d&#x27;être envoyé à claire.martin@exemple.fr" in page


def test_signup_follows_a_local_next_but_not_an_external_one(client):
    assert signup(client, next="/organisations/").url == "/organisations/"
    client.logout()
    response = signup(client, email="autre@exemple.fr", next="https://malveillant.example/")
    assert response.url == reverse("organisations:mine")


def test_mismatched_passwords_are_refused_in_french_with_an_error_summary(client):
    response = signup(client, password2="autre-chose-encore")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les deux mots de passe ne sont pas identiques." in html
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_password2">Confirmation du mot de passe : Les deux mots de passe' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_password2_helptext id_password2_error"' in html
    assert '<ul class="errorlist" id="id_password2_error">' in html
    assert "<title>Erreur : Créer un compte" in html
    assert not User.objects.exists()


def test_weak_password_is_refused_with_django_validators_in_french(client):
    html = signup(client, password1="azerty", password2="azerty").content.decode()
    assert "Ce mot de passe est trop court" in html
    assert "Ce mot de passe est trop courant" in html
    assert not User.objects.exists()


def test_password_too_close_to_the_name_is_refused(client):
    html = signup(client, password1="claire.martin", password2="claire.martin").content.decode()
    assert "Le mot de passe est trop semblable" in html


def test_existing_address_is_refused_whatever_its_case(client, mailoutbox):
    UserFactory(email="claire.martin@exemple.fr")
    html = signup(client).content.decode()
    assert "Un compte existe déjà avec cette adresse e-mail." in html
    assert User.objects.count() == 1
    assert mailoutbox == []


def test_missing_fields_are_reported_in_french(client):
    html = client.post(reverse("accounts:signup"), {}).content.decode()
    assert html.count("Ce champ est obligatoire.") >= 4


def test_signed_in_person_is_sent_to_their_organisation_page(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:signup")).url == reverse("organisations:mine")
