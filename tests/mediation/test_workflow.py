"""The workflow on the case page: the mediator accepts, declines, opens and closes; the filing party withdraws;
messages and documents while the case is open; the audit log and the e-mails of each step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.mediation.conftest import PDF_BYTES, upload
from tremplin.mediation import exchanges, services
from tremplin.mediation.models import Case

pytestmark = pytest.mark.django_db


def act(client, case, action, **data):
    return client.post(reverse("mediation:action", args=[case.pk]), {"action": action, **data})


def write(client, case, body="", documents=()):
    data = {"body": body}
    if documents:
        data["documents"] = list(documents)
    return client.post(reverse("mediation:message", args=[case.pk]), data)


def test_the_mediator_sees_the_actions_of_the_stage_and_takes_them(client, world, mailoutbox):
    case = world.file()
    mailoutbox.clear()
    client.force_login(world.mediator)
    html = client.get(case.get_absolute_url()).content.decode()
    assert ">Accepter la demande</button>" in html and ">Déclarer la demande irrecevable</button>" in html
    assert "Ouvrir la médiation" not in html and "Retirer la demande" not in html
    assert '<label class="field__label" for="id_decline-reason">Motif (obligatoire, visible des parties)' in html

    response = act(client, case, "accept")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted" and case.first_contact_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.company_member.email, world.buyer_agent.email])
    assert "acceptée" in mailoutbox[0].subject
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Demande acceptée. Les autres participants au dossier sont prévenus par e-mail." in html
    assert ">Ouvrir la médiation</button>" in html and ">Constater l&#x27;échec</button>" in html

    act(client, case, "start")
    act(client, case, "agreement", **{"agreement-reason": "Paiement des trois factures sous 15 jours."})
    case.refresh_from_db()
    assert case.status == "agreement" and case.closed_at and case.mediation_started_at
    assert case.status_reason == "Paiement des trois factures sous 15 jours."
    assert [e.action for e in case.events.all()] == ["filed", "assigned", "accept", "start", "agreement"]
    html = client.get(case.get_absolute_url()).content.decode()
    assert (
        "Accord trouvé" in html
        and "<dt>Termes de l&#x27;accord</dt><dd>Paiement des trois factures sous 15 jours." in html
    )
    assert 'id="actions"' not in html and "Écrire dans le dossier" not in html
    assert "La demande est close : on ne peut plus y écrire." in html


def test_declining_needs_a_reason_shown_to_the_parties(client, world):
    case = world.file()
    client.force_login(world.mediator)
    html = act(client, case, "decline", **{"decline-reason": "  "}).content.decode()
    assert "Ce champ est obligatoire." in html and 'id="id_decline-reason_error"' in html
    assert "<title>Erreur : " in html
    case.refresh_from_db()
    assert case.status == "filed"
    act(client, case, "decline", **{"decline-reason": "Le différend porte sur la passation, pas l'exécution."})
    case.refresh_from_db()
    assert case.status == "declined" and case.closed_at
    client.force_login(world.buyer_agent)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Déclarée irrecevable" in html
    assert "Le différend porte sur la passation, pas l&#x27;exécution." in html


def test_only_the_filing_party_withdraws(client, world):
    case = world.file()
    client.force_login(world.buyer_agent)
    assert "Retirer la demande" not in client.get(case.get_absolute_url()).content.decode()
    response = act(client, case, "withdraw")
    assert response.status_code == 302
    refusal = "Seul(e) la partie qui a déposé la demande peut faire cette action."
    assert refusal in client.get(response.url).content.decode()
    case.refresh_from_db()
    assert case.status == "filed"

    client.force_login(world.company_member)
    assert ">Retirer la demande</button>" in client.get(case.get_absolute_url()).content.decode()
    act(client, case, "withdraw", **{"withdraw-reason": "Paiement reçu ce matin."})
    case.refresh_from_db()
    assert case.status == "withdrawn" and case.status_reason == "Paiement reçu ce matin."


@pytest.mark.parametrize("who", ["company_member", "buyer_agent", "staff"])
def test_parties_and_staff_cannot_take_the_mediators_actions(client, world, who):
    case = world.file()
    client.force_login(getattr(world, who))
    for action in ("accept", "decline", "start", "agreement", "failure"):
        act(client, case, action, **{f"{action}-reason": "Motif"})
    case.refresh_from_db()
    assert case.status == "filed"
    assert [e.action for e in case.events.all()] == ["filed", "assigned"]


def test_an_impossible_action_is_explained(client, world):
    case = world.file()
    client.force_login(world.mediator)
    response = act(client, case, "agreement")
    html = client.get(response.url).content.decode()
    assert "Impossible : la demande est « Déposée »" in html
    assert "Action inconnue." in client.get(act(client, case, "reopen").url).content.decode()


def test_messages_and_documents_from_the_parties_and_the_mediator(client, world, mailoutbox):
    case = world.file()
    mailoutbox.clear()
    client.force_login(world.buyer_agent)
    response = write(client, case, "Deux factures étaient bloquées au service fait.", [upload("bon-de-commande.pdf")])
    assert response.status_code == 302 and response.url.endswith("#echanges")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.company_member.email, world.mediator.email])
    assert "Bruno Achat (Métropole de Lyon) a écrit" in mailoutbox[0].body
    assert "et y a joint 1 document." in mailoutbox[0].body
    assert "bloquées" not in mailoutbox[0].body
    message = case.messages.get()
    assert (message.author_role, message.author_label) == ("buyer", "Bruno Achat (Métropole de Lyon)")
    document = case.documents.get()
    assert document.message == message and document.uploaded_by == world.buyer_agent
    case.refresh_from_db()
    assert case.first_contact_at is None  # a party's message is not the mediator's first contact

    client.force_login(world.mediator)
    write(client, case, "Je vous propose une réunion mardi.")
    case.refresh_from_db()
    assert case.first_contact_at is not None
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Échanges (2)" in html and "Pièces jointes (1)" in html
    assert "Marie Médiatrice (médiateur)" in html and "med-message--mediator" in html
    assert f'href="{document.get_absolute_url()}" download>bon-de-commande.pdf</a>' in html
    assert [e.action for e in case.events.all()][-3:] == ["message", "document", "message"]


def test_an_empty_or_invalid_message_is_a_french_error(client, world):
    case = world.file()
    client.force_login(world.company_member)
    html = write(client, case, "   ").content.decode()
    assert "Écrivez un message ou joignez au moins un document." in html and "<title>Erreur : " in html
    fake = upload("devis.pdf", b"GIF89a....", "application/pdf")
    html = write(client, case, "Voici le devis", [fake]).content.decode()
    assert "« devis.pdf » : son contenu ne correspond à aucun format accepté" in html
    assert not case.messages.exists() and not case.documents.exists()


def test_documents_alone_make_a_message(client, world):
    case = world.file()
    client.force_login(world.company_member)
    write(client, case, "", [upload("relance.pdf")])
    message = case.messages.get()
    assert message.body == "" and message.documents.count() == 1
    assert [e.action for e in case.events.all()][-1] == "document"


def test_the_documents_per_case_limit(client, world, settings):
    settings.MEDIATION_MAX_DOCUMENTS_PER_CASE = 2
    case = world.file(uploads=[upload("a.pdf")])
    client.force_login(world.company_member)
    html = write(client, case, "Deux de plus", [upload("b.pdf"), upload("c.pdf")]).content.decode()
    assert "Une demande compte au plus 2 pièces jointes (1 déjà déposées)." in html


def test_nobody_writes_in_a_closed_case_and_staff_only_read(client, world):
    case = world.file()
    client.force_login(world.staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Écrire dans le dossier" not in html and "Désigner un médiateur" not in html  # already assigned
    assert "Changer de médiateur" in html
    response = write(client, case, "Bonjour")
    assert "Seuls les parties et le médiateur écrivent dans le dossier." in client.get(response.url).content.decode()
    services.perform_action(world.company_member, case, "withdraw")
    client.force_login(world.buyer_agent)
    response = write(client, case, "Trop tard ?")
    assert "Cette demande est close : on ne peut plus y écrire." in client.get(response.url).content.decode()
    assert not case.messages.exists()


def test_downloading_a_document_is_logged_and_served_as_an_attachment(client, world):
    case = world.file(uploads=[upload("Facture n°12 été.pdf")])
    document = case.documents.get()
    client.force_login(world.buyer_agent)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Facture%20n%C2%B012%20%C3%A9t%C3%A9.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    event = case.events.last()
    assert (event.action, event.actor, event.details) == ("download", world.buyer_agent, "Facture n°12 été.pdf")
    other = world.file(uploads=[upload("autre.pdf")]).documents.get()
    wrong_case = reverse("mediation:document", args=[case.pk, other.pk])  # a document of another case
    assert client.get(wrong_case).status_code == 404


def test_the_audit_log_is_shown_with_actor_action_date_and_details(client, world):
    case = world.file()
    services.perform_action(world.mediator, case, "decline", "Hors champ.")
    client.force_login(world.company_member)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Journal du dossier" in html
    for text in (
        "Claire Durand (Menuiserie Durand)",
        "Demande déposée",
        "Tremplin (automatique)",
        "Médiateur désigné",
        "Marie Médiatrice (médiateur)",
        "Demande déclarée irrecevable",
        "Hors champ.",
    ):
        assert text in html, text


def test_deadlines_are_shown_and_overdue_first_contacts_flagged(client, world, settings):
    settings.MEDIATION_FIRST_CONTACT_DAYS = 5
    case = world.file()
    Case.objects.filter(pk=case.pk).update(filed_at=timezone.now() - timedelta(days=8))
    client.force_login(world.company_member)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Premier contact du médiateur (sous 5 jours)" in html
    assert "Dépassé" in html and "(retard de 3 jours)" in html


def test_the_use_cases_read_the_stored_case_not_the_callers_copy(world):
    case = world.file()
    stale = Case.objects.get(pk=case.pk)  # still names Marie as the mediator, and "filed"
    services.assign_mediator(world.staff, case, world.other_region_mediator)
    services.perform_action(world.other_region_mediator, stale, "accept")
    with pytest.raises(services.CaseNotFound):
        services.perform_action(world.mediator, stale, "decline", "Motif")  # Marie was replaced
    with pytest.raises(services.WrongStage):
        services.perform_action(world.other_region_mediator, stale, "accept")  # already accepted
    with pytest.raises(services.CaseNotFound):
        exchanges.post_message(world.mediator, stale, "Encore là ?")
    case.refresh_from_db()
    assert (case.status, case.mediator) == ("accepted", world.other_region_mediator)
