"""The shared layout (navigation, banner, messages) and the French error pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import BuyerFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_explains_the_platform_to_an_anonymous_visitor(client):
    BuyerFactory()
    OrganisationFactory(inclusive_status="EI")
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert html.count("<h1") == 1
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in html
    assert '<main id="contenu"' in html
    assert "Vous êtes acheteur public" in html and "Vous êtes une entreprise" in html
    features = ("prévisions d'achat", "structures d'insertion", "délais de paiement", "clauses d'achat responsable")
    assert all(feature in html for feature in features)
    assert f'href="{reverse("accounts:signup")}"' in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "<strong>1</strong> acheteur public" in html
    assert "<strong>1</strong> structure inclusive" in html


def test_navigation_of_an_anonymous_visitor(client):
    html = client.get(reverse("core:home")).content.decode()
    assert 'aria-label="Navigation principale"' in html
    assert ">Connexion</a>" in html and ">Inscription</a>" in html
    assert 'href="/api/v1/docs"' in html
    assert "Déconnexion" not in html and "Mon organisation</a>" not in html
    assert 'href="/" aria-current="page"' in html


def test_navigation_of_a_signed_in_person_has_a_post_logout_form(client):
    client.force_login(UserFactory())
    html = client.get(reverse("core:home")).content.decode()
    assert "Mon organisation</a>" in html and "Mon compte</a>" in html
    assert f'method="post" action="{reverse("accounts:logout")}"' in html
    assert "csrfmiddlewaretoken" in html
    assert ">Connexion</a>" not in html
    assert "Admin</a>" not in html


def test_staff_see_the_admin_link(client):
    client.force_login(UserFactory(is_staff=True))
    assert f'href="{reverse("admin:index")}">Admin</a>' in client.get(reverse("core:home")).content.decode()


def test_unverified_person_sees_a_banner_offering_a_new_link(client):
    client.force_login(UserFactory(email_verified_at=None))
    html = client.get(reverse("core:home")).content.decode()
    assert "Confirmez votre adresse e-mail." in html
    assert f'action="{reverse("accounts:resend_verification")}"' in html
    assert "Renvoyer le lien" in html


def test_verified_person_sees_no_banner(client):
    client.force_login(UserFactory())
    assert "Renvoyer le lien" not in client.get(reverse("core:home")).content.decode()


def test_messages_are_announced_as_status(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"), follow=True)
    html = response.content.decode()
    assert 'class="alert alert--info" role="status"' in html
    assert "Vous êtes déconnecté(e)" in html


def test_unknown_page_gives_the_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Aller au contenu" in html


def test_403_page_is_french():
    request = RequestFactory().get("/prive/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_500_page_is_standalone_and_french():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue" in html
    assert '<html lang="fr">' in html


def test_csrf_failure_page_is_french():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()
