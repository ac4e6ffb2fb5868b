"""Who reaches the profile editor: company members of the organisation and staff; to anyone else it does not
exist (404), and anonymous people are sent to the login page. Writes need the CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from tremplin.suppliers.models import SupplierActivity, SupplierProfile

pytestmark = pytest.mark.django_db

EDITOR_PAGES = ["suppliers:edit", "suppliers:perimeter", "suppliers:company"]
ACTIVITY = {"cpv": "45210000", "service_types": ["PREST"], "description": "", "naf": ""}


def urls(siret):
    return [reverse(name, args=[siret]) for name in EDITOR_PAGES]


def test_anonymous_people_are_sent_to_the_login_page(client, world):
    for url in [*urls(world.company.siret), reverse("suppliers:mine")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={url}"
    response = client.post(reverse("suppliers:activity_add", args=[world.company.siret]), ACTIVITY)
    assert response.status_code == 302 and "/compte/connexion/" in response.url
    assert not SupplierProfile.objects.exists()


@pytest.mark.parametrize("who", ["rival_member", "buyer_agent", "company_buyer_agent", "facilitator", "outsider"])
def test_everyone_else_gets_a_404(client, world, who):
    client.force_login(getattr(world, who))
    for url in urls(world.company.siret):
        assert client.get(url).status_code == 404
    assert client.post(reverse("suppliers:activity_add", args=[world.company.siret]), ACTIVITY).status_code == 404
    assert (
        client.post(reverse("suppliers:perimeter", args=[world.company.siret]), {"national": "on"}).status_code == 404
    )
    assert (
        client.post(reverse("suppliers:company", args=[world.company.siret]), {"inclusive_status": "EI"}).status_code
        == 404
    )
    assert not SupplierProfile.objects.exists()
    world.company.refresh_from_db()
    assert world.company.inclusive_status == ""


@pytest.mark.parametrize("who", ["member", "staff"])
def test_members_and_staff_reach_every_section(client, world, who):
    client.force_login(getattr(world, who))
    for url in urls(world.company.siret):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Profil fournisseur de Menuiserie Solidaire du Rhône" in response.content.decode()


def test_another_companys_activity_is_a_404_even_for_a_member(client, world):
    client.force_login(world.rival_member)
    client.post(reverse("suppliers:activity_add", args=[world.rival.siret]), ACTIVITY)
    theirs = SupplierActivity.objects.get()
    client.force_login(world.member)
    edit = reverse("suppliers:activity_edit", args=[world.company.siret, theirs.pk])
    delete = reverse("suppliers:activity_delete", args=[world.company.siret, theirs.pk])
    assert client.get(edit).status_code == 404
    assert client.post(delete).status_code == 404
    assert SupplierActivity.objects.filter(pk=theirs.pk).exists()
    # Through the rival's own URLs, the member is not one of theirs.
    assert client.post(reverse("suppliers:activity_delete", args=[world.rival.siret, theirs.pk])).status_code == 404


def test_malformed_or_unknown_sirets_are_404(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("suppliers:edit", args=["123"])).status_code == 404
    assert client.get(reverse("suppliers:edit", args=["12345678901234"])).status_code == 404


def test_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member)
    response = client.post(reverse("suppliers:activity_add", args=[world.company.siret]), ACTIVITY)
    assert response.status_code == 403
    assert not SupplierProfile.objects.exists()


def test_deleting_needs_a_post(client, world):
    client.force_login(world.member)
    client.post(reverse("suppliers:activity_add", args=[world.company.siret]), ACTIVITY)
    activity = SupplierActivity.objects.get()
    assert client.get(reverse("suppliers:activity_delete", args=[world.company.siret, activity.pk])).status_code == 405
    assert SupplierActivity.objects.exists()


def test_my_supplier_profile(client, world):
    client.force_login(world.member)
    response = client.get(reverse("suppliers:mine"))
    assert response.status_code == 302 and response.url == reverse("suppliers:edit", args=[world.company.siret])
    # A buyer agent has no company to edit: told how to join one.
    client.force_login(world.buyer_agent)
    html = client.get(reverse("suppliers:mine")).content.decode()
    assert "en tant que membre de l'entreprise" in html
    assert reverse("organisations:mine") in html
