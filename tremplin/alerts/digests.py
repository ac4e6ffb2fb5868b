"""The alert e-mails: for each person, one digest grouping their due saved searches, with the items published since
the previous e-mail that were never sent to them.

Never the same item twice to the same person: an item is *claimed* before the e-mail is sent, by inserting an
AlertDelivery row; the unique constraint (user, item) lets one run only claim it, even when two runs overlap or
two searches of the person find it. The rows are confirmed (`sent_at`) once the SMTP server accepted the message
and deleted when sending failed, so that the next run retries. If the process dies between sending and
confirming, the claim stays: the item is not sent again. We err toward a missed e-mail rather than a duplicate,
because the item stays visible on the search page and in its feeds, while duplicates teach people to ignore (or
report as spam) the alerts."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tremplin import policy
from tremplin.alerts import rules, services
from tremplin.alerts.models import AlertDelivery, SavedSearch
from tremplin.core.mail import absolute_url
from tremplin.matching.types import OpportunityMatch

logger = logging.getLogger(__name__)

MAX_ITEMS_PER_SEARCH = 30  # per search in one e-mail; the rest comes in the next one
FETCH_LIMIT = 200  # matches read per search, before removing what the person already received
STALE_CLAIM = timedelta(hours=1)


@dataclass
class Report:
    searches: int = 0
    emails: int = 0
    items: int = 0
    skipped: int = 0
    unconfirmed: int = 0  # items claimed by a run that stopped before confirming: not sent again
    errors: list[str] = field(default_factory=list)
    previews: list[str] = field(default_factory=list)  # what a dry run would send

    def as_dict(self) -> dict:
        return {
            "searches": self.searches,
            "emails": self.emails,
            "items": self.items,
            "skipped": self.skipped,
            "errors": len(self.errors),
        }


@dataclass
class Section:
    search: SavedSearch
    matches: list[OpportunityMatch]
    more: bool = False
    since: datetime | None = None


def due_searches(now: datetime, frequency: str | None = None) -> list[SavedSearch]:
    condition = Q()
    for name, interval in rules.MIN_INTERVAL.items():
        if frequency in (None, name):
            condition |= Q(frequency=name) & (Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - interval))
    if not condition:
        return []
    searches = SavedSearch.objects.filter(condition, is_active=True).select_related("user", "organisation")
    return [s for s in searches.order_by("user_id", "name", "pk") if rules.is_due(s.frequency, s.last_sent_at, now)]


def send_alerts(*, now: datetime | None = None, frequency: str | None = None, dry_run: bool = False) -> Report:
    now = now or timezone.now()
    report = Report()
    by_user: dict[int, list[SavedSearch]] = defaultdict(list)
    for search in services.ordered(due_searches(now, frequency)):
        by_user[search.user_id].append(search)
    connection = None if dry_run else get_connection()
    for searches in by_user.values():
        user = searches[0].user
        if not (user.is_active and user.email_verified):
            report.skipped += len(searches)
            continue
        report.searches += len(searches)
        sections = plan_for(user, searches, now)
        if not sections:
            continue
        if dry_run:
            report.emails += 1
            report.items += sum(len(section.matches) for section in sections)
            report.previews.append(describe(user, sections))
            continue
        sent = deliver(user, searches, sections, now, connection, report)
        if sent:
            report.emails += 1
            report.items += sent
    stale = timezone.now() - STALE_CLAIM
    report.unconfirmed = AlertDelivery.objects.filter(sent_at__isnull=True, claimed_at__lt=stale).count()
    return report


def plan_for(user, searches: list[SavedSearch], now: datetime) -> list[Section]:
    found, windows = [], {}
    for search in searches:
        since = rules.window_start(search.frequency, search.created_at, search.last_sent_at, search.pending_since)
        windows[search.pk] = since
        matches = services.matching().search_opportunities(
            search.query(), limit=FETCH_LIMIT, published_since=since, now=now
        )
        found.append((search, matches))
    ids = {match.id for _, matches in found for match in matches}
    already = set(AlertDelivery.objects.filter(user=user, item_id__in=ids).values_list("item_id", flat=True))
    return [
        Section(search, matches[:MAX_ITEMS_PER_SEARCH], len(matches) > MAX_ITEMS_PER_SEARCH, windows[search.pk])
        for search, matches in rules.plan_digest(found, already)
    ]


def claim(user, sections: list[Section]) -> tuple[str, list[Section]]:
    """Insert one delivery row per item; keep the items this run could claim (another run may have taken some)."""
    batch = uuid.uuid4().hex
    claimed_at = timezone.now()
    rows = [
        AlertDelivery(
            user=user,
            item_id=match.id,
            search=section.search,
            title=match.title[:300],
            batch=batch,
            claimed_at=claimed_at,
        )
        for section in sections
        for match in section.matches
    ]
    AlertDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    mine = set(AlertDelivery.objects.filter(batch=batch).values_list("item_id", flat=True))
    kept = [Section(s.search, [m for m in s.matches if m.id in mine], s.more, s.since) for s in sections]
    return batch, [section for section in kept if section.matches]


def deliver(user, searches, sections, now, connection, report: Report) -> int:
    """Claim, send, confirm (or release the claim on failure). Returns the number of items sent."""
    batch, sections = claim(user, sections)
    if not sections:
        return 0
    try:
        build_message(user, sections, connection).send()
    except Exception as error:  # one person's failure (refused address, server down) must not stop the others
        AlertDelivery.objects.filter(batch=batch).delete()
        logger.warning("Alert digest to %s failed: %s", user.email, error)
        report.errors.append(f"{user.email} : {error}")
        return 0
    AlertDelivery.objects.filter(batch=batch).update(sent_at=timezone.now())
    SavedSearch.objects.filter(pk__in=[search.pk for search in searches]).update(last_sent_at=now, pending_since=None)
    for section in sections:
        if section.more:
            SavedSearch.objects.filter(pk=section.search.pk).update(pending_since=section.since)
    for section in sections:
        mark_notified(user, section, now, report)
    return sum(len(section.matches) for section in sections)


def mark_notified(user, section: Section, when: datetime, report: Report) -> None:
    """Tell the interests app that the search's organisation was notified of these items (when it exists)."""
    organisation = section.search.organisation
    if organisation is None or not policy.can_save_search_for(user, organisation):
        return
    try:
        from tremplin.interests.services import mark_notified as record
    except ImportError:
        return
    for match in section.matches:
        try:
            record(organisation, match.id, when)
        except Exception as error:  # the e-mail is sent and recorded: report, do not undo
            report.errors.append(f"{user.email} : suivi de {match.id} non mis à jour ({error})")


def subject_for(sections: list[Section]) -> str:
    count = sum(len(section.matches) for section in sections)
    noun = "nouvelle opportunité" if count == 1 else "nouvelles opportunités"
    where = f"« {sections[0].search.name} »" if len(sections) == 1 else f"{len(sections)} recherches"
    return f"[Tremplin] {count} {noun} pour {where}"


def item_context(match: OpportunityMatch) -> dict:
    url = match.url or ""
    return {
        "title": match.title,
        "buyer": match.buyer_name,
        "deadline": match.deadline,
        "reasons": list(match.reasons),
        "url": absolute_url(url) if url.startswith("/") else url,
        "kind": rules.KIND_ITEM_LABELS.get(match.kind, ""),
    }


def message_context(user, sections: list[Section]) -> dict:
    return {
        "user": user,
        "site_url": settings.SITE_URL,
        "manage_url": absolute_url(reverse("alerts:list")),
        "count": sum(len(section.matches) for section in sections),
        "sections": [
            {
                "name": section.search.name,
                "criteria": section.search.criteria.describe(),
                "items": [item_context(match) for match in section.matches],
                "more": section.more,
                "search_url": absolute_url(section.search.get_absolute_url()),
                "unsubscribe_url": absolute_url(
                    reverse("alerts:unsubscribe", args=[services.unsubscribe_token(section.search)])
                ),
            }
            for section in sections
        ],
    }


def build_message(user, sections: list[Section], connection=None) -> EmailMultiAlternatives:
    context = message_context(user, sections)
    headers = {"List-Unsubscribe": f"<{context['manage_url']}>", "Auto-Submitted": "auto-generated"}
    if len(sections) == 1:
        headers["List-Unsubscribe"] = f"<{context['sections'][0]['unsubscribe_url']}>"
    message = EmailMultiAlternatives(
        subject_for(sections),
        render_to_string("alerts/email/digest.txt", context),
        None,
        [user.email],
        connection=connection,
        headers=headers,
    )
    message.attach_alternative(render_to_string("alerts/email/digest.html", context), "text/html")
    return message


def describe(user, sections: list[Section]) -> str:
    lines = [f"{user.email} : {subject_for(sections)}"]
    for section in sections:
        lines.extend(f"  - [{section.search.name}] {match.id} {match.title}" for match in section.matches)
    return "\n".join(lines)
