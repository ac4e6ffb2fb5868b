"""The demo invoices: on the demo company's contracts, some late (a hospital's 50-day period when it holds one of
its contracts), one interrupted, one unpaid past due; created once."""

import datetime

import pytest

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import BuyerFactory, OrganisationFactory, UserFactory
from tremplin.payments import services
from tremplin.payments.demo import create_demo_invoices
from tremplin.payments.models import Invoice

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def statuses(invoices):
    rows = services.compute_rows(invoices, today=TODAY)
    assert all(row.result for row in rows), [row.error for row in rows]
    return [row.status for row in rows]


def test_created_once_with_late_and_overdue_invoices(world):
    user = UserFactory()
    created = create_demo_invoices(world.buyer, world.supplier, user, today=TODAY)
    assert len(created) == 11
    assert {invoice.contract for invoice in created} == {world.contract}  # the company's contract with the buyer
    assert all(invoice.supplier == world.supplier and invoice.created_by == user for invoice in created)
    found = statuses(created)
    assert found.count("late") >= 3 and found.count("on_time") >= 5
    assert found.count("overdue") == 1 and found.count("pending") == 1
    assert sum(1 for invoice in created if invoice.interruption_notified_on) == 1
    assert all(invoice.paid_on is None or invoice.paid_on <= TODAY for invoice in created)
    assert min(invoice.received_on for invoice in created) >= TODAY - datetime.timedelta(days=548)

    assert create_demo_invoices(world.buyer, world.supplier, user, today=TODAY) == []
    assert create_demo_invoices(world.buyer, world.supplier, user, today=TODAY + datetime.timedelta(days=30)) == []
    assert Invoice.objects.filter(number__startswith="DEMO-").count() == 11


def test_hospital_contract_used_when_the_company_holds_one(db):
    company = OrganisationFactory(name="Entreprise démo")
    commune = BuyerFactory(buyer_type="commune")
    hospital = BuyerFactory(buyer_type="etablissement_public_sante")
    ordinary = ContractFactory(buyer=commune)
    held_by_hospital = ContractFactory(buyer=hospital, notification_date=datetime.date(2020, 1, 1))
    for contract in (ordinary, held_by_hospital):
        ContractHolderFactory(contract=contract, organisation=company)
    created = create_demo_invoices(commune, company, None, today=TODAY)
    on_hospital = [invoice for invoice in created if invoice.contract == held_by_hospital]
    assert len(on_hospital) == 3
    assert statuses(on_hospital) == ["late", "late", "late"]  # late even with the 50-day period
    assert {invoice.contract for invoice in created} == {ordinary, held_by_hospital}


def test_falls_back_on_the_buyer_contracts_and_gives_up_without_any(db):
    company = OrganisationFactory()
    buyer = BuyerFactory()
    assert create_demo_invoices(buyer, company, None, today=TODAY) == []
    contract = ContractFactory(buyer=buyer)  # the company holds nothing: the buyer's contract is used
    assert {invoice.contract for invoice in create_demo_invoices(buyer, company, None, today=TODAY)} == {contract}
