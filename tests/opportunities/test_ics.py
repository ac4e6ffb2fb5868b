"""iCalendar output (RFC 5545): CRLF, folding at 75 octets, text escaping, UTC times, UID/DTSTAMP/SEQUENCE."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.opportunities.factories import FairFactory, ForecastFactory
from tremplin.opportunities import ics

PARIS = ZoneInfo("Europe/Paris")
STAMP = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Salon, acheteurs; 2026", "Salon\\, acheteurs\\; 2026"),
        ("C:\\dossier", "C:\\\\dossier"),
        ("ligne 1\nligne 2\r\nligne 3", "ligne 1\\nligne 2\\nligne 3"),
        ("sans rien", "sans rien"),
    ],
)
def test_escape_text(raw, escaped):
    assert ics.escape_text(raw) == escaped


def test_folding_counts_octets_and_never_splits_a_character():
    line = "DESCRIPTION:" + "é" * 100  # 2 octets each
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line
    assert ics.fold("SUMMARY:court") == "SUMMARY:court"
    exact = "X" * 75
    assert ics.fold(exact) == exact
    assert ics.fold(exact + "Y") == exact + "\r\n Y"


def test_times_are_written_in_utc():
    assert ics.utc(datetime.datetime(2026, 7, 1, 9, 0, tzinfo=PARIS)) == "20260701T070000Z"  # summer time
    assert ics.utc(datetime.datetime(2026, 1, 15, 9, 0, tzinfo=PARIS)) == "20260115T080000Z"
    with pytest.raises(ValueError):
        ics.utc(datetime.datetime(2026, 1, 15, 9, 0))


def test_a_calendar():
    event = ics.Event(
        uid="salon-7@tremplin.exemple.fr",
        start=datetime.datetime(2026, 6, 12, 9, 0, tzinfo=PARIS),
        end=datetime.datetime(2026, 6, 12, 12, 30, tzinfo=PARIS),
        summary="Rencontre acheteurs, BTP; second œuvre",
        description="Programme :\n- accueil\n- présentation des achats de la Ville de Lyon et de la Métropole, "
        "lots réservés aux structures d'insertion",
        location="Hôtel de Ville, 1 place de la Comédie, Lyon",
        url="https://tremplin.exemple.fr/previsions/salons/7/",
        organizer_name="Ville de Lyon; service achats",
        organizer_email="achats@exemple.fr",
        sequence=2,
    )
    text = ics.calendar([event], STAMP, name="Rencontre acheteurs")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tremplin//Salons acheteurs//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert "UID:salon-7@tremplin.exemple.fr" in lines
    assert "DTSTAMP:20260301T083000Z" in lines
    assert "DTSTART:20260612T070000Z" in lines
    assert "DTEND:20260612T103000Z" in lines
    assert "SEQUENCE:2" in lines
    assert "STATUS:CONFIRMED" in lines
    assert "SUMMARY:Rencontre acheteurs\\, BTP\\; second œuvre" in lines
    assert (
        "DESCRIPTION:Programme :\\n- accueil\\n- présentation des achats de la Ville de Lyon et de la "
        "Métropole\\, lots réservés aux structures d'insertion"
    ) in lines
    assert "LOCATION:Hôtel de Ville\\, 1 place de la Comédie\\, Lyon" in lines
    assert 'ORGANIZER;CN="Ville de Lyon; service achats":mailto:achats@exemple.fr' in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1


@pytest.mark.django_db
def test_the_fair_calendar_file(client, world, settings):
    settings.SITE_URL = "https://tremplin.exemple.fr"
    fair = FairFactory(
        organiser=world.buyer,
        title="Rencontre acheteurs : voirie, espaces verts",
        starts_at=datetime.datetime(2026, 11, 5, 14, 0, tzinfo=PARIS),
        ends_at=datetime.datetime(2026, 11, 5, 17, 0, tzinfo=PARIS),
        commune_id="69123",
        sequence=1,
    )
    fair.forecasts.add(ForecastFactory(buyer=world.buyer, title="Réfection des voiries"))
    fair.forecasts.add(ForecastFactory(buyer=world.buyer, title="Projet en brouillon", status="draft"))
    response = client.get(f"/previsions/salons/{fair.pk}/salon.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="salon-{fair.pk}.ics"'
    text = response.content.decode("utf-8")
    lines = unfold(text)
    assert f"UID:salon-{fair.pk}@tremplin.exemple.fr" in lines
    assert f"URL:https://tremplin.exemple.fr/previsions/salons/{fair.pk}/" in lines
    assert "DTSTART:20261105T130000Z" in lines
    assert "SUMMARY:Rencontre acheteurs : voirie\\, espaces verts" in lines
    assert "LOCATION:Hôtel de Ville\\, salle des fêtes\\, 1 place de la Comédie\\, Lyon" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Prévisions présentées :\\n- Réfection des voiries" in description
    assert "brouillon" not in description
    assert "SEQUENCE:1" in lines and "STATUS:CONFIRMED" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)

    fair.cancelled_at = fair.starts_at
    fair.save()
    assert "STATUS:CANCELLED" in unfold(client.get(f"/previsions/salons/{fair.pk}/salon.ics").content.decode())
