"""A buyer (Ville de Lyon) with an agent, a facilitator colleague and a pending member, another buyer, two
companies with their members (and a pending one), a person acting for two companies, staff; a published forecast
with two lots and open messaging, a draft, and a notice published by the buyer."""

from dataclasses import dataclass

import pytest

from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.notices.factories import NoticeFactory
from tests.opportunities.factories import ForecastFactory, LotFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.accounts.models import ApiToken
from tremplin.organisations.models import MembershipStatus, Role


@dataclass
class World:
    buyer: object
    other_buyer: object
    company: object
    other_company: object
    agent: object
    buyer_colleague: object
    buyer_pending: object
    other_agent: object
    member: object
    other_member: object
    company_pending: object
    two_hats: object
    staff: object
    forecast: object
    lots: list
    draft: object
    notice: object


@pytest.fixture
def world(small_referentials):  # noqa: F811
    buyer = BuyerFactory(name="Ville de Lyon", commune_id="69123")
    other_buyer = BuyerFactory(name="Commune de Marseille")
    company = OrganisationFactory(
        name="Menuiserie Solidaire", inclusive_status="EI", department_id="69", declared_size_category="micro"
    )
    other_company = OrganisationFactory(name="Atelier du Rhône")
    forecast = ForecastFactory(buyer=buyer, title="Rénovation de l'école des Pentes", messaging_enabled=True)
    lots = [
        LotFactory(forecast=forecast, number=1, title="Menuiseries extérieures"),
        LotFactory(forecast=forecast, number=2, title="Peintures intérieures"),
    ]
    two_hats = UserFactory(full_name="Dominique Double")
    MembershipFactory(organisation=company, user=two_hats)
    MembershipFactory(organisation=other_company, user=two_hats)

    def member(organisation, role=Role.COMPANY_MEMBER, status=MembershipStatus.ACTIVE, **user):
        return MembershipFactory(organisation=organisation, role=role, status=status, **user).user

    return World(
        buyer=buyer,
        other_buyer=other_buyer,
        company=company,
        other_company=other_company,
        agent=member(buyer, Role.BUYER_AGENT, user__full_name="Agnès Achat", user__email="agnes@lyon.fr"),
        buyer_colleague=member(buyer, Role.FACILITATOR, user__email="colleague@lyon.fr"),
        buyer_pending=member(buyer, Role.BUYER_AGENT, MembershipStatus.PENDING, user__email="pending@lyon.fr"),
        other_agent=member(other_buyer, Role.BUYER_AGENT),
        member=member(company, user__full_name="Camille Menuisier", user__email="camille@menuiserie.fr"),
        other_member=member(other_company),
        company_pending=member(company, status=MembershipStatus.PENDING, user__email="attente@menuiserie.fr"),
        two_hats=two_hats,
        staff=UserFactory(is_staff=True),
        forecast=forecast,
        lots=lots,
        draft=ForecastFactory(buyer=buyer, status="draft", title="Brouillon secret"),
        notice=NoticeFactory(buyer=buyer, title="Entretien des espaces verts"),
    )


def bearer(user) -> dict:
    _, raw = ApiToken.issue(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
