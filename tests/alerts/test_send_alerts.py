"""`tremplin send_alerts` against a real SMTP server (aiosmtpd): one digest per person, never the same item twice,
dry runs record nothing, one failure does not stop the others."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.alerts.conftest import make_search, match
from tests.factories import UserFactory
from tremplin.alerts.models import AlertDelivery, SavedSearch

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command("send_alerts", *args, stdout=out)
    return out.getvalue().splitlines()


def summary(*args) -> dict:
    return json.loads(run("--json", *args)[-1])


def subject(message) -> str:
    """The decoded subject. The raw header is folded right after "Subject:" (Python's e-mail package, used by
    Django), which the parser keeps as a leading space; mail clients drop it."""
    return str(message["Subject"]).strip()


def texts(message) -> tuple[str, str]:
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


def test_one_digest_per_person_with_every_item_once(people, fake_matching, smtp_inbox):
    make_search(people.owner, name="Écoles du Rhône", text="école")
    make_search(people.owner, name="Rénovations", text="rénovation")
    make_search(people.other, name="Voirie", text="voirie")
    fake_matching.add(
        match(1, "Rénovation de l'école Jean Zay", deadline=datetime.date(2026, 10, 20)),
        match(2, "Cantine de l'école Pasteur", kind="notice", url="https://www.boamp.fr/avis/2"),
        match(3, "Rénovation du gymnase"),
        match(4, "Voirie communale"),
    )
    assert summary() == {"searches": 3, "emails": 2, "items": 4, "skipped": 0, "errors": 0}

    by_recipient = {tuple(rcpt): message for _, rcpt, message in smtp_inbox.messages}
    assert set(by_recipient) == {(people.owner.email,), (people.other.email,)}
    mine = by_recipient[(people.owner.email,)]
    assert subject(mine) == "[Tremplin] 3 nouvelles opportunités pour 2 recherches"
    assert mine["To"] == people.owner.email
    assert mine["From"] == "Tremplin <ne-pas-repondre@tremplin.localhost>"
    assert "/alertes/" in mine["List-Unsubscribe"]
    text, html = texts(mine)
    assert text.startswith("Bonjour Camille Menuisier,")
    assert text.count("Rénovation de l'école Jean Zay") == 1  # found by both searches, sent once
    assert "== Écoles du Rhône ==" in text and "== Rénovations ==" in text
    # in the first search (by name, accents ignored) that found it
    assert text.index("== Écoles du Rhône ==") < text.index("Jean Zay") < text.index("== Rénovations ==")
    assert "Date limite : mardi 20 octobre 2026" in text
    assert "Pourquoi : Même code CPV que votre recherche ; Dans le Rhône (69)" in text
    assert "http://127.0.0.1:8000/previsions/1/" in text and "https://www.boamp.fr/avis/2" in text
    assert "Ne plus recevoir cette alerte : http://127.0.0.1:8000/alertes/desabonnement/" in text
    assert "Gérer mes alertes : http://127.0.0.1:8000/alertes/" in text
    assert "&#x27;" not in text  # plain text is not HTML-escaped
    assert "Rénovation de l&#x27;école Jean Zay</a>" in html and "<li>Dans le Rhône (69)</li>" in html
    other = by_recipient[(people.other.email,)]
    assert subject(other) == "[Tremplin] 1 nouvelle opportunité pour « Voirie »"
    assert "Voirie communale" in texts(other)[0] and "école" not in texts(other)[0]

    assert AlertDelivery.objects.filter(user=people.owner, sent_at__isnull=False).count() == 3
    assert not SavedSearch.objects.filter(last_sent_at__isnull=True).exists()


def test_accents_travel_encoded(people, fake_matching, smtp_inbox):
    make_search(people.owner, name="Électricité à Saint-Étienne", text="")
    fake_matching.add(match(1, "Éclairage public — œuvre d'art, crèche « Les Îles »"))
    run()
    [(_, _, message)] = smtp_inbox.messages
    raw = smtp_inbox.raw[0]
    headers, _, body = raw.partition(b"\r\n\r\n")
    assert headers.isascii()  # headers are RFC 2047-encoded; bodies are declared UTF-8
    assert b"Subject: \r\n =?utf-8?b?" in raw
    assert b'Content-Type: text/plain; charset="utf-8"' in body
    assert subject(message) == "[Tremplin] 1 nouvelle opportunité pour « Électricité à Saint-Étienne »"
    assert "Éclairage public — œuvre d'art, crèche « Les Îles »" in texts(message)[0]


def test_a_second_run_sends_nothing_and_a_new_item_only_itself(people, fake_matching, smtp_inbox):
    search = make_search(people.owner, text="")
    fake_matching.add(match(1, "Premier"), match(2, "Deuxième"))
    run()
    assert len(smtp_inbox.messages) == 1

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert summary("--now", tomorrow.isoformat())["emails"] == 0  # due again, nothing new
    assert len(smtp_inbox.messages) == 1

    fake_matching.add(match(3, "Troisième", days_ago=-1))  # published after the first e-mail
    fake_matching.republish("forecast:1", tomorrow)  # re-published: still never twice
    assert summary("--now", tomorrow.isoformat()) == {"searches": 1, "emails": 1, "items": 1, "skipped": 0, "errors": 0}
    text = texts(smtp_inbox.messages[-1][2])[0]
    assert "Troisième" in text and "Premier" not in text and "Deuxième" not in text
    search.refresh_from_db()
    assert search.last_sent_at == tomorrow


def test_the_window_starts_at_the_previous_email(people, fake_matching, smtp_inbox):
    search = make_search(people.owner, text="")
    fake_matching.add(match(1, "Ancien", days_ago=3), match(2, "Récent", days_ago=0.5))
    run()
    assert "Récent" in texts(smtp_inbox.messages[0][2])[0]
    assert "Ancien" not in texts(smtp_inbox.messages[0][2])[0]  # published before the search's first window
    call = fake_matching.calls[0]
    assert call["query"] == search.query()
    assert call["since"] == search.created_at - datetime.timedelta(days=1)


def test_never_twice_even_across_two_searches_and_a_concurrent_claim(people, fake_matching, smtp_inbox):
    make_search(people.owner, name="A", text="")
    fake_matching.add(match(1, "Déjà pris par un autre passage"), match(2, "Libre"))
    # Another run claimed item 1 and is still sending it (no sent_at yet).
    AlertDelivery.objects.create(user=people.owner, item_id="forecast:1", batch="x", claimed_at=timezone.now())
    run()
    text = texts(smtp_inbox.messages[0][2])[0]
    assert "Libre" in text and "Déjà pris" not in text


def test_a_daily_search_is_not_due_again_within_20_hours(people, fake_matching, smtp_inbox):
    make_search(people.owner, text="")
    make_search(people.owner, name="Hebdo", text="", frequency="weekly")
    fake_matching.add(match(1, "Un"))
    run()
    fake_matching.add(match(2, "Deux", days_ago=-0.5))
    later = timezone.now() + datetime.timedelta(hours=19)
    assert summary("--now", later.isoformat())["searches"] == 0
    assert summary("--frequency", "weekly", "--now", (later + datetime.timedelta(hours=2)).isoformat())["searches"] == 0
    # 21 hours later the daily search would be due, the weekly one waits 6 days
    assert len(smtp_inbox.messages) == 1


def test_a_dry_run_sends_and_records_nothing(people, fake_matching, smtp_inbox):
    make_search(people.owner, name="Écoles", text="")
    fake_matching.add(match(1, "Rénovation de l'école"))
    lines = run("--dry-run")
    assert lines[0] == f"{people.owner.email} : [Tremplin] 1 nouvelle opportunité pour « Écoles »"
    assert lines[1] == "  - [Écoles] forecast:1 Rénovation de l'école"
    assert lines[-1].startswith("Simulation — 1 recherche(s) examinée(s), 1 e-mail(s), 1 opportunité(s)")
    assert smtp_inbox.messages == []
    assert not AlertDelivery.objects.exists()
    assert SavedSearch.objects.get().last_sent_at is None


def test_inactive_searches_and_unverified_people_get_nothing(people, fake_matching, smtp_inbox):
    make_search(people.owner, is_active=False)
    make_search(UserFactory(email_verified_at=None), text="")
    make_search(UserFactory(is_active=False), text="")
    fake_matching.add(match(1, "Menuiserie"))
    assert summary() == {"searches": 0, "emails": 0, "items": 0, "skipped": 2, "errors": 0}
    assert smtp_inbox.messages == []


def test_a_refused_recipient_does_not_stop_the_others_and_is_retried(people, fake_matching, smtp_inbox, settings):
    class Refuse:
        def __init__(self, inbox):
            self.inbox = inbox

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address == people.other.email:
                return "550 Boîte inconnue"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            return await self.inbox.handle_DATA(server, session, envelope)

    from aiosmtpd.controller import Controller

    from tests.alerts.conftest import Inbox, free_port

    inbox = Inbox()
    controller = Controller(Refuse(inbox), hostname="127.0.0.1", port=free_port())
    controller.start()
    accepting_port, settings.EMAIL_PORT = settings.EMAIL_PORT, controller.port
    try:
        make_search(people.other, text="")
        make_search(people.owner, text="")
        fake_matching.add(match(1, "Menuiserie"))
        err = StringIO()
        with pytest.raises(CommandError, match="1 envoi"):
            call_command("send_alerts", stdout=StringIO(), stderr=err)
        assert f"Échec : {people.other.email}" in err.getvalue()
        assert [rcpt for _, rcpt, _ in inbox.messages] == [[people.owner.email]]
        assert not AlertDelivery.objects.filter(user=people.other).exists()  # released: retried next run
        assert SavedSearch.objects.get(user=people.other).last_sent_at is None
    finally:
        controller.stop()
    settings.EMAIL_PORT = accepting_port
    run()  # the server accepts everyone again
    assert [rcpt for _, rcpt, _ in smtp_inbox.messages] == [[people.other.email]]


def test_items_sent_for_a_company_are_marked_notified(people, fake_matching, smtp_inbox, monkeypatch):
    from tremplin.interests import services as interests

    calls = []
    monkeypatch.setattr(interests, "mark_notified", lambda org, item, when: calls.append((org, item, when)))
    make_search(people.owner, text="", organisation=people.company)
    make_search(people.owner, name="Perso", text="")
    fake_matching.add(match(1, "Menuiserie"))
    now = timezone.now()
    run("--now", now.isoformat())
    assert calls == [(people.company, "forecast:1", now)]


def test_a_bad_now_is_a_clear_error(people):
    with pytest.raises(CommandError, match="--now : date et heure ISO 8601 attendues"):
        run("--now", "demain")


def test_a_claim_left_by_an_interrupted_run_is_reported_and_never_resent(people, fake_matching, smtp_inbox):
    make_search(people.owner, text="")
    fake_matching.add(match(1, "Interrompue"))
    an_hour_ago = timezone.now() - datetime.timedelta(hours=2)
    AlertDelivery.objects.create(user=people.owner, item_id="forecast:1", batch="old", claimed_at=an_hour_ago)
    err = StringIO()
    call_command("send_alerts", stdout=StringIO(), stderr=err)
    assert smtp_inbox.messages == []
    assert "Attention : 1 opportunité(s) préparée(s) par un envoi interrompu" in err.getvalue()


def test_a_long_list_is_cut_and_the_rest_comes_next_time(people, fake_matching, smtp_inbox, monkeypatch):
    from tremplin.alerts import digests

    monkeypatch.setattr(digests, "MAX_ITEMS_PER_SEARCH", 2)
    make_search(people.owner, text="")
    fake_matching.add(match(1, "Un"), match(2, "Deux"), match(3, "Trois"))
    run()
    text = texts(smtp_inbox.messages[0][2])[0]
    assert "* Un" in text and "* Deux" in text and "Trois" not in text
    assert "D'autres opportunités correspondent : http://127.0.0.1:8000/alertes/" in text
    search = SavedSearch.objects.get()
    assert search.pending_since == fake_matching.calls[0]["since"]  # the window will not move
    run("--now", (timezone.now() + datetime.timedelta(days=1)).isoformat())
    assert "* Trois" in texts(smtp_inbox.messages[1][2])[0]
    search.refresh_from_db()
    assert search.pending_since is None
