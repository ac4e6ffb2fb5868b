"""Filing a case: the page and the use case, the assignment of a regional mediator, documents, e-mails."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import BuyerFactory, MembershipFactory, UserFactory
from tests.mediation.conftest import DOCX_BYTES, PDF_BYTES, upload
from tremplin.mediation import filing, services
from tremplin.mediation.models import Case, Document, Event
from tremplin.organisations.models import Role

pytestmark = pytest.mark.django_db

URL = reverse("mediation:file")


def form_data(world, **overrides):
    data = {
        "acting_for": f"{world.company.siret}:company",
        "other_party_siret": world.buyer.siret,
        "contract_key": "",
        "category": "payment_delay",
        "amount_at_stake": "48 600,00",
        "description": "Trois factures de 2025 restent impayées plus de 90 jours après réception.",
    }
    data.update(overrides)
    return data


def test_a_company_member_files_a_case_with_documents(client, world, mailoutbox):
    client.force_login(world.company_member)
    html = client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Menuiserie Durand — en tant que entreprise" in html
    assert '<legend class="field__label">Objet du différend' in html
    data = form_data(world, contract_key=world.contract.key)
    data["documents"] = [upload("Facture 12.pdf"), upload("courrier.docx", DOCX_BYTES, "application/msword")]
    response = client.post(URL, data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert (case.company, case.buyer, case.filed_by_side, case.filed_by) == (
        world.company,
        world.buyer,
        "company",
        world.company_member,
    )
    assert (case.contract, case.category, case.amount_at_stake) == (world.contract, "payment_delay", Decimal("48600"))
    assert (case.status, case.region, case.mediator) == ("filed", world.region, world.mediator)
    documents = list(case.documents.order_by("name"))
    assert [(d.name, d.content_type, d.size) for d in documents] == [
        ("Facture 12.pdf", "application/pdf", len(PDF_BYTES)),
        ("courrier.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", len(DOCX_BYTES)),
    ]
    assert [e.action for e in case.events.all()] == ["filed", "document", "document", "assigned"]
    # The e-mails: the buyer's agent and the mediator (not the filer), with no content of the case.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.buyer_agent.email, world.mediator.email])
    body = mailoutbox[0].body
    assert case.reference in body and "http://" in body and case.get_absolute_url() in body
    assert "impayées" not in body and "Facture 12" not in body
    follow = client.get(case.get_absolute_url()).content.decode()
    assert f"Votre demande {case.reference} est déposée. Marie Médiatrice en est le médiateur." in follow


def test_documents_are_stored_under_media_root_at_random_paths(world):
    case = world.file(uploads=[upload("Facture Métropole.pdf")])
    document = case.documents.get()
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.read_bytes() == PDF_BYTES
    assert "Facture" not in document.file.name and str(case.pk) not in path.parent.name
    assert len(path.name) == 32  # a random UUID, no extension
    with pytest.raises(ValueError, match="pas d'adresse publique"):
        document.file.url  # noqa: B018


def test_a_buyer_agent_files_against_a_company(world, mailoutbox):
    case = world.file(
        user=world.buyer_agent, organisation=world.buyer, side="buyer", other_party_siret=world.company.siret
    )
    assert (case.company, case.buyer, case.filed_by_side) == (world.company, world.buyer, "buyer")
    assert case.filing_organisation == world.buyer
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.company_member.email, world.mediator.email])


def test_the_mediator_with_the_fewest_open_cases_of_the_buyers_region_is_assigned(world):
    first = world.file()
    assert first.mediator == world.mediator  # tie: the lowest id
    assert world.file().mediator == world.same_region_mediator
    third = world.file()
    assert third.mediator == world.mediator  # 1 open case each again
    assert world.file().mediator == world.same_region_mediator  # now 2 each
    services.perform_action(world.mediator, third, "decline", "Hors du champ de la médiation.")
    services.perform_action(world.company_member, first, "withdraw")
    assert world.file().mediator == world.mediator  # closed cases do not count: 0 against 2


def test_a_mediator_who_is_member_of_a_party_is_not_assigned(world):
    MembershipFactory(user=world.mediator, organisation=world.buyer, role=Role.BUYER_AGENT)
    assert world.file().mediator == world.same_region_mediator


def test_without_a_mediator_in_the_region_the_case_waits_and_staff_are_told(world, mailoutbox):
    world.mediator.mediator_region = None
    world.mediator.save()
    world.same_region_mediator.is_active = False
    world.same_region_mediator.save()
    case = world.file()
    assert case.mediator is None and case.status == "filed"
    event = case.events.get(action="awaiting_assignment")
    assert event.details.startswith("Aucun médiateur n'est disponible pour la région Auvergne-Rhône-Alpes.")
    staff_mail = [m for m in mailoutbox if m.to == [world.staff.email]]
    assert len(staff_mail) == 1
    assert "médiateur à désigner" in staff_mail[0].subject
    assert reverse("mediation:assign", args=[case.pk]) in staff_mail[0].body


def test_a_buyer_without_known_region_waits_for_staff(world, small_referentials):
    buyer = BuyerFactory(name="Syndicat sans adresse")
    case = world.file(other_party_siret=buyer.siret)
    assert (case.region, case.mediator) == (None, None)
    assert "La région de l'acheteur (Syndicat sans adresse) n'est pas connue." in case.events.last().details


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"other_party_siret": "123"}, "other_party_siret", "Un SIRET compte exactement 14 chiffres"),
        ({"other_party_siret": "73282932000074"}, "other_party_siret", "Aucune organisation n&#x27;est enregistrée"),
        ({"amount_at_stake": "beaucoup"}, "amount_at_stake", "« beaucoup » n&#x27;est pas un montant"),
        ({"amount_at_stake": "-5"}, "amount_at_stake", "ne peut pas être négatif"),
        ({"description": "Trop court"}, "description", "au moins 20 caractères"),
        ({"category": "vengeance"}, "category", "Sélectionnez un choix valide"),
        ({"contract_key": "inconnu"}, "contract_key", "Aucun marché ne porte cette référence"),
        ({"acting_for": "12345678901234:company"}, "acting_for", "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_a_french_field_error(client, world, overrides, field, message):
    client.force_login(world.company_member)
    response = client.post(URL, form_data(world, **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'id="id_{field}_error"' in html or 'class="error-summary"' in html
    assert html.count('class="error-summary"') == 1
    assert "<title>Erreur : " in html
    assert not Case.objects.exists()


def test_the_other_party_must_be_on_the_other_side(client, world):
    client.force_login(world.company_member)
    other_company = MembershipFactory(role=Role.COMPANY_MEMBER).organisation
    html = client.post(URL, form_data(world, other_party_siret=other_company.siret)).content.decode()
    assert f"{other_company.name} n&#x27;est pas enregistrée comme acheteur public." in html
    html = client.post(URL, form_data(world, other_party_siret=world.company.siret)).content.decode()
    assert "L&#x27;autre partie doit être une autre organisation que la vôtre." in html


def test_a_contract_must_link_the_two_parties(client, world):
    client.force_login(world.company_member)
    other_buyer = BuyerFactory(name="Commune de Villeurbanne")
    data = form_data(world, other_party_siret=other_buyer.siret, contract_key=world.contract.key)
    html = client.post(URL, data).content.decode()
    assert "Ce marché ne lie pas Menuiserie Durand (titulaire) et Commune de Villeurbanne (acheteur)." in html


def test_a_refused_document_refuses_the_whole_filing(client, world):
    client.force_login(world.company_member)
    data = form_data(world)
    data["documents"] = [upload("ok.pdf"), upload("faux.pdf", b"MZ\x90\x00 executable", "application/pdf")]
    html = client.post(URL, data).content.decode()
    assert "« faux.pdf » : son contenu ne correspond à aucun format accepté" in html
    assert "sélectionnez-les à nouveau" in html
    assert not Case.objects.exists() and not Document.objects.exists() and not Event.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*")) if Path(settings.MEDIA_ROOT).exists() else True


def test_size_and_count_limits(client, world, settings):
    settings.MEDIATION_MAX_DOCUMENT_BYTES = 1024
    client.force_login(world.company_member)
    data = form_data(world)
    data["documents"] = [upload("gros.pdf", PDF_BYTES + b"0" * 2048)]
    assert "« gros.pdf » dépasse la taille maximale de 1 Ko (2 Ko)." in client.post(URL, data).content.decode()
    data["documents"] = [upload(f"piece-{n}.pdf") for n in range(6)]
    assert "5 fichiers au plus par envoi." in client.post(URL, data).content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["pending_company_member", "other_region_mediator", "staff"])
def test_people_who_act_for_no_organisation_are_told_how_to_file(client, world, who):
    client.force_login(getattr(world, who))
    html = client.get(URL).content.decode()
    assert "Vous ne pouvez pas encore déposer de demande." in html
    assert 'id="id_description"' not in html
    assert client.post(URL, form_data(world)).status_code == 200
    assert not Case.objects.exists()


def test_a_facilitator_cannot_file_for_the_company(world):
    facilitator = MembershipFactory(organisation=world.company, role=Role.FACILITATOR).user
    assert filing.filing_options(facilitator) == []
    with pytest.raises(services.ActionRefused):
        world.file(user=facilitator)


def test_someone_cannot_file_for_an_organisation_they_do_not_belong_to(client, world):
    outsider = UserFactory()
    with pytest.raises(services.ActionRefused, match="il faut en être membre actif"):
        world.file(user=outsider)
    client.force_login(world.other_company_member)
    html = client.post(URL, form_data(world)).content.decode()  # another company's SIRET in acting_for
    assert "Sélectionnez un choix valide" in html
    assert not Case.objects.exists()
