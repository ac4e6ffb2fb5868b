"""Atom and iCalendar feeds of a saved search: opened with the secret token only, current matches, RFC 5545."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse

from tests.alerts.conftest import make_search, match
from tremplin.alerts.feeds import deadlines_calendar

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_atom_feed_lists_current_matches_with_their_reasons(client, people, fake_matching):
    search = make_search(people.owner, text="école")
    fake_matching.add(
        match(1, "Rénovation de l'école <Jean Zay>", deadline=datetime.date(2026, 10, 20)),
        match(2, "Voirie"),
        match(3, "Extension de l'école", kind="notice", url="https://www.boamp.fr/avis/3", reasons=()),
    )
    response = client.get(reverse("alerts:atom", args=[search.feed_token]))  # no login
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "Tremplin — Menuiserie dans le Rhône"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "Rénovation de l'école <Jean Zay>",
        "Extension de l'école",
    ]
    first, second = entries
    assert first.find(f"{ATOM}id").text == "tag:tremplin,2026:forecast:1"
    assert first.find(f"{ATOM}link").get("href") == f"{settings.SITE_URL}/previsions/1/"
    summary = first.find(f"{ATOM}summary").text
    assert "<li>Même code CPV que votre recherche</li>" in summary
    assert "Date limite : 20/10/2026" in summary and "Acheteur : Ville de Lyon" in summary
    assert second.find(f"{ATOM}link").get("href") == "https://www.boamp.fr/avis/3"
    assert "Date limite non communiquée" in second.find(f"{ATOM}summary").text


def test_a_wrong_feed_token_is_a_404(client, people, fake_matching):
    make_search(people.owner)
    for name in ("atom", "ics"):
        assert client.get(reverse(name.join(["alerts:", ""]), args=["pas-le-bon-jeton"])).status_code == 404
    assert fake_matching.calls == []


def test_the_ics_feed_has_one_event_per_known_deadline(client, people, fake_matching):
    search = make_search(people.owner, text="")
    fake_matching.add(
        match(1, "Travaux, lot 1; menuiserie\\bois", deadline=datetime.date(2026, 10, 20)),
        match(2, "Sans date limite"),
        match(5, "Avis", kind="notice", deadline=datetime.date(2026, 12, 31)),
    )
    response = client.get(reverse("alerts:ics", args=[search.feed_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 2
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Date limite : Travaux\\, lot 1\\; menuiserie\\\\bois\r\n" in unfolded
    assert "UID:forecast-1-date-limite@tremplin\r\n" in unfolded
    assert "DTSTART;VALUE=DATE:20261020\r\nDTEND;VALUE=DATE:20261021\r\n" in unfolded
    assert "UID:notice-5-date-limite@tremplin\r\n" in unfolded
    assert "DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n" in unfolded
    assert f"URL:{settings.SITE_URL}/previsions/1/\r\n" in unfolded
    assert "DTSTAMP:" in unfolded and "Sans date limite" not in body


def test_ics_lines_are_folded_at_75_octets_and_uids_are_stable():
    long_title = "Réhabilitation énergétique " * 8
    item = match(7, long_title, deadline=datetime.date(2026, 6, 1))
    stamp = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)
    body = deadlines_calendar("Mes échéances", [item], stamp)
    lines = body.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)
    assert "DTSTAMP:20260501T080000Z" in body
    later = deadlines_calendar("Mes échéances", [item], stamp + datetime.timedelta(days=1))
    assert "UID:lot-7" not in body and "UID:forecast-7-date-limite@tremplin" in body
    assert "UID:forecast-7-date-limite@tremplin" in later
