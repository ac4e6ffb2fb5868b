"""A hospital buyer, two holders of one of its contracts, and people acting for each, with an invoice."""

import datetime
import importlib
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tremplin.organisations.models import Role
from tremplin.payments.models import EcbRate, Invoice

ECB_RATES_MIGRATION = importlib.import_module("tremplin.payments.migrations.0002_ecb_rates")


@pytest.fixture(autouse=True)
def _shipped_ecb_rates(request):
    """The ECB rates come from a data migration; a transactional test (here or in another app) flushes them.
    Put them back for database tests that run after one."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    if not EcbRate.objects.exists():
        ECB_RATES_MIGRATION.load(apps, None)


@dataclass
class World:
    buyer: object
    supplier: object
    co_holder: object
    contract: object
    invoice: object
    buyer_agent: object
    supplier_member: object
    co_holder_member: object
    other_company_member: object
    other_buyer_agent: object
    facilitator: object
    staff: object


@pytest.fixture
def world(db):
    buyer = BuyerFactory(name="Centre hospitalier de Roubaix", buyer_type="etablissement_public_sante")
    supplier = OrganisationFactory(name="Blanchisserie du Nord")
    co_holder = OrganisationFactory(name="Transports Lefebvre")
    contract = ContractFactory(buyer=buyer, decp_id="2025-0042", object="Blanchissage du linge hospitalier")
    ContractHolderFactory(contract=contract, organisation=supplier)
    ContractHolderFactory(contract=contract, organisation=co_holder)
    invoice = Invoice.objects.create(
        contract=contract,
        supplier=supplier,
        number="F-2025-001",
        amount_ttc=Decimal("10000.00"),
        received_on=datetime.date(2025, 3, 3),
        paid_on=datetime.date(2025, 5, 2),
    )
    other_buyer = BuyerFactory(name="Commune de Wattrelos")
    return World(
        buyer=buyer,
        supplier=supplier,
        co_holder=co_holder,
        contract=contract,
        invoice=invoice,
        buyer_agent=MembershipFactory(organisation=buyer, role=Role.BUYER_AGENT).user,
        supplier_member=MembershipFactory(organisation=supplier, role=Role.COMPANY_MEMBER).user,
        co_holder_member=MembershipFactory(organisation=co_holder, role=Role.COMPANY_MEMBER).user,
        other_company_member=MembershipFactory(role=Role.COMPANY_MEMBER).user,
        other_buyer_agent=MembershipFactory(organisation=other_buyer, role=Role.BUYER_AGENT).user,
        facilitator=MembershipFactory(organisation=supplier, role=Role.FACILITATOR).user,
        staff=UserFactory(is_staff=True),
    )
