"""Use cases: attaching clauses, declaring hours, the insertion summary, EGalim, the demo builder."""

import datetime
from decimal import Decimal as D

import pytest

from tests.clauses.conftest import insertion_type
from tests.contracts.factories import ContractFactory
from tremplin.clauses import services
from tremplin.clauses.demo import create_demo_clauses
from tremplin.clauses.models import Clause, ClauseType, EgalimPurchase, HoursDeclaration, InsertionDefaults
from tremplin.clauses.services import ClauseError, InsertionFilters, NotAllowed

TODAY = datetime.date(2025, 6, 1)
INSERTION_INPUTS = {"amount_excl_vat": D(1000000), "labour_share": D(50), "insertion_rate": D(5), "hourly_cost": D(30)}


def insertion(world, **values):
    return services.attach_clause(world.agent, world.contract, insertion_type(), INSERTION_INPUTS | values)


def test_seeded_catalogue_and_practice_defaults(db):
    assert set(ClauseType.objects.values_list("code", flat=True)) == {
        "insertion",
        "reserve",
        "interpretariat",
        "carbone",
        "egalim",
        "circuit_court",
    }
    defaults = InsertionDefaults.current()
    assert (defaults.insertion_rate, defaults.hourly_cost, defaults.default_labour_share) == (D(5), D(30), D(50))
    assert "non réglementaire" in defaults.source


def test_insertion_clause_computes_hours_due(world):
    clause = insertion(world)
    assert clause.hours_due == 833
    assert clause.contract == world.contract and clause.created_by == world.agent


def test_hours_given_by_the_buyer_prevail(world):
    assert insertion(world, hours_due=1000).hours_due == 1000


def test_insertion_clause_needs_hours_or_inputs(world):
    with pytest.raises(ClauseError) as error:
        services.attach_clause(world.agent, world.contract, insertion_type(), {"amount_excl_vat": D(1000)})
    assert "hours_due" in error.value.errors


def test_other_clause_needs_a_target_and_drops_insertion_inputs(world):
    carbon = ClauseType.objects.get(code="carbone")
    with pytest.raises(ClauseError):
        services.attach_clause(world.agent, world.lot, carbon, {"target_text": "  "})
    clause = services.attach_clause(world.agent, world.lot, carbon, INSERTION_INPUTS | {"target_percent": D(20)})
    assert clause.lot == world.lot and clause.hours_due is None and clause.amount_excl_vat is None


@pytest.mark.parametrize("who", ["other_agent", "company_member", "facilitator", "staff"])
def test_only_the_buyer_agents_attach(world, who):
    for target in (world.contract, world.forecast, world.lot):
        with pytest.raises(NotAllowed):
            services.attach_clause(getattr(world, who), target, insertion_type(), INSERTION_INPUTS)
    assert not Clause.objects.exists()


def test_suggestion_uses_the_division_row(world):
    suggestion = services.suggest_insertion("45210000", D(1000000))
    assert (suggestion.labour_share, suggestion.division_known, suggestion.hours_due) == (D(50), True, 833)
    assert services.suggest_insertion("79000000", None).hours_due is None


def test_company_member_declares_hours_for_the_holder(world):
    clause = insertion(world)
    declaration = services.declare_hours(
        world.company_member, clause, None, datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), D(200), today=TODAY
    )
    assert declaration.organisation == world.company
    progress = services.clause_progress(clause)
    assert (progress.done, progress.achieved) == (D(200), D("24.0"))


def test_facilitator_declares_for_the_network(world):
    clause = insertion(world)
    declaration = services.declare_hours(
        world.facilitator, clause, None, datetime.date(2025, 1, 1), datetime.date(2025, 1, 31), D(50), today=TODAY
    )
    assert declaration.organisation == world.network


@pytest.mark.parametrize("who", ["other_company_member", "agent", "other_agent"])
def test_others_do_not_declare(world, who):
    clause = insertion(world)
    with pytest.raises(NotAllowed):
        services.declare_hours(
            getattr(world, who), clause, None, datetime.date(2025, 1, 1), datetime.date(2025, 1, 31), 5, today=TODAY
        )


def test_cannot_declare_for_someone_elses_organisation(world):
    clause = insertion(world)
    with pytest.raises(ClauseError) as error:
        services.declare_hours(world.company_member, clause, world.other_company, TODAY, TODAY, D(5), today=TODAY)
    assert "organisation" in error.value.errors


def test_overlapping_periods_are_refused(world):
    clause = insertion(world)
    services.declare_hours(
        world.company_member, clause, None, datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), 10, today=TODAY
    )
    with pytest.raises(ClauseError) as error:
        services.declare_hours(
            world.facilitator, clause, None, datetime.date(2025, 3, 1), datetime.date(2025, 4, 30), 10, today=TODAY
        )
    assert "chevauche" in error.value.errors["period_start"]
    assert HoursDeclaration.objects.count() == 1


def test_hours_only_on_a_contracts_insertion_clause(world):
    reserved = services.attach_clause(
        world.agent, world.contract, ClauseType.objects.get(code="reserve"), {"target_text": "L2113-13"}
    )
    with pytest.raises(ClauseError):
        services.declare_hours(world.company_member, reserved, None, TODAY, TODAY, 5, today=TODAY)


def test_remove_clause_with_declarations_is_refused(world):
    clause = insertion(world)
    services.declare_hours(world.company_member, clause, None, TODAY, TODAY, 5, today=TODAY)
    with pytest.raises(ClauseError):
        services.remove_clause(world.agent, clause)
    with pytest.raises(NotAllowed):
        services.withdraw_declaration(world.other_company_member, clause.declarations.get())
    services.withdraw_declaration(world.agent, clause.declarations.get())
    services.remove_clause(world.agent, clause)
    assert not Clause.objects.exists()


def test_insertion_summary_groups_and_filters(world):
    clause = insertion(world)
    services.declare_hours(world.company_member, clause, None, TODAY, TODAY, D(250), today=TODAY)
    second = ContractFactory(
        buyer=world.buyer,
        amount_initial=D(300000),
        territory_department="69",
        notification_date=datetime.date(2025, 2, 1),
    )
    services.attach_clause(world.agent, second, insertion_type(), {"hours_due": 100})
    services.attach_clause(world.agent, world.forecast, insertion_type(), {"hours_due": 9999})  # not a contract

    rows = services.insertion_summary()
    assert [(r.year, r.buyer_siret, r.department, r.hours_due, r.hours_done) for r in rows] == [
        (2025, world.buyer.siret, "69", 100, D(0)),
        (2024, world.buyer.siret, "69", 833, D(250)),
    ]
    assert rows[1].achieved == D("30.0")  # 250 ÷ 833 = 30,01 %
    assert rows[1].department_name == "Rhône"
    by_buyer = services.insertion_summary(group_by=("buyer",))
    assert [(r.contracts, r.hours_due, r.hours_done) for r in by_buyer] == [(2, 933, D(250))]
    assert services.insertion_summary(InsertionFilters(year=2024))[0].hours_due == 833
    assert services.insertion_summary(InsertionFilters(department="13")) == []
    assert services.insertion_summary(InsertionFilters(buyer=world.other_buyer.siret)) == []


def test_egalim_declaration_and_result(world):
    services.declare_egalim(world.agent, world.buyer, 2024, "bio", "autres_denrees", D(20))
    services.declare_egalim(world.agent, world.buyer, 2024, "autres", "autres_denrees", D(80))
    result = services.egalim_result(world.buyer, 2024)
    assert (result.quality.share, result.organic.share) == (D("20.0"), D("20.0"))
    with pytest.raises(NotAllowed):
        services.declare_egalim(world.other_agent, world.buyer, 2024, "bio", "autres_denrees", D(20))
    with pytest.raises(ClauseError) as error:
        services.declare_egalim(world.agent, world.buyer, 2024, "local", "autres_denrees", D(-1))
    assert set(error.value.errors) == {"category", "amount_excl_vat"}


def test_demo_builder_is_idempotent(world):
    first = create_demo_clauses(world.buyer, world.agent, world.company, world.company_member)
    assert first.clauses >= 3 and first.purchases == 7
    assert first.declarations >= 1
    held = Clause.objects.get(contract=world.contract, clause_type__code="insertion")
    assert held.hours_due == 833 and held.declarations.filter(organisation=world.company).exists()
    again = create_demo_clauses(world.buyer, world.agent, world.company, world.company_member)
    assert (again.clauses, again.declarations, again.purchases) == (0, 0, 0)
    assert EgalimPurchase.objects.filter(buyer=world.buyer).count() == 7


@pytest.mark.django_db
def test_the_catalogue_comes_back_after_a_flush():
    # Migration data are lost when a database is flushed (tests, `tremplin flush`); the demo ensures them again.
    from tremplin.clauses.catalogue import CLAUSE_TYPES, ensure_catalogue
    from tremplin.clauses.models import ClauseType, InsertionDefaults

    ClauseType.objects.all().delete()
    InsertionDefaults.objects.all().delete()
    ensure_catalogue()
    ensure_catalogue()
    assert sorted(ClauseType.objects.values_list("code", flat=True)) == sorted(code for code, *_ in CLAUSE_TYPES)
    assert InsertionDefaults.objects.count() == 1
