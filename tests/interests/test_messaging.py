"""Messaging between a forecast's buyer and an interested company: who writes, who reads, e-mails, escaping."""

import pytest
from django.core import mail
from django.urls import reverse

from tremplin.interests import services
from tremplin.interests.models import Message, Thread

pytestmark = pytest.mark.django_db


def write_url(world, organisation=None):
    return (
        f"{reverse('interests:write', args=[world.forecast.pk])}?organisation={(organisation or world.company).siret}"
    )


@pytest.fixture
def interested(world):
    services.answer(world.member, world.company, services.for_forecast(world.forecast), "interested")
    return world


@pytest.fixture
def thread(interested, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.start_or_continue(interested.member, interested.forecast, interested.company, "Bonjour")
    mail.outbox.clear()
    return message.thread


def test_the_company_writes_after_declaring_interest_and_the_buyer_is_emailed(
    client, interested, django_capture_on_commit_callbacks
):
    client.force_login(interested.member)
    page = client.get(write_url(interested)).content.decode()
    assert "<h1>Écrire à Ville de Lyon</h1>" in page and 'for="id_body"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            write_url(interested),
            {"organisation": interested.company.siret, "body": "Une visite est-elle prévue ?\nMerci."},
        )
    thread = Thread.objects.get()
    message = thread.messages.get()
    assert response.status_code == 302
    assert response.url == f"{thread.get_absolute_url()}#message-{message.pk}"
    assert (message.side, message.author, message.body) == (
        "supplier",
        interested.member,
        "Une visite est-elle prévue ?\nMerci.",
    )
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["agnes@lyon.fr", "colleague@lyon.fr"]  # active members of the buyer, not the pending one
    assert "Menuiserie Solidaire" in mail.outbox[0].subject
    assert f"/interets/echanges/{thread.pk}/" in mail.outbox[0].body


def test_writing_before_declaring_interest_is_refused_with_a_clear_error(client, world):
    client.force_login(world.member)
    response = client.post(write_url(world), {"organisation": world.company.siret, "body": "Bonjour"})
    assert response.status_code == 400
    assert "Déclarez d&#x27;abord votre intérêt" in response.content.decode()
    assert not Thread.objects.exists()


def test_an_empty_or_too_long_message_is_refused(client, interested):
    client.force_login(interested.member)
    for body, error in [("   ", "Écrivez votre message."), ("x" * 5001, "Message trop long")]:
        response = client.post(write_url(interested), {"organisation": interested.company.siret, "body": body})
        assert response.status_code == 400 and error in response.content.decode()
    assert not Message.objects.exists()


def test_the_buyer_agent_answers_and_the_company_is_emailed(client, thread, world, django_capture_on_commit_callbacks):
    client.force_login(world.agent)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "<h1>Échanges entre Ville de Lyon et Menuiserie Solidaire</h1>" in page
    assert "Répondre à Menuiserie Solidaire" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(thread.get_absolute_url(), {"body": "Oui, le 12 juin."})
    assert response.status_code == 302
    assert list(thread.messages.values_list("side", "body")) == [("supplier", "Bonjour"), ("buyer", "Oui, le 12 juin.")]
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(["camille@menuiserie.fr", world.two_hats.email])  # active members of the company
    assert mail.outbox[0].subject.startswith("[Tremplin] Nouveau message de Ville de Lyon sur")


def test_user_text_is_escaped_and_line_breaks_kept(client, interested):
    body = '<script>alert("x")</script>\n<b>gras</b>'
    message = services.start_or_continue(interested.member, interested.forecast, interested.company, body)
    client.force_login(interested.agent)
    html = client.get(message.thread.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<b>gras</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;gras&lt;/b&gt;" in html


@pytest.mark.parametrize("who", ["other_agent", "other_member", "buyer_pending", "company_pending", "staff"])
def test_nobody_else_reads_or_writes_a_thread(client, thread, world, who):
    client.force_login(getattr(world, who))
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert client.post(thread.get_absolute_url(), {"body": "Intrusion"}).status_code == 404
    assert thread.messages.count() == 1


def test_anonymous_visitors_are_sent_to_login(client, thread):
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client.post(thread.get_absolute_url(), {"body": "x"}).status_code == 302
    assert thread.messages.count() == 1


def test_a_buyer_facilitator_reads_but_does_not_answer(client, thread, world):
    client.force_login(world.buyer_colleague)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Bonjour" in html and "Répondre à" not in html
    assert client.post(thread.get_absolute_url(), {"body": "Réponse"}).status_code == 404


def test_closed_messaging_keeps_the_thread_readable_but_not_writable(client, thread, world):
    world.forecast.messaging_enabled = False
    world.forecast.save()
    client.force_login(world.member)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "La messagerie de cette prévision est fermée" in html
    assert client.post(thread.get_absolute_url(), {"body": "Encore une question"}).status_code == 404
    assert client.get(write_url(world)).status_code == 404


def test_the_write_page_is_only_for_company_members_with_open_messaging(client, interested):
    for who in (interested.agent, interested.other_agent, interested.company_pending, interested.staff):
        client.force_login(who)
        assert client.get(write_url(interested)).status_code == 404
    client.force_login(interested.member)
    assert client.get(reverse("interests:write", args=[interested.draft.pk])).status_code == 404


def test_a_second_visit_to_the_write_page_goes_to_the_thread(client, thread, world):
    client.force_login(world.member)
    response = client.get(write_url(world))
    assert response.status_code == 302 and response.url == thread.get_absolute_url()


def test_the_buyer_list_links_to_the_thread(client, thread, world):
    client.force_login(world.agent)
    html = client.get(reverse("interests:forecast", args=[world.forecast.pk])).content.decode()
    assert f'href="{thread.get_absolute_url()}">1 message<span class="sr-only"> avec Menuiserie Solidaire' in html
