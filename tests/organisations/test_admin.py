import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory
from tremplin.organisations.models import Label, MembershipStatus, Organisation

pytestmark = pytest.mark.django_db

PENDING = MembershipStatus.PENDING


def test_changelist_searches_without_accents_and_filters(admin_client):
    OrganisationFactory(name="Électricité Générale du Nord", inclusive_status="EI")
    OrganisationFactory(name="Menuiserie Dupont")
    url = reverse("admin:organisations_organisation_changelist")

    found = admin_client.get(url + "?q=electricite").content.decode()
    assert "Électricité Générale du Nord" in found and "Menuiserie Dupont" not in found

    filtered = admin_client.get(url + "?inclusive_status__exact=EI&is_supplier__exact=1")
    assert filtered.status_code == 200
    assert list(filtered.context["cl"].result_list.values_list("name", flat=True)) == ["Électricité Générale du Nord"]


def add_organisation(admin_client, siret):
    return admin_client.post(
        reverse("admin:organisations_organisation_add"),
        {"siret": siret, "name": "Ville de Croix", "is_buyer": "on", "buyer_type": "commune", "headcount_band": "22"},
    )


def test_add_validates_and_cleans_the_siret(admin_client):
    refused = add_organisation(admin_client, "21590163800018")
    assert refused.status_code == 200
    assert "clé de contrôle incorrecte" in str(refused.context["adminform"].form.errors["siret"])

    assert add_organisation(admin_client, "215 901 638 00019").status_code == 302
    croix = Organisation.objects.get()
    assert (croix.siret, croix.siren, croix.size_category, croix.size_source) == (
        "21590163800019",
        "215901638",
        "pme",
        "sirene",
    )
    page = admin_client.get(reverse("admin:organisations_organisation_change", args=[croix.pk])).content.decode()
    assert 'name="siren"' not in page and 'name="size_category"' not in page  # read-only


def decide(admin_client, action, *memberships):
    return admin_client.post(
        reverse("admin:organisations_membership_changelist"),
        {"action": action, "_selected_action": [m.pk for m in memberships]},
        follow=True,
    )


def test_approve_and_reject_actions_go_through_the_service(admin_client, mailoutbox):
    first = MembershipFactory(status=PENDING, user__email="un@exemple.fr")
    second = MembershipFactory(status=PENDING, user__email="deux@exemple.fr")

    decide(admin_client, "approve", first)
    decide(admin_client, "reject", second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by.email) == ("active", "admin@example.com")
    assert second.status == "rejected"
    assert sorted(m.to[0] for m in mailoutbox) == ["deux@exemple.fr", "un@exemple.fr"]


def test_actions_report_what_the_service_refuses(admin_client, admin_user, mailoutbox):
    own = MembershipFactory(status=PENDING, user=admin_user)
    decided = MembershipFactory(status=MembershipStatus.REJECTED)

    response = decide(admin_client, "approve", own, decided)

    messages = [str(m) for m in response.context["messages"]]
    assert any("Vous ne pouvez pas décider de cette demande" in m for m in messages)
    assert any("déjà été traitée" in m for m in messages)
    assert "0 demande(s) acceptée(s)." in messages
    own.refresh_from_db()
    assert own.status == PENDING
    assert mailoutbox == []


def test_membership_status_is_not_editable_by_hand(admin_client):
    membership = MembershipFactory(status=PENDING)
    page = admin_client.get(reverse("admin:organisations_membership_change", args=[membership.pk])).content.decode()
    assert 'name="status"' not in page


def test_label_admin(admin_client):
    Label.objects.create(name="Qualiopi", slug="qualiopi")
    response = admin_client.get(reverse("admin:organisations_label_changelist"))
    assert response.status_code == 200 and "Qualiopi" in response.content.decode()


def test_the_admin_form_shows_every_editable_field():
    from tremplin.organisations.admin import OrganisationForm

    editable = {f.name for f in Organisation._meta.get_fields() if getattr(f, "editable", False) and f.concrete}
    editable |= {f.name for f in Organisation._meta.many_to_many}
    assert set(OrganisationForm.base_fields) == editable - {"id", "created_at", "updated_at"}
