"""People, a stand-in for the matching engine (alerts must not rank: they pass the query and the window on), and a
real SMTP server (aiosmtpd) on a free local port."""

import datetime
import socket
from dataclasses import dataclass, field, replace

import pytest
from django.utils import timezone

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.accounts.models import ApiToken
from tremplin.alerts import services
from tremplin.alerts.models import SavedSearch
from tremplin.matching.types import OpportunityMatch, OpportunityQuery


@dataclass
class People:
    owner: object
    company: object
    other: object
    outsider_company: object


@pytest.fixture
def people(small_referentials):  # noqa: F811
    company = OrganisationFactory(name="Menuiserie Solidaire", inclusive_status="EI")
    owner = MembershipFactory(organisation=company, user__full_name="Camille Menuisier").user
    other = UserFactory(full_name="Dominique Autre")
    return People(owner=owner, company=company, other=other, outsider_company=OrganisationFactory(name="Autre SARL"))


def make_search(user, **fields) -> SavedSearch:
    values = {"name": "Menuiserie dans le Rhône", "text": "menuiserie", "cpv": ["45214200"], "departments": ["69"]}
    values.update(fields)
    return SavedSearch.objects.create(user=user, **values)


def match(pk: int, title: str, *, kind="forecast", days_ago: float = 0, deadline=None, **extra) -> OpportunityMatch:
    return OpportunityMatch(
        id=f"{kind}:{pk}",
        kind=kind,
        pk=pk,
        title=title,
        score=80.0,
        reasons=extra.pop("reasons", ("Même code CPV que votre recherche", "Dans le Rhône (69)")),
        url=extra.pop("url", f"/previsions/{pk}/"),
        buyer_name=extra.pop("buyer_name", "Ville de Lyon"),
        deadline=deadline,
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
        **extra,
    )


@dataclass
class FakeMatching:
    """Returns its `items` whose title contains the query text, published since `published_since`, within `limit`;
    records each call."""

    items: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    profile_query: OpportunityQuery = field(default_factory=OpportunityQuery)

    def search_opportunities(self, query, *, limit=20, offset=0, published_since=None, now=None):
        self.calls.append({"query": query, "limit": limit, "offset": offset, "since": published_since, "now": now})
        found = [
            item
            for item in self.items
            if query.text.lower() in item.title.lower()
            and item.kind in query.kinds
            and (published_since is None or item.published_at >= published_since)
        ]
        return found[offset : offset + limit]

    def query_for_profile(self, profile):
        return self.profile_query

    def add(self, *items):
        self.items.extend(items)

    def republish(self, item_id, when):
        self.items = [replace(i, published_at=when) if i.id == item_id else i for i in self.items]


@pytest.fixture
def fake_matching(monkeypatch):
    fake = FakeMatching()
    monkeypatch.setattr(services, "matching", lambda: fake)
    return fake


def bearer(user) -> dict:
    _, raw = ApiToken.issue(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


class Inbox:
    """Messages received by the SMTP server: (envelope sender, recipients, parsed message)."""

    def __init__(self):
        self.messages = []
        self.raw = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.raw.append(envelope.original_content or envelope.content)
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
