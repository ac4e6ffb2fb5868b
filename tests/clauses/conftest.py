"""A city buyer with a published forecast (one lot), a draft forecast and an awarded contract held by a company;
another buyer and another company; a facilitator of an insertion network; and the people acting for each."""

import datetime
import importlib
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.opportunities.factories import ForecastFactory, LotFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.accounts.models import ApiToken
from tremplin.clauses.models import ClauseType
from tremplin.opportunities import rules as forecast_rules
from tremplin.organisations.models import Role

SEED = importlib.import_module("tremplin.clauses.migrations.0002_seed_catalogue")


@pytest.fixture(autouse=True)
def _seeded_catalogue(request):
    """The catalogue comes from a data migration; a transactional test flushes it. Put it back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    if not ClauseType.objects.exists():
        SEED.seed(apps, None)


@dataclass
class World:
    buyer: object
    other_buyer: object
    company: object
    other_company: object
    network: object
    contract: object
    other_contract: object
    forecast: object
    lot: object
    draft: object
    agent: object
    other_agent: object
    company_member: object
    other_company_member: object
    facilitator: object
    staff: object


@pytest.fixture
def world(small_referentials):  # noqa: F811
    buyer = BuyerFactory(name="Ville de Lyon", siret="21690123100011")
    other_buyer = BuyerFactory(name="Commune de Marseille")
    company = OrganisationFactory(name="Bâtisseurs Solidaires", inclusive_status="EI")
    other_company = OrganisationFactory(name="Atelier du Rhône")
    network = OrganisationFactory(name="Maison de l'emploi de Lyon", is_supplier=False, is_network=True)
    contract = ContractFactory(
        buyer=buyer,
        decp_id="2024-0007",
        object="Réhabilitation du gymnase Jean-Macé",
        amount_initial=Decimal("1000000.00"),
        notification_date=datetime.date(2024, 3, 15),
        territory_department="69",
    )
    ContractHolderFactory(contract=contract, organisation=company)
    other_contract = ContractFactory(buyer=other_buyer, decp_id="2024-0099", territory_department="13")
    ContractHolderFactory(contract=other_contract, organisation=other_company)
    forecast = ForecastFactory(buyer=buyer, title="Rénovation de l'école Painlevé")
    lot = LotFactory(forecast=forecast, number=1, title="Gros œuvre")
    draft = ForecastFactory(buyer=buyer, status=forecast_rules.DRAFT, title="Projet confidentiel")
    return World(
        buyer=buyer,
        other_buyer=other_buyer,
        company=company,
        other_company=other_company,
        network=network,
        contract=contract,
        other_contract=other_contract,
        forecast=forecast,
        lot=lot,
        draft=draft,
        agent=MembershipFactory(organisation=buyer, role=Role.BUYER_AGENT, user__full_name="Agnès Achat").user,
        other_agent=MembershipFactory(organisation=other_buyer, role=Role.BUYER_AGENT).user,
        company_member=MembershipFactory(organisation=company, user__full_name="Camille Maçon").user,
        other_company_member=MembershipFactory(organisation=other_company).user,
        facilitator=MembershipFactory(organisation=network, role=Role.FACILITATOR, user__full_name="Fanny Clause").user,
        staff=UserFactory(is_staff=True),
    )


def bearer(user) -> dict:
    _, raw = ApiToken.issue(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def insertion_type():
    return ClauseType.objects.get(code=ClauseType.INSERTION)
