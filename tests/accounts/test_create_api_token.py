from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import UserFactory
from tremplin.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_prints_a_token_that_authenticates_on_the_api(client):
    user = UserFactory(email="agent@ville-croix.fr")

    raw, advice = run("Agent@Ville-Croix.fr", "--name", "Synchronisation SIG")

    assert raw.startswith("trp_") and "\n" not in raw
    assert "ne sera plus affiché" in advice and raw not in advice
    assert ApiToken.authenticate(raw) == user
    assert ApiToken.objects.get().name == "Synchronisation SIG"
    response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.json()["email"] == "agent@ville-croix.fr"


def test_each_run_issues_a_new_token():
    UserFactory(email="agent@ville-croix.fr")
    first, _ = run("agent@ville-croix.fr")
    second, _ = run("agent@ville-croix.fr")
    assert first != second
    assert ApiToken.objects.count() == 2
    assert ApiToken.objects.first().name == "Jeton créé en ligne de commande"


def test_unknown_email_is_a_french_error():
    with pytest.raises(CommandError, match="Aucun compte n'existe avec l'adresse inconnu@exemple.fr"):
        run("inconnu@exemple.fr")
    assert not ApiToken.objects.exists()


def test_deactivated_account_is_refused():
    UserFactory(email="parti@exemple.fr", is_active=False)
    with pytest.raises(CommandError, match="désactivé"):
        run("parti@exemple.fr")
