"""Shared by the inclusive-potential and partner-finder tests (import the fixtures from here): a buyer in
Boulogne-Billancourt with a published three-lot forecast and a draft, inclusive structures and companies of the
Hauts-de-Seine with their profiles, and the people acting for each."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.opportunities.factories import ForecastFactory, LotFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tests.suppliers.helpers import make_profile
from tremplin.accounts.models import ApiToken
from tremplin.opportunities import rules as forecast_rules
from tremplin.organisations.models import Role

WORKS, ELECTRICITY, TRANSPORT = "45210000", "09310000", "60112000"
HAUTS_DE_SEINE = {"departments": ["92"]}


@dataclass
class InclusiveWorld:
    buyer: object
    forecast: object
    draft: object
    lead: object  # a works company, local SME
    siae: list
    esat: object
    ea: object
    electrician: object
    agent: object
    lead_member: object
    other_member: object
    other_agent: object
    staff: object


def supplier(staff, name, cpvs, commune="92020", turnover=None, **organisation):
    company = OrganisationFactory(name=name, commune_id=commune, **organisation)
    details = {"turnover": turnover, "turnover_year": 2025 if turnover else None}
    make_profile(staff, company, [(cpv, "", ["PREST"]) for cpv in cpvs], HAUTS_DE_SEINE, **details)
    return company


@pytest.fixture
def inclusive_world(small_referentials, settings):  # noqa: F811
    settings.MATCHING_INDEX_CHECK_SECONDS = 0  # the engine's index sees each test's data
    staff = UserFactory(is_staff=True)
    buyer = BuyerFactory(name="Ville de Boulogne-Billancourt", commune_id="92012")
    forecast = ForecastFactory(
        buyer=buyer,
        title="Rénovation du groupe scolaire Billancourt",
        cpv_id=WORKS,
        estimated_amount=Decimal("180000"),
        max_duration_months=18,
        departments=["92"],
    )
    forecast.communes.set(["92012"])
    LotFactory(forecast=forecast, number=1, title="Gros œuvre", cpv_id=WORKS, estimated_amount=Decimal("90000"))
    LotFactory(forecast=forecast, number=2, title="Électricité", cpv_id=ELECTRICITY, estimated_amount=Decimal("60000"))
    LotFactory(forecast=forecast, number=3, title="Transport", cpv_id=TRANSPORT, estimated_amount=Decimal("30000"))
    draft = ForecastFactory(buyer=buyer, status=forecast_rules.DRAFT, title="Projet confidentiel", departments=["92"])
    LotFactory(forecast=draft, number=1, title="Gros œuvre", cpv_id=WORKS)

    siae = [
        supplier(
            staff, "Bâtir Insertion", [WORKS], turnover=200_000, inclusive_status="EI", declared_size_category="pme"
        ),
        supplier(staff, "Chantier École 92", [WORKS], turnover=400_000, inclusive_status="ACI"),
        supplier(staff, "Intérim Solidaire", [WORKS], turnover=600_000, inclusive_status="ETTI"),
    ]
    esat = supplier(staff, "ESAT des Coteaux", [WORKS], commune="92012", inclusive_status="ESAT")
    ea = supplier(staff, "Lumière Adaptée", [ELECTRICITY], turnover=150_000, inclusive_status="EA")
    electrician = supplier(
        staff,
        "Élec et Transports du 92",
        [ELECTRICITY, TRANSPORT],
        commune="92012",
        turnover=2_000_000,
        declared_size_category="pme",
    )
    lead = supplier(
        staff, "Maçonnerie Boulonnaise", [WORKS], commune="92012", turnover=1_500_000, declared_size_category="pme"
    )
    other = OrganisationFactory(name="Autre Entreprise")
    return InclusiveWorld(
        buyer=buyer,
        forecast=forecast,
        draft=draft,
        lead=lead,
        siae=siae,
        esat=esat,
        ea=ea,
        electrician=electrician,
        agent=MembershipFactory(organisation=buyer, role=Role.BUYER_AGENT).user,
        lead_member=MembershipFactory(organisation=lead, role=Role.COMPANY_MEMBER).user,
        other_member=MembershipFactory(organisation=other, role=Role.COMPANY_MEMBER).user,
        other_agent=MembershipFactory(organisation=BuyerFactory(), role=Role.BUYER_AGENT).user,
        staff=staff,
    )


def bearer(user) -> dict:
    _, raw = ApiToken.issue(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
