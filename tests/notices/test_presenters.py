"""How deadlines and amounts are written for people (French, in Paris time unless the notice says otherwise)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tremplin.ingest.notices.model import tzinfo_for
from tremplin.notices.models import Notice
from tremplin.notices.presenters import deadline_text, format_amount


def notice(day, clock=None, tz=""):
    at = None
    if clock is not None and tzinfo_for(tz) is not None:
        at = datetime.datetime.combine(day, clock, tzinfo=tzinfo_for(tz))
    return Notice(deadline_at=at, deadline_date=day, deadline_time=clock, deadline_tz=tz)


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            (datetime.date(2024, 3, 18), datetime.time(12), "Europe/Paris"),
            "lundi 18 mars 2024 à 12 h 00 (heure de Paris)",
        ),
        ((datetime.date(2024, 3, 18), datetime.time(12), "+01:00"), "lundi 18 mars 2024 à 12 h 00 (heure de Paris)"),
        (
            (datetime.date(2024, 2, 28), datetime.time(12), "+02:00"),
            "mercredi 28 février 2024 à 12 h 00 (UTC+02:00 tel que publié, soit 11 h 00 heure de Paris)",
        ),
        (
            (datetime.date(2024, 4, 15), datetime.time(12), "America/Guadeloupe"),
            "lundi 15 avril 2024 à 12 h 00 (heure locale, America/Guadeloupe)",
        ),
        ((datetime.date(2020, 5, 6), datetime.time(10, 30), ""), "mercredi 6 mai 2020 à 10 h 30 (heure locale)"),
        ((datetime.date(2020, 5, 6),), "mercredi 6 mai 2020"),
    ],
)
def test_deadline_text(args, expected):
    with translation.override("fr"):
        assert deadline_text(notice(*args)) == expected


def test_no_deadline_is_no_text():
    assert deadline_text(Notice()) == ""


@pytest.mark.parametrize(
    "value, currency, expected",
    [
        (Decimal("855500"), "EUR", "855\u202f500\u202f€"),
        (Decimal("1250.5"), None, "1\u202f250,50\u202f€"),
        (Decimal("167733600"), "PLN", "167\u202f733\u202f600\u202fPLN"),
        (None, "EUR", ""),
    ],
)
def test_format_amount(value, currency, expected):
    assert format_amount(value, currency) == expected
