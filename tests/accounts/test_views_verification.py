"""E-mail verification links: valid ones verify, tampered, expired or stale ones are refused."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from tests.factories import UserFactory
from tremplin.accounts import services

pytestmark = pytest.mark.django_db


def link_path(mail) -> str:
    return re.search(r"https?://[^/\s]+(/compte/confirmation/\S+/)", mail.body).group(1)


@pytest.fixture
def unverified(db):
    return UserFactory(email_verified_at=None, email="nouvelle@exemple.fr")


def test_the_link_from_the_mail_verifies_the_signed_in_person(client, unverified, mailoutbox):
    services.send_verification_email(unverified)
    client.force_login(unverified)
    response = client.get(link_path(mailoutbox[0]))
    assert response.status_code == 302
    assert response.url == reverse("organisations:mine")
    unverified.refresh_from_db()
    assert unverified.email_verified
    page = client.get(response.url).content.decode()
    assert "Votre adresse e-mail est confirmée." in page
    assert "Renvoyer le lien" not in page


def test_the_link_works_without_being_signed_in(client, unverified):
    response = client.get(reverse("accounts:verify_email", args=[services.make_verification_token(unverified)]))
    assert response.url.startswith(reverse("accounts:login"))
    unverified.refresh_from_db()
    assert unverified.email_verified


def test_opening_the_link_twice_is_harmless(client, unverified):
    url = reverse("accounts:verify_email", args=[services.make_verification_token(unverified)])
    client.get(url)
    unverified.refresh_from_db()
    first = unverified.email_verified_at
    response = client.get(url, follow=True)
    assert "Votre adresse e-mail était déjà confirmée." in response.content.decode()
    unverified.refresh_from_db()
    assert unverified.email_verified_at == first


def test_a_tampered_link_is_refused(client, unverified):
    token = services.make_verification_token(unverified)
    response = client.get(reverse("accounts:verify_email", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "Ce lien de confirmation n&#x27;est pas valide" in response.content.decode()
    unverified.refresh_from_db()
    assert not unverified.email_verified


def test_a_token_signed_for_another_user_is_refused(client, unverified):
    other = UserFactory(email_verified_at=None)
    payload = signing.TimestampSigner(salt=services.VERIFICATION_SALT).sign_object(
        {"user": other.pk, "email": unverified.email}
    )
    assert client.get(reverse("accounts:verify_email", args=[payload])).status_code == 400
    other.refresh_from_db()
    assert not other.email_verified


def test_an_expired_link_is_refused(client, unverified, monkeypatch, settings):
    issued_at = time.time() - settings.EMAIL_VERIFICATION_MAX_AGE - 60
    monkeypatch.setattr(signing.time, "time", lambda: issued_at)
    token = services.make_verification_token(unverified)
    monkeypatch.undo()
    client.force_login(unverified)
    response = client.get(reverse("accounts:verify_email", args=[token]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce lien de confirmation a expiré." in html
    assert "Recevoir un nouveau lien" in html
    unverified.refresh_from_db()
    assert not unverified.email_verified


def test_a_link_sent_for_a_former_address_does_not_verify_the_new_one(client, unverified):
    token = services.make_verification_token(unverified)
    unverified.email = "changee@exemple.fr"
    unverified.save()
    assert client.get(reverse("accounts:verify_email", args=[token])).status_code == 400
    unverified.refresh_from_db()
    assert not unverified.email_verified


def test_resending_sends_a_new_link_then_asks_to_wait(client, unverified, mailoutbox):
    client.force_login(unverified)
    response = client.post(reverse("accounts:resend_verification"), {"next": "/organisations/"})
    assert response.url == "/organisations/"
    assert len(mailoutbox) == 1
    assert client.get(link_path(mailoutbox[0])).status_code == 302
    unverified.refresh_from_db()
    assert unverified.email_verified


def test_resending_too_soon_sends_nothing(client, unverified, mailoutbox):
    client.force_login(unverified)
    client.post(reverse("accounts:resend_verification"))
    response = client.post(reverse("accounts:resend_verification"), follow=True)
    assert len(mailoutbox) == 1
    assert "Patientez une minute" in response.content.decode()


def test_resending_to_a_verified_person_sends_nothing(client, mailoutbox):
    client.force_login(UserFactory())
    client.post(reverse("accounts:resend_verification"))
    assert mailoutbox == []


def test_resending_needs_a_post_and_a_session(client, unverified):
    assert client.post(reverse("accounts:resend_verification")).url.startswith(reverse("accounts:login"))
    client.force_login(unverified)
    assert client.get(reverse("accounts:resend_verification")).status_code == 405
