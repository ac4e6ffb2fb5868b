"""The feeds of a saved search, opened with its secret token (no account): Atom (the current matches, with the
reasons of each) and iCalendar (one all-day event per known offer deadline).

The iCalendar text reuses the RFC 5545 helpers of tremplin.opportunities.ics (escaping, folding, UTC times);
those only write timed events, so all-day events (VALUE=DATE) are written here."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from tremplin.alerts import services
from tremplin.alerts.models import SavedSearch
from tremplin.core.mail import absolute_url
from tremplin.matching.types import OpportunityMatch
from tremplin.opportunities.ics import CRLF, escape_text, fold, utc

FEED_SIZE = 50
ICS_PRODID = "-//Tremplin//Alertes echeances//FR"


def search_or_404(token: str) -> SavedSearch:
    try:
        return services.get_by_feed_token(token)
    except services.NotFound as error:
        raise Http404(str(error)) from error


def match_url(match: OpportunityMatch) -> str:
    return absolute_url(match.url) if match.url.startswith("/") else match.url


class SearchAtomFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"  # a secret address must not end up in search engines
        return response

    def get_object(self, request, token):
        return search_or_404(token)

    def title(self, obj: SavedSearch) -> str:
        return f"Tremplin — {obj.name}"

    def subtitle(self, obj: SavedSearch) -> str:
        return "Opportunités ouvertes : " + " · ".join(obj.criteria.describe())

    def link(self, obj: SavedSearch) -> str:
        return obj.get_absolute_url()

    def feed_guid(self, obj: SavedSearch) -> str:
        return f"tag:tremplin,2026:recherche-{obj.pk}"

    def items(self, obj: SavedSearch) -> list[OpportunityMatch]:
        return services.current_results(obj, limit=FEED_SIZE)

    def item_title(self, item: OpportunityMatch) -> str:
        return item.title

    def item_description(self, item: OpportunityMatch) -> str:
        facts = []
        if item.buyer_name:
            facts.append(f"Acheteur : {item.buyer_name}")
        facts.append(f"Date limite : {item.deadline:%d/%m/%Y}" if item.deadline else "Date limite non communiquée")
        reasons = format_html_join("", "<li>{}</li>", ((reason,) for reason in item.reasons))
        return format_html(
            "<p>{}</p>{}", " — ".join(facts), format_html("<ul>{}</ul>", reasons) if item.reasons else ""
        )

    def item_link(self, item: OpportunityMatch) -> str:
        return match_url(item) or absolute_url("/")

    def item_guid(self, item: OpportunityMatch) -> str:
        return f"tag:tremplin,2026:{item.id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: OpportunityMatch):
        return item.published_at

    def item_updateddate(self, item: OpportunityMatch):
        return item.published_at


def deadline_event_lines(match: OpportunityMatch, stamp: datetime.datetime) -> list[str]:
    """An all-day event on the offer deadline of an opportunity. The UID depends on the opportunity only, so that
    a calendar updates the event when the deadline moves."""
    day = match.deadline
    description = []
    if match.buyer_name:
        description.append(f"Acheteur : {match.buyer_name}")
    description.extend(match.reasons)
    url = match_url(match)
    if url:
        description.append(url)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{match.id.replace(':', '-')}-date-limite@tremplin",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text('Date limite : ' + match.title)}",
        "TRANSP:TRANSPARENT",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description))}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def deadlines_calendar(name: str, matches: list[OpportunityMatch], stamp: datetime.datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ICS_PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for match in matches:
        if match.deadline is not None:
            lines.extend(deadline_event_lines(match, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def ics_feed(request, token):
    search = search_or_404(token)
    matches = services.current_results(search, limit=FEED_SIZE)
    body = deadlines_calendar(f"Tremplin — {search.name}", matches, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="echeances.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
