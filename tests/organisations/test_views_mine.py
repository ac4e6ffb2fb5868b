""" "Mon organisation": memberships, members, pending requests count, claiming an organisation by SIRET."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_siret
from tremplin.organisations.models import Membership, MembershipStatus, Organisation, Role

pytestmark = pytest.mark.django_db

URL = reverse("organisations:mine")


def claim(client, **data):
    return client.post(URL, {"role": Role.COMPANY_MEMBER, "message": "", "name": "", **data})


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={URL}"


def test_a_newcomer_sees_the_claim_form(client):
    client.force_login(UserFactory())
    html = client.get(URL).content.decode()
    assert "aucune organisation" in html
    assert '<label class="field__label" for="id_siret">SIRET de l&#x27;organisation' in html
    assert '<legend class="field__label">Vous agissez en tant que' in html
    assert "Seulement si l'organisation n'est pas encore sur Tremplin" in html
    assert "Agent acheteur" in html and "Facilitateur / réseau" in html


def test_the_siret_can_be_prefilled(client):
    client.force_login(UserFactory())
    siret = make_siret(42)
    assert f'value="{siret}"' in client.get(URL, {"siret": siret}).content.decode()


def test_an_active_member_sees_members_and_pending_requests(client):
    organisation = OrganisationFactory(name="Menuiserie Durand")
    me = MembershipFactory(organisation=organisation, user__full_name="Alice Martin").user
    MembershipFactory(organisation=organisation, user__full_name="Bruno Petit", role=Role.COMPANY_MEMBER)
    MembershipFactory(organisation=organisation, user__full_name="Chloé Roux", status=MembershipStatus.PENDING)
    client.force_login(me)
    html = client.get(URL).content.decode()
    assert "Menuiserie Durand" in html
    assert "Active" in html
    assert "Membres (2)" in html
    assert "Alice Martin" in html and "Bruno Petit" in html
    assert "Chloé Roux" not in html  # pending people are not listed as members
    assert f'href="{reverse("organisations:requests", args=[organisation.siret])}">Demandes en attente (1)' in html
    assert f'href="{reverse("organisations:edit", args=[organisation.siret])}"' in html


def test_pending_and_rejected_claims_show_no_private_data(client):
    user = UserFactory()
    pending_org = OrganisationFactory(name="Attente SARL")
    rejected_org = OrganisationFactory(name="Refus SAS")
    MembershipFactory(organisation=pending_org, user__full_name="Membre Secret")
    MembershipFactory(user=user, organisation=pending_org, status=MembershipStatus.PENDING)
    MembershipFactory(
        user=user, organisation=rejected_org, status=MembershipStatus.REJECTED, decision_reason="Inconnu du service"
    )
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "En attente de validation" in html
    assert "Refusée" in html and "Inconnu du service" in html
    assert "Membre Secret" not in html
    assert reverse("organisations:requests", args=[pending_org.siret]) not in html
    assert f"?siret={rejected_org.siret}#rattachement" in html


def test_claiming_an_existing_organisation_creates_a_pending_request_and_notifies_members(client, mailoutbox):
    organisation = OrganisationFactory(name="Menuiserie Durand")
    member = MembershipFactory(organisation=organisation).user
    user = UserFactory(full_name="Nina Rey")
    client.force_login(user)
    response = claim(client, siret=organisation.siret, message="Je suis la comptable.")
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert membership.status == MembershipStatus.PENDING
    assert membership.message == "Je suis la comptable."
    assert [mail.to for mail in mailoutbox] == [[member.email]]
    html = client.get(URL).content.decode()
    assert "Votre demande de rattachement à Menuiserie Durand est envoyée." in html
    assert "En attente de validation" in html


def test_siret_may_be_typed_with_spaces(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    spaced = f"{organisation.siret[:3]} {organisation.siret[3:6]} {organisation.siret[6:9]} {organisation.siret[9:]}"
    claim(client, siret=spaced)
    assert Membership.objects.filter(organisation=organisation).exists()


def test_a_malformed_siret_is_a_french_field_error(client):
    client.force_login(UserFactory())
    html = claim(client, siret="1234").content.decode()
    assert "Un SIRET compte exactement 14 chiffres" in html
    assert '<ul class="errorlist" id="id_siret_error">' in html
    assert not Membership.objects.exists()


def test_an_unknown_siret_without_a_name_asks_for_it(client):
    client.force_login(UserFactory())
    html = claim(client, siret=make_siret(777)).content.decode()
    assert "indiquez sa raison sociale pour la créer" in html
    assert 'class="error-summary"' in html
    assert not Organisation.objects.exists()


def test_an_unknown_siret_with_a_name_creates_the_organisation(client, mailoutbox):
    UserFactory(is_staff=True, email="equipe@tremplin.example")
    client.force_login(UserFactory())
    siret = make_siret(778)
    claim(client, siret=siret, name="Nouvelle Coopérative", role=Role.FACILITATOR)
    organisation = Organisation.objects.get(siret=siret)
    assert organisation.name == "Nouvelle Coopérative"
    assert organisation.is_network
    assert [mail.to for mail in mailoutbox] == [["equipe@tremplin.example"]]


def test_a_second_request_is_refused_with_the_service_message(client):
    organisation = OrganisationFactory(name="Menuiserie Durand")
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, status=MembershipStatus.PENDING)
    client.force_login(user)
    html = claim(client, siret=organisation.siret).content.decode()
    assert "Votre demande de rattachement à Menuiserie Durand est déjà en attente." in html


def test_an_unverified_person_is_told_why_they_cannot_claim(client):
    user = UserFactory(email_verified_at=None)
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Confirmez d'abord votre adresse e-mail." in html
    assert 'name="siret"' not in html

    html = claim(client, siret=OrganisationFactory().siret).content.decode()
    assert "Confirmez d&#x27;abord votre adresse e-mail pour vous rattacher" in html
    assert not Membership.objects.exists()
