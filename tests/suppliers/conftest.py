"""A company in Lyon with its members, a rival company, a buyer, people acting for each, and the reference data
(a few real regions, departments, communes, CPV and NAF codes)."""

from dataclasses import dataclass

import pytest

from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.accounts.models import ApiToken
from tremplin.organisations.models import Label, Role
from tremplin.referentials.models import Commune

LYON_TOWN_HALL = (45.7676, 4.8357)


@dataclass
class World:
    refs: object
    company: object
    rival: object
    buyer: object
    member: object
    rival_member: object
    buyer_agent: object
    company_buyer_agent: object
    facilitator: object
    staff: object
    outsider: object
    rge: object
    qualiopi: object


@pytest.fixture
def world(small_referentials):  # noqa: F811
    lyon = small_referentials.communes["69123"]
    # The sample data has Lyon without coordinates (La Poste only knows its districts, not in the sample).
    Commune.objects.filter(code="69123").update(latitude=LYON_TOWN_HALL[0], longitude=LYON_TOWN_HALL[1])
    company = OrganisationFactory(
        name="Menuiserie Solidaire du Rhône", commune=Commune.objects.get(code="69123"), naf_id="43.21A"
    )
    assert company.department_id == "69" and lyon.department_id == "69"
    rival = OrganisationFactory(name="Bâtisseurs de la Loire", commune=small_referentials.communes["42218"])
    buyer = BuyerFactory(name="Ville de Lyon")
    member = MembershipFactory(organisation=company, user__full_name="Alice Martin").user
    company_buyer_agent = MembershipFactory(organisation=company, role=Role.BUYER_AGENT).user
    facilitator = MembershipFactory(organisation=company, role=Role.FACILITATOR).user
    return World(
        refs=small_referentials,
        company=company,
        rival=rival,
        buyer=buyer,
        member=member,
        rival_member=MembershipFactory(organisation=rival).user,
        buyer_agent=MembershipFactory(organisation=buyer, role=Role.BUYER_AGENT).user,
        company_buyer_agent=company_buyer_agent,
        facilitator=facilitator,
        staff=UserFactory(is_staff=True),
        outsider=UserFactory(),
        rge=Label.objects.create(name="RGE", slug="rge"),
        qualiopi=Label.objects.create(name="Qualiopi", slug="qualiopi"),
    )


@pytest.fixture
def bearer(db):
    """bearer(user) -> the headers of a request authenticated by a fresh API token of that user."""

    def headers(user):
        _, raw = ApiToken.issue(user, "tests")
        return {"Authorization": f"Bearer {raw}"}

    return headers
