"""References: the contracts a supplier holds, summarised at query time from the DECP data."""

import datetime
from decimal import Decimal

import pytest

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import BuyerFactory
from tremplin.suppliers.references import reference_counts, references_for

pytestmark = pytest.mark.django_db


def won(organisation, **kwargs):
    holder_kwargs = {key: kwargs.pop(key) for key in ("is_initial", "is_current") if key in kwargs}
    contract = ContractFactory(**kwargs)
    ContractHolderFactory(contract=contract, organisation=organisation, **holder_kwargs)
    return contract


def test_no_contract(world):
    references = references_for(world.company)
    assert (references.count, references.total_amount, references.last_date) == (0, None, None)
    assert references.divisions == [] and references.buyers == [] and references.recent == []


def test_summary_of_the_contracts_won(world):
    lyon, metropole = world.buyer, BuyerFactory(name="Métropole de Lyon")
    won(
        world.company,
        buyer=lyon,
        cpv="45210000",
        amount_initial=Decimal("100000"),
        notification_date=datetime.date(2023, 5, 2),
    )
    won(
        world.company,
        buyer=lyon,
        cpv="45214200",
        amount_initial=Decimal("50000.50"),
        notification_date=datetime.date(2024, 9, 1),
    )
    won(
        world.company,
        buyer=metropole,
        cpv="60100000",
        amount_initial=Decimal("20000"),
        notification_date=datetime.date(2022, 1, 10),
    )
    # A suspicious amount is counted as a contract but left out of the total.
    won(
        world.company,
        buyer=metropole,
        cpv="45000000",
        amount_initial=Decimal("999999999"),
        amount_suspicious=True,
        notification_date=datetime.date(2021, 1, 1),
    )
    # A contract held jointly with the rival counts once for each; someone else's contract not at all.
    shared = won(world.company, buyer=lyon, cpv="", amount_initial=None, notification_date=None)
    ContractHolderFactory(contract=shared, organisation=world.rival)
    won(world.rival, buyer=lyon, cpv="09310000")
    # A holder that joined after a modification (not initial) still references the contract.
    won(
        world.company,
        buyer=lyon,
        cpv="45210000",
        is_initial=False,
        amount_initial=Decimal("10"),
        notification_date=datetime.date(2020, 6, 1),
    )

    references = references_for(world.company)
    assert references.count == 6
    assert references.total_amount == Decimal("170010.50")
    assert references.suspicious_count == 1
    assert references.last_date == datetime.date(2024, 9, 1)
    assert [(d.code, d.label, d.count) for d in references.divisions] == [
        ("45", "Travaux de construction", 4),
        ("60", "Services de transport (à l'exclusion du transport des déchets)", 1),
    ]
    assert [(b.name, b.count, b.has_page) for b in references.buyers] == [
        ("Ville de Lyon", 4, True),
        ("Métropole de Lyon", 2, True),
    ]
    assert references.buyer_count == 2
    assert [c.notification_date for c in references.recent][:3] == [
        datetime.date(2024, 9, 1),
        datetime.date(2023, 5, 2),
        datetime.date(2022, 1, 10),
    ]
    assert reference_counts([world.company.pk, world.rival.pk, world.buyer.pk]) == {
        world.company.pk: 6,
        world.rival.pk: 2,
    }


def test_a_buyer_not_on_the_platform_is_named_as_published(world):
    won(world.company, buyer=None, buyer_identifier="21690123100011", buyer_name="COMMUNE DE BRON")
    [buyer] = references_for(world.company).buyers
    assert (buyer.siret, buyer.name, buyer.has_page) == ("21690123100011", "COMMUNE DE BRON", False)
