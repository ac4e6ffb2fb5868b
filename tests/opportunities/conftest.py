"""A buyer (Ville de Lyon) with an agent and a company-member employee, another buyer, two companies, and the
people acting for each; the small referentials give real CPV codes, departments and communes."""

from dataclasses import dataclass

import pytest

from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.accounts.models import ApiToken
from tremplin.organisations.models import Role


@dataclass
class World:
    buyer: object
    other_buyer: object
    company: object
    other_company: object
    agent: object
    buyer_colleague: object
    other_agent: object
    company_member: object
    other_company_member: object
    staff: object


@pytest.fixture
def world(small_referentials):  # noqa: F811
    buyer = BuyerFactory(name="Ville de Lyon", siret="21690123100011", commune_id="69123")
    other_buyer = BuyerFactory(name="Commune de Marseille")
    company = OrganisationFactory(name="Menuiserie Solidaire", inclusive_status="EI")
    other_company = OrganisationFactory(name="Atelier du Rhône")
    return World(
        buyer=buyer,
        other_buyer=other_buyer,
        company=company,
        other_company=other_company,
        agent=MembershipFactory(organisation=buyer, role=Role.BUYER_AGENT, user__full_name="Agnès Achat").user,
        buyer_colleague=MembershipFactory(organisation=buyer, role=Role.FACILITATOR).user,
        other_agent=MembershipFactory(organisation=other_buyer, role=Role.BUYER_AGENT).user,
        company_member=MembershipFactory(organisation=company, user__full_name="Camille Menuisier").user,
        other_company_member=MembershipFactory(organisation=other_company).user,
        staff=UserFactory(is_staff=True),
    )


def bearer(user) -> dict:
    _, raw = ApiToken.issue(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
